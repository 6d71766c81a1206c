"""A training vault (demo data) is marked 「練習用の保管庫」 in the main window's status bar."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from intake_app.gui.main_window import MainWindow
from tests.gui.intake_helpers import FAST_KDF_ENV, open_session

MARKER = "練習用の保管庫"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Any]:
    s = open_session(tmp_path / "data")
    yield s
    s.close()


def status_texts(window: MainWindow) -> list[str]:
    return [
        label.text()
        for label in window.statusBar().findChildren(QLabel)
        if label.isVisibleTo(window)
    ]


def test_a_training_vault_shows_the_marker_in_the_status_bar(
    qtbot: Any, configured_app: Any, session: Any
) -> None:
    from intake_app.commands.demo import fill

    fill(session, 5, seed=1)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert MARKER in status_texts(window)
    assert window.training_label is not None
    assert MARKER in window.training_label.accessibleName()


def test_a_normal_vault_has_no_marker(qtbot: Any, configured_app: Any, session: Any) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.training_label is None
    assert not any(MARKER in text for text in status_texts(window))
    assert session.is_training() is False
