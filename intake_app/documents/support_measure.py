"""The centre's opinion for a 支援措置 application (住民基本台帳事務, rules.md §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import in_person, letterhead, when
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.fields import FIELDS
from intake_app.domain.model import UNKNOWN_LABEL, Intake

RESIDENT_KINDS = ("resident_registry",)


def support_measure_opinion(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    consultations: Sequence[Intake] | None = None,
) -> bytes:
    """The opinion as PDF bytes. The client's address is not printed: the application
    form she fills in carries it, and this paper may be handled at a public counter."""
    sender = _centre.sender(municipality)
    dest = _centre.first_of_kind(municipality, RESIDENT_KINDS)
    addressee = f"{dest.name}　御中" if dest else f"{sender.city}長　様"
    sheet = Sheet(Metadata(title="支援措置申出に係る意見", author=sender.name))
    letterhead(
        sheet,
        title="住民基本台帳事務における支援措置申出に係る意見",
        addressee=addressee,
        today=today,
        sender=sender,
        counselor=intake.consultation.counselor,
    )
    sheet.heading("申出者")
    sheet.fields(
        [
            ("氏名", FIELDS["client.name"].render(intake)),
            ("ふりがな", FIELDS["client.kana"].render(intake)),
            ("生年月日", format_date(intake.client.date_of_birth)),
        ]
    )
    sheet.heading("加害者")
    sheet.fields(
        [
            ("氏名", intake.relationship.perpetrator_name or UNKNOWN_LABEL),
            ("ふりがな", intake.relationship.perpetrator_kana or UNKNOWN_LABEL),
            ("申出者との関係", FIELDS["relationship.type"].render(intake)),
        ]
    )
    sheet.heading("相談の状況")
    visits = in_person(consultations if consultations is not None else [intake])
    rows = [(when(c), c.consultation.content or "") for c in visits] or [(when(intake), "")]
    sheet.grid(["相談日時", "相談の概要"], rows, [55, 119])
    sheet.fields([("暴力の種類", FIELDS["violence.types"].render(intake))])
    sheet.heading("意見")
    sheet.para(
        "申出者は、上記の者からの暴力を受けた被害者であり、加害者が申出者の住所を探索する"
        "目的で住民基本台帳の閲覧等を行うおそれがあると認められます。"
        "支援措置の必要性があると判断します。"
    )
    sheet.spacer(4)
    sheet.para(
        "支援措置の期間は1年間です。延長の申出は期間終了の1か月前から受け付けます。",
        small=True,
    )
    return sheet.build()
