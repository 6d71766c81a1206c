import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.model import Child, Intake
from intake_app.domain.reasons import Reason, RuleInputError, law_as_of
from intake_app.domain.rules.protection_order import (
    INPUT_KEYS,
    ORDER_TYPES,
    OUTPUT_KEYS,
    PENDING_JUDGEMENT,
    PENDING_VIOLENCE,
    RELATIONSHIPS,
    THREATS,
    contact_ban_items,
    evaluate,
    evaluate_intake,
    evaluate_reasons,
    inputs_from_intake,
)

LAW = "配偶者暴力防止法"
TODAY = dt.date(2026, 12, 6)


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
            "更なる暴力により重大な危害を受けるおそれ（相談員の判断）を裏付けます",
            f"{LAW}第10条第1項",
        ),
        (
            {"relationship": "former_common_law_spouse"},
            True,
            [],
            "関係が続いていた間に暴力・脅迫を受けていた場合に対象です",
            f"{LAW}第1条第1項・第10条第1項・第28条の2",
        ),
        (
            {"relationship": "former_cohabiting_partner", "violence_during_relationship": False},
            False,
            ["stalker_regulation_act", "police_consultation"],
            "警察への相談と、ストーカー規制法による警告・禁止命令を検討",
            "ストーカー規制法第4条・第5条",
        ),
        (
            {"relationship": "non_cohabiting_partner", "physical_violence": False},
            False,
            ["stalker_regulation_act"],
            "生活の本拠を共にしたことのない交際相手は保護命令の対象外です",
            f"{LAW}第28条の2",
        ),
        (
            {"relationship": "non_cohabiting_partner"},
            False,
            ["stalker_regulation_act", "police_consultation"],
            "暴行・傷害・脅迫は犯罪です",
            "刑法第204条・第208条・第222条、ストーカー規制法第4条・第5条",
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
        (
            {"physical_violence": False},
            False,
            ["police_consultation"],
            "脅迫の記録がありません",
            f"{LAW}第10条",
        ),
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
            ["police_consultation"],
            "相談員の判断として記録されていません",
            f"{LAW}第10条",
        ),
        ({}, True, [], "更なる暴力により生命又は心身に重大な危害", f"{LAW}第10条"),
    ],
)
def test_eligibility_table(changes, eligible, routes, reason, article):
    """rules.md §2.1, §2.2, §8.5, §9.1, §9.3 (配偶者暴力防止法第1条・第10条・第28条の2)."""
    out = evaluate(base(**changes))
    assert out["eligible"] is eligible
    assert out["alternative_routes"] == routes
    assert has_reason(out, reason, article), out["reasons"]
    if eligible:
        assert types(out)[:2] == ["approach_ban", "contact_ban"]
        assert out["orders"][0]["months"] == 12
        assert has_reason(
            out, "接近禁止命令（1年）と電話等禁止命令（接近禁止命令の期間中）", f"{LAW}第10条"
        )
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
    assert has_reason(out, "親族等への接近禁止命令も申し立てられます", f"{LAW}第10条第4項")


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
        (base(cohabiting_minor_children_ages=[121]), "cohabiting_minor_children_ages"),
        (base(cohabiting_minor_children_ages=[2**70]), "cohabiting_minor_children_ages"),
        (base(violence_during_relationship="yes"), "violence_during_relationship"),
        (base(as_of="2026/12/06"), "as_of"),
        (base(as_of="2026-02-30"), "as_of"),
        (base(as_of=20261206), "as_of"),
        (base(as_of="2024-03-31"), "as_of"),
    ],
)
def test_malformed_inputs_name_the_key(inputs, key):
    """rules.md §2.5, §8.1, §8.4, §8.9: a malformed input names its key."""
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
        "cohabiting_minor_children_ages": st.lists(st.integers(0, 120), max_size=4),
        "relatives_at_risk": st.booleans(),
        "client_sole_owner_or_tenant": st.booleans(),
    },
    optional={
        "violence_during_relationship": st.sampled_from([True, False, None]),
        "as_of": st.dates(dt.date(2024, 4, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
    },
)


@given(inputs_strategy)
def test_output_always_matches_the_contract(inputs):
    """rules.md §2.5, §8.3, §8.4, §8.6: every output has the documented shape."""
    out = evaluate(inputs)
    assert tuple(out) == OUTPUT_KEYS
    assert isinstance(out["eligible"], bool)
    assert out["prerequisite"] in (
        ("consultation_on_record", "notarized_statement") if out["eligible"] else (None,)
    )
    assert set(out["alternative_routes"]) <= {"stalker_regulation_act", "police_consultation"}
    assert bool(out["alternative_routes"]) is not out["eligible"]
    assert out["reasons"] and all(isinstance(r, str) and "\n" not in r for r in out["reasons"])
    assert set(out["law_as_of"]) == {"as_of", "laws", "notice"}
    for order in out["orders"]:
        assert order["type"] in ORDER_TYPES
        if order["type"] == "approach_ban":
            assert order == {"type": "approach_ban", "months": 12}
        elif order["type"] == "eviction":
            assert set(order) == {"type", "months", "max_months"}
            assert order["months"] == 2
            assert order["max_months"] in (2, 6)
        else:
            assert order["months"] is None
            assert order["until"] == "approach_ban"
        assert ("consent_needed_ages" in order) == order["type"].startswith("child_")
        assert ("items" in order) == (order["type"] == "contact_ban")
        if order["type"].startswith("child_"):
            assert all(15 <= a < 18 for a in order["consent_needed_ages"])
    assert ("eviction" in types(out)) <= inputs["cohabiting_at_application"]


@given(
    inputs_strategy.filter(
        lambda i: i["relationship"] in ("non_cohabiting_partner", "family_member", "other")
    )
)
def test_an_ineligible_relationship_is_never_eligible_whatever_the_violence(inputs):
    """配偶者暴力防止法第1条・第28条の2: only spouses and partners sharing a home."""
    assert evaluate(inputs)["eligible"] is False


@given(inputs_strategy.filter(lambda i: i["relationship"].startswith("former_")))
def test_a_former_partner_without_violence_during_the_relationship_is_never_eligible(inputs):
    """rules.md §9.1 (第10条第1項): no violence while the relationship lasted → not eligible."""
    inputs["violence_during_relationship"] = False
    out = evaluate(inputs)
    assert out["eligible"] is False
    assert out["alternative_routes"] == ["stalker_regulation_act", "police_consultation"]


@given(inputs_strategy.filter(lambda i: i["relationship"].startswith("former_")))
def test_continued_violence_never_decides_a_former_partners_eligibility(inputs):
    """rules.md §9.1 (第10条第1項・第28条の2): violence after the separation is not required."""
    with_it = evaluate(dict(inputs, violence_continued_after_separation=True))
    without = evaluate(dict(inputs, violence_continued_after_separation=False))
    assert with_it["eligible"] == without["eligible"]
    assert with_it["orders"] == without["orders"]


@given(inputs_strategy, st.sampled_from([False, None]))
def test_adding_violence_during_the_relationship_never_removes_eligibility(inputs, before):
    """rules.md §9.1 monotonicity (第10条第1項): recording violence during the relationship,
    physical violence or a threat never turns an eligible result into an ineligible one."""
    inputs["violence_during_relationship"] = before
    was = evaluate(inputs)
    for more in (
        {"violence_during_relationship": True},
        {"physical_violence": True},
        {"threats": [*inputs["threats"], "life"]},
        {"serious_harm_to_life_or_body_likely": True},
    ):
        now = evaluate(dict(inputs, **more))
        assert now["eligible"] >= was["eligible"], more
        assert set(types(now)) >= set(types(was)), more


# --- rules.md §8 and §9, one rule each -------------------------------------------------


def test_divorced_with_violence_only_during_the_marriage_is_eligible_s9_1():
    """rules.md §9.1; 配偶者暴力防止法第1条第1項・第10条第1項（括弧書き）: the just-divorced
    woman with violence during the marriage and none since may apply; she is not sent to the
    stalker law."""
    out = evaluate(
        base(
            relationship="former_legal_spouse",
            violence_continued_after_separation=False,
            violence_during_relationship=True,
        )
    )
    assert out["eligible"] is True
    assert out["alternative_routes"] == []
    assert has_reason(
        out,
        "関係が続いていた間に暴力・脅迫を受けていたため対象です（別れた後も暴力が続いている必要はありません）",
        f"{LAW}第1条第1項・第10条第1項・第28条の2",
    )
    assert not any("確認してください（第10条第1項）" in line for line in out["reasons"])


def test_former_partner_with_unknown_violence_during_relationship_asks_to_confirm_s9_1():
    """rules.md §9.1 (第10条第1項): null → eligible relationship plus the confirm line."""
    for data in (
        base(relationship="former_common_law_spouse"),
        base(relationship="former_common_law_spouse", violence_during_relationship=None),
    ):
        out = evaluate(data)
        assert out["eligible"] is True
        assert has_reason(
            out,
            "関係が続いていた間に暴力・脅迫を受けていたことを確認してください（第10条第1項）",
            f"{LAW}第10条第1項",
        )


def test_violence_that_began_after_the_separation_does_not_ground_an_application_s8_1():
    """rules.md §8.1, §9.1 (第10条第1項): false → not eligible, stalker law and police."""
    out = evaluate(
        base(
            relationship="former_legal_spouse",
            violence_during_relationship=False,
            violence_continued_after_separation=True,
        )
    )
    assert out["eligible"] is False
    assert out["alternative_routes"] == ["stalker_regulation_act", "police_consultation"]
    assert has_reason(
        out,
        "別れた後に始まった暴力だけでは申し立てられません",
        f"{LAW}第1条第1項・第10条第1項・第28条の2",
    )


def test_current_partners_ignore_violence_during_relationship():
    """配偶者暴力防止法第1条: the key concerns former partners only."""
    out = evaluate(base(violence_during_relationship=False))
    assert out["eligible"] is True


def test_a_partner_no_longer_sharing_the_home_may_count_as_former_s8_2():
    """rules.md §8.2; 配偶者暴力防止法第28条の2: decided as a current partner, plus a line."""
    out = evaluate(base(relationship="cohabiting_partner", cohabiting_at_application=False))
    assert out["eligible"] is True
    assert has_reason(
        out, "関係を解消した元の交際相手として扱われることがあります", f"{LAW}第28条の2"
    )
    living = evaluate(base(relationship="cohabiting_partner", cohabiting_at_application=True))
    assert not any("元の交際相手" in line for line in living["reasons"])


def test_body_harm_counts_as_harm_to_mind_and_body_s9_2():
    """rules.md §9.2; 配偶者暴力防止法第10条第1項: the body box alone meets the threshold."""
    out = evaluate(
        base(
            serious_harm_to_life_or_mind_likely=False,
            serious_harm_to_life_or_body_likely=True,
            cohabiting_at_application=True,
        )
    )
    assert out["eligible"] is True
    assert types(out) == ["approach_ban", "contact_ban", "eviction"]
    assert has_reason(
        out, "身体への重大な危害は心身への重大な危害にあたるため", f"{LAW}第10条第1項"
    )


@pytest.mark.parametrize(
    ("changes", "routes", "reason", "article"),
    [
        (
            {"physical_violence": True},
            ["stalker_regulation_act", "police_consultation"],
            "暴行・傷害・脅迫は犯罪です",
            "刑法第204条・第208条・第222条、ストーカー規制法第4条・第5条",
        ),
        (
            {"physical_violence": False, "threats": ["freedom"]},
            ["stalker_regulation_act", "police_consultation"],
            "暴行・傷害・脅迫は犯罪です",
            "刑法第204条・第208条・第222条、ストーカー規制法第4条・第5条",
        ),
        (
            {"physical_violence": False},
            ["stalker_regulation_act"],
            "デートDV）の被害者も、センターの支援の対象です",
            "蕨市計画 第1章4(1)",
        ),
    ],
)
def test_dating_partner_routes_s9_3(changes, routes, reason, article):
    """rules.md §9.3 (ストーカー規制法第4条・第5条、刑法): dating partners never living together."""
    out = evaluate(base(relationship="non_cohabiting_partner", **changes))
    assert out["eligible"] is False
    assert out["alternative_routes"] == routes
    assert has_reason(out, reason, article)


def test_orders_2_to_5_last_as_long_as_the_approach_ban_s8_3():
    """rules.md §8.3; 配偶者暴力防止法第10条第2項〜第4項: months null, until approach_ban."""
    out = evaluate(base(cohabiting_minor_children_ages=[4], relatives_at_risk=True))
    by_type = {o["type"]: o for o in out["orders"]}
    assert by_type["approach_ban"] == {"type": "approach_ban", "months": 12}
    for order_type in (
        "contact_ban",
        "child_approach_ban",
        "child_contact_ban",
        "relative_approach_ban",
    ):
        assert by_type[order_type]["months"] is None
        assert by_type[order_type]["until"] == "approach_ban"
    assert not any("12か月" in line for line in out["reasons"])
    assert has_reason(
        out, "親族等への接近禁止命令も申し立てられます（接近禁止命令の期間中）", f"{LAW}第10条第4項"
    )


@pytest.mark.parametrize(
    ("as_of", "with_tag"),
    [("2025-12-29", False), ("2025-12-30", True), ("2026-12-06", True)],
)
def test_contact_ban_items_and_the_location_tag_from_2025_12_30_s8_4(as_of, with_tag):
    """rules.md §8.4; 配偶者暴力防止法第10条第2項（令和7年改正 2025-12-30 施行）."""
    out = evaluate(base(as_of=as_of))
    items = out["orders"][1]["items"]
    assert out["orders"][1]["type"] == "contact_ban"
    assert items == contact_ban_items(dt.date.fromisoformat(as_of))
    assert items[0] == "面会を要求すること"
    assert any("午後10時から午前6時" in i for i in items)
    assert any("GPS" in i for i in items)
    assert any("紛失防止タグ" in i for i in items) is with_tag
    assert len(items) == (10 if with_tag else 9)


def test_as_of_defaults_to_today_s8_4():
    """rules.md §8.4: without as_of the decision is dated today."""
    out = evaluate(base())
    assert out["law_as_of"]["as_of"] == dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"physical_violence": False}, "身体に対する暴力または脅迫の要件"),
        (
            {"serious_harm_to_life_or_mind_likely": False},
            "重大な危害を受けるおそれ（相談員の判断）の要件",
        ),
        (
            {"physical_violence": False, "serious_harm_to_life_or_mind_likely": False},
            "身体に対する暴力または脅迫と重大な危害を受けるおそれ（相談員の判断）の要件",
        ),
    ],
)
def test_eligible_relationship_failing_only_on_violence_or_harm_goes_to_police_s8_5(
    changes, missing
):
    """rules.md §8.5; 配偶者暴力防止法第10条: routes police_consultation, naming what is missing."""
    for relationship in ("legal_spouse", "former_legal_spouse"):
        out = evaluate(base(relationship=relationship, **changes))
        assert out["eligible"] is False
        assert out["alternative_routes"] == ["police_consultation"]
        assert has_reason(out, f"関係は対象ですが、{missing}が満たされていない", f"{LAW}第10条")


