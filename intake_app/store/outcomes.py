"""The decision outcomes stored with a consultation, from the domain rules.

``evaluate`` is the one place where the records ask the domain for advice (risk
level, 一時保護 recommendation, 保護命令 eligibility and state, child notification, the
支援措置's start and expiry by the municipality's setting), so the
stored columns always come from the same rules the wizard showed. It calls
``domain.advice.decide`` (``advise`` without the destination suggestions, which
are not stored). The checklist is loaded once (cached in the domain) and the
settings come from the session (read once per session from the vault), as demo data
and benchmarks save many intakes in a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.advice import decide
from intake_app.domain.model import Intake
from intake_app.domain.municipality import (
    Municipality,
    SupportMeasurePlace,
    resolve_municipality,
)
from intake_app.domain.rules import support_measure


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
    # "eligible" | "not_eligible" | "pending" (判断待ち, rules.md §8.8)
    po_state: str | None = None
    # 支援措置 (rules.md §9.11): the day the year counts from, by the municipality's
    # setting, and the last day in force; None without an application date.
    measure_start: dt.date | None = None
    measure_expiry: dt.date | None = None
    # The places the 支援措置 must reach (the settings' support_measure_places), copied
    # into the case when the measure is first saved (issue 18).
    measure_places: tuple[SupportMeasurePlace, ...] = ()


def evaluate(intake: Intake, municipality: str | Municipality | None, today: dt.date) -> Outcomes:
    """The outcomes of ``intake`` on ``today`` (rules.md §2.5, §3, §4, §6).

    A risk judgement above the computed level without a reason raises
    ``RuleInputError`` (nothing is saved).
    """
    city = loaded_municipality(municipality)
    decided = decide(intake, city, today)
    result, advice, po = decided.risk, decided.shelter, decided.protection_order
    notification = decided.child_notification
    measure = support_measure.measure_status(
        intake.address, today, city.support_measure_starts_on if city else "notified"
    )
    return Outcomes(
        risk_computed=result.computed,
        risk_final=result.final,
        yes_count=result.yes_count,
        red_flags=list(result.red_flags),
        shelter_recommendation=advice.recommendation,
        shelter_reasons=[r.text for r in advice.reasons],
        shelter_routes=list(advice.routes),
        po_eligible=bool(po["eligible"]),
        po_orders=list(po["orders"]),
        po_prerequisite=po["prerequisite"],
        po_alternative_routes=list(po["alternative_routes"]),
        child_notification_required=notification.required,
        po_state=decided.protection_order_advice.state,
        measure_start=measure.start if measure is not None else None,
        measure_expiry=measure.expiry if measure is not None else None,
        measure_places=city.support_measure_places if measure and city else (),
    )


def loaded_municipality(value: str | Municipality | None) -> Municipality | None:
    """The session's municipality, or None (no destinations) when it cannot be loaded."""
    if not value:
        return None
    try:
        return resolve_municipality(value)
    except (OSError, ValueError):
        return None
