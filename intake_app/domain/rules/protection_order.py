"""保護命令 (protection orders) under the DV Prevention Act as amended (rules.md §2, §8, §9).

``evaluate`` implements the rules.md §2.5 contract with the §8 clarifications and the §9
corrections: one JSON-like dict in, one out. The future-harm thresholds are the
counselor's recorded judgement, never computed. ``evaluate_intake`` runs the same rules on
an intake (§9.4 mapping, §8.8 lines) and says whether the decision still waits for answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from intake_app.domain.model import LABELS, Intake, RelationshipType, Threat
from intake_app.domain.reasons import (
    LawAsOf,
    Reason,
    RuleInputError,
    law_as_of,
    parse_as_of,
    shown_key,
)
from intake_app.domain.rules.risk import (
    CHECKLIST_VERSIONS,
    CURRENT_CHECKLIST_VERSION,
    load_checklist,
)

LAW = "配偶者暴力防止法"
CURRENT = ("legal_spouse", "common_law_spouse", "cohabiting_partner")
FORMER = ("former_legal_spouse", "former_common_law_spouse", "former_cohabiting_partner")
RELATIONSHIPS: tuple[str, ...] = get_args(RelationshipType)
THREATS: tuple[str, ...] = get_args(Threat)
CHILD_CONSENT_AGE = 15
ADULT_AGE = 18
MAX_AGE = 120
APPROACH_BAN_MONTHS = 12
EVICTION_MONTHS = 2
EVICTION_MAX_MONTHS_SOLE_HOME = 6
LOCATION_TAG_FROM = dt.date(2025, 12, 30)  # 令和7年改正: 紛失防止タグ

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
OPTIONAL_KEYS = ("violence_during_relationship", "as_of")  # rules.md §8.1, §8.4
OUTPUT_KEYS = ("eligible", "orders", "prerequisite", "alternative_routes", "reasons", "law_as_of")
ORDER_TYPES = (
    "approach_ban",
    "contact_ban",
    "child_approach_ban",
    "child_contact_ban",
    "relative_approach_ban",
    "eviction",
)
# Orders ②-⑤ last as long as the approach ban (rules.md §8.3).
UNTIL_APPROACH_BAN = "approach_ban"
UNTIL_APPROACH_BAN_LABEL = "接近禁止命令の期間中"

# The acts a contact ban (電話等禁止命令) forbids (第10条第2項; rules.md §2.3, §8.4), with
# the first decision date each applies to (None: all dates this module knows).
CONTACT_BAN_ITEMS: tuple[tuple[str, dt.date | None], ...] = (
    ("面会を要求すること", None),
    ("行動を監視していると思わせるようなことを告げ、または知り得る状態に置くこと", None),
    ("著しく粗野または乱暴な言動をすること", None),
    (
        "無言電話をかけること、または緊急やむを得ない場合を除き、連続して電話をかけ、"
        "文書を送り、ファクシミリ・電子メール・SNS等で送信すること",
        None,
    ),
    (
        "緊急やむを得ない場合を除き、午後10時から午前6時までの間に、電話をかけ、"
        "ファクシミリ・電子メール・SNS等で送信すること",
        None,
    ),
    (
        "汚物・動物の死体など、著しく不快または嫌悪の情を催させる物を送り、"
        "または知り得る状態に置くこと",
        None,
    ),
    ("名誉を害することを告げ、または知り得る状態に置くこと", None),
    (
        "性的羞恥心を害することを告げ、もしくは知り得る状態に置き、"
        "または性的羞恥心を害する文書・画像等を送り、もしくは知り得る状態に置くこと",
        None,
    ),
    ("承諾なく、GPS機器等で位置情報を取得すること（機器を取り付けることを含む）", None),
    (
        "承諾なく、紛失防止タグ等で位置情報を取得すること（タグを取り付けることを含む）",
        LOCATION_TAG_FROM,
    ),
)

State = Literal["eligible", "not_eligible", "pending"]
PENDING_RELATIONSHIP = "相手との関係を確認してください"
PENDING_VIOLENCE = "身体に対する暴力・脅迫があったかを確認してください"
PENDING_JUDGEMENT = "生命又は心身に重大な危害を受けるおそれについて、相談員の判断を入力してください"


def contact_ban_items(as_of: dt.date) -> list[str]:
    """The acts a contact ban forbids for a decision dated ``as_of`` (Japanese, one each)."""
    return [text for text, since in CONTACT_BAN_ITEMS if since is None or since <= as_of]


def validate_inputs(inputs: object) -> dict[str, Any]:
    """The inputs checked against the contract; a ``RuleInputError`` names the bad key."""
    if not isinstance(inputs, Mapping):
        raise RuleInputError("入力は JSON のオブジェクトにしてください")
    for key in inputs:
        if key not in INPUT_KEYS and key not in OPTIONAL_KEYS:
            raise RuleInputError(f"{shown_key(key)}: 知らない項目です", shown_key(key))
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
        isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= MAX_AGE for a in ages
    ):
        raise RuleInputError(
            f"cohabiting_minor_children_ages: 0〜{MAX_AGE}の整数の配列にしてください",
            "cohabiting_minor_children_ages",
        )
    during = inputs.get("violence_during_relationship")
    if during is not None and not isinstance(during, bool):
        raise RuleInputError(
            "violence_during_relationship: true・false・null のいずれかにしてください",
            "violence_during_relationship",
        )
    if "as_of" in inputs:
        parse_as_of(inputs["as_of"])
    return dict(inputs)


def relationship_eligible(relationship: str | None, violence_during: bool | None = None) -> bool:
    """rules.md §9.1: current partners; former ones unless the violence is recorded as not
    having happened while the relationship lasted (``violence_during`` False)."""
    if relationship in CURRENT:
        return True
    return relationship in FORMER and violence_during is not False


def _as_of(i: Mapping[str, Any]) -> dt.date:
    value = i.get("as_of")
    return dt.date.today() if value is None else parse_as_of(value)


def evaluate(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """rules.md §2.5 with §8-§9: eligibility, orders, prerequisite, routes, reasons, laws."""
    i = validate_inputs(inputs)
    as_of = _as_of(i)
    return _result(i, _reasons(i, as_of), as_of)


def evaluate_reasons(inputs: Mapping[str, Any]) -> list[Reason]:
    """The reasons of ``evaluate`` as ``Reason`` objects (validated inputs)."""
    return _reasons(inputs, _as_of(inputs))


def _result(i: Mapping[str, Any], reasons: list[Reason], as_of: dt.date) -> dict[str, Any]:
    return {
        **_decide(i, as_of),
        "reasons": [r.line() for r in reasons],
        "law_as_of": law_as_of(as_of).to_contract(),
    }


def _violence(i: Mapping[str, Any]) -> bool:
    return bool(i["physical_violence"] or i["threats"])


def _harm_met(i: Mapping[str, Any]) -> bool:
    """The approach-ban threshold: harm to 心身, which body harm is (rules.md §9.2)."""
    return bool(
        i["serious_harm_to_life_or_mind_likely"] or i["serious_harm_to_life_or_body_likely"]
    )


def _relationship_reasons(i: Mapping[str, Any]) -> list[Reason]:
    rel = i["relationship"]
    during = i.get("violence_during_relationship")
    if rel is None:
        return [Reason(PENDING_RELATIONSHIP, f"{LAW}第1条・第28条の2")]
    rel_label = LABELS["relationship"][rel]
    reasons: list[Reason] = []
    if rel in CURRENT:
        reasons.append(
            Reason(f"相手との関係（{rel_label}）は保護命令の対象です", f"{LAW}第1条・第28条の2")
        )
        if rel == "cohabiting_partner" and not i["cohabiting_at_application"]:
            reasons.append(
                Reason(
                    "今は生活の本拠を共にしていない交際相手は、関係を解消した元の交際相手として"
                    "扱われることがあります。関係が続いているかを確認してください",
                    f"{LAW}第28条の2",
                )
            )
    elif rel in FORMER:
        rule = f"{LAW}第1条第1項・第10条第1項・第28条の2"
        if during is False:
            reasons.append(
                Reason(
                    f"相手との関係（{rel_label}）: 関係が続いていた間の暴力・脅迫がないため、"
                    "保護命令の対象になりません（別れた後に始まった暴力だけでは申し立てられません）",
                    rule,
                )
            )
            reasons.append(
                Reason(
                    "警察への相談と、ストーカー規制法による警告・禁止命令を検討してください",
                    "ストーカー規制法第4条・第5条",
                )
            )
        else:
            when = "受けていたため" if during else "受けていた場合に"
            reasons.append(
                Reason(
                    f"相手との関係（{rel_label}）は、関係が続いていた間に暴力・脅迫を{when}"
                    "対象です（別れた後も暴力が続いている必要はありません）",
                    rule,
                )
            )
            if during is None:
                reasons.append(
                    Reason(
                        "関係が続いていた間に暴力・脅迫を受けていたことを確認してください"
                        "（第10条第1項）",
                        f"{LAW}第10条第1項",
                    )
                )
        if i["violence_continued_after_separation"]:
            reasons.append(
                Reason(
                    "別れた後も暴力・脅迫が続いていることは、更なる暴力により重大な危害を"
                    "受けるおそれ（相談員の判断）を裏付けます",
                    f"{LAW}第10条第1項",
                )
            )
    elif rel == "non_cohabiting_partner":
        reasons.append(
            Reason(
                "生活の本拠を共にしたことのない交際相手は保護命令の対象外です",
                f"{LAW}第28条の2",
            )
        )
        if _violence(i):
            reasons.append(
                Reason(
                    "暴行・傷害・脅迫は犯罪です。警察に相談し、つきまといがあれば"
                    "ストーカー規制法による警告・禁止命令も検討してください",
                    "刑法第204条・第208条・第222条、ストーカー規制法第4条・第5条",
                )
            )
        else:
            reasons.append(
                Reason(
                    "つきまとい等があれば、警察に相談し、ストーカー規制法による警告・禁止命令を"
                    "検討してください",
                    "ストーカー規制法第4条・第5条",
                )
            )
            reasons.append(
                Reason(
                    "交際相手からの暴力（デートDV）の被害者も、センターの支援の対象です",
                    "蕨市計画 第1章4(1)",
                )
            )
    else:
        reasons.append(
            Reason(
                f"相手との関係（{rel_label}）は保護命令の対象外です。警察への相談につないでください",
                f"{LAW}第1条",
            )
        )
    return reasons


def _reasons(
    i: Mapping[str, Any], as_of: dt.date, counted: list[Reason] | None = None
) -> list[Reason]:
    """The reasons; ``counted`` (an intake's §9.4 lines) follow the violence line."""
    decision = _decide(i, as_of)
    reasons = _relationship_reasons(i)
    rel_ok = relationship_eligible(i["relationship"], i.get("violence_during_relationship"))

    threats = [LABELS["threat"][t] for t in i["threats"]]
    if _violence(i):
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
    reasons.extend(counted or [])
    if i["serious_harm_to_life_or_mind_likely"]:
        reasons.append(
            Reason(
                "相談員の判断: 更なる暴力により生命又は心身に重大な危害を受けるおそれが大きい",
                f"{LAW}第10条",
            )
        )
    elif i["serious_harm_to_life_or_body_likely"]:
        reasons.append(
            Reason(
                "相談員の判断: 生命又は身体に重大な危害を受けるおそれが大きい。身体への重大な危害は"
                "心身への重大な危害にあたるため、接近禁止命令等の要件（生命又は心身）も満たします",
                f"{LAW}第10条第1項",
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
        reasons.extend(_order_reasons(i, decision))
    elif rel_ok:
        missing = ([] if _violence(i) else ["身体に対する暴力または脅迫"]) + (
            [] if _harm_met(i) else ["重大な危害を受けるおそれ（相談員の判断）"]
        )
        reasons.append(
            Reason(
                f"関係は対象ですが、{'と'.join(missing)}の要件が満たされていないため、"
                "今の記録では申し立てられません。警察への相談につないでください",
                f"{LAW}第10条",
            )
        )
    return reasons


def _order_reasons(i: Mapping[str, Any], decision: Mapping[str, Any]) -> list[Reason]:
    reasons = [
        Reason(
            f"接近禁止命令（1年）と電話等禁止命令（{UNTIL_APPROACH_BAN_LABEL}）を"
            "申し立てることができます",
            f"{LAW}第10条",
        )
    ]
    types = [o["type"] for o in decision["orders"]]
    if "child_approach_ban" in types:
        reasons.append(
            Reason(
                "同居する未成年の子への接近禁止命令・電話等禁止命令も申し立てられます"
                f"（{UNTIL_APPROACH_BAN_LABEL}）",
                f"{LAW}第10条",
            )
        )
        reasons.append(
            Reason(
                "子への命令は、相手方が子を連れ戻すと疑うに足りる言動をしているなど、本人が子に"
                "関して相手方と面会せざるを得なくなるおそれがある場合に出されます。"
                "相談員の判断として確認してください",
                f"{LAW}第10条第3項（要確認）",
            )
        )
        older = decision["orders"][types.index("child_approach_ban")]["consent_needed_ages"]
        if older:
            reasons.append(
                Reason(
                    f"15歳以上の子（{'・'.join(f'{a}歳' for a in older)}）は、"
                    "本人の同意が必要です（二次資料による）",
                    f"{LAW}第10条",
                )
            )
    if "relative_approach_ban" in types:
        reasons.append(
            Reason(
                f"親族等への接近禁止命令も申し立てられます（{UNTIL_APPROACH_BAN_LABEL}）",
                f"{LAW}第10条第4項",
            )
        )
        reasons.append(
            Reason(
                "親族等への命令には、その親族等の書面による同意が必要です（15歳未満の人や"
                "成年被後見人の場合は法定代理人の同意）。相手方と同居している親族等は"
                "対象になりません",
                f"{LAW}第10条第4項・第5項（要確認）",
            )
        )
        reasons.append(
            Reason(
                "親族等への命令は、相手方が親族等の住居に押し掛けて著しく粗野または乱暴な言動を"
                "しているなど、本人がその親族等に関して相手方と面会せざるを得なくなるおそれが"
                "ある場合に出されます。相談員の判断として確認してください",
                f"{LAW}第10条第4項（要確認）",
            )
        )
    if "eviction" in types:
        months = decision["orders"][types.index("eviction")]["max_months"]
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
    return reasons


def _decide(i: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    rel = i["relationship"]
    threats = set(i["threats"])
    rel_ok = relationship_eligible(rel, i.get("violence_during_relationship"))
    eligible = rel_ok and _violence(i) and _harm_met(i)
    orders: list[dict[str, Any]] = []
    prerequisite: str | None = None
    until = UNTIL_APPROACH_BAN
    if eligible:
        orders.append({"type": "approach_ban", "months": APPROACH_BAN_MONTHS})
        orders.append(
            {
                "type": "contact_ban",
                "months": None,
                "until": until,
                "items": contact_ban_items(as_of),
            }
        )
        ages = sorted(a for a in i["cohabiting_minor_children_ages"] if a < ADULT_AGE)
        if ages:
            consent = [a for a in ages if a >= CHILD_CONSENT_AGE]
            for order_type in ("child_approach_ban", "child_contact_ban"):
                orders.append(
                    {
                        "type": order_type,
                        "months": None,
                        "until": until,
                        "consent_needed_ages": list(consent),
                    }
                )
        if i["relatives_at_risk"]:
            orders.append({"type": "relative_approach_ban", "months": None, "until": until})
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
    if eligible or rel is None:
        routes = []
    elif rel == "non_cohabiting_partner":
        routes = ["stalker_regulation_act"]
        if _violence(i):
            routes.append("police_consultation")
    elif rel in ("family_member", "other"):
        routes = ["police_consultation"]
    elif not rel_ok:  # a former partner with no violence during the relationship
        routes = ["stalker_regulation_act", "police_consultation"]
    else:  # the relationship counts; the violence or the harm judgement is missing
        routes = ["police_consultation"]
    return {
        "eligible": eligible,
        "orders": orders,
        "prerequisite": prerequisite,
        "alternative_routes": routes,
    }


# --- from an intake ------------------------------------------------------------------

IN_PERSON_CHANNELS = ("visit", "accompanied")
PHYSICAL_TYPES = ("physical", "sexual")  # forced sex is violence against the body (§9.4)
PHYSICAL_ITEMS = ("R01", "R03")  # 首を絞められた, 刃物・凶器
LIFE_THREAT_ITEMS = ("R02",)  # 「殺す」


def consulted_in_person(intake: Intake) -> bool:
    """This consultation in person, or an earlier one of the case (or the police) recorded."""
    return (
        intake.consultation.channel in IN_PERSON_CHANNELS
        or intake.protection_order.earlier_in_person is True
    )


@dataclass(frozen=True)
class IntakeEvaluation:
    """The protection-order advice for an intake (``evaluate_intake``).

    ``result`` is the §2.5 output (with ``law_as_of``); ``reasons`` the same lines as
    ``Reason`` objects, including what only an intake can say (§9.4, §8.8). ``state`` is
    "pending" (判断待ち: show that, never 「対象外」) while an answer or the counselor's
    judgement that could make it eligible is missing; ``pending`` names them.
    """

    result: dict[str, Any]
    reasons: list[Reason]
    state: State
    pending: list[str] = field(default_factory=list)
    law: LawAsOf | None = None


def _counted_violence(intake: Intake) -> tuple[list[str], list[str]]:
    """What counts as physical violence, and as a threat to life (§9.4), by answer."""
    version = intake.risk.checklist_version
    checklist = load_checklist(
        version if version in CHECKLIST_VERSIONS else CURRENT_CHECKLIST_VERSION
    )

    def item(item_id: str) -> str:
        return f"{item_id}「{checklist.item(item_id).text}」"

    answers = intake.risk.answers
    physical = [
        LABELS["violence"][t] + ("（性行為の強要は身体に対する暴力です）" if t == "sexual" else "")
        for t in PHYSICAL_TYPES
        if t in intake.violence.types
    ] + [item(i) for i in PHYSICAL_ITEMS if answers.get(i) is True]
    life = [item(i) for i in LIFE_THREAT_ITEMS if answers.get(i) is True]
    return physical, life


def _intake_inputs(intake: Intake) -> dict[str, Any]:
    rel = intake.relationship
    po = intake.protection_order
    physical, life = _counted_violence(intake)
    threats = list(dict.fromkeys(intake.violence.threats))
    if life and "life" not in threats:
        threats.insert(0, "life")
    ages = [
        child.age
        for child in intake.household.children
        if child.lives_with_client is True and child.age is not None and child.age < ADULT_AGE
    ]
    return {
        "relationship": rel.type,
        "cohabiting_at_application": rel.living_together is True,
        "violence_continued_after_separation": rel.violence_continued_after_separation is True,
        "physical_violence": bool(physical),
        "threats": threats,
        "serious_harm_to_life_or_mind_likely": po.serious_harm_to_life_or_mind_likely is True,
        "serious_harm_to_life_or_body_likely": po.serious_harm_to_life_or_body_likely is True,
        "consulted_in_person": consulted_in_person(intake),
        "cohabiting_minor_children_ages": ages,
        "relatives_at_risk": intake.household.relatives_at_risk is True,
        "client_sole_owner_or_tenant": po.client_sole_owner_or_tenant is True,
        "violence_during_relationship": rel.violence_during_relationship,
    }


def inputs_from_intake(intake: Intake) -> dict[str, Any]:
    """The §2.5 inputs from an intake; an unanswered question counts as "no", an unanswered
    relationship as "other" (``evaluate_intake`` says 「相手との関係を確認してください」
    instead). 身体的暴力, 性的暴力, R01 and R03 count as physical violence, R02 as a threat
    to life (rules.md §9.4)."""
    inputs = _intake_inputs(intake)
    inputs["relationship"] = inputs["relationship"] or "other"
    return inputs


def _children_to_confirm(intake: Intake) -> list[Reason]:
    """§8.8: a child whose age or cohabitation is unknown is named, never dropped."""
    reasons: list[Reason] = []
    for index, child in enumerate(intake.household.children):
        if child.lives_with_client is False or (child.age is not None and child.age >= ADULT_AGE):
            continue
        unknown = [
            what
            for what, missing in (
                ("年齢", child.age is None),
                ("同居しているか", child.lives_with_client is None),
            )
            if missing
        ]
        if unknown:
            name = f"（{child.name.strip()}）" if child.name.strip() else ""
            reasons.append(
                Reason(
                    f"子ども{index + 1}人目{name}の{'と'.join(unknown)}がわかりません。"
                    "子への命令を検討するため確認してください",
                    f"{LAW}第10条",
                )
            )
    return reasons


def _pending(intake: Intake, i: Mapping[str, Any]) -> list[str]:
    """What must still be answered before 「対象外」 may be said (§8.8; 判断待ち)."""
    if i["relationship"] is None:
        return [PENDING_RELATIONSHIP]
    if not relationship_eligible(i["relationship"], i["violence_during_relationship"]):
        return []
    po = intake.protection_order
    pending = []
    if not _violence(i) and "physical" not in intake.violence.absent:
        pending.append(PENDING_VIOLENCE)
    if (
        po.serious_harm_to_life_or_mind_likely is None
        and po.serious_harm_to_life_or_body_likely is None
    ):
        pending.append(PENDING_JUDGEMENT)
    return pending


def evaluate_intake(intake: Intake, as_of: dt.date) -> IntakeEvaluation:
    """The protection-order advice for ``intake`` on ``as_of`` (rules.md §2, §8, §9)."""
    i = _intake_inputs(intake)
    physical, life = _counted_violence(intake)
    counted: list[Reason] = []
    if physical:
        counted.append(
            Reason(f"身体に対する暴力として数えた回答: {'、'.join(physical)}", f"{LAW}第10条第1項")
        )
    if life:
        counted.append(
            Reason(f"生命に対する脅迫として数えた回答: {'、'.join(life)}", f"{LAW}第10条第1項")
        )
    reasons = _reasons(i, as_of, counted)
    reasons.extend(_children_to_confirm(intake))
    result = _result(i, reasons, as_of)

    pending = [] if result["eligible"] else _pending(intake, i)
    state: State = "eligible" if result["eligible"] else "pending" if pending else "not_eligible"
    return IntakeEvaluation(result, reasons, state, pending, law_as_of(as_of))
