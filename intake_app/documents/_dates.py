"""Dates as official documents write them: 和暦 with 西暦, e.g. 令和8（2026）年11月25日."""

from __future__ import annotations

import datetime as dt

# (first day, era name), newest first
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def format_date(day: dt.date | None) -> str:
    """和暦（西暦）年月日; an unknown date prints as 不明."""
    if day is None:
        return "不明"
    if isinstance(day, dt.datetime):
        day = day.date()
    for start, era in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            era_year = "元" if year == 1 else str(year)
            return f"{era}{era_year}（{day.year}）年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return "不明"
    return f"{format_date(moment.date())} {moment.hour}時{moment.minute:02d}分"
