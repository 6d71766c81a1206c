"""The supervisor area: statistics, audit log, users, backup and restore, retention,
settings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from intake_app.gui.accessibility import tab_keys
from intake_app.gui.help import HELP_KEY_NAME, open_help
from intake_app.gui.screen_fit import fit_to_screen
from intake_app.gui.supervisor.audit_tab import AuditTab
from intake_app.gui.supervisor.backup_tab import BackupTab
from intake_app.gui.supervisor.official_tab import OfficialTab
from intake_app.gui.supervisor.retention_tab import RetentionTab
from intake_app.gui.supervisor.settings_area import SettingsArea
from intake_app.gui.supervisor.settings_tab import SettingsTab
from intake_app.gui.supervisor.stats_tab import StatsTab
from intake_app.gui.supervisor.users_tab import UsersTab

if TYPE_CHECKING:
    from intake_app.store.kdf import KdfParams
    from intake_app.store.session import Session


# F1: the manual's section for each tab (attribute name of the tab → anchor).
TAB_HELP = {
    "stats_tab": "supervisor-stats",
    "audit_tab": "supervisor-audit",
    "users_tab": "supervisor-users",
    "backup_tab": "supervisor-backup",
    "retention_tab": "supervisor-retention",
    "centres_tab": "supervisor-centres",
    "settings_area": "supervisor-settings",
}


class SupervisorArea(QDialog):
    """A top-level, non-modal window. Closing it destroys it and everything it shows.

    ``session_ended(reason)`` is emitted when the session was closed from inside the
    area (after a restore); the shell then shows the unlock screen.
    """

    session_ended = Signal(str)
    idle_minutes_changed = Signal(int)  # the settings tab saved a new idle lock time
    settings_changed = Signal()  # the centre's settings (in the vault) were changed

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        kdf: KdfParams | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("supervisorArea")
        self.setWindowTitle(self.tr("管理者機能"))
        self.setModal(False)
        fit_to_screen(self, 1100, 720)
        layout = QVBoxLayout(self)
        who = QLabel(self.tr("管理者: {}").format(session.user.name))
        layout.addWidget(who)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("管理者機能の項目"))
        tab_keys(self.tabs)
        self.stats_tab = StatsTab(session, today=today)
        self.official_tab = OfficialTab(session, today=today)
        self.audit_tab = AuditTab(session, today=today)
        self.users_tab = UsersTab(session, kdf=kdf)
        self.backup_tab = BackupTab(session, today=today)
        self.retention_tab = RetentionTab(session, today=today)
        self.settings_tab = SettingsTab(session)  # this computer: idle lock, print system
        self.settings_area = SettingsArea(session, self.settings_tab)
        self.tabs.addTab(self.stats_tab, self.tr("統計"))
        self.tabs.addTab(self.official_tab, self.tr("報告用集計"))
        self.tabs.addTab(self.audit_tab, self.tr("監査ログ"))
        self.tabs.addTab(self.users_tab, self.tr("利用者"))
        self.tabs.addTab(self.backup_tab, self.tr("バックアップ・復元"))
        self.tabs.addTab(self.retention_tab, self.tr("保存期間"))
        from intake_app.gui.handoff import CentresTab

        self.centres_tab = CentresTab(session)
        self.tabs.addTab(self.centres_tab, self.tr("引継ぎ先センター"))
        self.tabs.addTab(self.settings_area, self.tr("設定"))
        layout.addWidget(self.tabs)
        self.backup_tab.session_ended.connect(self._ended)
        self.settings_area.idle_minutes_changed.connect(self.idle_minutes_changed)
        self.settings_area.settings_changed.connect(self.settings_changed)
        self.users_tab.display_name_changed.connect(self.settings_changed)
        QShortcut(QKeySequence(HELP_KEY_NAME), self, self.show_help)

    def help_anchor(self) -> str:
        """The manual's section for the tab on screen."""
        current = self.tabs.currentWidget()
        for name, anchor in TAB_HELP.items():
            if getattr(self, name, None) is current:
                return anchor
        return "supervisor"

    def show_help(self) -> None:
        open_help(self, self.help_anchor())

    def _ended(self, reason: str) -> None:
        self.session_ended.emit(reason)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # leaving the area drops every view it holds; the next opening asks again
        for i in reversed(range(self.tabs.count())):
            page = self.tabs.widget(i)
            self.tabs.removeTab(i)
            if page is not None:
                page.deleteLater()
        super().closeEvent(event)


class RestoreArea(QDialog):
    """The supervisor area while every write is stopped (the check after unlock found
    damage): only the restore from a backup, which is what the message sends the
    supervisor here for. Nothing else can be read or written."""

    session_ended = Signal(str)
    idle_minutes_changed = Signal(int)  # never emitted: no settings here

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("restoreArea")
        self.setWindowTitle(self.tr("管理者機能（復元のみ）"))
        self.setModal(False)
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        notice = QLabel(
            self.tr(
                "保管庫に異常が見つかったため、使えるのはバックアップからの復元だけです。"
                "今の保管庫は消さずに別のフォルダへ移します。"
            )
        )
        notice.setWordWrap(True)
        layout.addWidget(notice)
        self.backup_tab = BackupTab(session, today=today)
        self.backup_tab.backup_button.setEnabled(False)  # a copy of a damaged vault helps no one
        layout.addWidget(self.backup_tab)
        QShortcut(
            QKeySequence(HELP_KEY_NAME), self, lambda: open_help(self, TAB_HELP["backup_tab"])
        )
        self.backup_tab.session_ended.connect(self._ended)

    def _ended(self, reason: str) -> None:
        self.session_ended.emit(reason)
        self.close()
