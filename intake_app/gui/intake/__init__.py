"""The intake wizard and the small case-lifecycle dialogs the case view calls."""

from intake_app.gui.intake.pyside_guard import protect_none

protect_none()  # before any widget is built: see pyside_guard

# ruff: noqa: E402

from intake_app.gui.intake.case_dialogs import (
    CloseCaseDialog,
    FollowUpDialog,
    ReopenCaseDialog,
    close_case,
    reopen_case,
    schedule_follow_up,
)
from intake_app.gui.intake.wizard import IntakeWizard

__all__ = [
    "CloseCaseDialog",
    "FollowUpDialog",
    "IntakeWizard",
    "ReopenCaseDialog",
    "close_case",
    "reopen_case",
    "schedule_follow_up",
]
