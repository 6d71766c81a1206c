"""持ち歩き用カード: the discreet card the client can carry (issue 17).

A paper meant to survive being found by the perpetrator: a neutral title, the next
appointment, a phone number under a neutral name (the city's department, never the
centre's name), and nothing else, on every page and in the PDF's metadata, in her
language beside the Japanese. A department name that would give the purpose away is
refused rather than printed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table

from intake_app.documents import _centre
from intake_app.documents._client import ClientPaper, required
from intake_app.documents._fonts import ensure_font
from intake_app.documents.errors import DocumentError

PAPER = "protection_order_advice_discreet"
CARD_WIDTH = 150 * mm
CARD_WIDTH_JA = 105 * mm
# Words that would tell a finder what the card is about (the tests keep their own,
# longer lists in every language). The centre's own name is refused as well.
GIVEAWAYS = (
    "DV",
    "ＤＶ",
    "暴力",
    "配偶者",
    "保護命令",
    "接近禁止",
    "裁判",
    "申立",
    "相手方",
    "避難",
    "一時保護",
    "加害",
    "センター",
    "相談支援",
    "シェルター",
    "女性相談",
)


def neutral_office(municipality: Any) -> str:
    """「蕨市　市民協働課」: the name the card and the neutral papers give the phone
    number; ``DocumentError`` when it would give the purpose away."""
    sender = _centre.sender(municipality)
    office = "　".join(x for x in (sender.city, sender.department) if x)
    found = [w for w in (*GIVEAWAYS, sender.name) if w and w in office]
    if found:
        raise DocumentError(
            f"担当課の名前（{office}）に「{found[0]}」が含まれるため、目立たない書類には"
            "使えません（管理者が管理者メニュー →「設定」で担当課の名前を確かめます）。"
        )
    return office


def discreet_card(
    municipality: Any,
    *,
    appointment: dt.datetime | dt.date | None = None,
    language: str | None = None,
    centre_reviews: Any = None,
) -> bytes:
    """The card as PDF bytes: ``appointment`` (a date, or a date and time; None leaves a
    line to write it by hand), the centre's phone number under the department's name."""
    sender = _centre.sender(municipality)
    office = neutral_office(municipality)
    phone = required(sender.phone, "センターの電話番号")
    paper = ClientPaper(PAPER, language, author=office, centre_reviews=centre_reviews)
    cols = paper.columns
    width = CARD_WIDTH if len(cols) > 1 else CARD_WIDTH_JA
    col_width = width / len(cols)

    def cells(texts: list[str], kind: str) -> list[Any]:
        return [paper._p(col, text, kind) for col, text in zip(cols, texts, strict=True)]

    rows = [cells([col.t("title") for col in cols], "heading")]
    rows.append(cells([col.t("appointment") for col in cols], "small"))
    rows.append(cells([_when(col, appointment) for col in cols], "body"))
    rows.append(cells([col.t("contact") for col in cols], "small"))
    rows.append(cells([f"{office}　{phone}" for _ in cols], "body"))
    if paper.tr is not None and not paper.review.reviewed:
        rows.append(cells([col.t("common.unreviewed") for col in cols], "small"))
    card = Table(rows, colWidths=[col_width] * len(cols), hAlign="LEFT")
    card.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), ensure_font(), 10),  # else Helvetica, unembedded
            ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#666666"), 1, (3, 2)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, 0), 4 * mm),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 4 * mm),
        ]
    )
    paper.add(card)
    return paper.build()


def _when(col: Any, appointment: dt.datetime | dt.date | None) -> str:
    if appointment is None:
        return str(col.t("blank"))
    if isinstance(appointment, dt.datetime):
        return str(col.datetime(appointment, official=False))
    return str(col.date(appointment, weekday=True, official=False))
