import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import Child, Intake
from intake_app.domain.reasons import RuleInputError
from intake_app.domain.rules.protection_order import (
    INPUT_KEYS,
    ORDER_TYPES,
    OUTPUT_KEYS,
    RELATIONSHIPS,
    THREATS,
    evaluate,
    inputs_from_intake,
)

LAW = "配偶者暴力防止法"


def base(**changes):
    inputs = {
        "relationship": "legal_spouse",
        "cohabiting_at_application": False,
        "violence_continued_after_separation": False,
        "physical_violence": True,
        "threats": [],
        "serious_harm_to_life_or_mind_likely": True,
        "serious_harm_to_life_or_body_likely": False,
        "consulted_in_person": True,
        "cohabiting_minor_children_ages": [],
        "relatives_at_risk": False,
        "client_sole_owner_or_tenant": False,
    }
    inputs.update(changes)
    return inputs


def types(out):
    return [o["type"] for o in out["orders"]]


def has_reason(out, text, article):
    return any(text in line and f"（根拠: {article}）" in line for line in out["reasons"])


@pytest.mark.parametrize(
    ("changes", "eligible", "routes", "reason", "article"),
    [
        ({}, True, [], "配偶者（法律婚））は保護命令の対象です", f"{LAW}第1条・第28条の2"),
        (
            {"relationship": "common_law_spouse"},
            True,
            [],
            "は保護命令の対象です",
            f"{LAW}第1条・第28条の2",
        ),
        (
            {"relationship": "cohabiting_partner"},
            True,
            [],
            "生活の本拠を共にする交際相手",
            f"{LAW}第1条・第28条の2",
        ),
        (
            {"relationship": "former_legal_spouse", "violence_continued_after_separation": True},
            True,
            [],
            "別れた後も続いているため対象です",
            f"{LAW}第10条・第28条の2",
        ),
        (
            {"relationship": "former_common_law_spouse"},
            False,
            ["stalker_regulation_act", "police_consultation"],
            "続いているとの記録がありません",
            f"{LAW}第10条・第28条の2",
        ),
        (
            {"relationship": "former_cohabiting_partner"},
            False,
            ["stalker_regulation_act", "police_consultation"],
            "警察への相談とストーカー規制法による対応を検討",
            "ストーカー規制法第4条・第5条",
        ),
        (
            {"relationship": "non_cohabiting_partner"},
            False,
            ["stalker_regulation_act"],
            "生活の本拠を共にしたことのない交際相手は保護命令の対象外です",
            "配偶者暴力防止法第28条の2、ストーカー規制法第4条・第5条",
        ),
        (
            {"relationship": "family_member"},
            False,
            ["police_consultation"],
            "家族（配偶者・交際相手以外））は保護命令の対象外です",
            f"{LAW}第1条",
        ),
        (
            {"relationship": "other"},
            False,
            ["police_consultation"],
            "警察への相談につないで",
            f"{LAW}第1条",
        ),
        ({"physical_violence": False}, False, [], "脅迫の記録がありません", f"{LAW}第10条"),
        (
            {"physical_violence": False, "threats": ["honour"]},
            True,
            [],
            "対象となる暴力・脅迫があります: 名誉に対する脅迫",
            f"{LAW}第10条",
        ),
        (
            {"threats": ["life", "property"]},
            True,
            [],
            "身体に対する暴力、生命・財産に対する脅迫",
            f"{LAW}第10条",
        ),
        (
            {"serious_harm_to_life_or_mind_likely": False},
            False,
            [],
            "相談員の判断として記録されていません",
            f"{LAW}第10条",
        ),
        ({}, True, [], "更なる暴力により生命又は心身に重大な危害", f"{LAW}第10条"),
    ],
)
def test_eligibility_table(changes, eligible, routes, reason, article):
    out = evaluate(base(**changes))
    assert out["eligible"] is eligible
    assert out["alternative_routes"] == routes
    assert has_reason(out, reason, article), out["reasons"]
    if eligible:
        assert types(out)[:2] == ["approach_ban", "contact_ban"]
        assert out["orders"][0]["months"] == 12
        assert has_reason(out, "接近禁止命令（1年）と電話等禁止命令", f"{LAW}第10条")
    else:
        assert out["orders"] == []
        assert out["prerequisite"] is None


@pytest.mark.parametrize(
    ("in_person", "prerequisite", "reason"),
    [
        (True, "consultation_on_record", "相談（面談）の記録を申立書に書けます"),
        (False, "notarized_statement", "電話のみの相談は含みません）、公証人面前宣誓供述書が必要"),
    ],
)
def test_prerequisite(in_person, prerequisite, reason):
    out = evaluate(base(consulted_in_person=in_person))
    assert out["prerequisite"] == prerequisite
    assert has_reason(out, reason, f"{LAW}第12条")


