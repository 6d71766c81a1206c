"""The centre's written report to the court (配偶者暴力防止法第14条第2項, rules.md §2.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import in_person, letterhead, when
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.domain.model import UNKNOWN_LABEL, Intake


def court_report(
    consultations: Sequence[Intake],
    municipality: Any,
    *,
    today: dt.date,
    court_case: str = "",
    court_name: str = "",
) -> bytes:
    """The report as PDF bytes, from the case's in-person consultations (oldest first).

    Phone-only consultations do not count as consultation for an application
    (rules.md §2.4) and are left out; without an in-person one there is nothing to
    report and a ``DocumentError`` says so.
    """
    visits = sorted(
        in_person(consultations),
        key=lambda c: c.consultation.started_at or dt.datetime.min,
    )
    if not visits:
        raise DocumentError("面接による相談の記録がないため、書面を作成できません")
    sender = _centre.sender(municipality)
    court = _centre.court(municipality)
    name = court_name or (court.name if court else "") or "地方裁判所"
    latest = visits[-1]
    sheet = Sheet(Metadata(title="相談等の状況についての書面", author=sender.name))
    letterhead(
        sheet,
        title="配偶者暴力相談支援センターにおける相談等の状況について",
        addressee=f"{name}　御中",
        today=today,
        sender=sender,
        reference=f"事件番号　{court_case}" if court_case else "",
    )
    sheet.para(
        "配偶者からの暴力の防止及び被害者の保護等に関する法律第14条第2項の規定に基づき、"
        "申立人が当センターに相談し又は援助若しくは保護を求めた際の状況及びこれに対して"
        "執られた措置の内容について、下記のとおり回答します。"
    )
    sheet.heading("申立人")
    client = latest.client
    sheet.fields(
        [
            ("氏名", client.name or UNKNOWN_LABEL),
            ("ふりがな", client.kana or UNKNOWN_LABEL),
            ("生年月日", format_date(client.date_of_birth)),
            ("相手方", latest.relationship.perpetrator_name or UNKNOWN_LABEL),
        ]
    )
    sheet.heading("相談等の状況及び執られた措置")
    for n, c in enumerate(visits, 1):
        sheet.para(f"（{n}）")
        sheet.fields(
            [
                ("相談先", sender.name),
                ("日時", when(c)),
                ("場所", c.consultation.place or sender.name),
                ("相談の方法", "来所" if c.consultation.channel == "visit" else "同行"),
                ("対応者", c.consultation.counselor or UNKNOWN_LABEL),
                ("相談内容", c.consultation.content or UNKNOWN_LABEL),
                ("執られた措置", c.consultation.measures or "特になし"),
            ]
        )
        sheet.spacer(2)
    sheet.spacer(4)
    sheet.para(f"以上　（{sender.name}　電話 {sender.phone}）", small=True)
    return sheet.build()
