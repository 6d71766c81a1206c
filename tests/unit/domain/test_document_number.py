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


def test_an_era_beginning_in_january_to_march_names_the_next_fiscal_year_only():
    # 平成 began on 8 January 1989, inside the fiscal year April 1988 – March 1989.
    assert nendo(1988) == "昭和63"
    assert nendo(1989) == "平成元"
    assert format_document_number("{nendo}年度第{n}号", 5, 1988) == "昭和63年度第5号"
    assert format_document_number("{nendo}年度第{n}号", 5, 1989) == "平成元年度第5号"
    # no two fiscal years share a name, so no two papers share a number
    names = [nendo(year) for year in range(1926, 2031)]
    assert len(set(names)) == len(names)
    assert nendo(1926) == "昭和元"  # 昭和 began on 25 December 1926


def test_a_fiscal_year_before_showa_is_refused_in_japanese():
    with pytest.raises(ValueError, match="昭和より前の年度"):
        nendo(1925)
    with pytest.raises(ValueError, match="昭和より前の年度"):
        format_document_number("{nendo}第{n}号", 1, 1925)


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


@pytest.mark.parametrize("number", [0, -3])
def test_a_number_below_one_is_refused(number):
    with pytest.raises(ValueError, match="1から始まります"):
        format_document_number("蕨市協第{n}号", number, 2026)
    assert example("蕨市協第{n}号", dt.date(2026, 4, 1), number=number) == ""
    assert example("蕨市協第{n}号", dt.date(2026, 4, 1), number=1) == "蕨市協第1号"
