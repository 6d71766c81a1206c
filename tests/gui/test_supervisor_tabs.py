"""The tabs of the supervisor area, driven through their widgets on a real vault."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from intake_app.gui.supervisor.audit_tab import AuditTab
from intake_app.gui.supervisor.backup_tab import BackupTab
from intake_app.gui.supervisor.retention_tab import RetentionTab
from intake_app.gui.supervisor.stats_tab import StatsTab
from intake_app.gui.supervisor.users_tab import UserDialog, UsersTab
from tests.gui.supervisor_support import (
    ADMIN,
    ADMIN_PASS,
    COUNSELOR,
    COUNSELOR_PASS,
    TODAY,
    admin,
    data_dir,
    fast_kdf,
    replace,
)

__all__ = ["admin", "data_dir"]


def cell(table: Any, row: int, col: int) -> str:
    return table.item(row, col).text()


def find_row(table: Any, first: str, second: str) -> int:
    for r in range(table.rowCount()):
        if cell(table, r, 0) == first and cell(table, r, 1) == second:
            return r
    raise AssertionError((first, second))


# --- statistics ---------------------------------------------------------------------


def test_the_statistics_tab_opens_at_once_and_counts_its_first_year_meanwhile(
    admin: Any, qtbot: Any
) -> None:
    """The area must not wait for a year's counts (most of a second at a million
    consultations): the tab says it is counting, then shows the newest year."""
    tab = StatsTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    assert tab.status.text() == "統計を集計しています…" and tab.table.rowCount() == 0
    qtbot.waitUntil(tab.loaded, timeout=30_000)
    # the newest year first: this fiscal year, none of the fixture's consultations yet
    assert tab.status.text() == "令和8年度（2026年度）の相談件数（のべ）: 0件"
    assert tab.table.rowCount() > 10  # every table, with its rows


def test_statistics_show_the_year_and_export_suppressed_csv(
    admin: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = StatsTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    tab.year.setCurrentIndex(tab.year.findData(2025))
    # the year named as the report names it: 和暦 first, then the months in 西暦
    assert tab.year.currentText() == "令和7年度（2025年4月〜2026年3月）"
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == "令和7年度（2025年度）の相談件数（のべ）: 8件"
    r = find_row(tab.table, "相談件数（のべ）", "総数")
    # April 2, May 1, June 5: the supervisor sees the exact counts in the program
    assert [cell(tab.table, r, c) for c in (2, 3, 4, 14)] == ["2", "1", "5", "8"]
    assert tab.month_chart.series() == [[2, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    assert tab.series_chart.categories()[-1] == "令和7"  # 和暦, as the report names the years
    assert tab.series_chart.series()[0][-1] == 8  # DV consultations of 図1
    tab.grab()  # the QPainter charts paint without error

    out = tmp_path / "stats.csv"
    replace(monkeypatch, "choose_save_file", lambda *a: out)
    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    total = next(x for x in rows if x[:2] == ["相談件数（のべ）", "総数"])
    assert total[2:5] == ["<3", "<3", "5"] and total[-1] == "8"
    cells = [c for x in rows[2:] if len(x) > 2 and x[0] not in ("表", "注") for c in x[2:]]
    assert "1" not in cells and "2" not in cells
    with admin.read("test.inspect") as conn:
        exports = conn.execute(
            "SELECT object_id FROM audit_log WHERE action = 'stats_export'"
        ).fetchall()
    assert [tuple(e) for e in exports] == [("FY2025:csv",)]


def test_statistics_pdf_export(
    admin: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = StatsTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    tab.year.setCurrentIndex(tab.year.findData(2025))
    tab.refresh()
    out = tmp_path / "stats.pdf"
    replace(monkeypatch, "choose_save_file", lambda *a: out)
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes().startswith(b"%PDF-")
    assert (out.stat().st_mode & 0o777) == 0o600


# --- audit log ----------------------------------------------------------------------


def test_audit_filters_verification_and_export(
    admin: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin.records.open_case(1)
    tab = AuditTab(admin, today=dt.date.today())
    qtbot.addWidget(tab)
    tab.action.setCurrentIndex(tab.action.findData("case.open"))
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.table.rowCount() == len(tab.shown) >= 1
    assert {e.action for e in tab.shown} == {"case.open"}
    tab.action.setCurrentIndex(0)
    tab.user.setCurrentIndex(tab.user.findData(ADMIN))
    tab.target.setText("case:1")
    tab.apply_filter()
    assert tab.shown and all(e.object_id and "case:1" in e.object_id for e in tab.shown)

    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert tab.chain_status.text().startswith("監査ログの改ざん検査: 異常なし")

    out = tmp_path / "audit.csv"
    replace(monkeypatch, "choose_save_file", lambda *a: out)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    text = out.read_bytes().decode("utf-8-sig")
    assert "case.open" in text and "山田" not in text  # entries only, never content


def test_audit_tab_pages_through_the_log_with_the_keyboard(admin: Any, qtbot: Any) -> None:
    for n in range(230):
        admin.audit("search" if n % 2 else "case.open", None if n % 2 else f"case:{n}")
    tab = AuditTab(admin, today=dt.date.today())
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.table.setFocus()
    first = [e.seq for e in tab.shown]
    assert tab.table.rowCount() == len(first) == 100
    assert first == sorted(first, reverse=True)  # newest first
    assert tab.page_label.text().startswith("1ページ目")
    assert not tab.newer_button.isEnabled() and tab.older_button.isEnabled()
    assert tab.older_button.accessibleName() and tab.newer_button.accessibleName()

    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # 次のページ
    second = [e.seq for e in tab.shown]
    assert len(second) == 100 and max(second) < min(first)
    assert tab.page_label.text().startswith("2ページ目（新しい順に101〜200件目）")
    tab.older_button.setFocus()
    qtbot.keyClick(tab.older_button, Qt.Key.Key_Space)
    third = [e.seq for e in tab.shown]
    assert third and max(third) < min(second)
    qtbot.keyClick(tab.older_button, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # 前のページ
    assert [e.seq for e in tab.shown] == second
    qtbot.keyClick(tab.older_button, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    # the first page is read again: the newest entries, with the page reads since
    assert min(e.seq for e in tab.shown) > max(second) and first[0] in [e.seq for e in tab.shown]
    assert tab.page_label.text().startswith("1ページ目") and not tab.newer_button.isEnabled()

    # a filter starts again from its newest page; Enter in the object field applies it
    tab.target.setText("case:228")
    qtbot.keyClick(tab.target, Qt.Key.Key_Return)
    assert [e.object_id for e in tab.shown] == ["case:228"]
    assert not tab.older_button.isEnabled()


def test_audit_tab_shows_a_tampered_chain(admin: Any, qtbot: Any, data_dir: Path) -> None:
    from tests.unit.store.vault_helpers import data_key_hex, raw_connection

    tab = AuditTab(admin, today=dt.date.today())
    qtbot.addWidget(tab)
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir, ADMIN, ADMIN_PASS))
    conn.execute("UPDATE audit_log SET user_name = 'someone' WHERE seq = 3")
    conn.close()
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert "異常" in tab.chain_status.text() and "3番" in tab.chain_status.text()


def test_retention_shows_a_page_at_a_time(
    admin: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import retention

    monkeypatch.setattr(retention, "PAGE_SIZE", 2)
    with admin.read("test.inspect") as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id")]
    for n, case_id in enumerate(ids[:3]):
        admin.records.close_case(case_id, "支援終了", on=dt.date(2018, 1 + n, 10))
    tab = RetentionTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    assert [cell(tab.table, r, 1) for r in range(tab.table.rowCount())] == [
        "2018-01-10",
        "2018-02-10",
    ]
    assert tab.page_label.text().startswith("全3件中 1〜2件目")
    tab.next_button.setFocus()
    qtbot.keyClick(tab.next_button, Qt.Key.Key_Space)
    assert [cell(tab.table, r, 1) for r in range(tab.table.rowCount())] == ["2018-03-10"]
    assert tab.page_label.text().startswith("全3件中 3〜3件目")
    assert tab.checked_ids() == [ids[2]]  # only the cases on the screen can be destroyed
    tab.previous_button.setFocus()
    qtbot.keyClick(tab.previous_button, Qt.Key.Key_Space)
    assert tab.table.rowCount() == 2


# --- users --------------------------------------------------------------------------


def fill_dialog(monkeypatch: pytest.MonkeyPatch, **fields: str) -> None:
    def exec_(dialog: UserDialog) -> int:
        dialog.name.setText(fields.get("name", dialog.name.text()))
        dialog.display_name.setText(fields.get("display_name", "伊藤 さくら"))
        dialog.role.setCurrentIndex(dialog.role.findData(fields.get("role", "counselor")))
        dialog.passphrase.setText(fields["passphrase"])
        dialog.confirm.setText(fields.get("confirm", fields["passphrase"]))
        dialog._check()
        return int(dialog.result())

    monkeypatch.setattr(UserDialog, "exec", exec_)


def can_unlock(data_dir: Path, user: str, passphrase: str) -> bool:
    """Whether ``user``'s keyslot opens with ``passphrase`` (no second session)."""
    from intake_app.store.errors import WrongPassphrase
    from intake_app.store.header import Header

    header = Header.load(data_dir / "vault.keys")
    slot = header.user_slot(user)
    if slot is None:
        return False
    try:
        slot.open_private(header.vault_id, passphrase)
    except WrongPassphrase:
        return False
    return True


