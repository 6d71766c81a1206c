"""保護命令 (protection orders) under the DV Prevention Act as amended (rules.md §2).

``evaluate`` implements the rules.md §2.5 contract exactly: one JSON-like dict in, one
out. The future-harm thresholds are the counselor's recorded judgement, never computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from intake_app.domain.model import LABELS, Intake, RelationshipType, Threat
from intake_app.domain.reasons import Reason, RuleInputError

LAW = "配偶者暴力防止法"
CURRENT = ("legal_spouse", "common_law_spouse", "cohabiting_partner")
FORMER = ("former_legal_spouse", "former_common_law_spouse", "former_cohabiting_partner")
RELATIONSHIPS: tuple[str, ...] = get_args(RelationshipType)
THREATS: tuple[str, ...] = get_args(Threat)
CHILD_CONSENT_AGE = 15
ADULT_AGE = 18
APPROACH_BAN_MONTHS = 12
EVICTION_MONTHS = 2
EVICTION_MAX_MONTHS_SOLE_HOME = 6

BOOL_KEYS = (
    "cohabiting_at_application",
    "violence_continued_after_separation",
    "physical_violence",
    "serious_harm_to_life_or_mind_likely",
    "serious_harm_to_life_or_body_likely",
    "consulted_in_person",
    "relatives_at_risk",
    "client_sole_owner_or_tenant",
)
INPUT_KEYS = (
    "relationship",
    *BOOL_KEYS[:3],
    "threats",
    *BOOL_KEYS[3:6],
    "cohabiting_minor_children_ages",
    *BOOL_KEYS[6:],
)
OUTPUT_KEYS = ("eligible", "orders", "prerequisite", "alternative_routes", "reasons")
ORDER_TYPES = (
    "approach_ban",
    "contact_ban",
    "child_approach_ban",
    "child_contact_ban",
    "relative_approach_ban",
    "eviction",
)


def validate_inputs(inputs: object) -> dict[str, Any]:
    """The inputs checked against the contract; a ``RuleInputError`` names the bad key."""
    if not isinstance(inputs, Mapping):
        raise RuleInputError("入力は JSON のオブジェクトにしてください")
    for key in inputs:
        if key not in INPUT_KEYS:
            raise RuleInputError(f"{key}: 知らない項目です", str(key))
    for key in INPUT_KEYS:
        if key not in inputs:
            raise RuleInputError(f"{key}: 必須の項目がありません", key)
    if inputs["relationship"] not in RELATIONSHIPS:
        raise RuleInputError(
            f"relationship: {'、'.join(RELATIONSHIPS)} のいずれかにしてください", "relationship"
        )
    for key in BOOL_KEYS:
        if not isinstance(inputs[key], bool):
            raise RuleInputError(f"{key}: true か false にしてください", key)
    threats = inputs["threats"]
    if not isinstance(threats, list) or any(t not in THREATS for t in threats):
        raise RuleInputError(f"threats: {'、'.join(THREATS)} からなる配列にしてください", "threats")
    ages = inputs["cohabiting_minor_children_ages"]
    if not isinstance(ages, list) or any(
        isinstance(a, bool) or not isinstance(a, int) or a < 0 for a in ages
    ):
        raise RuleInputError(
            "cohabiting_minor_children_ages: 0以上の整数の配列にしてください",
            "cohabiting_minor_children_ages",
        )
    return dict(inputs)


def relationship_eligible(relationship: str, continued_after_separation: bool) -> bool:
    """rules.md §2.1: current partners; former ones only when the violence continued."""
    if relationship in CURRENT:
        return True
    return relationship in FORMER and continued_after_separation


def evaluate(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """rules.md §2.5: eligibility, the orders that can be asked for, prerequisite, routes."""
    i = validate_inputs(inputs)
    reasons = evaluate_reasons(i)
    return {**_decide(i), "reasons": [r.line() for r in reasons]}


def evaluate_reasons(inputs: Mapping[str, Any]) -> list[Reason]:
    """The reasons of ``evaluate`` as ``Reason`` objects (validated inputs)."""
    i = dict(inputs)
    decision = _decide(i)
    reasons: list[Reason] = []
    rel = i["relationship"]
    rel_label = LABELS["relationship"][rel]
    if rel in CURRENT:
        reasons.append(
            Reason(f"相手との関係（{rel_label}）は保護命令の対象です", f"{LAW}第1条・第28条の2")
        )
    elif rel in FORMER:
        if i["violence_continued_after_separation"]:
            reasons.append(
                Reason(
                    f"相手との関係（{rel_label}）は、関係中の暴力が別れた後も続いているため対象です",
                    f"{LAW}第10条・第28条の2",
                )
            )
        else:
            reasons.append(
                Reason(
                    f"相手との関係（{rel_label}）は、関係中の暴力が別れた後も続いている場合に"
                    "限り対象です（続いているとの記録がありません）",
                    f"{LAW}第10条・第28条の2",
                )
            )
    elif rel == "non_cohabiting_partner":
        reasons.append(
            Reason(
                "生活の本拠を共にしたことのない交際相手は保護命令の対象外です。"
                "警察に相談し、ストーカー規制法による警告・禁止命令を検討してください",
                "配偶者暴力防止法第28条の2、ストーカー規制法第4条・第5条",
            )
        )
    else:
        reasons.append(
            Reason(
                f"相手との関係（{rel_label}）は保護命令の対象外です。警察への相談につないでください",
                f"{LAW}第1条",
            )
        )

    threats = [LABELS["threat"][t] for t in i["threats"]]
    if i["physical_violence"] or threats:
        parts = (["身体に対する暴力"] if i["physical_violence"] else []) + (
            [f"{'・'.join(threats)}に対する脅迫"] if threats else []
        )
        reasons.append(
            Reason(f"対象となる暴力・脅迫があります: {'、'.join(parts)}", f"{LAW}第10条")
        )
    else:
        reasons.append(
            Reason(
                "身体に対する暴力、または生命・身体・自由・名誉・財産に対する脅迫の記録がありません",
                f"{LAW}第10条",
            )
        )
    if i["serious_harm_to_life_or_mind_likely"]:
        reasons.append(
            Reason(
                "相談員の判断: 更なる暴力により生命又は心身に重大な危害を受けるおそれが大きい",
                f"{LAW}第10条",
            )
        )
    else:
        reasons.append(
            Reason(
                "生命又は心身に重大な危害を受けるおそれ（通院加療を要する程度以上）が"
                "相談員の判断として記録されていません",
                f"{LAW}第10条",
            )
        )

    if decision["eligible"]:
        reasons.append(
            Reason(
                "接近禁止命令（1年）と電話等禁止命令を申し立てることができます",
                f"{LAW}第10条",
            )
        )
        ages = sorted(a for a in i["cohabiting_minor_children_ages"] if a < ADULT_AGE)
        if ages:
            reasons.append(
                Reason(
                    "同居する未成年の子への接近禁止命令・電話等禁止命令も申し立てられます",
                    f"{LAW}第10条",
                )
            )
            older = [a for a in ages if a >= CHILD_CONSENT_AGE]
            if older:
                reasons.append(
                    Reason(
                        f"15歳以上の子（{'・'.join(f'{a}歳' for a in older)}）は、"
                        "本人の同意が必要です（二次資料による）",
                        f"{LAW}第10条",
                    )
                )
        if i["relatives_at_risk"]:
            reasons.append(
                Reason(
                    "親族等への接近禁止命令も申し立てられます（その親族等の同意が必要とされます・要確認）",
                    f"{LAW}第10条",
                )
            )
        eviction = next((o for o in decision["orders"] if o["type"] == "eviction"), None)
        if eviction is not None:
            months = eviction["max_months"]
            extra = (
                "本人が単独で所有・賃借する住居のため、申立てにより6か月まで"
                if months == EVICTION_MAX_MONTHS_SOLE_HOME
                else "期間は2か月"
            )
            reasons.append(Reason(f"退去等命令を申し立てられます（{extra}）", f"{LAW}第10条の2"))
        elif i["cohabiting_at_application"]:
            reasons.append(
                Reason(
                    "退去等命令は、身体に対する暴力または生命・身体に対する脅迫があり、"
                    "生命又は身体に重大な危害を受けるおそれが大きい場合に限られます",
                    f"{LAW}第10条の2",
                )
            )
        if decision["prerequisite"] == "consultation_on_record":
            reasons.append(
                Reason(
                    "配偶者暴力相談支援センターまたは警察への相談（面談）の記録を申立書に書けます",
                    f"{LAW}第12条",
                )
            )
        else:
            reasons.append(
                Reason(
                    "面談による相談の記録がないため（電話のみの相談は含みません）、"
                    "公証人面前宣誓供述書が必要です",
                    f"{LAW}第12条",
                )
            )
    elif rel in FORMER:
        reasons.append(
            Reason(
                "保護命令の対象にならないため、警察への相談とストーカー規制法による対応を検討してください",
                "ストーカー規制法第4条・第5条",
            )
        )
    return reasons


def _decide(i: Mapping[str, Any]) -> dict[str, Any]:
    rel = i["relationship"]
    threats = set(i["threats"])
    eligible = bool(
        relationship_eligible(rel, i["violence_continued_after_separation"])
        and (i["physical_violence"] or threats)
        and i["serious_harm_to_life_or_mind_likely"]
    )
    orders: list[dict[str, Any]] = []
    prerequisite: str | None = None
    if eligible:
        orders.append({"type": "approach_ban", "months": APPROACH_BAN_MONTHS})
        orders.append({"type": "contact_ban", "months": APPROACH_BAN_MONTHS})
        ages = sorted(a for a in i["cohabiting_minor_children_ages"] if a < ADULT_AGE)
        if ages:
            consent = [a for a in ages if a >= CHILD_CONSENT_AGE]
            for order_type in ("child_approach_ban", "child_contact_ban"):
                orders.append(
                    {
                        "type": order_type,
                        "months": APPROACH_BAN_MONTHS,
                        "consent_needed_ages": list(consent),
                    }
                )
        if i["relatives_at_risk"]:
            orders.append({"type": "relative_approach_ban", "months": APPROACH_BAN_MONTHS})
        life_or_body = i["physical_violence"] or bool(threats & {"life", "body"})
        if (
            i["cohabiting_at_application"]
            and life_or_body
            and i["serious_harm_to_life_or_body_likely"]
        ):
            max_months = (
                EVICTION_MAX_MONTHS_SOLE_HOME
                if i["client_sole_owner_or_tenant"]
                else EVICTION_MONTHS
            )
            orders.append({"type": "eviction", "months": EVICTION_MONTHS, "max_months": max_months})
        prerequisite = (
            "consultation_on_record" if i["consulted_in_person"] else "notarized_statement"
        )
    routes: list[str] = []
    if rel == "non_cohabiting_partner":
        routes = ["stalker_regulation_act"]
    elif rel in ("family_member", "other"):
        routes = ["police_consultation"]
    elif rel in FORMER and not eligible:
        routes = ["stalker_regulation_act", "police_consultation"]
    return {
        "eligible": eligible,
        "orders": orders,
        "prerequisite": prerequisite,
        "alternative_routes": routes,
    }


IN_PERSON_CHANNELS = ("visit", "accompanied")


def consulted_in_person(intake: Intake) -> bool:
    """This consultation in person, or an earlier one of the case (or the police) recorded."""
    return (
        intake.consultation.channel in IN_PERSON_CHANNELS
        or intake.protection_order.earlier_in_person is True
    )


def inputs_from_intake(intake: Intake) -> dict[str, Any]:
    """The §2.5 inputs from an intake; an unanswered question counts as "no"."""
    rel = intake.relationship
    po = intake.protection_order
    ages = [
        child.age
        for child in intake.household.children
        if child.lives_with_client is True and child.age is not None and child.age < ADULT_AGE
    ]
    return {
        "relationship": rel.type or "other",
        "cohabiting_at_application": rel.living_together is True,
        "violence_continued_after_separation": rel.violence_continued_after_separation is True,
        "physical_violence": "physical" in intake.violence.types,
        "threats": list(dict.fromkeys(intake.violence.threats)),
        "serious_harm_to_life_or_mind_likely": po.serious_harm_to_life_or_mind_likely is True,
        "serious_harm_to_life_or_body_likely": po.serious_harm_to_life_or_body_likely is True,
        "consulted_in_person": consulted_in_person(intake),
        "cohabiting_minor_children_ages": ages,
        "relatives_at_risk": intake.household.relatives_at_risk is True,
        "client_sole_owner_or_tenant": po.client_sole_owner_or_tenant is True,
    }
