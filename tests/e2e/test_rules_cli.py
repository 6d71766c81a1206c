"""`intake-app rules ...`: JSON in on stdin, JSON out on stdout, exit 2 naming a bad key."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import subprocess
import sys
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.cli import main

PO_INPUT = {
    "relationship": "legal_spouse",
    "cohabiting_at_application": True,
    "violence_continued_after_separation": False,
    "physical_violence": True,
    "threats": ["life"],
    "serious_harm_to_life_or_mind_likely": True,
    "serious_harm_to_life_or_body_likely": True,
    "consulted_in_person": False,
    "cohabiting_minor_children_ages": [16, 4],
    "relatives_at_risk": False,
    "client_sole_owner_or_tenant": True,
}
SHELTER_INPUT = {
    "level": "high",
    "safe_place_tonight": False,
    "gender": "male",
    "age": 40,
    "disability": None,
    "accompanying_children": 1,
    "client_wish": None,
}


def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "rules", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def call(capsys, monkeypatch, rule, data):
    text = data if isinstance(data, str) else json.dumps(data)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["rules", rule])
    out, err = capsys.readouterr()
    return code, out, err


def test_protection_order_as_a_real_process():
    result = run("protection-order", stdin=json.dumps(PO_INPUT))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == [
        "eligible",
        "orders",
        "prerequisite",
        "alternative_routes",
        "reasons",
        "law_as_of",
    ]
    assert out["eligible"] is True
    assert [o["type"] for o in out["orders"]] == [
        "approach_ban",
        "contact_ban",
        "child_approach_ban",
        "child_contact_ban",
        "eviction",
    ]
    assert out["orders"][0] == {"type": "approach_ban", "months": 12}
    assert out["orders"][1]["months"] is None
    assert out["orders"][1]["until"] == "approach_ban"
    assert out["orders"][2] == {
        "type": "child_approach_ban",
        "months": None,
        "until": "approach_ban",
        "consent_needed_ages": [16],
    }
    assert out["orders"][-1] == {"type": "eviction", "months": 2, "max_months": 6}
    assert out["law_as_of"]["as_of"] == dt.date.today().isoformat()
    assert out["prerequisite"] == "notarized_statement"
    assert out["alternative_routes"] == []
    assert any("公証人面前宣誓供述書" in line for line in out["reasons"])


def test_malformed_input_exits_2_naming_the_key_as_a_real_process():
    bad = dict(PO_INPUT, threats=["money"])
    result = run("protection-order", stdin=json.dumps(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("エラー: threats: ")


@pytest.mark.parametrize(
    ("changes", "routes"),
    [
        (
            {"relationship": "non_cohabiting_partner"},
            ["stalker_regulation_act", "police_consultation"],
        ),
        (
            {"relationship": "non_cohabiting_partner", "physical_violence": False, "threats": []},
            ["stalker_regulation_act"],
        ),
        ({"relationship": "family_member"}, ["police_consultation"]),
        (
            {"relationship": "former_cohabiting_partner", "violence_during_relationship": False},
            ["stalker_regulation_act", "police_consultation"],
        ),
        (
            {
                "serious_harm_to_life_or_mind_likely": False,
                "serious_harm_to_life_or_body_likely": False,
            },
            ["police_consultation"],
        ),
    ],
)
def test_ineligible_relationships_get_alternative_routes(capsys, monkeypatch, changes, routes):
    """rules.md §2.5, §8.5, §9.1, §9.3."""
    code, out, _ = call(capsys, monkeypatch, "protection-order", dict(PO_INPUT, **changes))
    assert code == 0
    result = json.loads(out)
    assert result["eligible"] is False
    assert result["orders"] == []
    assert result["prerequisite"] is None
    assert result["alternative_routes"] == routes


def test_risk(capsys, monkeypatch):
    data = {
        "answers": {"R01": True, "R05": True, "R06": None},
        "judgement": "urgent",
        "judgement_reason": "首を絞められたのが昨夜",
        "checklist_version": "risk-v1",
    }
    code, out, err = call(capsys, monkeypatch, "risk", data)
    assert code == 0, err
    result = json.loads(out)
    assert list(result) == [
        "computed",
        "final",
        "yes_count",
        "red_flags",
        "answered",
        "checklist_version",
        "reasons",
        "law_as_of",
    ]
    assert result["checklist_version"] == "risk-v1"
    assert result["answered"] == 2
    assert (result["computed"], result["final"]) == ("high", "urgent")
    assert result["yes_count"] == 2
    assert result["red_flags"] == ["R01"]
    assert any(
        "「高」から「緊急」に引き上げました: 首を絞められたのが昨夜" in r for r in result["reasons"]
    )
    assert any("検証された危険度スコアではありません" in r for r in result["reasons"])


def test_risk_without_judgement_keys(capsys, monkeypatch):
    """rules.md §9.7: v2 by default; nothing answered is not safe (at least 中)."""
    code, out, _ = call(capsys, monkeypatch, "risk", {"answers": {}})
    assert code == 0
    result = json.loads(out)
    assert result["checklist_version"] == "risk-v2"
    assert result["final"] == "medium"
    assert result["answered"] == 0
    code, out, _ = call(
        capsys, monkeypatch, "risk", {"answers": {}, "checklist_version": "risk-v1"}
    )
    assert json.loads(out)["final"] == "low"


def test_risk_v2_pair_and_new_red_flags(capsys, monkeypatch):
    """rules.md §9.7: R06+R08 count as one red flag; R16, R19 are red flags."""
    answers = {f"R{i:02d}": False for i in range(1, 20)} | {"R06": True, "R08": True, "R19": True}
    code, out, _ = call(capsys, monkeypatch, "risk", {"answers": answers, "as_of": "2026-12-06"})
    result = json.loads(out)
    assert code == 0
    assert result["red_flags"] == ["R06+R08", "R19"]
    assert result["computed"] == "urgent"
    assert result["law_as_of"]["as_of"] == "2026-12-06"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"answers": {"R01": True}, "judgement": "urgent", "judgement_reason": None},
            "judgement_reason: 計算値より高い判断には理由を書いてください",
        ),
        (
            {"answers": {"R01": True}, "judgement": "urgent", "judgement_reason": "  "},
            "judgement_reason: 計算値より高い判断には理由を書いてください",
        ),
        ({"answers": {"R20": True}}, "answers.R20: チェックリストにない項目です"),
        (
            {"answers": {"R18": True}, "checklist_version": "risk-v1"},
            "answers.R18: チェックリストにない項目です",
        ),
        ({"answers": {}, "checklist_version": "risk-v3"}, "checklist_version: risk-v1・risk-v2"),
        ({"answers": {}, "checklist_version": None}, "checklist_version: risk-v1・risk-v2"),
        ({"answers": {}, "as_of": "yesterday"}, "as_of: 「YYYY-MM-DD」"),
        ({"answers": {"R01": 1}}, "answers.R01: true・false・null"),
        ({"answers": []}, "answers: 項目ID"),
        ({"judgement": None}, "answers: 必須の項目がありません"),
        ({"answers": {}, "mood": "x"}, "mood: 知らない項目です"),
        ({"answers": {}, "judgement": "severe"}, "judgement: low、medium、high、urgent"),
        ([], "入力は JSON のオブジェクトにしてください"),
        ('{"answers": ', "入力を JSON として読めません（1行目"),
    ],
)
def test_risk_malformed_input(capsys, monkeypatch, data, message):
    code, out, err = call(capsys, monkeypatch, "risk", data)
    assert code == 2
    assert out == ""
    assert err.startswith(f"エラー: {message}")


def test_shelter(capsys, monkeypatch):
    code, out, err = call(capsys, monkeypatch, "shelter", SHELTER_INPUT)
    assert code == 0, err
    result = json.loads(out)
    assert list(result) == [
        "recommendation",
        "routes",
        "accompanying_children",
        "safety_plan",
        "reasons",
        "law_as_of",
    ]
    assert result["recommendation"] == "immediate"
    assert result["routes"] == ["city_emergency_stay"]
    assert result["accompanying_children"] == 1
    assert result["safety_plan"] is False
    assert any("男性は市の緊急一時避難" in r for r in result["reasons"])
    assert not any("一時保護" in r or "女性相談支援センター" in r for r in result["reasons"])


def test_shelter_for_a_client_who_does_not_wish_it(capsys, monkeypatch):
    data = dict(SHELTER_INPUT, gender="female", age=70, client_wish="does_not_wish")
    code, out, _ = call(capsys, monkeypatch, "shelter", data)
    result = json.loads(out)
    assert code == 0
    assert result["routes"] == ["prefectural_centre", "welfare_placement"]
    assert result["safety_plan"] is True


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"level": "extreme"}, "level"),
        ({"safe_place_tonight": "no"}, "safe_place_tonight"),
        ({"disability": 0}, "disability"),
        ({"gender": "f"}, "gender"),
        ({"age": -3}, "age"),
        ({"age": 121}, "age"),
        ({"age": 2**63}, "age"),
        ({"accompanying_children": 2**63}, "accompanying_children"),
        ({"accompanying_children": 21}, "accompanying_children"),
        ({"as_of": "2026-12-32"}, "as_of"),
        ({"age": True}, "age"),
        ({"age": "40"}, "age"),
        ({"accompanying_children": None}, "accompanying_children"),
        ({"accompanying_children": -1}, "accompanying_children"),
        ({"client_wish": "maybe"}, "client_wish"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_shelter_malformed_input_names_the_key(capsys, monkeypatch, changes, key):
    code, out, err = call(capsys, monkeypatch, "shelter", dict(SHELTER_INPUT, **changes))
    assert code == 2
    assert out == ""
    assert err.startswith(f"エラー: {key}: ")


def test_shelter_missing_key(capsys, monkeypatch):
    data = {k: v for k, v in SHELTER_INPUT.items() if k != "client_wish"}
    code, _, err = call(capsys, monkeypatch, "shelter", data)
    assert code == 2
    assert err.startswith("エラー: client_wish: 必須の項目がありません")


def test_shelter_minor_and_ages_0_to_120(capsys, monkeypatch):
    """rules.md §8.9, §9.8: ages 0-120; under 18 adds child_guidance."""
    for age, child in ((0, True), (17, True), (18, False), (120, False)):
        code, out, _ = call(capsys, monkeypatch, "shelter", dict(SHELTER_INPUT, age=age))
        assert code == 0
        assert ("child_guidance" in json.loads(out)["routes"]) is child


def test_protection_order_new_keys(capsys, monkeypatch):
    """rules.md §8.1, §8.4: violence_during_relationship and as_of (location tags)."""
    data = dict(
        PO_INPUT,
        relationship="former_legal_spouse",
        violence_during_relationship=None,
        as_of="2025-12-29",
    )
    code, out, _ = call(capsys, monkeypatch, "protection-order", data)
    result = json.loads(out)
    assert code == 0
    assert result["eligible"] is True
    assert not any("紛失防止タグ" in i for i in result["orders"][1]["items"])
    assert any("（第10条第1項）" in r for r in result["reasons"])
    code, out, _ = call(capsys, monkeypatch, "protection-order", dict(data, as_of="2025-12-30"))
    assert any("紛失防止タグ" in i for i in json.loads(out)["orders"][1]["items"])


# --- malformed input never ends in a traceback (issue 14) -----------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "入力の入れ子が深すぎます"),
        ('{"answers": {"R01": ' + "[" * 50_000 + "]" * 50_000 + "}}", "入力の入れ子が深すぎます"),
        ('{"answers": {}, "x": ' + "9" * 5000 + "}", "入力に桁数の多すぎる数があります"),
        ('{"answers": {"R01": NaN}}', "入力に JSON ではない値（NaN）があります"),
        ('{"answers": {"R01": -Infinity}}', "入力に JSON ではない値（-Infinity）があります"),
        ("", "入力を JSON として読めません"),
    ],
)
@pytest.mark.parametrize("rule", ["protection-order", "risk", "shelter"])
def test_hostile_json_exits_2_with_one_sentence_as_a_real_process(rule, text, message):
    result = run(rule, stdin=text)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("エラー: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_huge_accompanying_children_as_a_real_process():
    result = run("shelter", stdin=json.dumps(dict(SHELTER_INPUT, accompanying_children=2**63)))
    assert result.returncode == 2
    assert result.stderr.startswith("エラー: accompanying_children: ")
    assert "Traceback" not in result.stderr


def test_input_that_is_not_utf8_as_a_real_process():
    result = subprocess.run(
        [sys.executable, "-m", "intake_app", "rules", "risk"],
        input=b'{"answers": {"\xff": true}}',
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "UTF-8" in result.stderr.decode("utf-8")


def invoke(rule: str, text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(sys, "stdin", io.StringIO(text)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["rules", rule])
    return code, out.getvalue(), err.getvalue()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(
        ["legal_spouse", "former_legal_spouse", "life", "male", "high", "2026-12-06", "R01"]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
VALID = {
    "protection-order": PO_INPUT,
    "risk": {"answers": {"R01": True}, "judgement": None, "judgement_reason": None},
    "shelter": SHELTER_INPUT,
}
KEYS = {
    "protection-order": [*PO_INPUT, "violence_during_relationship", "as_of"],
    "risk": ["answers", "judgement", "judgement_reason", "checklist_version", "as_of"],
    "shelter": [*SHELTER_INPUT, "as_of"],
}


def mutated(rule: str):
    return st.tuples(
        st.lists(
            st.tuples(st.sampled_from(KEYS[rule]) | st.text(max_size=8), json_values),
            max_size=3,
        ),
        st.lists(st.sampled_from(KEYS[rule]), max_size=2),
    ).map(
        lambda change: {
            **{k: v for k, v in VALID[rule].items() if k not in change[1]},
            **dict(change[0]),
        }
    )


def check_one_sentence_or_a_result(rule: str, text: str) -> None:
    code, out, err = invoke(rule, text)
    assert code in (0, 2), (code, err)
    if code == 0:
        assert err == ""
        assert isinstance(json.loads(out), dict)
    else:
        assert out == ""
        assert err.startswith("エラー: ")
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err


@pytest.mark.parametrize("rule", ["protection-order", "risk", "shelter"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fuzz_rules_commands_end_in_a_result_or_one_japanese_sentence(rule, data):
    """issue 14: every malformed input exits 2 with one Japanese sentence, no traceback."""
    value = data.draw(mutated(rule) | json_values, label="input")
    check_one_sentence_or_a_result(rule, json.dumps(value))


@pytest.mark.parametrize("rule", ["protection-order", "risk", "shelter"])
@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60))
def test_fuzz_rules_commands_with_arbitrary_text(rule, text):
    check_one_sentence_or_a_result(rule, text)
