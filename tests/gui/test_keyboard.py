"""Every control reachable by keyboard, with an accessible name (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from intake_app.gui.main_window import MainWindow
from intake_app.gui.setup import SetupWizard
from intake_app.gui.unlock import UnlockScreen
from intake_app.gui.views import CaseView
from tests.gui.fakes import FakeVault, FakeWizard, GuiSession
from tests.gui.helpers import flush, intake


def controls(root: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QComboBox, QAbstractItemView, QAbstractButton)
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.isVisibleTo(root)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]


def name_of(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    return ""


def tab_cycle(qtbot, window: QWidget, start: QWidget, steps: int = 40) -> set[QWidget]:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    start.setFocus()
    seen = set()
    for _ in range(steps):
        focus = QApplication.focusWidget()
        if focus is None:
            break
        seen.add(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    return seen


@pytest.fixture
def session(vault: FakeVault) -> GuiSession:
    s = GuiSession(vault.conn)
    s.records.save_intake(intake("山田花子", "やまだはなこ", support_measure_on=None))
    return s


def test_main_window_controls_have_names_and_are_reachable_by_tab(qtbot, session) -> None:
    main = MainWindow(session, wizard_factory=FakeWizard)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    for show in (main.show_home, main.show_search, main.show_perpetrator_check):
        show()
        page = main.stack.currentWidget()
        unnamed = [type(w).__name__ for w in controls(page) if not name_of(w)]
        assert unnamed == []
        reached = tab_cycle(qtbot, main, main.nav_buttons["home"])
        missing = [name_of(w) for w in controls(page) if w not in reached]
        assert missing == [], f"not reachable by Tab: {missing}"
    main.suspend()
    flush()


def test_case_view_controls_have_names(qtbot, session) -> None:
    case = session.records.open_case(1)
    view = CaseView(case)
    qtbot.addWidget(view)
    view.show()
    assert [type(w).__name__ for w in controls(view) if not name_of(w)] == []


def test_unlock_and_setup_controls_have_names(qtbot, configured_app, tmp_path: Path) -> None:
    unlock = UnlockScreen(tmp_path, FakeVault())
    qtbot.addWidget(unlock)
    unlock.show()
    assert [type(w).__name__ for w in controls(unlock) if not name_of(w)] == []
    reached = tab_cycle(qtbot, unlock, unlock.ui.userEdit)
    assert {unlock.ui.userEdit, unlock.ui.passphraseEdit, unlock.ui.unlockButton} <= reached
    setup = SetupWizard(tmp_path, FakeVault(exists=False))
    qtbot.addWidget(setup)
    setup.show()
    assert [type(w).__name__ for w in controls(setup.account) if not name_of(w)] == []
