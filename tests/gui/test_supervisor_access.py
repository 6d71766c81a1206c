"""Opening the supervisor area: the passphrase again, supervisors only, gone when left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from intake_app.gui.supervisor import SupervisorArea, open_supervisor_area
from tests.gui.helpers import flush
from tests.gui.supervisor_support import (
    ADMIN_PASS,
    COUNSELOR,
    COUNSELOR_PASS,
    TODAY,
    admin,
    answer_reauth,
    audit_actions,
    data_dir,
    fast_kdf,
    replace,
)

__all__ = ["admin", "data_dir"]


def areas() -> list[QApplication]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, SupervisorArea)]


def test_a_counselor_cannot_open_the_area(
    data_dir: Path, configured_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store.vault import Vault

    warnings: list[str] = []
    replace(monkeypatch, "warn", lambda parent, title, text: warnings.append(text))
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as counselor:
        assert open_supervisor_area(None, counselor, today=TODAY) is None
        assert ("supervisor_area_denied", None) in audit_actions_of(counselor)
    assert areas() == []
    assert warnings and "管理者" in warnings[0]


def audit_actions_of(session: Any) -> list[tuple[str, str | None]]:
    # a counselor cannot list the audit log through the program: read the table directly
    with session.read("test.inspect") as conn:
        return [tuple(r) for r in conn.execute("SELECT action, object_id FROM audit_log")]


def test_wrong_passphrase_is_refused_then_the_right_one_opens(admin: Any) -> None:
    seen: list[str] = []
    answer_reauth(["not my passphrase at all", ADMIN_PASS], seen)
    area = open_supervisor_area(None, admin, today=TODAY, kdf=fast_kdf())
    assert isinstance(area, SupervisorArea) and area.isVisible()
    assert seen[0] == "パスフレーズが違います。"
    assert [area.tabs.tabText(i) for i in range(area.tabs.count())] == [
        "統計",
        "報告用集計",
        "監査ログ",
        "利用者",
        "バックアップ・復元",
        "保存期間",
        "引継ぎ先センター",
        "設定",
    ]
    actions = [a for a, _ in audit_actions(admin)]
    assert actions.index("reauth_failed") < actions.index("reauth")


def test_cancelling_the_passphrase_opens_nothing(admin: Any) -> None:
    answer_reauth([], [])
    assert open_supervisor_area(None, admin, today=TODAY) is None
    assert areas() == []
    assert "reauth" not in [a for a, _ in audit_actions(admin)]


def test_leaving_destroys_the_area_and_the_next_opening_asks_again(admin: Any) -> None:
    answer_reauth([ADMIN_PASS], [])
    area = open_supervisor_area(None, admin, today=TODAY)
    assert area is not None
    area.close()
    flush()
    assert areas() == []
    answer_reauth([], [])  # asked again; cancelling leaves it closed
    assert open_supervisor_area(None, admin, today=TODAY) is None


def test_a_lock_closes_the_area(admin: Any) -> None:
    from intake_app.gui.lock import close_all_windows

    answer_reauth([ADMIN_PASS], [])
    area = open_supervisor_area(None, admin, today=TODAY)
    assert area is not None and area.isVisible()
    close_all_windows([])  # what the lock does to every top-level window
    flush()
    assert areas() == []


def test_a_lock_during_the_passphrase_check_opens_nothing(
    admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from intake_app.gui.lock import close_all_windows

    original = admin.confirm_passphrase

    def confirm_then_lock(passphrase: str) -> None:
        original(passphrase)
        admin.close()  # the lock ran meanwhile: session closed ...

    monkeypatch.setattr(admin, "confirm_passphrase", confirm_then_lock)
    answer_reauth([ADMIN_PASS], [])
    from PySide6.QtCore import QTimer

    fired: list[int] = []
    QTimer.singleShot(100, lambda: fired.append(close_all_windows([])))  # ... windows closed
    assert open_supervisor_area(None, admin, today=TODAY) is None
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)  # the timer must not outlive the test
    flush()
    assert areas() == []
