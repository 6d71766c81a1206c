"""The official return (報告用集計, rules.md §10) as CSV and as a PDF marked 取扱注意.

Exact counts, not suppressed: it goes to government offices only, and both files say so
first. Built in memory like every paper; ``documents.export.write_private`` writes it
when the supervisor asks (the export is audited by ``store.official_returns``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from intake_app.documents._fonts import ensure_font
from intake_app.documents._layout import CONFIDENTIAL_MARK, text
from intake_app.domain.statistics.official import TITLE, OfficialReturn, OfficialTable


def return_title(fiscal_year: int) -> str:
    return f"{fiscal_year}年度 {TITLE}（{fiscal_year}年4月〜{fiscal_year + 1}年3月）"


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def csv_rows(result: OfficialReturn, *, centre: str = "") -> list[list[str]]:
    """The return as rows of strings: the notice that the counts are exact comes first."""
    rows: list[list[str]] = [
        [CONFIDENTIAL_MARK, return_title(result.fiscal_year)],
        ["注", result.notes[0]],
    ]
    if centre:
        rows.append(["作成", centre])
    for table in result.tables:
        rows.append([])
        rows.append(["表", table.title])
        rows.append(["区分", *table.columns])
        for row in table.rows:
            rows.append([row.label, *(_cell(v) for v in row.values)])
        if table.note:
            rows.append(["注", table.note])
    rows.append([])
    rows.extend(["注", note] for note in result.notes[1:])
    return rows


def official_csv(result: OfficialReturn, *, centre: str = "") -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open the Japanese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(result, centre=centre))
    return buffer.getvalue().encode("utf-8-sig")


def _table(table: OfficialTable, font: str) -> Table:
    data = [["区分", *table.columns]]
    data += [[row.label, *(_cell(v) for v in row.values)] for row in table.rows]
    widths = [96 * mm] + [(180 - 96) * mm / len(table.columns)] * len(table.columns)
    out = Table(data, colWidths=widths, repeatRows=1)
    out.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f4f4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return out


def render_official_return(
    result: OfficialReturn, *, centre: str = "", created_on: dt.date | None = None
) -> bytes:
    """The PDF: 取扱注意 on every page, the notice that nothing is suppressed first."""
    font = ensure_font()
    fy = result.fiscal_year
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        title=f"{fy}年度 {TITLE}",
        author=centre,
        subject=f"{TITLE}（行政機関への報告用・{CONFIDENTIAL_MARK}）",
        creator="intake-app",
    )
    h1 = ParagraphStyle("h1", fontName=font, fontSize=15, leading=20, spaceAfter=4, wordWrap="CJK")
    h2 = ParagraphStyle("h2", fontName=font, fontSize=11, leading=15, spaceBefore=8, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    notice = ParagraphStyle(
        "notice",
        parent=body,
        fontSize=10,
        leading=14,
        borderColor=colors.HexColor("#b5525c"),
        borderWidth=0.8,
        borderPadding=4,
        textColor=colors.HexColor("#7a1f28"),
    )
    created = (created_on or dt.date.today()).isoformat()
    story: list[object] = [
        Paragraph(text(return_title(fy)), h1),
        Paragraph(text(f"{centre}　作成日 {created}"), body),
        Spacer(1, 3 * mm),
        Paragraph(text(result.notes[0]), notice),
        Spacer(1, 4 * mm),
    ]
    for table in result.tables:
        block: list[object] = [Paragraph(text(table.title), h2)]
        if table.note:
            block.append(Paragraph(text(table.note), body))
        block.append(Spacer(1, 1.5 * mm))
        block.append(_table(table, font))
        story.append(KeepTogether(block))
    story.append(Spacer(1, 4 * mm))
    story.extend(Paragraph(text(note), body) for note in result.notes[1:])

    def mark(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        canvas.setFont(font, 12)
        canvas.setFillColor(colors.HexColor("#b5525c"))
        width, height = A4
        canvas.drawRightString(width - 15 * mm, height - 11 * mm, CONFIDENTIAL_MARK)
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(width / 2, 8 * mm, f"{canvas.getPageNumber()}")
        canvas.restoreState()

    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return buffer.getvalue()
