"""The supervisor marks a language of the client's papers as checked by an interpreter:
the state shown per language, each change an audit entry, refusals in one sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from intake_app.gui.supervisor.paper_languages import PaperLanguagesBox
from intake_app.gui.supervisor.settings_tab import SettingsTab
from intake_app.store.paper_languages import REVIEWED, WITHDRAWN, centre_reviews
from tests.gui.supervisor_support import (
    COUNSELOR,
    COUNSELOR_PASS,
    TODAY,
    admin,
    audit_actions,
    data_dir,
)

__all__ = ["admin", "data_dir"]


def box(qtbot: Any, session: Any) -> PaperLanguagesBox:
    widget = PaperLanguagesBox(session, today=TODAY)
    qtbot.addWidget(widget)
    return widget


def test_every_language_starts_unchecked_and_is_marked_with_who_and_when(
    qtbot: Any, admin: Any
) -> None:
    widget = box(qtbot, admin)
    lines = widget.state_lines()
    assert len(lines) == 9 and all(line.endswith("未確認") for line in lines)
    widget.language.setCurrentIndex(widget.language.findData("vi"))
    widget.reviewer.setText("ベトナム語通訳 見本")
    widget.reviewed_on.setText("2026-11-20")
    assert widget.mark() is True
    assert "ベトナム語: 確認済み（ベトナム語通訳 見本、2026-11-20、センターで確認）" in (
        widget.state_lines()
    )
    row = widget.language.findData("vi")
    assert widget.states.item(row, 1).text().startswith("確認済み")
    assert "ベトナム語" in widget.status.text()
    assert set(centre_reviews(admin)) == {"vi"}
    assert audit_actions(admin)[-1] == (REVIEWED, "language:vi")
    assert widget.withdraw() is True
    assert "ベトナム語: 未確認" in widget.state_lines()
    widget.states.selectRow(widget.language.findData("ko"))
    assert widget.code() == "ko"  # the table row chooses the language below
    assert audit_actions(admin)[-1] == (WITHDRAWN, "language:vi")
    assert widget.withdraw() is False and "確認済みにしていません" in widget.status.text()


def test_a_mark_without_a_name_or_a_readable_date_is_refused(qtbot: Any, admin: Any) -> None:
    widget = box(qtbot, admin)
    before = audit_actions(admin)
    widget.reviewer.setText("")
    assert widget.mark() is False and "名前を入力" in widget.status.text()
    widget.reviewer.setText("通訳者")
    widget.reviewed_on.setText("きのう")
    assert widget.mark() is False and "日付" in widget.status.text()
    after = audit_actions(admin)
    assert [a for a in after if a[0] != "test.inspect"] == [
        a for a in before if a[0] != "test.inspect"
    ]


def test_a_counselor_is_refused(qtbot: Any, data_dir: Path, configured_app: Any) -> None:
    from intake_app.store.vault import Vault

    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as counselor:
        widget = box(qtbot, counselor)
        widget.reviewer.setText("通訳者")
        assert widget.mark() is False
        assert "管理者" in widget.status.text()
        assert centre_reviews(counselor) == {}


def test_the_settings_tab_holds_it(qtbot: Any, admin: Any) -> None:
    tab = SettingsTab(admin)
    qtbot.addWidget(tab)
    assert isinstance(tab.paper_languages, PaperLanguagesBox)
    for label in tab.paper_languages.findChildren(QLabel):
        if label.buddy() is not None:
            assert "&" in label.text()  # every field reached with Alt+key
