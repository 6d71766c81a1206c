"""住民基本台帳事務における支援措置: expiry, renewal window, reminders (rules.md §5).

The measure lasts one year; renewal is accepted from one month before expiry and is not
automatic; it ends when the client moves to another municipality.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from intake_app.domain.japanese import wareki
from intake_app.domain.reasons import Reason

RULE = "住民基本台帳事務における支援措置（住民基本台帳事務処理要領）"
State = Literal["active", "renewal_open", "expired"]


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(applied_on: dt.date) -> dt.date:
    """The last day in force: the day before the anniversary (民法第143条: for 29 February,
    whose anniversary does not exist, the last day of February)."""
    year = applied_on.year + 1
    if applied_on.day > calendar.monthrange(year, applied_on.month)[1]:
        return dt.date(year, applied_on.month, calendar.monthrange(year, applied_on.month)[1])
    return applied_on.replace(year=year) - dt.timedelta(days=1)


def renewal_opens(applied_on: dt.date) -> dt.date:
    """The first day a renewal is accepted: one month before expiry."""
    return _add_months(expiry(applied_on), -1)


def renewal_due(applied_on: dt.date, today: dt.date) -> bool:
    """True inside the renewal window (from one month before expiry to expiry)."""
    return renewal_opens(applied_on) <= today <= expiry(applied_on)


@dataclass(frozen=True)
class SupportMeasureStatus:
    applied_on: dt.date
    expiry: dt.date
    renewal_opens: dt.date
    state: State
    days_left: int  # until expiry, negative once expired
    reasons: list[Reason] = field(default_factory=list)

    @property
    def reminder(self) -> bool:
        """Show a renewal reminder (the window is open or the measure has lapsed)."""
        return self.state != "active"


def status(applied_on: dt.date, today: dt.date) -> SupportMeasureStatus:
    """Where the measure stands on ``today``, with the reminder text."""
    end = expiry(applied_on)
    opens = renewal_opens(applied_on)
    days_left = (end - today).days
    state: State
    if today > end:
        state = "expired"
        text = (
            f"支援措置は{wareki(end)}で期間が終わっています。"
            "更新は自動ではないため、必要なら改めて申出が必要です"
        )
    elif today >= opens:
        state = "renewal_open"
        text = (
            f"支援措置の期限は{wareki(end)}です（あと{days_left}日）。"
            "更新の申出を受け付ける期間です（自動では更新されません）"
        )
    else:
        state = "active"
        text = f"支援措置の期限は{wareki(end)}です。更新の申出は{wareki(opens)}から受け付けます"
    reasons = [
        Reason(text, RULE),
        Reason("他の市区町村へ転出すると、この市の支援措置は終わります", RULE),
    ]
    return SupportMeasureStatus(applied_on, end, opens, state, days_left, reasons)
