"""The intake wizard and the small case-lifecycle dialogs the case view calls.

Light on import (``intake_app.gui`` imports ``pyside_guard`` from here at start-up);
the widgets load on first use.
"""

from __future__ import annotations

from typing import Any

from intake_app.gui.intake.pyside_guard import protect_none

protect_none()  # before any widget is built: see pyside_guard

__all__ = [
    "CloseCaseDialog",
    "FollowUpDialog",
    "IntakeWizard",
    "ReopenCaseDialog",
    "close_case",
    "reopen_case",
    "schedule_follow_up",
]


def __getattr__(name: str) -> Any:
    if name == "IntakeWizard":
        from intake_app.gui.intake.wizard import IntakeWizard

        return IntakeWizard
    if name in __all__:
        from intake_app.gui.intake import case_dialogs

        return getattr(case_dialogs, name)
    raise AttributeError(name)
