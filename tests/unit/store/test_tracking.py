"""What a case follows after the consultation (issue 18), on the real vault and the plain
stand-in: the 支援措置 checklist, the 追及 log, the court, 一時保護, each with its audit
entry; a refused record writes nothing; home's lines name no client."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from intake_app.domain.court import CourtRequest
from intake_app.domain.municipality import load_municipality
from intake_app.domain.tracking import (
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    ShelterOutcome,
)
from intake_app.store.tracking import InvalidRecord, Tracking
from tests.unit.store.records_support import audit_entries, query, session, vault
from tests.unit.store.test_records import TODAY, make_intake

__all__ = ["session", "vault"]

CITY = load_municipality("warabi")
PLACES = [p.name for p in CITY.support_measure_places]
NAME = "山田 花子"


def tracking_of(session: Any) -> Tracking:
    if getattr(session, "municipality", None) is None:
        session.municipality = CITY  # the stand-in: the vault has its imported settings
    found = getattr(session, "tracking", None)
    return found if isinstance(found, Tracking) else Tracking(session)


def new_case(session: Any, **kwargs: Any) -> int:
    tracking_of(session)
    return int(session.records.save_intake(make_intake(**kwargs)).case_id)


def home_lines(session: Any, today: dt.date = TODAY) -> list[tuple[str, str, str]]:
    return [(i.kind, i.case_number, i.text) for i in session.records.home(today).tracking]


# --- 支援措置 in every system -------------------------------------------------------------------


def test_a_measure_saved_with_an_intake_gets_the_settings_places_to_confirm(session: Any) -> None:
    case_id = new_case(session, support_on=TODAY - dt.timedelta(days=5))
    t = tracking_of(session)
    measure = t.case(case_id).measure
    assert measure is not None
    assert [c.place_name for c in measure.checks] == PLACES
    assert [c.outside for c in measure.checks][2:4] == [True, True]  # 本籍地, 前住所地
    assert home_lines(session) == [
        (
            "measure_unconfirmed",
            "2026-0001",
            f"支援措置の確認先: 未確認 {len(PLACES)}か所"
            f"（住民記録（住民票）ほか{len(PLACES) - 1}か所）",
        )
    ]
    for check in measure.checks:
        t.confirm_place(check.id, PlaceConfirmation(TODAY, "phone", "担当者に確認"), today=TODAY)
    confirmed = t.case(case_id).measure
    assert confirmed is not None and confirmed.unconfirmed == ()
    first = confirmed.checks[0]
    assert (first.confirmed_on, first.method, first.note) == (TODAY, "phone", "担当者に確認")
    assert first.confirmed_by_name  # the 氏名 of the day (the login name while unset)
    assert home_lines(session) == []
    assert ("support_measure.confirm", f"case:{case_id}") in audit_entries(session)


def test_a_confirmation_the_checks_refuse_writes_nothing_and_names_the_field(session: Any) -> None:
    case_id = new_case(session, support_on=TODAY - dt.timedelta(days=5))
    t = tracking_of(session)
    measure = t.case(case_id).measure
    assert measure is not None
    before = audit_entries(session)
    with pytest.raises(InvalidRecord) as refused:
        t.confirm_place(measure.checks[0].id, PlaceConfirmation(TODAY, None), today=TODAY)
    assert [e.field for e in refused.value.errors] == ["method"]
    assert str(refused.value) == "確認の方法: 一覧から選んでください"
    after = t.case(case_id).measure
    assert after is not None and after.checks[0].confirmed_on is None
    assert audit_entries(session)[: len(before)] == before
    assert "support_measure.confirm" not in [a for a, _ in audit_entries(session)]


def test_home_lists_the_oldest_lines_first_and_counts_them_all(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decade of lapsed measures must not fill home: it lists the first lines (the
    oldest lapse first, before undated lines) and counts every line by kind."""
    from intake_app.store.records import home as home_mod
    from intake_app.store.records import tracking as tracking_mod

    days = (400, 700, 550)
    cases = [
        new_case(session, day=TODAY - dt.timedelta(days=d), support_on=TODAY - dt.timedelta(days=d))
        for d in days
    ]
    fresh = new_case(session, support_on=TODAY - dt.timedelta(days=5))  # checklist open
    full = session.records.home(TODAY)
    assert len(full.tracking) == 4
    assert full.tracking_counts == {"measure_lapsed": 3, "measure_unconfirmed": 1}
    monkeypatch.setattr(
        home_mod, "home_items", lambda conn, today: tracking_mod.home_items(conn, today, 2)
    )
    shown = session.records.home(TODAY)
    assert [i.case_id for i in shown.tracking] == [cases[1], cases[2]]  # 700, 550 days ago
    assert shown.tracking_counts == full.tracking_counts  # still every line counted
    assert fresh not in [i.case_id for i in shown.tracking]


