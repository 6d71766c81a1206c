"""What every intake step shares: the page, the host it may ask, the problems it shows.

A step reads its part of the ``Intake`` (``load``), writes it back (``apply``), names
the widget of each model path it shows (``fields``), and shows the advice that concerns
it (``refresh``). It checks nothing itself: ``domain.validation`` decides what is wrong,
``problems`` places each message under the field's widget (or on the step's own
message line when the path has no visible widget), and a widget that cannot read its
text (a date, a number) adds that message instead.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, ClassVar, NamedTuple, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from intake_app.domain.codes import LABELS
from intake_app.domain.model import Intake
from intake_app.domain.municipality import Municipality
from intake_app.domain.reasons import Reason
from intake_app.domain.validation import FieldError
from intake_app.gui.intake.adapters import HistoryEntry
from intake_app.gui.intake.printing import Builder, PrintButton
from intake_app.gui.intake.widgets import FieldForm, ParsedEdit, tr

REASON_STYLE = "margin-left: 12px;"


class StepHost(Protocol):
    """What a step may ask of the wizard that holds it (steps never import the wizard)."""

    @property
    def municipality(self) -> Municipality | None:
        """The loaded municipality file (None when it could not be loaded)."""

    @property
    def risk_history(self) -> Sequence[HistoryEntry]:
        """The case's earlier risk assessments, oldest first (empty for a new case)."""

    def collect(self) -> Intake:
        """The whole intake as the widgets show it now."""

    def summary_html(self) -> str:
        """The summary of the whole intake (the last step shows it)."""

    def open_paper(
        self,
        kind: str,
        build: Builder,
        *,
        at: PrintButton,
        destination_id: str | None = None,
        title: str = "",
    ) -> Any:
        """Build a paper and open its preview; the host records every print."""

    def ask_client_paper(self, kind: str, intake: Intake, *, at: PrintButton) -> Any:
        """The print-time choices of a paper for the client (``gui.client_papers``);
        None when cancelled or refused (the reason shown at ``at``)."""


class Problem(NamedTuple):
    """A message to show: ``field`` is the model path, ``widget`` where it goes (None: the
    step's own message line)."""

    field: str
    widget: QWidget | None
    message: str


def part_of(path: str) -> str:
    """The ``Intake`` attribute a model path starts with (``referrals[0].consent`` →
    ``referrals``)."""
    return path.split(".", 1)[0].split("[", 1)[0]


def labels(kind: str) -> list[tuple[str, str]]:
    """A domain code list with its labels (the one vocabulary shared with the papers)."""
    return list(LABELS[kind].items())


def step_title(title: str) -> str:
    """A step's title on screen (literal tr() strings, so lupdate extracts them)."""
    titles = {
        "0 安全確認": tr("0 安全確認"),
        "1 相談の受付": tr("1 相談の受付"),
        "2 本人の情報": tr("2 本人の情報"),
        "3 子ども・世帯": tr("3 子ども・世帯"),
        "4 関係と暴力": tr("4 関係と暴力"),
        "5 リスク評価": tr("5 リスク評価"),
        "6 一時保護": tr("6 一時保護"),
        "7 保護命令": tr("7 保護命令"),
        "8 困りごとと紹介": tr("8 困りごとと紹介"),
        "9 情報の保護": tr("9 情報の保護"),
        "10 まとめと保存": tr("10 まとめと保存"),
    }
    return titles.get(title, title)


def reasons_html(reasons: Sequence[Reason]) -> str:
    """Every recommendation shows its reasons and the rule it rests on."""
    items = []
    for r in reasons:
        rule = f"<span style='color:#555'>（根拠: {html.escape(r.rule)}）</span>" if r.rule else ""
        items.append(f"<li>{html.escape(r.text)} {rule}</li>")
    return f"<ul style='{REASON_STYLE}'>{''.join(items)}</ul>" if items else ""


def advice_frame(label: QLabel) -> QFrame:
    """The framed box in which a step shows the rules' advice."""
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    frame = QFrame()
    frame.setObjectName("advice")
    QVBoxLayout(frame).addWidget(label)
    return frame


