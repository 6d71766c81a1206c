"""Referral slip (連絡票): one destination, only its whitelisted fields (rules.md §7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import counselor_contact, letterhead
from intake_app.documents._dates import format_datetime
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.documents.fields import FIELDS, LOCATION_FIELDS
from intake_app.domain.model import LABELS, Intake, Referral
from intake_app.domain.municipality import Destination
from intake_app.domain.rules import referrals

HANDLING_NOTE = (
    "この連絡票は本人の同意の範囲で作成しています。記載事項を相手方を含む第三者に"
    "開示しないでください。目的以外に使用せず、用が済んだら確実に廃棄してください。"
)


def disclosed_fields(intake: Intake, referral: Referral, dest: Destination) -> list[str]:
    """Fields printed on the slip: the domain's decision (requested, whitelisted, and
    for the whereabouts and the address, confirmed), re-checked here against the
    whitelist and the confirmation, because the slip is the last gate."""
    allowed = set(dest.fields)
    out: list[str] = []
    for field_id in referrals.disclosed(referral, dest):
        if field_id not in allowed or field_id not in FIELDS or field_id in out:
            continue
        if field_id in LOCATION_FIELDS and not referral.whereabouts_confirmed:
            continue
        out.append(field_id)
    return out


def consent_text(referral: Referral, dest: Destination) -> str:
    """The consent line; a referral that still lacks consent cannot be printed."""
    problems = referrals.consent_problems(referral, dest)
    if problems:
        raise DocumentError("連絡票を作成できません: " + "／".join(problems))
    if referrals.is_mandatory_notification(referral, dest):
        return "法令に基づく通告のため、本人の同意を要しません（児童虐待の防止等に関する法律第6条）"
    method = LABELS["consent_method"].get(referral.consent_method or "", "方法未記録")
    return f"本人の同意あり（{method}、{format_datetime(referral.consent_at)}）"


def referral_slip(
    intake: Intake,
    municipality: Any,
    referral: Referral,
    *,
    today: dt.date,
    case_number: str = "",
) -> bytes:
    """The slip for ``referral.destination_id`` as PDF bytes."""
    dest = _centre.destination(municipality, referral.destination_id)
    sender = _centre.sender(municipality)
    consent = consent_text(referral, dest)
    sheet = Sheet(Metadata(title="連絡票", author=sender.name))
    letterhead(
        sheet,
        title="連　絡　票",
        addressee=f"{dest.name}　御中",
        today=today,
        sender=sender,
        counselor=intake.consultation.counselor,
        reference=f"整理番号　{case_number}" if case_number else "",
    )
    sheet.heading("連絡の目的")
    sheet.para(referral.purpose or "（未記入）")
    sheet.heading("お知らせする事項")
    ids = disclosed_fields(intake, referral, dest)
    if ids:
        sheet.fields([(FIELDS[f].label, FIELDS[f].render(intake)) for f in ids])
    else:
        sheet.para("本人の同意により、個人を特定する事項は記載していません。")
    sheet.heading("本人の同意")
    sheet.para(consent)
    sheet.heading("連絡先（担当者）")
    counselor_contact(sheet, sender, intake.consultation.counselor)
    sheet.spacer(4)
    sheet.para(HANDLING_NOTE, small=True)
    return sheet.build()
