"""Fixtures for the shell tests: the application configured like the real program."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from intake_app.gui.app import configure_application
from tests.gui.fakes import FakeVault
from tests.gui.intake_helpers import FAST_KDF_ENV, open_session


@pytest.fixture(scope="session")
def configured_app(qapp: QApplication) -> QApplication:
    configure_application(qapp)
    return qapp


@pytest.fixture
def vault(configured_app: QApplication) -> Iterator[FakeVault]:
    fake = FakeVault()
    yield fake
    fake.conn.close()


@pytest.fixture
def session(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real vault session (fast test KDF, the bundled municipality), closed afterwards.
    A test module that needs another kind of session defines its own ``session``."""
    monkeypatch.setenv(FAST_KDF_ENV, "1")
    s = open_session(tmp_path)
    yield s
    s.close()


@pytest.fixture
def no_windows_left(configured_app: QApplication) -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()


def visible_texts() -> list[str]:
    """Every text a user could read in any live widget (labels, fields, table cells)."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

    texts: list[str] = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model: Any = widget.model()
            for row in range(model.rowCount()):
                for col in range(model.columnCount()):
                    texts.append(str(model.index(row, col).data()))
    return texts
