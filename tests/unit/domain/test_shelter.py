import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import LEVEL_ORDER
from intake_app.domain.reasons import RuleInputError
from intake_app.domain.rules.shelter import RECOMMENDATIONS, recommend

RULE = "一時保護の判断基準（困難女性支援法施行規則第1条）"
ROUTE_RULE = "一時保護・緊急一時避難の経路"


@pytest.mark.parametrize(
    ("level", "safe", "expected", "reason"),
    [
        (
            "urgent",
            True,
            "immediate",
            "危険度が「緊急」のため、今すぐ警察・県の女性相談支援センター",
        ),
        ("high", False, "immediate", "危険度が「高」で、今夜安全な場所がないため、今すぐ"),
        ("high", True, "recommend", "危険度が「高」のため、一時保護を勧めます"),
        ("high", None, "recommend", "危険度が「高」のため"),
        ("medium", False, "recommend", "今夜安全に過ごせる場所がないため、一時保護を勧めます"),
        ("low", False, "recommend", "今夜安全に過ごせる場所がないため"),
        ("medium", True, "discuss", "危険度が「中」のため、一時保護について本人と話し合って"),
        ("medium", None, "discuss", "危険度が「中」のため"),
        (
            "low",
            True,
            "not_needed",
            "危険度が「低」で、今夜安全に過ごせる場所があるため、現時点では不要",
        ),
        (
            "low",
            None,
            "discuss",
            "危険度は「低」ですが、今夜安全に過ごせる場所が確認できていません",
        ),
    ],
)
def test_recommendation_table(level, safe, expected, reason):
    advice = recommend(level, safe, "female", 30, False)
    assert advice.recommendation == expected
    assert advice.reasons[0].text.startswith(reason)
    assert advice.reasons[0].rule == RULE


@pytest.mark.parametrize(
    ("gender", "age", "disability", "routes", "reason"),
    [
        ("female", 40, None, ["prefectural_centre"], "女性は県の女性相談支援センターの一時保護"),
        ("male", 40, None, ["city_emergency_stay"], "男性のための公的な一時保護施設はない"),
        ("other", 40, None, ["prefectural_centre", "city_emergency_stay"], "両方を確認して"),
        (None, None, None, ["prefectural_centre", "city_emergency_stay"], "未回答のため"),
        ("female", 65, None, ["prefectural_centre", "welfare_placement"], "65歳以上のため"),
        ("male", 64, True, ["city_emergency_stay", "welfare_placement"], "障害があるため"),
        ("female", 64, False, ["prefectural_centre"], None),
    ],
)
def test_route_table(gender, age, disability, routes, reason):
    advice = recommend("high", True, gender, age, disability)
    assert advice.routes == routes
    texts = [r.text for r in advice.reasons if r.rule == ROUTE_RULE]
    if reason:
        assert any(reason in t for t in texts), texts
    if "welfare_placement" not in routes:
        assert not any("高齢者・障害者施策" in t for t in texts)


def test_accompanying_children_and_a_client_who_does_not_wish_protection():
    advice = recommend("urgent", False, "female", 30, False, [0, 2], "does_not_wish")
    assert advice.recommendation == "immediate"  # stays visible
    assert advice.accompanying_children == [0, 2]
    assert advice.safety_plan is True
    texts = [r.text for r in advice.reasons]
    assert "同伴する子ども2人も保護の対象です" in texts
    assert any("安全計画と警察・センターの連絡先を渡してください" in t for t in texts)
    out = advice.to_contract()
    assert out["accompanying_children"] == 2
    assert out["safety_plan"] is True


def test_a_client_who_wishes_protection_gets_no_safety_plan_flag():
    advice = recommend("high", True, "female", 30, False, [], "wishes")
    assert advice.safety_plan is False
    assert not any("同伴" in r.text for r in advice.reasons)


def test_a_bad_level_is_refused():
    with pytest.raises(RuleInputError) as info:
        recommend("severe", True, "female", 30, False)
    assert info.value.key == "level"


@given(
    st.sampled_from(LEVEL_ORDER),
    st.sampled_from([True, False, None]),
    st.sampled_from(["female", "male", "other", None]),
    st.one_of(st.none(), st.integers(0, 110)),
    st.sampled_from([True, False, None]),
)
def test_shelter_output_contract(level, safe, gender, age, disability):
    out = recommend(level, safe, gender, age, disability).to_contract()
    assert tuple(out) == (
        "recommendation",
        "routes",
        "accompanying_children",
        "safety_plan",
        "reasons",
    )
    assert out["recommendation"] in RECOMMENDATIONS
    assert out["routes"]
    # A higher risk never gets a milder recommendation.
    if level in ("high", "urgent"):
        assert out["recommendation"] in ("immediate", "recommend")
