"""終結 / 再開 / フォローアップ予定 reached from the case view, through the real buttons
and the real dialogs, on the real Records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from intake_app.gui.main_window import VIEW_CASE, MainWindow
from tests.gui.fakes import FakeVault, GuiSession
from tests.gui.helpers import WhenDialogOpens, flush, intake

NOTE = "電話で近況を確認"


@pytest.fixture
def main(vault: FakeVault, qtbot) -> Iterator[MainWindow]:
    session = GuiSession(vault.conn)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def fill_next_dialog(fill: Callable[[QDialog], None], seen: list[str]) -> WhenDialogOpens:
    """Fill the dialog the next click opens and press 記録する."""

    def run(dialog: QDialog) -> None:
        seen.append(dialog.windowTitle())
        fill(dialog)
        buttons = dialog.findChild(QDialogButtonBox)
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    return WhenDialogOpens(QDialog, run)


def status_of(main: MainWindow, case_id: int) -> str:
    return main.session.records.open_case(case_id).status


def test_close_reopen_and_schedule_from_the_case_view(main: MainWindow, qtbot) -> None:
    case_id = main.session.records.save_intake(intake("北村あかね", "きたむらあかね")).case_id
    view = main.open_case(case_id)
    assert view.close_button.isVisible() and not view.reopen_button.isVisible()
    assert view.close_button.accessibleName() and view.schedule_button.accessibleName()

    seen: list[str] = []
    fill_next_dialog(lambda d: d.reason.setText("本人の希望で終結"), seen)
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    flush()
    assert seen == ["ケースの終結"]
    assert status_of(main, case_id) == "closed"
    view = main.case_view
    assert main.current_view == VIEW_CASE and view is not None
    assert view.reopen_button.isVisible() and not view.close_button.isVisible()
    assert view.status_label.isVisible()

    seen = []
    fill_next_dialog(lambda d: d.reason.setText("再び相談があった"), seen)
    qtbot.mouseClick(view.reopen_button, Qt.MouseButton.LeftButton)
    flush()
    assert seen == ["ケースの再開"]
    assert status_of(main, case_id) == "open"
    view = main.case_view
    assert view.close_button.isVisible() and not view.reopen_button.isVisible()

    today = dt.date.today()

    def plan(dialog: QDialog) -> None:
        dialog.due.setText(today.isoformat())
        dialog.note.setText(NOTE)

    seen = []
    fill_next_dialog(plan, seen)
    qtbot.mouseClick(main.case_view.schedule_button, Qt.MouseButton.LeftButton)
    flush()
    assert seen == ["継続支援の予定"]
    main.show_home()
    model = main.home.follow_model
    notes = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert NOTE in notes  # 期限の来たフォローアップ on home


def test_case_view_mnemonics_do_not_clash(main: MainWindow) -> None:
    case_id = main.session.records.save_intake(
        intake("北村あかね", "きたむらあかね", support_measure_on=dt.date.today())
    ).case_id
    view = main.open_case(case_id)
    reopen = QKeySequence.mnemonic(view.reopen_button.text()).toString()
    keys = [
        QKeySequence.mnemonic(b.text()).toString()
        for b in main.findChildren(QPushButton)
        if b.isVisible() and "&" in b.text()
    ]
    # what the counselor can press on the case screen: each Alt key does one thing
    assert {"Alt+A", "Alt+E", "Alt+F", "Alt+R", "Alt+O", "Alt+P", "Alt+D", "Alt+H"} <= set(keys)
    assert len(keys) == len(set(keys)), sorted(keys)
    assert reopen not in keys  # shown instead of 終結 on a closed case
