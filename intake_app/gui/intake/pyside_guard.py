"""Workaround: PySide6/shiboken6 6.12.0 on Python 3.11 under-counts ``None``.

Every call of a C++ method returning ``void`` (``QLabel.setText``, ``QWidget.show`` …)
returns ``None`` without taking a reference, so ``None``'s reference count drops by
one per call until the interpreter aborts with "deallocating None" — after a few
thousand calls, i.e. minutes of typing in the wizard. Python 3.12 made ``None``
immortal (PEP 683) and 6.11.3 does not have the defect; on the affected pair we
give ``None`` a reference count it can never use up, which is what 3.12 does.
"""

from __future__ import annotations

import ctypes
import sys

_BALLAST = 1 << 48


def affected() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    try:
        import shiboken6
    except ImportError:
        return False
    return str(getattr(shiboken6, "__version__", "")).startswith("6.12.0")


def protect_none() -> bool:
    """Apply the workaround once when this PySide6/Python pair needs it."""
    if not affected():
        return False
    refcnt = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if refcnt.value < _BALLAST:
        refcnt.value += _BALLAST
    return True
