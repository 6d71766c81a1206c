"""Every language's papers draw every character with a glyph of an embedded font, read
back from the PDF (the embedded subsets' cmaps and outlines), and Nepali is shaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import uharfbuzz
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import Paragraph as _Paragraph

from intake_app import paths
from intake_app.documents import _fonts
from intake_app.documents._client import SCRIPT_FONTS
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.samples import render_client_papers
from intake_app.domain.languages import CODES
from tests.unit.documents.helpers import MUNICIPALITY, TODAY
from tests.unit.documents.pdf_fonts import NOTDEF, embedded_fonts, glyph_data, missing_glyphs

LANGUAGES = (None, *CODES)


@pytest.fixture(scope="module")
def papers() -> dict[tuple[str | None, str], bytes]:
    out = {}
    for code in LANGUAGES:
        for kind, data in render_client_papers(MUNICIPALITY, TODAY, code).items():
            out[(code, kind)] = data
    return out


def test_every_character_of_every_language_has_a_glyph(
    papers: dict[tuple[str | None, str], bytes],
) -> None:
    for (code, kind), data in papers.items():
        assert missing_glyphs(data) == [], (code, kind)
        fonts = embedded_fonts(data)
        assert all(f.embedded for f in fonts if f.used), (code, kind)


@pytest.mark.parametrize(
    ("code", "font"),
    [
        ("vi", "NotoSans"),
        ("tr", "NotoSans"),
        ("zh", "DroidSansFallback"),
        ("ko", "NanumGothic"),
        ("ne", "NotoSansDevanagari"),
        ("en", "NotoSans"),
    ],
)
def test_each_script_is_set_in_its_own_font(
    papers: dict[tuple[str | None, str], bytes], code: str, font: str
) -> None:
    data = papers[(code, "safety_plan")]
    names = {f.base_font.split("+", 1)[-1] for f in embedded_fonts(data) if f.used}
    assert any(name.startswith(font) for name in names), names
    assert any(name.startswith("IPAexGothic") for name in names)  # the Japanese beside it


def test_vietnamese_and_turkish_letters_are_drawn_by_a_font_that_has_them(
    papers: dict[tuple[str | None, str], bytes],
) -> None:
    """IPAexGothic lacks ạ, ơ, ư, ğ, ı, İ: those must come from Noto Sans."""
    for code, letters in (("vi", "ướẫệ"), ("tr", "ğış")):
        drawn = {
            ch: f.base_font
            for f in embedded_fonts(papers[(code, "protection_order_advice")])
            for ch in f.drawn().values()
        }
        for letter in letters:
            assert letter in drawn, (code, letter)
            assert "NotoSans" in drawn[letter], (code, letter, drawn[letter])


def _pdf(text: str, font: str, *, shaped: bool) -> bytes:
    _fonts.register(font)
    style = ParagraphStyle(
        f"probe-{font}-{shaped}", fontName=font, fontSize=14, leading=22, shaping=int(shaped)
    )
    sheet = Sheet(Metadata(title="probe"), mark=None)
    sheet.story.append(Paragraph(_fonts.markup(text, (font,), shaped=shaped), style))
    return sheet.build()


def test_control_a_character_no_font_has_is_caught() -> None:
    """The check reads the PDF: a character without a glyph (runic) is reported."""
    found = missing_glyphs(_pdf("保護 ᚠ", _fonts.FONT, shaped=False))
    assert found == [("/AAAAAA+IPAexGothic", NOTDEF)]
    assert missing_glyphs(_pdf("保護", _fonts.FONT, shaped=False)) == []


def _ligature_glyph(font_file: Path, text: str) -> int:
    face = uharfbuzz.Face(uharfbuzz.Blob(font_file.read_bytes()))
    font = uharfbuzz.Font(face)
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    uharfbuzz.shape(font, buf, {})
    glyphs = [info.codepoint for info in buf.glyph_infos]
    assert len(glyphs) == 1, "the font forms क्ष as one glyph"
    return glyphs[0]


def test_nepali_conjuncts_are_shaped_into_the_ligature_glyph() -> None:
    """रक्षा: क + ् + ष must print as the font's क्ष ligature, not as क, a visible
    virama and ष (checked on the embedded subset: the drawn glyphs' outlines)."""
    font_file = paths.resource("fonts", _fonts.FILES[_fonts.DEVANAGARI])
    ligature = glyph_data(font_file.read_bytes())[_ligature_glyph(font_file, "क्ष")]
    assert ligature

    def deva(data: bytes) -> tuple[set[str], list[bytes]]:
        font = next(f for f in embedded_fonts(data) if "Devanagari" in f.base_font)
        drawn = font.drawn()
        return set(drawn.values()), [font.glyphs[font.code_glyph[c]] for c in drawn]

    chars, outlines = deva(_pdf("रक्षा", _fonts.DEVANAGARI, shaped=True))
    assert "\u094d" not in chars, "no bare virama: it is inside the conjunct"
    assert ligature in outlines, "the क्ष ligature glyph is drawn"
    # control: without shaping, the bare sequence is drawn and the ligature is not
    chars, outlines = deva(_pdf("रक्षा", _fonts.DEVANAGARI, shaped=False))
    assert "\u094d" in chars and ligature not in outlines


def test_the_nepali_papers_are_shaped(papers: dict[tuple[str | None, str], bytes]) -> None:
    for kind in ("protection_order_advice", "safety_plan", "contacts"):
        font = next(f for f in embedded_fonts(papers[("ne", kind)]) if "Devanagari" in f.base_font)
        drawn = set(font.drawn().values())
        assert any(0xE000 <= ord(ch[0]) <= 0xF8FF for ch in drawn if ch), kind  # shaped glyphs


def test_shaped_words_never_mix_fonts() -> None:
    """HarfBuzz shapes a word with the font of its first piece: a word that needs two
    fonts is split, so the Japanese in it is not shaped with the Devanagari font."""
    text = _fonts.markup("आदेश(保護命令)मा", SCRIPT_FONTS["deva"], shaped=True)
    assert 'आदेश <font face="IPAexGothic">(保護命令)</font> मा' == text
    data = _pdf("आदेश(保護命令)मा", _fonts.DEVANAGARI, shaped=True)
    assert missing_glyphs(data) != []  # control: one font alone cannot draw it
    style = ParagraphStyle("mixed", fontName=_fonts.DEVANAGARI, fontSize=12, shaping=1)
    sheet = Sheet(Metadata(title="probe"), mark=None)
    sheet.story.append(_Paragraph(text, style))
    assert missing_glyphs(sheet.build()) == []


def test_runs_keep_brackets_with_the_term_they_enclose() -> None:
    runs = _fonts.runs("order (保護命令), 1 year", (_fonts.LATIN, _fonts.FONT))
    assert runs == [
        (_fonts.LATIN, "order "),
        (_fonts.FONT, "(保護命令)"),
        (_fonts.LATIN, ", 1 year"),
    ]
    assert _fonts.runs("", (_fonts.LATIN,)) == []
    # a character no font has stays with the first font (the PDF check names it)
    assert _fonts.runs("ᚠ", (_fonts.LATIN, _fonts.FONT)) == [(_fonts.LATIN, "ᚠ")]


def test_a_hangul_font_that_maps_han_to_empty_glyphs_is_not_used_for_them() -> None:
    """Some fonts map characters they do not design to empty outlines; those fall back."""
    drawable = _fonts.drawable(_fonts.HANGUL)
    assert ord("보") in drawable
    assert _fonts.has_glyph(_fonts.LATIN, " ")
    assert not _fonts.has_glyph(_fonts.LATIN, "保")


def test_dates_in_every_language(papers: dict[tuple[str | None, str], bytes]) -> None:
    from intake_app.documents._client import column

    day = dt.date(2026, 12, 9)
    expected = {
        "en": "Wednesday, December 9, 2026",
        "vi": "Thứ Tư, ngày 9 tháng 12 năm 2026",
        "tr": "9 Aralık 2026 Çarşamba",
        "pt": "quarta-feira, 9 de dezembro de 2026",
        "zh": "2026年12月9日（星期三）",
        "ko": "2026년 12월 9일 (수요일)",
        "tl": "Miyerkoles, Disyembre 9, 2026",
        "ne": "2026 डिसेम्बर 9, बुधबार",
        "easy-ja": "2026年12月9日（水）",
    }
    for code, text in expected.items():
        assert column("contacts", code).date(day, weekday=True) == text, code
    ja = column("contacts", "ja")
    assert ja.date(day, weekday=True) == "令和8（2026）年12月9日（水）"
    assert ja.date(day, official=False) == "2026年12月9日"
    assert ja.datetime(dt.datetime(2026, 12, 9, 9, 5)) == "令和8（2026）年12月9日（水） 9時05分"