@pytest.mark.parametrize(
    ("as_of", "laws"),
    [
        (
            "2025-12-29",
            ["配偶者暴力防止法（令和5年改正、2024-04-01施行）", "困難女性支援法（2024-04-01施行）"],
        ),
        (
            "2025-12-30",
            [
                "配偶者暴力防止法（令和5年改正、2024-04-01施行）",
                "配偶者暴力防止法（令和7年改正、2025-12-30施行）",
                "困難女性支援法（2024-04-01施行）",
            ],
        ),
    ],
)
def test_every_result_carries_law_as_of_s8_6(as_of, laws):
    """rules.md §8.6: the law versions applied, and the decision-support line."""
    out = evaluate(base(as_of=as_of))
    assert out["law_as_of"]["as_of"] == as_of
    assert out["law_as_of"]["laws"] == laws
    assert "相談員が記録した判断によります" in out["law_as_of"]["notice"]


def test_relatives_need_written_consent_and_exclude_those_living_with_him_s8_7():
    """rules.md §8.7; 配偶者暴力防止法第10条第4項・第5項（要確認）."""
    out = evaluate(base(relatives_at_risk=True))
    assert has_reason(
        out,
        "その親族等の書面による同意が必要です（15歳未満の人や成年被後見人の場合は法定代理人",
        f"{LAW}第10条第4項・第5項（要確認）",
    )
    assert has_reason(
        out, "相手方と同居している親族等は対象になりません", f"{LAW}第10条第4項・第5項（要確認）"
    )


