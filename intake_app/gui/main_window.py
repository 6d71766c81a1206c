"""The main window after unlock: home, search, 加害者名で確認, case view, intake."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.accessibility import StatusLabel, order_tab_chain
from intake_app.gui.case_documents import open_case_document
from intake_app.gui.help import HELP_KEY_NAME, ModalHelp, open_help
from intake_app.gui.lock import LOCK_KEY_NAME, QUICK_HIDE_KEY_NAME, is_locking
from intake_app.gui.municipality import load_session_municipality
from intake_app.gui.screen_fit import fit_to_screen
from intake_app.gui.views import (
    CaseView,
    HomeView,
    PerpetratorCheckView,
    SearchView,
    case_gender,
)
from intake_app.store.errors import RecordNotFound, VaultError, WritesStopped
from intake_app.store.users import SUPERVISOR

if TYPE_CHECKING:
    from intake_app.domain.model import AddressProtection
    from intake_app.store.session import Session

log = logging.getLogger(__name__)

VIEW_HOME = "home"
VIEW_SEARCH = "search"
VIEW_PERPETRATOR = "perpetrator"
VIEW_CASE = "case"
VIEW_INTAKE = "intake"
VIEW_RECEIVE = "receive"  # 引継ぎの受け取り: a dialog, not a screen of the stack

WizardFactory = Callable[..., QWidget]

SUPERVISOR_KEY_NAME = "Alt+M"

# F1: the manual's section for each screen (the intake asks its wizard for the step's).
VIEW_HELP = {
    VIEW_HOME: "home",
    VIEW_SEARCH: "search",
    VIEW_PERPETRATOR: "perpetrator-check",
    VIEW_CASE: "case",
    VIEW_INTAKE: "intake",
    VIEW_RECEIVE: "handoff-receive",
}
CHECK_POLL_MS = 500  # how often the status bar asks the check after unlock how far it is


def is_supervisor(session: Session) -> bool:
    return session.user.role == SUPERVISOR


@dataclass(frozen=True)
class ResumeState:
    """Where the counselor was when the program locked: ids only, no personal data."""

    view: str = VIEW_HOME
    case_id: int | None = None
    draft_id: int | None = None
    intake_case_id: int | None = None
    step: int | None = None


def default_wizard_factory() -> WizardFactory:
    from intake_app.gui.intake.wizard import IntakeWizard

    return IntakeWizard


class MainWindow(QMainWindow):
    """Owns every widget that shows personal data; a lock destroys it as a whole."""

    view_changed = Signal(str)
    # the supervisor area closed the session (after a restore): the shell shows unlock
    session_ended = Signal(str)
    # the supervisor area saved a new idle lock time (minutes): the shell applies it
    idle_minutes_changed = Signal(int)

    def __init__(
        self,
        session: Session,
        *,
        wizard_factory: WizardFactory | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("相談記録システム"))
        self.session: Session | None = session
        self._wizard_factory = wizard_factory
        self._today = today
        self.current_view = VIEW_HOME
        self.municipality = load_session_municipality(session)
        self.case_view: CaseView | None = None
        self.wizard: QWidget | None = None
        self._wizard_case_id: int | None = None
        self.supervisor_area: QWidget | None = None
        self.switch_box: QMessageBox | None = None

        central = QWidget()
        outer = QVBoxLayout(central)
        # Shown only when the check after unlock found a problem: every save and read
        # is refused from then on, and this says so on every screen.
        self.damaged_banner = QLabel()
        self.damaged_banner.setObjectName("vaultDamagedBanner")
        self.damaged_banner.setWordWrap(True)
        self.damaged_banner.setStyleSheet(
            "background: #b00020; color: white; font-weight: bold; padding: 8px;"
        )
        self.damaged_banner.setAccessibleName(self.tr("保管庫の異常"))
        self.damaged_banner.hide()
        outer.addWidget(self.damaged_banner)
        self.damaged_box: QMessageBox | None = None
        nav = QHBoxLayout()
        self.nav_buttons: dict[str, QPushButton] = {}
        for key, text, name in (
            (VIEW_HOME, self.tr("ホーム(&H)"), self.tr("ホーム")),
            (VIEW_SEARCH, self.tr("検索(&S)"), self.tr("ケースの検索")),
            (VIEW_PERPETRATOR, self.tr("加害者名で確認(&K)"), self.tr("加害者名で確認")),
            (VIEW_INTAKE, self.tr("新規相談(&N)"), self.tr("新規相談を入力")),
            (VIEW_RECEIVE, self.tr("引継ぎの受け取り(&J)"), self.tr("引継ぎの受け取り")),
        ):
            button = QPushButton(text)
            button.setAccessibleName(name)
            nav.addWidget(button)
            self.nav_buttons[key] = button
        nav.addStretch(1)
        # Only a supervisor's window has the button at all (a counselor's has no widget,
        # no mnemonic and no shortcut for it); the area asks the passphrase again.
        self.supervisor_button: QPushButton | None = None
        if is_supervisor(session):
            self.supervisor_button = QPushButton(self.tr("管理者メニュー(&M)"))
            self.supervisor_button.setObjectName("supervisorMenuButton")
            self.supervisor_button.setAccessibleName(self.tr("管理者メニューを開く"))
            self.supervisor_button.setToolTip(
                self.tr("統計・監査ログ・利用者・バックアップ・保存期間・設定（{}）").format(
                    SUPERVISOR_KEY_NAME
                )
            )
            self.supervisor_button.clicked.connect(self.open_supervisor_area)
            nav.addWidget(self.supervisor_button)
        outer.addLayout(nav)
        self.nav_buttons[VIEW_HOME].clicked.connect(self.show_home)
        self.nav_buttons[VIEW_SEARCH].clicked.connect(self.show_search)
        self.nav_buttons[VIEW_PERPETRATOR].clicked.connect(self.show_perpetrator_check)
        self.nav_buttons[VIEW_INTAKE].clicked.connect(lambda: self.open_intake())
        self.nav_buttons[VIEW_RECEIVE].clicked.connect(self.open_receive)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.home = HomeView()
        self.search = SearchView()
        self.search.session = session
        self.perpetrator = PerpetratorCheckView()
        self.perpetrator.session = session
        for view in (self.home, self.search, self.perpetrator):
            self.stack.addWidget(view)
        self.home.open_case.connect(self.open_case)
        self.home.resume_draft.connect(lambda draft_id: self.open_intake(draft_id=draft_id))
        self.search.open_case.connect(self.open_case)
        self.setCentralWidget(central)

        QShortcut(QKeySequence("Ctrl+F"), self, self.show_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self._new_intake)
        QShortcut(QKeySequence(HELP_KEY_NAME), self, self.show_help)
        app = QApplication.instance()
        if app is not None:  # F1 in this window's modal dialogs too
            app.installEventFilter(ModalHelp(self, self.help_anchor))

        self.user_label = QLabel(self.tr("ログイン中: {}").format(session.user.name))
        self.keys_label = StatusLabel(self.tr("画面を隠すキー"))
        self.keys_label.setText(
            self.tr("{}: すぐに隠す　{}: ロック").format(QUICK_HIDE_KEY_NAME, LOCK_KEY_NAME)
        )
        self.statusBar().addWidget(self.user_label)
        # A training vault (demo data) says so on every screen, so it is never taken
        # for the real one; a normal vault has no such widget at all.
        self.training_label: QLabel | None = None
        if session.is_training():
            self.training_label = QLabel(self.tr("練習用の保管庫"))
            self.training_label.setObjectName("trainingVaultMarker")
            self.training_label.setAccessibleName(
                self.tr("練習用の保管庫（架空の相談記録。実際の相談には使えません）")
            )
            self.training_label.setToolTip(
                self.tr(
                    "架空の相談記録が入った練習用の保管庫です。実際の相談は入力しないでください。"
                )
            )
            self.training_label.setStyleSheet("font-weight: bold; padding: 0 6px;")
            self.statusBar().addWidget(self.training_label)
        # The check after unlock: one line that says how far it is, then its result.
        self.check_label = StatusLabel(self.tr("保管庫の検査"), live=False)
        self.check_label.setObjectName("vaultCheckStatus")
        self.statusBar().addWidget(self.check_label)
        self.help_label = StatusLabel(self.tr("ヘルプのキー"))
        self.help_label.setObjectName("helpKeyHint")
        self.help_label.setText(self.tr("{}: ヘルプ").format(HELP_KEY_NAME))
        self.help_label.setContentsMargins(0, 0, 12, 0)
        self.statusBar().addPermanentWidget(self.help_label)
        self.statusBar().addPermanentWidget(self.keys_label)
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(CHECK_POLL_MS)
        self._check_timer.timeout.connect(self.poll_check)
        # The size it would like, or the available screen where that is smaller (the
        # shell shows it maximized; this is its size when it is restored).
        fit_to_screen(self, 1200, 820)
        order_tab_chain(self)
        self.show_home()
        if callable(getattr(session, "check_status", None)):
            self.poll_check()
            self._check_timer.start()
        self.notice_box: QMessageBox | None = None
        notices = list(getattr(session, "notices", []))
        if notices:
            self.show_notices(notices)

    def show_notices(self, notices: list[str]) -> None:
        """What the unlock repaired (a damaged WAL set aside): told once, in a message
        box that does not block (a lock can still close it)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("保管庫を開くときの修復"),
            "\n\n".join(notices),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("unlockNoticeBox")
        self.notice_box = box
        box.open()

    # --- navigation ----------------------------------------------------------------

    def _show(self, view: str, widget: QWidget) -> None:
        self.stack.setCurrentWidget(widget)
        self.current_view = view
        self.view_changed.emit(view)

    def help_anchor(self) -> str:
        """The manual's section for the screen on show (the intake: its step's)."""
        if self.current_view == VIEW_INTAKE and self.wizard is not None:
            step_anchor = getattr(self.wizard, "help_anchor", None)
            if callable(step_anchor):
                return str(step_anchor())
        return VIEW_HELP.get(self.current_view, "counselor")

    def show_help(self) -> QWidget:
        """F1: the help window at this screen's section (closed by every lock)."""
        return open_help(self, self.help_anchor())

    def poll_check(self) -> str:
        """Show the check's progress line; on a problem, the banner and the message.

        Returns the check's state (``running``, ``ok``, ``problem``, ``cancelled`` or
        ``""`` when no check runs)."""
        session = self.session
        status = session.check_status() if session is not None else None
        if status is None:
            self._check_timer.stop()
            return ""
        self.check_label.setText(status.text)  # Japanese, from the store
        if status.state == "running":
            return status.state
        self._check_timer.stop()
        if status.state == "problem":
            self.check_label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.show_writes_stopped(list(status.problems))
        return status.state

    def show_writes_stopped(self, problems: list[str]) -> None:
        """Every write is refused: say it on every screen and once in a message box."""
        message = WritesStopped().message
        self.damaged_banner.setText(message)
        self.damaged_banner.show()
        for key in (VIEW_SEARCH, VIEW_PERPETRATOR):
            self.nav_buttons[key].setEnabled(False)
        self.home.clear()
        if self.damaged_box is None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                self.tr("保管庫の異常"),
                message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("vaultDamagedBox")
            box.setInformativeText(
                self.tr("見つかった異常: {}").format(" ".join(problems[:3])) if problems else ""
            )
            self.damaged_box = box
            box.open()  # window-modal, not blocking: a lock can still close it

    def show_home(self) -> None:
        if self.session is not None:
            try:
                self.home.refresh(self.session, self._today())
            except WritesStopped:  # the check found damage: nothing can be read either
                self.home.clear()
                self.show_writes_stopped(self.session.check_problems())
        else:
            self.home.clear()
        self._show(VIEW_HOME, self.home)
        self.nav_buttons[VIEW_HOME].setFocus()

    def show_search(self) -> None:
        self._show(VIEW_SEARCH, self.search)
        self.search.query.setFocus()
        self.search.query.selectAll()

    def show_perpetrator_check(self) -> None:
        self._show(VIEW_PERPETRATOR, self.perpetrator)
        self.perpetrator.query.setFocus()

    def open_case(self, case_id: int) -> CaseView:
        """Open a case: an audited read through ``session.records.open_case``."""
        case = self._session().records.open_case(case_id)
        self._drop_case_view()
        view = CaseView(
            case, self.municipality, today=self._today(), address=self._latest_address(case_id)
        )
        view.follow_up.connect(lambda cid: self.open_intake(case_id=cid))
        view.document_requested.connect(self.open_case_document)
        view.consultation_requested.connect(self.open_consultation)
        view.close_requested.connect(lambda cid: self.run_case_action("close_case", cid))
        view.reopen_requested.connect(lambda cid: self.run_case_action("reopen_case", cid))
        view.schedule_requested.connect(lambda cid: self.run_case_action("schedule_follow_up", cid))
        view.handoff_requested.connect(self.open_send)
        from intake_app.gui.handoff import install_received_history

        install_received_history(view, self.session)
        from intake_app.gui.case_tracking import install_tracking

        tracking_tab = install_tracking(view, self.session, case_gender(case))
        if tracking_tab is not None:
            tracking_tab.changed.connect(self._refresh_case)
        self.stack.addWidget(view)
        order_tab_chain(self)  # the new screen's controls in reading order
        self.case_view = view
        self._show(VIEW_CASE, view)
        view.tabs.setFocus()
        return view

    def open_consultation(self, consultation_id: int) -> QWidget | None:
        """One saved consultation in full, read-only, in its own window: an audited read
        (``consultation.open``). A lock closes it with every window."""
        if self.session is None:
            return None
        from intake_app.gui.consultation_view import show_consultation

        try:
            record = self.session.records.open_consultation(consultation_id)
        except RecordNotFound:
            if self.case_view is not None:
                self.case_view.show_document_message(
                    self.tr("この相談の記録が見つかりませんでした。")
                )
            return None
        return show_consultation(self, record, self.municipality)

    def run_case_action(self, name: str, case_id: int) -> bool:
        """終結 / 再開 / フォローアップ予定 through the intake package's dialogs
        (``close_case`` / ``reopen_case`` / ``schedule_follow_up``); the case view is
        opened again afterwards so it shows the new state. True when something was
        written."""
        if self.session is None:
            return False
        from intake_app.gui import intake as case_dialogs

        action = getattr(case_dialogs, name)
        result = action(self, self.session, case_id)
        if is_locking() or self.session is None:
            return False
        changed = result is not None and result is not False
        if changed:
            tab = self.case_view.tabs.currentIndex() if self.case_view is not None else 0
            view = self.open_case(case_id)
            view.tabs.setCurrentIndex(tab)
        return changed

    def _refresh_case(self) -> None:
        """Open the shown case again after a record was written, on the same tab."""
        if self.session is None or is_locking() or self.case_view is None:
            return
        tab = self.case_view.tabs.currentIndex()
        view = self.open_case(self.case_view.case_id)
        view.tabs.setCurrentIndex(tab)

    def _session(self) -> Session:
        """The open session; after a lock (``suspend``) there is none to read with."""
        if self.session is None:
            raise VaultError("保管庫はロックされています。もう一度ログインしてください。")
        return self.session

    def _latest_address(self, case_id: int) -> AddressProtection | None:
        """The latest intake's ``AddressProtection`` (an audited read), or None."""
        try:
            return self._session().records.latest_intake(case_id).address
        except Exception as exc:  # the case must open even without a readable intake
            log.error("latest intake not read for the case banner: %s", type(exc).__name__)
            return None

    # --- hand-off --------------------------------------------------------------------------

    def open_send(self, case_id: int) -> QWidget | None:
        """他のセンターへ引継ぎ: the send dialog for the open case (modal)."""
        if self.session is None:
            return None
        from intake_app.gui.handoff import open_send

        view = self.case_view
        gender = view.gender if view is not None and view.case_id == case_id else None
        return open_send(self, self.session, case_id, self.municipality, gender)

    def open_receive(self) -> int | None:
        """引継ぎの受け取り (Alt+J): check a package, review, accept (the new case opens)."""
        if self.session is None:
            return None
        from intake_app.gui.handoff import open_receive

        case_id = open_receive(self, self.session, self.municipality)
        if case_id is not None and self.session is not None:
            self.open_case(case_id)
        return case_id

    # --- supervisor area -----------------------------------------------------------------

    def open_supervisor_area(self) -> QWidget | None:
        """The supervisor area (its own window; the passphrase is asked again).

        A lock closes and destroys it with every other window; a restore inside it
        ends the session (``session_ended``)."""
        if self.session is None or not is_supervisor(self.session):
            return None
        area = self.supervisor_area
        if area is not None and shiboken6.isValid(area) and area.isVisible():
            area.raise_()
            area.activateWindow()
            return area
        from intake_app.gui.supervisor import open_supervisor_area

        area = open_supervisor_area(self, self.session, today=self._today())
        if area is None or is_locking():
            return None
        self.supervisor_area = area
        session_ended = getattr(area, "session_ended", None)
        if session_ended is not None:
            session_ended.connect(self._supervisor_session_ended)
        idle_changed = getattr(area, "idle_minutes_changed", None)
        if idle_changed is not None:
            idle_changed.connect(self.idle_minutes_changed)
        settings_changed = getattr(area, "settings_changed", None)
        if settings_changed is not None:
            settings_changed.connect(self.reload_settings)
        return area

    def reload_settings(self) -> None:
        """The supervisor changed the settings: screens opened from now on use them."""
        if self.session is None or is_locking():
            return
        self.municipality = load_session_municipality(self.session)
        if self.stack.currentWidget() is self.home:
            try:
                self.home.refresh(self.session, self._today())
            except NotImplementedError:
                self.home.clear()

    def _drop_supervisor_area(self) -> None:
        area, self.supervisor_area = self.supervisor_area, None
        if area is not None and shiboken6.isValid(area):
            area.close()
            area.hide()
            area.deleteLater()

    def _supervisor_session_ended(self, reason: str) -> None:
        self.session_ended.emit(reason)

    def open_case_document(self, kind: str) -> QWidget | None:
        """Build a paper of the open case and show its preview (print → audit entry);
        when it cannot be made, the case view says why and nothing opens."""
        view = self.case_view
        if view is None or view.case_id is None or self.session is None:
            return None
        view.show_document_message("")
        dialog, message = open_case_document(
            self,
            self.session,
            view.case_id,
            kind,
            self.municipality,
            self._today(),
            appointment=view.next_follow_up,
        )
        if dialog is None:
            view.show_document_message(message)
            return None
        return dialog

    def _drop_case_view(self) -> None:
        if self.case_view is not None:
            self.case_view.clear()
            self.stack.removeWidget(self.case_view)
            self.case_view.deleteLater()
            self.case_view = None

    # --- intake --------------------------------------------------------------------

    def _new_intake(self) -> None:
        self.open_intake()

    def open_intake(
        self, case_id: int | None = None, draft_id: int | None = None
    ) -> QWidget | None:
        """A new intake, a follow-up for ``case_id``, or the draft ``draft_id`` resumed.

        An intake already open for the same target is shown again. One open for another
        target (another client, another case, another draft) is never reused: it is
        saved as a draft first, then the counselor is asked whether to start the one
        asked for (No, the default, stays on the open one). Returns the wizard shown,
        or None when a lock came while asking.
        """
        if self.wizard is not None:
            if self._same_intake(self.wizard, case_id, draft_id):
                self._show(VIEW_INTAKE, self.wizard)
                return self.wizard
            self.save_drafts()
            if not self._confirm_switch_intake():
                if self.wizard is None:  # a lock came while asking
                    return None
                self._show(VIEW_INTAKE, self.wizard)
                return self.wizard
            self._drop_wizard()
        factory = self._wizard_factory
        if factory is None:
            try:
                factory = default_wizard_factory()
            except ImportError:
                factory = WizardPlaceholder
        wizard = factory(self.session, self.municipality, draft_id=draft_id, case_id=case_id)
        finished = getattr(wizard, "finished", None)
        if finished is not None:
            finished.connect(self._intake_finished)
        self.wizard = wizard
        self._wizard_case_id = case_id
        self.stack.addWidget(wizard)
        order_tab_chain(self)
        self._show(VIEW_INTAKE, wizard)
        wizard.setFocus()
        return wizard

    def _same_intake(self, wizard: QWidget, case_id: int | None, draft_id: int | None) -> bool:
        """Whether the open wizard is the intake asked for (ids only)."""
        open_draft = getattr(wizard, "draft_id", None)
        open_case = getattr(wizard, "case_id", self._wizard_case_id)
        if draft_id is not None:
            return open_draft is not None and int(open_draft) == int(draft_id)
        if case_id is not None:
            return open_case is not None and int(open_case) == int(case_id)
        # a new intake: only an untouched new one (no case, nothing saved) is the same;
        # one with answers in it belongs to the client who gave them
        if open_case is not None:
            return False
        return open_draft is None and self.save_drafts() is None

    def _confirm_switch_intake(self) -> bool:
        """Ask before leaving the open intake (already saved as a draft) for another."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("別の相談を始める"),
            self.tr("入力中の相談を下書きとして保存しました。新しい相談を始めますか。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("switchIntakeBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("はい、始める(&Y)"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("いいえ、入力を続ける(&N)"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        self.switch_box = box
        answer = box.exec()
        self.switch_box = None
        if is_locking() or self.session is None:
            return False
        box.deleteLater()
        return answer == QMessageBox.StandardButton.Yes

    def _intake_finished(self, saved: bool) -> None:
        wizard = self.wizard
        case_id = getattr(wizard, "saved_case_id", None) if saved else None
        self._drop_wizard()
        if case_id is not None:
            self.open_case(int(case_id))
        else:
            self.show_home()

    def _drop_wizard(self) -> None:
        if self.wizard is not None:
            self.stack.removeWidget(self.wizard)
            self.wizard.deleteLater()
            self.wizard = None
            self._wizard_case_id = None

    def save_drafts(self) -> int | None:
        """Save the open intake as a draft (never raises: called on lock and on errors)."""
        wizard = self.wizard
        if wizard is None:
            return None
        try:
            draft_id = wizard.save_draft_now()  # type: ignore[attr-defined]
        except Exception as exc:  # the lock must go on; the log says which kind of error
            log.error("draft could not be saved on lock: %s", type(exc).__name__)
            return None
        return int(draft_id) if draft_id is not None else None

    # --- lock and resume -------------------------------------------------------------

    def suspend(self) -> ResumeState:
        """Save the draft, forget every record shown, and say where the user was."""
        draft_id = self.save_drafts()
        step = None
        if self.wizard is not None:
            current_step = getattr(self.wizard, "current_step", None)
            if callable(current_step):
                try:
                    step = int(current_step())
                except Exception:
                    step = None
        state = ResumeState(
            view=self.current_view,
            case_id=self.case_view.case_id if self.case_view is not None else None,
            draft_id=draft_id,
            intake_case_id=self._wizard_case_id,
            step=step,
        )
        self._check_timer.stop()
        if self.damaged_box is not None:
            self.damaged_box.close()
            self.damaged_box = None
        self._drop_supervisor_area()
        self.home.clear()
        self.search.clear()
        self.perpetrator.clear()
        self._drop_case_view()
        self._drop_wizard()
        self.search.session = None
        self.perpetrator.session = None
        self.session = None
        return state

    def resume(self, state: ResumeState) -> None:
        """After unlock: back to the same screen, the draft reopened.

        When the draft or the case is gone (deleted meanwhile by another user or by
        retention), the counselor lands on home, where the remaining drafts are listed.
        """
        try:
            if state.draft_id is not None or state.view == VIEW_INTAKE:
                self.open_intake(case_id=state.intake_case_id, draft_id=state.draft_id)
                if state.view == VIEW_INTAKE:
                    return
            if state.view == VIEW_CASE and state.case_id is not None:
                self.open_case(state.case_id)
                return
        except Exception as exc:  # a missing record must not keep her out of the program
            log.error("could not return to the previous screen: %s", type(exc).__name__)
            self._drop_wizard()
            self.show_home()
            return
        if state.view == VIEW_SEARCH:
            self.show_search()
        elif state.view == VIEW_PERPETRATOR:
            self.show_perpetrator_check()
        else:
            self.show_home()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing keeps an open intake as a draft (resumable from home); nothing is asked."""
        if not is_locking() and self.session is not None:
            self.save_drafts()
        event.accept()


class WizardPlaceholder(QWidget):
    """Shown when the intake screens are not installed (development builds)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(kwargs.get("parent"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("相談の入力画面を読み込めませんでした。"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)

    def save_draft_now(self) -> int | None:
        return None

    def current_step(self) -> int:
        return 0
