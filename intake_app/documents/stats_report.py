"""The fiscal-year statistics report: tables and charts, PDF bytes built in memory.

It prints what ``publish`` lets out: the same suppressed figures as the CSV, so the
report can be handed on without showing a count of one or two. A hidden cell is never
drawn with its true height: in a bar chart it is a hatched bar labelled 「非公開」
across the whole height of the plot (so it reads neither as zero nor as a count), in
a line chart a gap.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from intake_app.documents._dates import format_date
from intake_app.documents.stats_labels import FISCAL_MONTH_LABELS as SHORT_MONTHS
from intake_app.documents.stats_labels import (
    SERIES_LABELS,
    fiscal_year_label,
    report_title,
    short_year_label,
)
from intake_app.domain.statistics.publication import PublishedStats
from intake_app.domain.statistics.suppression import SECONDARY_MARK, WITHHELD_MARK

try:  # the documents package's one font registration
    from intake_app.documents._fonts import ensure_font
except ImportError:  # pragma: no cover - only while the documents package is incomplete
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from intake_app.paths import font_path

    def ensure_font() -> str:
        if "IPAexGothic" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("IPAexGothic", str(font_path())))
        return "IPAexGothic"


PALETTE = (
    colors.HexColor("#3b6ea5"),
    colors.HexColor("#d9822b"),
    colors.HexColor("#5a9e6f"),
    colors.HexColor("#8e6bb3"),
    colors.HexColor("#b5525c"),
    colors.HexColor("#6b7b8c"),
)


def _value(text: str) -> int | None:
    """A published cell as a number for a chart; a hidden cell is a gap."""
    return int(text) if text.isdigit() else None


def _axis_max(series: Sequence[Sequence[int | None]]) -> int:
    top: int = max([v for s in series for v in s if v is not None] or [0])
    if top <= 5:
        return 5
    step: int = 10 ** (len(str(top)) - 1)
    return (top // step + 1) * step


def _style_axes(chart: VerticalBarChart | HorizontalLineChart, font: str, top: int) -> None:
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, top // 5)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7


def _legend(font: str, x: float, y: float, names: Sequence[str]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = font
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = len(names)
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], n) for i, n in enumerate(names)]
    return legend


def _title(drawing: Drawing, font: str, text: str) -> None:
    drawing.add(String(0, drawing.height - 10, text, fontName=font, fontSize=9))


HIDDEN_LABEL = "非公開"
HATCH = colors.HexColor("#8a8a8a")
HATCH_STEP = 3.0


def hatched_bar(
    font: str, x: float, y: float, width: float, height: float, *, upright: bool
) -> Group:
    """A withheld figure: a dashed outline, diagonal hatching and 「非公開」 (written
    upwards in a narrow upright bar)."""
    group = Group()
    group.add(
        Rect(
            x,
            y,
            width,
            height,
            fillColor=colors.white,
            strokeColor=HATCH,
            strokeWidth=0.5,
            strokeDashArray=[2, 1],
        )
    )
    # lines x' − y' = c inside the bar, in the bar's own coordinates
    c = -height + HATCH_STEP
    while c < width:
        x0 = max(c, 0.0)
        x1 = min(width, height + c)
        if x1 > x0:
            group.add(
                Line(x + x0, y + x0 - c, x + x1, y + x1 - c, strokeColor=HATCH, strokeWidth=0.3)
            )
        c += HATCH_STEP
    # the label across the bar, as large as fits (7 pt at most); a bar too narrow even
    # for 3.5 pt gets it one character under the other
    size = max(3.5, min(7.0, (width - 2) / len(HIDDEN_LABEL)))
    label = Group()
    if size * len(HIDDEN_LABEL) <= width or not upright:
        text_width = len(HIDDEN_LABEL) * size
        left = x + max(0.5, (width - text_width) / 2)
        bottom = y + (min(height, 60.0) - size) / 2 if upright else y + (height - size) / 2 + 1
        label.add(
            Rect(
                left - 0.5,
                bottom - 1.5,
                text_width + 1,
                size + 2,
                fillColor=colors.white,
                strokeColor=None,
            )
        )
        label.add(String(left, bottom, HIDDEN_LABEL, fontName=font, fontSize=size))
    else:
        left = x + (width - size) / 2
        for n, char in enumerate(HIDDEN_LABEL):
            label.add(
                String(
                    left,
                    y + 4 + (len(HIDDEN_LABEL) - 1 - n) * size,
                    char,
                    fontName=font,
                    fontSize=size,
                )
            )
    group.add(label)
    return group


def _hatch_hidden(
    chart: VerticalBarChart | HorizontalBarChart, font: str, series: Sequence[Sequence[int | None]]
) -> list[Group]:
    """A hatched 「非公開」 bar wherever a published cell is hidden (None)."""
    chart.draw()  # lays the bars out (``_barPositions``) without drawing anything yet
    upright = isinstance(chart, VerticalBarChart)
    out: list[Group] = []
    for row, positions in zip(series, chart._barPositions, strict=True):
        for value, (px, py, pw, ph) in zip(row, positions, strict=True):
            if value is not None:
                continue
            if upright:
                out.append(hatched_bar(font, px, chart.y, pw, chart.height, upright=True))
            else:
                out.append(hatched_bar(font, chart.x, py, chart.width, ph, upright=False))
    return out


def bar_chart(
    font: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Sequence[int | None]],
    names: Sequence[str],
    *,
    width: float = 120 * mm,
    height: float = 50 * mm,
) -> Drawing:
    drawing = Drawing(width, height, initialFontName=font)  # no default Times-Roman
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width = width - (110 if len(names) > 1 else 40)
    chart.height = height - 42
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(categories)
    _style_axes(chart, font, _axis_max(series))
    chart.barSpacing = 1
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    for hatch in _hatch_hidden(chart, font, series):
        drawing.add(hatch)
    if len(names) > 1:
        drawing.add(_legend(font, width - 100, height - 24, names))
    _title(drawing, font, title)
    return drawing


def line_chart(
    font: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Sequence[int | None]],
    names: Sequence[str],
    *,
    width: float = 120 * mm,
    height: float = 50 * mm,
) -> Drawing:
    drawing = Drawing(width, height, initialFontName=font)  # no default Times-Roman
    # A line needs two published points: a series whose months are (almost) all withheld
    # is left out of the lines, and its name with it, rather than breaking the report.
    kept = [
        (s, n) for s, n in zip(series, names, strict=True) if sum(v is not None for v in s) >= 2
    ]
    series, names = [s for s, _ in kept], [n for _, n in kept]
    if not series:
        _title(drawing, font, title)
        drawing.add(
            String(4, height / 2, "公表できる月別の数値がありません", fontName=font, fontSize=8)
        )
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y = 28, 22
    chart.width = width - 110
    chart.height = height - 42
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(categories)
    _style_axes(chart, font, _axis_max(series))
    chart.joinedLines = 1
    for i in range(len(series)):
        chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    drawing.add(_legend(font, width - 100, height - 24, names))
    _title(drawing, font, title)
    return drawing


def hbar_chart(
    font: str,
    title: str,
    categories: Sequence[str],
    values: Sequence[int | None],
    *,
    width: float = 120 * mm,
    height: float = 50 * mm,
) -> Drawing:
    drawing = Drawing(width, height, initialFontName=font)  # no default Times-Roman
    chart = HorizontalBarChart()
    chart.x, chart.y = 100, 14
    chart.width = width - 120
    chart.height = height - 34
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.reverseDirection = 1
    top = _axis_max([values])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, top // 5)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    for hatch in _hatch_hidden(chart, font, [values]):
        drawing.add(hatch)
    _title(drawing, font, title)
    return drawing


def charts(published: PublishedStats, font: str) -> list[Drawing]:
    """The report's charts, from the published (suppressed) figures only."""
    stats = published.stats
    out: list[Drawing] = []
    if stats.series:
        years = [short_year_label(yc.fiscal_year) for yc in stats.series]
        out.append(
            bar_chart(
                font,
                "図1 DV相談及び女性の心と生き方相談等の相談件数（年度別）",
                years,
                [
                    [_value(published.series_cell(yc.fiscal_year, w)) for yc in stats.series]
                    for w in ("dv", "kokoro", "other")
                ],
                ["DV相談", "女性の心と生き方相談", "その他"],
            )
        )
    out.append(
        bar_chart(
            font,
            "月別相談件数（総数）",
            SHORT_MONTHS,
            [[_value(published.cell("total", "all", i)) for i in range(12)]],
            ["件数"],
        )
    )
    kind = stats.table("kind")
    # a row is left out only when its published year total is 0: a hidden total may be 0
    shown = [r for r in kind.rows if published.cell("kind", r.key, "year") != "0"]
    out.append(
        line_chart(
            font,
            "月別相談件数（相談種別）",
            SHORT_MONTHS,
            [[_value(published.cell("kind", r.key, i)) for i in range(12)] for r in shown],
            [r.label for r in shown],
        )
    )
    violence = stats.table("violence")
    out.append(
        hbar_chart(
            font,
            "暴力の種類別（年度計・複数回答）",
            [r.label for r in violence.rows],
            [_value(published.cell("violence", r.key, "year")) for r in violence.rows],
        )
    )
    channel = stats.table("channel")
    out.append(
        bar_chart(
            font,
            "相談方法別（年度計）",
            [r.label for r in channel.rows],
            [[_value(published.cell("channel", r.key, "year")) for r in channel.rows]],
            ["件数"],
        )
    )
    return out


