"""Two counselors on one PC (issue 19, items 2, 5 and 7), on the real vault.

- One login name's wrong passphrases never keep another name out: the countdown and
  the disabled button follow the name typed.
- The last login name is remembered in settings.ini (nothing else), and the cursor
  starts in the passphrase field.
- Unlocking as another user starts on home; the first user's open intake waits, as a
  draft of that user's, and that user comes back to it.
"""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.gui.main_window import VIEW_HOME, VIEW_INTAKE
from intake_app.gui.settings import SETTINGS_FILE, load_last_user
from intake_app.gui.shell import Shell
from intake_app.store import Vault, kdf
from tests.gui.helpers import commit_text, flush
from tests.gui.intake_helpers import FAST_KDF_ENV, PASSPHRASE

OTHER = "suzuki"
OTHER_PASS = "あおぞらの下で歩く十二文字です"
WRONG = "まちがったパスフレーズです"


@pytest.fixture
def two_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(FAST_KDF_ENV, "1")
    Vault.create(tmp_path, "tanaka", PASSPHRASE, kdf=kdf.TEST_FAST)
    session = Vault.open(tmp_path, "tanaka", PASSPHRASE)
    try:
        session.users.add(OTHER, "counselor", OTHER_PASS, kdf=kdf.TEST_FAST)
    finally:
        session.close()
    return tmp_path


@pytest.fixture
def shell(two_users: Path, qtbot, configured_app):
    shell = Shell(two_users, Vault)
    yield shell
    shell.shutdown()
    flush()


def attempt(qtbot, shell: Shell, user: str, passphrase: str) -> None:
    screen = shell.unlock
    screen.ui.userEdit.clear()
    commit_text(screen.ui.userEdit, user)
    screen.ui.passphraseEdit.clear()
    commit_text(screen.ui.passphraseEdit, passphrase)
    qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy, timeout=10000)


def unlock_as(qtbot, shell: Shell, user: str, passphrase: str):
    with qtbot.waitSignal(shell.main_shown, timeout=10000):
        attempt(qtbot, shell, user, passphrase)
    return shell.main


def test_one_names_failures_do_not_lock_out_another(qtbot, shell: Shell, two_users: Path):
    shell.start()
    screen = shell.unlock
    for _ in range(5):
        attempt(qtbot, shell, "tanaka", WRONG)
    assert Vault.throttle_wait(two_users, "tanaka") > 0
    assert not screen.ui.unlockButton.isEnabled()
    assert "秒お待ちください" in screen.message()
    assert screen.wait_for("tanaka") > 0
    # another name: the button is back, no countdown, and that user gets in
    screen.ui.userEdit.clear()
    commit_text(screen.ui.userEdit, OTHER)
    assert screen.ui.unlockButton.isEnabled()
    assert "秒お待ちください" not in screen.message()
    assert screen.wait_for(OTHER) == 0
    # back to the throttled name: its countdown again, still running
    screen.ui.userEdit.clear()
    commit_text(screen.ui.userEdit, "tanaka")
    assert not screen.ui.unlockButton.isEnabled()
    assert "秒お待ちください" in screen.message()
    main = unlock_as(qtbot, shell, OTHER, OTHER_PASS)
    assert main.session.user.name == OTHER


def test_the_last_login_name_is_remembered_and_the_cursor_waits_in_the_passphrase(
    qtbot, configured_app, two_users: Path
):
    shell = Shell(two_users, Vault)
    try:
        shell.start()
        assert shell.unlock.ui.userEdit.text() == ""  # nothing remembered yet
        attempt(qtbot, shell, "tanaka", WRONG)
        assert load_last_user(two_users) == "", "a failed attempt remembers nothing"
        unlock_as(qtbot, shell, OTHER, OTHER_PASS)
    finally:
        shell.shutdown()
        flush()
    ini = configparser.ConfigParser()
    ini.read(two_users / SETTINGS_FILE, encoding="utf-8")
    assert dict(ini["unlock"]) == {"last_user": OTHER}, "the login name and nothing else"
    assert (two_users / SETTINGS_FILE).stat().st_mode & 0o077 == 0
    # a cold start: the name is there, the cursor in the passphrase field
    again = Shell(two_users, Vault)
    try:
        screen = again.start()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is again.unlock.ui.passphraseEdit)
        assert again.unlock.ui.userEdit.text() == OTHER
    finally:
        again.shutdown()
        flush()


def test_another_user_starts_on_home_and_the_first_users_intake_waits(qtbot, shell: Shell):
    shell.start()
    main = unlock_as(qtbot, shell, "tanaka", PASSPHRASE)
    wizard = main.open_intake()
    commit_text(wizard.pages[2].name, "見本　花子")
    qtbot.keyClick(wizard, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shell.main is None)
    # suzuki unlocks: home, no intake of tanaka's, and tanaka's draft is not listed
    main = unlock_as(qtbot, shell, OTHER, OTHER_PASS)
    assert main.current_view == VIEW_HOME
    assert main.wizard is None
    assert main.home.draft_model.rowCount() == 0
    assert main.session.records.list_drafts() == []
    qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shell.main is None)
    # tanaka comes back to the intake, as it was typed
    main = unlock_as(qtbot, shell, "tanaka", PASSPHRASE)
    assert main.current_view == VIEW_INTAKE
    assert main.wizard.collect().client.name == "見本　花子"
