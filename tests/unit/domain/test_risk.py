import datetime as dt
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import LEVEL_ORDER, RiskAnswers
from intake_app.domain.reasons import RuleInputError, law_as_of
from intake_app.domain.rules import risk as risk_module
from intake_app.domain.rules.risk import (
    CURRENT_CHECKLIST_VERSION,
    UNASSESSED_LABEL,
    checklist_path,
    compare,
    load_checklist,
)
from intake_app.domain.tomlfile import ConfigError

# The §3 tests run on risk-v1, whose behaviour never changes (stored assessments).
V1 = load_checklist("risk-v1")
V2 = load_checklist("risk-v2")
assess = functools.partial(risk_module.assess, checklist=V1)
assess2 = functools.partial(risk_module.assess, checklist=V2)
IDS = [f"R{i:02d}" for i in range(1, 18)]
RED = ["R01", "R02", "R03", "R04"]
PLAIN = [i for i in IDS if i not in RED]
IDS2 = [f"R{i:02d}" for i in range(1, 20)]
RED2 = ["R01", "R02", "R03", "R04", "R16", "R19"]
PLAIN2 = [i for i in IDS2 if i not in RED2 and i not in ("R06", "R08")]


def yes(*ids):
    return dict.fromkeys(ids, True)


def test_the_shipped_checklist_has_the_17_items_and_says_it_is_not_a_score():
    checklist = load_checklist("risk-v1")
    assert checklist.version == "risk-v1"
    assert [item.id for item in checklist.items] == IDS
    assert [item.id for item in checklist.items if item.red_flag] == RED
    assert checklist.item("R01").text == "首を絞められたことがある"
    assert "補助ツール" in checklist.notice
    assert "検証された危険度スコアではありません" in checklist.notice
    with pytest.raises(KeyError):
        checklist.item("R99")


@pytest.mark.parametrize(
    ("answers", "computed", "yes_count", "red_flags", "reason"),
    [
        (yes("R01", "R03"), "urgent", 2, ["R01", "R03"], "赤信号項目）が2つあるため「緊急」です"),
        (yes("R02"), "high", 1, ["R02"], "があるため「高」です: R02 「殺す」と脅された"),
        (yes(*PLAIN[:8]), "high", 8, [], "「はい」が8項目（8項目以上）あるため「高」です"),
        (yes(*PLAIN[:7]), "medium", 7, [], "「はい」が7項目（4〜7項目）あるため「中」です"),
        (yes(*PLAIN[:4]), "medium", 4, [], "「はい」が4項目（4〜7項目）あるため「中」です"),
        (yes(*PLAIN[:3]), "low", 3, [], "「はい」が3項目で、赤信号項目がないため「低」です"),
        ({}, "low", 0, [], "不明の項目は「いいえ」として数えています"),
        ({"R01": None, "R02": False}, "low", 0, [], "「はい」が0項目"),
    ],
)
def test_computed_level_table(answers, computed, yes_count, red_flags, reason):
    """rules.md §3 (risk-v1), unchanged for stored assessments."""
    result = assess(answers)
    assert result.computed == computed
    assert result.final == computed
    assert result.yes_count == yes_count
    assert result.red_flags == red_flags
    assert reason in result.reasons[0].text
    assert result.reasons[0].rule == "危険度チェックリスト risk-v1"
    assert "検証された危険度スコアではありません" in result.reasons[-1].text
    assert result.checklist_version == "risk-v1"
    assert result.answered == sum(1 for v in answers.values() if v is not None)


def test_judgement_raises_the_level_with_its_reason():
    result = assess(yes("R05"), "high", "本人の話から差し迫った危険がある")
    assert (result.computed, result.final) == ("low", "high")
    assert result.reasons[-2].text == (
        "相談員の判断により「低」から「高」に引き上げました: 本人の話から差し迫った危険がある"
    )
    assert result.reasons[-2].rule == "危険度チェックリスト risk-v1・相談員の判断"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_raising_without_a_reason_is_refused(reason):
    with pytest.raises(RuleInputError, match="理由を書いてください") as info:
        assess({}, "medium", reason)
    assert info.value.key == "judgement_reason"


