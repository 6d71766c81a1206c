"""報告用集計: the official return of one fiscal year (rules.md §10), exact counts on
screen, as CSV and as a PDF marked 取扱注意; supervisors only, every look and export
audited (``store.official_returns``). Before a file is written the supervisor is told
that nothing in it is suppressed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain import japanese
from intake_app.domain.errors import UserError
from intake_app.domain.statistics.official import EXACT_NOTICE, OfficialReturn
from intake_app.gui.supervisor import common
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.session import Session

VALUE_COLUMNS = 3  # the widest table: 件数, 人数（本人等）, 同伴児童

NOTICE_STYLE = (
    "QLabel { color: #7a1f28; background: #fbeaec; border: 1px solid #b5525c;"
    " padding: 6px; font-weight: bold; }"
)


class OfficialTab(QWidget):
    """One fiscal year's official return; CSV and PDF after the exact-count notice."""

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ):
        super().__init__(parent)
        self._session = session
        self._result: OfficialReturn | None = None
        today = today or dt.date.today()
        layout = QVBoxLayout(self)
        self.notice = QLabel(EXACT_NOTICE)
        self.notice.setObjectName("officialNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setAccessibleName(self.tr("取扱注意"))
        self.notice.setAccessibleDescription(EXACT_NOTICE)
        layout.addWidget(self.notice)
        bar = QHBoxLayout()
        year_label = QLabel(self.tr("年度(&Y)"))
        bar.addWidget(year_label)
        self.year = QComboBox()
        self.year.setObjectName("officialYear")
        year_label.setBuddy(self.year)
        years = set(session.stats.fiscal_years()) | {japanese.fiscal_year(today)}
        common.fill_fiscal_years(self.year, years)
        bar.addWidget(self.year)
        self.show_button = QPushButton(self.tr("表示(&V)"))
        self.show_button.clicked.connect(self.refresh)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        self.csv_button = QPushButton(self.tr("CSVで保存…(&C)"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button = QPushButton(self.tr("PDFで保存…(&P)"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        layout.addLayout(bar)
        self.table = QTableWidget(0, 2 + VALUE_COLUMNS)
        self.table.setObjectName("officialTable")
        self.table.setAccessibleName(self.tr("報告用集計"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("表"), self.tr("区分"), *[""] * VALUE_COLUMNS]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.refresh()

    def fiscal_year(self) -> int:
        return int(self.year.currentData())

    def refresh(self) -> None:
        try:
            result = self._session.official_returns.year(self.fiscal_year())
        except VaultError as exc:
            self.status.setText(exc.message)
            return
        self._result = result
        self.table.setRowCount(0)
        bold = QFont(self.font())
        bold.setBold(True)
        for table in result.tables:
            self._add_row([table.title, "", *table.columns], bold)
            for row in table.rows:
                values = ["" if v is None else str(v) for v in row.values]
                self._add_row([table.title, row.label, *values])
        self.notes.setText("\n".join(result.notes[1:]))
        total = result.cell("persons", "total", 1)
        self.status.setText(
            self.tr("{}年度の報告用集計（延べ件数 {}件・秘匿処理なし）").format(
                result.fiscal_year, total
            )
        )

    def _add_row(self, values: list[str], font: QFont | None = None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate(values[: 2 + VALUE_COLUMNS]):
            item = QTableWidgetItem(text)
            if c >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if font is not None:
                item.setFont(font)
            self.table.setItem(r, c, item)

    def export(self, fmt: str) -> None:
        from intake_app.documents.export import write_private
        from intake_app.documents.official_return import official_csv, render_official_return

        if self._result is None:
            return
        year = self._result.fiscal_year
        if not common.ask(
            self,
            self.tr("報告用集計の保存"),
            self.tr("{}\n行政機関への報告のためだけに保存しますか。").format(EXACT_NOTICE),
        ):
            return
        path = common.choose_save_file(
            self,
            self.tr("報告用集計の保存先"),
            f"official-return-{year}.{fmt}",
            "CSV (*.csv)" if fmt == "csv" else "PDF (*.pdf)",
        )
        if path is None:
            return
        returns = self._session.official_returns
        try:
            centre = returns.centre_name()
            if fmt == "csv":
                data = official_csv(self._result, centre=centre)
            else:
                data = render_official_return(self._result, centre=centre)
            write_private(path, data)
            returns.record_export(year, fmt)
        except UserError as exc:  # DocumentError (the file), VaultError (the audit entry)
            common.warn(self, self.tr("報告用集計の保存"), exc.message)
            return
        self.status.setText(
            self.tr("{}年度の報告用集計（取扱注意）を保存しました: {}").format(year, path.name)
        )
