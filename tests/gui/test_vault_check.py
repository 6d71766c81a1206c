"""The check after unlock in the main window: a progress line in the status bar, then
「異常なし」; on a damaged vault a red banner on every screen, one message naming what
to do, the reading screens disabled, and the intake's draft refused with the reason
while the answers stay on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.gui.main_window import VIEW_PERPETRATOR, VIEW_SEARCH, MainWindow
from intake_app.store import Vault, kdf
from intake_app.store.errors import WritesStopped
from intake_app.store.synthetic import generate
from tests.gui.intake_helpers import FAST_KDF_ENV, PASSPHRASE, load_font, shot

USER = "tanaka"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(FAST_KDF_ENV, "1")
    Vault.create(tmp_path, USER, PASSPHRASE, kdf=kdf.TEST_FAST)
    with Vault.open(tmp_path, USER, PASSPHRASE) as session:
        session.records.save_intakes([(i.intake, None) for i in generate(20, seed=4)])
    return tmp_path


def _window(qtbot: Any, data_dir: Path) -> MainWindow:
    load_font()
    session = Vault.open(data_dir, USER, PASSPHRASE, background=True)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_status_bar_says_how_far_the_check_is_then_its_result(
    qtbot: Any, configured_app: QApplication, data_dir: Path
) -> None:
    window = _window(qtbot, data_dir)
    first = window.check_label.text()
    assert "保管庫" in first and "検査" in first
    qtbot.waitUntil(lambda: "異常なし" in window.check_label.text(), timeout=30_000)
    assert window.damaged_banner.isHidden()
    assert window.poll_check() == "ok"
    assert window.session is not None
    window.session.close()


def test_a_damaged_vault_stops_every_save_and_says_so(
    qtbot: Any, configured_app: QApplication, data_dir: Path
) -> None:
    db = data_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - 3000] ^= 0x26
    db.write_bytes(bytes(data))
    window = _window(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.damaged_banner.isVisible(), timeout=30_000)
    assert window.damaged_banner.text() == WritesStopped().message
    assert "保存を止めています" in window.check_label.text()
    box = window.findChild(QMessageBox, "vaultDamagedBox")
    assert box is not None and box.isVisible()
    assert "バックアップから復元してください" in box.text()
    assert "データベースが壊れています" in box.informativeText()
    assert not window.nav_buttons[VIEW_SEARCH].isEnabled()
    assert not window.nav_buttons[VIEW_PERPETRATOR].isEnabled()
    shot(window, "vault-check-stopped")
    box.accept()
    # An intake can still be typed; its draft is refused with the reason, kept on screen.
    wizard: Any = window.open_intake()
    assert wizard is not None
    wizard._touched = True
    assert wizard.save_draft_now() is None
    assert wizard.status.text() == WritesStopped().message
    shot(window, "vault-check-stopped-intake")
    window.show_home()  # the home lists cannot be read: the banner stays, no error box
    assert window.damaged_banner.isVisible()
    session = window.session
    assert session is not None
    window.suspend()
    session.close()
    assert (data_dir / "vault.db-wal").exists()  # nothing folded into the damaged file


def test_a_supervisor_restores_a_stopped_vault_from_its_backup(
    qtbot: Any,
    configured_app: QApplication,
    data_dir: Path,
    tmp_path_factory: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import Qt

    from intake_app.gui.supervisor import RestoreArea, common
    from tests.unit.store.vault_helpers import snapshot

    backup = tmp_path_factory.mktemp("media") / "backup"
    with Vault.open(data_dir, USER, PASSPHRASE) as session:
        session.backup(backup)
    db = data_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - 3000] ^= 0x26
    db.write_bytes(bytes(data))
    session = Vault.open(data_dir, USER, PASSPHRASE, background=True)
    assert session.wait_check(30).state == "problem"  # type: ignore[union-attr]
    session.confirm_passphrase(PASSPHRASE)  # the area asks again; nothing is recorded
    damaged = snapshot(data_dir)
    area = RestoreArea(session)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    # readable by a screen reader, on the smallest screen, Tab in order (the walk of
    # every screen cannot reach it: it needs a damaged vault)
    from tests.gui.walker import check_screen

    assert check_screen(qtbot, area) == []
    assert not area.backup_tab.backup_button.isEnabled()
    assert "わかりません" in area.backup_tab.last.text()
    ended: list[str] = []
    area.session_ended.connect(ended.append)
    monkeypatch.setattr(common, "choose_folder", lambda *a: backup)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    monkeypatch.setattr(common, "inform", lambda *a: None)
    qtbot.mouseClick(area.backup_tab.restore_button, Qt.MouseButton.LeftButton)
    assert ended == ["restored"] and not session.is_open
    kept = next(p for p in data_dir.iterdir() if p.name.startswith("replaced-"))
    # the damaged vault is kept as it was (WAL included) beside the restored one
    assert {k.split("/")[-1]: v[0] for k, v in snapshot(kept).items()} == {
        k: v[0] for k, v in damaged.items()
    }
    restored = Vault.open(data_dir, USER, PASSPHRASE, background=True)
    assert restored.wait_check(30).state == "ok"  # type: ignore[union-attr]
    restored.close()


def test_a_damaged_wal_set_aside_at_unlock_is_told_once_and_the_check_passes(
    qtbot: Any, configured_app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The program died after a checkpoint, then its WAL was damaged: the unlock opens the
    database file alone (every save is there), and the window says so in a message box
    naming the kept file; the check of every page follows and finds nothing wrong."""
    from tests.unit.store import records_support as rs
    from tests.unit.store.test_wal_damage import crashed_after_checkpoint, flip_early_frame

    data_dir = tmp_path / "data"
    saved = crashed_after_checkpoint(data_dir, monkeypatch)
    flip_early_frame(data_dir)
    load_font()
    session = Vault.open(data_dir, rs.USER, rs.PASSPHRASE, background=True)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    box = window.findChild(QMessageBox, "unlockNoticeBox")
    assert box is not None and box.isVisible()
    kept = sorted(data_dir.glob("vault.db-wal.damaged-*"))
    assert len(kept) == 1
    assert "何も失われていません" in box.text() and kept[0].name in box.text()
    qtbot.waitUntil(lambda: "異常なし" in window.check_label.text(), timeout=30_000)
    assert window.damaged_banner.isHidden()
    shot(window, "vault-wal-set-aside")
    box.accept()
    new = window.session.records.save_intake(next(iter(generate(1, seed=9))).intake)
    with window.session.read("test.inspect") as conn:
        ids = {r[0] for r in conn.execute("SELECT id FROM consultations")}
    assert set(saved) | {new.consultation_id} <= ids  # nothing lost, saving goes on
    window.session.close()
