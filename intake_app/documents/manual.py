"""The 操作マニュアル: Markdown in ``resources/manual/``, read here, built into a PDF
(``intake-app manual``) or into HTML for the help window (F1).

The Markdown is a small subset, parsed here so nothing new is needed: ``#``/``##``/``###``
headings with an anchor ``{#id}`` (the ids the program's F1 uses), paragraphs, ``- ``
and ``1. `` lists, ``|`` tables, ``> `` notes, ``![caption](images/name.png)`` on a line
of its own, and inline ``**bold**`` and `` `code` ``. Files are read in name order.
Anything else is plain text. The manual holds no personal data.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_app import paths

TITLE = "相談記録システム 操作マニュアル"

_HEADING = re.compile(r"^(#{1,3})\s+(.*?)(?:\s+\{#([a-z0-9][a-z0-9-]*)\})?\s*$")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
_NUMBERED = re.compile(r"^\d+\.\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


class ManualError(ValueError):
    """The manual's Markdown breaks the subset (a defect of the shipped files)."""


@dataclass(frozen=True)
class Block:
    """One block of the manual.

    ``kind``: ``heading`` (``level``, ``text``, ``anchor``), ``para``, ``note`` (``text``),
    ``bullets``/``numbers`` (``items``), ``table`` (``rows``, the first is the header),
    ``image`` (``text`` the caption, ``src`` relative to the manual folder).
    """

    kind: str
    text: str = ""
    level: int = 0
    anchor: str | None = None
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    src: str = ""
    source: str = ""  # file name, for messages


@dataclass(frozen=True)
class Manual:
    blocks: tuple[Block, ...]
    folder: Path = field(default_factory=lambda: manual_dir())

    def anchors(self) -> list[str]:
        return [b.anchor for b in self.blocks if b.kind == "heading" and b.anchor]

    def images(self) -> list[str]:
        return [b.src for b in self.blocks if b.kind == "image"]

    def section_title(self, anchor: str) -> str | None:
        for block in self.blocks:
            if block.kind == "heading" and block.anchor == anchor:
                return block.text
        return None


def manual_dir() -> Path:
    """The folder of the Markdown files and ``images/``."""
    return paths.manual_dir()


