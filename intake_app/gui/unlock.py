"""The unlock screen: product name only, login name, passphrase (security.md T2)."""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from intake_app.domain.errors import UserError
from intake_app.gui.forms.ui_unlock import Ui_UnlockScreen
from intake_app.gui.workers import Job

if TYPE_CHECKING:
    from intake_app.store.session import Session

log = logging.getLogger(__name__)


def caps_lock_from_key(event: QKeyEvent) -> bool | None:
    """Guess Caps Lock from a typed letter: upper case without Shift (or lower with it)."""
    text = event.text()
    if len(text) != 1 or not text.isascii() or not text.isalpha():
        return None
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


class UnlockScreen(QWidget):
    """Asks for the login name and passphrase; the KDF runs in a worker thread."""

    unlocked = Signal(object)  # the Session
    attempt_started = Signal()  # the KDF is running in a worker thread

    def __init__(self, data_dir: Path, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UnlockScreen")
        self.ui: Any = cast(Any, Ui_UnlockScreen())
        self.ui.setupUi(self)
        self.setWindowTitle(self.tr("相談記録システム"))
        self._data_dir = data_dir
        self._vault = vault
        self._generation = 0
        self._job: Job | None = None
        self._abandoned: list[Job] = []
        # Throttling is per login name (as in the vault's header): one name's wrong
        # passphrases never keep another name out. name -> (monotonic end, message)
        self._waits: dict[str, tuple[float, str]] = {}
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._remaining = 0
        self._prefix = ""
        self.ui.capsLockLabel.setVisible(False)
        self.ui.progressBar.setVisible(False)
        self.ui.unlockButton.clicked.connect(self.attempt)
        self.ui.userEdit.returnPressed.connect(self.ui.passphraseEdit.setFocus)
        self.ui.passphraseEdit.returnPressed.connect(self.attempt)
        self.ui.passphraseEdit.installEventFilter(self)
        self.ui.userEdit.installEventFilter(self)
        self.ui.userEdit.textChanged.connect(self._user_changed)

    # --- state -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._job is not None

    def message(self) -> str:
        return str(self.ui.messageLabel.text())

    def caps_lock_warning_visible(self) -> bool:
        return not self.ui.capsLockLabel.isHidden()

    def reset(self, *, keep_user: bool = True) -> None:
        """Back to an empty form (after a lock): nothing typed is kept but the login name."""
        self.ui.passphraseEdit.clear()
        if not keep_user:
            self.ui.userEdit.clear()
        self.ui.messageLabel.clear()
        self._set_busy(False)
        self._user_changed()
        self.focus_first_field()

    def set_user(self, name: str) -> None:
        """Fill in a login name (the last one used on this PC); the cursor then goes to
        the passphrase, so a passphrase typed out of habit is never shown in clear."""
        self.ui.userEdit.setText(name)
        if name and name not in self._waits:
            try:  # a wait survives a restart: show it before a futile attempt
                wait = float(self._vault.throttle_wait(self._data_dir, name))
            except Exception:
                wait = 0.0
            if wait > 0:
                self._remember_wait(name, wait, "")
        self._user_changed()
        self.focus_first_field()

    def focus_first_field(self) -> None:
        if self.ui.userEdit.text():
            self.ui.passphraseEdit.setFocus()
        else:
            self.ui.userEdit.setFocus()

    def abandon(self) -> None:
        """Forget an unlock in progress: its result, when it comes, is closed unused."""
        self._generation += 1
        if self._job is not None:
            self._abandoned.append(self._job)  # kept alive until its result arrives
        self._job = None
        self.reset()

    # --- unlocking ---------------------------------------------------------------

    def attempt(self) -> None:
        if self._job is not None or self._remaining > 0:
            return
        user = self.ui.userEdit.text().strip()
        passphrase = self.ui.passphraseEdit.text()
        if not user or not passphrase:
            self.ui.messageLabel.setText(self.tr("ログイン名とパスフレーズを入力してください。"))
            return
        self.ui.passphraseEdit.clear()
        self.ui.messageLabel.clear()
        self._set_busy(True)
        generation = self._generation
        # background: the check after unlock (pages, audit chain; after a crash the
        # structure too) runs in a worker instead of in front of the counselor
        job = Job(self._vault.open, self._data_dir, user, passphrase, background=True)
        job.done.connect(lambda session: self._opened(generation, session))
        job.failed.connect(lambda exc: self._failed(generation, user, exc))
        self._job = job
        job.start()
        self.attempt_started.emit()

    def _opened(self, generation: int, session: Session) -> None:
        if generation != self._generation:
            session.close()  # abandoned by a lock: never used
            self._abandoned = [j for j in self._abandoned if j.running()]
            return
        self._job = None
        self._set_busy(False)
        self._waits.pop(self._typed_user(), None)
        self.unlocked.emit(session)

    def _failed(self, generation: int, user: str, exc: BaseException) -> None:
        if generation != self._generation:
            self._abandoned = [j for j in self._abandoned if j.running()]
            return
        self._job = None
        self._set_busy(False)
        wait_s = getattr(exc, "wait_s", None)
        if wait_s is not None:
            self._remember_wait(user, float(wait_s), "")
            self._user_changed()
            return
        if isinstance(exc, UserError):
            message = exc.message
        else:
            log.error("unlock failed: %s", type(exc).__name__)
            message = self.tr("ロックを解除できませんでした。管理者に連絡してください。")
        self.ui.messageLabel.setText(message)
        self.ui.passphraseEdit.setFocus()
        try:
            wait = float(self._vault.throttle_wait(self._data_dir, user))
        except Exception:  # the message above already says what went wrong
            wait = 0.0
        if wait > 0:
            self._remember_wait(user, wait, str(message))
            self._user_changed()

    def _typed_user(self) -> str:
        return str(self.ui.userEdit.text()).strip()

    def _remember_wait(self, user: str, wait_s: float, prefix: str) -> None:
        self._waits[user] = (time.monotonic() + max(1, math.ceil(wait_s)), prefix)

    def _user_changed(self) -> None:
        """The countdown and the button follow the login name typed now."""
        now = time.monotonic()
        self._waits = {u: w for u, w in self._waits.items() if w[0] > now}
        waiting = self._waits.get(self._typed_user())
        if waiting is None:
            was_waiting = self._remaining > 0
            self._remaining = 0
            self._prefix = ""
            if not self._waits:
                self._countdown.stop()
            else:
                self._countdown.start()  # another name's wait still runs out
            self.ui.unlockButton.setEnabled(self._job is None)
            if was_waiting:
                self.ui.messageLabel.clear()
            return
        end, prefix = waiting
        self._remaining = max(1, math.ceil(end - now))
        self._prefix = prefix
        self.ui.unlockButton.setEnabled(False)
        self._show_wait()
        self._countdown.start()

    def _show_wait(self) -> None:
        text = self.tr("入力の誤りが続いたため、あと {} 秒お待ちください。").format(self._remaining)
        if self._prefix:
            text = self._prefix + "\n" + text
        self.ui.messageLabel.setText(text)

    def _tick(self) -> None:
        user = self._typed_user()
        waiting = self._waits.get(user)
        if waiting is not None and waiting[0] <= time.monotonic():
            self._waits.pop(user, None)
            self._remaining = 0
            self.ui.unlockButton.setEnabled(self._job is None)
            self.ui.messageLabel.setText(self.tr("もう一度入力してください。"))
        self._user_changed()

    def wait_remaining_s(self) -> int:
        return self._remaining

    def _set_busy(self, busy: bool) -> None:
        self.ui.progressBar.setVisible(busy)
        self.ui.userEdit.setEnabled(not busy)
        self.ui.passphraseEdit.setEnabled(not busy)
        self.ui.unlockButton.setEnabled(not busy and self._remaining <= 0)
        if not busy:
            self._job = None

    def wait_for(self, user: str) -> int:
        """Seconds ``user`` still has to wait on this screen (0: may try now)."""
        waiting = self._waits.get(user)
        return max(0, math.ceil(waiting[0] - time.monotonic())) if waiting else 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        side = max(24, (self.width() - 640) // 2)  # a narrow centred form on a wide screen
        self.ui.outerLayout.setContentsMargins(side, 24, side, 24)
        super().resizeEvent(event)

    # --- Caps Lock ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            caps = caps_lock_from_key(event)
            if caps is not None:
                self.ui.capsLockLabel.setVisible(caps)
        return False
