"""What the client's papers share: her language beside the Japanese, in one layout.

The texts are data (``intake_app.domain.paper_texts``: one file per paper and
language). A paper in Japanese only prints one column; in another language every
row prints the Japanese on the left and her language on the right, on the same
page, so staff can check it and she can show it to an official. A translation not
yet reviewed says so, in small print, in both languages. Each column is set in the
fonts of its script (``_fonts``), Devanagari shaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from intake_app.documents import _fonts
from intake_app.documents._dates import format_date
from intake_app.documents._layout import CONTENT_WIDTH, Metadata, Sheet, mark_heading
from intake_app.documents.errors import DocumentError
from intake_app.domain.languages import JAPANESE, language
from intake_app.domain.paper_texts import COMMON, PaperText, Review, load, review_of
from intake_app.domain.tomlfile import ConfigError

SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "ja": (_fonts.FONT, _fonts.LATIN, _fonts.HANS, _fonts.HANGUL, _fonts.DEVANAGARI),
    "latin": (_fonts.LATIN, _fonts.FONT, _fonts.HANS, _fonts.HANGUL, _fonts.DEVANAGARI),
    "hans": (_fonts.HANS, _fonts.LATIN, _fonts.FONT, _fonts.HANGUL, _fonts.DEVANAGARI),
    "hangul": (_fonts.HANGUL, _fonts.FONT, _fonts.LATIN, _fonts.HANS, _fonts.DEVANAGARI),
    "deva": (_fonts.DEVANAGARI, _fonts.LATIN, _fonts.FONT, _fonts.HANS, _fonts.HANGUL),
}
GUTTER = 5 * mm
WHERE_SETTINGS = "管理者メニュー →「設定」"


def required(value: str, setting: str) -> str:
    """``value``, or a ``DocumentError`` naming the empty ``setting`` and who fills it
    (a paper never prints 「（未設定）」 or an empty 「電話 」)."""
    if not value.strip():
        raise DocumentError(
            f"{setting}が設定されていないため、この書類を作成できません"
            f"（管理者が{WHERE_SETTINGS}で設定します）。"
        )
    return value.strip()


def refusal(kind: str, municipality: Any) -> str:
    """Why the client paper ``kind`` cannot be made with ``municipality`` (one Japanese
    sentence), or "" — for screens to say so before asking anything else."""
    from intake_app.documents import _centre
    from intake_app.documents.discreet_card import neutral_office

    try:
        required(_centre.sender(municipality).phone, "センターの電話番号")
        if kind in ("protection_order_advice_discreet", "safety_plan"):
            neutral_office(municipality)
    except DocumentError as exc:
        return exc.message
    return ""


def checked_language(code: str | None) -> str:
    """``code`` (None: Japanese) or a ``DocumentError`` for a language without papers."""
    if code is None or code == JAPANESE:
        return JAPANESE
    try:
        language(code)
    except KeyError:
        raise DocumentError(f"「{code}」の書類はありません。") from None
    return code


def _texts(paper: str, code: str) -> PaperText:
    try:
        return load(paper, code)
    except ConfigError as exc:
        raise DocumentError(exc.message) from None


@dataclass(frozen=True)
class Column:
    """One language's texts and how its column is set."""

    code: str
    paper: PaperText
    common: PaperText
    fonts: tuple[str, ...]
    cjk: bool  # lines break between any two characters (Japanese, Chinese)
    shaped: bool  # HarfBuzz shaping (Devanagari)
    name: str  # the column's heading: the language as its readers write it

    def t(self, path: str, **values: object) -> str:
        """The paper's text at ``path`` (``common.`` paths: the language's shared texts)."""
        if path.startswith("common."):
            return self.common.get(path.removeprefix("common."), **values)
        return self.paper.get(path, **values)

    def items(self, path: str) -> list[str]:
        return self.paper.items(path)

    def table(self, path: str) -> dict[str, Any]:
        return self.paper.table(path)

    def date(self, day: dt.date, *, weekday: bool = False, official: bool = True) -> str:
        """The date as this language writes it; Japanese in 和暦 with 西暦 (``official``)
        or, on a card, as 2026年12月9日."""
        if self.code == JAPANESE and official:
            text = format_date(day)
        else:
            months = self.common.items("months")
            text = self.common.get(
                "date", year=day.year, month_name=months[day.month - 1], day=day.day
            )
        if weekday:
            text = self.common.get(
                "date_weekday", date=text, weekday=self.common.items("weekdays")[day.weekday()]
            )
        return text

    def time(self, moment: dt.datetime | dt.time) -> str:
        return self.common.get("time", hour=moment.hour, minute=f"{moment.minute:02d}")

    def datetime(self, moment: dt.datetime, *, weekday: bool = True, official: bool = True) -> str:
        day = self.date(moment.date(), weekday=weekday, official=official)
        return f"{day} {self.time(moment)}"


