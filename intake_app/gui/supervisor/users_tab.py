"""Users: add, disable, reset a passphrase (a new keyslot), last login; a new recovery key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
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

from intake_app.gui.supervisor import common
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.kdf import KdfParams
    from intake_app.store.session import Session

ROLE_LABELS = {"counselor": "相談員", "supervisor": "管理者"}
FAILED = object()


class UserDialog(QDialog):
    """Login name, display name and role (new users only), and the passphrase twice."""

    def __init__(self, parent: QWidget | None, *, new_user: bool, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("利用者の追加") if new_user else self.tr("パスフレーズの再設定")
        )
        form = QFormLayout(self)
        self.name = QLineEdit(name)
        self.name.setObjectName("userName")
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for key, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), key)
        if new_user:
            form.addRow(self.tr("ログイン名"), self.name)
            form.addRow(self.tr("表示名"), self.display_name)
            form.addRow(self.tr("役割"), self.role)
        else:
            form.addRow(self.tr("利用者"), QLabel(name))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassphrase")
        for edit in (self.passphrase, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("新しいパスフレーズ（12文字以上）"), self.passphrase)
        form.addRow(self.tr("もう一度"), self.confirm)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b00020;")
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.message.setText(self.tr("確認のパスフレーズが一致しません。"))
            return
        self.accept()


class UsersTab(QWidget):
    def __init__(
        self, session: Session, parent: QWidget | None = None, *, kdf: KdfParams | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._kdf = kdf  # tests inject fast parameters; None calibrates (about 0.5 s)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("ログイン名"),
                self.tr("表示名"),
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
        self.reset_button = QPushButton(self.tr("パスフレーズを再設定…"))
        self.reset_button.clicked.connect(self.reset_passphrase)
        self.recovery_button = QPushButton(self.tr("回復キーを再発行…"))
        self.recovery_button.clicked.connect(self.regenerate_recovery_key)
        for b in (self.add_button, self.disable_button, self.reset_button, self.recovery_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel("")
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

    def add_user(self) -> None:
        dialog = UserDialog(self, new_user=True)
        if not dialog.exec():
            return
        name = dialog.name.text().strip()
        done = self._run(
            self._session.users.add,
            name,
            dialog.role.currentData(),
            dialog.passphrase.text(),
            display_name=dialog.display_name.text().strip(),
            kdf=self._kdf,
        )
        if done is not FAILED:
            self.status.setText(self.tr("利用者「{}」を追加しました。").format(done.name))
            self.refresh()

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
        dialog = UserDialog(self, new_user=False, name=name)
        if not dialog.exec():
            return
        done = self._run(
            self._session.users.reset_passphrase, name, dialog.passphrase.text(), kdf=self._kdf
        )
        if done is FAILED:
            return
        self.status.setText(
            self.tr("「{}」のパスフレーズを再設定しました（鍵スロットを作り直しました）。").format(
                name
            )
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
    label = QLabel(key)
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
