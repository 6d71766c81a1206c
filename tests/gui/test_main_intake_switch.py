"""Opening another intake while one is open never reuses it: the open one is saved as a
draft and the counselor is asked (No stays). Driven through the real buttons and the
real intake wizard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from intake_app.gui.main_window import VIEW_INTAKE, MainWindow
from tests.gui.fakes import FakeVault, GuiSession
from tests.gui.helpers import WhenDialogOpens, commit_text, flush, intake

FIRST = "前田ゆかり"
SECOND = "新井さくら"


@pytest.fixture
def main(vault: FakeVault, qtbot) -> Iterator[MainWindow]:
    pytest.importorskip("intake_app.gui.intake.wizard")
    session = GuiSession(vault.conn)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def name_field(wizard) -> QLineEdit:
    page = next(p for p in wizard.pages if hasattr(p, "name") and hasattr(p, "anonymous"))
    wizard.go_to(wizard.pages.index(page))
    return page.name


def answer_next_question(answer: QMessageBox.StandardButton, seen: list[str]) -> WhenDialogOpens:
    """Answer the question the next click opens (if one opens at all)."""

    def reply(box: QMessageBox) -> None:
        seen.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        box.button(answer).click()

    return WhenDialogOpens(QMessageBox, reply)


def test_new_intake_while_a_follow_up_is_open_asks_and_never_mixes(main: MainWindow, qtbot):
    records = main.session.records
    case_id = records.save_intake(intake(FIRST, "まえだゆかり")).case_id
    view = main.open_case(case_id)
    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    follow = main.wizard
    assert follow is not None and main.current_view == VIEW_INTAKE
    field = name_field(follow)
    assert field.text() == FIRST  # the follow-up of the first client
    commit_text(field, "（確認）")

    # the same target: shown again, nothing asked
    main.open_case(case_id)
    seen: list[str] = []
    waiting = answer_next_question(QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(main.case_view.follow_button, Qt.MouseButton.LeftButton)
    flush()
    qtbot.wait(100)  # a question would have been answered by now
    waiting.stop()
    assert seen == [] and main.wizard is follow

    # 新規相談, answered No: the open follow-up stays, saved as a draft
    seen = []
    answer_next_question(QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(main.nav_buttons["intake"], Qt.MouseButton.LeftButton)
    flush()
    assert seen == ["入力中の相談を下書きとして保存しました。新しい相談を始めますか。"]
    assert main.wizard is follow and main.current_view == VIEW_INTAKE
    drafts = list(records.home(dt.date.today()).drafts)
    assert len(drafts) == 1

    # 新規相談, answered Yes: a fresh intake, the follow-up left as it was
    seen = []
    answer_next_question(QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(main.nav_buttons["intake"], Qt.MouseButton.LeftButton)
    flush()
    assert len(seen) == 1
    fresh = main.wizard
    assert fresh is not None and fresh is not follow and not shiboken6.isValid(follow)
    assert fresh.case_id is None
    new_name = name_field(fresh)
    assert new_name.text() == ""
    commit_text(new_name, SECOND)

    # resuming the follow-up's draft from home: asked again; Yes brings it back intact
    draft_id = drafts[0].id
    seen = []
    answer_next_question(QMessageBox.StandardButton.Yes, seen)
    main.show_home()
    main.home.resume_draft.emit(draft_id)
    flush()
    assert len(seen) == 1
    resumed = main.wizard
    assert resumed is not None and resumed is not fresh
    assert resumed.case_id == case_id
    assert name_field(resumed).text() == FIRST + "（確認）"
    assert SECOND not in name_field(resumed).text()
    # and the second client's answers are a draft of their own
    names = sorted(str(d.client_name) for d in records.home(dt.date.today()).drafts)
    assert names == sorted([FIRST + "（確認）", SECOND])


def test_a_second_new_intake_on_an_untouched_one_just_shows_it(main: MainWindow, qtbot):
    seen: list[str] = []
    qtbot.mouseClick(main.nav_buttons["intake"], Qt.MouseButton.LeftButton)
    first = main.wizard
    main.show_home()
    waiting = answer_next_question(QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(main.nav_buttons["intake"], Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    waiting.stop()
    assert seen == [] and main.wizard is first