def _table(published: PublishedStats, key: str, font: str) -> Table:
    stats = published.stats
    table = stats.table(key)
    data: list[list[str]] = [["区分", *SHORT_MONTHS, "年度計"]]
    for row in table.rows:
        data.append(
            [
                row.label,
                *(published.cell(key, row.key, i) for i in range(12)),
                published.cell(key, row.key, "year"),
            ]
        )
    widths = [62 * mm] + [14 * mm] * 12 + [17 * mm]
    out = Table(data, colWidths=widths, repeatRows=1)
    out.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("BACKGROUND", (-1, 1), (-1, -1), colors.HexColor("#f4f4f4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return out


def _year_table(published: PublishedStats, key: str, font: str) -> Table:
    """A breakdown published by year only: 区分 and 年度計."""
    table = published.stats.table(key)
    data = [["区分", "年度計"]]
    data += [[row.label, published.cell(key, row.key, "year")] for row in table.rows]
    out = Table(data, colWidths=[62 * mm, 19 * mm], repeatRows=1)
    out.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return out


def render_stats_report(
    published: PublishedStats, *, centre: str = "", created_on: dt.date | None = None
) -> bytes:
    """The PDF report of one fiscal year: charts first, then the tables published by
    month (totals and kinds), then the breakdowns published by year only."""
    font = ensure_font()
    stats = published.stats
    fy = stats.fiscal_year
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{fiscal_year_label(fy)} 相談統計",
        author=centre,
        subject="相談統計（集計値のみ）",
        creator="intake-app",
        initialFontName=font,  # otherwise the canvas starts in (unembedded) Helvetica
    )
    h1 = ParagraphStyle("h1", fontName=font, fontSize=15, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=10.5, leading=14, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=11)
    created = format_date(created_on or dt.date.today())
    total = published.cell("total", "all", "year")
    story: list[object] = [
        Paragraph(report_title(fy), h1),
        Paragraph(
            f"{centre}　作成日 {created}　相談件数（のべ）: {total}件",
            body,
        ),
        Paragraph(
            f"集計値のみを掲載しています。「&lt;{published.min_count}」は1〜"
            f"{published.min_count - 1}件、「{SECONDARY_MARK}」は他の欄からの逆算を防ぐために"
            f"秘匿した値（0件または{published.min_count}件以上）、「{WITHHELD_MARK}」は"
            "合計との関係から逆算できるため件数を問わず秘匿した値です。秘匿した値は、棒グラフでは"
            "斜線の「非公開」の棒（高さは件数を表しません）、折れ線グラフでは途切れで示します。",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    drawings = charts(published, font)
    grid = [drawings[i : i + 2] for i in range(0, len(drawings), 2)]
    for pair in grid:
        while len(pair) < 2:
            pair.append(Drawing(1, 1, initialFontName=font))
    chart_table = Table(grid, colWidths=[128 * mm, 128 * mm])
    chart_table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(chart_table)
    story.append(PageBreak())
    yearly: list[list[object]] = []
    for table in stats.tables:
        block: list[object] = [Paragraph(table.title, h2)]
        if table.note:
            block.append(Paragraph(table.note, body))
        block.append(Spacer(1, 1.5 * mm))
        if published.is_monthly(table.key):
            block.append(_table(published, table.key, font))
            story.append(KeepTogether(block))
        else:
            block.append(_year_table(published, table.key, font))
            yearly.append(block)
    if yearly:
        # the breakdowns published by year only, three side by side
        story.append(Paragraph("内訳（年度計）", h2))
        story.append(
            Paragraph(
                "小さな内訳は月別にすると秘匿が広がり、月別の相談件数まで読めなくなるため、"
                "年度計のみを掲載しています。",
                body,
            )
        )
        rows = [yearly[i : i + 3] for i in range(0, len(yearly), 3)]
        for row in rows:
            while len(row) < 3:
                row.append([])
        grid_table = Table(rows, colWidths=[89 * mm] * 3)
        grid_table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font),  # else Helvetica, unembedded
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ]
            )
        )
        story.append(grid_table)
    if stats.series:
        data = [["区分", *(fiscal_year_label(yc.fiscal_year) for yc in stats.series)]]
        for what, label in SERIES_LABELS:
            data.append(
                [label, *(published.series_cell(yc.fiscal_year, what) for yc in stats.series)]
            )
        series_table = Table(data, colWidths=[62 * mm] + [38 * mm] * len(stats.series))
        series_table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ]
            )
        )
        story.append(
            KeepTogether(
                [Paragraph("年度別相談件数（図1）", h2), Spacer(1, 1.5 * mm), series_table]
            )
        )
    doc.build(story)
    return buffer.getvalue()
