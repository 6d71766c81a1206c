"""A small bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#3b6ea5", "#d9822b", "#5a9e6f", "#8e6bb3", "#b5525c", "#6b7b8c")
LABEL_LINES = 3  # a category's name wraps onto at most this many lines under its bar


class BarChart(QWidget):
    """Grouped vertical bars: ``categories`` along the bottom, one colour per series.

    A value of None (a hidden figure) leaves a gap.
    """

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._categories: list[str] = []
        self._series: list[list[int | None]] = []
        self._names: list[str] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[Sequence[int | None]],
        names: Sequence[str] = (),
        title: str | None = None,
    ) -> None:
        self._categories = list(categories)
        self._series = [list(s) for s in series]
        self._names = list(names)
        if title is not None:
            self._title = title
        self.setAccessibleName(self._title)
        self.setAccessibleDescription(self.summary())  # what a screen reader reads
        self.update()

    def summary(self) -> str:
        """The figures as text: 「2024: DV相談 12、女性の心と生き方相談 3」 per category."""
        parts = []
        for c, category in enumerate(self._categories):
            values = []
            for s, series in enumerate(self._series):
                value = series[c] if c < len(series) else None
                shown = "—" if value is None else str(value)
                name = self._names[s] if s < len(self._names) else ""
                values.append(f"{name} {shown}".strip())
            parts.append(f"{category}: {'、'.join(values)}")
        return "。".join(parts)

    def clear(self) -> None:
        self.set_data([], [], [])

    # what the chart shows, for tests and accessibility
    def title(self) -> str:
        return self._title

    def categories(self) -> list[str]:
        return list(self._categories)

    def series(self) -> list[list[int | None]]:
        return [list(s) for s in self._series]

    def top(self) -> int:
        values = [v for s in self._series for v in s if v is not None]
        top = max(values or [0])
        if top <= 5:
            return 5
        step = 10 ** (len(str(top)) - 1)
        return int((top // step + 1) * step)

    @staticmethod
    def _lines(metrics: QFontMetrics, text: str, width: float) -> int:
        flags = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWrapAnywhere)
        rect = metrics.boundingRect(QRect(0, 0, max(1, int(width)), 10_000), flags, text)
        return max(1, round(rect.height() / max(1, metrics.lineSpacing())))

    def _label_height(self, metrics: QFontMetrics, slot: float) -> int:
        """Room under the bars for the longest name, wrapped (not cut to 「子ど…」)."""
        lines = max((self._lines(metrics, n, slot) for n in self._categories), default=1)
        return metrics.lineSpacing() * min(lines, LABEL_LINES) + 4

    def _fitted(self, metrics: QFontMetrics, text: str, slot: float) -> str:
        """The whole name where it fits in ``LABEL_LINES`` lines, else shortened at the
        end of the last line."""
        if self._lines(metrics, text, slot) <= LABEL_LINES:
            return text
        while text and self._lines(metrics, text + "…", slot) > LABEL_LINES:
            text = text[:-1]
        return text + "…"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(8, 4, self.width() - 16, line), self._title)
        legend_h = line if len(self._names) > 1 else 0
        left = metrics.horizontalAdvance(str(self.top())) + 14
        small = QFont(painter.font())
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.85)
        slot = (self.width() - left - 10) / max(1, len(self._categories))
        label_h = self._label_height(QFontMetrics(small), slot)
        area = QRectF(left, 10 + line + legend_h, self.width() - left - 10, 0)
        area.setBottom(self.height() - label_h - 10)
        if area.height() <= 10 or not self._categories:
            painter.end()
            return
        top = self.top()
        grid = QPen(QColor("#d0d0d0"))
        for i in range(6):
            tick = top * i / 5
            y = area.bottom() - area.height() * i / 5
            painter.setPen(grid)
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:g}",
            )
        n_cat = len(self._categories)
        n_ser = max(1, len(self._series))
        slot = area.width() / n_cat
        bar = max(1.0, slot * 0.8 / n_ser)
        for c, name in enumerate(self._categories):
            x0 = area.left() + slot * c + slot * 0.1
            for s, values in enumerate(self._series):
                value = values[c] if c < len(values) else None
                if value is None:
                    continue
                h = area.height() * value / top
                painter.fillRect(
                    QRectF(x0 + bar * s, area.bottom() - h, bar - 1, h),
                    QColor(PALETTE[s % len(PALETTE)]),
                )
            painter.setPen(self.palette().text().color())
            painter.save()
            painter.setFont(small)
            painter.drawText(
                QRectF(area.left() + slot * c, area.bottom() + 2, slot, label_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWrapAnywhere,
                self._fitted(painter.fontMetrics(), name, slot),
            )
            painter.restore()
        x = area.left()
        for s, name in enumerate(self._names if len(self._names) > 1 else []):
            painter.fillRect(QRectF(x, 8 + line, 10, 10), QColor(PALETTE[s % len(PALETTE)]))
            painter.drawText(QRectF(x + 14, 4 + line, 400, line), name)
            x += 24 + metrics.horizontalAdvance(name)
        painter.end()
