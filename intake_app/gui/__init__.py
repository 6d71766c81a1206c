"""PySide6 views, dialogs and item models."""

import ctypes as _ctypes

from intake_app.gui.intake.pyside_guard import affected as _affected
from intake_app.gui.intake.pyside_guard import protect_none as _protect_none

_protect_none()  # PySide6 6.12.0 on Python 3.11 under-counts None: see pyside_guard


def _protect_bools() -> bool:
    """The same defect drops a reference to True (or False) each time C++ calls some
    Python overrides returning bool (QWizardPage.isComplete, for one); give both the
    unusable reference count Python 3.12 gives them (PEP 683)."""
    if not _affected():
        return False
    for value in (True, False):
        refcnt = _ctypes.c_ssize_t.from_address(id(value))
        if refcnt.value < 1 << 48:
            refcnt.value += 1 << 48
    return True


_protect_bools()
