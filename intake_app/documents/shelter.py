"""一時保護 request sheet to the prefecture's women's support centre (rules.md §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import counselor_contact, letterhead, when
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.documents.fields import FIELDS, LOCATION_FIELDS
from intake_app.domain.model import LABELS, UNKNOWN_LABEL, Intake

PREFECTURAL_KINDS = ("prefectural_centre",)

# What a protection request needs to describe; the destination's whitelist still applies.
REQUEST_FIELDS = (
    "client.name",
    "client.kana",
    "client.date_of_birth",
    "client.gender",
    "client.nationality",
    "client.language",
    "client.disability",
    "client.pregnant",
    "client.safe_contact",
    "client.safe_contact.phone",
    "client.current_whereabouts",
    "relationship.type",
    "violence.types",
    "violence.threats",
    "violence.latest_incident",
    "violence.injuries",
    "violence.police_involvement",
)


def _yn(value: bool | None) -> str:
    return UNKNOWN_LABEL if value is None else ("あり" if value else "なし")


def shelter_request(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    advice: Any = None,
    risk_level: str | None = None,
    case_number: str = "",
) -> bytes:
    """The request as PDF bytes. ``advice`` is the domain's ShelterAdvice (reasons shown)."""
    if intake.shelter.client_wish == "does_not_wish":
        raise DocumentError("本人が一時保護を希望していないため、依頼票は作成できません")
    sender = _centre.sender(municipality)
    dest = _centre.first_of_kind(municipality, PREFECTURAL_KINDS)
    confirmed = False
    if dest is not None:
        allowed = set(dest.fields)
        for ref in intake.referrals:
            if ref.destination_id == dest.id and ref.whereabouts_confirmed:
                confirmed = True
    else:
        allowed = set(REQUEST_FIELDS) - LOCATION_FIELDS
    ids = [f for f in REQUEST_FIELDS if f in allowed and (f not in LOCATION_FIELDS or confirmed)]

    sheet = Sheet(Metadata(title="一時保護依頼票", author=sender.name))
    letterhead(
        sheet,
        title="一 時 保 護 依 頼 票",
        addressee=f"{dest.name if dest else '女性相談支援センター'}　御中",
        today=today,
        sender=sender,
        counselor=intake.consultation.counselor,
        reference=f"整理番号　{case_number}" if case_number else "",
    )
    sheet.para("下記の方について、本人の意思に基づき一時保護を依頼します。")
    sheet.heading("本人")
    sheet.fields([(FIELDS[f].label, FIELDS[f].render(intake)) for f in ids])

    sheet.heading("同伴する子ども")
    children = intake.household.children
    rows = []
    for index in intake.shelter.accompanying_children:
        if 0 <= index < len(children):
            c = children[index]
            rows.append(
                [
                    c.name or f"子ども{index + 1}",
                    f"{c.age}歳" if c.age is not None else "不明",
                    _yn(c.witnessed_violence),
                    _yn(c.directly_harmed),
                ]
            )
    if rows:
        sheet.grid(["氏名", "年齢", "暴力の目撃", "直接の被害"], rows, [70, 25, 39, 40])
    else:
        sheet.para("なし")

    sheet.heading("状況と判断")
    wish = intake.shelter.client_wish
    situation = [
        ("本人の意思", LABELS["shelter_wish"].get(wish, UNKNOWN_LABEL) if wish else UNKNOWN_LABEL),
        ("今夜の安全な居場所", _yn(intake.shelter.safe_place_tonight)),
        ("危険度", LABELS["level"].get(risk_level or "", UNKNOWN_LABEL)),
        ("相談日時", when(intake)),
        ("これまでの対応", intake.shelter.actions_taken or "なし"),
    ]
    recommendation = getattr(advice, "recommendation", None)
    if recommendation:
        situation.append(("センターの判断", _RECOMMENDATION.get(recommendation, recommendation)))
    sheet.fields(situation)
    reasons = [getattr(r, "text", str(r)) for r in getattr(advice, "reasons", ()) or ()]
    if reasons:
        sheet.heading("判断の理由")
        sheet.bullets(reasons)
    sheet.heading("連絡先（担当者）")
    counselor_contact(sheet, sender, intake.consultation.counselor)
    return sheet.build()


_RECOMMENDATION = {
    "immediate": "直ちに保護が必要",
    "recommend": "保護を勧める",
    "discuss": "本人と検討",
    "not_needed": "現時点では不要",
}
