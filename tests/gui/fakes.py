"""Stand-ins for the shell tests: a session over plain sqlite3 with the real Records,
a vault that checks one passphrase and throttles, and a minimal intake wizard."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from intake_app.domain.errors import UserError
from intake_app.domain.model import Intake
from intake_app.store.records import Records
from intake_app.store.tracking import Tracking
from tests.schema import apply_schema

PASSPHRASE = "あおぞらの下で歩く十二文字"
USER = "suzuki"


@dataclass
class FakeUser:
    id: int = 1
    name: str = USER
    role: str = "supervisor"


class GuiSession:
    """The vault Session's transaction/read API over an unencrypted in-memory database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.user = FakeUser()
        self.municipality: Any = None
        self.records = Records(self)
        self.tracking = Tracking(self)
        self.closed = False
        self.reads: list[tuple[str, str | None]] = []  # audited reads

    @contextmanager
    def _tx(self, action: str | None, object_id: object) -> Iterator[sqlite3.Connection]:
        assert not self.closed, "session used after lock"
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            if action is not None:  # after the body, like the vault: a new case's id is known
                target = None if object_id is None else str(object_id)
                self.conn.execute(
                    "INSERT INTO audit_log (action, object_id) VALUES (?, ?)", (action, target)
                )
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def transaction(self, action: str, object_id: object = None) -> Any:
        return self._tx(action, object_id)

    def read(self, action: str, object_id: object = None) -> Any:
        self.reads.append((action, None if object_id is None else str(object_id)))
        return self._tx(action, object_id)

    def draft_transaction(self) -> Any:
        return self._tx(None, None)

    @contextmanager
    def unaudited(self) -> Iterator[sqlite3.Connection]:
        yield self.conn

    def is_training(self) -> bool:
        return False

    def audit_entries(self) -> list[tuple[str, str | None]]:
        rows = self.conn.execute("SELECT action, object_id FROM audit_log ORDER BY id")
        return [(r["action"], r["object_id"]) for r in rows]

    def close(self) -> None:
        self.closed = True


def new_database() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row  # like the vault's connections
    conn.execute("PRAGMA foreign_keys = ON")
    apply_schema(conn)
    return conn


class WrongPassphrase(UserError):
    default_message = "ログイン名またはパスフレーズが違います。"


class Throttled(UserError):
    def __init__(self, wait_s: float) -> None:
        super().__init__("しばらくお待ちください。")
        self.wait_s = wait_s


class FakeVault:
    """``Vault``'s class API on one in-memory database; 5 failures → a wait."""

    def __init__(self, *, exists: bool = True, wait_after: int = 5, wait_s: float = 3.0) -> None:
        self.conn = new_database()
        self._exists = exists
        self.failures = 0
        self.wait_after = wait_after
        self.wait_s = wait_s
        self.sessions: list[GuiSession] = []
        self.created: list[tuple[str, str]] = []
        self.gate: Any = None  # a threading.Event the open waits on (an unlock in progress)

    def exists(self, data_dir: Path) -> bool:
        return self._exists

    def create(
        self,
        data_dir: Path,
        user: str,
        passphrase: str,
        *,
        municipality: str = "warabi",
        display_name: str = "",
        progress: Any = None,
    ) -> str:
        self.display_names = [*getattr(self, "display_names", []), display_name]
        for step in range(5):
            if progress is not None:
                progress(step / 4)
        self.created.append((user, municipality))
        self._exists = True
        return "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"

    def throttle_wait(self, data_dir: Path, user: str) -> float:
        return self.wait_s if self.failures >= self.wait_after else 0.0

    def open(
        self, data_dir: Path, user: str, passphrase: str, *, background: bool = False
    ) -> GuiSession:
        if self.gate is not None:
            self.gate.wait(5)
        if self.failures >= self.wait_after:
            raise Throttled(self.wait_s)
        if user != USER or passphrase != PASSPHRASE:
            self.failures += 1
            raise WrongPassphrase()
        self.failures = 0
        session = GuiSession(self.conn)
        self.sessions.append(session)
        return session


class FakeWizard(QWidget):
    """Follows the embedding contract in docs/internal-api.md with one text field."""

    finished = Signal(bool)

    def __init__(
        self,
        session: Any,
        municipality: Any,
        *,
        draft_id: int | None = None,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.draft_id = draft_id
        self.case_id = case_id
        self.step = 0
        self.saved_case_id: int | None = None
        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        self.name = QLineEdit()
        self.name.setAccessibleName("氏名")
        layout.addWidget(self.step_label)
        layout.addWidget(self.name)
        if draft_id is not None:
            draft = session.records.load_draft(draft_id)
            self.step = draft.step
            self.case_id = draft.case_id
            self.name.setText(Intake.from_dict(draft.data).client.name)
        self.step_label.setText(f"step {self.step}")

    def set_step(self, step: int) -> None:
        self.step = step
        self.step_label.setText(f"step {step}")

    def current_step(self) -> int:
        return self.step

    def save_draft_now(self) -> int | None:
        if not self.name.text() and self.draft_id is None:
            return None
        intake = Intake()
        intake.client.name = self.name.text()
        intake.consultation.started_at = dt.datetime(2026, 11, 25, 10, 0)
        self.draft_id = self.session.records.save_draft(
            intake, step=self.step, draft_id=self.draft_id, case_id=self.case_id
        )
        return self.draft_id
