"""An anonymous consultation (no name kept) reads 「匿名」 on home, in search and on the
case view, never a blank name or empty brackets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from intake_app.gui.main_window import MainWindow
from tests.gui.fakes import FakeVault, GuiSession
from tests.gui.helpers import commit_text, flush, intake

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def main(vault: FakeVault, qtbot) -> Iterator[MainWindow]:
    window = MainWindow(GuiSession(vault.conn), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def column_texts(model, title: str) -> list[str]:
    col = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )
    return [str(model.index(r, col).data() or "") for r in range(model.rowCount())]


def test_anonymous_case_reads_anonymous_everywhere(main: MainWindow, qtbot) -> None:
    item = intake("", "", day=TODAY)
    item.client.anonymous = True
    saved = main.session.records.save_intake(item)
    number = main.session.records.open_case(saved.case_id).case_number

    main.show_home()
    assert column_texts(main.home.today_model, "氏名") == ["匿名"]

    qtbot.mouseClick(main.nav_buttons["search"], Qt.MouseButton.LeftButton)
    commit_text(main.search.query, number)
    qtbot.keyClick(main.search.query, Qt.Key.Key_Return)
    assert main.search.result_count() == 1
    assert column_texts(main.search.model, "氏名") == ["匿名"]

    view = main.open_case(saved.case_id)
    header = view.header.text()
    assert header == f"ケース {number}　匿名"
    assert "()" not in header and "（）" not in header