def select_user(tab: UsersTab, name: str) -> None:
    for r in range(tab.table.rowCount()):
        if cell(tab.table, r, 0) == name:
            tab.table.selectRow(r)
            return
    raise AssertionError(name)


def test_users_add_reset_disable(
    admin: Any, qtbot: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = UsersTab(admin, kdf=fast_kdf())
    qtbot.addWidget(tab)
    fill_dialog(monkeypatch, name="ito", passphrase="a quiet morning in april")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "ito" in [cell(tab.table, r, 0) for r in range(tab.table.rowCount())]
    assert can_unlock(data_dir, "ito", "a quiet morning in april")

    # a mismatched confirmation changes nothing
    select_user(tab, COUNSELOR)
    fill_dialog(monkeypatch, passphrase="a brand new passphrase", confirm="something else")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert can_unlock(data_dir, COUNSELOR, COUNSELOR_PASS)

    select_user(tab, COUNSELOR)
    fill_dialog(monkeypatch, passphrase="a brand new passphrase")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert not can_unlock(data_dir, COUNSELOR, COUNSELOR_PASS)
    assert can_unlock(data_dir, COUNSELOR, "a brand new passphrase")
    r = next(r for r in range(tab.table.rowCount()) if cell(tab.table, r, 0) == ADMIN)
    assert cell(tab.table, r, 5)[:4] == str(dt.date.today().year)  # last login shown

    replace(monkeypatch, "ask", lambda *a: True)
    select_user(tab, "ito")
    qtbot.mouseClick(tab.disable_button, Qt.MouseButton.LeftButton)
    r = next(r for r in range(tab.table.rowCount()) if cell(tab.table, r, 0) == "ito")
    assert cell(tab.table, r, 3) == "無効"
    assert not can_unlock(data_dir, "ito", "a quiet morning in april")

    select_user(tab, ADMIN)  # the last supervisor cannot disable themself
    qtbot.mouseClick(tab.disable_button, Qt.MouseButton.LeftButton)
    assert "自分自身" in tab.status.text()


def test_disabling_a_user_offers_to_delete_old_copies_that_still_open_with_her_key(
    admin: Any, qtbot: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = data_dir / "backups"
    kept.mkdir(mode=0o700)
    old_db = kept / "vault-v0001-20260101-000000.db"
    old_keys = kept / "vault-v0001-20260101-000000.keys"
    for path in (old_db, old_keys):
        path.write_bytes(b"old encrypted copy")
    tab = UsersTab(admin, kdf=fast_kdf())
    qtbot.addWidget(tab)
    questions: list[str] = []
    delete_copies = [False]  # the first time she keeps them

    def ask(_parent: Any, _title: str, text: str) -> bool:
        questions.append(text)
        return delete_copies[0] or "古いコピー" not in text

    replace(monkeypatch, "ask", ask)
    fill_dialog(monkeypatch, name="ito", passphrase="a quiet morning in april")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    select_user(tab, "ito")
    questions.clear()
    qtbot.mouseClick(tab.disable_button, Qt.MouseButton.LeftButton)
    assert any("2 個残っています" in q for q in questions)
    assert old_db.exists() and "後で削除できます" in tab.status.text()

    delete_copies[0] = True
    select_user(tab, COUNSELOR)
    fill_dialog(monkeypatch, passphrase="a brand new passphrase")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert not old_db.exists() and not old_keys.exists()
    assert "古いコピーを削除しました" in tab.status.text()
    assert admin.kept_copies() == []


def test_regenerated_recovery_key_is_shown_once_and_works(
    admin: Any, qtbot: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.gui.supervisor import common
    from intake_app.store.vault import Vault

    shown: list[str] = []
    replace(monkeypatch, "ask", lambda *a: True)
    monkeypatch.setattr(
        common,
        "show_dialog",
        lambda d: shown.append(d.findChild(type(d.children()[1]), "recoveryKey").text()),
        raising=False,
    )
    tab = UsersTab(admin, kdf=fast_kdf())
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.recovery_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and len(shown[0]) > 20
    admin.close()
    Vault.recover(data_dir, shown[0], COUNSELOR, "recovered passphrase here")
    Vault.open(data_dir, COUNSELOR, "recovered passphrase here").close()


# --- backup and restore -------------------------------------------------------------


def test_backup_then_tampered_restore_is_refused(
    admin: Any, qtbot: Any, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store.vault import Vault

    tab = BackupTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    assert "まだバックアップがありません" in tab.last.text()
    media = tmp_path / "usb"
    media.mkdir()
    replace(monkeypatch, "choose_folder", lambda *a: media)
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    (backup,) = list(media.iterdir())
    assert (backup / "vault.db").is_file() and (backup / "vault.keys").is_file()
    assert tab.progress.value() == tab.progress.maximum()
    assert "検査しました" in tab.status.text()
    assert "最終バックアップ" in tab.last.text()

    db = bytearray((backup / "vault.db").read_bytes())
    db[len(db) // 2] ^= 0xFF
    (backup / "vault.db").write_bytes(bytes(db))
    ended: list[str] = []
    tab.session_ended.connect(ended.append)
    replace(monkeypatch, "choose_folder", lambda *a: backup)
    replace(monkeypatch, "ask", lambda *a: True)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert "復元できませんでした" in tab.status.text()
    assert tab.progress.value() == 0
    if not admin.is_open:
        assert ended == ["restore_failed"]
    with Vault.open(data_dir, ADMIN, ADMIN_PASS) if not admin.is_open else admin as s:
        with s.read("test.inspect") as conn:
            assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] == 8
    assert not [p for p in data_dir.iterdir() if p.name.startswith("replaced-")]


def test_restore_of_a_good_backup_ends_the_session(
    admin: Any, qtbot: Any, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store.vault import Vault

    backup = tmp_path / "backup"
    admin.backup(backup)
    admin.records.save_intake(
        __import__("tests.gui.helpers", fromlist=["intake"]).intake("後で", "あとで")
    )
    tab = BackupTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    ended: list[str] = []
    tab.session_ended.connect(ended.append)
    replace(monkeypatch, "choose_folder", lambda *a: backup)
    replace(monkeypatch, "ask", lambda *a: True)
    replace(monkeypatch, "inform", lambda *a: None)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert ended == ["restored"] and not admin.is_open
    with Vault.open(data_dir, ADMIN, ADMIN_PASS) as s:
        with s.read("test.inspect") as conn:
            assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] == 8
        assert s.verify().ok


# --- retention ----------------------------------------------------------------------


def test_retention_lists_and_destroys_after_confirmation(
    admin: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with admin.read("test.inspect") as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id")]
    admin.records.close_case(ids[0], "支援終了", on=dt.date(2019, 1, 10))
    admin.records.close_case(ids[1], "支援終了", on=dt.date(2020, 2, 10))
    admin.records.close_case(ids[2], "支援終了", on=dt.date(2025, 2, 10))
    tab = RetentionTab(admin, today=TODAY)
    qtbot.addWidget(tab)
    assert tab.table.rowCount() == 2
    assert [cell(tab.table, r, 1) for r in range(2)] == ["2019-01-10", "2020-02-10"]
    assert tab.page_label.text().startswith("全2件中 1〜2件目")
    assert not tab.next_button.isEnabled() and not tab.previous_button.isEnabled()

    replace(monkeypatch, "ask", lambda *a: False)  # the supervisor says no: nothing happens
    qtbot.mouseClick(tab.destroy_button, Qt.MouseButton.LeftButton)
    assert tab.table.rowCount() == 2

    tab.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    replace(monkeypatch, "ask", lambda *a: True)
    qtbot.mouseClick(tab.destroy_button, Qt.MouseButton.LeftButton)
    assert "1件のケースを削除しました" in tab.status.text()
    with admin.read("test.inspect") as conn:
        left = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id")]
    assert left == ids[1:]
    assert tab.table.rowCount() == 1
    assert admin.verify().ok
