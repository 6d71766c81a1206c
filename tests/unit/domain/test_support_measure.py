import datetime as dt

import pytest

from intake_app.domain.rules.support_measure import expiry, renewal_due, renewal_opens, status

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
    result = status(D(2026, 4, 10), today)
    assert result.state == state
    assert result.reminder is reminder
    assert result.reasons[0].text.startswith(text)
    assert result.reasons[1].text == "他の市区町村へ転出すると、この市の支援措置は終わります"
    assert result.days_left == (D(2027, 4, 9) - today).days
