"""The launch path: font, style sheet, and the neutral error hook that keeps the draft."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.gui.app import ErrorHook, style_sheet


def test_style_sheet_is_loaded_and_shows_focus(configured_app) -> None:
    sheet = style_sheet()
    assert ":focus" in sheet
    assert QApplication.instance().styleSheet() == sheet


def test_error_hook_saves_draft_logs_no_personal_data_and_says_it_plainly(
    qtbot, configured_app, caplog: pytest.LogCaptureFixture
) -> None:
    saved: list[bool] = []
    shown: list[str] = []

    def close_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                shown.append(widget.text())
                widget.accept()

    hook = ErrorHook(lambda: saved.append(True))
    timer = QTimer()
    timer.timeout.connect(close_dialog)
    timer.start(20)
    try:
        raise ValueError("山田花子 090-1111-2222")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="intake_app"):
            hook(type(exc), exc, exc.__traceback__)
    timer.stop()
    assert saved == [True]
    assert len(shown) == 1 and "保存しました" in shown[0]
    assert "山田" not in shown[0]
    assert "ValueError" in caplog.text
    assert "山田花子" not in caplog.text and "090" not in caplog.text