def test_child_and_relative_orders_state_the_condition_the_court_looks_for_s9_5():
    """rules.md §9.5; 配偶者暴力防止法第10条第3項・第4項（要確認）: the counselor's judgement."""
    out = evaluate(base(cohabiting_minor_children_ages=[7], relatives_at_risk=True))
    assert has_reason(
        out, "本人が子に関して相手方と面会せざるを得なくなるおそれ", f"{LAW}第10条第3項（要確認）"
    )
    assert has_reason(
        out,
        "本人がその親族等に関して相手方と面会せざるを得なくなるおそれ",
        f"{LAW}第10条第4項（要確認）",
    )
    none = evaluate(base())
    assert not any("面会せざるを得なくなる" in line for line in none["reasons"])


@pytest.mark.parametrize("age", [0, 17, 18, 120])
def test_ages_0_to_120_are_accepted_s8_9(age):
    """rules.md §8.9: ages 0-120; only those under 18 get child orders (民法第4条)."""
    out = evaluate(base(cohabiting_minor_children_ages=[age]))
    assert ("child_approach_ban" in types(out)) is (age < 18)


# --- the intake (§9.4, §8.8) -----------------------------------------------------------


def test_inputs_from_an_intake():
    """rules.md §2.5, §9.4: the intake's answers as the contract's inputs."""
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
    assert tuple(inputs) == (*INPUT_KEYS, "violence_during_relationship")
    assert inputs["relationship"] == "former_legal_spouse"
    assert inputs["cohabiting_at_application"] is True
    assert inputs["threats"] == ["life", "body"]
    assert inputs["consulted_in_person"] is True
    assert inputs["cohabiting_minor_children_ages"] == [16]
    assert inputs["relatives_at_risk"] is False
    assert inputs["serious_harm_to_life_or_body_likely"] is False
    assert inputs["violence_during_relationship"] is None
    assert evaluate(inputs)["eligible"] is True


