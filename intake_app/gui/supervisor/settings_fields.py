"""Field editors for the 設定 area: a label linked to its field, the field, and the
message under it.

The checks are the municipality file loader's: a section changes the settings data,
``session.settings.save`` runs the loader, and a refusal (``ConfigError``) names the
key, which the section maps back to the field that shows the message
(``ConfigError.field_message()``, one Japanese sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class FieldSpec:
    """One setting of an entry or a table.

    ``kind``: ``text`` (one line), ``long`` (several lines), ``lines`` (a list of
    strings, one per line), ``bool``, ``choice`` (``options``), ``multi`` (several of
    ``options``, shown as check boxes), ``int`` (``minimum``..``maximum``).
    ``fixed``: shown but not editable once the entry exists (an id).
    """

    key: str
    label: str
    kind: str = "text"
    options: Sequence[tuple[str, str]] = ()
    help: str = ""
    fixed: bool = False
    minimum: int = 0
    maximum: int = 0
    columns: int = 2
    extra: dict[str, Any] = field(default_factory=dict)


class FieldEditor:
    """The widgets of one ``FieldSpec``: label (buddy), input, help, error under it."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        self.spec = spec
        self.label = QLabel(spec.label, parent)
        self.label.setMinimumWidth(self.label.sizeHint().width())
        self.checks: dict[str, QCheckBox] = {}
        self.widget = self._build(spec)
        accessible = spec.label.replace("(&", "(").replace("&", "")
        if self.spec.kind == "multi":
            first = next(iter(self.checks.values()), None)
            if first is not None:
                self.label.setBuddy(first)
        else:
            self.label.setBuddy(self.widget)
            self.widget.setAccessibleName(accessible)
        self.help = QLabel(spec.help) if spec.help else None
        if self.help is not None:
            self.help.setWordWrap(True)
            self.help.setObjectName("fieldHelp")
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(accessible + "の誤り")
        self.error.setVisible(False)

    def _build(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "bool":
            box = QCheckBox(spec.extra.get("text", spec.label.split("(")[0]))
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            for value, text in spec.options:
                combo.addItem(text, value)
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(spec.minimum, spec.maximum)
            if spec.extra.get("suffix"):
                spin.setSuffix(str(spec.extra["suffix"]))
            return spin
        if spec.kind in ("long", "lines"):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)  # Tab moves on, never types a tab character
            edit.setFixedHeight(72)
            return edit
        if spec.kind == "multi":
            group = QGroupBox()  # the label beside it names the group
            grid = QGridLayout(group)
            for i, (value, text) in enumerate(spec.options):
                check = QCheckBox(text)
                check.setAccessibleName(f"{spec.label.split('(')[0]}: {text}")
                check.setProperty("value", value)
                self.checks[value] = check
                grid.addWidget(check, i // spec.columns, i % spec.columns)
            return group
        return QLineEdit()

    # -- values ------------------------------------------------------------------------

    def value(self) -> Any:
        w = self.widget
        kind = self.spec.kind
        if kind == "bool":
            assert isinstance(w, QCheckBox)
            return w.isChecked()
        if kind == "choice":
            assert isinstance(w, QComboBox)
            return w.currentData()
        if kind == "int":
            assert isinstance(w, QSpinBox)
            return w.value()
        if kind == "multi":
            return [value for value, check in self.checks.items() if check.isChecked()]
        if kind == "lines":
            assert isinstance(w, QPlainTextEdit)
            return [line.strip() for line in w.toPlainText().splitlines() if line.strip()]
        if kind == "long":
            assert isinstance(w, QPlainTextEdit)
            return w.toPlainText().strip()
        assert isinstance(w, QLineEdit)
        return w.text().strip()

    def set_value(self, value: Any) -> None:
        w = self.widget
        kind = self.spec.kind
        if kind == "bool" and isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif kind == "choice" and isinstance(w, QComboBox):
            index = w.findData(value)
            w.setCurrentIndex(max(index, 0))
        elif kind == "int" and isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif kind == "multi":
            chosen = set(value or [])
            for key, check in self.checks.items():
                check.setChecked(key in chosen)
        elif kind == "lines" and isinstance(w, QPlainTextEdit):
            w.setPlainText("\n".join(value or []))
        elif kind == "long" and isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value or ""))
        elif isinstance(w, QLineEdit):
            w.setText(str(value or ""))

    def set_fixed(self, fixed: bool) -> None:
        """An id of an existing entry: shown, not editable."""
        if isinstance(self.widget, QLineEdit):
            self.widget.setReadOnly(fixed)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def focus(self) -> None:
        target: QWidget = self.widget
        if self.spec.kind == "multi" and self.checks:
            target = next(iter(self.checks.values()))
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_to(self, layout: QGridLayout, row: int) -> int:
        """Label in column 0, the field, its help and its error under it in column 1."""
        layout.addWidget(self.label, row, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.widget, row, 1)
        row += 1
        if self.help is not None:
            layout.addWidget(self.help, row, 1)
            row += 1
        layout.addWidget(self.error, row, 1)
        return row + 1


class FieldForm(QWidget):
    """Editors in a grid, each with its message under it; ``editors`` by key."""

    def __init__(self, specs: Sequence[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.editors: dict[str, FieldEditor] = {}
        row = 0
        for spec in specs:
            editor = FieldEditor(spec, self)
            row = editor.add_to(self.grid, row)
            self.editors[spec.key] = editor

    def load(self, values: dict[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(values.get(key))
            editor.show_error("")

    def values(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def clear_errors(self) -> None:
        for editor in self.editors.values():
            editor.show_error("")

    def show_error(self, key: str, message: str) -> bool:
        """The message under the field ``key``; False when no such field is here."""
        editor = self.editors.get(key)
        if editor is None:
            return False
        editor.show_error(message)
        editor.focus()
        return True


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class EntryDialog(QDialog):
    """Add or edit one entry of a list (a destination, a department …).

    ``submit(values) -> (field_key | None, message) | None``: None when saved; else the
    field to show the message under (None: under the whole form). The dialog stays open
    until the entry is saved or the supervisor cancels.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        specs: Sequence[FieldSpec],
        values: dict[str, Any],
        submit: Callable[[dict[str, Any]], tuple[str | None, str] | None],
        *,
        new: bool,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("settingsEntryDialog")
        self.resize(980, 680)
        self._submit = submit
        layout = QVBoxLayout(self)
        self.form = FieldForm(specs)
        self.form.load(values)
        for spec in specs:
            if spec.fixed:
                self.form.editors[spec.key].set_fixed(not new)
        layout.addWidget(scrolled(self.form), 1)
        self.message = QLabel("")
        self.message.setObjectName("entryMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName(self.tr("保存できない理由"))
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存(&S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def save(self) -> bool:
        self.form.clear_errors()
        self.message.setText("")
        problem = self._submit(self.form.values())
        if problem is None:
            self.accept()
            return True
        key, message = problem
        if key is None or not self.form.show_error(key, message):
            self.message.setText(message)
        return False
