"""The centre's written report to the court (配偶者暴力防止法第14条第2項, rules.md §2.4).

After an application, the court asks the centre (照会) for a written report on the
applicant's consultations and the measures taken; the centre answers promptly. This paper
is that answer: addressed to the court's 部・係 with the 事件番号 and the date of the
court's request, titled 「（回答）」, 「記」 before the list, from the head of the centre,
an official paper (``_official``) with its 文書番号 and whom to call back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre, _official
from intake_app.documents._common import in_person, when
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.domain.court import CourtRequest
from intake_app.domain.model import UNKNOWN_LABEL, Intake

KIND = "court_report"
TITLE = "配偶者暴力相談支援センターにおける相談等の状況について（回答）"
LAW = "配偶者からの暴力の防止及び被害者の保護等に関する法律第14条第2項"
CHANNEL = {"visit": "来所による相談", "accompanied": "同行による支援"}


def court_report(
    consultations: Sequence[Intake],
    municipality: Any,
    *,
    today: dt.date,
    request: CourtRequest | None,
    document_number: _official.DocumentNumber,
    counselor: str,
) -> bytes:
    """The report as PDF bytes.

    - ``consultations``: the case's saved intakes; only the in-person ones (来所, 同行)
      are reported (a phone-only consultation does not count, rules.md §2.4), oldest
      first. Each one's 対応者 is its ``consultation.counselor``, which must hold the
      counselor's 氏名 (the case view maps a login name an older record holds).
    - ``request``: the court's 照会 (``domain.court.CourtRequest``: court, 部・係,
      事件番号, 照会日) as the case records it; None addresses the court of the settings
      without a date or number (a request should be given whenever there is one).
    - ``document_number``: the 文書番号, or a function taking it from the register
      (called only once the report can be made); ``counselor``: the 氏名 of the
      counselor who answers for it (the contact at the foot).

    ``DocumentError`` without an in-person consultation, or when a setting it needs is
    empty (the centre's head, phone, 文書番号 format; the court).
    """
    visits = sorted(
        in_person(consultations),
        key=lambda c: c.consultation.started_at or dt.datetime.min,
    )
    if not visits:
        raise DocumentError("面接による相談の記録がないため、書面を作成できません")
    _official.check_settings(municipality, KIND, counselor=counselor)
    sender = _centre.sender(municipality)
    court = _centre.court(municipality)
    court_name = (request.court if request is not None else "") or (court.name if court else "")
    if not court_name.strip():
        raise DocumentError("回答先の裁判所がわからないため、書面を作成できません")
    division = request.division.strip() if request is not None else ""
    case_number = request.case_number.strip() if request is not None else ""
    requested_on = request.requested_on if request is not None else None
    number = _official.issued(document_number)
    sheet = Sheet(Metadata(title="相談等の状況についての書面（回答）", author=sender.name))
    _official.letterhead(
        sheet,
        title=TITLE,
        addressee=f"{court_name.strip()}{division}　御中",
        today=today,
        sender=sender,
        number=number,
    )
    asked = f"{format_date(requested_on)}付けで" if requested_on is not None else ""
    sheet.para(
        f"{asked}照会のありました標記の件について、{LAW}の規定に基づき、"
        "申立人が当センターに相談し又は援助若しくは保護を求めた際の状況及び"
        "これに対して執られた措置の内容を、下記のとおり回答します。"
    )
    _official.ki(sheet)
    latest = visits[-1]
    client = latest.client
    sheet.heading("1　事件の表示")
    case_rows = [("事件番号", case_number)] if case_number else []
    perpetrator = latest.relationship.perpetrator_name.strip()
    kana = latest.relationship.perpetrator_kana.strip()
    sheet.fields(
        [
            *case_rows,
            ("申立人", _name(client.name, client.kana)),
            ("申立人の生年月日", format_date(client.date_of_birth)),
            ("相手方", _name(perpetrator, kana)),
        ]
    )
    sheet.heading("2　相談等を受けた機関")
    sheet.para(sender.name)
    sheet.heading("3　相談等の状況及び執られた措置")
    for n, c in enumerate(visits, 1):
        sheet.heading(f"（{n}）{when(c)}")
        sheet.fields(
            [
                ("場所", c.consultation.place.strip() or sender.name),
                ("方法", CHANNEL.get(c.consultation.channel or "", UNKNOWN_LABEL)),
                ("対応者", c.consultation.counselor.strip() or UNKNOWN_LABEL),
                ("相談等の内容", c.consultation.content.strip() or UNKNOWN_LABEL),
                ("執られた措置", c.consultation.measures.strip() or "特になし"),
            ]
        )
    _official.closing(sheet, sender, counselor)
    return sheet.build()


def _name(name: str, kana: str) -> str:
    if name and kana:
        return f"{name}（{kana}）"
    return name or kana or UNKNOWN_LABEL