def test_an_empty_intake_counts_unanswered_as_no():
    inputs = inputs_from_intake(Intake())
    assert inputs["relationship"] == "other"
    out = evaluate(inputs)
    assert out["eligible"] is False
    assert out["alternative_routes"] == ["police_consultation"]


def test_an_unanswered_relationship_asks_for_it_instead_of_saying_not_covered_s8_8():
    """rules.md §8.8 (配偶者暴力防止法第1条・第28条の2): 「相手との関係を確認してください」."""
    advice = evaluate_intake(Intake(), TODAY)
    assert advice.state == "pending"
    assert advice.pending == ["相手との関係を確認してください"]
    assert advice.result["eligible"] is False
    assert advice.result["alternative_routes"] == []
    assert advice.reasons[0] == Reason("相手との関係を確認してください", f"{LAW}第1条・第28条の2")
    assert not any("対象外" in line for line in advice.result["reasons"])


def intake_for(relationship="legal_spouse", **po):
    intake = Intake()
    intake.relationship.type = relationship
    for key, value in po.items():
        setattr(intake.protection_order, key, value)
    return intake


@pytest.mark.parametrize(
    ("types_", "absent", "answers", "counted", "life"),
    [
        ({"physical": "repeated"}, [], {}, "身体的暴力", None),
        (
            {"sexual": "once_or_twice"},
            [],
            {},
            "性的暴力（性行為の強要は身体に対する暴力です）",
            None,
        ),
        ({}, ["physical"], {"R01": True}, "R01「首を絞められたことがある」", None),
        ({}, [], {"R03": True}, "R03「刃物・凶器を使われた、または使うと脅された」", None),
        ({}, [], {"R02": True}, None, "R02「「殺す」と脅されたことがある」"),
    ],
)
def test_intake_mapping_counts_sexual_violence_and_r01_r03_as_physical_r02_as_life_s9_4(
    types_, absent, answers, counted, life
):
    """rules.md §9.4; 配偶者暴力防止法第10条第1項: the reasons name the answers that counted."""
    intake = intake_for(serious_harm_to_life_or_mind_likely=True)
    intake.violence.types = dict(types_)
    intake.violence.absent = list(absent)
    intake.risk.answers = dict(answers)
    advice = evaluate_intake(intake, TODAY)
    assert advice.state == "eligible"
    inputs = inputs_from_intake(intake)
    assert inputs["physical_violence"] is bool(counted)
    assert ("life" in inputs["threats"]) is bool(life)
    lines = advice.result["reasons"]
    if counted:
        assert any(
            line.startswith(f"身体に対する暴力として数えた回答: {counted}")
            and line.endswith(f"（根拠: {LAW}第10条第1項）")
            for line in lines
        ), lines
    if life:
        assert any(line.startswith(f"生命に対する脅迫として数えた回答: {life}") for line in lines)


