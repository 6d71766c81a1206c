"""The statistics report's charts survive withheld cells (a small centre's year)."""

from __future__ import annotations

from reportlab.graphics import renderPDF

from intake_app.documents._fonts import ensure_font
from intake_app.documents.stats_report import line_chart


def test_a_kind_whose_months_are_all_withheld_does_not_break_the_report() -> None:
    font = ensure_font()
    hidden = [None] * 12
    one_point = [None] * 11 + [4]
    shown = [3, 4, 5, None, 6, 7, 8, 9, 10, 11, 12, 13]
    drawing = line_chart(
        font,
        "月別相談件数",
        [str(m) for m in range(1, 13)],
        [hidden, one_point, shown],
        ["DV相談", "その他", "女性の心と生き方相談"],
    )
    pdf = renderPDF.drawToString(drawing)
    assert pdf.startswith(b"%PDF")
    # only the series with two or more published months is drawn and named
    chart = next(s for s in drawing.contents if s.__class__.__name__ == "HorizontalLineChart")
    assert chart.data == [shown]


def test_no_published_month_says_so_instead_of_an_empty_chart() -> None:
    font = ensure_font()
    drawing = line_chart(font, "月別相談件数", ["4月", "5月"], [[None, None]], ["DV相談"])
    texts = [getattr(s, "text", "") for s in drawing.contents]
    assert "公表できる月別の数値がありません" in texts
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def _texts(shape: object) -> list[str]:
    found = [shape.text] if hasattr(shape, "text") else []
    for child in getattr(shape, "contents", []):
        found += _texts(child)
    return found


def test_a_hidden_bar_is_a_hatched_bar_labelled_hidden_not_a_gap() -> None:
    from intake_app.documents.stats_report import HIDDEN_LABEL, bar_chart, hbar_chart

    font = ensure_font()
    drawing = bar_chart(font, "月別相談件数", ["4月", "5月", "6月"], [[12, None, 9]], ["件数"])
    assert _texts(drawing).count(HIDDEN_LABEL) == 1
    hidden = next(g for g in drawing.contents if HIDDEN_LABEL in _texts(g))
    chart = next(s for s in drawing.contents if s.__class__.__name__ == "VerticalBarChart")
    outline = hidden.contents[0]
    # the whole height of the plot, so it reads neither as zero nor as a count
    assert (outline.y, outline.height) == (chart.y, chart.height)
    assert len(hidden.contents) > 5  # the hatching
    narrow = bar_chart(font, "月", [str(m) for m in range(12)], [[None] * 12] * 3, ["a", "b", "c"])
    assert "".join(_texts(narrow)).count("非") == 36
    across = hbar_chart(font, "暴力の種類別", ["身体的", "性的"], [40, None])
    assert _texts(across).count(HIDDEN_LABEL) == 1
    assert renderPDF.drawToString(narrow).startswith(b"%PDF")
