"""The home screen's backup reminder (last backup older than the configured days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.gui.main_window import MainWindow
from intake_app.store import Vault, retention
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import flush

PASS = "しずかな朝に川を渡る小舟"
COUNSELOR_PASS = "green lantern by the river"
TODAY = dt.date.today()  # the backup's audit entry carries the real clock


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path / "data", "sato", PASS)
    return tmp_path / "data"


@pytest.fixture
def session(folder: Path) -> Iterator[Any]:
    s = Vault.open(folder, "sato", PASS)
    yield s
    s.close()


def home_of(qtbot: Any, session: Any, today: dt.date) -> MainWindow:
    window = MainWindow(session, wizard_factory=FakeWizard, today=lambda: today)
    qtbot.addWidget(window)
    window.show()
    return window


def close(window: MainWindow) -> None:
    window.suspend()
    flush()


def test_overdue_backup_is_named_on_home(
    qtbot: Any, configured_app: Any, session: Any, tmp_path: Path
) -> None:
    session.backup(tmp_path / "usb" / "b1")
    window = home_of(qtbot, session, TODAY + dt.timedelta(days=8))  # default: 7 days
    notice = window.home.backup_notice
    assert retention.backup_overdue(session, TODAY + dt.timedelta(days=8))
    assert window.home.backup_notice_shown() and notice.isVisible()
    assert notice.text() == (
        "最後のバックアップから 8 日たっています。管理者メニューからバックアップしてください。"
    )
    assert notice.accessibleName() == "バックアップの案内"
    close(window)
    assert not notice.text()  # the lock clears home


def test_recent_backup_shows_no_notice(
    qtbot: Any, configured_app: Any, session: Any, tmp_path: Path
) -> None:
    session.backup(tmp_path / "usb" / "b1")
    for days in (0, 7):  # seven days is still on time
        window = home_of(qtbot, session, TODAY + dt.timedelta(days=days))
        assert not retention.backup_overdue(session, TODAY + dt.timedelta(days=days))
        assert not window.home.backup_notice_shown()
        assert not window.home.backup_notice.isVisible()
        close(window)


def test_a_vault_never_backed_up_is_reminded(qtbot: Any, configured_app: Any, session: Any) -> None:
    window = home_of(qtbot, session, TODAY)
    assert window.home.backup_notice.isVisible()
    assert window.home.backup_notice.text().startswith("まだバックアップがありません。")
    close(window)


def test_a_counselor_is_told_to_ask_a_supervisor(
    qtbot: Any, configured_app: Any, folder: Path, tmp_path: Path
) -> None:
    from tests.gui.supervisor_support import fast_kdf

    with Vault.open(folder, "sato", PASS) as admin:
        admin.users.add("suzuki", "counselor", COUNSELOR_PASS, kdf=fast_kdf())
        admin.backup(tmp_path / "usb" / "b1")
    with Vault.open(folder, "suzuki", COUNSELOR_PASS) as counselor:
        window = home_of(qtbot, counselor, TODAY + dt.timedelta(days=30))
        assert window.home.backup_notice.text() == (
            "最後のバックアップから 30 日たっています。管理者にバックアップを依頼してください。"
        )
        close(window)
