"""文書番号: the number an official paper carries, e.g. 蕨市協第12号.

The centre chooses the format (``centre.document_number_format`` of the municipality
settings); the numbers run per fiscal year (April to March) and are kept in the vault
(``intake_app.store.document_numbers``). Placeholders:

- ``{n}``: the number within the fiscal year (required, once);
- ``{year}``: the fiscal year in 西暦 (2026);
- ``{nendo}``: the fiscal year in 和暦 (令和8; 令和元 for the era's first year).
"""

from __future__ import annotations

import datetime as dt
import string

from intake_app.domain.japanese import ERAS, fiscal_year

PLACEHOLDERS: dict[str, str] = {
    "n": "番号（年度ごとに1から）",
    "year": "年度（西暦、例: 2026）",
    "nendo": "年度（和暦、例: 令和8）",
}
MAX_FORMAT_CHARS = 40
EXAMPLE_FORMAT = "蕨市協第{n}号"


def format_problem(fmt: str) -> str | None:
    """Why ``fmt`` cannot be used as a 文書番号 format (one Japanese sentence), or None.

    An empty format is allowed here (the setting is then missing, which the papers
    report through ``missing_settings``)."""
    if not fmt:
        return None
    if len(fmt) > MAX_FORMAT_CHARS:
        return f"{MAX_FORMAT_CHARS}文字以内にしてください。"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in fmt):
        return "改行や制御文字は使えません。"
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError:
        return "波かっこ { } の対応が正しくありません（例: 蕨市協第{n}号）。"
    names = [name for _, name, spec, conv in parts if name is not None]
    for _, name, spec, conv in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conv:
            known = "、".join("{" + key + "}" for key in PLACEHOLDERS)
            return f"「{{{name}}}」は使えません（使えるのは {known}）。"
    if names.count("n") != 1:
        return "番号の位置に {n} を1つだけ書いてください（例: 蕨市協第{n}号）。"
    return None


def nendo(year: int) -> str:
    """The fiscal year ``year`` in 和暦 as offices write it: 令和8, 令和元.

    The era is the one that began in or before the calendar year the fiscal year starts
    in: 令和元年度 for April 2019 – March 2020 (令和 began in May 2019). An era that begins
    in January–March names the next fiscal year, so no two fiscal years share a name:
    April 1988 – March 1989 stays 昭和63 (平成 began on 8 January 1989), 1989 is 平成元."""
    for name, first in ERAS:
        if first.year <= year:
            number = year - first.year + 1
            return f"{name}{'元' if number == 1 else number}"
    raise ValueError(f"昭和より前の年度は和暦にできません: {year}")


def format_document_number(fmt: str, number: int, year: int) -> str:
    """``fmt`` with ``{n}``, ``{year}`` and ``{nendo}`` filled in (``ValueError`` if bad)."""
    problem = format_problem(fmt)
    if problem is not None or not fmt:
        raise ValueError(problem or "文書番号の形式が設定されていません。")
    if number < 1:
        raise ValueError("文書番号は1から始まります。")
    return fmt.format(n=number, year=year, nendo=nendo(year))


def example(fmt: str, today: dt.date, number: int = 1) -> str:
    """What the first number of this fiscal year would look like ("" for a bad format)."""
    try:
        return format_document_number(fmt, number, fiscal_year(today))
    except ValueError:
        return ""