def _table_row(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def parse(text: str, source: str = "") -> list[Block]:
    """The blocks of one Markdown file (the subset above)."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(
                Block(
                    "heading",
                    text=heading.group(2),
                    level=len(heading.group(1)),
                    anchor=heading.group(3),
                    source=source,
                )
            )
            i += 1
            continue
        image = _IMAGE.match(line)
        if image:
            blocks.append(Block("image", text=image.group(1), src=image.group(2), source=source))
            i += 1
            continue
        group: list[str] = []
        if line.startswith("|"):
            while i < len(lines) and lines[i].startswith("|"):
                group.append(lines[i])
                i += 1
            rows = [_table_row(g) for g in group]
            if len(rows) < 2 or not all(set(c) <= set("-: ") for c in rows[1]):
                raise ManualError(f"{source}: 表の2行目は区切り（|---|）にしてください")
            body = [rows[0], *rows[2:]]
            width = len(rows[0])
            if any(len(r) != width for r in body):
                raise ManualError(f"{source}: 表「{rows[0][0]}」の列の数がそろっていません")
            blocks.append(Block("table", rows=tuple(body), source=source))
            continue
        if line.startswith("- ") or _NUMBERED.match(line):
            numbered = not line.startswith("- ")
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                current = lines[i].rstrip()
                match = _NUMBERED.match(current) if numbered else None
                if numbered and match:
                    items.append(match.group(1))
                elif not numbered and current.startswith("- "):
                    items.append(current[2:].strip())
                elif current.startswith("  ") and items:  # a continued item
                    items[-1] += current.strip()
                else:
                    break
                i += 1
            blocks.append(
                Block("numbers" if numbered else "bullets", items=tuple(items), source=source)
            )
            continue
        if line.startswith(">"):
            while i < len(lines) and lines[i].startswith(">"):
                group.append(lines[i][1:].strip())
                i += 1
            blocks.append(Block("note", text="".join(group), source=source))
            continue
        while i < len(lines) and lines[i].strip():
            current = lines[i].rstrip()
            if _HEADING.match(current) or _IMAGE.match(current) or current.startswith(("|", "- ")):
                break
            group.append(current.strip())
            i += 1
        blocks.append(Block("para", text="".join(group), source=source))
    return blocks


def load(folder: Path | None = None) -> Manual:
    """Every ``*.md`` of the manual folder, in name order, checked: every heading of
    levels 1 and 2 has an anchor, and no anchor is used twice."""
    folder = folder or manual_dir()
    blocks: list[Block] = []
    for path in sorted(folder.glob("*.md")):
        blocks.extend(parse(path.read_text(encoding="utf-8"), path.name))
    seen: set[str] = set()
    for block in blocks:
        if block.kind != "heading":
            continue
        if block.anchor is None and block.level <= 2:
            raise ManualError(f"{block.source}: 見出し「{block.text}」に {{#id}} がありません")
        if block.anchor is not None:
            if block.anchor in seen:
                raise ManualError(f"{block.source}: 見出しの id「{block.anchor}」が重複しています")
            seen.add(block.anchor)
    return Manual(tuple(blocks), folder)


def _inline(value: str, *, code_font: str | None = None) -> str:
    """Escaped text with ``**bold**`` and `` `code` `` as markup both renderers read."""
    escaped = html.escape(value, quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    if code_font is None:
        return _CODE.sub(r"<code>\1</code>", escaped)
    return _CODE.sub(rf'<font name="{code_font}" color="#333333">\1</font>', escaped)


# --- HTML (the help window) --------------------------------------------------------

HELP_IMAGE_WIDTH = 720


def to_html(manual: Manual) -> str:
    """The whole manual as one HTML page: each anchor before its heading, images by
    their path relative to the manual folder (the help window searches it)."""
    parts = [
        "<html><head><meta charset='utf-8'><style>",
        "h1 { font-size: 20pt; margin-top: 18px; } h2 { font-size: 16pt; margin-top: 14px; }",
        "h3 { font-size: 13pt; } p, li, td, th { font-size: 12pt; }",
        "table { border-collapse: collapse; } td, th { padding: 4px; }",
        ".note { background: #fff3cd; padding: 6px; } .caption { color: #444444; }",
        "</style></head><body>",
    ]
    for block in manual.blocks:
        if block.kind == "heading":
            anchor = f"<a name='{block.anchor}'></a>" if block.anchor else ""
            parts.append(f"{anchor}<h{block.level}>{_inline(block.text)}</h{block.level}>")
        elif block.kind == "para":
            parts.append(f"<p>{_inline(block.text)}</p>")
        elif block.kind == "note":
            parts.append(
                "<table class='note' width='100%' border='1' cellpadding='6' bgcolor='#fff3cd'>"
                f"<tr><td bgcolor='#fff3cd'>{_inline(block.text)}</td></tr></table>"
            )
        elif block.kind in ("bullets", "numbers"):
            tag = "ul" if block.kind == "bullets" else "ol"
            items = "".join(f"<li>{_inline(item)}</li>" for item in block.items)
            parts.append(f"<{tag}>{items}</{tag}>")
        elif block.kind == "table":
            head, *rows = block.rows
            cells = "".join(f"<th align='left'>{_inline(c)}</th>" for c in head)
            body = "".join(
                "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            parts.append(f"<table border='1' cellspacing='0'><tr>{cells}</tr>{body}</table>")
        elif block.kind == "image":
            src = html.escape(block.src, quote=True)
            caption = _inline(block.text)
            parts.append(
                f"<p><img src='{src}' width='{HELP_IMAGE_WIDTH}' alt='{caption}'><br>"
                f"<span class='caption'>図: {caption}</span></p>"
            )
    parts.append("</body></html>")
    return "\n".join(parts)


# --- PDF ---------------------------------------------------------------------------


def _styles() -> dict[str | int, Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    from intake_app.documents._fonts import ensure_font

    font = ensure_font()
    # IPAexGothic has one weight: bold text is drawn in the same face, in a dark red.
    registerFontFamily(font, normal=font, bold=font, italic=font, boldItalic=font)
    base = ParagraphStyle("m-body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "font": font,
        "body": ParagraphStyle("m-para", parent=base, spaceAfter=2.5 * mm),
        "item": ParagraphStyle("m-item", parent=base),
        "cell": ParagraphStyle("m-cell", parent=base, fontSize=9.5, leading=14),
        "caption": ParagraphStyle(
            "m-caption", parent=base, fontSize=9, leading=13, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "m-title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "m-subtitle", parent=base, fontSize=12, leading=18, alignment=TA_CENTER
        ),
        1: ParagraphStyle(
            "m-h1", parent=base, fontSize=18, leading=26, spaceBefore=2 * mm, spaceAfter=5 * mm
        ),
        2: ParagraphStyle(
            "m-h2", parent=base, fontSize=14, leading=20, spaceBefore=5 * mm, spaceAfter=2.5 * mm
        ),
        3: ParagraphStyle(
            "m-h3", parent=base, fontSize=12, leading=18, spaceBefore=3 * mm, spaceAfter=2 * mm
        ),
        "toc1": ParagraphStyle("m-toc1", parent=base, fontSize=12, leading=20, leftIndent=0),
        "toc2": ParagraphStyle("m-toc2", parent=base, fontSize=10, leading=15, leftIndent=8 * mm),
    }


def _bold_markup(value: str, font: str) -> str:
    return (
        _inline(value, code_font=font)
        .replace("<b>", '<font color="#8B0000"><b>')
        .replace("</b>", "</b></font>")
    )


def _flowables(manual: Manual, st: dict[str | int, Any], width: float) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        Image,
        KeepTogether,
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    font = st["font"]
    story: list[Any] = []
    first_part = True
    for block in manual.blocks:
        if block.kind == "heading":
            if block.level == 1:
                if not first_part:
                    story.append(PageBreak())
                first_part = False
            else:
                story.append(CondPageBreak(40 * mm))
            para = Paragraph(_bold_markup(block.text, font), st[block.level])
            para.toc_level = block.level
            para.toc_text = block.text
            para.toc_key = block.anchor
            story.append(para)
        elif block.kind == "para":
            story.append(Paragraph(_bold_markup(block.text, font), st["body"]))
        elif block.kind == "note":
            note = Table(
                [[Paragraph(_bold_markup(block.text, font), st["item"])]], colWidths=[width]
            )
            note.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), font, 10.5),
                        ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#B00020")),
                        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF6E0")),
                        ("TOPPADDING", (0, 0), (-1, -1), 5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ]
                )
            )
            story += [note, Spacer(1, 3 * mm)]
        elif block.kind in ("bullets", "numbers"):
            items = [
                ListItem(Paragraph(_bold_markup(item, font), st["item"]), leftIndent=14)
                for item in block.items
            ]
            story.append(
                ListFlowable(
                    items,
                    bulletType="1" if block.kind == "numbers" else "bullet",
                    start="1" if block.kind == "numbers" else "•",
                    bulletFormat="%s." if block.kind == "numbers" else None,
                    bulletFontName=font,
                    bulletFontSize=10,
                    leftIndent=14,
                    spaceAfter=2.5 * mm,
                )
            )
            story.append(Spacer(1, 2 * mm))
        elif block.kind == "table":
            columns = len(block.rows[0])
            first = width * (0.28 if columns > 1 else 1.0)
            rest = (width - first) / max(columns - 1, 1)
            data = [
                [Paragraph(_bold_markup(cell, font), st["cell"]) for cell in row]
                for row in block.rows
            ]
            table = Table(data, colWidths=[first] + [rest] * (columns - 1), repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), font, 9.5),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ]
                )
            )
            story += [table, Spacer(1, 4 * mm)]
        elif block.kind == "image":
            path = manual.folder / block.src
            if not path.is_file():  # a defect of the package (a test checks every image)
                story.append(Paragraph(f"（図「{_inline(block.text)}」がありません）", st["body"]))
                continue
            image = Image(str(path))
            scale = min(1.0, (width * 0.9) / image.imageWidth, (95 * mm) / image.imageHeight)
            image.drawWidth = image.imageWidth * scale
            image.drawHeight = image.imageHeight * scale
            image.hAlign = "CENTER"
            story.append(
                KeepTogether(
                    [
                        image,
                        Spacer(1, 1.5 * mm),
                        Paragraph(f"図: {_bold_markup(block.text, font)}", st["caption"]),
                        Spacer(1, 4 * mm),
                    ]
                )
            )
    return story


def build_pdf(manual: Manual | None = None, *, version: str = "") -> bytes:
    """The manual as an A4 PDF, built in memory: a cover with the table of contents,
    each part on a new page, page numbers, the screenshots embedded."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus.tableofcontents import TableOfContents

    manual = manual or load()
    st = _styles()
    font = st["font"]
    margin = 20 * mm
    width = A4[0] - 2 * margin

    class _Doc(SimpleDocTemplate):  # type: ignore[misc]
        def afterFlowable(self, flowable: Any) -> None:
            level = getattr(flowable, "toc_level", None)
            if level in (1, 2):
                key = flowable.toc_key
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.toc_text, key, level=level - 1)
                self.notify("TOCEntry", (level - 1, flowable.toc_text, self.page, key))

    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=TITLE,
        author="",
        creator="",
        producer="",
        invariant=1,
        lang="ja-JP",
        initialFontName=font,
    )
    toc = TableOfContents(
        levelStyles=[st["toc1"], st["toc2"]],
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    story: list[Any] = [
        Spacer(1, 40 * mm),
        Paragraph(TITLE, st["title"]),
        Spacer(1, 6 * mm),
        Paragraph("相談員・管理者・情報システム担当者のために", st["subtitle"]),
    ]
    if version:
        story.append(Paragraph(f"プログラムの版 {html.escape(version)}", st["subtitle"]))
    story += [PageBreak(), Paragraph("目次", st[1]), toc, PageBreak()]
    story += _flowables(manual, st, width)

    def decorate(canvas: Any, doc: Any) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, margin / 2, f"- {doc.page} -")
        canvas.drawString(margin, margin / 2, TITLE)
        canvas.restoreState()

    doc.multiBuild(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def referenced_images(manual: Manual | None = None) -> list[str]:
    """The image names (``images/…png`` → ``…``) the manual shows, in order."""
    manual = manual or load()
    return [Path(src).stem for src in manual.images()]
