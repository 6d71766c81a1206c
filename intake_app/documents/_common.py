"""Pieces several documents share: the letterhead and the consultation lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from intake_app.documents._centre import Sender
from intake_app.documents._dates import format_date, format_datetime
from intake_app.documents._layout import Sheet
from intake_app.domain.model import LABELS, Intake

IN_PERSON_CHANNELS = ("visit", "accompanied")
SENSITIVE_WORDS = ("DV", "ＤＶ", "暴力", "配偶者")


def letterhead(
    sheet: Sheet,
    *,
    title: str,
    addressee: str,
    today: dt.date,
    sender: Sender,
    counselor: str = "",
    reference: str = "",
) -> None:
    """Title, addressee (left) and the dated sender block (right)."""
    sheet.title(title)
    right = []
    if reference:
        right.append(reference)
    right.append(format_date(today))
    right.append(sender.name)
    if counselor:
        right.append(f"担当　{counselor}")
    if sender.phone:
        right.append(f"電話　{sender.phone}")
    if addressee:
        sheet.para(addressee)
    sheet.right(right)
    sheet.spacer(3)


def in_person(consultations: Sequence[Intake]) -> list[Intake]:
    """Consultations that count as prior consultation (rules.md §2.4: not phone-only)."""
    return [c for c in consultations if c.consultation.channel in IN_PERSON_CHANNELS]


def channel_label(intake: Intake) -> str:
    ch = intake.consultation.channel
    return LABELS["channel"].get(ch, "不明") if ch else "不明"


def when(intake: Intake) -> str:
    return format_datetime(intake.consultation.started_at)
