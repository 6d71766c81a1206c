"""PySide6 views, dialogs and item models."""

from intake_app.gui.intake.pyside_guard import protect_none as _protect_none

_protect_none()  # PySide6 6.12.0 on Python 3.11 under-counts None: see pyside_guard