def test_an_intake_on_the_v1_checklist_names_its_items_too_s9_4():
    """rules.md §9.4 with a stored v1 assessment: the same items, their v1 text."""
    intake = intake_for(serious_harm_to_life_or_mind_likely=True)
    intake.risk.checklist_version = "risk-v1"
    intake.risk.answers = {"R01": True, "R02": True}
    lines = evaluate_intake(intake, TODAY).result["reasons"]
    assert any("R01「首を絞められたことがある」" in line for line in lines)
    intake.risk.checklist_version = "test-v9"  # an unknown version: the newest texts
    lines = evaluate_intake(intake, TODAY).result["reasons"]
    assert any("R02「「殺す」と脅されたことがある」" in line for line in lines)


def test_r02_adds_a_threat_to_life_once():
    intake = intake_for()
    intake.violence.threats = ["honour", "life"]
    intake.risk.answers = {"R02": True}
    assert inputs_from_intake(intake)["threats"] == ["honour", "life"]
    intake.violence.threats = ["honour"]
    assert inputs_from_intake(intake)["threats"] == ["life", "honour"]


def test_a_child_whose_age_or_cohabitation_is_unknown_is_named_s8_8():
    """rules.md §8.8; 配偶者暴力防止法第10条: never dropped silently."""
    intake = intake_for(serious_harm_to_life_or_mind_likely=True)
    intake.violence.types = {"physical": "repeated"}
    intake.household.children = [
        Child(name="はな", age=None, lives_with_client=True),
        Child(age=5, lives_with_client=None),
        Child(age=None, lives_with_client=None),
        Child(age=4, lives_with_client=False),
        Child(age=19, lives_with_client=None),
        Child(age=6, lives_with_client=True),
    ]
    lines = evaluate_intake(intake, TODAY).result["reasons"]
    tail = f"子への命令を検討するため確認してください（根拠: {LAW}第10条）"
    asked = [line for line in lines if line.endswith(tail)]
    assert asked == [
        f"子ども1人目（はな）の年齢がわかりません。{tail}",
        f"子ども2人目の同居しているかがわかりません。{tail}",
        f"子ども3人目の年齢と同居しているかがわかりません。{tail}",
    ]


