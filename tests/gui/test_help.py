"""F1: the manual's section in a help window, offline, closed by every lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.documents import manual
from intake_app.gui import help as help_window
from intake_app.gui.lock import close_all_windows, flush_deletions
from tests.gui.supervisor_support import TODAY, admin, data_dir

__all__ = ["admin", "data_dir"]


@pytest.fixture
def owner(qtbot, configured_app) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    return widget


def top_visible_text(window: help_window.HelpWindow) -> str:
    """The text of the line at the top of the browser's viewport."""
    browser = window.browser
    cursor = browser.cursorForPosition(browser.viewport().rect().topLeft())
    cursor.select(QTextCursor.SelectionType.LineUnderCursor)
    return cursor.selectedText()


def test_the_help_opens_at_the_section_asked_for(owner) -> None:
    window = help_window.open_help(owner, "intake-step-3")
    assert window.isVisible() and window.windowTitle() == "ヘルプ: 3 子ども・世帯"
    QApplication.processEvents()
    assert "子ども・世帯" in top_visible_text(window)
    assert window.browser.verticalScrollBar().value() > 0
    again = help_window.open_help(owner, "supervisor-backup")
    assert again is window  # one help window, moved to the new section
    assert window.windowTitle() == "ヘルプ: バックアップと復元"
    QApplication.processEvents()
    assert "バックアップと復元" in top_visible_text(window)


def test_an_unknown_section_opens_the_start(owner) -> None:
    window = help_window.open_help(owner, "no-such-section")
    assert window.anchor == "getting-started"
    assert window.windowTitle() == "ヘルプ: はじめての方へ"


def test_the_pictures_load_from_the_package(owner) -> None:
    window = help_window.open_help(owner, "home")
    document = window.browser.document()
    image = document.resource(document.ResourceType.ImageResource.value, QUrl("images/home.png"))
    assert image is not None and not image.isNull()


def test_no_link_leaves_the_program(owner) -> None:
    window = help_window.open_help(owner, "home")
    assert not window.browser.openExternalLinks() and not window.browser.openLinks()
    window.browser.anchorClicked.emit(QUrl("https://example.invalid/#lock"))
    assert window.anchor == "home"  # ignored
    window.browser.anchorClicked.emit(QUrl("#lock"))
    assert window.anchor == "lock"


def test_every_lock_closes_the_help_window(owner) -> None:
    window = help_window.open_help(owner, "lock")
    kept = QWidget()
    closed = close_all_windows([kept, owner])
    flush_deletions()
    assert closed >= 1
    assert help_window.current_help_window() is None
    assert all(w.objectName() != "HelpWindow" for w in QApplication.topLevelWidgets())
    assert window is not None  # the Python wrapper outlives the deleted widget
    kept.deleteLater()


def test_f1_in_the_supervisor_area_opens_the_current_tab(qtbot, admin) -> None:
    from PySide6.QtCore import Qt

    from intake_app.gui.supervisor.area import TAB_HELP, SupervisorArea

    area = SupervisorArea(admin, today=TODAY)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.tabs.setCurrentWidget(area.retention_tab)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    qtbot.keyClick(area.tabs, Qt.Key.Key_F1)
    window = help_window.current_help_window()
    assert window is not None and window.anchor == "supervisor-retention"
    assert window.parent() is area
    anchors = set(manual.load().anchors())
    assert set(TAB_HELP.values()) <= anchors
    for name, anchor in TAB_HELP.items():
        area.tabs.setCurrentWidget(getattr(area, name))
        assert area.help_anchor() == anchor
    area.close()
    flush_deletions()
    assert help_window.current_help_window() is None  # it went with its window


def test_the_wizard_names_the_section_of_its_step(qtbot, session) -> None:
    from tests.gui.intake_helpers import open_wizard

    wizard = open_wizard(qtbot, session)
    assert wizard.help_anchor() == "intake-step-0"
    wizard.go_to(7)
    assert wizard.help_anchor() == "intake-step-7"
    assert set(manual.load().anchors()) >= {f"intake-step-{n}" for n in range(len(wizard.pages))}


def test_every_anchor_the_program_opens_is_in_the_manual() -> None:
    from intake_app.gui.main_window import VIEW_HELP

    anchors = set(manual.load().anchors())
    assert set(VIEW_HELP.values()) <= anchors


