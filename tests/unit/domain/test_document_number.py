"""文書番号: the format the centre chooses, with the fiscal year in 西暦 or 和暦."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.domain.document_number import example, format_document_number, format_problem, nendo


def test_numbers_in_the_centres_format():
    assert format_document_number("蕨市協第{n}号", 12, 2026) == "蕨市協第12号"
    assert format_document_number("{nendo}年度蕨市協第{n}号", 1, 2026) == "令和8年度蕨市協第1号"
    assert format_document_number("蕨協{year}-{n}", 3, 2026) == "蕨協2026-3"


def test_the_fiscal_year_in_wareki():
    assert nendo(2026) == "令和8"
    assert nendo(2019) == "令和元"  # April 2019 – March 2020
    assert nendo(2018) == "平成30"


@pytest.mark.parametrize(
    ("fmt", "problem"),
    [
        ("蕨市協第号", "{n} を1つだけ"),
        ("第{n}号{n}", "{n} を1つだけ"),
        ("第{num}号", "「{num}」は使えません"),
        ("第{n:03}号", "「{n}」は使えません"),
        ("第{n}号{", "波かっこ"),
        ("第{n}号\n", "制御文字"),
        ("あ" * 41 + "{n}", "40文字以内"),
    ],
)
def test_bad_formats_are_named(fmt, problem):
    assert problem in (format_problem(fmt) or "")
    with pytest.raises(ValueError):
        format_document_number(fmt, 1, 2026)


def test_an_empty_format_is_a_missing_setting_not_a_bad_one():
    assert format_problem("") is None
    with pytest.raises(ValueError, match="設定されていません"):
        format_document_number("", 1, 2026)
    assert example("", dt.date(2026, 4, 1)) == ""
    assert example("第{n}号", dt.date(2027, 3, 31)) == "第1号"
