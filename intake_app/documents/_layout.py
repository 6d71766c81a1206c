"""One A4 page layout for every document: title, addressee, sender block, 取扱注意 mark.

Everything is built in memory (``io.BytesIO``); nothing here opens a file except the
font, once per process (see ``_fonts``).

No heading is left alone at the foot of a page: ``build`` keeps every heading
(``Sheet.heading``, or any flowable passed to ``mark_heading``) with the first row
of what follows it (``KeepWithFirst``); when the heading and that row do not fit,
both go to the next page, and the rest of what follows may still split.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import _ContainerSpace

from intake_app.documents._fonts import ensure_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CONFIDENTIAL_MARK = "取扱注意"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    label: ParagraphStyle
    right: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    font = ensure_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return Styles(
        title=ParagraphStyle(
            "title", parent=base, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=4 * mm
        ),
        heading=ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        cell=ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        label=ParagraphStyle("label", parent=base, fontSize=10, leading=14),
        right=ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    )


def text(value: str) -> str:
    """Escape user text for a Paragraph and keep its line breaks."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def mark_heading(flowable: Flowable) -> Flowable:
    """Mark ``flowable`` as a heading: ``Sheet.build`` keeps it with what follows."""
    flowable._is_heading = True
    return flowable


def is_heading(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "_is_heading", False))


def _first_row_height(flowable: Flowable, width: float, height: float) -> float:
    """The height of the first piece of ``flowable`` a page must hold: a table's header
    rows and first row, a paragraph's first two lines, else all of it."""
    _w, full = flowable.wrap(width, height)
    if isinstance(flowable, KeepWithFirst):
        return flowable.needed(width, height)
    if isinstance(flowable, Table):
        rows = list(getattr(flowable, "_rowHeights", None) or [])
        first = getattr(flowable, "repeatRows", 0)
        first = len(first) if isinstance(first, (tuple, list)) else int(first or 0)
        return float(sum(rows[: first + 1])) if rows else float(full)
    if isinstance(flowable, Paragraph):
        leading = float(getattr(flowable.style, "leading", 0) or 0)
        return float(min(full, 2 * leading)) if leading else float(full)
    return float(full)


class KeepWithFirst(_ContainerSpace, Flowable):  # type: ignore[misc]
    """A heading and the flowable after it: moved to the next page together when the
    heading and the first row of what follows do not fit; otherwise laid out as two
    flowables (what follows splits as usual)."""

    def __init__(self, heading: Flowable, following: Flowable) -> None:
        self.heading = heading
        self.following = following
        self._content = [heading, following]

    def needed(self, width: float, height: float) -> float:
        _w, head = self.heading.wrap(width, height)
        gap = self.heading.getSpaceAfter() + self.following.getSpaceBefore()
        return float(head + gap + _first_row_height(self.following, width, height))

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self._wrapped = (aW, aH)
        return aW, 0xFFFFFF  # always split: the frame then places the two flowables

    def split(self, aW: float, aH: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if self.needed(aW, aH) > aH and not at_top:
            return [FrameBreak(), self.heading, self.following]
        return [self.heading, self.following]


def _breaks(flowable: Flowable) -> bool:
    """A page or frame break (or another frame action): nothing to keep a heading with."""
    return isinstance(flowable, PageBreak) or hasattr(flowable, "frameAction")


def keep_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with every heading joined to the flowable after it (from the end, so a
    heading followed by another heading keeps both with the first row)."""
    out: list[Flowable] = []
    for flowable in reversed(story):
        if is_heading(flowable) and out and not _breaks(out[0]):
            out[0] = KeepWithFirst(flowable, out[0])
        else:
            out.insert(0, flowable)
    return out


@dataclass(frozen=True)
class Metadata:
    """PDF document information. Discreet documents pass neutral words only."""

    title: str
    subject: str = ""
    keywords: str = ""
    author: str = ""


@dataclass
class Sheet:
    """Collects the flowables of one document and renders them to PDF bytes."""

    metadata: Metadata
    mark: str | None = CONFIDENTIAL_MARK
    footer: str = ""
    story: list[Flowable] = field(default_factory=list)
    lang: str = "ja-JP"  # the PDF's language entry (BCP 47)

    @property
    def st(self) -> Styles:
        return styles()

    def title(self, value: str) -> None:
        self.story.append(Paragraph(text(value), self.st.title))

    def heading(self, value: str) -> None:
        self.story.append(mark_heading(Paragraph(text(value), self.st.heading)))

    def para(self, value: str, *, small: bool = False) -> None:
        self.story.append(Paragraph(text(value), self.st.small if small else self.st.body))

    def right(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.story.append(Paragraph(text(line), self.st.right))

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.story.append(Paragraph("・" + text(item), self.st.body))

    def fields(self, rows: Sequence[tuple[str, str]], *, label_width_mm: float = 42) -> None:
        """A two-column table: label | value."""
        if not rows:
            return
        data = [
            [Paragraph(text(label), self.st.label), Paragraph(text(value), self.st.cell)]
            for label, value in rows
        ]
        label_w = label_width_mm * mm
        table = Table(data, colWidths=[label_w, CONTENT_WIDTH - label_w])
        table.setStyle([*_grid(), ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEEEEE"))])
        self.story.append(table)
        self.spacer(2)

    def grid(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]
    ) -> None:
        """A table with a header row."""
        data = [[Paragraph(text(h), self.st.label) for h in header]]
        data += [[Paragraph(text(c), self.st.cell) for c in row] for row in rows]
        table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
        table.setStyle([*_grid(), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))])
        self.story.append(table)
        self.spacer(2)

    def build(self) -> bytes:
        font = ensure_font()
        buffer = io.BytesIO()
        meta = self.metadata
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN,
            title=meta.title,
            subject=meta.subject,
            keywords=meta.keywords,
            author=meta.author,
            creator="",
            producer="",
            # A fixed creation date and document id: a printout carries no timestamp
            # beyond the date printed on it, and the same input gives the same bytes.
            invariant=1,
            lang=self.lang,
            # Otherwise the canvas starts in (unembedded) Helvetica.
            initialFontName=font,
        )
        mark, footer = self.mark, self.footer

        def decorate(canvas: Canvas, doc: Any) -> None:
            canvas.saveState()
            if mark:
                canvas.setFont(font, 11)
                canvas.setStrokeColor(colors.HexColor("#B00020"))
                canvas.setFillColor(colors.HexColor("#B00020"))
                w = canvas.stringWidth(mark, font, 11) + 6 * mm
                x = PAGE_WIDTH - MARGIN - w
                y = PAGE_HEIGHT - MARGIN + 1 * mm
                canvas.rect(x, y, w, 7 * mm, stroke=1, fill=0)
                canvas.drawCentredString(x + w / 2, y + 2 * mm, mark)
            canvas.setFillColor(colors.black)
            canvas.setFont(font, 8)
            canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"- {doc.page} -")
            if footer:
                canvas.drawString(MARGIN, MARGIN / 2, footer)
            canvas.restoreState()

        doc.build(keep_headings(self.story), onFirstPage=decorate, onLaterPages=decorate)
        return buffer.getvalue()


def _grid() -> list[tuple[Any, ...]]:
    return [
        # A table otherwise selects (unembedded) Helvetica for its cells.
        ("FONT", (0, 0), (-1, -1), ensure_font(), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
