"""The one place GUI code turns the session's municipality id into the loaded file.

``session.municipality`` is the municipality id (a string such as ``"warabi"``, kept
in the vault). Screens use the loaded ``Municipality`` (centre, destinations, court):
the main window loads it once per unlock with ``load_session_municipality`` and hands
``MainWindow.municipality`` to the case view, the papers and the intake wizard.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def load_session_municipality(session: Any) -> Any:
    """The loaded ``Municipality`` of the session's vault.

    Returns the value unchanged when it is already loaded (test stand-ins) or None,
    and the raw id when the file cannot be loaded (the screens still work; papers are
    refused with a message and referral names show as ids). The error is logged by
    type only."""
    from intake_app.domain.municipality import resolve_municipality

    value = getattr(session, "municipality", None)
    try:
        return resolve_municipality(value)
    except Exception as exc:
        log.error("municipality not loaded: %s", type(exc).__name__)
        return value
