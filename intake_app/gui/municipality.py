"""The one place GUI code gets the session's settings (the loaded ``Municipality``).

``session.municipality`` is the ``Municipality`` kept in the vault (imported at setup
and changed only in 管理者メニュー →「設定」; ``session.municipality_id`` is its id).
The main window reads it once per unlock, and again when a supervisor changes the
settings, with ``load_session_municipality``, and hands ``MainWindow.municipality`` to
the case view, the papers and the intake wizard.
"""

from __future__ import annotations

import logging

from intake_app.domain.municipality import Municipality, resolve_municipality
from intake_app.store.stats import HasMunicipality

log = logging.getLogger(__name__)


def load_session_municipality(session: HasMunicipality) -> Municipality | None:
    """The settings of the session's vault as a ``Municipality``.

    Test stand-ins may hold an id (resolved from the bundled file) or None. When the
    settings cannot be read, None: the screens still work, papers are refused with a
    message and referral names show as ids. The error is logged by type only."""
    try:
        return resolve_municipality(session.municipality)
    except Exception as exc:
        log.error("municipality not loaded: %s", type(exc).__name__)
        return None