@pytest.fixture
def shell(vault, qtbot, tmp_path):
    from intake_app.gui.shell import Shell
    from tests.gui.fakes import FakeWizard

    s = Shell(tmp_path, vault, idle_ms=60_000, wizard_factory=FakeWizard)
    s.start()
    yield s
    s.lock.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush_deletions()


def press_f1(qtbot, window: QWidget, target: QWidget) -> help_window.HelpWindow:
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(target, Qt.Key.Key_F1)
    shown = help_window.current_help_window()
    assert shown is not None, "F1 opened no help window"
    return shown


def test_f1_opens_the_screen_s_section_and_the_quick_hide_key_closes_it(qtbot, shell) -> None:
    from PySide6.QtCore import Qt

    from tests.gui.test_lock import unlock

    main = unlock(shell, qtbot)
    assert main.help_label.text() == "F1: ヘルプ" and main.help_label.isVisible()
    assert press_f1(qtbot, main, main.nav_buttons["home"]).anchor == "home"
    main.show_search()
    assert press_f1(qtbot, main, main.search.query).anchor == "search"
    main.show_perpetrator_check()
    window = press_f1(qtbot, main, main.perpetrator.query)
    assert window.anchor == "perpetrator-check" and window.isVisible()
    qtbot.keyClick(window.browser, Qt.Key.Key_F12)  # the quick-hide key, pressed in the help
    flush_deletions()
    assert help_window.current_help_window() is None
    assert all(w.objectName() != "HelpWindow" for w in QApplication.topLevelWidgets())
    assert shell.main is None  # locked


def test_f1_in_the_intake_opens_the_step_s_section(qtbot, session) -> None:
    from PySide6.QtCore import Qt

    from intake_app.gui.main_window import MainWindow

    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    wizard = main.open_intake()
    assert wizard is not None
    wizard.go_to(3)
    field = wizard.pages[3].first_input()
    field.setFocus()
    window = press_f1(qtbot, main, field)
    assert window.anchor == "intake-step-3"
    assert window.windowTitle() == "ヘルプ: 3 子ども・世帯"
    wizard.go_to(8)
    qtbot.keyClick(wizard.pages[8].first_input(), Qt.Key.Key_F1)
    assert window.anchor == "intake-step-8"
    main.suspend()
    flush_deletions()


def test_f1_on_the_unlock_screen_opens_its_section_and_a_login_keeps_it_closed_by_lock(
    qtbot, shell
) -> None:
    from PySide6.QtCore import Qt

    from tests.gui.test_lock import unlock

    screen = shell.unlock
    window = press_f1(qtbot, screen, screen.ui.passphraseEdit)
    assert window.anchor == "unlock" and window.parent() is None
    main = unlock(shell, qtbot)
    qtbot.keyClick(main.nav_buttons["home"], Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    flush_deletions()
    assert shell.main is None
    assert help_window.current_help_window() is None


def test_f1_on_a_saved_consultation_opens_the_case_section(qtbot, session) -> None:
    from intake_app.gui.consultation_view import ConsultationDialog
    from tests.gui.helpers import intake

    case_id = session.records.save_intake(intake("見本 花子", "みほん はなこ")).case_id
    record = session.records.open_consultation(
        session.records.open_case(case_id).consultations[-1].id
    )
    dialog = ConsultationDialog(record)
    qtbot.addWidget(dialog)
    dialog.show()
    window = press_f1(qtbot, dialog, dialog.view.steps)
    assert window.anchor == "case" and window.parent() is dialog


def test_f1_in_a_modal_dialog_opens_the_help_over_the_dialog(qtbot, session) -> None:
    """A modal dialog blocks the main window's own F1 shortcut; F1 there still opens the
    section of the screen behind it (or the dialog's own ``helpAnchor``), as the
    dialog's child window, which the dialog's modality does not block."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    from intake_app.gui.main_window import MainWindow

    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    main.show_search()
    dialog = QDialog(main)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.open()  # window-modal, as the program's dialogs are opened
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_F1)
    window = help_window.current_help_window()
    assert window is not None, "F1 in the dialog opened no help"
    assert window.anchor == "search" and window.parent() is dialog
    window.close()
    dialog.setProperty("helpAnchor", "perpetrator-check")
    qtbot.keyClick(field, Qt.Key.Key_F1)
    window = help_window.current_help_window()
    assert window is not None and window.anchor == "perpetrator-check"
    dialog.reject()
    main.suspend()
    flush_deletions()