class Step(QScrollArea):
    """One page of the wizard."""

    title: ClassVar[str] = ""
    # The Intake attributes this step shows: it owns every problem whose path starts
    # with one of them, and a follow-up marks the step changed when one differs.
    parts: ClassVar[tuple[str, ...]] = ()
    changed = Signal()

    def __init__(self, host: StepHost) -> None:
        super().__init__()
        self.host = host
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops at the fields, not the page
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.heading = QLabel(f"<h2>{html.escape(step_title(self.title))}</h2>")
        self.heading.setAccessibleName(step_title(self.title))
        self.layout_.addWidget(self.heading)
        # Messages for a path without a visible widget of its own (e.g. a referral to a
        # destination no longer in the municipality file).
        self.step_errors = QLabel()
        self.step_errors.setObjectName("fieldError")
        self.step_errors.setWordWrap(True)
        self.step_errors.setAccessibleName(tr("このステップの確認事項"))
        self.step_errors.setVisible(False)
        self.layout_.addWidget(self.step_errors)
        self.setWidget(self.body)
        self.forms: list[FieldForm] = []

    def shown_title(self, intake: Intake) -> str:
        """The step's title as this client's case shows it (step 6 depends on the
        client's gender: rules.md §9.9)."""
        return step_title(self.title)

    def retitle(self, intake: Intake) -> None:
        """Put ``shown_title`` in the step's heading (when it changed)."""
        title = self.shown_title(intake)
        if self.heading.accessibleName() != title:
            self.heading.setText(f"<h2>{html.escape(title)}</h2>")
            self.heading.setAccessibleName(title)

    def new_form(self, title: str | None = None) -> FieldForm:
        form = FieldForm()
        form.changed.connect(self.changed.emit)
        self.forms.append(form)
        if title:
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(form)
            self.layout_.addWidget(box)
        else:
            self.layout_.addWidget(form)
        return form

    def adopt_font(self, widget: QWidget) -> None:
        """Give a widget added after construction the step's (large) font: with a style
        sheet set, Qt does not pass a parent's font on."""
        font = self.font()
        widget.setFont(font)
        for child in widget.findChildren(QWidget):
            child.setFont(font)

    def fit_labels(self) -> None:
        """Give wrapped labels the height their text needs (layouts under-estimate it)."""
        width = self.viewport().width()
        for label in self.body.findChildren(QLabel):
            if label.wordWrap() and label.isVisibleTo(self):
                w = label.width() if label.width() > 50 else width - 80
                old = label.minimumHeight()
                label.setMinimumHeight(0)  # heightForWidth includes the minimum height
                needed = label.heightForWidth(max(w - 8, 100))
                label.setMinimumHeight(needed if needed > 0 else old)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_labels()

    def _emit_changed(self, *_args: object) -> None:
        self.changed.emit()

    def finish(self) -> None:
        self.layout_.addStretch(1)

    def load(self, intake: Intake) -> None: ...

    def apply(self, intake: Intake) -> None: ...

    def refresh(self, intake: Intake) -> None: ...

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        """Model path → the widget that shows it, in the order of the form."""
        return {}

    def problems(self, intake: Intake, errors: Sequence[FieldError]) -> list[Problem]:
        """The domain's ``errors`` for this step's parts, each at its widget, plus the
        text a widget cannot read (which replaces the domain's word on that path)."""
        fields = self.fields(intake)
        order = {path: i for i, path in enumerate(fields)}
        unreadable = {
            path: widget.input_error()
            for path, widget in fields.items()
            if isinstance(widget, ParsedEdit) and widget.input_error()
        }
        found = [Problem(path, fields[path], message) for path, message in unreadable.items()]
        found += [
            Problem(e.field, fields.get(e.field), e.message)
            for e in errors
            if e.field not in unreadable
        ]
        return sorted(found, key=lambda p: order.get(p.field, len(order)))

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each message under its widget; the rest on the step's own message line."""
        form_of = {widget: form for form in self.forms for widget in form.errors}
        messages: dict[QWidget, list[str]] = {widget: [] for widget in form_of}
        loose: list[str] = []
        for problem in problems:
            target = problem.widget
            if target is not None and target in form_of and target.isVisibleTo(self):
                messages[target].append(problem.message)
            else:
                loose.append(problem.message)
        for target, texts in messages.items():
            form_of[target].set_error(target, "\n".join(texts))
        self.step_errors.setText("\n".join(loose))
        self.step_errors.setVisible(bool(loose))

    def first_input(self) -> QWidget | None:
        for form in self.forms:
            for widget in form.errors:
                if widget.isEnabled() and widget.isVisibleTo(self):
                    return widget
        return None
