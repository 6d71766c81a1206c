"""Small input widgets of the wizard: tri-state answers, code lists, dates, field errors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.codes import UNKNOWN_LABEL

W = TypeVar("W", bound=QWidget)


# pyside6-lupdate files a plain tr("…") call under the empty context, so the lookup
# uses that context too (else no translation it extracted would ever be found).
TR_CONTEXT = ""


def tr(text: str) -> str:
    """Translate through Qt. Call it with one literal string only (lupdate reads the
    source), with {} placeholders filled by ``.format`` afterwards."""
    return QCoreApplication.translate(TR_CONTEXT, text)


class ChoiceCombo(QComboBox):
    """A code list with an always-available 不明・回答なし (value ``None``)."""

    def __init__(
        self,
        choices: Sequence[tuple[Any, str]],
        *,
        unknown_label: str | None = UNKNOWN_LABEL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        if unknown_label is not None:
            self.addItem(tr("不明・回答なし") if unknown_label == UNKNOWN_LABEL else unknown_label)
            self._values.append(None)
        for value, label in choices:
            self.addItem(label)
            self._values.append(value)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> Any:
        idx = self.currentIndex()
        return self._values[idx] if 0 <= idx < len(self._values) else None

    def setValue(self, value: Any) -> None:
        try:
            self.setCurrentIndex(self._values.index(value))
        except ValueError:
            self.setCurrentIndex(0)

    def wheelEvent(self, event: Any) -> None:
        event.ignore()  # scrolling the page must not change an answer


class TriCombo(ChoiceCombo):
    """はい / いいえ / 不明・回答なし → True / False / None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(True, tr("はい")), (False, tr("いいえ"))], parent=parent)


def typed_text(widget: QLineEdit) -> str:
    """What was typed, with full-width digits and signs as their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", widget.text()).strip()


class ParsedEdit(QLineEdit):
    """A line whose text becomes a typed value; ``parsed()`` gives (value, error)."""

    def parsed(self) -> tuple[Any, str]:
        raise NotImplementedError

    def value(self) -> Any:
        """The typed value, ``None`` when empty or unreadable."""
        value, err = self.parsed()
        return None if err else value

    def input_error(self) -> str:
        """Why the text cannot be read ('' when it can). Only the form is checked here;
        limits (future dates, ages) are the domain's (``domain.validation``)."""
        return self.parsed()[1]


class DateEdit(ParsedEdit):
    """A date typed as 2026-11-25 or 2026/11/25; empty means 不明・回答なし."""

    def __init__(self, parent: QWidget | None = None, *, with_time: bool = False) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.setPlaceholderText(
            tr("例: 2026-11-25 10:30") if with_time else tr("例: 2026-11-25（空欄は不明）")
        )

    def parsed(self) -> tuple[dt.date | dt.datetime | None, str]:
        """The value and an error message ('' when valid)."""
        text = typed_text(self).replace("/", "-").replace(".", "-")
        if not text:
            return None, ""
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?", text)
        if not m:
            return None, tr("日付は「2026-11-25」の形で入力してください")
        try:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if self.with_time:
                hh, mm = int(m[4] or 0), int(m[5] or 0)
                return dt.datetime(y, mo, d, hh, mm), ""
            if m[4]:
                return None, tr("日付だけを入力してください")
            return dt.date(y, mo, d), ""
        except ValueError:
            return None, tr("存在しない日付です")

    def setValue(self, value: dt.date | dt.datetime | None) -> None:
        if value is None:
            self.setText("")
        elif isinstance(value, dt.datetime):
            self.setText(value.strftime("%Y-%m-%d %H:%M"))
        else:
            self.setText(value.isoformat())


class NumberEdit(ParsedEdit):
    """A whole number (full-width digits too); empty means 不明・回答なし."""

    def parsed(self) -> tuple[int | None, str]:
        text = typed_text(self)
        if not text:
            return None, ""
        if not text.isdecimal():
            return None, tr("数字で入力してください（不明なら空欄）")
        return int(text), ""

    def setValue(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))


class TextArea(QPlainTextEdit):
    """Multi-line text where Tab moves on (keyboard-first)."""

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * lines + 16)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)


class FieldForm(QWidget):
    """A form whose rows carry a Japanese error message under the field.

    Each row's label is the field's buddy and its sibling, so a screen reader reads
    the label as the field's name (for a combo box on Linux, this linked label is its
    only name: its own name is its value). ``context`` (「子ども1」, a destination's
    name) starts every name of a form that is repeated on a screen, so each field has
    a name of its own; ``set_context`` renames them (after a child is removed).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, context: str = "") -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.errors: dict[QWidget, QLabel] = {}
        self.invalid: set[QWidget] = set()
        self.sensitive: set[QWidget] = set()
        self.context = context
        self._labels: dict[QWidget, tuple[QLabel, str]] = {}
        self._rows: dict[QWidget, QVBoxLayout] = {}

    def row(self, label: str, widget: W, *, sensitive: bool = False) -> W:
        lay = QVBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        err = QLabel()
        err.setVisible(False)
        err.setObjectName("fieldError")
        lay.addWidget(err)
        if sensitive:
            note = QLabel(tr("※ 機微情報: 一覧・書類には表示されません"))
            note.setObjectName("sensitiveNote")
            lay.addWidget(note)
            widget.setProperty("sensitive", True)
            self.sensitive.add(widget)
        lab = QLabel(label)
        lab.setBuddy(widget)
        self.form.addRow(lab, lay)  # the label and the field are both this form's children
        self._labels[widget] = (lab, label.replace("&", ""))
        self._rows[widget] = lay
        self._name(widget)
        self.errors[widget] = err
        _connect_changed(widget, self.changed.emit)
        if isinstance(widget, QLineEdit):
            # Enter moves on, as on paper forms; an input method consumes the Enter
            # that commits a conversion, so only a finished entry moves the focus.
            widget.returnPressed.connect(widget.focusNextChild)
        return widget

    def _name(self, widget: QWidget) -> None:
        lab, text = self._labels[widget]
        if isinstance(widget, QCheckBox) and widget.text():
            # a check box's own text says more than the row's heading; without a
            # context Qt reads that text itself, and follows it when a step changes it
            text = widget.text().replace("&", "")
            name = f"{self.context} {text}" if self.context else ""
        else:
            name = f"{self.context} {text}" if self.context else text
        widget.setAccessibleName(name)
        lab.setAccessibleName(name if self.context else "")

    def set_context(self, context: str) -> None:
        """Start every field's name with ``context`` (「子ども2」)."""
        self.context = context
        for widget in self._labels:
            self._name(widget)

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        """Show or hide the row of ``widget`` (its label and its error line with it)."""
        row = self._rows[widget]
        if self.form.isRowVisible(row) != visible:
            self.form.setRowVisible(row, visible)

    def set_error(self, widget: QWidget, message: str) -> None:
        err = self.errors[widget]
        err.setText(message)
        err.setVisible(bool(message))
        # Tracked here, not read back with QObject.property(): on this PySide6 an unset
        # property comes back as a None whose reference count is wrong, and reading it
        # on every keystroke ends the process.
        invalid = bool(message)
        if (widget in self.invalid) != invalid:
            if invalid:
                self.invalid.add(widget)
            else:
                self.invalid.discard(widget)
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        widget.setAccessibleDescription(message)


def _connect_changed(widget: QWidget, emit: Any) -> None:
    def slot(*_args: object) -> None:
        emit()

    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        widget.editTextChanged.connect(slot)  # typed into an editable one
    elif isinstance(widget, QLineEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(slot)
    elif hasattr(widget, "changed"):
        widget.changed.connect(slot)
