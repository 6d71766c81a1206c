"""Japanese helpers: 和暦 dates as in official documents, fiscal years, ages, kana search keys."""

from __future__ import annotations

import datetime as dt
import unicodedata

# (era name, first day) newest first; 元年 is the first year of each era.
ERAS: tuple[tuple[str, dt.date], ...] = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
)

_KATAKANA_FIRST = 0x30A1  # ァ
_KATAKANA_LAST = 0x30F6  # ヶ
_KATA_TO_HIRA = 0x60
_ITERATION_MARKS = {"ヽ": "ゝ", "ヾ": "ゞ"}

# Marks read as "lengthen the previous vowel" after a kana (ー and the dashes people type).
_LONG_MARKS = frozenset("ー‐‑‒–—―−-~〜")
_VOWEL_ROWS = {
    "あ": "あかさたなはまやらわがざだばぱぁゃゎゕ",
    "い": "いきしちにひみりゐぎじぢびぴぃ",
    "う": "うくすつぬふむゆるぐずづぶぷぅゅゔ",
    "え": "えけせてねへめれゑげぜでべぺぇゖ",
    "お": "おこそとのほもよろをごぞどぼぽぉょ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
_SILENT = frozenset("んっ")


def era_of(day: dt.date) -> tuple[str, int]:
    """(era name, year within the era) for ``day``; 昭和 is the earliest era supported."""
    for name, first in ERAS:
        if day >= first:
            return name, day.year - first.year + 1
    raise ValueError(f"昭和より前の日付は和暦に変換できません: {day.isoformat()}")


def wareki(day: dt.date) -> str:
    """The date as official documents write it: 令和8（2026）年11月25日, 令和元（2019）年5月1日."""
    era, year = era_of(day)
    year_text = "元" if year == 1 else str(year)
    return f"{era}{year_text}（{day.year}）年{day.month}月{day.day}日"


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (April to March) containing ``day``, by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day`` (a 29 February birthday counts from 1 March)."""
    if day < date_of_birth:
        raise ValueError("基準日が生年月日より前です")
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def _to_hiragana(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if _KATAKANA_FIRST <= code <= _KATAKANA_LAST:
            out.append(chr(code - _KATA_TO_HIRA))
        else:
            out.append(_ITERATION_MARKS.get(ch, ch))
    return "".join(out)


def _expand_long_marks(text: str) -> str:
    """ー after a kana becomes that kana's vowel (オーノ → おおの); elsewhere it is dropped."""
    out: list[str] = []
    for ch in text:
        if ch in _LONG_MARKS:
            previous = out[-1] if out else ""
            if previous in _VOWEL_OF:
                out.append(_VOWEL_OF[previous])
            elif previous not in _SILENT and previous and not _is_kana(previous):
                out.append(ch)  # a dash between digits or Latin letters stays
            continue
        out.append(ch)
    return "".join(out)


def _fold_vowel_spellings(text: str) -> str:
    """おう and おお, えい and ええ written either way match: さとう, サトー and サトウ;
    けいこ and ケーコ. Only the search key changes, never the stored name."""
    out: list[str] = []
    for ch in text:
        previous = _VOWEL_OF.get(out[-1], "") if out else ""
        out.append(previous if (ch, previous) in (("う", "お"), ("い", "え")) else ch)
    return "".join(out)


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not ch.isspace())
    text = _fold_vowel_spellings(_expand_long_marks(_to_hiragana(text))).casefold()
    return unicodedata.normalize("NFKC", text)


def normalize_kana(text: str) -> str:
    """A search key: NFKC, full/half width folded, katakana → hiragana, no spaces, ー expanded,
    おう/おお and えい/ええ folded.

    やまだ, ヤマダ, ﾔﾏﾀﾞ and ヤマ ダ give the same key; the result is a fixed point, so
    normalising a key again changes nothing.
    """
    current = text
    while True:  # each pass only removes or folds characters: a fixed point comes quickly
        following = _normalize_once(current)
        if following == current:
            return current
        current = following