def test_a_lower_judgement_never_lowers_the_final_level():
    result = assess(yes("R01", "R02"), "low", None)
    assert result.final == "urgent"
    assert "計算値より低いため、最終レベルは計算値の「緊急」のままです" in result.reasons[-2].text


def test_a_judgement_equal_to_the_computed_level_adds_no_reason():
    result = assess(dict.fromkeys(IDS, False) | yes("R01"), "high", None)
    assert result.final == "high"
    assert len(result.reasons) == 2


@pytest.mark.parametrize(
    ("answers", "judgement", "reason", "key"),
    [
        ({"R99": True}, None, None, "answers.R99"),
        ({"R01": "yes"}, None, None, "answers.R01"),
        ({}, "extreme", None, "judgement"),
        ({}, None, 5, "judgement_reason"),
    ],
)
def test_bad_input_names_the_key(answers, judgement, reason, key):
    with pytest.raises(RuleInputError) as info:
        assess(answers, judgement, reason)
    assert info.value.key == key
    assert key in info.value.message


def test_contract_output_has_exactly_the_documented_keys():
    """rules.md §3, §8.6, §8.10."""
    out = assess(yes("R01", "R02")).to_contract(law_as_of(dt.date(2026, 12, 6)))
    assert tuple(out) == (
        "computed",
        "final",
        "yes_count",
        "red_flags",
        "answered",
        "checklist_version",
        "reasons",
        "law_as_of",
    )
    assert out["answered"] == 2
    assert out["checklist_version"] == "risk-v1"
    assert out["law_as_of"]["as_of"] == "2026-12-06"
    assert "law_as_of" not in assess({}).to_contract()
    assert all(isinstance(line, str) and "\n" not in line for line in out["reasons"])
    assert out["reasons"][0].endswith("（根拠: 危険度チェックリスト risk-v1）")


answers_strategy = st.dictionaries(st.sampled_from(IDS), st.one_of(st.none(), st.booleans()))


@given(answers_strategy, st.sampled_from([None, *LEVEL_ORDER]))
def test_final_level_is_never_below_the_computed_one(answers, judgement):
    result = assess(answers, judgement, "理由")
    assert LEVEL_ORDER.index(result.final) >= LEVEL_ORDER.index(result.computed)
    out = result.to_contract()
    assert tuple(out) == (
        "computed",
        "final",
        "yes_count",
        "red_flags",
        "answered",
        "checklist_version",
        "reasons",
    )
    assert out["computed"] in LEVEL_ORDER and out["final"] in LEVEL_ORDER
    assert all(isinstance(line, str) and "\n" not in line for line in out["reasons"])
    assert result.yes_count == sum(1 for v in answers.values() if v is True)
    assert set(result.red_flags) <= set(RED)


def test_a_bad_version_name_is_refused():
    with pytest.raises(ValueError, match="版の指定"):
        checklist_path("../etc")


CHECKLIST = """version = "test-v9"
title = "t"
notice = "n"
[thresholds]
urgent_red_flags = 2
high_red_flags = 1
high_yes = 3
medium_yes = 2
[[items]]
id = "A"
text = "a"
red_flag = true
[[items]]
id = "B"
text = "b"
red_flag = false
[[items]]
id = "C"
text = "c"
red_flag = false
"""


