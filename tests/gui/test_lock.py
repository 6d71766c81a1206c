"""Every lock path of security.md (idle, Ctrl+L, quick-hide) with a modal dialog open,
mid-edit and a print preview open; the draft back after unlock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from intake_app.gui.lock import QUICK_HIDE_KEY
from intake_app.gui.main_window import VIEW_CASE, VIEW_INTAKE, MainWindow
from intake_app.gui.shell import Shell
from tests.gui.conftest import visible_texts
from tests.gui.fakes import PASSPHRASE, USER, FakeVault, FakeWizard
from tests.gui.helpers import WhenDialogOpens, commit_text, flush, intake

CANARY = "山田花子カナリア"


@pytest.fixture
def shell(vault: FakeVault, qtbot, tmp_path: Path) -> Iterator[Shell]:
    s = Shell(tmp_path, vault, idle_ms=60_000, wizard_factory=FakeWizard)
    s.start()
    yield s
    s.lock.lock("key")
    s.lock.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush()


def unlock(shell: Shell, qtbot) -> MainWindow:
    screen = shell.unlock
    assert screen.isVisible()
    screen.ui.userEdit.setText(USER)
    commit_text(screen.ui.passphraseEdit, PASSPHRASE)
    with qtbot.waitSignal(shell.main_shown, timeout=5000):
        qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    assert shell.main is not None
    return shell.main


def start_intake(shell: Shell, qtbot) -> tuple[MainWindow, FakeWizard]:
    main = unlock(shell, qtbot)
    wizard = main.open_intake()
    assert isinstance(wizard, FakeWizard)
    wizard.set_step(3)
    wizard.name.setFocus()
    commit_text(wizard.name, CANARY)  # mid-edit: typed, never saved by the user
    return main, wizard


def assert_locked_and_clean(shell: Shell, *watched: QWidget) -> None:
    flush()
    assert shell.main is None
    assert shell.session is None
    assert shell.unlock.isVisible() or shell.blank.isVisible()
    for widget in watched:
        assert not shiboken6.isValid(widget), "a widget with personal data survived the lock"
    assert not any(CANARY in text for text in visible_texts())
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert set(tops) <= {shell.unlock, shell.blank}


def assert_draft_back(shell: Shell, qtbot) -> None:
    main = unlock(shell, qtbot)
    assert main.current_view == VIEW_INTAKE
    wizard = main.wizard
    assert isinstance(wizard, FakeWizard)
    assert wizard.name.text() == CANARY
    assert wizard.current_step() == 3


def test_ctrl_l_mid_edit_saves_draft_destroys_widgets_and_restores(shell: Shell, qtbot) -> None:
    main, wizard = start_intake(shell, qtbot)
    session = shell.session
    field = wizard.name
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert session.closed  # the key is dropped
    assert_locked_and_clean(shell, main, wizard, field)
    assert shell.unlock.ui.passphraseEdit.text() == ""
    assert_draft_back(shell, qtbot)


def test_idle_lock_with_a_modal_dialog_open(shell: Shell, qtbot) -> None:
    main, wizard = start_intake(shell, qtbot)
    dialog_ref: list[QWidget] = []
    seen_open: list[bool] = []
    results: list[int] = []

    def open_modal() -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "確認", f"{CANARY}さんの記録", parent=wizard)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        dialog_ref.append(box)
        QTimer.singleShot(30, lambda: seen_open.append(box.isVisible() and box.isModal()))
        results.append(box.exec())  # returns only when the lock closes it

    shell.lock.set_idle_interval(idle_ms=300)
    with qtbot.waitSignal(shell.lock.locked, timeout=3000) as blocker:
        QTimer.singleShot(0, open_modal)
    # no input: the idle timer fired inside the dialog's own event loop
    assert blocker.args == ["idle"]
    assert seen_open == [True]
    qtbot.waitUntil(lambda: bool(results), timeout=2000)
    # the lock rejected the question: it answered neither Yes nor No on her behalf
    assert results == [QDialog.DialogCode.Rejected.value]
    assert results[0] not in (
        QMessageBox.StandardButton.Yes.value,
        QMessageBox.StandardButton.No.value,
    )
    assert_locked_and_clean(shell, main, wizard, dialog_ref[0])
    assert_draft_back(shell, qtbot)


def test_quick_hide_with_a_print_preview_window_open(shell: Shell, qtbot) -> None:
    main, wizard = start_intake(shell, qtbot)
    preview = QDialog(main)  # like the print preview: a separate top-level window
    preview.setWindowTitle("印刷プレビュー")
    layout = QVBoxLayout(preview)
    page = QLineEdit(CANARY)
    layout.addWidget(page)
    preview.show()
    QApplication.clipboard().setText(f"{CANARY} 090-1234-5678")
    qtbot.keyClick(page, QUICK_HIDE_KEY)
    assert shell.blank.isVisible()  # a neutral blank screen, not even the unlock form
    assert not shell.unlock.isVisible()
    assert QGuiApplication.clipboard().text() == ""
    assert_locked_and_clean(shell, main, wizard, preview, page)
    qtbot.keyClick(shell.blank, Qt.Key.Key_Space)
    assert shell.unlock.isVisible()
    assert_draft_back(shell, qtbot)


class FakeClipboard:
    """A clipboard another program may own (the offscreen platform always owns its own)."""

    def __init__(self) -> None:
        self.value = ""
        self.owned = False
        self.dataChanged = self  # the guard only connects to it

    def connect(self, slot) -> None:
        self.slot = slot

    def text(self) -> str:
        return self.value

    def ownsClipboard(self) -> bool:
        return self.owned

    def clear(self) -> None:
        self.value = ""


def test_clipboard_is_cleared_only_when_it_holds_the_programs_text(monkeypatch) -> None:
    from intake_app.gui import lock as lock_module

    board = FakeClipboard()

    class FakeGui:
        @staticmethod
        def clipboard() -> FakeClipboard:
            return board

        @staticmethod
        def focusWindow() -> object:
            return object()  # the program has the focus when it copies

    monkeypatch.setattr(lock_module, "QGuiApplication", FakeGui)
    guard = lock_module.ClipboardGuard()
    board.value = f"{CANARY} 090-1234-5678"  # copied in the program
    board.slot()
    board.value = "another program's text"  # copied elsewhere later: not ours
    assert guard.clear_if_ours() is False
    assert board.value == "another program's text"
    board.value = f"{CANARY} 090-1234-5678"
    board.slot()
    assert guard.clear_if_ours() is True
    assert board.value == ""
    board.value = "owned by this program"
    board.owned = True
    assert guard.clear_if_ours() is True


def test_lock_key_on_the_case_view_returns_to_the_case(shell: Shell, qtbot) -> None:
    main = unlock(shell, qtbot)
    saved = main.session.records.save_intake(intake(CANARY, "やまだはなこ"))
    view = main.open_case(saved.case_id)
    qtbot.keyClick(view.tabs, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_locked_and_clean(shell, main, view)
    main = unlock(shell, qtbot)
    assert main.current_view == VIEW_CASE
    assert main.case_view is not None and main.case_view.case_id == saved.case_id


def test_idle_timer_restarts_on_input(shell: Shell, qtbot) -> None:
    unlock(shell, qtbot)
    shell.lock.set_idle_interval(idle_ms=300)
    main = shell.main
    assert main is not None
    for _ in range(4):
        qtbot.wait(120)
        qtbot.keyClick(main.nav_buttons["home"], Qt.Key.Key_Shift)
    assert shell.main is main  # still unlocked after 480 ms of activity
    qtbot.waitSignal(shell.lock.locked, timeout=2000).wait()
    assert shell.main is None


def test_idle_minutes_are_clamped_to_the_allowed_range(vault: FakeVault, tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text("[lock]\nidle_minutes=90\n", encoding="utf-8")
    s = Shell(tmp_path, vault)
    try:
        assert s.lock.idle_interval_ms() == 30 * 60_000
        s.lock.set_idle_interval(idle_minutes=0)
        assert s.lock.idle_interval_ms() == 1 * 60_000
    finally:
        s.lock.shutdown()
        s.unlock.deleteLater()
        s.blank.deleteLater()
        flush()


def test_idle_minutes_saved_and_applied(shell: Shell, tmp_path: Path) -> None:
    from intake_app.gui.settings import load_idle_minutes

    assert shell.set_idle_minutes(12) == 12
    assert shell.lock.idle_interval_ms() == 12 * 60_000
    assert load_idle_minutes(tmp_path) == 12
    assert shell.set_idle_minutes(45) == 30
    assert load_idle_minutes(tmp_path) == 30


def test_a_lock_during_an_unlock_in_progress_abandons_it(
    vault: FakeVault, shell: Shell, qtbot
) -> None:
    import threading

    gate = threading.Event()
    vault.gate = gate
    screen = shell.unlock
    screen.ui.userEdit.setText(USER)
    commit_text(screen.ui.passphraseEdit, PASSPHRASE)
    qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    assert screen.busy
    qtbot.keyClick(screen, QUICK_HIDE_KEY)
    assert not screen.busy
    gate.set()
    qtbot.waitUntil(lambda: len(vault.sessions) == 1, timeout=3000)
    qtbot.wait(50)
    assert vault.sessions[0].closed  # the late session was closed unused
    assert shell.main is None
    assert shell.blank.isVisible()


def test_a_parentless_window_is_destroyed_too(shell: Shell, qtbot) -> None:
    unlock(shell, qtbot)
    window = QDialog()  # a separate top-level window without a parent
    field = QLineEdit(CANARY, window)
    window.show()
    shell.lock.lock("key")
    assert shell.unlock.isVisible()
    assert_locked_and_clean(shell, window, field)


def test_a_draft_deleted_while_locked_lands_on_home(shell: Shell, qtbot) -> None:
    main, wizard = start_intake(shell, qtbot)
    session = shell.session
    qtbot.keyClick(wizard.name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    draft_id = shell.resume_state.draft_id
    assert draft_id is not None
    session.closed = False  # another user deletes the draft meanwhile
    session.records.delete_draft(draft_id)
    main = unlock(shell, qtbot)
    assert main.current_view == "home"
    assert main.wizard is None


def test_lock_keys_win_over_a_screen_shortcut_on_the_same_key(shell: Shell, qtbot) -> None:
    from PySide6.QtGui import QKeySequence, QShortcut

    main, wizard = start_intake(shell, qtbot)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=2000)
    wizard.name.setFocus()
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence("F12"), wizard)
    shortcut.activated.connect(lambda: fired.append(True))
    qtbot.keyClick(wizard.name, QUICK_HIDE_KEY)
    assert fired == []
    assert shell.blank.isVisible()
    assert_locked_and_clean(shell, main, wizard)


def test_ctrl_l_while_asking_whether_to_start_another_intake(shell: Shell, qtbot) -> None:
    main, wizard = start_intake(shell, qtbot)
    boxes: list[QWidget] = []

    def lock_in_the_question(box: QMessageBox) -> None:
        boxes.append(box)
        qtbot.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    WhenDialogOpens(QMessageBox, lock_in_the_question)
    qtbot.mouseClick(main.nav_buttons["intake"], Qt.MouseButton.LeftButton)
    assert len(boxes) == 1
    assert_locked_and_clean(shell, main, wizard, boxes[0])
    assert_draft_back(shell, qtbot)
