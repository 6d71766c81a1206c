"""The lock path with the real intake wizard embedded and the real vault (fast KDF)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from intake_app.gui.main_window import VIEW_INTAKE
from intake_app.gui.shell import Shell
from intake_app.store import Vault
from tests.gui.conftest import visible_texts
from tests.gui.helpers import WhenDialogOpens, commit_text, flush

PASS = "しずかな朝に川を渡る小舟"
CANARY = "鍵掛テスト花子"


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured_app) -> Iterator[Shell]:
    pytest.importorskip("intake_app.gui.intake.wizard")
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Shell(tmp_path, Vault, idle_ms=60_000)
    s.start()
    yield s
    s.lock.lock("key")
    s.lock.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush()


def unlock(shell: Shell, qtbot) -> None:
    screen = shell.unlock
    screen.ui.userEdit.setText("sato")
    commit_text(screen.ui.passphraseEdit, PASS)
    with qtbot.waitSignal(shell.main_shown, timeout=10000):
        qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)


def name_field(wizard) -> QLineEdit:
    fields = wizard.findChildren(QLineEdit)
    client_page = next(p for p in wizard.pages if hasattr(p, "name") and hasattr(p, "anonymous"))
    assert client_page.name in fields
    return client_page.name


def test_ctrl_l_mid_intake_keeps_the_draft_and_reopens_the_step(shell: Shell, qtbot) -> None:
    unlock(shell, qtbot)
    main = shell.main
    assert main is not None
    wizard = main.open_intake()
    client_step = next(
        i for i, p in enumerate(wizard.pages) if hasattr(p, "name") and hasattr(p, "anonymous")
    )
    wizard.go_to(client_step)
    field = name_field(wizard)
    field.setFocus()
    commit_text(field, CANARY)
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    flush()
    assert shell.main is None and shell.session is None
    assert not shiboken6.isValid(wizard)
    assert not any(CANARY in text for text in visible_texts())
    unlock(shell, qtbot)
    main = shell.main
    assert main is not None and main.current_view == VIEW_INTAKE
    restored = main.wizard
    assert restored is not None and restored is not wizard
    assert restored.current_step() == client_step
    assert name_field(restored).text() == CANARY


def test_quick_hide_with_the_real_print_preview_open(shell: Shell, qtbot) -> None:
    from intake_app.gui.print_preview import show_preview
    from intake_app.gui.printing import recovery_key_pdf

    unlock(shell, qtbot)
    main = shell.main
    assert main is not None
    preview = show_preview(main, recovery_key_pdf(CANARY), "紹介状")
    qtbot.waitUntil(preview.isVisible, timeout=5000)
    qtbot.keyClick(preview, Qt.Key.Key_F12)
    flush()
    assert shell.blank.isVisible()
    assert shell.main is None and shell.session is None
    assert not shiboken6.isValid(preview)
    assert not shiboken6.isValid(main)


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
    ],
    ids=["quick-hide", "ctrl-l"],
)
def test_lock_with_the_wizards_own_modal_question_open(
    shell: Shell, qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    unlock(shell, qtbot)
    main = shell.main
    assert main is not None
    wizard = main.open_intake()
    field = name_field(wizard)
    wizard.go_to(next(i for i, p in enumerate(wizard.pages) if getattr(p, "name", None) is field))
    field.setFocus()
    commit_text(field, CANARY)
    boxes: list[QMessageBox] = []
    titles: list[str] = []

    def press_lock_key_in_the_question(box: QMessageBox) -> None:
        boxes.append(box)
        titles.append(box.windowTitle())
        assert box.isModal()
        qtbot.keyClick(box, key, modifier)

    WhenDialogOpens(QMessageBox, press_lock_key_in_the_question)
    # 取り消し asks 「この相談の入力を取り消して、下書きを削除しますか？」 in a modal box
    qtbot.mouseClick(wizard.discard_button, Qt.MouseButton.LeftButton)
    flush()
    assert len(boxes) == 1 and "取り消" in titles[0]
    assert shell.main is None and shell.session is None
    assert not shiboken6.isValid(boxes[0]), "the question survived the lock"
    assert not shiboken6.isValid(wizard)
    assert not any(CANARY in text for text in visible_texts())
    if key == Qt.Key.Key_F12:
        assert shell.blank.isVisible()
        qtbot.keyClick(shell.blank, Qt.Key.Key_Space)
    unlock(shell, qtbot)
    main = shell.main
    assert main is not None and main.current_view == VIEW_INTAKE
    restored = main.wizard
    assert restored is not None and restored is not wizard
    assert name_field(restored).text() == CANARY  # the draft is back, not discarded
