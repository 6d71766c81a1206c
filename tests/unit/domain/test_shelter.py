import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import LEVEL_ORDER
from intake_app.domain.reasons import RuleInputError, law_as_of
from intake_app.domain.rules.shelter import (
    MALE_RECOMMENDATION_LABELS,
    RECOMMENDATION_LABELS,
    RECOMMENDATIONS,
    ROUTE_LABELS,
    recommend,
    recommendation_label,
)

RULE = "一時保護の勧めの目安（本システムの基準）"
MALE_RULE = "緊急一時避難の勧めの目安（本システムの基準）"
ROUTE_RULE = "一時保護・緊急一時避難の経路"
MALE_ROUTE_RULE = "緊急一時避難の経路"
FORBIDDEN_FOR_MEN = ("一時保護", "女性相談支援センター", "困難女性支援法")


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
        (
            "high",
            None,
            "immediate",
            "危険度が「高」で、今夜安全な場所が確認できない（わからないときは、ないものとして扱います）",
        ),
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
    """rules.md §4, §8.11, §8.13: the mapping is this product's own guideline."""
    advice = recommend(level, safe, "female", 30, False)
    assert advice.recommendation == expected
    assert advice.label == RECOMMENDATION_LABELS[expected]
    assert advice.reasons[0].text.startswith(reason)
    assert advice.reasons[0].rule == RULE


@pytest.mark.parametrize(
    ("level", "asks"), [("high", False), ("urgent", False), ("medium", True), ("low", True)]
)
def test_an_unknown_safe_place_counts_as_none_at_high_risk_and_is_asked_for_otherwise_s8_11(
    level, asks
):
    """rules.md §8.11 (一時保護の勧めの目安（本システムの基準）)."""
    advice = recommend(level, None, "female", 30, False)
    expected = "immediate" if level in ("high", "urgent") else "discuss"
    assert advice.recommendation == expected
    texts = [r.text for r in advice.reasons]
    assert ("今夜安全に過ごせる場所があるかを、本人と確認してください" in texts) is asks


def test_the_ordinance_is_cited_only_for_the_grounds_s8_13():
    """rules.md §8.13: 困難女性支援法施行規則第1条 for the grounds of 一時保護 only."""
    advice = recommend("high", True, "female", 30, False)
    grounds = [r for r in advice.reasons if r.rule == "困難女性支援法施行規則第1条"]
    assert len(grounds) == 1
    assert "一時保護の事由" in grounds[0].text
    assert advice.reasons[0].rule == RULE
    calm = recommend("low", True, "female", 30, False)
    assert not any(r.rule == "困難女性支援法施行規則第1条" for r in calm.reasons)


@pytest.mark.parametrize(
    ("gender", "age", "disability", "routes", "reason"),
    [
        ("female", 40, None, ["prefectural_centre"], "女性は県の女性相談支援センターの一時保護"),
        (
            "male",
            40,
            None,
            ["city_emergency_stay"],
            "男性は市の緊急一時避難（協定ホテル等）につなぎます",
        ),
        ("other", 40, None, ["prefectural_centre", "city_emergency_stay"], "両方を確認して"),
        (None, None, None, ["prefectural_centre", "city_emergency_stay"], "未回答のため"),
        ("female", 65, None, ["prefectural_centre", "welfare_placement"], "65歳以上のため"),
        ("male", 64, True, ["city_emergency_stay", "welfare_placement"], "障害があるため"),
        (
            "female",
            70,
            True,
            ["prefectural_centre", "welfare_placement"],
            "65歳以上で障害があるため",
        ),
        ("female", 64, False, ["prefectural_centre"], None),
    ],
)
def test_route_table(gender, age, disability, routes, reason):
    """rules.md §4, §8.14: routes; 65+ and a disability are both named."""
    advice = recommend("high", True, gender, age, disability)
    assert advice.routes == routes
    texts = [r.text for r in advice.reasons if r.rule in (ROUTE_RULE, MALE_ROUTE_RULE)]
    if reason:
        assert any(reason in t for t in texts), texts
    if "welfare_placement" not in routes:
        assert not any("高齢者・障害者施策" in t for t in texts)


@pytest.mark.parametrize(
    ("age_group", "welfare", "asks"),
    [
        ("70_and_over", True, False),
        ("60s", False, True),
        ("50s", False, False),
        (None, False, False),
    ],
)
def test_an_age_group_of_65_or_over_counts_when_no_birth_date_is_recorded_s8_14(
    age_group, welfare, asks
):
    """rules.md §8.14 (一時保護・緊急一時避難の経路)."""
    advice = recommend("high", True, "female", None, None, age_group=age_group)
    assert ("welfare_placement" in advice.routes) is welfare
    texts = [r.text for r in advice.reasons]
    assert any("年代が60代のため、65歳以上なら" in t for t in texts) is asks
    with_age = recommend("high", True, "female", 40, None, age_group="70_and_over")
    assert "welfare_placement" not in with_age.routes  # the date of birth wins


