"""Asking the logged-in supervisor's passphrase again before the area opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.supervisor.common import run_blocking

if TYPE_CHECKING:
    from intake_app.store.session import Session


class ReauthDialog(QDialog):
    """Modal; accepted only after ``session.confirm_passphrase`` succeeded."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle(self.tr("管理者機能の確認"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "管理者機能（統計・監査ログ・利用者・バックアップ・保存期間・設定）を開くには、"
                "{}さんのパスフレーズをもう一度入力してください。"
            ).format(session.user.name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("reauthPassphrase")
        self.passphrase.setAccessibleName(self.tr("パスフレーズ"))
        layout.addWidget(self.passphrase)
        self.message = QLabel("")
        self.message.setObjectName("reauthMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("開く"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("やめる"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, exc: Exception) -> None:
        from intake_app.store.errors import Throttled, WrongPassphrase

        if isinstance(exc, WrongPassphrase):
            self.message.setText(self.tr("パスフレーズが違います。"))
        elif isinstance(exc, Throttled):
            self.message.setText(
                self.tr("失敗が続いたため、あと{}秒待ってからやり直してください。").format(
                    int(exc.wait_s + 0.999)
                )
            )
        else:
            self.message.setText(getattr(exc, "message", ""))

    def attempt(self) -> None:
        from intake_app.store.errors import Throttled, VaultError, WrongPassphrase

        text = self.passphrase.text()
        self.passphrase.clear()
        if not text:
            self.message.setText(self.tr("パスフレーズを入力してください。"))
            return
        self.setEnabled(False)
        try:
            run_blocking(self._session.confirm_passphrase, text)
        except (WrongPassphrase, Throttled, VaultError) as exc:
            if shiboken6.isValid(self):  # a lock may have destroyed the dialog meanwhile
                self._refused(exc)
            return
        finally:
            del text
            if shiboken6.isValid(self):
                self.setEnabled(True)
                self.passphrase.setFocus()
        if not shiboken6.isValid(self):
            return
        if not self.isVisible() or not getattr(self._session, "is_open", True):
            return  # a lock closed the dialog while the passphrase was being checked
        self.accept()
