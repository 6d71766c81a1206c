"""The supervisor area reached from the main window: supervisors only, gone on any
lock, the unlock screen after a restore, and the idle lock time set from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog

from intake_app.gui.lock import QUICK_HIDE_KEY
from intake_app.gui.main_window import MainWindow
from intake_app.gui.shell import Shell
from intake_app.gui.supervisor import ReauthDialog, SupervisorArea
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import commit_text, flush
from tests.gui.supervisor_support import (
    ADMIN,
    ADMIN_PASS,
    COUNSELOR,
    COUNSELOR_PASS,
    TODAY,
    answer_reauth,
    data_dir,
    replace,
)

__all__ = ["data_dir"]

MENU_TEXT = "管理者メニュー"


@pytest.fixture
def shell(data_dir: Path, configured_app: Any, qtbot: Any) -> Iterator[Shell]:
    from intake_app.store.vault import Vault

    s = Shell(data_dir, Vault, idle_ms=60_000, wizard_factory=FakeWizard, today=lambda: TODAY)
    s.start()
    yield s
    s.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush()


def unlock(shell: Shell, qtbot: Any, user: str = ADMIN, passphrase: str = ADMIN_PASS) -> MainWindow:
    screen = shell.unlock
    assert screen.isVisible()
    screen.ui.userEdit.setText(user)
    commit_text(screen.ui.passphraseEdit, passphrase)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    assert shell.main is not None
    return shell.main


def open_area(main: MainWindow, qtbot: Any) -> SupervisorArea:
    """Through the button, the passphrase typed again."""
    answer_reauth([ADMIN_PASS], [])
    assert main.supervisor_button is not None
    qtbot.mouseClick(main.supervisor_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.supervisor_area is not None, timeout=5000)
    area = main.supervisor_area
    assert isinstance(area, SupervisorArea) and area.isVisible()
    return area


def area_leftovers() -> list[Any]:
    """Anything of the area (or its passphrase dialog) among the top-level widgets."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, SupervisorArea | ReauthDialog)
        or (isinstance(w, QDialog) and w.windowTitle().startswith("管理者"))
    ]


def menu_buttons() -> list[QAbstractButton]:
    return [
        b
        for b in QApplication.allWidgets()
        if isinstance(b, QAbstractButton) and MENU_TEXT in b.text().replace("&", "")
    ]


def test_the_menu_button_is_labelled_and_for_supervisors(shell: Shell, qtbot: Any) -> None:
    main = unlock(shell, qtbot)
    button = main.supervisor_button
    assert button is not None and button.isVisible()
    assert button.text() == "管理者メニュー(&M)"
    assert button.accessibleName() == "管理者メニューを開く"
    assert "Alt+M" in button.toolTip()
    assert QKeySequence.mnemonic(button.text()) == QKeySequence("Alt+M")
    area = open_area(main, qtbot)
    assert area.parent() is main
    assert area.tabs.tabText(area.tabs.count() - 1) == "設定"


def test_a_counselor_never_sees_the_menu(shell: Shell, qtbot: Any) -> None:
    main = unlock(shell, qtbot, COUNSELOR, COUNSELOR_PASS)
    assert main.supervisor_button is None
    assert menu_buttons() == []
    assert main.open_supervisor_area() is None
    assert main.supervisor_area is None and area_leftovers() == []


@pytest.mark.parametrize("how", ["ctrl_l", "quick_hide"])
def test_any_lock_destroys_the_area(shell: Shell, qtbot: Any, how: str) -> None:
    main = unlock(shell, qtbot)
    area = open_area(main, qtbot)
    tab = area.tabs.currentWidget()
    area.activateWindow()
    if how == "ctrl_l":
        qtbot.keyClick(area.tabs, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(area.tabs, QUICK_HIDE_KEY)
    flush()
    assert shell.main is None and shell.session is None
    assert not shiboken6.isValid(area)
    assert not shiboken6.isValid(tab)
    assert area_leftovers() == []
    visible = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert visible <= {shell.unlock, shell.blank}
    # the next opening asks again: a new area, not the old one
    main = unlock(shell, qtbot) if how == "ctrl_l" else None
    if main is not None:
        again = open_area(main, qtbot)
        assert again is not area


def test_a_restore_from_the_area_returns_to_the_unlock_screen(
    shell: Shell, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = unlock(shell, qtbot)
    session = shell.session
    area = open_area(main, qtbot)
    media = tmp_path / "usb"
    media.mkdir()
    replace(monkeypatch, "choose_folder", lambda *a: media)
    qtbot.mouseClick(area.backup_tab.backup_button, Qt.MouseButton.LeftButton)
    (backup,) = list(media.iterdir())
    replace(monkeypatch, "choose_folder", lambda *a: backup)
    replace(monkeypatch, "ask", lambda *a: True)
    replace(monkeypatch, "inform", lambda *a: None)
    qtbot.mouseClick(area.backup_tab.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.main is None, timeout=5000)
    flush()
    assert shell.session is None and not session.is_open
    assert shell.resume_state is None  # nothing of the old vault to return to
    assert not shiboken6.isValid(area) and area_leftovers() == []
    assert shell.unlock.isVisible()
    main = unlock(shell, qtbot)  # the restored vault opens
    assert main.current_view == "home"


def test_the_idle_lock_minutes_are_saved_and_applied(
    shell: Shell, qtbot: Any, data_dir: Path
) -> None:
    main = unlock(shell, qtbot)
    area = open_area(main, qtbot)
    tab = area.settings_tab
    assert tab.idle_minutes.value() == 5  # the default
    assert (tab.idle_minutes.minimum(), tab.idle_minutes.maximum()) == (1, 30)
    tab.idle_minutes.setValue(12)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert shell.lock.idle_interval_ms() == 12 * 60_000
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    assert int(str(settings.value("lock/idle_minutes"))) == 12
    assert (data_dir / "settings.ini").stat().st_mode & 0o777 == 0o600
    assert "12分" in tab.status.text()
    tab.idle_minutes.setValue(31)  # the box refuses more than 30
    assert tab.idle_minutes.value() == 30


def test_a_lock_while_the_passphrase_is_asked_opens_nothing(shell: Shell, qtbot: Any) -> None:
    from PySide6.QtCore import QTimer

    main = unlock(shell, qtbot)
    seen: list[bool] = []

    def press_ctrl_l() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReauthDialog):
            QTimer.singleShot(20, press_ctrl_l)
            return
        seen.append(dialog.isVisible())
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press_ctrl_l)
    assert main.supervisor_button is not None
    main.supervisor_button.click()  # returns once the lock has closed the question
    assert seen == [True]
    flush()
    assert shell.main is None and shell.session is None
    assert area_leftovers() == []
    assert shell.unlock.isVisible()