def test_child_orders_list_the_ages_needing_consent():
    out = evaluate(base(cohabiting_minor_children_ages=[16, 3, 15, 18]))
    child = [o for o in out["orders"] if o["type"].startswith("child_")]
    assert [o["type"] for o in child] == ["child_approach_ban", "child_contact_ban"]
    assert all(o["consent_needed_ages"] == [15, 16] for o in child)
    assert has_reason(out, "同居する未成年の子への接近禁止命令", f"{LAW}第10条")
    assert has_reason(out, "15歳以上の子（15歳・16歳）は、本人の同意が必要です", f"{LAW}第10条")


def test_young_children_need_no_consent_and_adults_get_no_child_order():
    out = evaluate(base(cohabiting_minor_children_ages=[2]))
    assert [o["consent_needed_ages"] for o in out["orders"] if "consent_needed_ages" in o] == [
        [],
        [],
    ]
    assert not any("本人の同意が必要" in line for line in out["reasons"])
    assert "child_approach_ban" not in types(evaluate(base(cohabiting_minor_children_ages=[18])))


def test_relatives():
    out = evaluate(base(relatives_at_risk=True))
    assert "relative_approach_ban" in types(out)
    assert has_reason(out, "親族等への接近禁止命令も申し立てられます", f"{LAW}第10条")


@pytest.mark.parametrize(
    ("changes", "eviction", "reason"),
    [
        (
            {"cohabiting_at_application": True, "serious_harm_to_life_or_body_likely": True},
            {"type": "eviction", "months": 2, "max_months": 2},
            "退去等命令を申し立てられます（期間は2か月）",
        ),
        (
            {
                "cohabiting_at_application": True,
                "serious_harm_to_life_or_body_likely": True,
                "client_sole_owner_or_tenant": True,
            },
            {"type": "eviction", "months": 2, "max_months": 6},
            "申立てにより6か月まで",
        ),
        (
            {
                "cohabiting_at_application": True,
                "serious_harm_to_life_or_body_likely": True,
                "physical_violence": False,
                "threats": ["body"],
            },
            {"type": "eviction", "months": 2, "max_months": 2},
            "退去等命令を申し立てられます",
        ),
        (
            {
                "cohabiting_at_application": True,
                "serious_harm_to_life_or_body_likely": True,
                "physical_violence": False,
                "threats": ["freedom"],
            },
            None,
            "退去等命令は、身体に対する暴力",
        ),
        ({"cohabiting_at_application": True}, None, "退去等命令は、身体に対する暴力"),
        ({"serious_harm_to_life_or_body_likely": True}, None, None),
    ],
)
def test_eviction_table(changes, eviction, reason):
    out = evaluate(base(**changes))
    found = [o for o in out["orders"] if o["type"] == "eviction"]
    assert found == ([eviction] if eviction else [])
    if reason:
        assert has_reason(out, reason, f"{LAW}第10条の2")
    else:
        assert not any("退去等命令" in line for line in out["reasons"])


@pytest.mark.parametrize(
    ("inputs", "key"),
    [
        ([], None),
        (base(extra=1), "extra"),
        ({k: v for k, v in base().items() if k != "threats"}, "threats"),
        (base(relationship="boss"), "relationship"),
        (base(physical_violence="yes"), "physical_violence"),
        (base(consulted_in_person=1), "consulted_in_person"),
        (base(threats="life"), "threats"),
        (base(threats=["money"]), "threats"),
        (base(cohabiting_minor_children_ages=[-1]), "cohabiting_minor_children_ages"),
        (base(cohabiting_minor_children_ages=[True]), "cohabiting_minor_children_ages"),
        (base(cohabiting_minor_children_ages=["3"]), "cohabiting_minor_children_ages"),
        (base(cohabiting_minor_children_ages=3), "cohabiting_minor_children_ages"),
    ],
)
def test_malformed_inputs_name_the_key(inputs, key):
    with pytest.raises(RuleInputError) as info:
        evaluate(inputs)
    assert info.value.key == key
    if key:
        assert info.value.message.startswith(f"{key}: ")