def test_closing_the_case_does_not_clear_the_measure_only_its_recorded_end_does(
    session: Any,
) -> None:
    """rules.md §5, §9.11: the renewal reminder is cleared by no list of ended cases."""
    applied = TODAY - dt.timedelta(days=400)
    case_id = new_case(session, day=applied, support_on=applied)
    session.records.close_case(case_id, "連絡が途絶えた", on=TODAY)
    kinds = [k for k, _, _ in home_lines(session)]
    assert kinds == ["measure_lapsed"]
    t = tracking_of(session)
    measure = t.case(case_id).measure
    assert measure is not None and measure.lapsed(TODAY)
    with pytest.raises(InvalidRecord):
        t.end_measure(measure.id, MeasureEnd(TODAY, None), today=TODAY)
    assert [k for k, _, _ in home_lines(session)] == ["measure_lapsed"]
    t.end_measure(measure.id, MeasureEnd(TODAY, "expired"), today=TODAY)
    assert home_lines(session) == []
    ended = t.case(case_id).measure
    assert ended is not None and (ended.ended_on, ended.end_reason) == (TODAY, "expired")
    assert ("support_measure.end", f"case:{case_id}") in audit_entries(session)


def test_the_renewal_line_stays_for_a_closed_case(session: Any) -> None:
    applied = TODAY - dt.timedelta(days=350)
    case_id = new_case(session, day=applied, support_on=applied)
    session.records.close_case(case_id, "転居", on=TODAY)
    assert [m.case_id for m in session.records.home(TODAY).renewals] == [case_id]


# --- 追及 -------------------------------------------------------------------------------------


def pursuit(**changes: Any) -> PursuitEntry:
    base: dict[str, Any] = {
        "asked_at": dt.datetime.combine(TODAY, dt.time(14, 30)),
        "counter": "市民課窓口",
        "asker": "兄と名乗る男性",
        "identity_check": "none",
    }
    base.update(changes)
    return PursuitEntry(**base)


