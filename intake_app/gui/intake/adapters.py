"""What the wizard needs around the domain and the store: presentation only.

Every decision (risk level, 一時保護 recommendation, protection-order eligibility, the
child notification, the 支援措置 expiry, suggested destinations) comes from
``intake_app.domain``; this module adds today's date, the display names of the codes
the domain returns, and the draft format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from intake_app.domain.advice import IntakeAdvice, advise
from intake_app.domain.model import Intake
from intake_app.domain.municipality import Destination, Municipality
from intake_app.domain.rules import protection_order


def advice(intake: Intake, municipality: Municipality | None) -> IntakeAdvice:
    """Everything the rules say about ``intake`` today."""
    return advise(intake, municipality, dt.date.today())


def consulted_in_person(intake: Intake) -> bool:
    """Whether this consultation itself counts as the prior consultation (第12条)."""
    return intake.consultation.channel in protection_order.IN_PERSON_CHANNELS


def destinations(municipality: Municipality | None) -> list[Destination]:
    """The municipality's destinations (none when its file could not be loaded)."""
    return list(municipality.destinations) if municipality is not None else []


def first_destination_id(municipality: Municipality | None, kind: str) -> str | None:
    """The id of the municipality's first destination of ``kind`` (for the print audit)."""
    found = municipality.of_kind(kind) if municipality is not None else []
    return found[0].id if found else None


def police_contact(municipality: Municipality | None) -> str:
    police = municipality.of_kind("police") if municipality is not None else []
    if police:
        return f"{police[0].name} {police[0].contact}".strip()
    return "最寄りの警察署"


# --- the store -----------------------------------------------------------------------


@dataclass
class DraftView:
    intake: Intake
    step: int
    case_id: int | None
    follow_up: bool


def load_draft(session: Any, draft_id: int) -> DraftView:
    """The draft ``draft_id`` (``LookupError`` when it is gone).

    The step and the case come from the draft's own columns. Drafts written before
    they were kept there only once also carry them in ``"_wizard"`` inside the JSON,
    which is read when a column is empty.
    """
    draft = session.records.load_draft(draft_id)
    data = dict(draft.data)
    meta = data.pop("_wizard", {}) or {}
    case_id = draft.case_id if draft.case_id is not None else meta.get("case_id")
    return DraftView(
        Intake.from_dict(data),
        int(draft.step or meta.get("step", 0) or 0),
        case_id,
        bool(meta.get("follow_up", False)),
    )


def draft_payload(intake: Intake, *, follow_up: bool) -> dict[str, Any]:
    """The draft's JSON: the intake and ``"_wizard": {"follow_up": ...}``, the one
    wizard state without a column (the step and the case go to ``save_draft``'s
    ``step=`` and ``case_id=``)."""
    data = intake.to_dict()
    data["_wizard"] = {"follow_up": follow_up}
    return data


@dataclass
class HistoryEntry:
    """One stored risk assessment as it was made: never recomputed (rules.md §9.7)."""

    when: str
    computed: str
    final: str
    reason: str = ""
    checklist_version: str = "risk-v1"  # the version the assessment was made with


def open_case(session: Any, case_id: int | None) -> Any:
    """The case's ``CaseView`` (one audited read), ``None`` for a new intake."""
    if case_id is None:
        return None
    return session.records.open_case(case_id)


def risk_history_of(case: Any) -> list[HistoryEntry]:
    """Earlier risk assessments of ``case`` (a ``CaseView`` or ``None``), oldest first."""
    if case is None:
        return []
    return [
        HistoryEntry(
            r.assessed_on.isoformat(),
            r.computed,
            r.final,
            r.judgement_reason or "",
            r.checklist_version,
        )
        for r in case.risk_history
    ]
