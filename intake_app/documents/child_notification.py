"""Record of a mandatory child notification (面前DV, 児童虐待防止法第6条, rules.md §6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import letterhead, when
from intake_app.documents._dates import format_datetime
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.fields import FIELDS
from intake_app.domain.model import UNKNOWN_LABEL, Intake

CHILD_KINDS = ("child_department", "child_guidance")


def _yn(value: bool | None) -> str:
    return UNKNOWN_LABEL if value is None else ("あり" if value else "なし")


def child_notification_record(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    advice: Any = None,
) -> bytes:
    """The record as PDF bytes. ``advice`` is the domain's ChildNotificationAdvice; its
    ``child_indexes`` pick the children concerned (all children when absent)."""
    sender = _centre.sender(municipality)
    dest = _centre.first_of_kind(municipality, CHILD_KINDS)
    note = intake.household.child_notification
    children = intake.household.children
    indexes = list(getattr(advice, "child_indexes", None) or range(len(children)))
    addressee = (note.notified_to if note else "") or (dest.name if dest else "子ども担当課")
    sheet = Sheet(Metadata(title="児童に関する通告の記録", author=sender.name))
    letterhead(
        sheet,
        title="児童虐待の防止等に関する法律第6条に基づく通告の記録",
        addressee=f"{addressee}　御中",
        today=today,
        sender=sender,
        counselor=intake.consultation.counselor,
    )
    sheet.para(
        "児童が同居する家庭における配偶者に対する暴力は児童への心理的虐待にあたるため"
        "（同法第2条第4号）、下記のとおり通告しました。本通告は法令に基づくもので、"
        "本人の同意を要しません。"
    )
    sheet.heading("対象の児童")
    rows = []
    for i in indexes:
        if 0 <= i < len(children):
            c = children[i]
            rows.append(
                [
                    c.name or f"子ども{i + 1}",
                    f"{c.age}歳" if c.age is not None else "不明",
                    c.school or "",
                    _yn(c.witnessed_violence),
                    _yn(c.directly_harmed),
                ]
            )
    sheet.grid(
        ["氏名", "年齢", "学校・園", "暴力の目撃", "直接の被害"],
        rows or [["—"] * 5],
        [40, 18, 52, 32, 32],
    )
    sheet.heading("通告")
    sheet.fields(
        [
            ("通告先", (note.notified_to if note else "") or "（未記録）"),
            ("通告日時", format_datetime(note.notified_at) if note else "（未記録）"),
            ("方法", (note.method if note else "") or "（未記録）"),
            ("備考", (note.note if note else "") or ""),
        ]
    )
    sheet.heading("把握した状況")
    sheet.fields(
        [
            ("保護者（相談者）", FIELDS["client.name"].render(intake)),
            ("相談日時", when(intake)),
            ("暴力の種類", FIELDS["violence.types"].render(intake)),
        ]
    )
    reasons = [getattr(r, "text", str(r)) for r in getattr(advice, "reasons", ()) or ()]
    if reasons:
        sheet.heading("判断の理由")
        sheet.bullets(reasons)
    return sheet.build()