def test_another_checklist_file_with_other_thresholds(tmp_path):
    path = tmp_path / "test-v9.toml"
    path.write_text(CHECKLIST, encoding="utf-8")
    checklist = load_checklist("test-v9", path)
    result = risk_module.assess(yes("B", "C"), checklist=checklist)
    assert result.computed == "medium"
    assert result.checklist_version == "test-v9"
    assert result.reasons[0].rule == "危険度チェックリスト test-v9"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id = "B"', 'id = "A"', "items[1].id」（14行目）: 項目ID「A」が重複しています"),
        (
            'red_flag = false\n[[items]]\nid = "C"',
            'red_flag = "no"\n[[items]]\nid = "C"',
            "items[1].red_flag」（16行目）: true か false",
        ),
        ("high_yes = 3", "high_yes = 0", "thresholds.high_yes」（7行目）: 1以上の整数"),
        ('title = "t"', "title = 3", "title」（2行目）: 空でない文字列"),
    ],
)
def test_a_bad_checklist_names_key_and_line(tmp_path, old, new, message):
    path = tmp_path / "bad.toml"
    path.write_text(CHECKLIST.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_checklist("bad", path)
    assert message in info.value.message


def test_a_bundled_checklist_whose_version_does_not_match_its_name(monkeypatch, tmp_path):
    import intake_app.domain.rules.risk as risk

    (tmp_path / "risk-v7.toml").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setattr(risk, "checklist_path", lambda version: tmp_path / f"{version}.toml")
    with pytest.raises(ConfigError, match="ファイル名の版（risk-v7）と一致しません"):
        load_checklist("risk-v7")


def test_a_multi_line_judgement_reason_stays_one_line_in_the_contract():
    out = assess(dict.fromkeys(IDS, False), "medium", "昨夜、\n刃物を見せられた\r\n").to_contract()
    assert out["reasons"][1] == (
        "相談員の判断により「低」から「中」に引き上げました: 昨夜、 刃物を見せられた"
        "（根拠: 危険度チェックリスト risk-v1・相談員の判断）"
    )


# --- rules.md §8.10 and §9.7 ----------------------------------------------------------


def test_unanswered_items_are_counted_in_a_reason_line_s8_10():
    """rules.md §8.10 (risk-v1 and risk-v2): unknown counts as no but is not known to be safe."""
    result = assess({"R01": False, "R02": None})
    assert result.answered == 1
    assert (
        "17項目のうち16項目が未回答です。不明は「いいえ」として数えていますが、"
        "安全とわかったわけではありません"
    ) in [r.text for r in result.reasons]
    complete = assess(dict.fromkeys(IDS, False))
    assert complete.answered == 17
    assert not any("未回答" in r.text for r in complete.reasons)


def test_nothing_answered_is_unassessed_not_low_s8_10():
    """rules.md §8.10: 「未評価」 before any answer, never a green 「低」."""
    for result in (assess({}), assess({"R01": None}), assess2({})):
        assert result.unassessed is True
        assert result.label() == UNASSESSED_LABEL == "未評価"
    assert assess({}, "medium", "本人の様子").unassessed is False  # a judgement is an assessment
    answered = assess({"R01": False})
    assert answered.unassessed is False
    assert answered.label() == "低"


def test_v2_is_the_default_for_new_assessments_s9_7():
    """rules.md §9.7: risk-v2.toml, the default; v1 stays for stored assessments."""
    assert CURRENT_CHECKLIST_VERSION == "risk-v2"
    assert load_checklist() == V2
    assert RiskAnswers().checklist_version == "risk-v2"
    assert risk_module.assess({}).checklist_version == "risk-v2"
    assert [item.id for item in V2.items] == IDS2
    assert [item.id for item in V2.items if item.red_flag] == RED2
    assert V2.item("R18").text == "加害者が刃物・銃などの凶器を持っている、または手に入れられる"
    assert V2.item("R19").text == "避難・別居の後も加害者が本人や子どもを探している（追及）"
    assert V2.red_flag_pairs == (("R06", "R08"),)
    assert "検証された危険度スコアではありません" in V2.notice
    for item in V1.items:
        assert V2.item(item.id).text == item.text


NO2 = dict.fromkeys(IDS2, False)


@pytest.mark.parametrize(
    ("answers", "computed", "red_flags", "reason"),
    [
        (NO2 | yes("R16"), "high", ["R16"], "があるため「高」です: R16 加害者に暴力による逮捕歴"),
        (NO2 | yes("R19"), "high", ["R19"], "R19 避難・別居の後も加害者が本人や子どもを探している"),
        (
            NO2 | yes("R06", "R08"),
            "high",
            ["R06+R08"],
            "R06+R08（最近別居した、または別れようとしている／つきまとい・監視・GPS等",
        ),
        (NO2 | yes("R06"), "low", [], "「はい」が1項目で、赤信号項目がないため「低」です"),
        (NO2 | yes("R08"), "low", [], "「はい」が1項目"),
        (NO2 | yes("R01", "R06", "R08"), "urgent", ["R01", "R06+R08"], "2つあるため「緊急」です"),
        (NO2 | yes("R16", "R19"), "urgent", ["R16", "R19"], "2つあるため「緊急」です"),
        (NO2 | yes(*PLAIN2[:6]), "high", [], "「はい」が6項目（6項目以上）あるため「高」です"),
        (NO2 | yes(*PLAIN2[:5]), "medium", [], "「はい」が5項目（3〜5項目）あるため「中」です"),
        (NO2 | yes(*PLAIN2[:3]), "medium", [], "「はい」が3項目（3〜5項目）あるため「中」です"),
        (NO2 | yes(*PLAIN2[:2]), "low", [], "「はい」が2項目で、赤信号項目がないため「低」です"),
        (yes("R18"), "medium", [], "未確認の項目が多いため、少なくとも『中』として扱います"),
    ],
)
def test_v2_red_flags_pair_and_thresholds_s9_7(answers, computed, red_flags, reason):
    """rules.md §9.7: red flags R01-R04, R16, R19 and the pair R06+R08; high at 6 yes,
    medium at 3-5 (危険度チェックリスト risk-v2)."""
    result = assess2(answers)
    assert result.computed == computed
    assert result.red_flags == red_flags
    assert any(reason in r.text for r in result.reasons), [r.text for r in result.reasons]
    assert all(r.rule.startswith("危険度チェックリスト risk-v2") for r in result.reasons)


@pytest.mark.parametrize(
    ("no", "yes_", "unknown", "computed", "floor"),
    [
        (0, 0, 19, "medium", True),
        (9, 0, 10, "medium", True),
        (10, 0, 9, "low", False),
        (19, 0, 0, "low", False),
        (9, 1, 9, "medium", True),  # a further yes never lowers the level
        (10, 2, 7, "low", False),
        (5, 6, 8, "high", False),  # already above the floor
    ],
)
def test_v2_unknown_is_not_safe_s9_7(no, yes_, unknown, computed, floor):
    """rules.md §9.7: with too few items known (fewer than half answered 「いいえ」) the
    level is at least 「中」, with 「未確認の項目が多いため、少なくとも『中』として扱います」."""
    plain = [i for i in IDS2 if i not in RED2 and i not in ("R06", "R08")]
    ordered = plain + [i for i in IDS2 if i not in plain]
    answers = dict.fromkeys(ordered[:yes_], True) | dict.fromkeys(ordered[yes_ : yes_ + no], False)
    assert len(IDS2) - len(answers) == unknown
    result = assess2(answers)
    assert result.computed == computed
    texts = [r.text for r in result.reasons]
    assert (
        any("未確認の項目が多いため、少なくとも『中』として扱います" in t for t in texts) is floor
    )
    assert result.answered == no + yes_


def test_v1_has_no_floor_and_keeps_its_behaviour_s9_7():
    """rules.md §9.7: v1 keeps its §3 behaviour exactly (stored assessments)."""
    assert V1.unknown_floor is None
    assert V1.red_flag_pairs == ()
    assert assess({}).computed == "low"
    assert assess(yes("R16")).computed == "low"
    assert assess(yes("R06", "R08")).red_flags == []
    assert assess(yes(*PLAIN[:6])).computed == "medium"


answers2_strategy = st.dictionaries(st.sampled_from(IDS2), st.one_of(st.none(), st.booleans()))


@given(answers_strategy, st.sampled_from(IDS))
def test_ticking_a_further_yes_never_lowers_the_level_v1(answers, item):
    """rules.md §3 monotonicity (risk-v1): a no or unknown turned yes never lowers a level."""
    before = assess(answers)
    after = assess({**answers, item: True})
    assert LEVEL_ORDER.index(after.computed) >= LEVEL_ORDER.index(before.computed)
    assert set(after.red_flags) >= set(before.red_flags)


@given(answers2_strategy, st.sampled_from(IDS2), st.sampled_from([None, *LEVEL_ORDER]))
def test_ticking_a_further_yes_never_lowers_the_level_v2(answers, item, judgement):
    """rules.md §9.7 monotonicity (risk-v2, with the unknown-is-not-safe floor and R06+R08)."""
    before = assess2(answers, judgement, "理由")
    after = assess2({**answers, item: True}, judgement, "理由")
    assert LEVEL_ORDER.index(after.computed) >= LEVEL_ORDER.index(before.computed)
    assert LEVEL_ORDER.index(after.final) >= LEVEL_ORDER.index(before.final)
    assert set(after.red_flags) >= set(before.red_flags)


@pytest.mark.parametrize(
    ("earlier", "later_answers", "change", "same", "text"),
    [
        (
            ("risk-v1", "medium"),
            yes("R16"),
            "higher",
            False,
            "前回（risk-v1）「中」 → 今回（risk-v2）「高」。版が違うため項目と基準が異なります。"
            "前回の結果はその時の版のまま表示し、再計算していません",
        ),
        (
            ("risk-v2", "urgent"),
            yes("R16"),
            "lower",
            True,
            "前回（risk-v2）「緊急」 → 今回（risk-v2）「高」",
        ),
        (
            ("risk-v2", "high"),
            yes("R19"),
            "same",
            True,
            "前回（risk-v2）「高」 → 今回（risk-v2）「高」",
        ),
    ],
)
def test_a_stored_v1_result_beside_a_new_v2_one_s9_7(earlier, later_answers, change, same, text):
    """rules.md §9.7: stored assessments are never recomputed; a follow-up shows both."""
    later = assess2(NO2 | later_answers)
    comparison = compare(*earlier, later)
    assert (comparison.earlier_version, comparison.earlier_final) == earlier
    assert (comparison.later_version, comparison.later_final) == ("risk-v2", later.final)
    assert comparison.change == change
    assert comparison.same_version is same
    assert comparison.note.text == text
    assert comparison.note.rule == "危険度チェックリスト risk-v2"


def test_compare_with_an_unassessed_new_result_says_so():
    comparison = compare("risk-v1", "low", assess2({}))
    assert "今回（risk-v2）「未評価」" in comparison.note.text


PAIRS = (
    CHECKLIST
    + """[[red_flag_pairs]]
ids = ["B", "C"]
[unknown_is_not_safe]
level = "high"
min_no_percent = 100
"""
)


def test_pairs_and_the_floor_are_data(tmp_path):
    """rules.md §9.7: the pair and the floor live in the checklist file."""
    path = tmp_path / "pairs.toml"
    path.write_text(PAIRS, encoding="utf-8")
    checklist = load_checklist("pairs", path)
    result = risk_module.assess({"A": False, "B": True, "C": True}, checklist=checklist)
    assert result.red_flags == ["B+C"]
    assert result.computed == "high"
    floored = risk_module.assess({"A": False, "B": False}, checklist=checklist)
    assert floored.computed == "high"
    assert "計算上は「低」ですが、未確認の項目が多いため、少なくとも『高』として扱います" in (
        floored.reasons[1].text
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('ids = ["B", "C"]', 'ids = ["B"]', "red_flag_pairs[0].ids"),
        ('ids = ["B", "C"]', 'ids = ["B", "Z"]', "チェックリストにある2つ以上の項目ID"),
        ('level = "high"', 'level = "severe"', "unknown_is_not_safe.level"),
        ("min_no_percent = 100", "min_no_percent = 101", "unknown_is_not_safe.min_no_percent"),
        ("min_no_percent = 100", "min_no_percent = 0", "unknown_is_not_safe.min_no_percent"),
    ],
)
def test_a_bad_pair_or_floor_names_key_and_line(tmp_path, old, new, message):
    path = tmp_path / "bad.toml"
    path.write_text(PAIRS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_checklist("bad", path)
    assert message in info.value.message


def test_an_unknown_item_id_in_a_message_is_shown_safely():
    with pytest.raises(RuleInputError) as info:
        assess({"R\u202e99\n" + "x" * 100: True})
    assert "\n" not in info.value.message
    assert "\u202e" not in info.value.message
    assert len(info.value.message) < 80
