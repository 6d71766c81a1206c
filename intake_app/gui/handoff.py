"""Hand-off screens: send a case (from the case view), 「引継ぎの受け取り」 (from the main
window), the received history on a handed-over case, and the supervisor's known centres.

Every dialog is modal, parented to the window that opened it (a lock closes it), driven
by the keyboard (mnemonics, a default button, Esc closes) and every field has a label
whose buddy it is or an accessible name. The store does the work
(``intake_app.store.handoff``); refusals come back as one Japanese sentence, shown under
the form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import UserError
from intake_app.domain.handoff_content import (
    MINIMUM_FIELDS,
    OPTIONAL_FIELDS,
    SENSITIVE_FIELDS,
    consultation_rows,
    field_label,
    summary_lines,
)
from intake_app.domain.handoff_format import HandoffError
from intake_app.domain.japanese import wareki
from intake_app.gui import file_dialogs
from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.lock import is_locking
from intake_app.gui.screen_fit import fit_to_screen
from intake_app.store import handoff

SEND_KEY_NAME = "Alt+G"
RECEIVE_KEY_NAME = "Alt+J"
ERROR_STYLE = "color: #a00000;"


def tr(text: str) -> str:
    return QCoreApplication.translate("Handoff", text)


# File choices and questions are module attributes so tests can answer them.
def choose_folder(parent: QWidget, title: str) -> Path | None:
    return file_dialogs.choose_folder(parent, title)


def choose_open_file(parent: QWidget, title: str, pattern: str) -> Path | None:
    return file_dialogs.choose_open_file(parent, title, pattern)


def choose_save_file(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    return file_dialogs.choose_save_file(parent, title, suggested, pattern)


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _message(exc: BaseException) -> str:
    return exc.message if isinstance(exc, UserError) else tr("処理を完了できませんでした。")


def _error_label(name: str) -> QLabel:
    label = StatusLabel(tr("お知らせ"), urgent=True)  # the message is read with the name
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setVisible(False)
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _date_text(iso: str) -> str:
    try:
        return wareki(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)  # the long text (内容, 詳細) gets the room
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


def history_widget(content: dict[str, Any], parent: QWidget | None = None) -> QWidget:
    """What came with a package (read-only): the summary and the earlier consultations."""
    widget = QWidget(parent)
    layout = QVBoxLayout(widget)
    summary = _table(tr("引継ぎで届いた本人の情報"), [tr("項目"), tr("内容")])
    _fill(summary, [[label, text] for label, text in summary_lines(content)])
    summary.setObjectName("handoffSummary")
    history = _table(
        tr("引継ぎ元での相談の経過（読み取り専用）"),
        [tr("相談日"), tr("種別"), tr("方法"), tr("危険度"), tr("保護命令"), tr("詳細")],
    )
    history.setObjectName("handoffHistory")
    header = history.horizontalHeader()
    for column in (4, 5):  # 保護命令 and 詳細 wrap in the room left
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    _fill(
        history,
        [
            [
                _date_text(r["consulted_on"]),
                r["kind"],
                r["channel"],
                r["risk"],
                r["protection_order"],
                r["details"],
            ]
            for r in consultation_rows(content)
        ],
    )
    title = QLabel(tr("引継ぎ元での相談の経過（読み取り専用）"))
    title.setObjectName("sectionTitle")
    layout.addWidget(summary, 2)
    layout.addWidget(title)
    layout.addWidget(history, 3)
    return widget


# -- sending ---------------------------------------------------------------------------------


class SendDialog(QDialog):
    """Choose the centre, what goes and the client's consent; write one file."""

    sent = Signal(object)  # store.handoff.SentPackage

    def __init__(
        self,
        session: Any,
        case_id: int,
        municipality: Any,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        gender: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoffSendDialog")
        self.gender = gender  # the client's: a man's case never names 一時保護
        self.setWindowTitle(tr("他のセンターへ引継ぎ"))
        self.session = session
        self.case_id = case_id
        self.municipality = municipality
        self.today = today or dt.date.today()
        self.result_package: handoff.SentPackage | None = None
        self.preview: QWidget | None = None
        self.centres = handoff.known_centres(session)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.centre_box = QComboBox()
        self.centre_box.setObjectName("handoffCentre")
        for centre in self.centres:
            self.centre_box.addItem(
                tr("{}（{}）　確認番号 {}…").format(
                    centre.display_name, centre.municipality, centre.fingerprint[:9]
                ),
                centre.fingerprint,
            )
        centre_label = QLabel(tr("宛先のセンター(&C)"))
        centre_label.setBuddy(self.centre_box)
        form.addRow(centre_label, self.centre_box)
        layout.addLayout(form)
        self.notice = StatusLabel(tr("暗号化についてのお知らせ"))
        self.notice.setObjectName("handoffNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        # the fields and the consent scroll: the dialog fits a 1366×728 screen
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        group = QGroupBox(
            tr("送る項目（最小限の項目は必ず送ります。ほかは本人と確かめてから選んでください）")
        )
        grid = QGridLayout(group)
        self.field_boxes: dict[str, QCheckBox] = {}
        items = [(f, field_label(f, gender), True) for f in MINIMUM_FIELDS] + [
            (f, field_label(f, gender), False) for f in OPTIONAL_FIELDS
        ]
        for i, (field_id, label, minimum) in enumerate(items):
            text = (
                ("※" + label + tr("（居場所が分かる情報）"))
                if field_id in SENSITIVE_FIELDS
                else label
            )
            box = QCheckBox(text)
            box.setObjectName(f"field_{field_id}")
            box.setAccessibleName(text)
            box.setChecked(minimum)
            box.setEnabled(not minimum)
            if field_id in SENSITIVE_FIELDS:
                box.setStyleSheet(ERROR_STYLE)
            grid.addWidget(box, i // 2, i % 2)
            self.field_boxes[field_id] = box
        body_layout.addWidget(group)

        consent = QGroupBox(tr("本人の同意（同意がなければ書き出せません）"))
        cform = QFormLayout(consent)
        self.consent_method = QComboBox()
        self.consent_method.setObjectName("consentMethod")
        self.consent_method.addItem(tr("口頭"), "verbal")
        self.consent_method.addItem(tr("書面"), "written")
        method_label = QLabel(tr("同意の方法(&M)"))
        method_label.setBuddy(self.consent_method)
        cform.addRow(method_label, self.consent_method)
        self.consent_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.consent_at.setObjectName("consentAt")
        self.consent_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.consent_at.setCalendarPopup(True)
        at_label = QLabel(tr("同意を得た日時(&T)"))
        at_label.setBuddy(self.consent_at)
        cform.addRow(at_label, self.consent_at)
        self.consent_given = QCheckBox(tr("本人がこの引継ぎと送る項目に同意しました(&Y)"))
        self.consent_given.setObjectName("consentGiven")
        self.consent_given.setAccessibleName(tr("本人がこの引継ぎと送る項目に同意しました"))
        cform.addRow(self.consent_given)
        body_layout.addWidget(consent)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

        folder_row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("handoffFolder")
        folder_label = QLabel(tr("保存先のフォルダ（USBメモリなど）(&F)"))
        folder_label.setBuddy(self.folder)
        self.browse = QPushButton(tr("選ぶ…(&B)"))
        self.browse.setAccessibleName(tr("保存先のフォルダを選ぶ"))
        self.browse.clicked.connect(self._browse)
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        layout.addLayout(folder_row)

        self.error = _error_label("handoffSendError")
        layout.addWidget(self.error)
        self.done_label = StatusLabel(tr("書き出した引継ぎファイル"))
        self.done_label.setObjectName("handoffSent")
        self.done_label.setWordWrap(True)
        self.done_label.setVisible(False)
        layout.addWidget(self.done_label)

        buttons = QHBoxLayout()
        self.write_button = QPushButton(tr("暗号化して書き出す(&W)"))
        self.write_button.setObjectName("handoffWrite")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        self.letter_button = QPushButton(tr("引継書を印刷(&L)"))
        self.letter_button.setObjectName("handoffLetter")
        self.letter_button.setAccessibleName(tr("引継書（送付状）を印刷"))
        self.letter_button.setEnabled(False)
        self.letter_button.clicked.connect(self.print_letter)
        self.close_button = QPushButton(tr("閉じる"))
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for b in (self.write_button, self.letter_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self.centre_box.currentIndexChanged.connect(self._update_notice)
        self._update_notice()
        if not self.centres:
            _show(
                self.error,
                tr(
                    "引継ぎ先のセンターが登録されていません。管理者が管理者メニューの"
                    "「引継ぎ先センター」で相手の公開カードを取り込んでから送ってください。"
                ),
            )
            self.write_button.setEnabled(False)
        fit_to_screen(self, 1100, 760)
        self.centre_box.setFocus()

    def _update_notice(self) -> None:
        centre = self.selected_centre()
        self.notice.setText(
            tr(
                "書き出すファイルは「{}」だけが開けるように暗号化され、このセンターの鍵で署名されます。"
                "ファイル名には本人のことは何も含まれず、この保管庫には写しを残しません。"
            ).format(centre.display_name)
            if centre is not None
            else ""
        )

    def selected_centre(self) -> handoff.KnownCentre | None:
        fp = self.centre_box.currentData()
        return next((c for c in self.centres if c.fingerprint == fp), None)

    def extra_fields(self) -> list[str]:
        return [f for f in OPTIONAL_FIELDS if self.field_boxes[f].isChecked()]

    def _browse(self) -> None:
        folder = choose_folder(self, tr("引継ぎファイルの保存先"))
        if is_locking():
            return
        if folder is not None:
            self.folder.setText(str(folder))

    def write(self) -> handoff.SentPackage | None:
        centre = self.selected_centre()
        _show(self.error, "")
        if centre is None:
            return None
        if not self.consent_given.isChecked():
            _show(
                self.error,
                tr(
                    "本人の同意がないため書き出せません。同意を得たら、方法と日時を記録してください。"
                ),
            )
            self.consent_given.setFocus()
            return None
        if not self.folder.text().strip():
            _show(self.error, tr("保存先のフォルダを選んでください。"))
            self.folder.setFocus()
            return None
        at = self.consent_at.dateTime().toPython()
        consent = handoff.Consent(str(self.consent_method.currentData()), at)  # type: ignore[arg-type]
        try:
            sent = handoff.send_case(
                self.session,
                self.case_id,
                to=centre.fingerprint,
                consent=consent,
                out=Path(self.folder.text().strip()),
                municipality=self.municipality,
                extra_fields=self.extra_fields(),
            )
        except (HandoffError, LookupError) as exc:
            _show(self.error, _message(exc))
            return None
        except Exception as exc:
            if not hasattr(exc, "message"):
                raise
            _show(self.error, _message(exc))
            return None
        self.result_package = sent
        self._consent = consent
        self.done_label.setText(
            tr(
                "書き出しました: {}\nこのファイルは「{}」だけが開けます。"
                "引継書を印刷して、ファイルとは別に渡してください。"
            ).format(sent.path, sent.receiver.display_name)
        )
        self.done_label.setVisible(True)
        for widget in (self.write_button, self.centre_box, self.folder, self.browse):
            widget.setEnabled(False)
        for box in self.field_boxes.values():
            box.setEnabled(False)
        self.letter_button.setEnabled(True)
        self.letter_button.setDefault(True)
        self.letter_button.setFocus()
        self.sent.emit(sent)
        return sent

    def letter_pdf(self) -> bytes:
        from intake_app.documents.handoff_letter import handoff_letter

        sent = self.result_package
        assert sent is not None
        own = handoff.identity(self.session)
        return handoff_letter(
            self.municipality,
            today=self.today,
            client_name=sent.client_name,
            receiver_name=sent.receiver.display_name,
            receiver_fingerprint=sent.receiver.fingerprint,
            sender_fingerprint=own.fingerprint if own else "",
            package_id=sent.package_id,
            file_name=sent.path.name,
            fields=sent.fields,
            consent_method=self._consent.method,
            consent_at=self._consent.at,
            counselor=getattr(self.session.user, "display_name", ""),  # never the login name
            gender=self.gender,
        )

    def print_letter(self) -> QWidget | None:
        """The 引継書 through the print preview (each print or export audited)."""
        from intake_app.documents.handoff_letter import KIND
        from intake_app.gui.print_preview import show_preview
        from intake_app.store.outputs import paper_recorder

        if self.result_package is None:
            return None
        self.preview = show_preview(
            self,
            self.letter_pdf(),
            tr("引継書"),
            paper_recorder(self.session, KIND, self.case_id),
            suggested_name="引継書.pdf",
        )
        return self.preview


def open_send(
    parent: QWidget, session: Any, case_id: int, municipality: Any, gender: str | None = None
) -> SendDialog | None:
    """The send dialog, modal; returns it after it closed (None when a lock came)."""
    dialog = SendDialog(session, case_id, municipality, parent, gender=gender)
    dialog.exec()
    if is_locking():
        return None
    dialog.deleteLater()
    return dialog


# -- receiving -------------------------------------------------------------------------------


class ReceiveDialog(QDialog):
    """Check a package completely, show it for review, then accept or decline it."""

    case_created = Signal(int)

    def __init__(
        self,
        session: Any,
        municipality: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoffReceiveDialog")
        self.setWindowTitle(tr("引継ぎの受け取り"))
        self.session = session
        self.checked: handoff.CheckedPackage | None = None
        self.accepted_case: handoff.Accepted | None = None
        fit_to_screen(self, 1100, 720)
        centres = handoff.known_centres(session)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "USBメモリなどの引継ぎファイルを選び、「検査する」を押してください。"
                "検査に通るまで、この保管庫には何も書き込みません。登録済みのセンター: {} か所"
            ).format(len(centres))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("handoffFile")
        path_label = QLabel(tr("引継ぎファイル(&F)"))
        path_label.setBuddy(self.path)
        self.browse = QPushButton(tr("選ぶ…(&B)"))
        self.browse.setAccessibleName(tr("引継ぎファイルを選ぶ"))
        self.browse.clicked.connect(self._browse)
        self.check_button = QPushButton(tr("検査する(&C)"))
        self.check_button.setObjectName("handoffCheck")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        row.addWidget(path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.error = _error_label("handoffReceiveError")
        layout.addWidget(self.error)
        self.sender_label = QLabel()
        self.sender_label.setObjectName("handoffSender")
        self.sender_label.setWordWrap(True)
        self.sender_label.setAccessibleName(tr("送り主と同意"))
        layout.addWidget(self.sender_label)
        self.review = QWidget()
        self.review_layout = QVBoxLayout(self.review)
        self.review_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.review, 100)
        layout.addStretch(1)  # keeps the form at the top while nothing is shown for review
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(tr("受け取って新しいケースにする(&A)"))
        self.accept_button.setObjectName("handoffAccept")
        self.accept_button.clicked.connect(self.accept_package)
        self.decline_button = QPushButton(tr("辞退する(&D)"))
        self.decline_button.setObjectName("handoffDecline")
        self.decline_button.clicked.connect(self.decline_package)
        close = QPushButton(tr("閉じる"))
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        for b in (self.accept_button, self.decline_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._reviewing(False)
        self.path.setFocus()

    def _reviewing(self, on: bool) -> None:
        self.accept_button.setEnabled(on)
        self.decline_button.setEnabled(on)
        self.sender_label.setVisible(on)
        self.review.setVisible(on)

    def _browse(self) -> None:
        path = choose_open_file(
            self, tr("引継ぎファイルを選ぶ"), tr("引継ぎファイル (*.ihp);;すべて (*)")
        )
        if is_locking():
            return
        if path is not None:
            self.path.setText(str(path))
            self.check()

    def _clear_review(self) -> None:
        while self.review_layout.count():
            item = self.review_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.checked = None
        self._reviewing(False)

    def check(self) -> handoff.CheckedPackage | None:
        """Every check; nothing is written. A refusal is one sentence under the file."""
        self._clear_review()
        _show(self.error, "")
        text = self.path.text().strip()
        if not text:
            _show(self.error, tr("引継ぎファイルを選んでください。"))
            return None
        try:
            checked = handoff.check_file(self.session, Path(text))
        except HandoffError as exc:
            _show(self.error, exc.message)
            return None
        self.checked = checked
        p = checked.payload
        self.sender_label.setText(
            tr(
                "送り主: {}（{}）　確認番号 {}\n作成: {}　本人の同意: {}（{}）\n"
                "署名と宛先を確かめました。内容を確認してから、受け取るか辞退するかを選んでください。"
            ).format(
                checked.sender.display_name,
                checked.sender.municipality,
                checked.sender.fingerprint,
                _date_text(p.created_at),
                tr("書面") if p.consent_method == "written" else tr("口頭"),
                p.consent_at[:16].replace("T", " "),
            )
        )
        self.review_layout.addWidget(history_widget(p.content))
        self._reviewing(True)
        self.accept_button.setFocus()
        return checked

    def accept_package(self) -> handoff.Accepted | None:
        if self.checked is None:
            return None
        try:
            accepted = handoff.accept(self.session, self.checked)
        except HandoffError as exc:
            self._clear_review()
            _show(self.error, exc.message)
            return None
        self.accepted_case = accepted
        self.case_created.emit(accepted.case_id)
        self.accept()
        return accepted

    def decline_package(self) -> bool:
        if self.checked is None:
            return False
        if not ask(
            self,
            tr("引継ぎを辞退する"),
            tr("この引継ぎファイルを辞退しますか。辞退したことだけを記録し、内容は残しません。"),
        ):
            return False
        if is_locking():
            return False
        try:
            handoff.decline(self.session, self.checked)
        except HandoffError as exc:
            self._clear_review()
            _show(self.error, exc.message)
            return False
        self._clear_review()
        _show(self.error, tr("辞退しました。"))
        return True


def open_receive(parent: QWidget, session: Any, municipality: Any = None) -> int | None:
    """The receive dialog, modal; the new case's id when a package was accepted."""
    dialog = ReceiveDialog(session, municipality, parent)
    dialog.exec()
    if is_locking():
        return None
    accepted = dialog.accepted_case
    dialog.deleteLater()
    return accepted.case_id if accepted is not None else None


# -- the case view ---------------------------------------------------------------------------


def install_received_history(view: Any, session: Any) -> QWidget | None:
    """On a handed-over case: the marker under the banner and a tab with what came
    (an audited read). Nothing on any other case."""
    case_id = getattr(view, "case_id", None)
    if case_id is None:
        return None
    record = handoff.received_record(session, case_id)
    if record is None:
        return None
    marker = QLabel(
        tr("他市区町村から引継ぎ（{}、{}）").format(
            record.sender.centre, _date_text(record.received_at)
        )
    )
    marker.setObjectName("handoffMarker")
    marker.setAccessibleName(tr("引継ぎで受け取ったケース"))
    marker.setStyleSheet("font-weight: bold;")
    view.layout().insertWidget(1, marker)
    view.handoff_marker = marker
    tab = history_widget(record.content)
    tab.setObjectName("handoffTab")
    view.tabs.insertTab(0, tab, tr("引継ぎ元の記録"))
    view.tabs.setCurrentIndex(0)
    return tab


# -- the supervisor's known centres ------------------------------------------------------------


class ImportCardDialog(QDialog):
    """Show a card's centre and fingerprint; import only once the fingerprint is confirmed."""

    def __init__(self, card: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoffImportCard")
        self.setWindowTitle(tr("公開カードの取り込み"))
        self.card = card
        layout = QVBoxLayout(self)
        info = QLabel(
            tr("センター: {}（{}）\nこのカードの確認番号:").format(card.centre, card.municipality)
        )
        info.setWordWrap(True)
        layout.addWidget(info)
        shown = StatusLabel(tr("このカードの確認番号"))  # the number is its description
        shown.setText(card.fingerprint)
        shown.setObjectName("cardFingerprint")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        shown.setStyleSheet("font-family: monospace; font-size: 20pt; font-weight: bold;")
        layout.addWidget(shown)
        how = QLabel(
            tr(
                "相手のセンターに電話し、確認番号を読み上げてもらってください。"
                "入力するか、画面の番号と一致することを確かめてください。"
            )
        )
        how.setWordWrap(True)
        layout.addWidget(how)
        form = QFormLayout()
        self.typed = QLineEdit()
        self.typed.setObjectName("typedFingerprint")
        typed_label = QLabel(tr("読み上げられた確認番号(&N)"))
        typed_label.setBuddy(self.typed)
        form.addRow(typed_label, self.typed)
        self.compared = QCheckBox(
            tr("画面の確認番号が、読み上げられた番号と一致することを確かめました(&K)")
        )
        self.compared.setObjectName("comparedFingerprint")
        self.compared.setAccessibleName(tr("確認番号の一致を確かめました"))
        form.addRow(self.compared)
        self.label = QLineEdit()
        self.label.setObjectName("centreLabel")
        label_label = QLabel(tr("見分けるためのメモ（任意。例: 相談室2のPC）(&L)"))
        label_label.setBuddy(self.label)
        form.addRow(label_label, self.label)
        layout.addLayout(form)
        self.error = _error_label("importCardError")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        ok = QPushButton(tr("取り込む(&I)"))
        ok.setObjectName("importCardOk")
        ok.setDefault(True)
        ok.clicked.connect(self._ok)
        cancel = QPushButton(tr("キャンセル"))
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.typed.setFocus()

    def confirmation(self) -> dict[str, Any] | None:
        typed = self.typed.text().strip()
        if typed:
            return {"typed_fingerprint": typed}
        if self.compared.isChecked():
            return {"compared": True}
        return None

    def _ok(self) -> None:
        from intake_app.domain.handoff_format import parse_fingerprint

        confirmation = self.confirmation()
        if confirmation is None:
            _show(
                self.error,
                tr("確認番号を入力するか、一致を確かめたことにチェックを入れてください。"),
            )
            return
        typed = confirmation.get("typed_fingerprint")
        if typed is not None:
            try:
                if parse_fingerprint(typed) != self.card.fingerprint_raw:
                    raise HandoffError("fingerprint_mismatch")
            except HandoffError as exc:
                _show(self.error, exc.message)
                return
        self.accept()


class CentresTab(QWidget):
    """管理者メニュー → 引継ぎ先センター: this centre's card and fingerprint, the known
    centres, importing (after the fingerprint check) and removing."""

    def __init__(self, session: Any, municipality: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("handoffCentresTab")
        self.session = session
        if municipality is None:
            from intake_app.gui.municipality import load_session_municipality

            municipality = load_session_municipality(session)
        self.municipality = municipality
        layout = QVBoxLayout(self)
        self.own = StatusLabel(tr("このセンターの確認番号"))
        self.own.setObjectName("ownFingerprint")
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.own)
        self.table = _table(
            tr("登録済みのセンター"),
            [tr("センター"), tr("市区町村"), tr("確認番号"), tr("確かめ方"), tr("登録日時")],
        )
        self.table.setObjectName("knownCentres")
        layout.addWidget(self.table, 1)
        self.message = _error_label("centresMessage")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(tr("このセンターの公開カードを書き出す…(&E)"))
        self.export_button.clicked.connect(self.export_card)
        self.import_button = QPushButton(tr("公開カードを取り込む…(&I)"))
        self.import_button.clicked.connect(self.import_card)
        self.remove_button = QPushButton(tr("選んだセンターの登録を外す(&X)"))
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.export_button, self.import_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        own = handoff.identity(self.session)
        self.own.setText(
            tr("このセンターの確認番号: {}").format(own.fingerprint)
            if own is not None
            else tr("このセンターの鍵はまだありません（公開カードを書き出すと作られます）。")
        )
        self.centres = handoff.known_centres(self.session)
        how = {"typed": tr("番号を入力"), "compared": tr("画面で照合")}
        _fill(
            self.table,
            [
                [
                    c.display_name,
                    c.municipality,
                    c.fingerprint,
                    how.get(c.confirmed_how, ""),
                    c.imported_at[:16],
                ]
                for c in self.centres
            ],
        )

    def export_card(self) -> Path | None:
        from intake_app.domain.handoff_format import card_file_name

        own = handoff.identity(self.session)
        suggested = card_file_name(own.fingerprint if own else "card")
        path = choose_save_file(self, tr("公開カードの保存先"), suggested, tr("公開カード (*.ihc)"))
        if is_locking() or path is None:
            return None
        try:
            exported = handoff.export_card(self.session, self.municipality, path)
        except Exception as exc:
            if not hasattr(exc, "message"):
                raise
            _show(self.message, _message(exc))
            return None
        self.refresh()
        _show(
            self.message,
            tr("書き出しました: {}　相手のセンターには電話で確認番号 {} を伝えてください。").format(
                exported.path, exported.fingerprint
            ),
        )
        return exported.path

    def import_card(self) -> handoff.KnownCentre | None:
        path = choose_open_file(self, tr("公開カードを選ぶ"), tr("公開カード (*.ihc);;すべて (*)"))
        if is_locking() or path is None:
            return None
        try:
            card = handoff.read_card_file(path)
        except HandoffError as exc:
            _show(self.message, exc.message)
            return None
        dialog = ImportCardDialog(card, self)
        done = dialog.exec()
        if is_locking():
            return None
        confirmation = dialog.confirmation()
        label = dialog.label.text()
        dialog.deleteLater()
        if done != QDialog.DialogCode.Accepted or confirmation is None:
            return None
        try:
            known = handoff.import_card(self.session, card, label=label, **confirmation)
        except HandoffError as exc:
            _show(self.message, exc.message)
            return None
        self.refresh()
        _show(self.message, tr("登録しました: {}").format(known.display_name))
        return known

    def remove_selected(self) -> bool:
        row = self.table.currentRow()
        if not 0 <= row < len(self.centres):
            _show(self.message, tr("外すセンターを一覧で選んでください。"))
            return False
        centre = self.centres[row]
        if not ask(
            self,
            tr("センターの登録を外す"),
            tr(
                "「{}」の登録を外しますか。このセンターからの引継ぎファイルは受け取れなくなります。"
            ).format(centre.display_name),
        ):
            return False
        if is_locking():
            return False
        handoff.remove_centre(self.session, centre.fingerprint)
        self.refresh()
        _show(self.message, tr("登録を外しました: {}").format(centre.display_name))
        return True


__all__ = [
    "RECEIVE_KEY_NAME",
    "SEND_KEY_NAME",
    "CentresTab",
    "ImportCardDialog",
    "ReceiveDialog",
    "SendDialog",
    "history_widget",
    "install_received_history",
    "open_receive",
    "open_send",
]