@pytest.mark.parametrize(
    ("setup", "state", "pending"),
    [
        ({}, "pending", [PENDING_VIOLENCE, PENDING_JUDGEMENT]),
        ({"types": {"physical": "repeated"}}, "pending", [PENDING_JUDGEMENT]),
        ({"absent": ["physical"]}, "pending", [PENDING_JUDGEMENT]),
        (
            {
                "types": {"physical": "repeated"},
                "po": {"serious_harm_to_life_or_mind_likely": False},
            },
            "not_eligible",
            [],
        ),
        (
            {"absent": ["physical"], "po": {"serious_harm_to_life_or_mind_likely": True}},
            "not_eligible",
            [],
        ),
        ({"po": {"serious_harm_to_life_or_body_likely": True}}, "pending", [PENDING_VIOLENCE]),
        (
            {
                "types": {"physical": "repeated"},
                "po": {"serious_harm_to_life_or_body_likely": True},
            },
            "eligible",
            [],
        ),
        ({"relationship": "family_member"}, "not_eligible", []),
        (
            {
                "relationship": "former_legal_spouse",
                "during": False,
                "types": {"physical": "repeated"},
            },
            "not_eligible",
            [],
        ),
    ],
)
def test_pending_until_the_counselors_judgements_are_entered_s8_8(setup, state, pending):
    """rules.md §8.8 (配偶者暴力防止法第10条): 判断待ち, never 「対象外」, while an answer or the
    counselor's judgement that could make it eligible is missing."""
    intake = intake_for(setup.get("relationship", "legal_spouse"), **setup.get("po", {}))
    intake.violence.types = setup.get("types", {})
    intake.violence.absent = setup.get("absent", [])
    intake.relationship.violence_during_relationship = setup.get("during")
    advice = evaluate_intake(intake, TODAY)
    assert advice.state == state
    assert advice.pending == pending
    assert advice.law == law_as_of(TODAY)
    assert advice.result["reasons"] == [r.line() for r in advice.reasons]


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


def test_evaluate_reasons_gives_the_same_lines_with_their_articles():
    inputs = base(relationship="former_legal_spouse", as_of="2026-12-06")
    assert [r.line() for r in evaluate_reasons(inputs)] == evaluate(inputs)["reasons"]


def test_an_intake_dated_before_2024_04_01_is_still_advised():
    intake = intake_for(serious_harm_to_life_or_mind_likely=True)
    intake.violence.types = {"physical": "repeated"}
    advice = evaluate_intake(intake, dt.date(2022, 6, 1))
    assert advice.state == "eligible"
    assert advice.result["law_as_of"]["as_of"] == "2022-06-01"