def column(paper: str, code: str) -> Column:
    lang_script = "ja" if code == JAPANESE else language(code).script
    return Column(
        code=code,
        paper=_texts(paper, code),
        common=_texts(COMMON, code),
        fonts=SCRIPT_FONTS[lang_script],
        cjk=lang_script in ("ja", "hans"),
        shaped=lang_script == "deva" and _fonts.shaping_available(),
        name="日本語" if code == JAPANESE else language(code).name,
    )


SIZES = {  # font size and leading by kind of text
    "title": (16, 23),
    "heading": (12, 17),
    "body": (10.5, 16),
    "small": (8.5, 12),
    "head": (8, 11),
}
COMPACT = {**SIZES, "heading": (11, 15), "body": (9.5, 13.5), "small": (8, 11)}  # one page


@lru_cache(maxsize=128)
def _style(
    fonts: tuple[str, ...], cjk: bool, shaped: bool, kind: str, compact: bool
) -> ParagraphStyle:
    for font in fonts:
        _fonts.register(font)
    size, leading = (COMPACT if compact else SIZES)[kind]
    if shaped:
        leading += 3  # vowel signs above and below the line
    return ParagraphStyle(
        f"client-{fonts[0]}-{kind}-{'compact' if compact else 'normal'}",
        fontName=fonts[0],
        fontSize=size,
        leading=leading,
        wordWrap="CJK" if cjk else None,
        shaping=1 if shaped else 0,
        alignment=TA_CENTER if kind == "title" else 0,
        textColor=colors.HexColor("#555555") if kind == "head" else colors.black,
        spaceAfter=0,
    )


