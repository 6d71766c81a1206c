"""Settings of this computer's program: the idle auto-lock time (no personal data),
what the local print system keeps of printed papers (read-only warnings), and which
languages of the client's papers an interpreter has checked (``PaperLanguagesBox``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.lock import DEFAULT_IDLE_MINUTES, MAX_IDLE_MINUTES, MIN_IDLE_MINUTES
from intake_app.gui.settings import load_idle_minutes, save_idle_minutes

if TYPE_CHECKING:
    from intake_app.store.session import Session


class SettingsTab(QWidget):
    """The idle lock minutes (1-30, default 5), saved to ``settings.ini`` of the data
    folder; ``idle_minutes_changed(minutes)`` lets the shell apply the value at once."""

    idle_minutes_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "操作がないまま指定の時間がたつと、画面を自動でロックします"
                "（{}〜{}分、最初は{}分）。このパソコンの保管庫に適用されます。"
            ).format(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES, DEFAULT_IDLE_MINUTES)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle_minutes.setSuffix(self.tr(" 分"))
        self.idle_minutes.setAccessibleName(self.tr("自動ロックまでの時間（分）"))
        self.idle_minutes.setValue(self._current())
        label = QLabel(self.tr("自動ロックまでの時間(&I)"))
        label.setBuddy(self.idle_minutes)
        form.addRow(label, self.idle_minutes)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("設定を保存"))
        self.save_button.setObjectName("saveSettings")
        self.save_button.setAccessibleName(self.tr("自動ロックの時間を保存"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = StatusLabel(self.tr("設定の状態"))
        self.status.setObjectName("settingsStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        heading = QLabel(self.tr("印刷システム（印刷した書類の控え）"))
        heading.setObjectName("sectionHeading")
        layout.addWidget(heading)
        self.print_system = StatusLabel(self.tr("印刷システムの設定の確認"))
        self.print_system.setObjectName("printSystemWarnings")
        self.print_system.setWordWrap(True)
        layout.addWidget(self.print_system)
        self.refresh_print_system()
        from intake_app.gui.supervisor.paper_languages import PaperLanguagesBox

        # the client papers' translations, in a scroll area of its own (the tab is tall)
        self.paper_languages = PaperLanguagesBox(session)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.paper_languages)
        layout.addWidget(scroll, 1)

    def refresh_print_system(self) -> list[str]:
        """Show what the local print system keeps (``documents.print_system``)."""
        from intake_app.documents.print_system import print_system_warnings

        warnings = print_system_warnings()
        if warnings:
            self.print_system.setText("\n".join("・" + w for w in warnings))
        else:
            self.print_system.setText(
                self.tr("印刷システムは、印刷した書類の控えも印刷の履歴も残さない設定です。")
            )
        return warnings

    def _data_dir(self) -> Path | None:
        folder = getattr(self._session, "data_dir", None)
        return Path(folder) if folder is not None else None

    def _current(self) -> int:
        folder = self._data_dir()
        return load_idle_minutes(folder) if folder is not None else DEFAULT_IDLE_MINUTES

    def save(self) -> int:
        """Save the chosen minutes (clamped), note it in the audit log, tell the shell."""
        from intake_app.store.errors import VaultError

        minutes = self.idle_minutes.value()
        folder = self._data_dir()
        if folder is not None:
            minutes = save_idle_minutes(folder, minutes)
        try:
            self._session.audit("settings_changed", "lock.idle_minutes", str(minutes))
        except (VaultError, AttributeError):
            pass  # the setting holds no personal data; the lock time applies anyway
        self.idle_minutes.setValue(minutes)
        self.status.setText(self.tr("自動ロックまでの時間を{}分にしました。").format(minutes))
        self.idle_minutes_changed.emit(minutes)
        return minutes
