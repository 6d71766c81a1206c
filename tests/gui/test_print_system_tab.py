"""The supervisor's 設定 tab says what the local print system keeps of printed papers."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from intake_app.documents import print_system
from intake_app.gui.supervisor.settings_tab import SettingsTab


def tab(qtbot: Any, tmp_path: Path) -> SettingsTab:
    widget = SettingsTab(SimpleNamespace(data_dir=tmp_path))
    qtbot.addWidget(widget)
    return widget


def test_kept_jobs_are_shown_to_the_supervisor(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "cupsd.conf"
    conf.write_text("LogLevel warn\nPreserveJobHistory No\n", encoding="utf-8")
    real = print_system.print_system_warnings
    monkeypatch.setattr(
        print_system,
        "print_system_warnings",
        lambda: real(platform="linux", conf_path=conf),
    )
    widget = tab(qtbot, tmp_path)
    shown = widget.print_system.text()
    assert "PreserveJobFiles No" in shown and "暗号化されずに残ります" in shown
    assert "PreserveJobHistory" not in shown


def test_nothing_kept_is_said_too(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_system, "print_system_warnings", lambda: [])
    widget = tab(qtbot, tmp_path)
    assert "残さない設定です" in widget.print_system.text()