inputs_strategy = st.fixed_dictionaries(
    {
        "relationship": st.sampled_from(RELATIONSHIPS),
        "cohabiting_at_application": st.booleans(),
        "violence_continued_after_separation": st.booleans(),
        "physical_violence": st.booleans(),
        "threats": st.lists(st.sampled_from(THREATS), max_size=5),
        "serious_harm_to_life_or_mind_likely": st.booleans(),
        "serious_harm_to_life_or_body_likely": st.booleans(),
        "consulted_in_person": st.booleans(),
        "cohabiting_minor_children_ages": st.lists(st.integers(0, 25), max_size=4),
        "relatives_at_risk": st.booleans(),
        "client_sole_owner_or_tenant": st.booleans(),
    }
)


@given(inputs_strategy)
def test_output_always_matches_the_contract(inputs):
    out = evaluate(inputs)
    assert tuple(out) == OUTPUT_KEYS
    assert isinstance(out["eligible"], bool)
    assert out["prerequisite"] in (
        ("consultation_on_record", "notarized_statement") if out["eligible"] else (None,)
    )
    assert set(out["alternative_routes"]) <= {"stalker_regulation_act", "police_consultation"}
    assert out["reasons"] and all(isinstance(r, str) and "\n" not in r for r in out["reasons"])
    for order in out["orders"]:
        assert order["type"] in ORDER_TYPES
        assert set(order) <= {"type", "months", "max_months", "consent_needed_ages"}
        assert order["months"] == (2 if order["type"] == "eviction" else 12)
        assert ("max_months" in order) == (order["type"] == "eviction")
        assert ("consent_needed_ages" in order) == order["type"].startswith("child_")
        if order["type"] == "eviction":
            assert order["max_months"] in (2, 6)
        if order["type"].startswith("child_"):
            assert all(15 <= a < 18 for a in order["consent_needed_ages"])
    assert ("eviction" in types(out)) <= inputs["cohabiting_at_application"]


@given(
    inputs_strategy.filter(
        lambda i: i["relationship"] in ("non_cohabiting_partner", "family_member", "other")
    )
)
def test_an_ineligible_relationship_is_never_eligible_whatever_the_violence(inputs):
    assert evaluate(inputs)["eligible"] is False


@given(inputs_strategy.filter(lambda i: i["relationship"].startswith("former_")))
def test_a_former_partner_without_continued_violence_is_never_eligible(inputs):
    inputs["violence_continued_after_separation"] = False
    out = evaluate(inputs)
    assert out["eligible"] is False
    assert out["alternative_routes"] == ["stalker_regulation_act", "police_consultation"]


def test_inputs_from_an_intake():
    intake = Intake()
    intake.relationship.type = "former_legal_spouse"
    intake.relationship.living_together = True
    intake.relationship.violence_continued_after_separation = True
    intake.violence.types = {"physical": "repeated"}
    intake.violence.threats = ["life", "life", "body"]
    intake.protection_order.serious_harm_to_life_or_mind_likely = True
    intake.consultation.channel = "accompanied"
    intake.household.children = [
        Child(age=16, lives_with_client=True),
        Child(age=4, lives_with_client=False),
        Child(age=None, lives_with_client=True),
        Child(age=19, lives_with_client=True),
    ]
    intake.household.relatives_at_risk = None
    inputs = inputs_from_intake(intake)
    assert tuple(inputs) == INPUT_KEYS
    assert inputs["relationship"] == "former_legal_spouse"
    assert inputs["cohabiting_at_application"] is True
    assert inputs["threats"] == ["life", "body"]
    assert inputs["consulted_in_person"] is True
    assert inputs["cohabiting_minor_children_ages"] == [16]
    assert inputs["relatives_at_risk"] is False
    assert inputs["serious_harm_to_life_or_body_likely"] is False
    assert evaluate(inputs)["eligible"] is True


def test_an_empty_intake_counts_unanswered_as_no():
    inputs = inputs_from_intake(Intake())
    assert inputs["relationship"] == "other"
    out = evaluate(inputs)
    assert out["eligible"] is False
    assert out["alternative_routes"] == ["police_consultation"]


@pytest.mark.parametrize(
    ("channel", "earlier", "expected"),
    [
        ("phone", True, "consultation_on_record"),
        ("phone", None, "notarized_statement"),
        ("phone", False, "notarized_statement"),
        ("visit", None, "consultation_on_record"),
    ],
)
def test_an_earlier_in_person_consultation_counts_for_a_phone_follow_up(channel, earlier, expected):
    intake = Intake()
    intake.relationship.type = "legal_spouse"
    intake.violence.types = {"physical": "repeated"}
    intake.protection_order.serious_harm_to_life_or_mind_likely = True
    intake.consultation.channel = channel
    intake.protection_order.earlier_in_person = earlier
    assert evaluate(inputs_from_intake(intake))["prerequisite"] == expected
