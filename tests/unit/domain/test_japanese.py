import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.japanese import age_on, era_of, fiscal_year, normalize_kana, wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 25), "令和8（2026）年11月25日"),
        (dt.date(2019, 5, 1), "令和元（2019）年5月1日"),
        (dt.date(2019, 4, 30), "平成31（2019）年4月30日"),
        (dt.date(1989, 1, 8), "平成元（1989）年1月8日"),
        (dt.date(1989, 1, 7), "昭和64（1989）年1月7日"),
        (dt.date(1926, 12, 25), "昭和元（1926）年12月25日"),
        (dt.date(2020, 1, 1), "令和2（2020）年1月1日"),
    ],
)
def test_wareki_writes_dates_as_official_documents_do(day, expected):
    assert wareki(day) == expected


def test_dates_before_showa_are_refused_in_japanese():
    with pytest.raises(ValueError, match="昭和より前"):
        wareki(dt.date(1926, 12, 24))


def test_era_of_gives_era_and_year():
    assert era_of(dt.date(2026, 4, 1)) == ("令和", 8)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
    ],
)
def test_fiscal_year_runs_april_to_march(day, expected):
    assert fiscal_year(day) == expected


@pytest.mark.parametrize(
    ("dob", "day", "expected"),
    [
        (dt.date(1990, 4, 2), dt.date(2026, 4, 1), 35),
        (dt.date(1990, 4, 2), dt.date(2026, 4, 2), 36),
        (dt.date(2000, 2, 29), dt.date(2026, 2, 28), 25),
        (dt.date(2000, 2, 29), dt.date(2026, 3, 1), 26),
        (dt.date(2026, 11, 25), dt.date(2026, 11, 25), 0),
    ],
)
def test_age_on_counts_completed_years(dob, day, expected):
    assert age_on(dob, day) == expected


def test_age_before_birth_is_refused():
    with pytest.raises(ValueError, match="生年月日より前"):
        age_on(dt.date(2020, 1, 2), dt.date(2020, 1, 1))


@pytest.mark.parametrize(
    "spelling",
    ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "ヤマ ダ", "やま　だ", "ﾔﾏ ﾀﾞ", "ヤマダ\t"],
)
def test_kana_spellings_of_one_name_share_one_key(spelling):
    assert normalize_kana(spelling) == "やまだ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("オーノ", "おおの"),
        ("ｵｰﾉ", "おおの"),
        ("サトー", "さとお"),
        ("サト-", "さとお"),
        ("ー", ""),
        ("ンー", "ん"),
        ("ッー", "っ"),
        ("ゝー", "ゝ"),
        ("ヽヾ", "ゝゞ"),
        ("ヴァイオレット", "ゔぁいおれっと"),
        ("ｳﾞ", "ゔ"),
        ("か ゙", "が"),  # a spacing voiced mark typed after a space still joins
        ("Maria ＳＡＮＴＯＳ", "mariasantos"),
        ("1-2", "1-2"),
        ("山田　花子", "山田花子"),
        ("ヶ", "ゖ"),
        ("ヷ", "ヷ"),  # no hiragana form: kept
    ],
)
def test_kana_normalisation_details(text, expected):
    assert normalize_kana(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("さとう", "さとお"),
        ("サトウ", "さとお"),
        ("サトー", "さとお"),
        ("ｻﾄｳ", "さとお"),
        ("けいこ", "けえこ"),
        ("ケーコ", "けえこ"),
        ("いのうえ", "いのおえ"),
        ("ゆうこ", "ゆうこ"),  # う after an u-row kana is not a long o
        ("あい", "あい"),
    ],
)
def test_long_vowels_written_either_way_share_one_key(text, expected):
    assert normalize_kana(text) == expected


@given(st.text())
def test_kana_normalisation_is_idempotent(text):
    once = normalize_kana(text)
    assert normalize_kana(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6)))
def test_katakana_and_hiragana_spellings_match(text):
    hira = "".join(chr(ord(c) - 0x60) for c in text)
    assert normalize_kana(text) == normalize_kana(hira)
