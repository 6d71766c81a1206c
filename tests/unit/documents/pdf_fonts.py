"""The fonts embedded in a PDF, read back from the PDF itself: which character each
code draws (ToUnicode) and with which glyph of the embedded subset (its cmap, glyf).

reportlab embeds each TrueType font as subsets of up to 256 codes (simple /TrueType
fonts with a FontFile2 and a ToUnicode map). A character the font lacked is drawn
with glyph 0 (.notdef); a character a font maps to an empty outline draws nothing.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pypdf

NOTDEF = ".notdef"


@dataclass
class EmbeddedFont:
    base_font: str
    to_unicode: dict[int, str] = field(default_factory=dict)  # code → text
    code_glyph: dict[int, int] = field(default_factory=dict)  # code → glyph of the subset
    glyphs: list[bytes] = field(default_factory=list)  # glyph data (glyf) of the subset
    embedded: bool = True
    used: set[int] = field(default_factory=set)  # codes the pages' text operators show

    def drawn(self) -> dict[int, str]:
        """The characters drawn with this font, by code."""
        return {code: self.to_unicode.get(code, "") for code in sorted(self.used)}

    def missing(self) -> list[str]:
        """The characters this font draws and cannot: glyph 0, or an empty outline for a
        character that is not a space."""
        found = []
        for code, text in self.drawn().items():
            glyph = self.code_glyph.get(code, 0)
            empty = glyph >= len(self.glyphs) or not self.glyphs[glyph]
            if glyph == 0:
                # reportlab draws a character its font lacks as code 0 (.notdef)
                found.append(NOTDEF if text in ("", "\x00") else text)
            elif empty and _needs_ink(text):
                found.append(text)
        return found


def _needs_ink(text: str) -> bool:
    """A character whose glyph must have an outline: not a space or a format control
    (ZWJ …), and not a glyph only the shaper uses (reportlab maps those to the private
    use area: half forms, ligatures, and empty marks such as Devanagari's dummy mark)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) != "Cf" and not 0xE000 <= ord(ch) <= 0xF8FF
        for ch in text
    )


def _tables(data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        out[tag] = data[offset : offset + length]
    return out


def _cmap(table: bytes) -> dict[int, int]:
    _version, count = struct.unpack(">HH", table[:4])
    mapping: dict[int, int] = {}
    for i in range(count):
        _platform, _encoding, offset = struct.unpack(">HHI", table[4 + 8 * i : 12 + 8 * i])
        fmt = struct.unpack(">H", table[offset : offset + 2])[0]
        if fmt == 6:
            first, n = struct.unpack(">HH", table[offset + 6 : offset + 10])
            ids = struct.unpack(f">{n}H", table[offset + 10 : offset + 10 + 2 * n])
            mapping.update({first + k: g for k, g in enumerate(ids)})
        elif fmt == 0:
            ids = table[offset + 6 : offset + 6 + 256]
            mapping.update(dict(enumerate(ids)))
    return mapping


def glyph_data(font_file: bytes) -> list[bytes]:
    """The glyf entry of every glyph of a TrueType font program."""
    tables = _tables(font_file)
    long_offsets = struct.unpack(">h", tables[b"head"][50:52])[0] == 1
    loca = tables[b"loca"]
    if long_offsets:
        offsets = list(struct.unpack(f">{len(loca) // 4}I", loca))
    else:
        offsets = [2 * o for o in struct.unpack(f">{len(loca) // 2}H", loca)]
    glyf = tables[b"glyf"]
    return [glyf[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]


def _to_unicode(stream: bytes) -> dict[int, str]:
    text = stream.decode("latin-1")
    out: dict[int, str] = {}

    def hex_text(value: str) -> str:
        raw = bytes.fromhex(value)
        return raw.decode("utf-16-be") if len(raw) >= 2 else chr(raw[0])

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = hex_text(value) if value else ""
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, value in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(value, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + k)
    return out


def _shown(page: Any, reader: pypdf.PdfReader) -> dict[str, set[int]]:
    """The codes each font resource shows on ``page`` (Tj, TJ, ' and \" operators)."""
    from pypdf.generic import ContentStream

    shown: dict[str, set[int]] = {}
    current = ""
    contents = page.get_contents()
    if contents is None:
        return shown
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"Tf":
            current = str(operands[0])
        elif operator in (b"Tj", b"'", b'"', b"TJ"):
            items = operands[-1] if operator != b"TJ" else operands[0]
            strings = items if operator == b"TJ" else [items]
            for item in strings:
                if isinstance(item, (bytes, str)) and not isinstance(item, (int, float)):
                    raw = item if isinstance(item, bytes) else item.get_original_bytes()
                    shown.setdefault(current, set()).update(raw)
    return shown


def embedded_fonts(pdf: bytes) -> list[EmbeddedFont]:
    """Every font the pages select, read from the PDF objects, with the codes shown."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    seen: dict[int, EmbeddedFont] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            continue
        shown = _shown(page, reader)
        for name, ref in fonts.get_object().items():
            key = getattr(ref, "idnum", id(ref))
            if key in seen:
                seen[key].used |= shown.get(str(name), set())
                continue
            obj = ref.get_object()
            font = EmbeddedFont(str(obj.get("/BaseFont")))
            descriptor = obj.get("/FontDescriptor")
            program = descriptor.get_object().get("/FontFile2") if descriptor else None
            if program is None:
                font.embedded = False
            else:
                data = program.get_object().get_data()
                font.glyphs = glyph_data(data)
                font.code_glyph = _cmap(_tables(data)[b"cmap"])
            if "/ToUnicode" in obj:
                font.to_unicode = _to_unicode(obj["/ToUnicode"].get_object().get_data())
            font.used = set(shown.get(str(name), set()))
            seen[key] = font
    return list(seen.values())


def missing_glyphs(pdf: bytes) -> list[tuple[str, str]]:
    """(font, character) for every character drawn without a glyph of its own, and for
    every font that is not embedded and shows text."""
    found = []
    for font in embedded_fonts(pdf):
        if not font.embedded and font.used:
            found.append((font.base_font, "(not embedded)"))
        found += [(font.base_font, ch) for ch in font.missing()]
    return found


HEADING_SIZES = (12.0, 11.0)  # Sheet.heading, the client papers (11: one-page compact print)
FOOTER_BELOW = 40.0  # the page number sits at y = 25 pt


def _collector(found: list[tuple[float, float, str]]) -> Any:
    def visit(text: str, cm: list[float], tm: list[float], _fd: object, size: float) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(y, 1), round(float(size), 1), text.strip()))

    return visit


def page_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, every piece of text as (y from the bottom, font size, text), read
    from the content streams (the text matrix combined with the current matrix)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        found: list[tuple[float, float, str]] = []
        page.extract_text(visitor_text=_collector(found))
        pages.append(found)
    return pages


def last_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, the pieces of text on the lowest line above the page number."""
    out = []
    for lines in page_lines(pdf):
        body = [line for line in lines if line[0] > FOOTER_BELOW]
        if not body:
            out.append([])
            continue
        lowest = min(y for y, _, _ in body)
        out.append([line for line in body if abs(line[0] - lowest) < 2])
    return out


def headings_at_foot(pdf: bytes) -> list[tuple[int, str]]:
    """(page, text) of every page that ends with a heading line (a page break right
    after a heading), except the last page."""
    found = []
    pages = last_lines(pdf)
    for number, lines in enumerate(pages[:-1], 1):
        if lines and all(size in HEADING_SIZES for _, size, _ in lines):
            found.append((number, " ".join(t for _, _, t in lines)))
    return found
