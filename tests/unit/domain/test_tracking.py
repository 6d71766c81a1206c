"""What a case follows after the consultation (issue 18): the records' checks, the
orders' ends and reminders, the 追及 reason for R19."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.domain.court import CourtRequest
from intake_app.domain.tracking import (
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    PursuitNote,
    ShelterOutcome,
    afterwards_choices,
    approach_ban_end,
    check_breach,
    check_confirmation,
    check_end,
    check_order,
    check_pursuit,
    check_report_sent,
    check_request,
    check_shelter,
    eviction_end,
    feed_r19,
    last_day,
    month_before,
    order_reminders,
    orders_label,
    pursuit_reason,
    shelter_route,
    shelter_topic,
)

TODAY = dt.date(2026, 12, 7)
ASKED = dt.datetime(2026, 12, 5, 14, 30)


def fields(errors):
    return [(e.field, e.message) for e in errors]


# --- the orders' ends (第10条, 民法第143条) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (dt.date(2026, 4, 1), 12, dt.date(2027, 3, 31)),
        (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 30)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),  # no 29 February: end of month
        (dt.date(2026, 12, 31), 2, dt.date(2027, 2, 28)),
        (dt.date(2026, 6, 15), 6, dt.date(2026, 12, 14)),
    ],
)
def test_a_period_ends_the_day_before_the_corresponding_day(start, months, last):
    assert last_day(start, months) == last


def test_the_approach_ban_lasts_a_year_and_eviction_two_or_six_months():
    issued = dt.date(2026, 10, 1)
    assert approach_ban_end(issued) == dt.date(2027, 9, 30)
    assert eviction_end(issued, 2) == dt.date(2026, 11, 30)
    assert eviction_end(issued, 6) == dt.date(2027, 3, 31)


def test_a_notice_ends_with_its_latest_order_and_reminds_a_month_before_each():
    notice = OrderNotice(
        notified_on=dt.date(2026, 10, 3),
        issued_on=dt.date(2026, 10, 1),
        orders=("approach_ban", "contact_ban", "eviction"),
        eviction_months=2,
    )
    assert notice.ends_on() == dt.date(2027, 9, 30)
    reminders = dict(order_reminders(notice))
    assert (reminders["eviction"].opens, reminders["eviction"].due) == (
        dt.date(2026, 10, 30),
        dt.date(2026, 11, 30),
    )
    ban = reminders["approach_ban"]
    assert (ban.opens, ban.due) == (dt.date(2027, 8, 30), dt.date(2027, 9, 30))
    assert not ban.shown(dt.date(2027, 8, 29))
    assert ban.shown(dt.date(2027, 8, 30)) and ban.shown(dt.date(2027, 9, 30))
    assert not ban.shown(dt.date(2027, 10, 1))
    assert month_before(dt.date(2027, 3, 30)) == dt.date(2027, 2, 28)
    assert orders_label(notice.orders) == "①接近禁止命令、②電話等禁止命令、⑥退去等命令"


def test_an_eviction_alone_has_no_approach_ban_end():
    notice = OrderNotice(dt.date(2026, 11, 2), dt.date(2026, 11, 1), ("eviction",), 6)
    assert notice.approach_ends_on() is None
    assert [code for code, _ in order_reminders(notice)] == ["eviction"]


# --- checks: one Japanese sentence per field ----------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (
            OrderNotice(TODAY, TODAY, ()),
            [("orders", "発令された命令: 一つ以上選んでください")],
        ),
        (
            OrderNotice(TODAY, TODAY, ("contact_ban",)),
            [("orders", "発令された命令: ②〜⑤は①接近禁止命令と一緒にだけ発令されます")],
        ),
        (
            OrderNotice(TODAY, TODAY, ("eviction",), 3),
            [("eviction_months", "退去等命令の期間: 2か月か6か月を選んでください")],
        ),
        (
            OrderNotice(dt.date(2026, 11, 30), dt.date(2026, 12, 1), ("approach_ban",)),
            [("notified_on", "通知を受けた日: 発令日（令和8（2026）年12月1日）より前の日付です")],
        ),
        (
            OrderNotice(None, TODAY + dt.timedelta(days=1), ("approach_ban",)),
            [
                ("notified_on", "通知を受けた日: 日付を入力してください"),
                ("issued_on", "発令日: 未来の日付は入力できません"),
            ],
        ),
    ],
)
def test_an_order_notice_is_refused_with_one_sentence_per_field(notice, expected):
    assert fields(check_order(notice, TODAY)) == expected


def test_a_valid_order_notice_passes():
    notice = OrderNotice(TODAY, TODAY - dt.timedelta(days=2), ("approach_ban", "eviction"), 6)
    assert check_order(notice, TODAY) == []


def pursuit(**changes):
    base = {
        "asked_at": ASKED,
        "counter": "市民課窓口",
        "asker": "兄と名乗る男性",
        "identity_check": "none",
    }
    base.update(changes)
    return PursuitEntry(**base)


def test_a_pursuit_entry_suggests_nothing_disclosed_and_leaves_the_police_open():
    entry = pursuit()
    assert entry.answer == "nothing" and entry.police_told is None
    assert check_pursuit(entry, TODAY) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"asked_at": None}, [("asked_at", "問い合わせの日時: 日付を入力してください")]),
        (
            {"asked_at": dt.datetime(2026, 12, 8, 9, 0)},
            [("asked_at", "問い合わせの日時: 未来の日付は入力できません")],
        ),
        ({"counter": " "}, [("counter", "窓口・部署: 受けた窓口か部署を入力してください")]),
        (
            {"asker": ""},
            [
                (
                    "asker",
                    "名乗った名前: 名乗った名前（名乗らなければ「名乗らず」）を入力してください",
                )
            ],
        ),
        ({"identity_check": None}, [("identity_check", "本人確認: 一覧から選んでください")]),
        (
            {"identity_check": "other"},
            [("identity_note", "本人確認のメモ: どう確認したかを入力してください")],
        ),
        ({"answer": "partial"}, [("answer_note", "伝えた内容: 何を伝えたかを入力してください")]),
        ({"counter": "窓" * 401}, [("counter", "窓口・部署: 400文字以内で入力してください")]),
    ],
)
def test_a_pursuit_entry_is_refused_with_the_field_named(changes, expected):
    assert fields(check_pursuit(pursuit(**changes), TODAY)) == expected


def test_a_court_request_needs_the_court_and_the_day_it_arrived():
    assert fields(check_request(CourtRequest(court=" "), TODAY)) == [
        ("court", "裁判所: 裁判所の名前を入力してください"),
        ("received_on", "受け取った日: 日付を入力してください"),
    ]
    late = CourtRequest(
        court="さいたま地方裁判所",
        requested_on=dt.date(2026, 12, 3),
        received_on=dt.date(2026, 12, 2),
    )
    assert fields(check_request(late, TODAY)) == [
        ("received_on", "受け取った日: 照会日（令和8（2026）年12月3日）より前の日付です")
    ]
    ok = CourtRequest(
        court="さいたま地方裁判所",
        division="民事第4部",
        case_number="令和8（2026）年(モ)第123号",
        requested_on=dt.date(2026, 12, 1),
        received_on=dt.date(2026, 12, 3),
    )
    assert check_request(ok, TODAY) == []


def test_the_report_is_not_sent_before_the_request_arrived():
    received = dt.date(2026, 12, 3)
    assert fields(check_report_sent(dt.date(2026, 12, 2), TODAY, received_on=received)) == [
        ("sent_on", "書面の送付日: 照会を受け取った日（令和8（2026）年12月3日）より前の日付です")
    ]
    assert fields(check_report_sent(None, TODAY, received_on=received)) == [
        ("sent_on", "書面の送付日: 日付を入力してください")
    ]
    assert check_report_sent(TODAY, TODAY, received_on=received) == []


def test_a_breach_needs_what_happened_after_the_order():
    issued = dt.date(2026, 11, 1)
    assert fields(check_breach(Breach(dt.date(2026, 10, 31), ""), TODAY, issued_on=issued)) == [
        ("occurred_on", "違反があった日: 発令日（令和8（2026）年11月1日）より前の日付です"),
        ("what", "違反の内容: 何があったかを入力してください"),
    ]
    assert check_breach(Breach(TODAY, "自宅の前で待っていた", True), TODAY, issued_on=issued) == []


def test_a_place_is_confirmed_on_a_day_by_phone_document_or_system():
    applied = dt.date(2026, 12, 1)
    assert check_confirmation(PlaceConfirmation(TODAY, "phone"), TODAY, applied_on=applied) == []
    assert fields(
        check_confirmation(
            PlaceConfirmation(dt.date(2026, 11, 30), "fax"), TODAY, applied_on=applied
        )
    ) == [
        ("confirmed_on", "確認日: 支援措置の申出日（令和8（2026）年12月1日）より前の日付です"),
        ("method", "確認の方法: 一覧から選んでください"),
    ]


def test_a_measure_ends_by_a_listed_reason():
    assert check_end(MeasureEnd(TODAY, "moved_out"), TODAY) == []
    assert fields(check_end(MeasureEnd(None, None), TODAY)) == [
        ("ended_on", "終了日: 日付を入力してください"),
        ("reason", "終了の理由: 一覧から選んでください"),
    ]


# --- 一時保護 / 緊急一時避難 ----------------------------------------------------------------------


def test_a_man_is_routed_to_the_citys_emergency_stay_and_offered_no_womens_facility():
    assert shelter_route("male") == "emergency_stay"
    assert shelter_route("female") == shelter_route(None) == "temporary_protection"
    assert shelter_topic("emergency_stay") == "緊急一時避難"
    assert "women_facility" not in afterwards_choices("emergency_stay")
    assert "women_facility" in afterwards_choices("temporary_protection")
    stay = ShelterOutcome(
        "emergency_stay",
        dt.date(2026, 11, 1),
        "accepted",
        entered_on=dt.date(2026, 11, 1),
        left_on=dt.date(2026, 11, 20),
        afterwards="women_facility",
    )
    assert fields(check_shelter(stay, TODAY)) == [
        ("afterwards", "退所後の行き先: 一覧から選んでください")
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"status": "declined"},
            [("declined_reason", "受け入れられなかった理由: 理由を入力してください")],
        ),
        ({"status": "accepted"}, [("entered_on", "入所日: 日付を入力してください")]),
        (
            {"entered_on": dt.date(2026, 11, 2)},
            [("entered_on", "入所日: 一時保護が受け入れられたときだけ入力します")],
        ),
        (
            {"status": "accepted", "entered_on": dt.date(2026, 11, 2), "afterwards": "relatives"},
            [("afterwards", "退所後の行き先: 退所日を入力してから選んでください")],
        ),
        (
            {"status": "accepted", "left_on": dt.date(2026, 11, 9)},
            [
                ("entered_on", "入所日: 日付を入力してください"),
                ("left_on", "退所日: 入所日を先に入力してください"),
            ],
        ),
        ({"persons": 0}, [("persons", "人数: 本人を含めて1〜20の数字で入力してください")]),
        ({"children": None}, [("children", "同伴児童: 0〜20の数字で入力してください")]),
    ],
)
def test_a_shelter_outcome_is_refused_with_the_field_named(changes, expected):
    base = {"route": "temporary_protection", "requested_on": dt.date(2026, 11, 1)}
    base.update(changes)
    assert fields(check_shelter(ShelterOutcome(**base), TODAY)) == expected


def test_a_stay_with_its_children_and_where_she_went_passes():
    outcome = ShelterOutcome(
        "temporary_protection",
        dt.date(2026, 11, 1),
        "accepted",
        decided_on=dt.date(2026, 11, 1),
        entered_on=dt.date(2026, 11, 1),
        left_on=dt.date(2026, 11, 30),
        persons=1,
        children=2,
        afterwards="mother_child_facility",
    )
    assert check_shelter(outcome, TODAY) == []


# --- 追及 feeds R19 ---------------------------------------------------------------------------


def test_the_pursuit_log_gives_r19_its_reason_with_the_latest_entry():
    assert pursuit_reason([]) is None
    reason = pursuit_reason(
        [PursuitNote(ASKED, "市民課窓口"), PursuitNote(ASKED - dt.timedelta(days=30), "税務課")]
    )
    assert reason is not None
    assert "追及の記録が2件" in reason.text and "令和8（2026）年12月5日、市民課窓口" in reason.text
    assert "R19" in reason.rule


def test_feeding_r19_only_raises_and_only_on_a_checklist_that_has_it():
    notes = [PursuitNote(ASKED, "市民課窓口")]
    answers = {"R19": None}
    assert feed_r19(answers, "risk-v2", notes) is not None
    assert answers == {"R19": True}
    assert feed_r19(answers, "risk-v2", notes) is None  # already yes: nothing to say
    assert feed_r19({"R01": True}, "risk-v1", notes) is None
    untouched = {"R19": False}
    assert feed_r19(untouched, "risk-v2", []) is None and untouched == {"R19": False}


def test_an_eviction_end_only_for_an_issued_eviction_order():
    assert OrderNotice(TODAY, None, ("eviction",), 2).eviction_ends_on() is None
    assert OrderNotice(TODAY, TODAY, ("approach_ban",)).eviction_ends_on() is None
    assert OrderNotice(TODAY, TODAY, ("eviction",)).eviction_ends_on() == eviction_end(TODAY, 2)
    assert OrderNotice(TODAY, TODAY, ("eviction",), 6).eviction_ends_on() == eviction_end(TODAY, 6)


def test_the_police_answer_must_be_yes_or_no():
    from intake_app.domain.tracking import check_police

    assert fields(check_police(None)) == [
        ("police_told", "警察へ伝えたか: 「はい」か「いいえ」を選んでください")
    ]
    assert check_police(True) == [] and check_police(False) == []


def test_one_sentence_per_field_even_when_two_checks_fail():
    from intake_app.domain.tracking import _Found

    found = _Found(TODAY)
    found.add("asked_at", "日時: 日付を入力してください")
    found.add("asked_at", "日時: 未来の日時は入力できません")
    assert fields(found.errors) == [("asked_at", "日時: 日付を入力してください")]
