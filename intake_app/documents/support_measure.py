"""The centre's opinion for a 支援措置 application (住民基本台帳事務, rules.md §5, §9.12).

What 市民課 needs to apply the measure, and nothing else: the category (DV被害者), the
applicant, those who share her address and ask for the same protection (併せて支援を求める
者), the perpetrator (name, date of birth, address: the register is watched for his
requests), the day she first consulted the centre, the opinion, and whom to call back.
Never the client's address (the application form she fills in carries it, and this paper
may be handled at a public counter) and no consultation content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre, _official
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.fields import FIELDS, perpetrator_birth, perpetrator_name
from intake_app.domain.model import UNKNOWN_LABEL, Child, Intake
from intake_app.domain.rules import support_measure

KIND = "support_measure_opinion"
RESIDENT_KINDS = ("resident_registry",)
OPINION = (
    "申出者は、上記の加害者からの暴力を受けた被害者であり、加害者が申出者の住所を探索する"
    "目的で、住民基本台帳の一部の写しの閲覧、住民票の写し等の交付及び戸籍の附票の写しの"
    "交付を請求するおそれがあると認められます。このため、支援措置を講じる必要があると"
    "考えます。"
)


def support_measure_opinion(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    document_number: _official.DocumentNumber,
    counselor: str,
    consultations: Sequence[Intake] | None = None,
) -> bytes:
    """The opinion as PDF bytes. ``consultations``: the case's intakes (the first one's
    date is the day she first consulted); ``document_number`` and ``counselor`` as for
    every official paper (``_official``)."""
    _official.check_settings(municipality, KIND, counselor=counselor)
    sender = _centre.sender(municipality)
    dest = _centre.first_of_kind(municipality, RESIDENT_KINDS)
    addressee = f"{dest.name}　御中" if dest else f"{sender.city}長　様"
    number = _official.issued(document_number)
    sheet = Sheet(Metadata(title="支援措置申出に係る意見", author=sender.name))
    _official.letterhead(
        sheet,
        title="住民基本台帳事務における支援措置申出に係る意見",
        addressee=addressee,
        today=today,
        sender=sender,
        number=number,
    )
    sheet.para(
        "下記の申出者から住民基本台帳事務における支援措置の申出があることについて、"
        "当センターの意見を次のとおり述べます。"
    )
    _official.ki(sheet)
    sheet.heading("1　申出者")
    client = intake.client
    sheet.fields(
        [
            ("氏名", FIELDS["client.name"].render(intake)),
            ("ふりがな", client.kana.strip() or UNKNOWN_LABEL),
            ("生年月日", format_date(client.date_of_birth)),
            ("申出の区分", f"{support_measure.OPINION_CATEGORY}（配偶者からの暴力の被害者）"),
        ]
    )
    sheet.heading("2　併せて支援を求める者")
    people = support_measure.joint_applicants(intake)
    if people:
        sheet.grid(
            ["氏名", "申出者との続柄", "生年月日"],
            [[name, "子" if child else "—", _birth(child)] for name, child in people],
            [74, 40, 60],
        )
    else:
        sheet.para("なし")
    sheet.heading("3　加害者")
    sheet.fields(
        [
            ("氏名", perpetrator_name(intake)),
            ("生年月日", perpetrator_birth(intake)),
            ("住所", intake.relationship.perpetrator_address.strip() or UNKNOWN_LABEL),
            ("申出者との関係", FIELDS["relationship.type"].render(intake)),
        ]
    )
    sheet.heading("4　当センターへの相談")
    first = _first_consulted(consultations if consultations is not None else [intake])
    sheet.fields([("初めて相談を受けた日", format_date(first) if first else UNKNOWN_LABEL)])
    sheet.heading("5　意見")
    sheet.para(OPINION)
    _official.closing(sheet, sender, counselor)
    return sheet.build()


def _birth(child: Child | None) -> str:
    if child is None:
        return "—"
    if child.date_of_birth is not None:
        return format_date(child.date_of_birth)
    return f"不明（{child.age}歳）" if child.age is not None else "不明"


def _first_consulted(consultations: Sequence[Intake]) -> dt.date | None:
    days = [
        c.consultation.started_at.date()
        for c in consultations
        if c.consultation.started_at is not None
    ]
    return min(days) if days else None
