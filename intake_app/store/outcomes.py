"""The decision outcomes stored with a consultation, from the domain rules.

``evaluate`` is the one place where the records ask the domain for advice (risk
level, 一時保護 recommendation, 保護命令 eligibility, child notification), so the
stored columns always come from the same rules the wizard showed.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.model import Intake, Level
from intake_app.domain.rules import risk as risk_rules

_ELIGIBLE = ("legal_spouse", "common_law_spouse", "cohabiting_partner")
_FORMER = ("former_legal_spouse", "former_common_law_spouse", "former_cohabiting_partner")


@dataclass(frozen=True)
class Outcomes:
    risk_computed: str
    risk_final: str
    yes_count: int
    red_flags: list[str]
    shelter_recommendation: str
    shelter_reasons: list[str] = field(default_factory=list)
    shelter_routes: list[str] = field(default_factory=list)
    po_eligible: bool | None = None
    po_orders: list[dict[str, Any]] = field(default_factory=list)
    po_prerequisite: str | None = None
    po_alternative_routes: list[str] = field(default_factory=list)
    child_notification_required: bool = False


def evaluate(intake: Intake, municipality: Any, today: dt.date) -> Outcomes:
    """The outcomes of ``intake`` (rules.md §2.5, §3, §4, §6).

    The risk level comes from ``domain.rules.risk.assess`` (a judgement above the
    computed level without a reason raises ``RuleInputError``).
    """
    risk = risk_rules.assess(
        intake.risk.answers,
        intake.risk.judgement,
        intake.risk.judgement_reason,
        checklist=_checklist(intake.risk.checklist_version),
    )
    return _evaluate_builtin(intake, risk.computed, risk.final, risk.yes_count, risk.red_flags)


@functools.lru_cache(maxsize=4)
def _checklist(version: str) -> risk_rules.Checklist:
    return risk_rules.load_checklist(version)


def _evaluate_builtin(
    intake: Intake, computed: Level, final: Level, yes_count: int, flags: list[str]
) -> Outcomes:
    """rules.md §2.5, §4 and §6 in their simplest form, until ``domain.advice`` exists."""
    safe = intake.shelter.safe_place_tonight
    if final == "urgent" or (final == "high" and safe is False):
        shelter = "immediate"
    elif final == "high" or safe is False:
        shelter = "recommend"
    elif final == "medium":
        shelter = "discuss"
    else:
        shelter = "not_needed"
    rel = intake.relationship
    violence = intake.violence
    eligible_rel = rel.type in _ELIGIBLE or (
        rel.type in _FORMER and bool(rel.violence_continued_after_separation)
    )
    harm = bool(intake.protection_order.serious_harm_to_life_or_mind_likely)
    po = bool(eligible_rel and ("physical" in violence.types or violence.threats) and harm)
    in_person = intake.consultation.channel in ("visit", "accompanied")
    children = intake.household.children
    child = any(
        c.lives_with_client is not False and (c.witnessed_violence or c.directly_harmed)
        for c in children
    )
    return Outcomes(
        risk_computed=computed,
        risk_final=final,
        yes_count=yes_count,
        red_flags=flags,
        shelter_recommendation=shelter,
        shelter_routes=["male_emergency_stay" if intake.client.gender == "male" else "prefecture"],
        po_eligible=po,
        po_orders=[{"type": "approach_ban"}, {"type": "contact_ban"}] if po else [],
        po_prerequisite=(
            ("consultation_on_record" if in_person else "notarized_statement") if po else None
        ),
        child_notification_required=child,
    )
