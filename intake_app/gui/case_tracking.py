"""The case view's 「確認・記録」 tab: what a case follows after the consultation
(issue 18), and the dialogs that record it through ``session.tracking``.

- the 支援措置's checklist of places (confirm each: when, how; by the user of the day),
  and how the measure ended;
- the 追及 log (an enquiry by someone who may be the perpetrator);
- the court: the §14② request, the day the report was sent, the §15④ notice of an
  issued order, a breach;
- 一時保護 (a man: the city's 緊急一時避難): what became of a request.

Every dialog is reached by keyboard (Tab, Enter on a row), shows what is missing under
the field in one Japanese sentence, and writes in one audited transaction on OK. The
domain's checks (``domain.tracking.check_*``) decide; ``InvalidRecord.errors`` name the
record's fields, which map to the dialog's widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.court import CourtRequest
from intake_app.domain.errors import UserError
from intake_app.domain.japanese import wareki
from intake_app.domain.tracking import (
    ANSWERS,
    CHECK_METHODS,
    END_REASONS,
    IDENTITY_CHECKS,
    ORDER_TYPES,
    POLICE_TOLD,
    SHELTER_STATUSES,
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    ShelterOutcome,
    afterwards_choices,
    orders_label,
    shelter_route,
    shelter_topic,
)
from intake_app.gui import lock
from intake_app.gui.intake.widgets import (
    ChoiceCombo,
    DateEdit,
    FieldForm,
    NumberEdit,
    TextArea,
    TriCombo,
    tr,
)
from intake_app.gui.screen_fit import fit_to_screen
from intake_app.store.tracking import InvalidRecord


def _day(value: dt.date | None) -> str:
    return wareki(value) if value is not None else tr("未記録")


class _RecordDialog(QDialog):
    """A record typed at the fields; on OK the store checks and writes it, and each
    refused field shows its sentence under it."""

    def __init__(self, session: Any, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(title)
        self.setModal(True)
        self.setStyleSheet(
            "QWidget { font-size: 13pt; } QLabel#fieldError { color: #b00020; font-weight: bold; }"
        )
        self.layout_ = QVBoxLayout(self)
        self.form = FieldForm()
        self.layout_.addWidget(self.form)
        self.fields: dict[str, QWidget] = {}  # the record's attribute -> its widget
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("記録する"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("やめる"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.saved_id: int | None = None

    def field(self, name: str, label: str, widget: Any) -> Any:
        self.fields[name] = self.form.row(label, widget)
        return widget

    def finish(self) -> None:
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)
        fit_to_screen(self, 700, self.sizeHint().height())

    def write(self) -> None:
        """Build the record from the fields and save it (raises InvalidRecord)."""

    def unreadable(self) -> list[tuple[QWidget, str]]:
        """Dates or numbers that cannot be read at all (the domain checks the rest)."""
        out: list[tuple[QWidget, str]] = []
        for widget in self.fields.values():
            err = widget.input_error() if hasattr(widget, "input_error") else ""
            if err:
                out.append((widget, err))
        return out

    def submit(self) -> None:
        for widget in self.form.errors:
            self.form.set_error(widget, "")
        self.message.setVisible(False)
        problems = self.unreadable()
        if not problems:
            try:
                self.write()
            except InvalidRecord as exc:
                problems = [
                    (self.fields[e.field], e.message) for e in exc.errors if e.field in self.fields
                ]
                if not problems:
                    self.message.setText(exc.message)
                    self.message.setVisible(True)
                    return
            except UserError as exc:
                self.message.setText(exc.message)
                self.message.setVisible(True)
                return
        if problems:
            for widget, message in problems:
                self.form.set_error(widget, message)
            problems[0][0].setFocus()
            return
        self.accept()

    def errors_shown(self) -> dict[str, str]:
        """The sentence under each field (tests and screen readers)."""
        return {
            name: self.form.errors[w].text()
            for name, w in self.fields.items()
            if self.form.errors[w].text()
        }


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def _pick() -> str:
    return tr("（選んでください）")


class PlaceDialog(_RecordDialog):
    """A place of the 支援措置's checklist confirmed: when, how (the user is who)."""

    def __init__(self, session: Any, check: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("支援措置の確認先: {}").format(check.place_name), parent)
        self.check_id = check.id
        self.confirmed_on = self.field("confirmed_on", tr("確認日"), DateEdit())
        self.confirmed_on.setValue(check.confirmed_on or dt.date.today())
        self.method = self.field(
            "method",
            tr("確認の方法"),
            ChoiceCombo(_choices(CHECK_METHODS), unknown_label=_pick()),
        )
        self.method.setValue(check.method)
        self.note = self.field("note", tr("メモ（相手の部署・担当など）"), QLineEdit(check.note))
        self.finish()

    def write(self) -> None:
        record = PlaceConfirmation(
            self.confirmed_on.value(), self.method.value(), self.note.text().strip()
        )
        self.session.tracking.confirm_place(self.check_id, record)


