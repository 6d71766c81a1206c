import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import LEVEL_ORDER
from intake_app.domain.reasons import RuleInputError
from intake_app.domain.rules.risk import assess, checklist_path, load_checklist
from intake_app.domain.tomlfile import ConfigError

IDS = [f"R{i:02d}" for i in range(1, 18)]
RED = ["R01", "R02", "R03", "R04"]
PLAIN = [i for i in IDS if i not in RED]


def yes(*ids):
    return dict.fromkeys(ids, True)


def test_the_shipped_checklist_has_the_17_items_and_says_it_is_not_a_score():
    checklist = load_checklist()
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
    result = assess(answers)
    assert result.computed == computed
    assert result.final == computed
    assert result.yes_count == yes_count
    assert result.red_flags == red_flags
    assert reason in result.reasons[0].text
    assert result.reasons[0].rule == "危険度チェックリスト risk-v1"
    assert "検証された危険度スコアではありません" in result.reasons[-1].text


def test_judgement_raises_the_level_with_its_reason():
    result = assess(yes("R05"), "high", "本人の話から差し迫った危険がある")
    assert (result.computed, result.final) == ("low", "high")
    assert result.reasons[1].text == (
        "相談員の判断により「低」から「高」に引き上げました: 本人の話から差し迫った危険がある"
    )
    assert result.reasons[1].rule == "危険度チェックリスト risk-v1・相談員の判断"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_raising_without_a_reason_is_refused(reason):
    with pytest.raises(RuleInputError, match="理由を書いてください") as info:
        assess({}, "medium", reason)
    assert info.value.key == "judgement_reason"


def test_a_lower_judgement_never_lowers_the_final_level():
    result = assess(yes("R01", "R02"), "low", None)
    assert result.final == "urgent"
    assert "計算値より低いため、最終レベルは計算値の「緊急」のままです" in result.reasons[1].text


def test_a_judgement_equal_to_the_computed_level_adds_no_reason():
    result = assess(yes("R01"), "high", None)
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
    out = assess(yes("R01", "R02")).to_contract()
    assert set(out) == {"computed", "final", "yes_count", "red_flags", "reasons"}
    assert all(isinstance(line, str) and "\n" not in line for line in out["reasons"])
    assert out["reasons"][0].endswith("（根拠: 危険度チェックリスト risk-v1）")


answers_strategy = st.dictionaries(st.sampled_from(IDS), st.one_of(st.none(), st.booleans()))


@given(answers_strategy, st.sampled_from([None, *LEVEL_ORDER]))
def test_final_level_is_never_below_the_computed_one(answers, judgement):
    result = assess(answers, judgement, "理由")
    assert LEVEL_ORDER.index(result.final) >= LEVEL_ORDER.index(result.computed)
    out = result.to_contract()
    assert tuple(out) == ("computed", "final", "yes_count", "red_flags", "reasons")
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
    result = assess(yes("B", "C"), checklist=checklist)
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
    out = assess({}, "medium", "昨夜、\n刃物を見せられた\r\n").to_contract()
    assert out["reasons"][1] == (
        "相談員の判断により「低」から「中」に引き上げました: 昨夜、 刃物を見せられた"
        "（根拠: 危険度チェックリスト risk-v1・相談員の判断）"
    )
