"""Small dialogs the case view calls: close (終結), reopen (再開), follow-up schedule.

Each writes through ``session.records`` in one audited transaction when the
counselor presses OK, and shows what is missing at the field in Japanese.
Call them through ``close_case`` / ``reopen_case`` / ``schedule_follow_up``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import UserError
from intake_app.gui import lock
from intake_app.gui.intake.widgets import DateEdit, FieldForm, TextArea, tr

FOLLOW_UP_DEFAULT_DAYS = 14


class _CaseDialog(QDialog):
    """A reason or a date, checked at the field; the write happens on OK."""

    def __init__(self, session: Any, case_id: int, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.setWindowTitle(title)
        self.setModal(True)
        self.setStyleSheet(
            "QWidget { font-size: 13pt; } QLabel#fieldError { color: #b00020; font-weight: bold; }"
        )
        self.layout_ = QVBoxLayout(self)
        self.form = FieldForm()
        self.layout_.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("記録する"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("やめる"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def problems(self) -> list[tuple[QWidget, str]]:
        return []

    def write(self) -> None: ...

    def _ok(self) -> None:
        problems = self.problems()
        for widget in self.form.errors:
            self.form.set_error(widget, "")
        for widget, message in problems:
            self.form.set_error(widget, message)
        if problems:
            problems[0][0].setFocus()
            return
        try:
            self.write()
        except UserError as exc:
            self.message.setText(exc.message)
            self.message.setVisible(True)
            return
        self.accept()


def _date_problem(widget: DateEdit, *, required: bool, future_ok: bool) -> str:
    value, err = widget.parsed()
    if err:
        return err
    if value is None:
        return tr("日付を入力してください") if required else ""
    today = dt.date.today()
    if not future_ok and value > today:
        return tr("未来の日付は入力できません")
    if future_ok and value < today:
        return tr("今日以降の日付を入力してください")
    return ""


class CloseCaseDialog(_CaseDialog):
    """終結: a reason is required; a follow-up date keeps continued support in view."""

    def __init__(self, session: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, tr("ケースの終結"), parent)
        f = self.form
        self.reason = f.row(tr("終結の理由（必須）"), TextArea())
        self.on = f.row(tr("終結日"), DateEdit())
        self.on.setValue(dt.date.today())
        self.with_follow_up = f.row(tr("継続支援"), QCheckBox(tr("終結後の確認日を入れる")))
        self.due = f.row(tr("確認日"), DateEdit())
        self.due.setValue(dt.date.today() + dt.timedelta(days=FOLLOW_UP_DEFAULT_DAYS * 2))
        self.note = f.row(tr("確認のメモ"), TextArea(lines=2))
        self.with_follow_up.toggled.connect(self._toggle)
        self._toggle(False)
        self.finish()

    def _toggle(self, on: bool) -> None:
        self.due.setEnabled(on)
        self.note.setEnabled(on)

    def problems(self) -> list[tuple[QWidget, str]]:
        p: list[tuple[QWidget, str]] = []
        if not self.reason.text().strip():
            p.append((self.reason, tr("終結の理由を入力してください")))
        err = _date_problem(self.on, required=True, future_ok=False)
        if err:
            p.append((self.on, err))
        if self.with_follow_up.isChecked():
            err = _date_problem(self.due, required=True, future_ok=True)
            if err:
                p.append((self.due, err))
        return p

    def write(self) -> None:
        on, _ = self.on.parsed()
        records = self.session.records
        records.close_case(self.case_id, self.reason.text().strip(), on=on)
        if self.with_follow_up.isChecked():
            due, _ = self.due.parsed()
            records.add_follow_up(self.case_id, due, self.note.text().strip())


class ReopenCaseDialog(_CaseDialog):
    """再開: a reason is required."""

    def __init__(self, session: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, tr("ケースの再開"), parent)
        self.reason = self.form.row(tr("再開の理由（必須）"), TextArea())
        self.on = self.form.row(tr("再開日"), DateEdit())
        self.on.setValue(dt.date.today())
        self.finish()

    def problems(self) -> list[tuple[QWidget, str]]:
        p: list[tuple[QWidget, str]] = []
        if not self.reason.text().strip():
            p.append((self.reason, tr("再開の理由を入力してください")))
        err = _date_problem(self.on, required=True, future_ok=False)
        if err:
            p.append((self.on, err))
        return p

    def write(self) -> None:
        on, _ = self.on.parsed()
        self.session.records.reopen_case(self.case_id, self.reason.text().strip(), on=on)


class FollowUpDialog(_CaseDialog):
    """継続支援の予定: a date (today or later) and a note."""

    def __init__(self, session: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, case_id, tr("継続支援の予定"), parent)
        self.due = self.form.row(tr("予定日"), DateEdit())
        self.due.setValue(dt.date.today() + dt.timedelta(days=FOLLOW_UP_DEFAULT_DAYS))
        self.note = self.form.row(tr("内容のメモ"), TextArea(lines=2))
        self.follow_up_id: int | None = None
        self.finish()

    def problems(self) -> list[tuple[QWidget, str]]:
        err = _date_problem(self.due, required=True, future_ok=True)
        return [(self.due, err)] if err else []

    def write(self) -> None:
        due, _ = self.due.parsed()
        self.follow_up_id = self.session.records.add_follow_up(
            self.case_id, due, self.note.text().strip()
        )


def _run(dialog: _CaseDialog) -> bool:
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if lock.is_locking():
        return False
    dialog.deleteLater()
    return accepted


def close_case(parent: QWidget, session: Any, case_id: int) -> bool:
    """Ask for the reason (and an optional follow-up date) and close the case."""
    return _run(CloseCaseDialog(session, case_id, parent))


def reopen_case(parent: QWidget, session: Any, case_id: int) -> bool:
    """Ask for the reason and reopen the case."""
    return _run(ReopenCaseDialog(session, case_id, parent))


def schedule_follow_up(parent: QWidget, session: Any, case_id: int) -> int | None:
    """Ask for a date and a note; returns the follow-up id, or None if cancelled."""
    dialog = FollowUpDialog(session, case_id, parent)
    return dialog.follow_up_id if _run(dialog) else None
