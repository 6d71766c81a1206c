"""What every official paper shares (公文書): the 文書番号 and date, the addressee, the head
of the centre as sender with room for the 公印, 「記」 … 「以上」, and whom to call back.

The papers that go to an office as the centre's correspondence (``paper_settings.
OFFICIAL_PAPERS`` and the 引継書) are laid out as offices write them::

                                                        蕨市協第12号
                                               令和8（2026）年12月7日
    さいたま地方裁判所民事第4部　御中
                                        蕨市配偶者暴力相談支援センター
                                        センター長　山田　一郎　 [印]
                 配偶者暴力相談支援センターにおける … について（回答）
    （本文）
                                      記
    1　…
                                                                以上
                                  【担当】… 田中　花子　電話 048-…

A paper that needs an empty setting is refused here as well (the screens refuse it
before the preview with the same sentence): nothing prints 「（未設定）」 or 「電話 」.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from intake_app.documents._centre import Sender
from intake_app.documents._dates import format_date
from intake_app.documents._fonts import ensure_font
from intake_app.documents._layout import CONTENT_WIDTH, Sheet, mark_heading, styles, text
from intake_app.documents.errors import DocumentError
from intake_app.domain.paper_settings import empty_settings, refusal

# The 文書番号, or a function that takes it (``store.document_numbers.next_document_number``
# behind it): called once, after the paper's own checks passed, so a refused paper takes
# no number from the register.
DocumentNumber = str | Callable[[], str]

SEAL_BOX = 15 * mm  # room for the 公印 beside the sender's name


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    body = styles().body
    return {
        "title": ParagraphStyle(
            "official_title",
            parent=body,
            fontSize=14,
            leading=21,
            alignment=TA_CENTER,
            spaceBefore=5 * mm,
            spaceAfter=4 * mm,
        ),
        "center": ParagraphStyle("official_center", parent=body, alignment=TA_CENTER),
        "ki": ParagraphStyle(
            "official_ki", parent=body, alignment=TA_CENTER, spaceBefore=2 * mm, spaceAfter=1 * mm
        ),
        "right": ParagraphStyle("official_right", parent=body, alignment=TA_RIGHT),
        "ijo": ParagraphStyle("official_ijo", parent=body, alignment=TA_RIGHT, spaceBefore=2 * mm),
        "addressee": ParagraphStyle("official_addressee", parent=body, fontSize=11.5, leading=18),
        "seal": ParagraphStyle(
            "official_seal",
            parent=body,
            fontSize=9,
            leading=12,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#999999"),
        ),
        "contact": ParagraphStyle("official_contact", parent=body, fontSize=9.5, leading=14),
    }


def check_settings(
    municipality: Any,
    kind: str,
    *,
    counselor: str,
    destination_id: str | None = None,
) -> None:
    """Refuse the paper (``DocumentError``, the screens' sentence) when a setting it needs
    is empty: the centre's phone, address, head and 文書番号 format, the counselor's 氏名,
    its addressee's contact (``domain.paper_settings``)."""
    missing = empty_settings(
        municipality, kind, destination_id=destination_id, display_name=counselor
    )
    if missing:
        raise DocumentError(refusal(missing))


def issued(document_number: DocumentNumber) -> str:
    """The number itself (taking it from the register when a function was given)."""
    number = document_number() if callable(document_number) else document_number
    if not number.strip():
        raise DocumentError("文書番号がないため、書類を作成できません。")
    return number.strip()


def letterhead(
    sheet: Sheet,
    *,
    title: str,
    addressee: str,
    today: dt.date,
    sender: Sender,
    number: str,
    reference: str = "",
) -> None:
    """The number and date (right), the addressee (left), the head of the centre as
    sender with the seal box, then the title. Every page's foot repeats the number.
    ``reference``: a line under the date (the case's 整理番号)."""
    st = _styles()
    sheet.footer = number
    sheet.story.append(Paragraph(text(number), st["right"]))
    sheet.story.append(Paragraph(text(format_date(today)), st["right"]))
    if reference:
        sheet.story.append(Paragraph(text(reference), st["right"]))
    sheet.spacer(4)
    sheet.story.append(Paragraph(text(addressee), st["addressee"]))
    sheet.spacer(3)
    sheet.story.append(sender_block(sender))
    sheet.story.append(Paragraph(text(title), st["title"]))


def sender_block(sender: Sender) -> Table:
    """The centre and its head (職名　氏名) right-aligned, with a box for the 公印 beside."""
    st = _styles()
    lines = Paragraph(text(f"{sender.name}\n{sender.head_title}　{sender.head_name}"), st["right"])
    seal = Paragraph("印", st["seal"])
    table = Table(
        [[lines, seal]],
        colWidths=[CONTENT_WIDTH - SEAL_BOX - 2 * mm, SEAL_BOX],
        rowHeights=[SEAL_BOX],
        hAlign="RIGHT",
    )
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), ensure_font(), 10),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (1, 0), (1, 0), 0.5, colors.HexColor("#999999")),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    return table


def ki(sheet: Sheet) -> None:
    """「記」: what follows is the list the text announced."""
    # kept with the first item of the list, like a heading (never alone at a page foot)
    sheet.story.append(mark_heading(Paragraph("記", _styles()["ki"])))


def closing(sheet: Sheet, sender: Sender, counselor: str) -> None:
    """「以上」 (the end of the list) and whom to call back: the counselor by 氏名 and the
    centre's number (and hours), kept together on one page."""
    st = _styles()
    office = sender.name + (f"（{sender.department}）" if sender.department else "")
    rows = [
        ["担当", Paragraph(text(f"{office}\n{counselor}"), st["contact"])],
        ["電話", Paragraph(text(sender.phone), st["contact"])],
    ]
    if sender.hours:
        rows.append(["受付", Paragraph(text(sender.hours), st["contact"])])
    width = 105 * mm
    table = Table(rows, colWidths=[12 * mm, width - 12 * mm], hAlign="RIGHT")
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), ensure_font(), 9.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    ijo = Paragraph("以上", st["ijo"])
    sheet.story.append(KeepTogether([ijo, Spacer(1, 4 * mm), table]))
