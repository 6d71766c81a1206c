"""The supervisor area: opened only after the supervisor's passphrase is entered again.

``open_supervisor_area(parent, session)`` is what the shell calls (docs/internal-api.md).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QDialog, QWidget

from intake_app.gui.supervisor import common
from intake_app.gui.supervisor.area import RestoreArea, SupervisorArea
from intake_app.gui.supervisor.reauth import ReauthDialog
from intake_app.store.users import SUPERVISOR

if TYPE_CHECKING:
    from intake_app.store.kdf import KdfParams
    from intake_app.store.session import Session

__all__ = ["ReauthDialog", "RestoreArea", "SupervisorArea", "open_supervisor_area"]


def _locking() -> bool:
    try:
        from intake_app.gui.lock import is_locking
    except ImportError:  # pragma: no cover - the shell always ships lock.py
        return False
    return is_locking()


def open_supervisor_area(
    parent: QWidget | None,
    session: Session,
    *,
    today: dt.date | None = None,
    kdf: KdfParams | None = None,
) -> QDialog | None:
    """Refuse a counselor; ask the passphrase again; show and return the area (or None)."""
    if session.user.role != SUPERVISOR:
        from intake_app.store.errors import VaultError

        try:
            session.audit("supervisor_area_denied")
        except VaultError:
            pass
        common.warn(
            parent,  # type: ignore[arg-type]
            common.tr("管理者機能"),
            common.tr("管理者機能は管理者（スーパーバイザー）だけが使えます。"),
        )
        return None
    dialog = ReauthDialog(session, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        if shiboken6.isValid(dialog):  # a lock may have destroyed it already
            dialog.deleteLater()
    if not accepted or _locking() or not getattr(session, "is_open", True):
        return None
    if getattr(session, "writes_stopped", False):
        restore_area = RestoreArea(session, parent, today=today)
        restore_area.show()
        return restore_area
    area = SupervisorArea(session, parent, today=today, kdf=kdf)
    area.show()
    return area
