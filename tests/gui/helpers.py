"""Typing Japanese the way an input method does (QTest.keyClicks aborts on non-ASCII)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.domain.model import Intake


def commit_text(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def flush() -> None:
    """Run pending deleteLater() calls (the main loop would do this when idle)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def intake(
    name: str,
    kana: str,
    *,
    aliases: list[str] | None = None,
    phone: str = "",
    perpetrator: str = "",
    support_measure_on: dt.date | None = None,
    do_not_disclose: bool = False,
    day: dt.date = dt.date(2026, 11, 25),
) -> Intake:
    item = Intake()
    item.consultation.started_at = dt.datetime.combine(day, dt.time(10, 30))
    item.consultation.channel = "visit"
    item.consultation.counselor = "相談員A"
    item.client.name = name
    item.client.kana = kana
    item.client.aliases = aliases or []
    item.client.safe_contact.phone = phone
    item.client.gender = "female"
    item.relationship.type = "legal_spouse"
    item.relationship.perpetrator_name = perpetrator
    item.violence.types = {"physical": "repeated"}
    item.risk.answers = {"R01": True}
    if support_measure_on is not None:
        item.address.support_measure_applied = True
        item.address.applied_on = support_measure_on
    item.address.do_not_disclose = do_not_disclose
    return item


class WhenDialogOpens:
    """Run ``action(dialog)`` on the first visible top-level ``kind`` once it appears
    (polled from the event loop, so it works inside a modal dialog's exec()).
    Gives up after ``timeout_ms``; ``stop()`` cancels it; ``seen`` lists the dialogs
    acted on. Kept alive by a class-level list while it waits (callers need not hold it)."""

    active: ClassVar[list[WhenDialogOpens]] = []

    def __init__(self, kind: type, action: Any, timeout_ms: int = 5000) -> None:
        from PySide6.QtCore import QTimer

        self.kind = kind
        self.action = action
        self.seen: list[Any] = []
        self._left = max(timeout_ms // 20, 1)
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        WhenDialogOpens.active.append(self)

    def _poll(self) -> None:
        self._left -= 1
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, self.kind) and widget.isVisible():
                self.stop()
                self.seen.append(widget)
                self.action(widget)
                return
        if self._left <= 0:
            self.stop()

    def stop(self) -> None:
        self._timer.stop()
        if self in WhenDialogOpens.active:
            WhenDialogOpens.active.remove(self)