class MeasureEndDialog(_RecordDialog):
    """How the 支援措置 ended: the renewal reminder stops only with this record."""

    def __init__(self, session: Any, measure: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("支援措置の終了"), parent)
        self.measure_id = measure.id
        self.ended_on = self.field("ended_on", tr("終了日"), DateEdit())
        self.ended_on.setValue(dt.date.today())
        self.reason = self.field(
            "reason", tr("終了の理由"), ChoiceCombo(_choices(END_REASONS), unknown_label=_pick())
        )
        self.finish()

    def write(self) -> None:
        record = MeasureEnd(self.ended_on.value(), self.reason.value())
        self.session.tracking.end_measure(self.measure_id, record)


class PursuitDialog(_RecordDialog):
    """追及への対応: one enquiry about the client. The product suggests: nothing disclosed."""

    def __init__(
        self, session: Any, case_id: int, parent: QWidget | None = None, record: Any = None
    ) -> None:
        title = (
            tr("追及の記録を訂正")
            if record is not None
            else tr("追及の記録（加害者からの問い合わせ）")
        )
        super().__init__(session, title, parent)
        self.case_id = case_id
        self.record = record  # a saved record to correct, or None for a new one
        self.asked_at = self.field("asked_at", tr("問い合わせの日時"), DateEdit(with_time=True))
        self.asked_at.setValue(dt.datetime.now().replace(second=0, microsecond=0))
        self.counter = self.field("counter", tr("窓口・部署"), QLineEdit())
        self.asker = self.field(
            "asker", tr("名乗った名前・続柄（名乗らなければ「名乗らず」）"), QLineEdit()
        )
        self.identity_check = self.field(
            "identity_check",
            tr("本人確認"),
            ChoiceCombo(_choices(IDENTITY_CHECKS), unknown_label=_pick()),
        )
        self.identity_note = self.field("identity_note", tr("本人確認のメモ"), QLineEdit())
        self.answer = self.field(
            "answer", tr("回答した内容"), ChoiceCombo(_choices(ANSWERS), unknown_label=None)
        )
        self.answer.setValue("nothing")
        self.answer_note = self.field("answer_note", tr("伝えた内容"), TextArea(lines=2))
        self.police = self.field("police_told", tr("警察へ伝えたか"), TriCombo())
        if record is not None:
            e = record.entry
            self.asked_at.setValue(e.asked_at)
            self.counter.setText(e.counter)
            self.asker.setText(e.asker)
            self.identity_check.setValue(e.identity_check)
            self.identity_note.setText(e.identity_note)
            self.answer.setValue(e.answer)
            self.answer_note.setText(e.answer_note)
            self.police.setValue(e.police_told)
        self.finish()

    def write(self) -> None:
        asked = self.asked_at.value()
        entry = PursuitEntry(
            asked_at=asked if isinstance(asked, dt.datetime) else None,
            counter=self.counter.text(),
            asker=self.asker.text(),
            identity_check=self.identity_check.value(),
            identity_note=self.identity_note.text(),
            answer=self.answer.value(),
            answer_note=self.answer_note.text(),
            police_told=self.police.value(),
        )
        if self.record is not None:
            self.session.tracking.correct_pursuit(self.record.id, entry)
            self.saved_id = self.record.id
            return
        self.saved_id = self.session.tracking.add_pursuit(self.case_id, entry)


