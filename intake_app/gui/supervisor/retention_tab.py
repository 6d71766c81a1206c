"""Retention: closed cases past the retention period, destroyed after confirmation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import UserError
from intake_app.gui.accessibility import StatusLabel, leave_on_tab
from intake_app.gui.supervisor import common
from intake_app.store import retention

if TYPE_CHECKING:
    from intake_app.store.session import Session


class RetentionTab(QWidget):
    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ):
        super().__init__(parent)
        self._session = session
        self._today = today
        self.candidates: list[retention.Candidate] = []
        # the last case before each page shown so far (keyset paging: going back pops)
        self._afters: list[retention.Candidate | None] = []
        self._after: retention.Candidate | None = None
        self._more = False
        layout = QVBoxLayout(self)
        years = retention.retention_years(session)
        self.intro = QLabel(
            self.tr(
                "終結から{}年を過ぎたケースです。確認のうえ削除すると、相談記録は復元できない形で"
                "消去され、監査ログにはケース番号と削除日だけが残ります。"
            ).format(years)
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("retentionTable")
        self.table.setAccessibleName(self.tr("保存期間を過ぎたケース"))
        leave_on_tab(self.table)
        self.table.setHorizontalHeaderLabels([self.tr("ケース番号"), self.tr("終結日")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        paging = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("前のページ (Alt+B)"))
        self.previous_button.setObjectName("retentionPrevious")
        self.previous_button.setAccessibleName(self.tr("前のページ（終結日の古い順）"))
        self.previous_button.clicked.connect(self.previous_page)
        self.page_label = QLabel("")
        self.page_label.setObjectName("retentionPage")
        self.next_button = QPushButton(self.tr("次のページ (Alt+N)"))
        self.next_button.setObjectName("retentionNext")
        self.next_button.setAccessibleName(self.tr("次のページ（終結日の新しい順）"))
        self.next_button.clicked.connect(self.next_page)
        for keys, button in (("Alt+N", self.next_button), ("Alt+B", self.previous_button)):
            shortcut = QShortcut(QKeySequence(keys), self, button.click)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.next_button)
        layout.addLayout(paging)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("一覧を更新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.destroy_button = QPushButton(self.tr("チェックしたケースを削除…"))
        self.destroy_button.setObjectName("destroyButton")
        self.destroy_button.clicked.connect(self.destroy_checked)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.destroy_button)
        layout.addLayout(buttons)
        self.status = StatusLabel(self.tr("保存期間の状態"))
        self.status.setObjectName("retentionStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.refresh()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        """The first page of eligible cases (oldest closing first)."""
        self._afters = []
        self._show(None)

    def next_page(self) -> None:
        if self._more and self.candidates:
            self._afters.append(self._after)
            self._show(self.candidates[-1])

    def previous_page(self) -> None:
        if self._afters:
            self._show(self._afters.pop())

    def _show(self, after: retention.Candidate | None) -> None:
        page = retention.eligible_page(
            self._session, self.today(), after, limit=retention.PAGE_SIZE
        )
        self._after = after
        self._more = page.more
        self.candidates = page.candidates
        self.table.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            number = QTableWidgetItem(c.case_number)
            number.setFlags(number.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            number.setCheckState(Qt.CheckState.Checked)
            number.setData(Qt.ItemDataRole.UserRole, c.case_id)
            self.table.setItem(r, 0, number)
            self.table.setItem(r, 1, QTableWidgetItem(c.closed_on.isoformat()))
        self.destroy_button.setEnabled(bool(self.candidates))
        self.previous_button.setEnabled(bool(self._afters))
        self.next_button.setEnabled(page.more)
        first = len(self._afters) * retention.PAGE_SIZE + 1
        if self.candidates:
            self.page_label.setText(
                self.tr("全{}件中 {}〜{}件目（この画面でチェックしたケースを削除します）").format(
                    page.total, first, first + len(self.candidates) - 1
                )
            )
        else:
            self.page_label.setText("")
            self.status.setText(self.tr("保存期間を過ぎたケースはありません。"))

    def checked_ids(self) -> list[int]:
        ids = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def destroy_checked(self) -> None:
        ids = self.checked_ids()
        if not ids:
            self.status.setText(self.tr("削除するケースにチェックを付けてください。"))
            return
        if not common.ask(
            self,
            self.tr("ケースの削除"),
            self.tr(
                "{}件のケースとその相談記録をすべて削除します。元に戻すことはできません。"
                "削除してよろしいですか。"
            ).format(len(ids)),
        ):
            return
        try:
            deleted = common.run_blocking(retention.destroy, self._session, ids, self.today())
        except UserError as exc:  # RetentionError, or a VaultError
            self.status.setText(exc.message)
            return
        self.refresh()
        self.status.setText(self.tr("{}件のケースを削除しました。").format(deleted))
