"""The eleven steps of an intake, one module each, in the order the wizard shows them.

Each step is a ``base.Step``: it loads and applies its part of the ``Intake``, maps
model paths to its widgets (``fields``) so the domain's validation messages show under
them, and asks its host (``base.StepHost``, the wizard) for what it does not hold.
"""

from __future__ import annotations

from intake_app.gui.intake import wording
from intake_app.gui.intake.steps.base import Step, step_title
from intake_app.gui.intake.steps.client import ClientStep
from intake_app.gui.intake.steps.consultation import ConsultationStep
from intake_app.gui.intake.steps.household import HouseholdStep
from intake_app.gui.intake.steps.needs import NeedsStep
from intake_app.gui.intake.steps.protection import ProtectionStep
from intake_app.gui.intake.steps.protection_order import ProtectionOrderStep
from intake_app.gui.intake.steps.risk import RiskStep
from intake_app.gui.intake.steps.safety import SafetyStep
from intake_app.gui.intake.steps.shelter import ShelterStep
from intake_app.gui.intake.steps.summary import SummaryStep
from intake_app.gui.intake.steps.violence import ViolenceStep

STEP_CLASSES: tuple[type[Step], ...] = (
    SafetyStep,
    ConsultationStep,
    ClientStep,
    HouseholdStep,
    ViolenceStep,
    RiskStep,
    ShelterStep,
    ProtectionOrderStep,
    NeedsStep,
    ProtectionStep,
    SummaryStep,
)


def step_titles(gender: str | None) -> list[str]:
    """Every step's title as a client's case shows it (step 6 follows her gender:
    a man's case never reads 一時保護), for screens without the steps themselves."""
    return [
        wording.shelter_step_title(gender)
        if cls.title == wording.SHELTER_STEP
        else step_title(cls.title)
        for cls in STEP_CLASSES
    ]
