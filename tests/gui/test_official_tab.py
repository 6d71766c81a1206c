"""報告用集計 in the supervisor area: exact counts on screen, the notice before a file
is written, CSV and PDF audited; declining the notice writes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from intake_app.domain.statistics.official import EXACT_NOTICE
from intake_app.gui.supervisor.official_tab import OfficialTab
from tests.gui.supervisor_support import TODAY, admin, data_dir, replace

__all__ = ["admin", "data_dir"]


def rows(tab: OfficialTab) -> list[list[str]]:
    t = tab.table
    return [
        [t.item(r, c).text() if t.item(r, c) else "" for c in range(t.columnCount())]
        for r in range(t.rowCount())
    ]


def exports(session: Any) -> list[tuple[str, ...]]:
    with session.read("test.inspect") as conn:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT object_id FROM audit_log WHERE action = 'official_return_export'"
            ).fetchall()
        ]


def test_the_official_return_shows_exact_counts_and_says_so(admin: Any, qtbot: Any) -> None:
    tab = OfficialTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    assert tab.notice.text() == EXACT_NOTICE
    tab.year.setCurrentIndex(tab.year.findData(2025))
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    shown = rows(tab)
    # eight DV visits in FY2025 (April 2, May 1, June 5), by one client each
    assert ["配偶者暴力に関する相談件数（延べ件数）", "来所", "8", "0", ""] in shown
    persons = [r for r in shown if r[0] == "相談実人員と延べ件数" and r[1] == "合計"]
    assert persons == [["相談実人員と延べ件数", "合計", "8", "8", ""]]
    assert "秘匿処理なし" in tab.status.text()


def test_saving_asks_first_and_is_audited(
    admin: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = OfficialTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    tab.year.setCurrentIndex(tab.year.findData(2025))
    tab.refresh()
    out = tmp_path / "official.csv"
    asked: list[str] = []
    replace(monkeypatch, "ask", lambda _p, _t, text: asked.append(text) or False)
    replace(monkeypatch, "choose_save_file", lambda *a: out)
    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    assert EXACT_NOTICE in asked[0]
    assert not out.exists() and exports(admin) == []
    replace(monkeypatch, "ask", lambda *a: True)
    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    data = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert data[0][0] == "取扱注意" and data[1] == ["注", EXACT_NOTICE]
    assert (out.stat().st_mode & 0o777) == 0o600
    pdf = tmp_path / "official.pdf"
    replace(monkeypatch, "choose_save_file", lambda *a: pdf)
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert exports(admin) == [("FY2025:csv",), ("FY2025:pdf",)]
