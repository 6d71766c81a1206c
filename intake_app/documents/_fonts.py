"""The bundled fonts, registered once per process and subset-embedded in every PDF.

IPAexGothic sets every Japanese paper. The client's papers in her language need
more (intake_app/resources/fonts/, each with its licence beside it): Noto Sans for
the Latin scripts (Vietnamese and Turkish letters are not in IPAexGothic), Droid
Sans Fallback for simplified Chinese, NanumGothic for Hangul and Noto Sans
Devanagari for Nepali, which reportlab shapes with HarfBuzz (``uharfbuzz``):
conjuncts and vowel signs need the font's OpenType rules, not one glyph per
character. All are TrueType outlines (glyf), which reportlab embeds as subsets
(FontFile2), so each PDF carries only the glyphs it uses.

A font is read on its first use only: the Japanese papers never load the others.
``runs`` splits a text into pieces each set in the first font of a list that has
all of its characters, so a Japanese term in an English sentence, or a phone
number in a Chinese one, never falls on a missing glyph.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from intake_app.paths import resource

FONT = "IPAexGothic"  # Japanese: every paper
LATIN = "NotoSans"  # English, Tiếng Việt, Türkçe, Tagalog, Português
HANS = "DroidSansFallback"  # 中文（简体）
HANGUL = "NanumGothic"  # 한국어
DEVANAGARI = "NotoSansDevanagari"  # नेपाली (shaped)

FILES: dict[str, str] = {
    FONT: "ipaexg.ttf",
    LATIN: "NotoSans-Regular.ttf",
    HANS: "DroidSansFallbackFull.ttf",
    HANGUL: "NanumGothic.ttf",
    DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
}
# The fonts needing HarfBuzz shaping (complex scripts).
SHAPED = frozenset({DEVANAGARI})

_lock = threading.Lock()
_registered: set[str] = set()


def shaping_available() -> bool:
    """True when reportlab can shape complex scripts (``uharfbuzz`` is importable)."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency of the program
        return False
    return True


def ensure_font() -> str:
    """Register IPAexGothic, the font of every Japanese paper, on first use; return its name."""
    return register(FONT)


def register(name: str) -> str:
    """Register the bundled font ``name`` on first use (reading its file once); return it."""
    if name in _registered:
        return name
    with _lock:
        if name not in _registered:
            pdfmetrics.registerFont(
                TTFont(name, str(resource("fonts", FILES[name])), shapable=name in SHAPED)
            )
            _registered.add(name)
    return name


_drawable: dict[str, frozenset[int]] = {}


def drawable(font: str) -> frozenset[int]:
    """The code points ``font`` draws: mapped to a glyph with an outline (some fonts map
    characters they do not design, e.g. Han in a Hangul font, to empty glyphs)."""
    found = _drawable.get(font)
    if found is None:
        face = pdfmetrics.getFont(register(font)).face
        pos = face.glyphPos
        found = frozenset(
            code
            for code, glyph in face.charToGlyph.items()
            if pos[glyph + 1] > pos[glyph] or chr(code).isspace()
        )
        _drawable[font] = found
    return found


def has_glyph(font: str, char: str) -> bool:
    """Whether the bundled ``font`` draws ``char`` (whitespace: whether it maps it)."""
    return ord(char) in drawable(font)


def _neutral(char: str) -> bool:
    """Punctuation, digits, symbols and spaces: set in the font of the text around them."""
    return unicodedata.category(char)[0] in "PNSZC"


def _first_with(fonts: Sequence[str], char: str) -> str:
    for font in fonts:
        if has_glyph(font, char):
            return font
    return fonts[0]  # no font has it: the check on the PDF (tests) names it


def runs(text: str, fonts: Sequence[str]) -> list[tuple[str, str]]:
    """``text`` as (font, piece) runs: each letter in the first of ``fonts`` that has it;
    an opening bracket in the font of the letter after it and a closing one in the font
    of the letter before it (so 「(保護命令)」 stays one run); other punctuation, digits
    and spaces in the column's own font ``fonts[0]`` when it has them, else in the font
    of the nearest letter."""
    if not text:
        return []
    chosen: list[str] = [""] * len(text)
    for i, char in enumerate(text):
        if not _neutral(char):
            chosen[i] = _first_with(fonts, char)
    for i, char in enumerate(text):
        if chosen[i]:
            continue
        category = unicodedata.category(char)
        candidates = []
        if category in ("Ps", "Pi"):
            candidates.append(_letter(text, chosen, i, 1, within_word=True))
        elif category in ("Pe", "Pf"):
            candidates.append(_letter(text, chosen, i, -1, within_word=True))
        candidates += [
            fonts[0],
            _letter(text, chosen, i, -1, within_word=False),
            _letter(text, chosen, i, 1, within_word=False),
        ]
        chosen[i] = next(
            (f for f in candidates if f and has_glyph(f, char)), _first_with(fonts, char)
        )
    out: list[tuple[str, str]] = []
    for font, char in zip(chosen, text, strict=True):
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def _letter(text: str, chosen: list[str], i: int, step: int, *, within_word: bool) -> str:
    """The font of the nearest letter before (``step`` -1) or after ``i``."""
    j = i + step
    while 0 <= j < len(text):
        if within_word and text[j].isspace():
            return ""
        if chosen[j] and not _neutral(text[j]):
            return chosen[j]
        j += step
    return ""


def markup(text: str, fonts: Sequence[str], *, shaped: bool = False) -> str:
    """``text`` escaped for a reportlab Paragraph set in ``fonts[0]``, with ``<font>``
    tags around the runs another font sets, and line breaks kept.

    ``shaped``: the paragraph is shaped (HarfBuzz shapes a whole word with the font of
    its first piece), so a word whose pieces need two fonts is split by a space."""
    parts = []
    pieces = runs(unicodedata.normalize("NFC", text), fonts)
    for n, (font, piece) in enumerate(pieces):
        body = escape(piece).replace("\r\n", "\n").replace("\n", "<br/>")
        if shaped and n and not piece[:1].isspace() and not pieces[n - 1][1][-1:].isspace():
            parts.append(" ")
        parts.append(body if font == fonts[0] else f'<font face="{font}">{body}</font>')
    return "".join(parts)