class PolicePursuitDialog(_RecordDialog):
    """The later answer to 「警察へ伝えたか」 on a 追及 record (home asks until it is given)."""

    def __init__(self, session: Any, record: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("追及の記録: 警察への連絡"), parent)
        self.pursuit_id = record.id
        self.police = self.field("police_told", tr("警察へ伝えたか"), TriCombo())
        self.police.setValue(record.entry.police_told)
        self.finish()

    def write(self) -> None:
        self.session.tracking.set_pursuit_police(self.pursuit_id, self.police.value())


class CourtRequestDialog(_RecordDialog):
    """The court's §14② request for a written report, as its letter gives it."""

    def __init__(
        self, session: Any, case_id: int, parent: QWidget | None = None, record: Any = None
    ) -> None:
        title = (
            tr("裁判所からの照会の記録を訂正")
            if record is not None
            else tr("裁判所からの照会（第14条第2項）")
        )
        super().__init__(session, title, parent)
        self.case_id = case_id
        self.record = record  # a saved request to correct, or None for a new one
        self.court = self.field("court", tr("裁判所"), QLineEdit())
        self.division = self.field("division", tr("部・係"), QLineEdit())
        self.case_number = self.field("case_number", tr("事件番号"), QLineEdit())
        self.requested_on = self.field("requested_on", tr("照会日（書面の日付）"), DateEdit())
        self.received_on = self.field("received_on", tr("受け取った日"), DateEdit())
        self.received_on.setValue(dt.date.today())
        if record is not None:
            q = record.request
            self.court.setText(q.court)
            self.division.setText(q.division)
            self.case_number.setText(q.case_number)
            self.requested_on.setValue(q.requested_on)
            self.received_on.setValue(q.received_on)
        self.finish()

    def write(self) -> None:
        request = CourtRequest(
            court=self.court.text(),
            division=self.division.text(),
            case_number=self.case_number.text(),
            requested_on=self.requested_on.value(),
            received_on=self.received_on.value(),
        )
        if self.record is not None:
            self.session.tracking.correct_court_request(self.record.id, request)
            self.saved_id = self.record.id
            return
        self.saved_id = self.session.tracking.add_court_request(self.case_id, request)


class ReportSentDialog(_RecordDialog):
    """The day the written report was sent to the court."""

    def __init__(self, session: Any, record: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("書面の送付日"), parent)
        self.request_id = record.id
        self.sent_on = self.field("sent_on", tr("書面を送った日"), DateEdit())
        self.sent_on.setValue(record.report_sent_on or dt.date.today())
        self.finish()

    def write(self) -> None:
        self.session.tracking.record_report_sent(self.request_id, self.sent_on.value())


class OrderDialog(_RecordDialog):
    """The §15④ notice of an issued order; its end and the reminder follow from it."""

    def __init__(self, session: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("保護命令発令の通知（第15条第4項）"), parent)
        self.case_id = case_id
        self.notified_on = self.field("notified_on", tr("通知を受けた日"), DateEdit())
        self.notified_on.setValue(dt.date.today())
        self.issued_on = self.field("issued_on", tr("発令日（効力が生じた日）"), DateEdit())
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.order_boxes: dict[str, QCheckBox] = {}
        for code, text in ORDER_TYPES.items():
            check = QCheckBox(text)
            self.order_boxes[code] = check
            lay.addWidget(check)
        self.field("orders", tr("発令された命令"), box)
        self.eviction_months = self.field(
            "eviction_months",
            tr("退去等命令の期間"),
            ChoiceCombo([(2, tr("2か月")), (6, tr("6か月"))], unknown_label=_pick()),
        )
        self.finish()

    def write(self) -> None:
        notice = OrderNotice(
            notified_on=self.notified_on.value(),
            issued_on=self.issued_on.value(),
            orders=tuple(c for c, box in self.order_boxes.items() if box.isChecked()),
            eviction_months=self.eviction_months.value(),
        )
        self.saved_id = self.session.tracking.add_order(self.case_id, notice)


