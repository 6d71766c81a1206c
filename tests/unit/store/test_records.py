"""Records: saving intakes, search, perpetrator check, case view, home, lifecycle, drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intake_app.domain.errors import UserError
from intake_app.domain.model import (
    AddressProtection,
    Child,
    ChildNotification,
    Client,
    ConsultationInfo,
    Household,
    Intake,
    Referral,
    Relationship,
    RiskAnswers,
    SafeContact,
    Violence,
)
from intake_app.store.errors import InvalidIntake
from intake_app.store.records import RecordNotFound
from tests.unit.store.records_support import audit_entries, query, session

__all__ = ["session"]  # the fixture: every test runs on the real vault and the stand-in

TODAY = dt.date(2026, 11, 25)


def make_intake(
    name: str = "山田 花子",
    kana: str = "ヤマダ ハナコ",
    *,
    aliases: list[str] | None = None,
    phone: str = "090-1234-5678",
    day: dt.date = TODAY,
    perpetrator: tuple[str, str] = ("山田 太郎", "やまだ たろう"),
    whereabouts: str = "",
    answers: dict[str, bool | None] | None = None,
    support_on: dt.date | None = None,
) -> Intake:
    return Intake(
        consultation=ConsultationInfo(
            kind="dv",
            started_at=dt.datetime.combine(day, dt.time(10, 0)),
            channel="visit",
            consulter="self",
            counselor="相談員A",
        ),
        client=Client(
            name=name,
            kana=kana,
            aliases=aliases or [],
            age_group="30s",
            gender="female",
            safe_contact=SafeContact(phone=phone),
            address="蕨市中央1-1-1",
            fled=bool(whereabouts),
            current_whereabouts=whereabouts,
        ),
        household=Household(
            children=[Child(age=5, lives_with_client=True, witnessed_violence=True)],
            child_notification=ChildNotification(
                notified_to="子ども未来課",
                notified_at=dt.datetime.combine(day, dt.time(11, 0)),
                method="電話",
            ),
        ),
        relationship=Relationship(
            type="legal_spouse", perpetrator_name=perpetrator[0], perpetrator_kana=perpetrator[1]
        ),
        violence=Violence(types={"physical": "repeated", "psychological": "once_or_twice"}),
        risk=RiskAnswers(answers=answers if answers is not None else {"R01": True, "R02": True}),
        referrals=[
            Referral(
                destination_id="police",
                fields=["client.name"],
                consent=True,
                consent_method="verbal",
                consent_at=dt.datetime.combine(day, dt.time(10, 0)),
            )
        ],
        address=AddressProtection(
            support_measure_applied=support_on is not None, applied_on=support_on
        ),
    )


def test_save_intake_writes_everything_and_one_audit_entry(session: Any) -> None:
    saved = session.records.save_intake(make_intake())
    assert saved.case_number == "2026-0001"
    row = query(
        session,
        "SELECT fiscal_year, month, kind, channel, risk_computed, risk_final,"
        " shelter_recommendation, child_notification FROM consultations WHERE id = ?",
        (saved.consultation_id,),
    )
    assert row == [(2026, 11, "dv", "visit", "urgent", "urgent", "immediate", 1)]
    for table, count in (("violence", 2), ("referrals", 1), ("children", 1)):
        assert query(session, f"SELECT count(*) FROM {table}") == [(count,)]
    assert audit_entries(session) == [("intake.save", f"case:{saved.case_id}")]


def test_case_numbers_count_per_fiscal_year(session: Any) -> None:
    r = session.records
    a = r.save_intake(make_intake(day=dt.date(2026, 3, 31)))
    b = r.save_intake(make_intake(day=dt.date(2026, 4, 1)))
    c = r.save_intake(make_intake(day=dt.date(2026, 5, 1)))
    assert (a.case_number, b.case_number, c.case_number) == ("2025-0001", "2026-0001", "2026-0002")


def test_an_invalid_intake_is_refused_with_the_domains_messages_and_nothing_is_written(
    session: Any,
) -> None:
    draft = session.records.save_draft(make_intake(), step=9)
    intake = make_intake()
    intake.client.kana = "Yamada Hanako"
    intake.household.children[0].age = 19
    intake.referrals.append(Referral(destination_id="police"))  # no consent recorded
    with pytest.raises(InvalidIntake) as refused:
        session.records.save_intake(intake, draft_id=draft)
    errors = {e.field: e.message for e in refused.value.errors}
    assert errors["client.kana"] == "ふりがな: ひらがなかカタカナで入力してください"
    assert errors["household.children[0].age"] == "子ども1人目の年齢: 0〜17の数字で入力してください"
    assert errors["referrals[1].consent"].startswith("紹介2件目")
    assert errors["referrals[1].consent"].endswith("本人の同意: 同意を得てから紹介してください")
    # one sentence for the user, naming the first problem, like every UserError
    assert isinstance(refused.value, UserError)
    assert refused.value.message == (
        "入力を直してから保存してください。ふりがな: ひらがなかカタカナで入力してください"
        "（ほかに 2 か所）"
    )
    for table in ("clients", "cases", "consultations", "children", "referrals", "violence"):
        assert query(session, f"SELECT count(*) FROM {table}") == [(0,)]
    assert audit_entries(session) == [("draft.create", None)]  # no intake.save
    assert session.records.load_draft(draft).step == 9  # the draft stays


def test_a_batch_with_one_invalid_intake_writes_none_of_it(session: Any) -> None:
    bad = make_intake("佐藤 愛", "サトウ アイ")
    bad.client.safe_contact.email = "sato-at-example"
    with pytest.raises(InvalidIntake) as refused:
        session.records.save_intakes([(make_intake(), None), (bad, None)])
    assert [e.field for e in refused.value.errors] == ["client.safe_contact.email"]
    assert query(session, "SELECT count(*) FROM consultations") == [(0,)]
    assert audit_entries(session) == []


@pytest.mark.parametrize(
    "query",
    [
        "やまだ",
        "ヤマダ",
        "ﾔﾏﾀﾞ",
        "ヤマ ダ",
        "やまだはなこ",
        "はなこ",
        "山田",
        "山田花子",
        "鈴木",
        "すずき",
    ],
)
def test_search_finds_by_name_kana_and_alias_kana_insensitively(session: Any, query: str) -> None:
    session.records.save_intake(make_intake(aliases=["鈴木", "スズキ"]))
    session.records.save_intake(
        make_intake("佐藤 陽子", "サトウ ヨウコ", phone="048-111-2222", perpetrator=("", ""))
    )
    hits = session.records.search(query)
    assert [h.name for h in hits] == ["山田 花子"]


def test_search_by_phone_and_case_number(session: Any) -> None:
    first = session.records.save_intake(make_intake())
    session.records.save_intake(make_intake("佐藤 陽子", "サトウ ヨウコ", phone="048-111-2222"))
    assert [h.name for h in session.records.search("090-1234-5678")] == ["山田 花子"]
    assert [h.name for h in session.records.search("０９０１２３４")] == ["山田 花子"]
    assert [h.case_id for h in session.records.search(first.case_number)] == [first.case_id]
    assert session.records.search("田村") == []
    assert session.records.search("   ") == []


def test_search_results_never_hold_the_whereabouts_and_audit_holds_no_query(
    session: Any,
) -> None:
    session.records.save_intake(make_intake(whereabouts="シェルターあおば荘"))
    hits = session.records.search("やまだ")
    assert hits and "あおば" not in repr(hits)
    assert ("search", None) in audit_entries(session)
    assert "やまだ" not in repr(audit_entries(session))


def test_perpetrator_search_is_exact_on_normalised_name(session: Any) -> None:
    saved = session.records.save_intake(
        make_intake(support_on=TODAY - dt.timedelta(days=10)), case_id=None
    )
    r = session.records
    for text in ("山田太郎", "山田 太郎", "ヤマダタロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"):
        hits = r.search_perpetrator(text)
        assert [h.case_id for h in hits] == [saved.case_id], text
        assert hits[0].support_measure
    assert r.search_perpetrator("山田") == []  # a partial name reveals nothing
    assert r.search_perpetrator("山田 花子") == []  # the client is not a perpetrator


def test_case_view_timeline_risk_history_and_banner(session: Any) -> None:
    r = session.records
    first = r.save_intake(make_intake(day=TODAY - dt.timedelta(days=30), answers={}))
    follow = make_intake(answers={"R01": True, "R02": True})
    follow.address.do_not_disclose = True
    r.save_intake(follow, case_id=first.case_id)
    view = r.open_case(first.case_id, today=TODAY)
    assert [c.consulted_on for c in view.consultations] == [TODAY - dt.timedelta(days=30), TODAY]
    # risk-v2 (rules.md §9.7): with nothing answered, unknown is not safe, so at least 中
    assert [e.final for e in view.risk_history] == ["medium", "urgent"]
    assert view.banner and view.do_not_disclose
    assert len(view.referrals) == 2 and len(view.decisions) == 2
    assert ("case.open", f"case:{first.case_id}") in audit_entries(session)
    assert r.latest_intake(first.case_id).risk.answers == {"R01": True, "R02": True}


def test_support_measure_banner_and_renewal_on_home(session: Any) -> None:
    r = session.records
    applied = TODAY - dt.timedelta(days=350)
    saved = r.save_intake(make_intake(day=applied, support_on=applied))
    other = r.save_intake(
        make_intake("佐藤 陽子", "サトウ ヨウコ", day=TODAY - dt.timedelta(days=3))
    )
    assert r.open_case(saved.case_id, today=TODAY).banner
    assert not r.open_case(other.case_id, today=TODAY).banner
    home = r.home(TODAY)
    assert [m.case_id for m in home.renewals] == [saved.case_id]
    assert home.renewals[0].expires_on == dt.date(2026, 12, 9)
    assert r.home(TODAY - dt.timedelta(days=60)).renewals == []


def test_home_lists_today_follow_ups_due_and_drafts(session: Any) -> None:
    r = session.records
    today_case = r.save_intake(make_intake())
    old = r.save_intake(make_intake("佐藤 陽子", "サトウ ヨウコ", day=TODAY - dt.timedelta(days=9)))
    due = r.add_follow_up(old.case_id, TODAY - dt.timedelta(days=1), "電話で様子を確認")
    r.add_follow_up(old.case_id, TODAY + dt.timedelta(days=7))
    draft = r.save_draft(make_intake("伊藤 愛", "イトウ アイ").to_dict(), step=3)
    home = r.home(TODAY)
    assert [c.case_id for c in home.consultations] == [today_case.case_id]
    assert [f.id for f in home.follow_ups_due] == [due]
    assert [(d.id, d.client_name, d.step) for d in home.drafts] == [(draft, "伊藤 愛", 3)]
    r.complete_follow_up(due, done_on=TODAY)
    assert r.home(TODAY).follow_ups_due == []
    with pytest.raises(RecordNotFound):
        r.complete_follow_up(9999)


def test_close_and_reopen_keep_reasons_in_history(session: Any) -> None:
    r = session.records
    saved = r.save_intake(make_intake())
    r.close_case(saved.case_id, "転居により終結", on=TODAY)
    with pytest.raises(ValueError, match="すでに終結"):
        r.close_case(saved.case_id, "二重")
    view = r.open_case(saved.case_id)
    assert (view.status, view.closed_on, view.close_reason) == ("closed", TODAY, "転居により終結")
    with pytest.raises(ValueError, match="理由"):
        r.reopen_case(saved.case_id, " ")
    r.reopen_case(saved.case_id, "再び相談あり")
    view = r.open_case(saved.case_id)
    assert view.status == "open" and view.closed_on is None
    assert [(e.kind, e.reason) for e in view.events] == [
        ("close", "転居により終結"),
        ("reopen", "再び相談あり"),
    ]
    assert [h.status for h in r.search("やまだ")] == ["open"]


def test_drafts_audit_create_resume_delete_but_not_each_save(session: Any) -> None:
    r = session.records
    draft = r.save_draft({"client": {"name": "山田"}}, step=1)
    for i in range(5):
        assert r.save_draft({"client": {"name": f"山田 {i}"}}, step=2, draft_id=draft) == draft
    loaded = r.load_draft(draft)
    assert (loaded.step, loaded.data) == (2, {"client": {"name": "山田 4"}})
    r.delete_draft(draft)
    with pytest.raises(RecordNotFound):
        r.load_draft(draft)
    actions = [a for a, _ in audit_entries(session)]
    assert actions == ["draft.create", "draft.resume", "draft.delete", "draft.resume"]


def test_saving_an_intake_deletes_its_draft_in_the_same_transaction(session: Any) -> None:
    r = session.records
    draft = r.save_draft(make_intake(), step=10)
    r.save_intake(make_intake(), draft_id=draft)
    assert r.list_drafts() == []


def test_follow_up_updates_client_terms_and_keeps_aliases(session: Any) -> None:
    r = session.records
    saved = r.save_intake(make_intake(aliases=["鈴木"]))
    renamed = make_intake("高橋 花子", "タカハシ ハナコ")
    r.save_intake(renamed, case_id=saved.case_id)
    assert [h.case_id for h in r.search("たかはし")] == [saved.case_id]
    assert [h.case_id for h in r.search("鈴木")] == [saved.case_id]
    assert r.search("やまだ") == []
    with pytest.raises(RecordNotFound):
        r.save_intake(make_intake(), case_id=4242)


def test_risk_judgement_is_stored_and_a_raise_without_reason_is_refused(session: Any) -> None:
    r = session.records
    raised = make_intake(answers={"R05": True})
    raised.risk.judgement = "high"
    with pytest.raises(InvalidIntake) as refused:
        r.save_intake(raised)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("risk.judgement_reason", "判断の理由: 相談員の判断で危険度を決めた理由を書いてください")
    ]
    assert query(session, "SELECT count(*) FROM consultations") == [(0,)]
    raised.risk.judgement_reason = "加害者が近くに転居してきた"
    saved = r.save_intake(raised)
    (entry,) = r.open_case(saved.case_id).risk_history
    # one yes and nothing answered no: risk-v2 keeps at least 中 (rules.md §9.7)
    assert (entry.computed, entry.final) == ("medium", "high")
    assert entry.judgement_reason == "加害者が近くに転居してきた"


def test_stored_outcomes_are_what_the_domain_advises(session: Any) -> None:
    from intake_app.domain.advice import advise
    from intake_app.store.synthetic import generate

    items = list(generate(150, seed=11, min_gap=1))
    saved = session.records.save_intakes([(i.intake, None) for i in items])
    rows = {
        r[0]: r[1:]
        for r in query(
            session,
            "SELECT c.id, c.risk_computed, c.risk_final, c.shelter_recommendation,"
            " c.po_eligible, c.child_notification, p.prerequisite FROM consultations c"
            " JOIN protection_order_advice p ON p.consultation_id = c.id",
        )
    }
    seen = set()
    for item, result in zip(items, saved, strict=True):
        started = item.intake.consultation.started_at
        assert started is not None
        advice = advise(item.intake, "warabi", started.date())
        expected = (
            advice.risk.computed,
            advice.risk.final,
            advice.shelter.recommendation,
            int(advice.protection_order["eligible"]),
            int(advice.child_notification.required),
            advice.protection_order["prerequisite"],
        )
        assert rows[result.consultation_id] == expected
        seen.add(expected[1])
    assert len(seen) >= 3  # the sample covers several levels
