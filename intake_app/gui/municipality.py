"""The one place GUI code turns the session's municipality id into the loaded file.

``session.municipality`` is the municipality id (a string such as ``"warabi"``, kept
in the vault). Screens use the loaded ``Municipality`` (centre, destinations, court):
the main window loads it once per unlock with ``load_session_municipality`` and hands
``MainWindow.municipality`` to the case view, the papers and the intake wizard.
"""

from __future__ import annotations

import logging

from intake_app.domain.municipality import Municipality, resolve_municipality
from intake_app.store.stats import HasMunicipality

log = logging.getLogger(__name__)


def load_session_municipality(session: HasMunicipality) -> Municipality | str | None:
    """The loaded ``Municipality`` of the session's vault.

    Returns the value unchanged when it is already loaded (test stand-ins) or None,
    and the raw id when the file cannot be loaded (the screens still work; papers are
    refused with a message and referral names show as ids). The error is logged by
    type only."""
    value = session.municipality
    try:
        return resolve_municipality(value)
    except Exception as exc:
        log.error("municipality not loaded: %s", type(exc).__name__)
        return value