class ClientPaper:
    """Builds one client paper: Japanese alone, or Japanese beside her language."""

    def __init__(
        self,
        paper: str,
        code: str | None,
        *,
        metadata_title: str = "",
        author: str = "",
        centre_reviews: Any = None,
        compact: bool = False,
    ) -> None:
        code = checked_language(code)
        self.compact = compact  # smaller print, for a paper that must fit one page
        self.paper = paper
        self.ja = column(paper, JAPANESE)
        self.tr: Column | None = None if code == JAPANESE else column(paper, code)
        self.review: Review = review_of(paper, code, centre_reviews)
        lang_tag = "ja-JP" if self.tr is None else language(code).tag
        self.sheet = Sheet(
            Metadata(title=metadata_title or self.ja.t("title"), author=author),
            mark=None,
            lang=lang_tag,
        )

    @property
    def columns(self) -> list[Column]:
        return [self.ja] if self.tr is None else [self.ja, self.tr]

    # --- pieces ---------------------------------------------------------------------

    def _p(self, col: Column, value: str, kind: str) -> Paragraph:
        style = _style(col.fonts, col.cjk, col.shaped, kind, self.compact)
        return Paragraph(_fonts.markup(value, col.fonts, shaped=col.shaped), style)

    def add(self, flowable: Flowable) -> None:
        self.sheet.story.append(flowable)

    def row(self, ja: str, tr: str | None = None, *, kind: str = "body") -> Flowable:
        """One row: the Japanese, and beside it her language (``tr``; the Japanese
        again when None, e.g. a name or a number)."""
        if self.tr is None:
            flowable: Flowable = self._p(self.ja, ja, kind)
            flowable.spaceBefore = 3.5 * mm if kind == "heading" else 0
            flowable.spaceAfter = 1.2 * mm if kind in ("heading", "body") else 0.5 * mm
        else:
            half = (CONTENT_WIDTH - GUTTER) / 2
            cells = [self._p(self.ja, ja, kind), self._p(self.tr, ja if tr is None else tr, kind)]
            table = Table([cells], colWidths=[half + GUTTER / 2, half + GUTTER / 2])
            style: list[tuple[Any, ...]] = [
                # A table otherwise selects (unembedded) Helvetica for its cells.
                ("FONT", (0, 0), (-1, -1), _fonts.ensure_font(), 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), GUTTER / 2),
                ("LEFTPADDING", (1, 0), (1, -1), GUTTER / 2),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEAFTER", (0, 0), (0, -1), 0.4, colors.HexColor("#BBBBBB")),
            ]
            if kind == "heading":
                style += [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEEEEE")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            table.setStyle(style)
            table.spaceBefore = 3 * mm if kind == "heading" else 0
            table.spaceAfter = 1 * mm
            flowable = table
        if kind == "heading":
            mark_heading(flowable)
        self.add(flowable)
        return flowable

    def entry(self, title: tuple[str, str | None], lines: list[tuple[str, str | None]]) -> None:
        """One boxed entry (a place to call): its name and number in large print, then
        its lines, in each column; one row, so it never splits from its name."""

        def cell(col: Column, head: str, body: list[str]) -> list[Flowable]:
            return [self._p(col, head, "heading"), *(self._p(col, b, "body") for b in body)]

        ja = cell(self.ja, title[0], [line[0] for line in lines])
        if self.tr is None:
            cells: list[Any] = [ja]
            widths = [CONTENT_WIDTH]
        else:
            tr_title = title[0] if title[1] is None else title[1]
            tr_lines = [line[0] if line[1] is None else line[1] for line in lines]
            cells = [ja, cell(self.tr, tr_title, tr_lines)]
            half = (CONTENT_WIDTH - GUTTER) / 2
            widths = [half + GUTTER / 2, half + GUTTER / 2]
        table = Table([cells], colWidths=widths)
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), _fonts.ensure_font(), 10),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.HexColor("#888888")),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if self.tr is not None:
            style += [
                ("RIGHTPADDING", (0, 0), (0, -1), GUTTER / 2),
                ("LEFTPADDING", (1, 0), (1, -1), GUTTER / 2),
                ("LINEAFTER", (0, 0), (0, -1), 0.4, colors.HexColor("#BBBBBB")),
            ]
        table.setStyle(style)
        table.spaceBefore = 1.5 * mm
        self.add(table)

    def title(self, path: str = "title", **values: object) -> None:
        """The title, her language's under the Japanese; then the columns' names."""
        self.add(self._p(self.ja, self.ja.t(path, **values), "title"))
        if self.tr is not None:
            self.add(self._p(self.tr, self.tr.t(path, **values), "title"))
            self.sheet.spacer(2)
            self.row(self.ja.name, self.tr.name, kind="head")
        self.sheet.spacer(2)

    def heading(self, path: str, **values: object) -> None:
        self.row(*self.texts(path, **values), kind="heading")

    def para(self, path: str, *, small: bool = False, **values: object) -> None:
        self.row(*self.texts(path, **values), kind="small" if small else "body")

    def texts(self, path: str, **values: object) -> tuple[str, str | None]:
        """The Japanese text at ``path`` and her language's (None when Japanese only)."""
        return (
            self.ja.t(path, **values),
            None if self.tr is None else self.tr.t(path, **values),
        )

    def bullets(self, pairs: Iterable[tuple[str, str | None]], marker: str | None = None) -> None:
        """One row per item, each with the column's bullet (or ``marker``, e.g. 「□ 」)."""
        for ja, tr in pairs:
            ja_mark = self.ja.t("common.bullet") if marker is None else marker
            self.row(
                ja_mark + ja,
                None
                if self.tr is None or tr is None
                else (self.tr.t("common.bullet") if marker is None else marker) + tr,
            )

    def list_items(self, path: str) -> list[tuple[str, str | None]]:
        """The list at ``path`` paired item by item with her language's."""
        ja = self.ja.items(path)
        tr = self.tr.items(path) if self.tr is not None else [None] * len(ja)
        return list(zip(ja, tr, strict=True))

    def field(self, label_path: str, value: str, *, small: bool = False) -> None:
        """「label: value」 in each column; the value (a name, a number) as given."""
        ja_label, tr_label = self.texts(label_path)
        self.row(
            self.ja.t("common.field", label=ja_label, value=value),
            None if self.tr is None else self.tr.t("common.field", label=tr_label, value=value),
            kind="small" if small else "body",
        )

    def review_notice(self) -> None:
        """A translation not yet reviewed says so, in small print, in both languages."""
        if self.tr is not None and not self.review.reviewed:
            self.row(self.ja.t("common.unreviewed"), self.tr.t("common.unreviewed"), kind="small")
            self.sheet.spacer(1)

    def dated(self, day: dt.date) -> tuple[str, str | None]:
        return self.ja.date(day), None if self.tr is None else self.tr.date(day)

    def build(self) -> bytes:
        return self.sheet.build()


def pairs(ja: Sequence[str], tr: Sequence[str] | None) -> list[tuple[str, str | None]]:
    return list(zip(ja, tr if tr is not None else [None] * len(ja), strict=True))
