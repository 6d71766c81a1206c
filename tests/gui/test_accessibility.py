"""Every screen of the program, walked as a screen reader and a keyboard user meet it.

The walker (``tests/gui/walker.py``) finds the screens itself: from the main window it
opens every page and tab, presses every button and opens every row, and walks every
window that appears on the way. A screen or dialog added later is walked without
changing this file; a dialog class the walk never met fails the test, so it cannot
be forgotten (make it reachable with data, or tell the walker how to answer the
question in front of it).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
    QWizard,
)

import intake_app.gui
from intake_app.gui.shell import Shell
from intake_app.store import Vault
from tests.gui.helpers import flush
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    PASSPHRASE,
    complete_settings,
    load_font,
    open_session,
    type_japanese,
)
from tests.gui.realistic import fill_records
from tests.gui.walker import Walker, check_screen


def _reauth(dialog) -> bool:
    dialog.passphrase.setText(PASSPHRASE)
    dialog.attempt()
    return True


def _yes(box: QMessageBox) -> bool:
    box.button(QMessageBox.StandardButton.Yes).click()
    return True


def _choose(path: Path):
    def answer(dialog: QFileDialog) -> bool:
        dialog.selectFile(str(path))
        dialog.accept()
        return True

    return answer


def other_centre_card(folder: Path) -> Path:
    """Another centre's public card (a second vault), for the card import dialog."""
    from intake_app.gui.municipality import load_session_municipality
    from intake_app.store import handoff

    folder.mkdir()
    session = open_session(folder)
    try:
        municipality = load_session_municipality(session)
        return handoff.export_card(session, municipality, folder / "card.ihc").path
    finally:
        session.close()


def answers(card: Path) -> dict[str, Callable[[QWidget], bool]]:
    """The questions the walk answers to reach what is behind them (every other window
    is closed with Escape / No, which confirms nothing)."""
    return {
        "ReauthDialog": _reauth,
        "回復キーの再発行": _yes,  # → the new recovery key, shown once
        "公開カードを選ぶ": _choose(card),  # → the card's fingerprint check
    }


def window_classes() -> set[str]:
    """Every dialog and main window class the program defines."""
    for info in pkgutil.walk_packages(intake_app.gui.__path__, "intake_app.gui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    stack = [QDialog, QMainWindow]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("intake_app.") and not sub.__name__.startswith("_"):
                found.add(sub.__name__)  # (a private base class is never shown itself)
    return found


def _report(problems: dict[str, list[str]]) -> str:
    lines = []
    for screen, found in problems.items():
        lines.append(screen)
        lines += [f"  - {p}" for p in found]
    return "\n".join(lines)


def test_every_screen_of_the_program(qtbot, tmp_path, monkeypatch, configured_app):
    monkeypatch.setenv(FAST_KDF_ENV, "1")
    load_font()
    problems: dict[str, list[str]] = {}
    card = other_centre_card(tmp_path / "other-centre")
    data_dir = tmp_path / "centre"
    data_dir.mkdir()
    shell = Shell(data_dir, Vault)
    setup = shell.start()
    assert isinstance(setup, QWizard)
    qtbot.waitExposed(setup)
    seen = {type(setup).__name__}

    def check(window, label: str) -> None:
        found = check_screen(qtbot, window)
        if found:
            problems.setdefault(label, []).extend(found)

    # First start: the setup wizard's pages, typed by keyboard.
    account = setup.account.ui
    check(setup, "SetupWizard / 自治体と最初の管理者")
    type_japanese(account.userEdit, "tanaka")
    account.passphraseEdit.setText(PASSPHRASE)
    account.confirmEdit.setText(PASSPHRASE)
    check(setup, "SetupWizard / 自治体と最初の管理者（入力後）")
    setup.next()
    qtbot.waitUntil(lambda: setup.currentId() == setup.PAGE_RECOVERY, timeout=30000)
    check(setup, "SetupWizard / 回復キー")
    qtbot.keyClick(setup.recovery.stored, Qt.Key.Key_Space)
    setup.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: shell.unlock.isVisible(), timeout=5000)

    # The vault gets what a centre has after some weeks, then the unlock screen.
    session = open_session(data_dir, create=False)
    try:
        fill_records(session)
        complete_settings(session)  # the settings the papers need, as a supervisor fills them
    finally:
        session.close()
    unlock = shell.unlock
    check(unlock, "UnlockScreen")
    unlock.ui.passphraseEdit.setText(PASSPHRASE)
    with qtbot.waitSignal(shell.main_shown, timeout=20000):
        qtbot.keyClick(unlock.ui.passphraseEdit, Qt.Key.Key_Return)
    main = shell.main
    qtbot.waitExposed(main)

    walker = Walker(qtbot, answers=answers(card))
    try:
        walker.walk(main)
    finally:
        walker.stop()
    problems.update(walker.problems)
    seen |= walker.windows

    # F12: the blank screen, then back to unlock.
    qtbot.keyClick(QApplication.focusWidget() or main, Qt.Key.Key_F12)
    check(shell.blank, "BlankScreen")
    shell.shutdown()
    flush()

    print("\n".join(walker.screens))
    print(_report(problems))
    assert problems == {}, "the problems are listed in the captured output"
    # RestoreArea shows only on a damaged vault (tests/gui/test_vault_check.py checks it)
    never = sorted(window_classes() - seen - {"RestoreArea"})
    assert never == [], f"dialogs the walk never reached: {never}"
