"""A saved consultation read in full, read-only, with its advice as it was then (issue 19,
item 6): Enter or a double-click on a consultation of the case view."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.gui.consultation_view import ConsultationDialog, ConsultationView
from intake_app.gui.main_window import MainWindow
from tests.gui.helpers import flush
from tests.gui.realistic import fill_records


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _open_latest(qtbot, main: MainWindow, case_id: int) -> ConsultationDialog:
    flush()  # nothing left over from another test
    view = main.open_case(case_id)
    table = view.timeline_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(table.model().rowCount() - 1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConsultationDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    return dialogs[0]


def test_enter_on_a_consultation_shows_every_step_as_saved(qtbot, session):
    ids = fill_records(session)
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    dialog = _open_latest(qtbot, main, ids["case_id"])
    view = dialog.view
    assert view.pages.count() == 11
    texts = [squash(view.page_text(i)) for i in range(11)]
    assert "相談室" in texts[1]  # the place of this visit
    assert "見本花子" in texts[2] and "見本市内の知人宅" in texts[2]
    assert "見本さくら" in texts[3] and "見本たろう" in texts[3]
    assert "子ども未来課" in texts[3]
    assert "緊急" in texts[5] and "risk-v" in texts[5]
    assert "一時保護" in texts[6]
    assert "生活の立て直しの相談" in texts[8] and "口頭" in texts[8]
    assert "窓口では本人確認をしてから対応" in texts[9]
    assert "見本のまとめ" in texts[10]
    # what was not stored is said to be not stored
    assert "保存されていません" in texts[5] and "保存されていません" in texts[8]
    consultation = session.records.open_case(ids["case_id"]).consultations[-1].id
    assert ("consultation.open", f"consultation:{consultation}") in [
        (e.action, e.object_id) for e in session.audit_entries(limit=50)
    ], "opening it is an audited read"
    # read-only: nothing to type into, Ctrl+PageDown turns the steps
    assert all(page.isReadOnly() for page in view.pages.findChildren(type(view.pages.widget(0))))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    view.steps.setFocus()
    qtbot.keyClick(view.steps, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_step() == 1
    page = view.pages.currentWidget()
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_step() == 2, "also from the page being read"
    dialog.close()
    main.suspend()
    flush()


def test_the_advice_shown_is_the_stored_one_not_worked_out_again(qtbot, session):
    ids = fill_records(session)
    case = session.records.open_case(ids["case_id"])
    consultation = case.consultations[-1].id
    # as if the rules had said otherwise then: the stored rows are what is shown
    with session.transaction("test.tamper", None) as conn:
        conn.execute(
            "UPDATE risk_assessments SET final = 'low', computed = 'low' WHERE consultation_id = ?",
            (consultation,),
        )
        conn.execute(
            "UPDATE shelter_decisions SET recommendation = 'not_needed',"
            " reasons = '[\"その日の理由（保存されたもの）\"]' WHERE consultation_id = ?",
            (consultation,),
        )
    record = session.records.open_consultation(consultation)
    view = ConsultationView(record, None)  # reusable: any record, no session
    qtbot.addWidget(view)
    assert "最終の危険度低" in squash(view.page_text(5))
    assert "その日の理由（保存されたもの）" in squash(view.page_text(6))
    assert "現時点では不要" in squash(view.page_text(6))


def test_a_lock_closes_it(qtbot, session, tmp_path):
    from intake_app.gui.lock import LockController, close_all_windows

    ids = fill_records(session)
    main = MainWindow(session, today=dt.date.today)
    qtbot.addWidget(main)
    main.show()
    dialog = _open_latest(qtbot, main, ids["case_id"])
    assert isinstance(dialog, ConsultationDialog)
    close_all_windows([])  # what the lock does to every window
    flush()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, ConsultationDialog)]
    assert LockController  # the lock's own path: tests/gui/test_lock.py
