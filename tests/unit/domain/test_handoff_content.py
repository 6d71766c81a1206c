"""What a package carries: exactly the chosen fields, checked strictly on arrival, and
what the receiving centre sees and starts from."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from intake_app.documents.samples import synthetic_case
from intake_app.domain import handoff_content as hc
from intake_app.domain.handoff_format import HandoffError

TODAY = dt.date(2026, 11, 25)


def sources() -> list[hc.SourceConsultation]:
    first, second = synthetic_case(TODAY)
    second.risk.answers = {"R01": True, "R02": None}
    out = []
    for i, intake in enumerate((first, second)):
        out.append(
            hc.SourceConsultation(
                consulted_on=TODAY - dt.timedelta(days=14 - 14 * i),
                kind="dv",
                channel=intake.consultation.channel,
                intake=intake,
                risk=hc.StoredRisk("risk-v1", "high", "urgent", 3, ["R01"], "urgent", "理由"),
                decisions=hc.StoredDecisions(
                    "recommend", "wishes", True, True, ["approach_ban", "eviction"], None, "apply"
                )
                if i
                else hc.StoredDecisions(None, None, False, False, [], "来所が必要", None),
            )
        )
    return out


def build(fields: tuple[str, ...], **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "fields": fields,
        "support_measure": hc.SourceMeasure(dt.date(2026, 6, 1), dt.date(2027, 5, 31)),
        "do_not_disclose": True,
        "counter_note": "電話には答えない",
        "risk_reasons": lambda answers: [f"{len(answers.answers)} 項目"],
    }
    values.update(kw)
    return hc.build_content("2026-0007", sources(), **values)


ALL = hc.choose_fields(hc.OPTIONAL_FIELDS)


def test_choose_fields_keeps_the_minimum_and_refuses_unknown_ids() -> None:
    assert hc.choose_fields() == tuple(hc.MINIMUM_FIELDS)
    assert hc.choose_fields(["consultation.content"])[-1] == "consultation.content"
    assert set(ALL) == hc.KNOWN_FIELDS
    with pytest.raises(HandoffError, match=r"client\.secret"):
        hc.choose_fields(["client.secret"])


def test_the_minimum_carries_no_more_than_the_minimum() -> None:
    content = build(hc.choose_fields())
    hc.check_content(content, hc.choose_fields())
    assert set(content["client"]) == {"name", "kana", "date_of_birth", "safe_contact"}
    assert "school" not in content["children"][0]
    assert "relationship" not in content and "relatives" not in content
    assert set(content["consultations"][1]) == {
        "consulted_on", "kind", "channel", "risk", "protection_order"
    }  # fmt: skip
    assert content["consultations"][0]["risk"]["reasons"] == ["0 項目"]
    assert content["support_measure"] == {
        "applied_on": "2026-06-01",
        "expires_on": "2027-05-31",
        "notified_on": None,
    }


def test_every_field_when_everything_is_chosen() -> None:
    content = build(ALL)
    hc.check_content(content, ALL)
    assert content["client"]["current_whereabouts"] and content["client"]["address"]
    assert content["children"][0]["school"]
    assert content["child_notifications"][0]["notified_to"]
    assert content["relationship"]["perpetrator_name"]
    last = content["consultations"][1]
    for key in ("violence_types", "threats", "latest_incident", "injuries", "shelter", "content"):
        assert key in last


def test_without_reasons_or_a_measure() -> None:
    content = build(hc.choose_fields(), risk_reasons=None, support_measure=None)
    assert content["consultations"][0]["risk"]["reasons"] == []
    assert content["support_measure"] is None
    hc.check_content(content, hc.choose_fields())


def test_a_case_without_consultations_cannot_go() -> None:
    with pytest.raises(HandoffError, match="送れる相談記録"):
        hc.build_content(
            "2026-0001", [], fields=(), support_measure=None, do_not_disclose=False, counter_note=""
        )


def _broken(content: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(content)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["client", "address"], "見本町"),  # a field nobody chose
        (["client", "secret"], "x"),
        (["client", "name"], None),
        (["client", "name"], "x" * 20_001),
        (["client", "date_of_birth"], "昨日"),
        (["client", "date_of_birth"], 19900401),
        (["client", "safe_contact", "may_call"], "yes"),
        (["children", 0, "age"], True),
        (["children", 0, "age"], -1),
        (["children"], {"0": {}}),
        (["children"], [{}] * 1001),
        (["consultations"], []),
        (["consultations", 0, "risk", "answers"], []),
        (["consultations", 0, "risk", "answers"], {"R01": "yes"}),
        (["consultations", 0, "risk", "yes_count"], "3"),
        (["consultations", 0, "consulted_on"], None),
        (["support_measure"], "2026-06-01"),
        (["case_number"], KeyError),
        (["client"], []),
    ],
)
def test_check_content_refuses(path: list[Any], value: Any) -> None:
    content = build(hc.choose_fields())
    with pytest.raises(HandoffError) as err:
        hc.check_content(_broken(content, path, value), hc.choose_fields())
    assert err.value.reason == "malformed"


def test_seed_intake_carries_who_and_how_to_reach_her() -> None:
    content = build(ALL)
    seed = hc.seed_intake(content)
    assert seed.client.name == "見本　花子"
    assert seed.client.date_of_birth == dt.date(1990, 4, 1)
    assert seed.client.safe_contact.phone == "090-0000-0000"
    assert seed.household.children[0].school == "見本小学校"
    assert seed.relationship.perpetrator_name == "見本　太郎"
    assert seed.address.do_not_disclose and not seed.address.support_measure_applied
    assert seed.risk.answers == {"R01": True, "R02": None}
    assert seed.consultation.language == "日本語"
    bare = hc.seed_intake(build(hc.choose_fields()))
    assert bare.client.address == "" and bare.relationship.perpetrator_name == ""
    assert hc.seed_intake({"client": {}, "consultations": [{}]}).client.name == ""


def test_latest_risk_and_caution() -> None:
    content = build(hc.choose_fields())
    assert hc.latest_risk(content) == "urgent"
    assert hc.latest_risk({"consultations": [{"risk": {"final": "odd"}}]}) is None
    assert hc.latest_risk({"consultations": []}) is None
    assert hc.needs_caution(content, TODAY)
    quiet = {"do_not_disclose": False, "support_measure": {"expires_on": "2026-01-01"}}
    assert not hc.needs_caution(quiet, TODAY)
    quiet["support_measure"] = {"expires_on": "2027-01-01"}
    assert hc.needs_caution(quiet, TODAY)
    assert not hc.needs_caution({}, TODAY)


def test_summary_and_rows_for_the_review() -> None:
    content = build(ALL)
    lines = dict(hc.summary_lines(content))
    assert lines["氏名"] == "見本　花子"
    assert "090-0000-0000" in lines["安全な連絡先"] and "電話可" in lines["安全な連絡先"]
    assert "見本小学校" in lines["子ども1"]
    assert lines["追及注意"] == "あり" and lines["窓口への申し送り"] == "電話には答えない"
    assert lines["相手との関係"] == "配偶者（法律婚）"
    assert "2027-05-31" in lines["支援措置（引継ぎ元の市区町村）"]
    assert lines["危険のある親族"] == "いいえ"
    assert "児童通告" in lines
    rows = hc.consultation_rows(content)
    assert [r["channel"] for r in rows] == ["電話", "来所"]
    assert rows[1]["protection_order"] == "対象（接近禁止命令、退去等命令）・申立てる意向"
    # the first consultation stored 対象外 while answers that could make it eligible were
    # still missing (advice saved before the state was kept): 判断待ち (rules.md §8.8)
    assert rows[0]["protection_order"] == "判断待ち"
    assert rows[1]["risk"] == "緊急" and "依頼済み" in rows[1]["shelter"]
    for word in ("危険度の理由", "判断の理由", "暴力", "脅迫", "最近の出来事", "けが", "警察"):
        assert word in rows[1]["details"]
    assert "相談内容" in rows[1]["details"] and "講じた措置" in rows[1]["details"]


def test_a_stored_not_eligible_stays_not_eligible_where_the_rules_say_so() -> None:
    """A relationship the law does not cover (a parent, a sibling): 対象外 is right and
    is kept; the same stored answer with the relationship unknown is 判断待ち."""
    found = sources()
    found[0].intake.relationship.type = "family_member"
    extra = {"support_measure": None, "do_not_disclose": False, "counter_note": ""}
    content = hc.build_content("2026-0007", found, fields=ALL, **extra)
    assert content["consultations"][0]["protection_order"]["eligible"] is False
    assert hc.consultation_rows(content)[0]["protection_order"] == "対象外"
    found[0].intake.relationship.type = None
    content = hc.build_content("2026-0007", found, fields=ALL, **extra)
    assert hc.consultation_rows(content)[0]["protection_order"] == "判断待ち"


def test_summary_of_sparse_content() -> None:
    content = {
        "case_number": "1",
        "client": {"name": "", "gender": None, "aliases": ["旧姓"], "safe_contact": {}},
        "children": [{"name": "", "age": None}],
        "relationship": {"perpetrator_name": ""},
        "support_measure": None,
        "do_not_disclose": False,
        "consultations": [
            {"kind": None, "protection_order": {"eligible": None}, "needs": ["housing"],
             "needs_note": "住まい", "shelter": {"recommendation": None, "requested": False}}
        ],
    }  # fmt: skip
    lines = dict(hc.summary_lines(content))
    assert lines["氏名"] == "不明・回答なし" and lines["旧姓・通称"] == "旧姓"
    assert lines["安全な連絡先"] == "不明・回答なし"
    assert "（氏名なし）" in lines["子ども1"] and "年齢不明" in lines["子ども1"]
    assert lines["相手の氏名"] == "不明・回答なし"
    assert lines["支援措置（引継ぎ元の市区町村）"] == "なし"
    row = hc.consultation_rows(content)[0]
    assert row["kind"] == "不明・回答なし" and row["protection_order"] == "判断待ち"
    assert "住居" in row["details"] and "住まい" in row["details"] and row["shelter"] == ""
    assert hc.client_name(content) == ""


def test_only_what_is_chosen_even_below_the_minimum() -> None:
    """The builder copies exactly ``fields``: without a part, nothing of it goes."""
    bare = [
        hc.SourceConsultation(c.consulted_on, c.kind, c.channel, c.intake, None, None)
        for c in sources()
    ]
    bare[-1].intake.client.date_of_birth = None
    content = hc.build_content(
        "2026-0001",
        bare,
        fields=("client.name", "client.date_of_birth", "risk.history"),
        support_measure=None,
        do_not_disclose=False,
        counter_note="",
    )
    assert content["client"] == {"name": "見本　花子", "date_of_birth": None}
    assert set(content) == {"case_number", "client", "consultations"}
    assert all(set(c) == {"consulted_on", "kind", "channel"} for c in content["consultations"])
    lines = dict(hc.summary_lines(content))
    assert "安全な連絡先" not in lines and "追及注意" not in lines
    assert hc.consultation_rows(content)[0]["protection_order"] == ""


def test_a_mans_case_never_names_the_shelter_part_by_ichiji_hogo_rules_9_9() -> None:
    assert hc.field_label("shelter.history", "male") == "緊急一時避難の経過"
    assert hc.field_label("shelter.history", "female") == "一時保護の経過"
    assert hc.field_label("shelter.history", None) == "一時保護・避難の経過"
    assert hc.field_label("client.name", "male") == hc.HANDOFF_FIELDS["client.name"]
    assert hc.field_label("no.such.field") == "no.such.field"
