"""Dates as official documents write them: 和暦 with 西暦, e.g. 令和8（2026）年11月25日."""

from __future__ import annotations

import datetime as dt

from intake_app.domain.japanese import wareki


def format_date(day: dt.date | None) -> str:
    """和暦（西暦）年月日; an unknown date prints as 不明, one before 昭和 in 西暦 only."""
    if day is None:
        return "不明"
    if isinstance(day, dt.datetime):
        day = day.date()
    try:
        return wareki(day)
    except ValueError:
        return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return "不明"
    return f"{format_date(moment.date())} {moment.hour}時{moment.minute:02d}分"
