"""Step 10, まとめと保存: the summary of the whole intake and the save button."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QTextBrowser, QWidget

from intake_app.domain.model import Intake
from intake_app.gui.intake.steps.base import Step, StepHost
from intake_app.gui.intake.widgets import TextArea, tr


class SummaryStep(Step):
    title = "10 まとめと保存"
    parts = ("summary_note",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        self.view = QTextBrowser()
        self.view.setMinimumHeight(380)
        self.view.setOpenLinks(False)
        self.view.setTabChangesFocus(True)  # Tab goes on to the memo and the save button
        self.view.setAccessibleName(tr("この相談のまとめ"))
        self.layout_.addWidget(self.view, 1)
        f = self.new_form()
        self.note = f.row(tr("まとめのメモ"), TextArea())
        self.save = QPushButton(tr("この内容で保存する (Ctrl+S)"))
        self.save.setObjectName("saveButton")
        self.save.setAutoDefault(True)  # Enter on the focused button saves
        self.layout_.addWidget(self.save)

    def first_input(self) -> QWidget | None:
        return self.save

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {"summary_note": self.note}

    def load(self, intake: Intake) -> None:
        self.note.setText(intake.summary_note)

    def apply(self, intake: Intake) -> None:
        intake.summary_note = self.note.text()

    def refresh(self, intake: Intake) -> None:
        self.view.setHtml(self.host.summary_html())
