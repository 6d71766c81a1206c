"""The intake wizard and the small case-lifecycle dialogs the case view calls."""

from intake_app.gui.intake.wizard import IntakeWizard

__all__ = ["IntakeWizard"]
