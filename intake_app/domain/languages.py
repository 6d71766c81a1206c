"""The languages a client's papers are printed in, beside the Japanese (issue 22).

Each paper she takes home prints in Japanese and, on the same page, in one of these
languages, so staff can check it and she can show it to an official. ``code_for``
reads the intake's free-text language field (``ConsultationInfo.language``, e.g.
「ベトナム語」) as a code, which the print dialog offers as the default.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

JAPANESE = "ja"  # the papers' own language: Japanese only, no second column


@dataclass(frozen=True)
class Language:
    code: str  # file names (``safety_plan.vi.pdf``) and the text files
    name: str  # as its readers write it: 「Tiếng Việt」
    name_ja: str  # as the counselor reads it: 「ベトナム語」
    script: str  # "ja", "latin", "hans", "hangul" or "deva": which fonts set it
    tag: str  # BCP 47, for the PDF's language entry
    aliases: tuple[str, ...] = ()  # other ways the intake's field may spell it


LANGUAGES: tuple[Language, ...] = (
    Language(
        "easy-ja",
        "やさしい日本語",
        "やさしい日本語",
        "ja",
        "ja-JP",
        ("やさしいにほんご", "easy japanese", "plain japanese"),
    ),
    Language("en", "English", "英語", "latin", "en", ("えいご", "english", "eng")),
    Language(
        "zh",
        "中文（简体）",
        "中国語（簡体字）",
        "hans",
        "zh-Hans",
        (
            "中国語",
            "ちゅうごくご",
            "中文",
            "汉语",
            "漢語",
            "普通话",
            "普通話",
            "chinese",
            "mandarin",
        ),
    ),
    Language(
        "vi",
        "Tiếng Việt",
        "ベトナム語",
        "latin",
        "vi",
        ("べとなむご", "vietnamese", "tieng viet"),
    ),
    Language("tr", "Türkçe", "トルコ語", "latin", "tr", ("とるこご", "turkish", "turkce")),
    Language(
        "tl",
        "Tagalog",
        "タガログ語",
        "latin",
        "tl",
        ("たがろぐご", "フィリピン語", "ふぃりぴんご", "フィリピノ語", "filipino", "pilipino"),
    ),
    Language(
        "ko",
        "한국어",
        "韓国語",
        "hangul",
        "ko",
        ("かんこくご", "朝鮮語", "ちょうせんご", "韓国・朝鮮語", "korean", "조선어"),
    ),
    Language("ne", "नेपाली", "ネパール語", "deva", "ne", ("ねぱーるご", "nepali", "nepalese")),
    Language(
        "pt",
        "Português",
        "ポルトガル語",
        "latin",
        "pt",
        ("ぽるとがるご", "portuguese", "portugues", "brasil", "ブラジル"),
    ),
)
CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_JAPANESE_NAMES = ("日本語", "にほんご", "japanese", "ja", "jp")


def language(code: str) -> Language:
    """The language of ``code`` (``KeyError`` for an unknown one)."""
    for lang in LANGUAGES:
        if lang.code == code:
            return lang
    raise KeyError(code)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def code_for(text: str) -> str | None:
    """The code the intake's language field names: ``JAPANESE`` for Japanese or an empty
    field, a code of ``LANGUAGES``, or None for a language without papers (the counselor
    then chooses at print time). The first language named wins (「ベトナム語・英語」)."""
    key = _key(text)
    if not key or key in {_key(n) for n in _JAPANESE_NAMES}:
        return JAPANESE
    found: list[tuple[int, str]] = []
    for lang in LANGUAGES:
        for name in (lang.code, lang.name, lang.name_ja, *lang.aliases):
            spelled = _key(name)
            at = key.find(spelled)
            if at >= 0 and (not (spelled.isascii() and len(spelled) <= 2) or key == spelled):
                found.append((at, lang.code))
    if found:
        return min(found)[1]
    if any(_key(n) in key for n in _JAPANESE_NAMES if len(n) > 2):
        return JAPANESE
    return None
