"""The 設定 area's files and history: export and import a municipality file, the
differences of a newer shipped file to accept one by one, and every version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.settings_diff import label
from intake_app.gui.supervisor import common
from intake_app.gui.supervisor.settings_fields import scrolled
from intake_app.gui.supervisor.settings_sections import SettingsTable

if TYPE_CHECKING:
    from intake_app.gui.supervisor.settings_area import SettingsArea

MAX_IMPORT_BYTES = 4_000_000
SOURCE_LABELS = {
    "setup": "初期設定",
    "upgrade": "更新時の取り込み",
    "edit": "画面で変更",
    "import": "ファイルから読み込み",
    "shipped": "配布ファイルから取り込み",
}


def _local_time(stamp: str) -> str:
    """An ISO time of the vault (UTC) as this computer's local time, to the minute."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16]


class FilesSection(QWidget):
    """書き出す… / 読み込む…, the newer shipped file's differences, the history."""

    def __init__(self, area: SettingsArea, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "設定を市区町村設定ファイル（TOML）として書き出し、別の市や情報部門に渡せます。"
                "読み込むファイルは、すべて確かめてから取り込みます（誤りがあれば何も変えません）。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("ファイルに書き出す(&E)…"))
        self.export_button.setObjectName("exportSettings")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self.tr("ファイルから読み込む(&I)…"))
        self.import_button.setObjectName("importSettings")
        self.import_button.clicked.connect(self.import_file)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)

        heading = QLabel(self.tr("新しい版のプログラムに入っている設定"))
        heading.setObjectName("sectionHeading")
        layout.addWidget(heading)
        self.shipped_note = QLabel("")
        self.shipped_note.setObjectName("shippedNote")
        self.shipped_note.setWordWrap(True)
        layout.addWidget(self.shipped_note)
        self.offer_box = QWidget()
        self.offer_layout = QVBoxLayout(self.offer_box)
        self.offer_area = scrolled(self.offer_box)
        layout.addWidget(self.offer_area, 1)
        self.offer_checks: dict[str, QCheckBox] = {}
        self.review_button = QPushButton(self.tr("選んだ項目を取り込む（ほかは今のまま）(&A)"))
        self.review_button.setObjectName("reviewShipped")
        self.review_button.clicked.connect(self.review)
        layout.addWidget(self.review_button)

        heading = QLabel(self.tr("変更の履歴"))
        heading.setObjectName("sectionHeading")
        layout.addWidget(heading)
        self.history = SettingsTable(lambda: None)
        self.history.setObjectName("settingsHistory")
        self.history.setAccessibleName(self.tr("設定の変更の履歴"))
        self.history.setColumnCount(5)
        self.history.setHorizontalHeaderLabels(
            [
                self.tr("版"),
                self.tr("日時"),
                self.tr("利用者"),
                self.tr("方法"),
                self.tr("変えた設定"),
            ]
        )
        heading.setBuddy(self.history)
        layout.addWidget(self.history, 1)
        self.refresh()

    # -- refresh ------------------------------------------------------------------------

    def refresh(self) -> None:
        self._refresh_offer()
        self._refresh_history()

    def _refresh_offer(self) -> None:
        for check in self.offer_checks.values():
            check.deleteLater()
        self.offer_checks = {}
        try:
            offer = self.area.session.settings.shipped_offer()
        except Exception as exc:  # a broken shipped file must not close the area
            common.log_error("shipped offer", exc)
            offer = None
        if offer is None or not offer.items:
            self.shipped_note.setText(
                self.tr(
                    "プログラムに入っている設定ファイルに、まだ取り込んでいない変更はありません。"
                )
            )
            self.review_button.setEnabled(False)
            self.offer_area.setVisible(False)
            self.review_button.setVisible(False)
            return
        self.shipped_note.setText(
            self.tr(
                "プログラムの更新で、設定ファイルに次の変更がありました。自動では取り込みません。"
                "取り込む項目を選んでください（選ばない項目は今の設定のままにします）。"
            )
        )
        for item in offer.items:
            diff = item.difference
            if diff.kind == "added":
                text = self.tr("{}（追加）: {}").format(diff.label, diff.after)
            elif diff.kind == "removed":
                text = self.tr("{}（削除。連絡先は使用停止にします）").format(diff.label)
            else:
                text = self.tr("{}: 今「{}」→ 新しい版「{}」").format(
                    diff.label,
                    item.current or self.tr("（空欄）"),
                    diff.after or self.tr("（空欄）"),
                )
            check = QCheckBox(text)
            check.setAccessibleName(text)
            self.offer_checks[diff.path] = check
            self.offer_layout.addWidget(check)
        self.review_button.setEnabled(True)
        self.offer_area.setVisible(True)
        self.review_button.setVisible(True)

    def _refresh_history(self) -> None:
        try:
            versions = self.area.session.settings.history()
        except Exception as exc:
            common.log_error("settings history", exc)
            versions = []
        data = self.area.data()
        self.history.setRowCount(len(versions))
        for r, version in enumerate(versions):
            values = [
                self.tr("第{}版").format(version.version),
                _local_time(version.created_at),
                version.user_name,
                self.tr(SOURCE_LABELS.get(version.source, version.source)),
                "、".join(label(path, data) for path in version.changes),
            ]
            for c, text in enumerate(values):
                self.history.setItem(r, c, QTableWidgetItem(text))

    # -- actions ------------------------------------------------------------------------

    def export(self) -> Path | None:
        from intake_app.fileio import write_private
        from intake_app.store.errors import VaultError

        city = self.area.session.municipality
        path = common.choose_save_file(
            self,
            self.tr("設定の書き出し"),
            f"{city.id}-settings.toml",
            self.tr("市区町村設定ファイル (*.toml)"),
        )
        if path is None:
            return None
        if path.suffix != ".toml":
            path = path.with_name(path.name + ".toml")
        try:
            text = self.area.session.settings.export_text()
            write_private(path, text.encode("utf-8"))
        except VaultError as exc:
            self.area.show_status(exc.message, error=True)
            return None
        except OSError as exc:
            self.area.show_status(
                self.tr("書き出せませんでした（{}）。").format(exc.strerror or ""), error=True
            )
            return None
        self.area.show_status(self.tr("設定を {} に書き出しました。").format(path.name))
        self._refresh_history()
        return path

    def import_file(self) -> bool:
        from intake_app.domain.tomlfile import ConfigError
        from intake_app.store.errors import VaultError

        path = common.choose_open_file(
            self, self.tr("設定の読み込み"), self.tr("市区町村設定ファイル (*.toml)")
        )
        if path is None:
            return False
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise ValueError
            text = path.read_bytes().decode("utf-8")
        except (OSError, ValueError):
            self.area.show_status(
                self.tr(
                    "{} を読めませんでした（UTF-8 の TOML ファイルを選んでください）。"
                    "何も変更していません。"
                ).format(path.name),
                error=True,
            )
            return False
        try:
            changed = self.area.session.settings.import_text(text, path.name)
        except ConfigError as exc:
            self.area.show_status(exc.message + "。何も変更していません。", error=True)
            return False
        except VaultError as exc:
            self.area.show_status(exc.message, error=True)
            return False
        if not changed:
            self.area.show_status(
                self.tr("読み込んだ設定は今の設定と同じです。何も変更していません。")
            )
            return True
        self.area.changed(changed)
        return True

    def review(self) -> bool:
        from intake_app.domain.tomlfile import ConfigError
        from intake_app.store.errors import VaultError

        accepted = [path for path, check in self.offer_checks.items() if check.isChecked()]
        try:
            changed = self.area.session.settings.review_shipped(accepted)
        except ConfigError as exc:
            self.area.show_status(exc.message + "。何も変更していません。", error=True)
            return False
        except VaultError as exc:
            self.area.show_status(exc.message, error=True)
            return False
        self.area.changed(changed, note=self.tr("新しい版の設定ファイルを確認しました。"))
        return True
