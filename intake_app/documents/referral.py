"""Referral slip (連絡票): one destination, only its whitelisted fields (rules.md §7).

An official paper (``_official``): the 文書番号, the head of the centre as sender with
the seal box, 「記」 … 「以上」, and the counselor by 氏名 with the centre's number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre, _official
from intake_app.documents._dates import format_datetime
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.documents.fields import FIELDS, LOCATION_FIELDS, rows
from intake_app.domain.model import LABELS, Intake, Referral
from intake_app.domain.municipality import Destination
from intake_app.domain.rules import referrals

KIND = "referral_slip"
HANDLING_NOTE = (
    "この連絡票は本人の同意の範囲で作成しています。記載事項を相手方を含む第三者に"
    "開示しないでください。目的以外に使用せず、用が済んだら確実に廃棄してください。"
)
NOTIFICATION_NOTE = (
    "この連絡票は法令に基づく通告に伴うものです。記載事項を相手方を含む第三者に"
    "開示しないでください。"
)


def disclosed_fields(intake: Intake, referral: Referral, dest: Destination) -> list[str]:
    """Fields printed on the slip: the domain's decision (requested, whitelisted, and
    for the whereabouts and the address, confirmed), re-checked here against the
    whitelist and the confirmation, because the slip is the last gate."""
    allowed = set(referrals.allowed_fields(dest))
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
    document_number: _official.DocumentNumber,
    counselor: str,
    case_number: str = "",
) -> bytes:
    """The slip for ``referral.destination_id`` as PDF bytes.

    ``document_number``: the 文書番号 (or a function taking it, called only once the slip
    can be made); ``counselor``: the 氏名 of the counselor who sends it (a display name,
    never a login name). Refused (``DocumentError``) without consent, or when a setting
    the slip needs is empty."""
    dest = _centre.destination(municipality, referral.destination_id)
    consent = consent_text(referral, dest)
    if not referral.purpose.strip():
        raise DocumentError("連絡票を作成できません: 連絡の目的を入力してください")
    _official.check_settings(municipality, KIND, counselor=counselor, destination_id=dest.id)
    sender = _centre.sender(municipality)
    number = _official.issued(document_number)
    sheet = Sheet(Metadata(title="連絡票", author=sender.name))
    _official.letterhead(
        sheet,
        title="連絡票",
        addressee=f"{dest.name}　御中",
        today=today,
        sender=sender,
        number=number,
        reference=f"（整理番号　{case_number}）" if case_number else "",
    )
    sheet.para("下記の方について、次のとおり連絡します。")
    _official.ki(sheet)
    sheet.heading("1　連絡の目的")
    sheet.para(referral.purpose.strip())
    sheet.heading("2　お知らせする事項")
    ids = disclosed_fields(intake, referral, dest)
    if ids:
        sheet.fields(rows(intake, ids))
    else:
        sheet.para("本人の同意により、個人を特定する事項は記載していません。")
    sheet.heading("3　本人の同意")
    sheet.para(consent)
    _official.closing(sheet, sender, counselor)
    sheet.spacer(4)
    mandatory = referrals.is_mandatory_notification(referral, dest)
    sheet.para(NOTIFICATION_NOTE if mandatory else HANDLING_NOTE, small=True)
    return sheet.build()