@pytest.mark.parametrize("level", LEVEL_ORDER)
def test_men_get_the_city_emergency_stay_and_never_temporary_protection_s8_12_s9_9(level):
    """rules.md §8.12, §9.9: for men nothing names 一時保護 or the prefectural centre;
    immediate means the police now."""
    for safe in (True, False, None):
        for wish in ("wishes", "does_not_wish", None):
            advice = recommend(level, safe, "male", 40, True, [0], wish, age_group="70_and_over")
            assert advice.label == MALE_RECOMMENDATION_LABELS[advice.recommendation]
            out = advice.to_contract(law_as_of(dt.date(2026, 12, 6)))
            words = [advice.label, *out["reasons"], *(ROUTE_LABELS[r] for r in advice.routes)]
            for text in words:
                for forbidden in FORBIDDEN_FOR_MEN:
                    assert forbidden not in text, text
            assert "prefectural_centre" not in advice.routes
    urgent = recommend("urgent", True, "male", 40, None)
    assert urgent.recommendation == "immediate"
    assert urgent.reasons[0].text == "危険度が「緊急」のため、今すぐ警察に連絡してください"
    assert urgent.reasons[0].rule == MALE_RULE
    assert urgent.label == "直ちに対応（警察へ今すぐ連絡）"
    assert recommend("high", True, "male", 40, None).reasons[0].text == (
        "危険度が「高」のため、市の緊急一時避難を勧めます"
    )


def test_labels_by_gender():
    assert recommendation_label("recommend", "male") == "市の緊急一時避難を勧める"
    assert recommendation_label("recommend", "female") == "一時保護を勧める"
    assert recommendation_label("recommend", None) == "一時保護を勧める"


@pytest.mark.parametrize(
    ("gender", "age", "protection"),
    [
        ("female", 16, "児童相談所の一時保護（同法第33条）"),
        (None, 0, "児童相談所の一時保護（同法第33条）"),
        ("male", 17, "児童相談所による保護（同法第33条）"),
    ],
)
def test_a_client_under_18_is_a_child_s9_8(gender, age, protection):
    """rules.md §9.8; 児童福祉法第4条・第25条・第33条: the child_guidance route and reason."""
    advice = recommend("medium", True, gender, age, None)
    assert "child_guidance" in advice.routes
    lines = [r for r in advice.reasons if r.rule == "児童福祉法第4条・第25条・第33条"]
    assert len(lines) == 1
    assert lines[0].text.startswith(f"{age}歳（18歳未満）のため児童福祉法の「児童」です")
    assert "児童相談所に通告し（同法第25条）" in lines[0].text
    assert protection in lines[0].text
    assert "child_guidance" not in recommend("medium", True, gender, 18, None).routes


def test_an_age_group_under_20_asks_whether_under_18_s9_8():
    """rules.md §9.8: 20歳未満 without a birth date: confirm, no route yet."""
    advice = recommend("medium", True, "female", None, None, age_group="under_20")
    assert "child_guidance" not in advice.routes
    assert any("18歳未満かどうかを確認してください" in r.text for r in advice.reasons)


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
    male = recommend("urgent", False, "male", 30, False, [0], "does_not_wish")
    texts = [r.text for r in male.reasons]
    assert "同伴する子ども1人も避難の対象です" in texts
    assert any(t.startswith("本人は市の緊急一時避難を希望していません") for t in texts)


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
    st.one_of(st.none(), st.integers(0, 120)),
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


@given(
    st.sampled_from(LEVEL_ORDER),
    st.sampled_from(LEVEL_ORDER),
    st.sampled_from([True, False, None]),
    st.sampled_from(["female", "male", "other", None]),
)
def test_a_higher_level_never_gets_a_milder_recommendation(low, high, safe, gender):
    """rules.md §4, §8.11: monotone in the level."""
    if LEVEL_ORDER.index(low) > LEVEL_ORDER.index(high):
        low, high = high, low
    order = list(reversed(RECOMMENDATIONS))  # not_needed < discuss < recommend < immediate
    a = recommend(low, safe, gender, 30, None).recommendation
    b = recommend(high, safe, gender, 30, None).recommendation
    assert order.index(b) >= order.index(a)
