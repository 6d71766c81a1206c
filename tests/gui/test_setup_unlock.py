"""First-run setup and the unlock screen, against the real vault (fast KDF for tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from intake_app.gui.setup import SetupWizard, municipality_choices, passphrase_feedback
from intake_app.gui.unlock import UnlockScreen
from intake_app.store import Vault
from tests.gui.helpers import commit_text

PASS = "しずかな朝に川を渡る小舟"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")


@pytest.fixture
def made_vault(tmp_path: Path) -> Path:
    Vault.create(tmp_path, "sato", PASS)
    return tmp_path


def test_municipality_defaults_to_warabi() -> None:
    mid, name = municipality_choices()[0]
    assert (mid, name) == ("warabi", "蕨市")


def test_passphrase_feedback_follows_the_policy() -> None:
    assert passphrase_feedback("みじかい", "みじかい") == (
        False,
        "あと 8 文字必要です（12文字以上）。",
    )
    ok, text = passphrase_feedback("password1234", "password1234")
    assert not ok and "よく使われる" in text
    ok, text = passphrase_feedback(PASS, PASS + "x")
    assert not ok and "一致しません" in text
    assert passphrase_feedback(PASS, PASS)[0]


def test_setup_creates_vault_shows_recovery_key_once_and_needs_confirmation(
    qtbot, configured_app, tmp_path: Path
) -> None:
    wizard = SetupWizard(tmp_path, Vault)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.account
    assert page.ui.municipalityCombo.currentText() == "蕨市"
    assert "蕨市の設定" in page.ui.municipalityMessage.text()
    commit_text(page.ui.displayNameEdit, "佐藤 一郎")
    commit_text(page.ui.userEdit, "佐藤")
    commit_text(page.ui.passphraseEdit, "短い")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "文字必要" in page.ui.feedbackLabel.text()
    page.ui.passphraseEdit.clear()
    commit_text(page.ui.passphraseEdit, PASS)
    commit_text(page.ui.confirmEdit, PASS)
    assert "使えます" in page.ui.feedbackLabel.text()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert page.ui.passphraseEdit.text() == ""  # not kept in the form while the KDF runs
    qtbot.waitUntil(lambda: wizard.currentId() == SetupWizard.PAGE_RECOVERY, timeout=20000)
    assert Vault.exists(tmp_path)
    key = wizard.recovery.key_label.text()
    assert len(key) >= 20
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the "stored it" confirmation first
    wizard.reject()
    assert wizard.isVisible()  # cannot leave before the key is confirmed
    with qtbot.waitSignal(wizard.created) as created:
        qtbot.keyClick(wizard.recovery.stored, Qt.Key.Key_Space)
        assert finish.isEnabled()
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert created.args == ["佐藤"]
    assert wizard.recovery.key_label.text() == ""  # shown once
    session = Vault.open(tmp_path, "佐藤", PASS)
    try:
        assert session.user.role == "supervisor"
        assert session.municipality.id == "warabi"  # imported into the vault
        assert session.display_name == "佐藤 一郎"
    finally:
        session.close()


def _attempt(qtbot, screen: UnlockScreen, user: str, passphrase: str) -> None:
    screen.ui.userEdit.clear()
    commit_text(screen.ui.userEdit, user)
    commit_text(screen.ui.passphraseEdit, passphrase)
    qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy, timeout=10000)


def test_unlock_with_good_and_bad_passphrases(qtbot, configured_app, made_vault: Path) -> None:
    screen = UnlockScreen(made_vault, Vault)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.windowTitle() == "相談記録システム"
    _attempt(qtbot, screen, "sato", "まちがったパスフレーズです")
    assert "違います" in screen.message()
    assert screen.ui.passphraseEdit.text() == ""
    with qtbot.waitSignal(screen.unlocked, timeout=10000) as opened:
        _attempt(qtbot, screen, "sato", PASS)
    session = opened.args[0]
    try:
        assert session.user.name == "sato"
        assert session.records.home is not None
    finally:
        session.close()


def test_repeated_failures_show_a_wait_time_and_block_the_button(
    qtbot, configured_app, made_vault: Path
) -> None:
    screen = UnlockScreen(made_vault, Vault)
    qtbot.addWidget(screen)
    screen.show()
    for _ in range(5):
        _attempt(qtbot, screen, "sato", "まちがったパスフレーズです")
    assert Vault.throttle_wait(made_vault, "sato") > 0
    assert "秒お待ちください" in screen.message()
    assert screen.wait_remaining_s() > 0
    assert not screen.ui.unlockButton.isEnabled()
    commit_text(screen.ui.passphraseEdit, PASS)
    qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    assert not screen.busy  # no attempt is made while waiting


def test_caps_lock_warning(qtbot, configured_app, made_vault: Path) -> None:
    screen = UnlockScreen(made_vault, Vault)
    qtbot.addWidget(screen)
    screen.show()
    field = screen.ui.passphraseEdit
    assert not screen.caps_lock_warning_visible()
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, field, Qt.Key.Key_A, "A", Qt.KeyboardModifier.NoModifier
    )
    assert screen.caps_lock_warning_visible()
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, field, Qt.Key.Key_A, "a", Qt.KeyboardModifier.NoModifier
    )
    assert not screen.caps_lock_warning_visible()


def test_unlock_screen_shows_nothing_but_the_product(
    qtbot, configured_app, made_vault: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    screen = UnlockScreen(made_vault, Vault)
    qtbot.addWidget(screen)
    screen.show()
    texts = {lbl.text() for lbl in screen.findChildren(QLabel) if lbl.isVisible() and lbl.text()}
    assert texts == {"相談記録システム", "ログイン名(&U)", "パスフレーズ(&P)"}


def test_typing_in_setup_does_not_corrupt_interpreter_refcounts(qtbot, configured_app, tmp_path):
    """PySide6 6.12 loses a reference to True per C++ call of a Python isComplete()."""
    import sys

    wizard = SetupWizard(tmp_path, Vault)
    qtbot.addWidget(wizard)
    wizard.show()
    before = sys.getrefcount(True)
    for i in range(200):
        wizard.account.ui.userEdit.setText(f"user{i}")
    assert sys.getrefcount(True) >= before - 20


def test_recovery_key_print_opens_the_preview_of_an_in_memory_pdf(
    qtbot, configured_app, tmp_path: Path
) -> None:
    from intake_app.gui.printing import recovery_key_pdf

    pdf = recovery_key_pdf("ABCD-EFGH-2345")
    assert pdf.startswith(b"%PDF")
    wizard = SetupWizard(tmp_path, Vault)
    qtbot.addWidget(wizard)
    wizard.recovery.show_key("ABCD-EFGH-2345")
    qtbot.mouseClick(wizard.recovery.print_button, Qt.MouseButton.LeftButton)
    assert wizard.preview is not None and wizard.preview.isVisible()
    wizard.preview.close()
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_printing_the_recovery_key_is_audited_never_its_content(
    qtbot, configured_app, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    wizard = SetupWizard(data, Vault)
    qtbot.addWidget(wizard)
    wizard.show()
    commit_text(wizard.account.ui.displayNameEdit, "佐藤 一郎")
    commit_text(wizard.account.ui.userEdit, "佐藤")
    commit_text(wizard.account.ui.passphraseEdit, PASS)
    commit_text(wizard.account.ui.confirmEdit, PASS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == SetupWizard.PAGE_RECOVERY, timeout=20000)
    key = wizard.recovery.key_label.text()
    qtbot.mouseClick(wizard.recovery.print_button, Qt.MouseButton.LeftButton)
    preview = wizard.preview
    qtbot.waitUntil(lambda: preview.page_count() == 1, timeout=5000)
    assert not preview.save_button.isVisible(), "the key is never offered as a PDF file"
    from intake_app.gui.print_job import new_printer

    printer = new_printer()
    printer.setOutputFileName(str(tmp_path / "sheet.pdf"))  # a test-only PDF printer
    assert preview.print_to(printer)
    preview.close()
    with qtbot.waitSignal(wizard.created):
        qtbot.keyClick(wizard.recovery.stored, Qt.Key.Key_Space)
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert wizard.session is None  # closed before the unlock screen opens the vault
    session = Vault.open(data, "佐藤", PASS)
    try:
        with session.read("test.inspect") as conn:
            rows = conn.execute(
                "SELECT action, object_id, detail FROM audit_log ORDER BY seq"
            ).fetchall()
    finally:
        session.close()
    prints = [tuple(r) for r in rows if r[0] == "print"]
    assert prints == [("print", "recovery_key", "printer=PDFファイル; copies=1; pages=1/1")]
    actions = [r[0] for r in rows]
    assert actions.index("vault_create") < actions.index("print")
    for row in rows:  # the key itself is nowhere in the log
        assert key not in " ".join(str(v) for v in row)
        assert key.replace("-", "") not in " ".join(str(v) for v in row)


def test_setup_needs_the_display_name_and_refuses_a_broken_municipality_file(
    qtbot, configured_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.gui import setup as setup_mod

    wizard = SetupWizard(tmp_path / "new", Vault)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.account
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    commit_text(page.ui.userEdit, "佐藤")
    commit_text(page.ui.passphraseEdit, PASS)
    commit_text(page.ui.confirmEdit, PASS)
    assert not next_button.isEnabled()
    assert "氏名を入力してください" in page.ui.feedbackLabel.text()
    commit_text(page.ui.displayNameEdit, "佐藤 一郎")
    assert next_button.isEnabled()
    broken = tmp_path / "othertown.toml"
    text = (Path(setup_mod.__file__).parents[1] / "resources/municipality/warabi.toml").read_text(
        "utf-8"
    )
    broken.write_text(text.replace('kind = "police"', 'kind = "navy"'), "utf-8")
    monkeypatch.setattr(setup_mod, "choose_municipality_file", lambda parent: str(broken))
    qtbot.mouseClick(page.ui.municipalityFileButton, Qt.MouseButton.LeftButton)
    assert page.ui.municipalityCombo.currentText() == "othertown.toml"
    message = page.ui.municipalityMessage.text()
    assert "othertown.toml の「destinations[0].kind」" in message and "行目" in message
    assert not next_button.isEnabled()
    assert not (tmp_path / "new").exists()
    page.ui.municipalityCombo.setCurrentIndex(0)
    assert next_button.isEnabled()
