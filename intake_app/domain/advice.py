"""Everything the rules say about one intake, for the wizard, the case view and the store.

For a male client nothing here names 一時保護 or the prefectural women's centre (rules.md
§8.12, §9.9): the urgent findings and the suggested destinations use the city's emergency
stay (緊急一時避難) and the police.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.japanese import age_on
from intake_app.domain.model import LABELS, Intake
from intake_app.domain.municipality import (
    Municipality,
    destination_label,
    resolve_municipality,
)
from intake_app.domain.reasons import LawAsOf, Reason, RuleInputError, law_as_of
from intake_app.domain.rules import child, protection_order, risk, shelter, support_measure
from intake_app.domain.rules.protection_order import IntakeEvaluation

SAFETY_RULE = "安全確認（相談時の安全確保を最優先・蕨市計画 基本目標3）"
NEEDS_RULE = "困りごとに応じた連絡先（市区町村設定）"
URGENT_FOR_WOMEN = "危険度は「緊急」です。警察・県の女性相談支援センターへ今すぐ連絡してください"
URGENT_FOR_MEN = "危険度は「緊急」です。警察へ今すぐ連絡し、市の緊急一時避難につないでください"
CHILD_NOTIFICATION_DUE = "子どもに関する通告が必要です（児童虐待防止法第6条、本人の同意は不要）"


@dataclass
class SuggestedDestination:
    id: str
    name: str
    kind: str
    contact: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class IntakeAdvice:
    urgent_findings: list[str]
    risk: risk.RiskResult  # risk.unassessed: show 「未評価」 (risk.label()), not a level
    shelter: shelter.ShelterAdvice  # shelter.label: the recommendation as this client reads it
    protection_order: dict[str, Any]  # the rules.md §2.5 output (with law_as_of)
    child_notification: child.ChildNotificationAdvice
    support_measure: support_measure.SupportMeasureStatus | None
    suggested_destinations: list[SuggestedDestination]
    # "eligible" | "not_eligible" | "pending" (判断待ち: never show 「対象外」 then)
    protection_order_state: str
    protection_order_pending: list[str]  # what the decision waits for, in Japanese
    protection_order_reasons: list[Reason]  # the §2.5 reasons with their articles
    law_as_of: LawAsOf
    input_problems: list[str] = field(default_factory=list)  # why the judgement was left out


@dataclass(frozen=True)
class Decisions:
    """The rule outcomes a saved consultation keeps (rules.md §2.5, §3, §4, §6)."""

    risk: risk.RiskResult
    shelter: shelter.ShelterAdvice
    protection_order: dict[str, Any]
    child_notification: child.ChildNotificationAdvice
    protection_order_advice: IntakeEvaluation  # the same, with its state (判断待ち) and reasons


def decide(
    intake: Intake,
    municipality: Municipality | None,
    today: dt.date,
    checklist: risk.Checklist | None = None,
) -> Decisions:
    """The outcomes to store; a raised level without its reason raises ``RuleInputError``."""
    checklist = checklist or risk.load_checklist(intake.risk.checklist_version)
    result = risk.assess(
        intake.risk.answers,
        intake.risk.judgement,
        intake.risk.judgement_reason,
        checklist=checklist,
    )
    return _decide_from(intake, municipality, today, result)


def _decide_from(
    intake: Intake, city: Municipality | None, today: dt.date, risk_result: risk.RiskResult
) -> Decisions:
    children = [
        i for i in intake.shelter.accompanying_children if 0 <= i < len(intake.household.children)
    ]
    po = protection_order.evaluate_intake(intake, today)
    return Decisions(
        risk=risk_result,
        shelter=shelter.recommend(
            risk_result.final,
            intake.shelter.safe_place_tonight,
            intake.client.gender,
            client_age(intake, today),
            intake.client.disability,
            children,
            intake.shelter.client_wish,
            age_group=intake.client.age_group,
        ),
        protection_order=po.result,
        child_notification=child.notification(intake, city),
        protection_order_advice=po,
    )


def client_age(intake: Intake, today: dt.date) -> int | None:
    dob = intake.client.date_of_birth
    if dob is None or dob > today:
        return None
    return age_on(dob, today)


def urgent_findings(
    intake: Intake,
    level: str,
    child_required: bool,
    recorded: bool,
    with_perpetrator: list[int] | None = None,
) -> list[str]:
    """What must be acted on before anything else, in Japanese (the safety step first)."""
    safety = intake.safety
    found: list[str] = []
    if safety.safe_now is False:
        found.append(
            "本人は今、安全ではありません。110番通報や安全な場所への移動を優先してください"
        )
    if safety.perpetrator_nearby is True:
        found.append("加害者が近くにいます。居場所や相談内容が知られないよう注意してください")
    if safety.injury_needs_care is True:
        found.append("手当てが必要なけががあります。救急・医療機関につないでください")
    if safety.children_safe_now is False:
        found.append("子どもが今、安全ではありません。警察・児童相談所への連絡を検討してください")
    if level == "urgent":
        found.append(URGENT_FOR_MEN if intake.client.gender == "male" else URGENT_FOR_WOMEN)
    if child_required and not recorded:
        if with_perpetrator:
            numbers = "・".join(f"{i + 1}人目" for i in with_perpetrator)
            found.append(f"{child.WITH_PERPETRATOR}（{numbers}）がいます。{CHILD_NOTIFICATION_DUE}")
        else:
            found.append(CHILD_NOTIFICATION_DUE)
    return found


def suggest(
    intake: Intake,
    municipality: Municipality | None,
    final_level: str,
    child_required: bool,
) -> list[SuggestedDestination]:
    """Destinations for the recorded needs, the child notification and a high risk. A male
    client is never sent to the prefectural women's centre (rules.md §9.9), nor to a
    destination the centre marked as serving women only (``women_only``)."""
    if municipality is None:
        return []
    male = intake.client.gender == "male"
    result: dict[str, SuggestedDestination] = {}

    def add(kinds: tuple[str, ...], serves: str | None, reason: Reason) -> None:
        for dest in municipality.active_destinations:
            if male and (dest.kind == "prefectural_centre" or dest.women_only):
                continue
            if dest.kind in kinds or (serves is not None and serves in dest.serves):
                entry = result.setdefault(
                    dest.id,
                    SuggestedDestination(dest.id, destination_label(dest), dest.kind, dest.contact),
                )
                entry.reasons.append(reason)

    if final_level in ("high", "urgent"):
        label = LABELS["level"][final_level]
        add(
            ("police", "emergency_stay") if male else ("police", "prefectural_centre"),
            None,
            Reason(
                f"危険度が「{label}」のため、安全の確保につなぎます",
                shelter.MALE_RULE if male else shelter.RULE,
            ),
        )
    if child_required:
        add(
            child.CHILD_NOTIFICATION_KINDS,
            None,
            Reason("子どもに関する通告先です", child.LAW_NOTIFY),
        )
    if intake.client.fled is True and not intake.address.support_measure_applied:
        add(
            ("resident_registry",),
            None,
            Reason(
                "避難先を知られないよう、住民基本台帳事務における支援措置の申出を案内できます",
                support_measure.RULE,
            ),
        )
    for need in intake.needs.categories:
        add((), need, Reason(f"困りごと「{LABELS['need'][need]}」の相談先です", NEEDS_RULE))
    return list(result.values())


def advise(intake: Intake, municipality: Municipality | str | None, today: dt.date) -> IntakeAdvice:
    """All the advice for ``intake`` on ``today``; each part carries its reasons."""
    city = resolve_municipality(municipality)
    checklist = risk.load_checklist(intake.risk.checklist_version)
    problems: list[str] = []
    try:
        risk_result = risk.assess(
            intake.risk.answers,
            intake.risk.judgement,
            intake.risk.judgement_reason,
            checklist=checklist,
        )
    except RuleInputError as exc:
        # An intake in progress (e.g. a raised level whose reason is not written yet):
        # advise on the checklist answers alone and say what is missing.
        problems.append(exc.message)
        known = {item.id for item in checklist.items}
        answers = {k: v for k, v in intake.risk.answers.items() if k in known}
        risk_result = risk.assess(answers, checklist=checklist)
    decisions = _decide_from(intake, city, today, risk_result)
    child_advice = decisions.child_notification
    po = decisions.protection_order_advice
    measure = support_measure.measure_status(
        intake.address, today, city.support_measure_starts_on if city else "notified"
    )
    return IntakeAdvice(
        urgent_findings=urgent_findings(
            intake,
            risk_result.final,
            child_advice.required,
            child_advice.recorded,
            child_advice.with_perpetrator,
        ),
        risk=risk_result,
        shelter=decisions.shelter,
        protection_order=decisions.protection_order,
        child_notification=child_advice,
        support_measure=measure,
        suggested_destinations=suggest(intake, city, risk_result.final, child_advice.required),
        protection_order_state=po.state,
        protection_order_pending=po.pending,
        protection_order_reasons=po.reasons,
        law_as_of=law_as_of(today),
        input_problems=problems,
    )