def test_a_pursuit_entry_raises_the_cases_caution_and_asks_about_the_police(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    assert not session.records.open_case(case_id, today=TODAY).do_not_disclose
    entry_id = t.add_pursuit(case_id, pursuit(), today=TODAY)
    assert entry_id > 0
    assert session.records.open_case(case_id, today=TODAY).do_not_disclose
    record = t.case(case_id).pursuits[0]
    assert (record.entry.answer, record.entry.police_told) == ("nothing", None)
    lines = home_lines(session)
    assert lines == [
        (
            "pursuit_police",
            "2026-0001",
            "追及の記録（令和8（2026）年11月25日・市民課窓口）: 警察へ伝えたかが未確認です",
        )
    ]
    assert ("pursuit.add", f"case:{case_id}") in audit_entries(session)
    # a follow-up saved with the 追及注意 box unticked does not lower it
    follow = make_intake(day=TODAY)
    follow.address.do_not_disclose = False
    session.records.save_intake(follow, case_id=case_id)
    assert session.records.open_case(case_id, today=TODAY).do_not_disclose


def test_a_pursuit_entry_with_a_partial_answer_needs_what_was_told(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    with pytest.raises(InvalidRecord) as refused:
        t.add_pursuit(case_id, pursuit(answer="partial"), today=TODAY)
    assert refused.value.errors[0].field == "answer_note"
    assert t.case(case_id).pursuits == ()
    assert not session.records.open_case(case_id, today=TODAY).do_not_disclose


# --- the court ------------------------------------------------------------------------------


def test_the_courts_request_is_kept_as_the_report_reads_it_until_the_report_is_sent(
    session: Any,
) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    request = CourtRequest(
        court="さいたま地方裁判所",
        division="民事第4部",
        case_number="令和8年(モ)第123号",
        requested_on=TODAY - dt.timedelta(days=3),
        received_on=TODAY - dt.timedelta(days=1),
    )
    request_id = t.add_court_request(case_id, request, today=TODAY)
    latest = t.case(case_id).latest_request
    assert latest is not None and latest.request == request and latest.report_sent_on is None
    assert [k for k, _, _ in home_lines(session)] == ["court_report"]
    with pytest.raises(InvalidRecord) as refused:
        t.record_report_sent(request_id, TODAY - dt.timedelta(days=2), today=TODAY)
    assert refused.value.errors[0].field == "sent_on"
    t.record_report_sent(request_id, TODAY, today=TODAY)
    sent = t.case(case_id).latest_request
    assert sent is not None and sent.report_sent_on == TODAY
    assert home_lines(session) == []
    actions = audit_entries(session)
    assert ("court_request.add", f"case:{case_id}") in actions
    assert ("court_request.sent", f"case:{case_id}") in actions


def test_a_mistyped_pursuit_or_request_is_corrected_in_place_and_audited(
    session: Any,
) -> None:
    """The 事件番号 the court report prints and the counter of a 追及 can be corrected:
    the same checks as a new record, nothing written on a refusal, one audit entry."""
    case_id = new_case(session)
    t = tracking_of(session)
    pursuit_id = t.add_pursuit(case_id, pursuit(counter="市民家窓口"), today=TODAY)
    with pytest.raises(InvalidRecord) as refused:
        t.correct_pursuit(pursuit_id, pursuit(answer="partial"), today=TODAY)
    assert refused.value.errors[0].field == "answer_note"
    assert t.case(case_id).pursuits[0].entry.counter == "市民家窓口"
    t.correct_pursuit(pursuit_id, pursuit(counter="市民課窓口", police_told=True), today=TODAY)
    fixed = t.case(case_id).pursuits
    assert len(fixed) == 1 and fixed[0].entry.counter == "市民課窓口"
    assert fixed[0].entry.police_told is True
    request = CourtRequest(
        court="さいたま地方裁判所",
        division="民事第4部",
        case_number="令和8年(モ)第132号",
        requested_on=TODAY - dt.timedelta(days=3),
        received_on=TODAY - dt.timedelta(days=1),
    )
    request_id = t.add_court_request(case_id, request, today=TODAY)
    t.record_report_sent(request_id, TODAY - dt.timedelta(days=1), today=TODAY)
    late = dataclasses.replace(request, received_on=TODAY)
    with pytest.raises(InvalidRecord) as refused:
        t.correct_court_request(request_id, late, today=TODAY)
    assert refused.value.errors[0].field == "received_on"
    assert "書面を送った日" in refused.value.errors[0].message
    right = dataclasses.replace(request, case_number="令和8年(モ)第123号")
    t.correct_court_request(request_id, right, today=TODAY)
    latest = t.case(case_id).latest_request
    assert latest is not None and latest.request == right
    assert latest.report_sent_on == TODAY - dt.timedelta(days=1)  # the sending day stays
    actions = audit_entries(session)
    assert actions.count(("pursuit.correct", f"case:{case_id}")) == 1
    assert actions.count(("court_request.correct", f"case:{case_id}")) == 1


def test_an_order_ending_within_a_month_is_on_home_with_its_end(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    issued = dt.date(2025, 12, 10)  # ① ends 2026-12-09; ⑥ (2 months) ended long ago
    notice = OrderNotice(
        dt.date(2025, 12, 12), issued, ("approach_ban", "contact_ban", "eviction"), 2
    )
    order_id = t.add_order(case_id, notice, today=TODAY)
    assert home_lines(session, dt.date(2026, 11, 8)) == []
    assert home_lines(session, dt.date(2026, 11, 9)) == [
        (
            "order_end",
            "2026-0001",
            "保護命令: 接近禁止命令（②〜⑤も同時に終わります）が令和8（2026）年12月9日に"
            "終わります（あと30日）。本人と今後を確認してください",
        )
    ]
    assert home_lines(session, dt.date(2026, 12, 10)) == []
    t.add_breach(order_id, Breach(TODAY, "自宅の前で待っていた", True), today=TODAY)
    order = t.case(case_id).court_orders[0]
    assert order.notice.ends_on() == dt.date(2026, 12, 9)
    assert [b.breach.what for b in order.breaches] == ["自宅の前で待っていた"]
    actions = audit_entries(session)
    assert ("court_order.add", f"case:{case_id}") in actions
    assert ("court_order.breach", f"case:{case_id}") in actions


def test_an_order_notice_the_checks_refuse_writes_nothing(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    with pytest.raises(InvalidRecord) as refused:
        t.add_order(case_id, OrderNotice(TODAY, TODAY, ("eviction",), None), today=TODAY)
    assert str(refused.value) == "退去等命令の期間: 2か月か6か月を選んでください"
    assert query(session, "SELECT count(*) FROM court_orders") == [(0,)]


# --- 一時保護 -----------------------------------------------------------------------------------


def test_a_requested_shelter_waits_for_its_outcome_then_her_stay_is_followed(
    session: Any,
) -> None:
    intake = make_intake(day=TODAY)
    intake.shelter.requested = True
    tracking_of(session)
    case_id = session.records.save_intake(intake).case_id
    t = tracking_of(session)
    shelter = t.case(case_id).shelters[0]
    assert (shelter.outcome.route, shelter.outcome.status) == ("temporary_protection", "requested")
    assert [k for k, _, _ in home_lines(session)] == ["shelter_pending"]
    accepted = dataclasses.replace(
        shelter.outcome, status="accepted", decided_on=TODAY, entered_on=TODAY, children=1
    )
    t.save_shelter(case_id, accepted, outcome_id=shelter.id, today=TODAY)
    assert [k for k, _, _ in home_lines(session)] == ["shelter_staying"]
    left = dataclasses.replace(accepted, left_on=TODAY, afterwards="mother_child_facility")
    t.save_shelter(case_id, left, outcome_id=shelter.id, today=TODAY)
    assert home_lines(session) == []
    assert t.case(case_id).shelters[0].outcome == left
    # a follow-up that still carries the tick is the same request, not a new one
    follow = make_intake(day=TODAY)
    follow.shelter.requested = True
    session.records.save_intake(follow, case_id=case_id)
    assert len(t.case(case_id).shelters) == 1
    assert ("shelter_outcome.update", f"case:{case_id}") in audit_entries(session)


def test_a_mans_request_is_the_citys_emergency_stay(session: Any) -> None:
    intake = make_intake(day=TODAY, name="山田 太郎", kana="ヤマダ タロウ")
    intake.client.gender = "male"
    intake.shelter.requested = True
    tracking_of(session)
    case_id = session.records.save_intake(intake).case_id
    t = tracking_of(session)
    assert t.case(case_id).shelters[0].outcome.route == "emergency_stay"
    assert (
        home_lines(session)[0][2] == "緊急一時避難: 令和8（2026）年11月25日の依頼の結果が未記録です"
    )


# --- home names no client -----------------------------------------------------------------------


def test_home_lines_name_no_client(session: Any) -> None:
    applied = TODAY - dt.timedelta(days=5)
    case_id = new_case(session, support_on=applied)
    t = tracking_of(session)
    t.add_pursuit(case_id, pursuit(), today=TODAY)
    t.add_court_request(case_id, CourtRequest("さいたま地方裁判所", received_on=TODAY), today=TODAY)
    lines = home_lines(session)
    assert len(lines) == 3
    for _kind, number, text in lines:
        assert number == "2026-0001"
        for part in (NAME, *NAME.split(), "ヤマダ", "山田 太郎"):
            assert part not in text


def test_unknown_records_are_refused_in_japanese(session: Any) -> None:
    from intake_app.store.errors import RecordNotFound

    t = tracking_of(session)
    with pytest.raises(RecordNotFound):
        t.add_pursuit(999, pursuit(), today=TODAY)
    with pytest.raises(RecordNotFound):
        t.record_report_sent(999, TODAY, today=TODAY)


def test_a_follow_up_on_a_pursued_case_answers_r19_yes_rules_9_7(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    t.add_pursuit(case_id, pursuit(), today=TODAY)
    follow = make_intake(day=TODAY, answers={"R19": False})
    saved = session.records.save_intake(follow, case_id=case_id)
    assert follow.risk.answers["R19"] is True
    assert session.records.latest_intake(case_id).risk.answers["R19"] is True
    row = query(
        session, "SELECT risk_computed FROM consultations WHERE id = ?", (saved.consultation_id,)
    )
    assert row == [("high",)]  # R19 is a red flag (rules.md §9.7)


def test_the_police_answer_given_later_clears_the_home_line(session: Any) -> None:
    case_id = new_case(session)
    t = tracking_of(session)
    pursuit_id = t.add_pursuit(case_id, pursuit(), today=TODAY)
    with pytest.raises(InvalidRecord) as refused:
        t.set_pursuit_police(pursuit_id, None)
    assert str(refused.value) == "警察へ伝えたか: 「はい」か「いいえ」を選んでください"
    assert [k for k, _, _ in home_lines(session)] == ["pursuit_police"]
    t.set_pursuit_police(pursuit_id, True)
    assert t.case(case_id).pursuits[0].entry.police_told is True
    assert home_lines(session) == []
    assert ("pursuit.police", f"case:{case_id}") in audit_entries(session)


def test_retention_destroys_what_the_case_followed(vault: Any) -> None:
    """A case destroyed under retention takes its tracking rows with it (no orphan)."""
    from intake_app.store import retention

    applied = dt.date(2019, 4, 10)
    case_id = new_case(vault, day=applied, support_on=applied)
    t = tracking_of(vault)
    t.add_pursuit(case_id, pursuit(asked_at=dt.datetime(2019, 5, 1, 10, 0)), today=TODAY)
    request_id = t.add_court_request(
        case_id, CourtRequest("さいたま地方裁判所", received_on=dt.date(2019, 5, 2)), today=TODAY
    )
    t.record_report_sent(request_id, dt.date(2019, 5, 9), today=TODAY)
    order_id = t.add_order(
        case_id,
        OrderNotice(dt.date(2019, 6, 3), dt.date(2019, 6, 1), ("approach_ban",)),
        today=TODAY,
    )
    t.add_breach(order_id, Breach(dt.date(2019, 7, 1), "電話があった"), today=TODAY)
    t.save_shelter(
        case_id, ShelterOutcome("temporary_protection", dt.date(2019, 5, 1)), today=TODAY
    )
    measure = t.case(case_id).measure
    assert measure is not None
    t.end_measure(measure.id, MeasureEnd(dt.date(2020, 4, 9), "expired"), today=TODAY)
    vault.records.close_case(case_id, "支援終了", on=dt.date(2020, 5, 1))
    assert retention.destroy(vault, [case_id], TODAY) == 1
    for table in (
        "support_measure_checks",
        "pursuit_entries",
        "court_requests",
        "court_orders",
        "court_order_breaches",
        "shelter_outcomes",
    ):
        assert query(vault, f"SELECT count(*) FROM {table}") == [(0,)], table
