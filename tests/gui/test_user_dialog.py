"""The add-user dialog keeps what was typed and says what is wrong under the field
(issue 19, item 8: it closed and lost everything on a too short passphrase)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from intake_app.gui.supervisor.users_tab import UserDialog, UsersTab
from intake_app.store import kdf
from tests.gui.helpers import WhenDialogOpens, commit_text

GOOD = "ゆっくり歩く川沿いの道の朝"


def _ok(dialog: UserDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_refused_passphrase_or_name_keeps_the_dialog_and_everything_typed(qtbot, session):
    tab = UsersTab(session, kdf=kdf.TEST_FAST)
    qtbot.addWidget(tab)
    seen: dict[str, object] = {}

    def fill(dialog: UserDialog) -> None:
        commit_text(dialog.name, "tanaka")  # already the supervisor's name
        commit_text(dialog.display_name, "田中 二郎")
        dialog.role.setCurrentIndex(dialog.role.findData("counselor"))
        commit_text(dialog.passphrase, "みじかい十文字の語句")  # 10 characters
        commit_text(dialog.confirm, "みじかい十文字の語句")
        assert "文字必要" in dialog.passphrase_message.text(), "feedback while typing"
        _ok(dialog)
        seen["short"] = (
            dialog.isVisible(),
            dialog.passphrase_message.text(),
            dialog.passphrase_message.isVisible(),
        )
        assert dialog.name.text() == "tanaka" and dialog.display_name.text() == "田中 二郎"
        assert dialog.role.currentData() == "counselor"
        dialog.passphrase.clear()
        dialog.confirm.clear()
        commit_text(dialog.passphrase, GOOD)
        commit_text(dialog.confirm, GOOD)
        _ok(dialog)  # the vault refuses the name: the message goes under the name
        seen["name"] = (dialog.isVisible(), dialog.name_message.text())
        assert dialog.passphrase.text() == GOOD, "the passphrase typed stays too"
        dialog.name.clear()
        commit_text(dialog.name, "tanaka2")
        _ok(dialog)
        seen["closed"] = not dialog.isVisible()

    WhenDialogOpens(UserDialog, fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    visible, message, shown = seen["short"]
    assert visible and shown and "12文字以上" in message
    visible, message = seen["name"]
    assert visible and "既に登録" in message
    assert seen["closed"]
    assert [u.name for u in session.users.list() if u.name == "tanaka2"] == ["tanaka2"]
    assert "追加しました" in tab.status.text()


def test_the_message_is_read_with_the_field(qtbot, configured_app):
    dialog = UserDialog(None, new_user=True)
    qtbot.addWidget(dialog)
    commit_text(dialog.passphrase, "みじかい")
    assert "文字必要" in dialog.passphrase_message.text()
    assert dialog.passphrase.accessibleDescription() == dialog.passphrase_message.text()
