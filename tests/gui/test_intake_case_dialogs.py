"""Closing and reopening a case with a reason, and the follow-up schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from intake_app.domain.model import Intake
from intake_app.gui.intake.case_dialogs import CloseCaseDialog, FollowUpDialog, ReopenCaseDialog
from tests.gui.intake_helpers import FAST_KDF_ENV, open_session, shot, type_japanese


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


@pytest.fixture
def case_id(session):
    intake = Intake()
    intake.consultation.started_at = dt.datetime.now().replace(second=0, microsecond=0)
    intake.consultation.channel = "visit"
    intake.consultation.counselor = "相談員A"
    intake.client.name = "伊藤 直美"
    return session.records.save_intake(intake).case_id


def ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_closing_needs_a_reason_and_can_schedule_a_follow_up(qtbot, session, case_id):
    dialog = CloseCaseDialog(session, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    ok(dialog)
    assert dialog.isVisible(), "no reason: the dialog stays open"
    assert dialog.form.errors[dialog.reason].text() == "終結の理由を入力してください"
    assert session.records.open_case(case_id).status == "open"
    shot(dialog, "intake_close_case_error")

    dialog.reason.setFocus()
    type_japanese(dialog.reason, "転居し、支援の必要がなくなったため")
    dialog.with_follow_up.setChecked(True)
    due = dt.date.today() + dt.timedelta(days=30)
    dialog.due.setValue(due)
    type_japanese(dialog.note, "転居先での生活の確認")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        ok(dialog)
    case = session.records.open_case(case_id)
    assert case.status == "closed"
    assert case.close_reason == "転居し、支援の必要がなくなったため"
    assert [(f.due_on, f.note) for f in case.follow_ups] == [(due, "転居先での生活の確認")]


def test_reopening_needs_a_reason(qtbot, session, case_id):
    session.records.close_case(case_id, "相談終了")
    dialog = ReopenCaseDialog(session, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    ok(dialog)
    assert dialog.form.errors[dialog.reason].text() == "再開の理由を入力してください"
    assert session.records.open_case(case_id).status == "closed"
    type_japanese(dialog.reason, "加害者から再び連絡があった")
    ok(dialog)
    case = session.records.open_case(case_id)
    assert case.status == "open"
    assert [e.kind for e in case.events] == ["close", "reopen"]


def test_reopening_an_open_case_is_refused_in_japanese(qtbot, session, case_id):
    dialog = ReopenCaseDialog(session, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setPlainText("確認")
    ok(dialog)
    assert dialog.isVisible()
    assert dialog.message.text() == "このケースは終結していません"


def test_follow_up_date_must_not_be_in_the_past(qtbot, session, case_id):
    dialog = FollowUpDialog(session, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.due.setValue(dt.date.today() - dt.timedelta(days=1))
    ok(dialog)
    assert dialog.form.errors[dialog.due].text() == "今日以降の日付を入力してください"
    dialog.due.setValue(dt.date.today() + dt.timedelta(days=7))
    ok(dialog)
    assert dialog.follow_up_id is not None
    assert len(session.records.open_case(case_id).follow_ups) == 1
