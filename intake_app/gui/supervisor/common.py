"""Small helpers of the supervisor area: questions, file choices, background calls.

The question and file-choice functions are module attributes so tests can replace
them; every dialog is parented to the area, so a lock closes it with the area.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWidget

from intake_app.gui import file_dialogs
from intake_app.gui.workers import Job


def tr(text: str) -> str:
    return QCoreApplication.translate("SupervisorArea", text)


def fill_fiscal_years(combo: QComboBox, years: set[int]) -> None:
    """The year chooser of the statistics and official-return tabs, newest first, in
    和暦 with 西暦 as the papers name the year: 「令和7年度（2025年4月〜2026年3月）」."""
    from intake_app.documents.stats_labels import short_year_label

    for year in sorted(years, reverse=True):
        combo.addItem(
            tr("{}（{}年4月〜{}年3月）").format(short_year_label(year), year, year + 1), year
        )


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question; No is the default button."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def choose_save_file(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    return file_dialogs.choose_save_file(parent, title, suggested, pattern)


def choose_open_file(parent: QWidget, title: str, pattern: str) -> Path | None:
    return file_dialogs.choose_open_file(parent, title, pattern)


def log_error(where: str, exc: BaseException) -> None:
    """An unexpected failure behind a part of the area: its kind only, never content."""
    logging.getLogger("intake_app.gui.supervisor").error("%s: %s", where, type(exc).__name__)


def choose_folder(parent: QWidget, title: str) -> Path | None:
    return file_dialogs.choose_folder(parent, title)


class _Waiter(QObject):
    """Receives a job's outcome on the GUI thread (a QObject slot: queued by affinity)."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.outcome: dict[str, Any] = {}

    @Slot(object)
    def on_done(self, result: Any) -> None:
        self.outcome["result"] = result
        self.loop.quit()

    @Slot(object)
    def on_failed(self, exc: Any) -> None:
        self.outcome["error"] = exc
        self.loop.quit()


def run_blocking(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` off the GUI thread while the window keeps painting; re-raise its error.

    Used for the slow calls (Argon2, backup, restore, VACUUM); the caller disables
    its buttons meanwhile.
    """
    job = Job(func, *args, **kwargs)
    loop = QEventLoop()
    waiter = _Waiter(loop)
    job.done.connect(waiter.on_done)
    job.failed.connect(waiter.on_failed)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        job.start()
        loop.exec()
    finally:
        QApplication.restoreOverrideCursor()
        job.wait()
    outcome = waiter.outcome
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
