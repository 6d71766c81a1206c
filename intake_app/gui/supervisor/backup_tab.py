"""Backup and restore, with progress and verification; the reminder's state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.supervisor import common
from intake_app.store import retention
from intake_app.store.connection import DB_NAME
from intake_app.store.errors import VaultError
from intake_app.store.header import HEADER_NAME

if TYPE_CHECKING:
    from intake_app.store.session import Session


class BackupTab(QWidget):
    """``session_ended`` after a restore: the vault was replaced and the session closed."""

    session_ended = Signal(str)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ):
        super().__init__(parent)
        self._session = session
        self._today = today
        layout = QVBoxLayout(self)
        self.last = StatusLabel(self.tr("最終バックアップ"))
        self.last.setObjectName("lastBackup")
        self.last.setWordWrap(True)
        layout.addWidget(self.last)
        intro = QLabel(
            self.tr(
                "バックアップは暗号化されたままの写しです。作成後に、写しが壊れていないか、監査ログに改ざんがないかを"
                "検査してから完成します。外部媒体は鍵のかかる場所に保管してください。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("バックアップを作成…"))
        self.backup_button.clicked.connect(self.backup)
        self.restore_button = QPushButton(self.tr("バックアップから復元…"))
        self.restore_button.clicked.connect(self.restore)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setObjectName("backupProgress")
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.progress.setAccessibleName(self.tr("バックアップ・復元の進み具合"))
        layout.addWidget(self.progress)
        self.status = StatusLabel(self.tr("バックアップ・復元の状態"))
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        try:
            last = retention.last_backup_on(self._session)
            days = retention.backup_reminder_days(self._session)
        except VaultError:  # every read stopped after the check found damage
            self.last.setText(
                self.tr("保管庫を読めないため、最終バックアップの日付はわかりません。")
            )
            return
        if last is None:
            text = self.tr("まだバックアップがありません。作成してください。")
        else:
            text = self.tr("最終バックアップ: {}").format(last.isoformat())
            if retention.backup_overdue(self._session, self.today()):
                text += self.tr("（{}日以上経過しています。作成してください）").format(days)
        self.last.setText(text)

    def _step(self, value: int, text: str) -> None:
        self.progress.setValue(value)
        self.status.setText(text)
        self.progress.repaint()
        self.status.repaint()

    def backup(self) -> None:
        folder = common.choose_folder(self, self.tr("バックアップを保存するフォルダ"))
        if folder is None:
            return
        dest = folder / dt.datetime.now().strftime("intake-backup-%Y%m%d-%H%M%S")
        self._busy(True)
        try:
            self._step(1, self.tr("暗号化したまま写しています…"))
            common.run_blocking(self._session.backup, dest)
            self._step(2, self.tr("写しを検査しています…"))
            problems = common.run_blocking(check_backup, dest)
        except VaultError as exc:
            self._step(0, self.tr("バックアップできませんでした: {}").format(exc.message))
            return
        finally:
            self._busy(False)
        if problems:
            self._step(0, self.tr("写しの検査で問題が見つかりました: {}").format(problems))
            return
        self._step(3, self.tr("バックアップを作成し、検査しました: {}").format(dest))
        self.refresh()

    def restore(self) -> None:
        src = common.choose_folder(self, self.tr("復元するバックアップのフォルダ"))
        if src is None:
            return
        if not common.ask(
            self,
            self.tr("バックアップから復元"),
            self.tr(
                "今の保管庫をバックアップの内容で置き換えます。今の保管庫は別のフォルダに"
                "残します。復元後はもう一度ログインが必要です。よろしいですか。"
            ),
        ):
            return
        self._busy(True)
        try:
            self._step(1, self.tr("バックアップを検査しています…"))
            kept = common.run_blocking(self._session.restore, src)
        except VaultError as exc:
            self._step(0, self.tr("復元できませんでした: {}").format(exc.message))
            if not getattr(self._session, "is_open", True):
                self.session_ended.emit("restore_failed")
            return
        finally:
            self._busy(False)
        self._step(3, self.tr("復元しました。以前の保管庫は {} に残しています。").format(kept))
        common.inform(
            self,
            self.tr("復元しました"),
            self.tr("バックアップから復元しました。もう一度ログインしてください。"),
        )
        self.session_ended.emit("restored")

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.restore_button):
            button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)


def check_backup(dest: Path) -> str:
    """A second look at the finished backup: both files present and non-empty."""
    missing = [
        name
        for name in (DB_NAME, HEADER_NAME)
        if not (dest / name).is_file() or not (dest / name).stat().st_size
    ]
    return "、".join(missing)
