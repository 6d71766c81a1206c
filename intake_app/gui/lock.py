"""Locking (security.md "Locking"): idle timer, Ctrl+L and the quick-hide key.

The controller watches every input event of the application (so it works with a
modal dialog or a print preview in front), and on a lock it asks its target to
save the draft and tear down, closes and destroys every other top-level window,
and clears the clipboard when it holds text the program put there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

QUICK_HIDE_KEY = Qt.Key.Key_F12
QUICK_HIDE_KEY_NAME = "F12"
LOCK_KEY_NAME = "Ctrl+L"
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 30

REASON_IDLE = "idle"
REASON_KEY = "key"
REASON_QUICK_HIDE = "quick_hide"
REASON_SESSION_ENDED = "session_ended"  # the vault closed the session (after a restore)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)

_locking = False


def is_locking() -> bool:
    """True while a lock is closing the windows (closeEvent must not ask or refuse)."""
    return _locking


def clamp_idle_minutes(minutes: int) -> int:
    return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, int(minutes)))


class LockTarget(Protocol):
    """What the controller locks: the shell that owns the session and the screens."""

    def suspend(self, reason: str) -> None:
        """Save drafts, remember where the user was, destroy personal views, close the session."""

    def kept_windows(self) -> Iterable[QWidget]:
        """Top-level windows that survive a lock (the neutral lock screens)."""

    def show_locked(self, reason: str) -> None:
        """Show the neutral screen (blank for the quick-hide key, else the unlock screen)."""


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class ClipboardGuard(QObject):
    """Remembers digests (never the text) of what the program put on the clipboard."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: set[bytes] = set()
        QGuiApplication.clipboard().dataChanged.connect(self._changed)

    def _changed(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard() or QGuiApplication.focusWindow() is not None:
            text = clipboard.text()
            if text:
                self._ours.add(_digest(text))

    def clear_if_ours(self) -> bool:
        clipboard = QGuiApplication.clipboard()
        text = clipboard.text()
        cleared = False
        if text and (clipboard.ownsClipboard() or _digest(text) in self._ours):
            clipboard.clear()
            cleared = True
        self._ours.clear()
        return cleared


def close_all_windows(keep: Iterable[QWidget]) -> int:
    """Close and destroy every top-level widget except ``keep`` (and their children)."""
    kept = [w for w in keep if w is not None]
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if any(widget is k or k.isAncestorOf(widget) for k in kept):
            continue
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
        if widget.isVisible():
            widget.close()
            widget.hide()
        widget.deleteLater()
        closed += 1
    return closed


def flush_deletions() -> None:
    """Run pending deleteLater() calls now, so personal widgets are really gone."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class LockController(QObject):
    """Idle timer and lock keys for the whole application."""

    locked = Signal(str)

    def __init__(
        self,
        target: LockTarget,
        *,
        idle_minutes: int = DEFAULT_IDLE_MINUTES,
        idle_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._target = target
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.lock(REASON_IDLE))
        self.set_idle_interval(idle_minutes=idle_minutes, idle_ms=idle_ms)
        self.clipboard = ClipboardGuard(self)
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    # --- configuration -----------------------------------------------------------

    def set_idle_interval(
        self, *, idle_minutes: int | None = None, idle_ms: int | None = None
    ) -> None:
        if idle_ms is None:
            minutes = DEFAULT_IDLE_MINUTES if idle_minutes is None else idle_minutes
            idle_ms = clamp_idle_minutes(minutes) * 60_000
        self._timer.setInterval(idle_ms)
        if self._armed:
            self._timer.start()

    def idle_interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self) -> None:
        """Start watching: called once the vault is unlocked."""
        self._armed = True
        self._timer.start()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    def shutdown(self) -> None:
        self.disarm()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # --- events ------------------------------------------------------------------

    def _lock_reason(self, event: QKeyEvent) -> str | None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == QUICK_HIDE_KEY and mods == Qt.KeyboardModifier.NoModifier:
            return REASON_QUICK_HIDE
        if self._armed and key == Qt.Key.Key_L and mods == Qt.KeyboardModifier.ControlModifier:
            return REASON_KEY
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._lock_reason(event) is not None:
                event.accept()  # our keys win over any shortcut a screen defines
                return True
        if etype == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            reason = self._lock_reason(event)
            if reason is not None:
                self.lock(reason)
                return True
        if self._armed and etype in _INPUT_EVENTS:
            self._timer.start()
        return False

    # --- locking -----------------------------------------------------------------

    def lock(self, reason: str = REASON_KEY) -> None:
        """Lock now, whatever is open. Safe to call when already locked."""
        global _locking
        if _locking:
            return
        _locking = True
        try:
            self.disarm()
            # Let already-queued zero-delay work (layout fixes, autosave) run while its
            # widgets still exist; user input stays queued until the lock screen is up.
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            self._target.suspend(reason)
            # The neutral screen goes up before the other windows close, so there is
            # always a visible window (closing the last one would quit the program).
            self._target.show_locked(reason)
            close_all_windows(self._target.kept_windows())
            self.clipboard.clear_if_ours()
        finally:
            _locking = False
        self.locked.emit(reason)
