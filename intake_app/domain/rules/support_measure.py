"""住民基本台帳事務における支援措置: expiry, renewal window, reminders (rules.md §5, §9.11,
§9.12).

The measure lasts one year; renewal is accepted from one month before expiry and is not
automatic; it ends when the client moves to another municipality. Which day starts the year
is the municipality's ``support_measure_starts_on``: the day it told the client that the
measure applies (確認結果の連絡日, "notified", the default) or the day it accepted the
application (申出日, "applied"). The application date is always needed; while the notified
date is not recorded under "notified", the year is counted from the application date and the
reasons say so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from intake_app.domain.japanese import wareki
from intake_app.domain.model import AddressProtection, Child, Intake
from intake_app.domain.municipality import SupportMeasureStart
from intake_app.domain.reasons import Reason

RULE = "住民基本台帳事務における支援措置（住民基本台帳事務処理要領）"
START_RULE = "住民基本台帳事務処理要領（要確認）・市区町村の設定"
State = Literal["active", "renewal_open", "expired"]
NOT_NOTIFIED = "連絡日が未記録のため申出日から計算しています"
# What the centre's opinion states about the client (rules.md §9.12): the category only.
OPINION_CATEGORY = "DV被害者"


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(start: dt.date) -> dt.date:
    """The last day in force of a year starting on ``start``: the day before the anniversary
    (民法第143条: for 29 February, whose anniversary does not exist, the last day of
    February)."""
    year = start.year + 1
    if start.day > calendar.monthrange(year, start.month)[1]:
        return dt.date(year, start.month, calendar.monthrange(year, start.month)[1])
    return start.replace(year=year) - dt.timedelta(days=1)


def renewal_opens(start: dt.date) -> dt.date:
    """The first day a renewal is accepted: one month before expiry."""
    return _add_months(expiry(start), -1)


def renewal_due(start: dt.date, today: dt.date) -> bool:
    """True inside the renewal window (from one month before expiry to expiry)."""
    return renewal_opens(start) <= today <= expiry(start)


@dataclass(frozen=True)
class SupportMeasureStatus:
    applied_on: dt.date  # 申出日
    expiry: dt.date
    renewal_opens: dt.date
    state: State
    days_left: int  # until expiry, negative once expired
    reasons: list[Reason] = field(default_factory=list)
    notified_on: dt.date | None = None  # 確認結果の連絡日
    start: dt.date | None = None  # the day the year is counted from (set by ``status``)
    counted_from: SupportMeasureStart = "applied"  # which of the two dates ``start`` is

    @property
    def reminder(self) -> bool:
        """Show a renewal reminder (the window is open or the measure has lapsed)."""
        return self.state != "active"


def start_of(
    applied_on: dt.date,
    notified_on: dt.date | None,
    starts_on: SupportMeasureStart = "notified",
) -> tuple[dt.date, SupportMeasureStart, Reason]:
    """The day the year starts, which of the two dates it is, and the reason line."""
    if starts_on == "applied":
        return applied_on, "applied", _start_reason("申出を受理した日", applied_on)
    if notified_on is not None:
        return (
            notified_on,
            "notified",
            _start_reason("市区町村が確認結果を本人に連絡した日", notified_on),
        )
    return applied_on, "applied", Reason(NOT_NOTIFIED, START_RULE)


def _start_reason(what: str, day: dt.date) -> Reason:
    return Reason(f"1年の期間は、{what}（{wareki(day)}）から数えています", START_RULE)


def status(
    applied_on: dt.date,
    today: dt.date,
    *,
    notified_on: dt.date | None = None,
    starts_on: SupportMeasureStart = "notified",
) -> SupportMeasureStatus:
    """Where the measure stands on ``today``, with the reminder text."""
    start, counted_from, basis = start_of(applied_on, notified_on, starts_on)
    end = expiry(start)
    opens = renewal_opens(start)
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
        basis,
        Reason(
            "他の市区町村へ転出すると、この市の支援措置は終わります。"
            "転入先の市区町村で改めて申出が必要です",
            RULE,
        ),
    ]
    return SupportMeasureStatus(
        applied_on, end, opens, state, days_left, reasons, notified_on, start, counted_from
    )


def measure_status(
    address: AddressProtection, today: dt.date, starts_on: SupportMeasureStart = "notified"
) -> SupportMeasureStatus | None:
    """The status of an intake's 支援措置 (None: not applied, or no application date yet)."""
    if not address.support_measure_applied or address.applied_on is None:
        return None
    return status(address.applied_on, today, notified_on=address.notified_on, starts_on=starts_on)


def joint_applicants(intake: Intake) -> list[tuple[str, Child | None]]:
    """併せて支援を求める者 as the opinion lists them: ``(name, child)``, a child of the
    household by its recorded name (or 「子ども2人目」) with the ``Child``, another person by
    name with None; entries pointing nowhere are left out."""
    children = intake.household.children
    people: list[tuple[str, Child | None]] = []
    for person in intake.address.joint_applicants:
        if person.child_index is not None:
            if 0 <= person.child_index < len(children):
                child = children[person.child_index]
                people.append((child.name.strip() or f"子ども{person.child_index + 1}人目", child))
        elif person.name.strip():
            people.append((person.name.strip(), None))
    return people


def joint_applicant_names(intake: Intake) -> list[str]:
    """併せて支援を求める者 as the opinion names them (``joint_applicants``' names)."""
    return [name for name, _child in joint_applicants(intake)]
