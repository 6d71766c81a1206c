"""A real vault (fast KDF) with a supervisor, a counselor and a few consultations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from tests.gui.helpers import flush, intake

ADMIN, ADMIN_PASS = "sato", "blue kettle under the stairs"
COUNSELOR, COUNSELOR_PASS = "suzuki", "green lantern by the river"
TODAY = dt.date(2026, 11, 25)


def fast_kdf() -> Any:
    from intake_app.store import kdf

    return kdf.KdfParams(memory_kib=1024, iterations=1)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    folder = tmp_path / "data"
    Vault.create(folder, ADMIN, ADMIN_PASS, kdf=fast_kdf())
    with Vault.open(folder, ADMIN, ADMIN_PASS) as s:
        s.users.add(COUNSELOR, "counselor", COUNSELOR_PASS, kdf=fast_kdf())
        for i, day in enumerate(
            [dt.date(2025, 4, 10), dt.date(2025, 4, 11), dt.date(2025, 5, 2)]
            + [dt.date(2025, 6, 3)] * 5
        ):
            s.records.save_intake(intake(f"山田 花子{i}", "やまだ はなこ", day=day))
    return folder


@pytest.fixture
def admin(data_dir: Path, configured_app: Any) -> Iterator[Any]:
    from intake_app.store.vault import Vault

    session = Vault.open(data_dir, ADMIN, ADMIN_PASS)
    yield session
    for widget in QApplication.topLevelWidgets():
        widget.close()
    flush()
    session.close()


def answer_reauth(passphrases: list[str], seen: list[str]) -> None:
    """Type each passphrase into the modal re-authentication dialog and press 開く;
    with none left, cancel it. Stops once the dialog is gone (no timer outlives it)."""
    tries = [0]

    def step() -> None:
        from intake_app.gui.supervisor import ReauthDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReauthDialog):
            tries[0] += 1
            if tries[0] < 250:
                QTimer.singleShot(20, step)
            return
        if not passphrases:
            dialog.reject()
            return
        field = dialog.findChild(QLineEdit, "reauthPassphrase")
        field.setText(passphrases.pop(0))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        if not shiboken6.isValid(dialog):  # a lock destroyed it while it checked
            return
        seen.append(dialog.message.text())
        if dialog.isVisible():
            QTimer.singleShot(0, step)

    QTimer.singleShot(0, step)


def audit_actions(session: Any) -> list[tuple[str, str | None]]:
    with session.read("test.inspect") as conn:
        return [
            tuple(r) for r in conn.execute("SELECT action, object_id FROM audit_log ORDER BY seq")
        ]


def replace(monkeypatch: pytest.MonkeyPatch, name: str, func: Callable[..., Any]) -> None:
    from intake_app.gui.supervisor import common

    monkeypatch.setattr(common, name, func)
