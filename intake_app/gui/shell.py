"""The screens' owner: setup, unlock, main window, and what a lock does to them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from intake_app.gui.lock import REASON_QUICK_HIDE, REASON_SESSION_ENDED, LockController
from intake_app.gui.screen_fit import show_maximized
from intake_app.gui.settings import (
    load_idle_minutes,
    load_last_user,
    save_idle_minutes,
    save_last_user,
)
from intake_app.gui.unlock import UnlockScreen

if TYPE_CHECKING:  # the main window and the setup wizard load when first needed
    from intake_app.gui.main_window import MainWindow, ResumeState, WizardFactory
    from intake_app.gui.setup import SetupWizard

log = logging.getLogger(__name__)


class BlankScreen(QWidget):
    """The quick-hide screen: nothing on it. Any key or click brings the unlock screen."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BlankScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(" ")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("空白の画面"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(""))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() != Qt.Key.Key_F12:
            self.dismissed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.dismissed.emit()


def _import_main_window() -> None:
    import intake_app.gui.main_window  # noqa: F401


class Shell(QObject):
    """Shows setup or unlock, then the main window; implements the lock target."""

    main_shown = Signal(object)  # the MainWindow

    def __init__(
        self,
        data_dir: Path,
        vault: Any,
        *,
        idle_ms: int | None = None,
        idle_minutes: int | None = None,
        wizard_factory: WizardFactory | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.vault = vault
        self.wizard_factory = wizard_factory
        self.today = today
        self.session: Any = None
        self.main: MainWindow | None = None
        self.setup: SetupWizard | None = None
        self._locked_user = ""  # who locked last (the key of resume_states)
        # Where each user was when the program locked (ids only): unlocking as another
        # user starts on home; the first user's screen and draft wait for that user.
        self.resume_states: dict[str, ResumeState] = {}
        self.unlock = UnlockScreen(data_dir, vault)
        self.unlock.unlocked.connect(self._unlocked)
        self.unlock.attempt_started.connect(self._preload_main_window)
        self.blank = BlankScreen()
        self.blank.dismissed.connect(self._blank_dismissed)
        if idle_minutes is None:
            idle_minutes = load_idle_minutes(data_dir)
        self.lock = LockController(self, idle_minutes=idle_minutes, idle_ms=idle_ms, parent=self)

    def set_idle_minutes(self, minutes: int) -> int:
        """Save and apply the idle lock time at once."""
        value = save_idle_minutes(self.data_dir, minutes)
        self.lock.set_idle_interval(idle_minutes=value)
        return value

    # --- start -----------------------------------------------------------------------

    @property
    def resume_state(self) -> ResumeState | None:
        """Where the user who locked last was (None after the next unlock)."""
        return self.resume_states.get(self._locked_user) if self._locked_user else None

    def start(self) -> QWidget:
        """The first screen: the setup wizard on an empty data folder, else unlock."""
        if self.vault.exists(self.data_dir):
            last = load_last_user(self.data_dir)
            if last:
                self.unlock.set_user(last)
            return self.show_unlock()
        from intake_app.gui.setup import SetupWizard

        self.setup = SetupWizard(self.data_dir, self.vault)
        self.setup.created.connect(self._setup_done)
        self.setup.show()
        return self.setup

    def _setup_done(self, user: str) -> None:
        setup = self.setup
        self.setup = None
        if setup is not None:
            setup.deleteLater()
        self.unlock.set_user(user)
        self.show_unlock()

    def show_unlock(self) -> UnlockScreen:
        self.blank.hide()
        self.unlock.reset()
        show_maximized(self.unlock)  # covers the desk: nothing else is seen while locked
        self.unlock.raise_()
        self.unlock.activateWindow()
        self.unlock.focus_first_field()
        return self.unlock

    def _blank_dismissed(self) -> None:
        if self.setup is not None:
            self.blank.hide()
            self.setup.show()
        else:
            self.show_unlock()

    def _preload_main_window(self) -> None:
        """Import the main window's modules while the KDF runs in its worker thread."""
        QTimer.singleShot(0, self, _import_main_window)

    # --- unlocked ----------------------------------------------------------------------

    def _unlocked(self, session: Any) -> None:
        from intake_app.gui.main_window import MainWindow

        self.session = session
        user = self._user_name(session)
        if user:
            try:
                save_last_user(self.data_dir, user)
            except OSError as exc:  # a convenience: the unlock has happened
                log.error("last login name not kept: %s", type(exc).__name__)
        main = MainWindow(session, wizard_factory=self.wizard_factory, today=self.today)
        self.main = main
        # queued: the area that emits is closed by the teardown, not while it is still
        # inside its own slot
        main.session_ended.connect(self.end_session, Qt.ConnectionType.QueuedConnection)
        main.idle_minutes_changed.connect(self.set_idle_minutes)
        state = self.resume_states.pop(user, None)
        self._locked_user = ""
        self.unlock.hide()
        self.unlock.reset()
        show_maximized(main)
        main.raise_()
        main.activateWindow()  # the keyboard goes to it at once (no click needed)
        if state is not None:
            main.resume(state)
        self.lock.arm()
        self.main_shown.emit(main)

    def end_session(self, reason: str = REASON_SESSION_ENDED) -> None:
        """The session was closed from inside the program (a restore replaced the vault):
        tear down like a lock and show the unlock screen, with no screen to return to
        (the ids of the old vault mean nothing in the restored one)."""
        if self.main is None and self.session is None:
            return
        log.info("session ended: %s", reason if reason in ("restored", "restore_failed") else "")
        self.lock.lock(REASON_SESSION_ENDED)
        self.resume_states.clear()  # the ids of the old vault mean nothing in the new one
        self._locked_user = ""

    # --- LockTarget ----------------------------------------------------------------------

    def suspend(self, reason: str) -> None:
        if self.unlock.busy:
            self.unlock.abandon()
        main = self.main
        if main is not None:
            if reason == REASON_QUICK_HIDE:
                main.hide()  # blank first; the teardown follows in the same call
            user = self._user_name(self.session)
            state = main.suspend()
            if user:
                self.resume_states[user] = state
                self._locked_user = user
            main.hide()
            main.deleteLater()
            self.main = None
        if self.session is not None:
            session = self.session
            self.session = None
            try:
                session.close()
            except Exception as exc:  # locking must finish; the key is dropped anyway
                log.error("session close failed on lock: %s", type(exc).__name__)

    @staticmethod
    def _user_name(session: Any) -> str:
        return str(getattr(getattr(session, "user", None), "name", "") or "")

    def kept_windows(self) -> Iterable[QWidget]:
        kept: list[QWidget] = [self.unlock, self.blank]
        if self.setup is not None:
            kept.append(self.setup)
        return kept

    def show_locked(self, reason: str) -> None:
        if reason == REASON_QUICK_HIDE:
            self.unlock.hide()
            if self.setup is not None:
                self.setup.hide()
            self.blank.showMaximized()
            self.blank.raise_()
            self.blank.activateWindow()
            self.blank.setFocus()
        elif self.setup is None:
            self.show_unlock()

    # --- errors ----------------------------------------------------------------------------

    def save_drafts(self) -> None:
        if self.main is not None:
            self.main.save_drafts()

    def shutdown(self) -> None:
        """Quit: keep the draft, close the session (the key is zeroed), drop the windows."""
        self.lock.shutdown()
        if self.unlock.busy:
            self.unlock.abandon()
        windows: list[QWidget] = [self.unlock, self.blank]
        if self.main is not None:
            self.main.suspend()
            windows.append(self.main)
            self.main = None
        if self.setup is not None:
            windows.append(self.setup)
            self.setup = None
        if self.session is not None:
            self.session.close()
            self.session = None
        for window in windows:
            window.hide()
            window.deleteLater()
