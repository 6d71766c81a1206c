"""The languages of the client's papers and the intake's free-text language field."""

from __future__ import annotations

import pytest

from intake_app.domain.languages import CODES, JAPANESE, LANGUAGES, code_for, language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("日本語", JAPANESE),
        ("", JAPANESE),
        ("  ", JAPANESE),
        ("Japanese", JAPANESE),
        ("日本語（通訳なし）", JAPANESE),
        ("やさしい日本語", "easy-ja"),
        ("英語", "en"),
        ("English", "en"),
        ("ＥＮＧＬＩＳＨ", "en"),
        ("en", "en"),
        ("中国語", "zh"),
        ("中国語（普通話）", "zh"),
        ("中文", "zh"),
        ("ベトナム語", "vi"),
        ("Tiếng Việt", "vi"),
        ("トルコ語", "tr"),
        ("Türkçe", "tr"),
        ("タガログ語", "tl"),
        ("フィリピン語", "tl"),
        ("韓国語", "ko"),
        ("朝鮮語", "ko"),
        ("ネパール語", "ne"),
        ("ポルトガル語（ブラジル）", "pt"),
        ("ベトナム語・英語", "vi"),  # the first one named
        ("英語、ベトナム語", "en"),
        ("クルド語", None),  # no papers in it: the counselor chooses at print time
        ("tl", "tl"),
        ("pt-br", None),
    ],
)
def test_the_intake_field_names_a_code(text: str, code: str | None) -> None:
    assert code_for(text) == code


def test_every_language_has_its_own_name_a_script_and_a_tag() -> None:
    assert CODES == ("easy-ja", "en", "zh", "vi", "tr", "tl", "ko", "ne", "pt")
    for lang in LANGUAGES:
        assert language(lang.code) is lang
        assert lang.script in ("ja", "latin", "hans", "hangul", "deva")
        assert lang.name and lang.name_ja and lang.tag
    with pytest.raises(KeyError):
        language("xx")
