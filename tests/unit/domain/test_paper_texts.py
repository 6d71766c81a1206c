"""The client papers' texts as data: one file per paper and language, checked against the
Japanese one, with their review state."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from intake_app.domain import paper_texts
from intake_app.domain.codes import REFERRAL_FIELDS
from intake_app.domain.languages import CODES, JAPANESE
from intake_app.domain.municipality import DESTINATION_KINDS
from intake_app.domain.paper_texts import (
    COMMON,
    FILES,
    ORIGINAL,
    UNREVIEWED,
    CentreReview,
    Review,
    centre_review,
    from_text,
    load,
    review_of,
)
from intake_app.domain.rules.protection_order import CONTACT_BAN_ITEMS
from intake_app.domain.tomlfile import ConfigError

JA = """
[text]
title = "題名"
line = "{name}さんへ"
items = ["一", "二"]
[text.table]
"面会" = "面会"
"""


def _original() -> paper_texts.PaperText:
    return from_text("contacts", JAPANESE, JA)


def _translation(body: str, review: str = "") -> str:
    return f"[review]\n{review}\n[text]\n{body}"


GOOD = """title = "Title"
line = "To {name}"
items = ["one", "two"]
[text.table]
"面会" = "meeting"
"""


def test_every_paper_exists_in_every_language_and_matches_the_japanese() -> None:
    for paper in FILES:
        original = load(paper, JAPANESE)
        assert original.review is ORIGINAL
        for code in CODES:
            text = load(paper, code)  # raises ConfigError on any mismatch
            assert text.digest != original.digest, (paper, code)
            assert text.code == code and text.paper == paper


def test_shipped_drafts_are_unreviewed_until_an_interpreter_checks_them() -> None:
    for paper in FILES:
        for code in CODES:
            assert load(paper, code).review == UNREVIEWED, (paper, code)


def test_every_contact_ban_act_of_the_domain_is_translated() -> None:
    acts = [text for text, _since in CONTACT_BAN_ITEMS]
    for code in (JAPANESE, *CODES):
        table = load("protection_order_advice", code).table("contact_ban_items")
        assert set(table) == set(acts), code


def test_every_disclosable_field_and_destination_kind_is_translated() -> None:
    for code in (JAPANESE, *CODES):
        text = load("consent_explanation", code)
        assert set(text.table("fields")) == set(REFERRAL_FIELDS), code
        assert set(text.table("kinds")) == set(DESTINATION_KINDS), code


def test_legal_terms_carry_the_japanese_term_the_first_time() -> None:
    for code in CODES:
        text = load("protection_order_advice", code)
        assert "保護命令" in text.get("title"), code
        if code == "easy-ja":
            continue
        for order in ("approach_ban", "contact_ban", "eviction"):
            name = text.get(f"orders.{order}.name")
            japanese = load("protection_order_advice", JAPANESE).get(f"orders.{order}.name")
            assert japanese in name, (code, order)


# 小学校1・2年生で習う漢字 (学年別漢字配当表): no reading needed in やさしい日本語.
ELEMENTARY = set(
    "一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人"
    "水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六"
    "引羽雲園遠何科夏家歌画回会海絵外角楽活間丸岩顔汽記帰弓牛魚京強教近兄形計元言原戸"
    "古午後語工公広交光考行高黄合谷国黒今才細作算止市矢姉思紙寺自時室社弱首秋週春書少"
    "場色食心新親図数西声星晴切雪船線前組走多太体台地池知茶昼長鳥朝直通弟店点電刀冬当"
    "東答頭同道読内南肉馬売買麦半番父風分聞米歩母方北毎妹万明鳴毛門夜野友用曜来里理話"
)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    return []


def test_easy_japanese_gives_the_reading_of_every_kanji_beyond_the_second_grade() -> None:
    """やさしい日本語 (在留支援のためのやさしい日本語ガイドライン): a word with a kanji that is
    not taught in the first two school years is followed by its reading in brackets."""
    assert len(ELEMENTARY) == 240
    for paper in FILES:
        for value in _strings(load(paper, "easy-ja").text):
            for match in re.finditer(r"[\u4e00-\u9fff々]+", value):
                if set(match.group()) <= ELEMENTARY:
                    continue
                after = value[match.end() :]
                assert re.match(r"（[ぁ-んァ-ヶー]+）", after), (paper, match.group(), value)


def test_a_translation_with_the_japanese_shape_loads() -> None:
    text = from_text("contacts", "en", _translation(GOOD), _original())
    assert text.get("line", name="Ana") == "To Ana"
    assert text.items("items") == ["one", "two"]
    assert text.table("table") == {"面会": "meeting"}
    assert text.value("title") == "Title"
    assert text.review == UNREVIEWED
    for bad in ("missing", "title.deeper", "items"):
        with pytest.raises(KeyError):
            text.get(bad)
    with pytest.raises(KeyError):
        text.items("title")
    with pytest.raises(KeyError):
        text.table("title")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (GOOD.replace('title = "Title"\n', ""), "「text.title」がありません"),
        (GOOD.replace('"Title"', '""'), "文を書いてください"),
        (GOOD.replace('"Title"', "3"), "文を書いてください"),
        (GOOD.replace("{name}", "{nom}"), "差し込む値は日本語と同じ"),
        (GOOD.replace("{name}", "{name"), "{ } の組み合わせ"),
        (GOOD.replace('["one", "two"]', '["one"]'), "2項目の配列"),
        (GOOD.replace('["one", "two"]', '"one"'), "2項目の配列"),
        (GOOD + 'extra = "x"\n', "日本語にない項目です: extra"),
        (GOOD.replace('[text.table]\n"面会" = "meeting"', 'table = "x"'), "表（テーブル）"),
    ],
)
def test_a_translation_that_does_not_match_is_refused_naming_the_key(body: str, words: str) -> None:
    with pytest.raises(ConfigError) as refused:
        from_text("contacts", "en", _translation(body), _original())
    assert words in refused.value.message
    assert "papers/contacts/en.toml" in refused.value.message


@pytest.mark.parametrize(
    ("review", "words"),
    [
        ('reviewed_by = "X"', "両方"),
        ('reviewed_on = "2026-12-01"', "両方"),
        ('reviewed_by = "X"\nreviewed_on = "12/01/2026"', "YYYY-MM-DD"),
        ('reviewed_by = "X"\nreviewed_on = "2026-13-01"', "日付が正しくありません"),
        ("reviewed_by = 1", "YYYY-MM-DD"),
        ('who = "X"', "reviewed_by と reviewed_on だけ"),
    ],
)
def test_a_bad_review_state_is_refused(review: str, words: str) -> None:
    with pytest.raises(ConfigError) as refused:
        from_text("contacts", "en", _translation(GOOD, review), _original())
    assert words in refused.value.message


def test_a_reviewed_file() -> None:
    review = 'reviewed_by = " 通訳者A "\nreviewed_on = "2026-12-01"'
    text = from_text("contacts", "en", _translation(GOOD, review), _original())
    assert text.review == Review("通訳者A", dt.date(2026, 12, 1))
    assert text.review.reviewed


def test_a_file_must_have_only_review_and_text() -> None:
    with pytest.raises(ConfigError):
        from_text("contacts", "en", 'title = "x"\n', _original())
    with pytest.raises(ConfigError):
        from_text("contacts", "en", "[review]\n[text]\n[other]\n", _original())
    with pytest.raises(ConfigError):
        from_text("contacts", "en", "[review\n", _original())  # TOML syntax


def test_unknown_papers_and_languages_are_refused() -> None:
    for paper, code in (("nothing", "en"), ("contacts", "xx"), ("../common", "ja")):
        with pytest.raises(ConfigError):
            load(paper, code)


def test_a_file_that_cannot_be_read_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    class Missing:
        def read_text(self, encoding: str) -> str:
            raise OSError("gone")

    monkeypatch.setattr(paper_texts, "bundled", lambda *parts: Missing())
    load.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            load("contacts", "en")
        assert "読めません" in refused.value.message
    finally:
        load.cache_clear()


def test_review_state_as_printed() -> None:
    assert review_of("contacts", JAPANESE) is ORIGINAL
    assert review_of("contacts", "en") == UNREVIEWED
    mark = centre_review("en", "通訳者A", dt.date(2026, 12, 1))
    state = review_of("contacts", "en", {"en": mark})
    assert state == Review("通訳者A", dt.date(2026, 12, 1), by_centre=True)
    assert state.reviewed
    # the mark must cover the paper's file and the language's common file
    only_paper = CentreReview(
        "en", "A", dt.date(2026, 12, 1), {"contacts": mark.digests["contacts"]}
    )
    assert review_of("contacts", "en", {"en": only_paper}) == UNREVIEWED
    assert review_of("contacts", "en", {"vi": mark}) == UNREVIEWED


def test_a_file_reviewed_as_shipped_counts_without_a_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load("contacts", "en")
    reviewed = paper_texts.PaperText(
        shipped.paper, shipped.code, shipped.text, Review("A", dt.date(2026, 1, 1)), shipped.digest
    )
    common = load(COMMON, "en")
    common_reviewed = paper_texts.PaperText(
        common.paper, common.code, common.text, Review("B", dt.date(2026, 1, 2)), common.digest
    )
    files = {("contacts", "en"): reviewed, (COMMON, "en"): common_reviewed}
    monkeypatch.setattr(paper_texts, "load", lambda paper, code: files[(paper, code)])
    assert review_of("contacts", "en") == Review("A", dt.date(2026, 1, 1))


def test_a_mark_survives_its_stored_form() -> None:
    mark = centre_review("ne", "नेपाली दोभाषे", dt.date(2026, 12, 1))
    assert set(mark.digests) == set(FILES)
    assert CentreReview.from_json(mark.to_json()) == mark
    bad = (
        "{",
        "[]",
        '{"code": "ne"}',
        '{"code":"ne","reviewed_by":"A","reviewed_on":"x","digests":{}}',
        '{"code":"ne","reviewed_by":"A","reviewed_on":"2026-12-01","digests":[]}',
    )
    for raw in bad:
        assert CentreReview.from_json(raw) is None
