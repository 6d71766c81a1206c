"""管理者メニューの「設定」: the centre's settings kept in the vault, and this computer's.

Sections: the centre (sender, phone, address, hours, 文書番号, the court), the
destinations, the departments, the 支援措置 places, the official-return categories,
the hotlines, retention and the backup reminder, this computer (idle lock, the print
system's warnings: ``SettingsTab``), and files and history (export, import, a newer
shipped file, every version). Every save is a new version of the settings with one
audit entry per setting changed (``store.settings``); a refusal is shown under the
field it names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from intake_app.domain.settings_diff import Difference
from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.supervisor.settings_fields import ERROR_STYLE
from intake_app.gui.supervisor.settings_files import FilesSection
from intake_app.gui.supervisor.settings_sections import (
    DEPARTMENTS,
    DESTINATIONS,
    HOTLINES,
    CentreSection,
    ListSection,
    RetentionSection,
    ReturnsSection,
    place_kind,
)
from intake_app.gui.supervisor.settings_tab import SettingsTab

Problem = tuple[str | None, str]


class SettingsArea(QWidget):
    """The 設定 tab. ``settings_changed`` after each saved change (the main window
    reloads the settings it holds); ``idle_minutes_changed`` from the computer section."""

    settings_changed = Signal()
    idle_minutes_changed = Signal(int)

    def __init__(self, session: Any, computer: SettingsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._data: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        self.status = StatusLabel(self.tr("設定の保存の結果"))
        self.status.setObjectName("settingsAreaStatus")
        self.status.setWordWrap(True)
        self.sections = QTabWidget()
        self.sections.setObjectName("settingsSections")
        self.centre = CentreSection(self)
        self.destinations = ListSection(self, DESTINATIONS)
        self.departments = ListSection(self, DEPARTMENTS)
        self.places = ListSection(self, place_kind(self.data))
        self.returns = ReturnsSection(self)
        self.hotlines = ListSection(self, HOTLINES)
        self.retention = RetentionSection(self)
        self.computer = computer
        self.files = FilesSection(self)
        for page, title in (
            (self.centre, self.tr("センター")),
            (self.destinations, self.tr("連絡先")),
            (self.departments, self.tr("部署")),
            (self.places, self.tr("支援措置の確認先")),
            (self.returns, self.tr("公的報告の分類")),
            (self.hotlines, self.tr("電話窓口")),
            (self.retention, self.tr("期間・案内")),
            (self.computer, self.tr("このパソコン")),
            (self.files, self.tr("ファイル・履歴")),
        ):
            self.sections.addTab(page, title)
        layout.addWidget(self.sections, 1)
        layout.addWidget(self.status)
        computer.idle_minutes_changed.connect(self.idle_minutes_changed)

    # -- the data every section edits --------------------------------------------------

    def data(self) -> dict[str, Any]:
        """The settings in force, as data (read once per change)."""
        if self._data is None:
            self._data = self.session.settings.data()
        return self._data

    def save(self, data: dict[str, Any]) -> Problem | None:
        """Save ``data`` as the settings; None when saved (or unchanged), else the
        refused key (loader path, or None) and one Japanese sentence."""
        from intake_app.domain.tomlfile import ConfigError
        from intake_app.store.errors import VaultError

        try:
            changed = self.session.settings.save(data)
        except ConfigError as exc:
            return exc.key, exc.field_message()
        except VaultError as exc:
            return None, exc.message
        if changed:
            self.changed(changed)
        else:
            self.show_status(self.tr("変更はありません。"))
        return None

    def changed(self, changed: list[Difference], note: str = "") -> None:
        """After a saved change: say what changed, reload every section, tell the shell."""
        self._data = None
        version = self.session.settings.version()
        if changed:
            names = "、".join(d.label for d in changed[:6])
            more = self.tr(" ほか{}件").format(len(changed) - 6) if len(changed) > 6 else ""
            text = self.tr("設定を保存しました（第{}版）: {}{}").format(version, names, more)
        else:
            text = self.tr("設定は変わっていません。")
        self.show_status((note + " " + text).strip())
        self.refresh()
        self.settings_changed.emit()

    def refresh(self) -> None:
        self._data = None
        for section in (
            self.centre,
            self.destinations,
            self.departments,
            self.places,
            self.returns,
            self.hotlines,
            self.retention,
            self.files,
        ):
            section.refresh()

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
