"""Users: add, disable, reset a passphrase (a new keyslot), last login; a new recovery key."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.accessibility import StatusLabel, buddy, leave_on_tab
from intake_app.gui.supervisor import common
from intake_app.store.errors import PassphrasePolicyError, VaultError

if TYPE_CHECKING:
    from intake_app.store.kdf import KdfParams
    from intake_app.store.session import Session

ROLE_LABELS = {"counselor": "相談員", "supervisor": "管理者"}
FAILED = object()


class UserDialog(QDialog):
    """Login name, 氏名 (display name: what papers print) and role (new users only), and
    the passphrase twice.

    OK runs ``submit(dialog)`` (the vault operation) while the dialog stays open; a
    problem is shown under its field and everything typed stays, so the supervisor
    corrects only that field. The passphrase gets plain feedback as it is typed."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        new_user: bool,
        name: str = "",
        submit: Callable[[UserDialog], VaultError | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.new_user = new_user
        self.setWindowTitle(
            self.tr("利用者の追加") if new_user else self.tr("パスフレーズの再設定")
        )
        self._submit = submit
        self.result_value: Any = None
        self.setMinimumWidth(680)  # room for a passphrase of several words
        form = QFormLayout(self)
        self.name = QLineEdit(name)
        self.name.setObjectName("userName")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.display_name.setPlaceholderText(self.tr("例: 山田 花子（書類に印刷されます）"))
        self.role = QComboBox()
        for key, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), key)
        self.name_message = self._message("nameMessage")
        if new_user:
            self._row(form, self.tr("ログイン名(&L)"), self.name, self.name_message)
            self._row(form, self.tr("氏名(&D)"), self.display_name)
            self._row(form, self.tr("役割(&R)"), self.role)
        else:
            form.addRow(self.tr("利用者"), QLabel(name))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassphrase")
        for edit in (self.passphrase, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_message = self._message("passphraseMessage")
        self.confirm_message = self._message("confirmMessage")
        self._row(
            form,
            self.tr("新しいパスフレーズ（12文字以上）(&P)"),
            self.passphrase,
            self.passphrase_message,
        )
        self._row(form, self.tr("もう一度(&A)"), self.confirm, self.confirm_message)
        # what went wrong beyond one field (kept for the tests and old callers)
        self.message = self._message("userDialogMessage")
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("追加する") if new_user else self.tr("再設定する")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("やめる"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.buttons = buttons
        self.passphrase.textChanged.connect(self._feedback)
        self.confirm.textChanged.connect(self._feedback)
        (self.name if new_user else self.passphrase).setFocus()

    def _message(self, name: str) -> StatusLabel:
        label = StatusLabel(urgent=True)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet("color: #b00020;")
        return label

    def _row(
        self,
        form: QFormLayout,
        text: str,
        field: QWidget,
        message: QLabel | None = None,
    ) -> None:
        label = buddy(QLabel(text), field)
        if message is None:
            form.addRow(label, field)
            return
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        column.addWidget(message)
        form.addRow(label, column)

    def _feedback(self) -> None:
        """The policy as she types: how many characters are missing, a common phrase."""
        from intake_app.gui.setup import passphrase_feedback

        text = self.passphrase.text()
        if not text:
            self._show(self.passphrase_message, "")
            self._show(self.confirm_message, "")
            return
        ok, feedback = passphrase_feedback(text, text)
        self._show(self.passphrase_message, "" if ok else self.tr(feedback))
        mismatch = bool(self.confirm.text()) and self.confirm.text() != text
        self._show(
            self.confirm_message, self.tr("確認のパスフレーズが一致しません。") if mismatch else ""
        )

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
        field = {
            id(self.name_message): self.name,
            id(self.passphrase_message): self.passphrase,
            id(self.confirm_message): self.confirm,
        }.get(id(label))
        if field is not None:  # read with the field when it has the focus
            field.setAccessibleDescription(text)

    def show_error(self, error: VaultError) -> None:
        """A refusal from the vault, under the field it is about."""
        if isinstance(error, PassphrasePolicyError):
            self._show(self.passphrase_message, error.message)
            self.passphrase.setFocus()
            self.passphrase.selectAll()
        elif self.name.isVisibleTo(self):
            self._show(self.name_message, error.message)
            self.name.setFocus()
            self.name.selectAll()
        else:
            self._show(self.message, error.message)

    def _check(self) -> None:
        for label in (self.name_message, self.passphrase_message, self.confirm_message):
            self._show(label, "")
        self._show(self.message, "")
        if self.name.isVisibleTo(self) and not self.name.text().strip():
            self._show(self.name_message, self.tr("ログイン名を入力してください。"))
            self.name.setFocus()
            return
        if self.new_user:
            from intake_app.store.policy import check_display_name

            try:
                check_display_name(self.display_name.text())
            except VaultError as exc:
                self._show(self.message, exc.message)
                self.display_name.setFocus()
                return
        ok, feedback = passphrase_feedback_for(self.passphrase.text())
        if not ok:
            self._show(self.passphrase_message, self.tr(feedback))
            self.passphrase.setFocus()
            return
        if self.passphrase.text() != self.confirm.text():
            self._show(self.confirm_message, self.tr("確認のパスフレーズが一致しません。"))
            self.confirm.setFocus()
            self.confirm.selectAll()
            return
        if self._submit is not None:
            self.setEnabled(False)
            try:
                error = self._submit(self)
            finally:
                self.setEnabled(True)
            if error is not None:
                self.show_error(error)
                return
        self.accept()


class DisplayNameDialog(QDialog):
    """A user's 氏名 as papers print it (papers never print the login name)."""

    def __init__(self, parent: QWidget | None, name: str, current: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("氏名の変更"))
        form = QFormLayout(self)
        form.addRow(self.tr("利用者"), QLabel(name))
        self.display_name = QLineEdit(current)
        self.display_name.setObjectName("displayName")
        self.display_name.setAccessibleName(self.tr("氏名（書類に印刷されます）"))
        form.addRow(self.tr("氏名(&D)"), self.display_name)
        self.message = QLabel("")
        self.message.setObjectName("displayNameMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _check(self) -> None:
        from intake_app.store.errors import VaultError
        from intake_app.store.policy import check_display_name

        try:
            check_display_name(self.display_name.text())
        except VaultError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


def passphrase_feedback_for(passphrase: str) -> tuple[bool, str]:
    from intake_app.gui.setup import passphrase_feedback

    return passphrase_feedback(passphrase, passphrase)


class UsersTab(QWidget):
    display_name_changed = Signal()  # papers print the display name; home lists a missing one

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, kdf: KdfParams | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._kdf = kdf  # tests inject fast parameters; None calibrates (about 0.5 s)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(self.tr("利用者の一覧"))
        leave_on_tab(self.table)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("ログイン名"),
                self.tr("氏名"),
                self.tr("役割"),
                self.tr("状態"),
                self.tr("登録日"),
                self.tr("最終ログイン"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("利用者を追加…"))
        self.add_button.clicked.connect(self.add_user)
        self.disable_button = QPushButton(self.tr("無効にする"))
        self.disable_button.clicked.connect(self.disable_user)
        self.name_button = QPushButton(self.tr("氏名を変更…"))
        self.name_button.setObjectName("changeDisplayName")
        self.name_button.clicked.connect(self.change_display_name)
        self.reset_button = QPushButton(self.tr("パスフレーズを再設定…"))
        self.reset_button.clicked.connect(self.reset_passphrase)
        self.recovery_button = QPushButton(self.tr("回復キーを再発行…"))
        self.recovery_button.clicked.connect(self.regenerate_recovery_key)
        for b in (
            self.add_button,
            self.name_button,
            self.disable_button,
            self.reset_button,
            self.recovery_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = StatusLabel(self.tr("利用者の操作の結果"))
        self.status.setObjectName("usersStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        users = self._session.users.list()
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            values = [
                u.name,
                u.display_name,
                self.tr(ROLE_LABELS.get(u.role, u.role)),
                self.tr("無効") if u.disabled else self.tr("有効"),
                (u.created_at or "")[:10],
                (u.last_login_at or self.tr("なし"))[:16].replace("T", " "),
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, u.name)
                self.table.setItem(r, c, item)

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.setText(self.tr("一覧から利用者を選んでください。"))
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _run(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return common.run_blocking(func, *args, **kwargs)
        except VaultError as exc:
            self.status.setText(exc.message)
            return FAILED

    def _in_dialog(self, func: Any, *args: Any, **kwargs: Any) -> tuple[Any, VaultError | None]:
        """Run a vault operation for a dialog that stays open on a refusal."""
        try:
            return common.run_blocking(func, *args, **kwargs), None
        except VaultError as exc:
            return None, exc

    def add_user(self) -> None:
        def submit(dialog: UserDialog) -> VaultError | None:
            done, error = self._in_dialog(
                self._session.users.add,
                dialog.name.text().strip(),
                dialog.role.currentData(),
                dialog.passphrase.text(),
                display_name=dialog.display_name.text().strip(),
                kdf=self._kdf,
            )
            dialog.result_value = done
            return error

        dialog = UserDialog(self, new_user=True, submit=submit)
        accepted = dialog.exec()
        done = dialog.result_value
        dialog.deleteLater()
        if accepted and done is not None:
            self.status.setText(self.tr("利用者「{}」を追加しました。").format(done.name))
            self.refresh()

    def change_display_name(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        current = next((u.display_name for u in self._session.users.list() if u.name == name), "")
        dialog = DisplayNameDialog(self, name, current)
        shower = getattr(common, "show_dialog", None)
        accepted = shower(dialog) if shower is not None else dialog.exec()
        text = dialog.display_name.text()
        dialog.deleteLater()
        if not accepted:
            return
        if self._run(self._session.users.set_display_name, name, text) is FAILED:
            return
        self.status.setText(self.tr("「{}」の氏名を変更しました。").format(name))
        self.refresh()
        self.display_name_changed.emit()

    def disable_user(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        if not common.ask(
            self,
            self.tr("利用者を無効にする"),
            self.tr(
                "「{}」を無効にします。この利用者はログインできなくなります。よろしいですか。"
            ).format(name),
        ):
            return
        if self._run(self._session.users.disable, name) is FAILED:
            return
        self.status.setText(self.tr("「{}」を無効にしました。").format(name))
        self.refresh()
        self.offer_prune_copies()

    def reset_passphrase(self) -> None:
        name = self.selected_name()
        if name is None:
            return

        def submit(dialog: UserDialog) -> VaultError | None:
            _done, error = self._in_dialog(
                self._session.users.reset_passphrase,
                name,
                dialog.passphrase.text(),
                kdf=self._kdf,
            )
            return error

        dialog = UserDialog(self, new_user=False, name=name, submit=submit)
        accepted = dialog.exec()
        dialog.deleteLater()
        if not accepted:
            return
        self.status.setText(
            self.tr(
                "「{}」のパスフレーズを再設定しました（前のパスフレーズでは開けなくなりました）。"
            ).format(name)
        )
        self.refresh()
        self.offer_prune_copies()

    def offer_prune_copies(self) -> None:
        """Old copies of the vault still open with the old keys: offer to delete them."""
        copies = self._session.kept_copies()
        if not copies:
            return
        if not common.ask(
            self,
            self.tr("古いコピーの削除"),
            self.tr(
                "データフォルダに古いコピーが {} 個残っています。無効にした利用者や"
                "古いパスフレーズでも開けます。今すぐ上書きして削除しますか。"
            ).format(len(copies)),
        ):
            self.status.setText(
                self.status.text()
                + self.tr(" 古いコピーが {} 個残っています（後で削除できます）。").format(
                    len(copies)
                )
            )
            return
        if self._run(self._session.prune_copies) is FAILED:
            return
        self.status.setText(self.status.text() + self.tr(" 古いコピーを削除しました。"))

    def regenerate_recovery_key(self) -> None:
        if not common.ask(
            self,
            self.tr("回復キーの再発行"),
            self.tr(
                "新しい回復キーを発行します。今までの回復キーは使えなくなります。よろしいですか。"
            ),
        ):
            return
        key = self._run(self._session.users.regenerate_recovery_key, kdf=self._kdf)
        if key is FAILED:
            return
        show_recovery_key(self, key)
        self.status.setText(self.tr("回復キーを再発行しました。古い回復キーは破棄してください。"))


def show_recovery_key(parent: QWidget, key: str) -> None:
    """Shown once, selectable for copying by hand; never put on the clipboard by us."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(common.tr("新しい回復キー"))
    layout = QVBoxLayout(dialog)
    note = QLabel(
        common.tr(
            "この回復キーは今だけ表示されます。紙に書き写すか印刷して、金庫などに保管してください。"
        )
    )
    note.setWordWrap(True)
    layout.addWidget(note)
    label = StatusLabel(common.tr("新しい回復キー"))  # the key is its description
    label.setText(key)
    label.setObjectName("recoveryKey")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("font-family: monospace; font-size: 16pt;")
    layout.addWidget(label)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    layout.addWidget(buttons)
    shower = getattr(common, "show_dialog", None)
    if shower is not None:
        shower(dialog)
    else:
        dialog.exec()
    dialog.deleteLater()
