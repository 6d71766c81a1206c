"""`intake-app rules ...`: JSON in on stdin, JSON out on stdout, exit 2 naming a bad key."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

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
    assert list(out) == ["eligible", "orders", "prerequisite", "alternative_routes", "reasons"]
    assert out["eligible"] is True
    assert [o["type"] for o in out["orders"]] == [
        "approach_ban",
        "contact_ban",
        "child_approach_ban",
        "child_contact_ban",
        "eviction",
    ]
    assert out["orders"][2]["consent_needed_ages"] == [16]
    assert out["orders"][-1] == {"type": "eviction", "months": 2, "max_months": 6}
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
    ("relationship", "routes"),
    [
        ("non_cohabiting_partner", ["stalker_regulation_act"]),
        ("family_member", ["police_consultation"]),
        ("former_cohabiting_partner", ["stalker_regulation_act", "police_consultation"]),
    ],
)
def test_ineligible_relationships_get_alternative_routes(capsys, monkeypatch, relationship, routes):
    code, out, _ = call(
        capsys, monkeypatch, "protection-order", dict(PO_INPUT, relationship=relationship)
    )
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
    }
    code, out, err = call(capsys, monkeypatch, "risk", data)
    assert code == 0, err
    result = json.loads(out)
    assert list(result) == ["computed", "final", "yes_count", "red_flags", "reasons"]
    assert (result["computed"], result["final"]) == ("high", "urgent")
    assert result["yes_count"] == 2
    assert result["red_flags"] == ["R01"]
    assert any(
        "「高」から「緊急」に引き上げました: 首を絞められたのが昨夜" in r for r in result["reasons"]
    )
    assert any("検証された危険度スコアではありません" in r for r in result["reasons"])


def test_risk_without_judgement_keys(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "risk", {"answers": {}})
    assert code == 0
    assert json.loads(out)["final"] == "low"


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
        ({"answers": {"R18": True}}, "answers.R18: チェックリストにない項目です"),
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
    ]
    assert result["recommendation"] == "immediate"
    assert result["routes"] == ["city_emergency_stay"]
    assert result["accompanying_children"] == 1
    assert result["safety_plan"] is False
    assert any("男性のための公的な一時保護施設はない" in r for r in result["reasons"])


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
