import datetime as dt

import pytest

from intake_app.domain.model import AddressProtection, Child, Intake, JointApplicant
from intake_app.domain.rules.support_measure import (
    NOT_NOTIFIED,
    OPINION_CATEGORY,
    expiry,
    joint_applicant_names,
    measure_status,
    renewal_due,
    renewal_opens,
    status,
)

D = dt.date


@pytest.mark.parametrize(
    ("applied", "end", "opens"),
    [
        (D(2026, 4, 10), D(2027, 4, 9), D(2027, 3, 9)),
        (D(2026, 1, 1), D(2026, 12, 31), D(2026, 11, 30)),
        (D(2026, 3, 31), D(2027, 3, 30), D(2027, 2, 28)),
        (D(2024, 2, 29), D(2025, 2, 28), D(2025, 1, 28)),
        (D(2026, 12, 15), D(2027, 12, 14), D(2027, 11, 14)),
    ],
)
def test_one_year_and_renewal_from_one_month_before(applied, end, opens):
    assert expiry(applied) == end
    assert renewal_opens(applied) == opens
    assert renewal_due(applied, opens) is True
    assert renewal_due(applied, opens - dt.timedelta(days=1)) is False
    assert renewal_due(applied, end) is True
    assert renewal_due(applied, end + dt.timedelta(days=1)) is False


@pytest.mark.parametrize(
    ("today", "state", "reminder", "text"),
    [
        (
            D(2026, 6, 1),
            "active",
            False,
            "支援措置の期限は令和9（2027）年4月9日です。更新の申出は令和9（2027）年3月9日から受け付けます",
        ),
        (
            D(2027, 3, 9),
            "renewal_open",
            True,
            "支援措置の期限は令和9（2027）年4月9日です（あと31日）。更新の申出を受け付ける期間です",
        ),
        (
            D(2027, 4, 10),
            "expired",
            True,
            "支援措置は令和9（2027）年4月9日で期間が終わっています。更新は自動ではないため",
        ),
    ],
)
def test_status_and_reminders(today, state, reminder, text):
    result = status(D(2026, 4, 10), today, starts_on="applied")
    assert result.state == state
    assert result.reminder is reminder
    assert result.reasons[0].text.startswith(text)
    assert result.reasons[2].text == (
        "他の市区町村へ転出すると、この市の支援措置は終わります。"
        "転入先の市区町村で改めて申出が必要です"
    )
    assert result.days_left == (D(2027, 4, 9) - today).days


RULE_START = "住民基本台帳事務処理要領（要確認）・市区町村の設定"


@pytest.mark.parametrize(
    ("starts_on", "notified", "start", "counted_from", "basis"),
    [
        (
            "notified",
            D(2026, 4, 20),
            D(2026, 4, 20),
            "notified",
            "1年の期間は、市区町村が確認結果を本人に連絡した日（令和8（2026）年4月20日）から数えています",
        ),
        ("notified", None, D(2026, 4, 10), "applied", NOT_NOTIFIED),
        (
            "applied",
            D(2026, 4, 20),
            D(2026, 4, 10),
            "applied",
            "1年の期間は、申出を受理した日（令和8（2026）年4月10日）から数えています",
        ),
    ],
)
def test_the_municipality_setting_decides_which_date_starts_the_year_s9_11(
    starts_on, notified, start, counted_from, basis
):
    """rules.md §9.11 (住民基本台帳事務処理要領・要確認): both dates; the setting decides;
    without the notified date under "notified", 「連絡日が未記録のため申出日から計算しています」."""
    result = status(D(2026, 4, 10), D(2026, 6, 1), notified_on=notified, starts_on=starts_on)
    assert result.start == start
    assert result.counted_from == counted_from
    assert result.applied_on == D(2026, 4, 10)
    assert result.notified_on == notified
    assert result.expiry == expiry(start)
    assert result.renewal_opens == renewal_opens(start)
    assert result.reasons[1].text == basis
    assert result.reasons[1].rule == RULE_START
    assert NOT_NOTIFIED == "連絡日が未記録のため申出日から計算しています"


def test_renewal_opens_one_month_before_the_expiry_counted_from_the_notified_date_s9_11():
    """rules.md §5, §9.11: renewal from one month before expiry."""
    result = status(D(2026, 4, 10), D(2027, 3, 20), notified_on=D(2026, 4, 20))
    assert result.expiry == D(2027, 4, 19)
    assert result.renewal_opens == D(2027, 3, 19)
    assert result.state == "renewal_open"
    assert result.reminder is True


def test_measure_status_of_an_intake_s9_11():
    """rules.md §9.11: None until applied with an application date."""
    address = AddressProtection()
    assert measure_status(address, D(2026, 6, 1)) is None
    address.support_measure_applied = True
    address.notified_on = D(2026, 4, 20)
    assert measure_status(address, D(2026, 6, 1)) is None  # the application date is needed
    address.applied_on = D(2026, 4, 10)
    result = measure_status(address, D(2026, 6, 1))
    assert result is not None and result.start == D(2026, 4, 20)
    applied = measure_status(address, D(2026, 6, 1), "applied")
    assert applied is not None and applied.start == D(2026, 4, 10)


def test_those_asking_for_the_same_protection_are_named_s9_12():
    """rules.md §9.12: 併せて支援を求める者, from the children or by name."""
    intake = Intake()
    intake.household.children = [Child(name="山田 はな"), Child(name=" ")]
    intake.address.joint_applicants = [
        JointApplicant(child_index=0),
        JointApplicant(child_index=1),
        JointApplicant(child_index=5),  # no such child: left out
        JointApplicant(name="山田 ゆき"),
        JointApplicant(name="  "),
    ]
    assert joint_applicant_names(intake) == ["山田 はな", "子ども2人目", "山田 ゆき"]
    assert OPINION_CATEGORY == "DV被害者"
