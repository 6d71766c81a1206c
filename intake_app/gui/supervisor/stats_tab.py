"""Statistics tab: one fiscal year as tables and charts; CSV and PDF export."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.documents.stats_labels import FISCAL_MONTH_LABELS as SHORT_MONTHS
from intake_app.documents.stats_labels import fiscal_year_label, short_year_label
from intake_app.domain import japanese
from intake_app.domain.errors import UserError
from intake_app.domain.statistics.figures import YearStats
from intake_app.domain.statistics.publication import publish
from intake_app.domain.statistics.suppression import DEFAULT_MIN_COUNT
from intake_app.gui.accessibility import StatusLabel, buddy, leave_on_tab
from intake_app.gui.supervisor import common
from intake_app.gui.supervisor.chart import BarChart
from intake_app.gui.workers import Job
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.session import Session


class StatsTab(QWidget):
    """Supervisors see exact counts here; what leaves the program is suppressed."""

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ):
        super().__init__(parent)
        self._session = session
        self._stats: YearStats | None = None
        today = today or dt.date.today()
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        year_label = QLabel(self.tr("年度(&Y)"))
        bar.addWidget(year_label)
        self.year = QComboBox()
        self.year.setObjectName("statsYear")
        buddy(year_label, self.year)
        years = set(session.stats.fiscal_years()) | {japanese.fiscal_year(today)}
        common.fill_fiscal_years(self.year, years)
        bar.addWidget(self.year)
        self.show_button = QPushButton(self.tr("表示"))
        self.show_button.setAccessibleName(self.tr("この年度の統計を表示"))
        self.show_button.clicked.connect(self.refresh)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        bar = QHBoxLayout()  # a second row: the tab fits a 1366-pixel screen
        min_label = QLabel(self.tr("出力時に秘匿する件数（未満）"))
        bar.addWidget(min_label)
        self.min_count = QSpinBox()
        buddy(min_label, self.min_count)
        self.min_count.setRange(3, 20)
        self.min_count.setValue(DEFAULT_MIN_COUNT)
        self.min_count.setToolTip(self.tr("既定の3では、1件と2件の欄を「<3」と出力します。"))
        bar.addWidget(self.min_count)
        self.csv_button = QPushButton(self.tr("CSVで保存…"))
        self.csv_button.setAccessibleName(self.tr("統計をCSVで保存"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button = QPushButton(self.tr("PDFで保存…"))
        self.pdf_button.setAccessibleName(self.tr("統計をPDFで保存"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        charts = QGridLayout()
        self.series_chart = BarChart(self.tr("図1 年度別相談件数"))
        self.month_chart = BarChart(self.tr("月別相談件数（4月〜3月）"))
        self.violence_chart = BarChart(self.tr("暴力の種類別（複数回答）"))
        charts.addWidget(self.series_chart, 0, 0)
        charts.addWidget(self.month_chart, 0, 1)
        charts.addWidget(self.violence_chart, 0, 2)
        layout.addLayout(charts, 2)

        self.table = QTableWidget(0, 15)
        self.table.setObjectName("statsTable")
        self.table.setAccessibleName(self.tr("統計の表"))
        leave_on_tab(self.table)
        self.table.setHorizontalHeaderLabels(
            [self.tr("表"), self.tr("区分"), *SHORT_MONTHS, self.tr("年度計")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 3)
        self.status = StatusLabel(self.tr("統計の状態"))
        layout.addWidget(self.status)
        # The first year is counted in a worker: the area opens at once (a year of a
        # decade-old vault takes most of a second to count); 表示 counts in front.
        self.status.setText(self.tr("統計を集計しています…"))
        self._first: Job | None = Job(self._session.stats.year, self.fiscal_year())
        self._first.done.connect(self._first_counted)
        self._first.failed.connect(self._first_failed)
        self._first.start()

    def fiscal_year(self) -> int:
        return int(self.year.currentData())

    def loaded(self) -> bool:
        """The first year's figures are on screen (or could not be counted)."""
        return self._first is None

    def _first_counted(self, stats: YearStats) -> None:
        if not shiboken6.isValid(self):  # the area was closed (a lock) meanwhile
            return
        self._first = None
        if self._stats is None:  # 表示 may have been pressed meanwhile
            self._show(stats)

    def _first_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._first = None
        if isinstance(exc, VaultError):
            self.status.setText(exc.message)
        else:
            common.log_error("stats", exc)
            self.status.setText(self.tr("統計を集計できませんでした。"))

    def refresh(self) -> None:
        try:
            stats = self._session.stats.year(self.fiscal_year())
        except VaultError as exc:
            self.status.setText(exc.message)
            return
        self._show(stats)

    def _show(self, stats: YearStats) -> None:
        self._stats = stats
        self.table.setRowCount(0)
        for table in stats.tables:
            for row in table.rows:
                r = self.table.rowCount()
                self.table.insertRow(r)
                values = [table.title, row.label, *map(str, row.months), str(row.total)]
                for c, text in enumerate(values):
                    self.table.setItem(r, c, QTableWidgetItem(text))
        self.series_chart.set_data(
            [short_year_label(y.fiscal_year).removesuffix("年度") for y in stats.series],
            [[y.dv for y in stats.series], [y.kokoro for y in stats.series]],
            [self.tr("DV相談"), self.tr("女性の心と生き方相談")],
        )
        self.month_chart.set_data(
            [m.removesuffix("月") for m in SHORT_MONTHS],
            [list(stats.total.months)],
            [self.tr("相談件数")],
        )
        violence = stats.table("violence")
        self.violence_chart.set_data(
            [r.label.removesuffix("暴力").removesuffix("的") for r in violence.rows],
            [[r.total for r in violence.rows]],
        )
        self.status.setText(
            self.tr("{}の相談件数（のべ）: {}件").format(
                fiscal_year_label(stats.fiscal_year), stats.total.total
            )
        )

    def export(self, fmt: str) -> None:
        from intake_app.documents.export import write_private
        from intake_app.documents.stats_csv import to_csv
        from intake_app.documents.stats_report import render_stats_report

        if self._stats is None:
            return
        year = self._stats.fiscal_year
        path = common.choose_save_file(
            self,
            self.tr("統計の保存先"),
            f"stats-{year}.{fmt}",
            self.tr("CSVファイル (*.csv)") if fmt == "csv" else self.tr("PDFファイル (*.pdf)"),
        )
        if path is None:
            return
        min_count = self.min_count.value()
        published = publish(self._stats, min_count)
        try:
            if fmt == "csv":
                data = to_csv(published)
            else:
                data = render_stats_report(published, centre=self._session.stats.centre_name())
            write_private(path, data)
            self._session.stats.record_export(year, fmt, min_count)
        except UserError as exc:  # DocumentError (the file), VaultError (the audit entry)
            common.warn(self, self.tr("統計の保存"), exc.message)
            return
        self.status.setText(self.tr("{}年度の統計を保存しました: {}").format(year, path.name))
