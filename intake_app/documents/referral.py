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

HANDLING_NOTE = (
    "この連絡票は本人の同意の範囲で作成しています。記載事項を相手方を含む第三者に"
    "開示しないでください。目的以外に使用せず、用が済んだら確実に廃棄してください。"
)


def _requested_fields(referral: Referral, dest: _centre.Destination) -> list[str]:
    """The domain's decision when it is available; else the counselor's choice."""
    try:
        from intake_app.domain.rules import referrals as rules  # type: ignore[attr-defined]
    except ImportError:
        rules = None
    if rules is not None and hasattr(rules, "disclosed"):
        return list(rules.disclosed(referral, dest.raw))
    return list(referral.fields) if referral.fields else list(dest.fields)


def disclosed_fields(intake: Intake, referral: Referral, dest: _centre.Destination) -> list[str]:
    """Fields printed on the slip: requested AND whitelisted AND known here.

    The whereabouts of a client, and the address of one who fled (or may have),
    need the counselor's explicit confirmation on top of the whitelist. This check
    is repeated here whatever the rules module decided: a slip is the last gate.
    """
    allowed = set(dest.fields)
    out: list[str] = []
    for field_id in _requested_fields(referral, dest):
        if field_id not in allowed or field_id not in FIELDS or field_id in out:
            continue
        if field_id in LOCATION_FIELDS and not referral.whereabouts_confirmed:
            if field_id == "client.current_whereabouts" or intake.client.fled is not False:
                continue
        out.append(field_id)
    return out


def consent_text(referral: Referral, dest: _centre.Destination | None = None) -> str:
    no_consent_needed = dest is not None and getattr(dest.raw, "consent_required", True) is False
    if referral.mandatory or no_consent_needed:
        return "法令に基づく通告のため、本人の同意を要しません（児童虐待の防止等に関する法律第6条）"
    if not referral.consent:
        raise DocumentError("本人の同意が記録されていないため、連絡票を作成できません")
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