class BreachDialog(_RecordDialog):
    """A breach of the order that the client reported (a crime: 第29条; she calls 110)."""

    def __init__(self, session: Any, order: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, tr("保護命令の違反"), parent)
        self.order_id = order.id
        self.occurred_on = self.field("occurred_on", tr("違反があった日"), DateEdit())
        self.occurred_on.setValue(dt.date.today())
        self.what = self.field("what", tr("違反の内容"), TextArea(lines=2))
        self.police = self.field("police_told", tr("警察へ伝えたか"), TriCombo())
        self.finish()

    def write(self) -> None:
        breach = Breach(self.occurred_on.value(), self.what.text(), self.police.value())
        self.saved_id = self.session.tracking.add_breach(self.order_id, breach)


class ShelterDialog(_RecordDialog):
    """A request for 一時保護 (a man: 緊急一時避難) and what became of it."""

    def __init__(
        self,
        session: Any,
        case_id: int,
        gender: str | None,
        record: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        route = record.outcome.route if record is not None else shelter_route(gender)
        topic = shelter_topic(route)
        super().__init__(session, tr("{}の依頼と結果").format(topic), parent)
        self.case_id = case_id
        self.route = route
        self.outcome_id = record.id if record is not None else None
        old: ShelterOutcome = (
            record.outcome if record is not None else ShelterOutcome(route, dt.date.today())
        )
        self.requested_on = self.field("requested_on", tr("依頼した日"), DateEdit())
        self.requested_on.setValue(old.requested_on)
        statuses = {k: v for k, v in SHELTER_STATUSES.items() if k != "unknown" or record}
        self.status = self.field(
            "status", tr("結果"), ChoiceCombo(_choices(statuses), unknown_label=None)
        )
        self.status.setValue(old.status)
        self.decided_on = self.field("decided_on", tr("結果が出た日"), DateEdit())
        self.decided_on.setValue(old.decided_on)
        self.declined_reason = self.field(
            "declined_reason", tr("受け入れられなかった理由"), QLineEdit(old.declined_reason)
        )
        self.entered_on = self.field("entered_on", tr("入所日"), DateEdit())
        self.entered_on.setValue(old.entered_on)
        self.left_on = self.field("left_on", tr("退所日"), DateEdit())
        self.left_on.setValue(old.left_on)
        self.persons = self.field("persons", tr("人数（本人と同行の大人）"), NumberEdit())
        self.persons.setValue(old.persons)
        self.child_count = self.field("children", tr("同伴児童の人数"), NumberEdit())
        self.child_count.setValue(old.children)
        self.afterwards = self.field(
            "afterwards",
            tr("退所後の行き先（区分のみ。住所は記録しません）"),
            ChoiceCombo(_choices(afterwards_choices(route)), unknown_label=tr("（未定・未記録）")),
        )
        self.afterwards.setValue(old.afterwards)
        self.finish()

    def write(self) -> None:
        outcome = ShelterOutcome(
            route=self.route,
            requested_on=self.requested_on.value(),
            status=self.status.value(),
            decided_on=self.decided_on.value(),
            declined_reason=self.declined_reason.text(),
            entered_on=self.entered_on.value(),
            left_on=self.left_on.value(),
            persons=self.persons.value(),
            children=self.child_count.value(),
            afterwards=self.afterwards.value(),
        )
        self.saved_id = self.session.tracking.save_shelter(
            self.case_id, outcome, outcome_id=self.outcome_id
        )


def run_dialog(dialog: _RecordDialog) -> bool:
    """Show ``dialog`` modally; True when a record was written."""
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if lock.is_locking():
        return False
    dialog.deleteLater()
    return accepted


# --- the tab ------------------------------------------------------------------------------


class _Rows(QTableWidget):
    """The tab's list; Enter on a row opens its dialog."""

    def __init__(self, activate: Callable[[int], None]) -> None:
        super().__init__(0, 3)
        self._activate = activate
        self.setHorizontalHeaderLabels([tr("記録"), tr("日付"), tr("内容・状態")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAccessibleName(tr("このケースの確認・記録"))
        self.doubleClicked.connect(lambda index: self._activate(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._activate(self.currentRow())
            return
        super().keyPressEvent(event)


class TrackingTab(QWidget):
    """Every tracking record of the case, with what can be recorded next; ``changed``
    is emitted after a record was written (the window opens the case again)."""

    changed = Signal()

    def __init__(
        self,
        session: Any,
        case_id: int,
        gender: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trackingTab")
        self.session = session
        self.case_id = case_id
        self.gender = gender
        self.row_actions: list[tuple[str, Callable[[], _RecordDialog] | None]] = []
        # per row: the dialog that corrects the saved record, where it can be corrected
        self.row_corrections: list[Callable[[], _RecordDialog] | None] = []
        layout = QVBoxLayout(self)
        self.rows = _Rows(self.activate)
        layout.addWidget(self.rows, 1)
        hint = QLabel(
            tr(
                "行を選んで Enter で確認・結果を記録します。追及と照会の記録は"
                "「選んだ記録を訂正…」で直せます（訂正は監査ログに残ります）。"
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, factory in (
            ("pursuit", tr("追及を記録…"), lambda: PursuitDialog(session, case_id, self)),
            ("court", tr("裁判所からの照会…"), lambda: CourtRequestDialog(session, case_id, self)),
            ("order", tr("保護命令の通知…"), lambda: OrderDialog(session, case_id, self)),
            (
                "shelter",
                tr("避難の依頼…"),
                lambda: ShelterDialog(session, case_id, gender, None, self),
            ),
        ):
            button = QPushButton(text)
            button.setObjectName(f"tracking_{key}")
            button.clicked.connect(lambda _=False, f=factory: self.open(f()))
            buttons.addWidget(button)
            self.buttons[key] = button
        self.correct_button = QPushButton(tr("選んだ記録を訂正…"))
        self.correct_button.setObjectName("tracking_correct")
        self.correct_button.setAccessibleName(tr("選んだ追及または照会の記録を訂正する"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.correct_button.setEnabled(False)
        buttons.addWidget(self.correct_button)
        self.buttons["correct"] = self.correct_button
        self.rows.currentCellChanged.connect(lambda *_: self._update_correct())
        # a measure saved without a checklist (before the settings listed places)
        self.checklist_button = QPushButton(tr("確認先の一覧を作る"))
        self.checklist_button.setObjectName("tracking_checklist")
        self.checklist_button.clicked.connect(self.start_checklist)
        self.checklist_button.setVisible(False)
        buttons.addWidget(self.checklist_button)
        self.buttons["checklist"] = self.checklist_button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.unlisted: int | None = None
        self.load()

    def start_checklist(self) -> None:
        """The settings' places as the checklist of the measure that has none."""
        if self.unlisted is None:
            return
        try:
            added = self.session.tracking.start_checklist(self.unlisted)
        except UserError as exc:
            self.checklist_button.setToolTip(exc.message)
            return
        if added:
            self.changed.emit()

    def _update_correct(self) -> None:
        row = self.rows.currentRow()
        self.correct_button.setEnabled(
            0 <= row < len(self.row_corrections) and self.row_corrections[row] is not None
        )

    def correct_selected(self) -> None:
        """Correct the saved record of the selected row (追及, 裁判所からの照会)."""
        row = self.rows.currentRow()
        if 0 <= row < len(self.row_corrections):
            factory = self.row_corrections[row]
            if factory is not None:
                self.open(factory())

    def load(self) -> None:
        data = self.session.tracking.case(self.case_id)
        self.row_actions = []
        self.row_corrections = []
        self.rows.setRowCount(0)
        newest = data.measure
        self.unlisted = (
            newest.id
            if newest is not None and not newest.checks and newest.ended_on is None
            else None
        )
        self.checklist_button.setVisible(self.unlisted is not None)
        for measure in data.measures:
            state = (
                tr("終了（{}）").format(END_REASONS.get(measure.end_reason or "", ""))
                if measure.ended_on
                else tr("期限 {}").format(wareki(measure.expires_on))
            )
            self._add(
                tr("支援措置"),
                measure.applied_on,
                state,
                None
                if measure.ended_on
                else partial(MeasureEndDialog, self.session, measure, self),
            )
            for check in measure.checks:
                how = CHECK_METHODS.get(check.method or "", "")
                state = (
                    tr("確認済み（{}・{}）").format(how, check.confirmed_by_name)
                    if check.confirmed
                    else tr("未確認")
                )
                self._add(
                    tr("確認先: {}").format(check.place_name),
                    check.confirmed_on,
                    state,
                    partial(PlaceDialog, self.session, check, self),
                )
        for p in data.pursuits:
            e = p.entry
            self._add(
                tr("追及: {}").format(e.counter),
                e.asked_at.date() if e.asked_at else None,
                tr("{}／{}／警察: {}").format(
                    e.asker, ANSWERS.get(e.answer or "", ""), POLICE_TOLD[e.police_told]
                ),
                partial(PolicePursuitDialog, self.session, p, self),
                partial(PursuitDialog, self.session, self.case_id, self, p),
            )
        for r in data.court_requests:
            q = r.request
            self._add(
                tr("裁判所からの照会: {}").format(q.court),
                q.received_on,
                tr("{} {}／書面の送付: {}").format(
                    q.division, q.case_number, _day(r.report_sent_on)
                ),
                partial(ReportSentDialog, self.session, r, self),
                partial(CourtRequestDialog, self.session, self.case_id, self, r),
            )
        for o in data.court_orders:
            n = o.notice
            ends = n.ends_on()
            self._add(
                tr("保護命令"),
                n.issued_on,
                tr("{}／終わり {}／違反 {}件").format(
                    orders_label(n.orders), _day(ends), len(o.breaches)
                ),
                partial(BreachDialog, self.session, o, self),
            )
        for s in data.shelters:
            out = s.outcome
            self._add(
                shelter_topic(out.route),
                out.requested_on,
                SHELTER_STATUSES.get(out.status, out.status),
                partial(ShelterDialog, self.session, self.case_id, self.gender, s, self),
            )

    def _add(
        self,
        what: str,
        day: dt.date | None,
        state: str,
        action: Callable[[], _RecordDialog] | None,
        correction: Callable[[], _RecordDialog] | None = None,
    ) -> None:
        r = self.rows.rowCount()
        self.rows.insertRow(r)
        for c, text in enumerate((what, wareki(day) if day else "", state)):
            self.rows.setItem(r, c, QTableWidgetItem(text))
        self.row_actions.append((what, action))
        self.row_corrections.append(correction)

    def activate(self, row: int) -> None:
        if 0 <= row < len(self.row_actions):
            factory = self.row_actions[row][1]
            if factory is not None:
                self.open(factory())

    def open(self, dialog: _RecordDialog) -> None:
        if run_dialog(dialog):
            self.changed.emit()


def install_tracking(view: Any, session: Any, gender: str | None) -> TrackingTab | None:
    """Add the 「確認・記録」 tab to a case view (an audited read of its records); connect
    its ``changed`` to open the case again."""
    case_id = getattr(view, "case_id", None)
    if case_id is None or session is None:
        return None
    tab = TrackingTab(session, case_id, gender)
    view.tabs.addTab(tab, tr("確認・記録"))
    view.tracking_tab = tab
    return tab
