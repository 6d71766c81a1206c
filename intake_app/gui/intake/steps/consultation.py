"""Step 1, 相談の受付: kind, date and time, channel, counselor, content of this consultation."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from intake_app.domain.model import Intake
from intake_app.domain.municipality import DEFAULT_OFFICIAL_RETURNS
from intake_app.gui.intake.steps.base import Step, StepHost, labels
from intake_app.gui.intake.widgets import ChoiceCombo, DateEdit, TextArea, TriCombo, tr


class ConsultationStep(Step):
    title = "1 相談の受付"
    parts = ("consultation",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        f = self.new_form()
        self.kind = f.row(tr("相談の種類"), ChoiceCombo(labels("kind"), unknown_label=None))
        self.started_at = f.row(tr("相談日時"), DateEdit(with_time=True))
        self.channel = f.row(
            tr("相談方法"), ChoiceCombo(labels("channel"), unknown_label=tr("（選んでください）"))
        )
        self.consulter = f.row(tr("相談者"), ChoiceCombo(labels("consulter")))
        self.counselor = f.row(tr("担当者"), QLineEdit())
        self.place = f.row(tr("相談場所"), QLineEdit())
        self.language = f.row(tr("言語"), QLineEdit())
        self.interpreter = f.row(tr("通訳が必要"), TriCombo())
        self.elsewhere = f.row(tr("他の相談先（これまで）"), QLineEdit())
        self.content = f.row(tr("相談内容"), TextArea())
        self.measures = f.row(tr("講じた措置"), TextArea())
        # the official return (rules.md §10): 通報 (第6条) and the one 主訴, from the settings
        returns = (
            host.municipality.official_returns
            if host.municipality is not None
            else DEFAULT_OFFICIAL_RETURNS
        )
        self.report_source = f.row(
            tr("通報（配偶者暴力防止法第6条）の経路"),
            ChoiceCombo(
                [(c.id, c.name) for c in returns.report_sources],
                unknown_label=tr("通報ではない"),
            ),
        )
        self.main_complaint = f.row(
            tr("主訴（一つ）"),
            ChoiceCombo(
                [(c.id, c.name) for c in returns.main_complaints],
                unknown_label=tr("（選んでください）"),
            ),
        )
        self.finish()

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "consultation.kind": self.kind,
            "consultation.started_at": self.started_at,
            "consultation.channel": self.channel,
            "consultation.consulter": self.consulter,
            "consultation.counselor": self.counselor,
            "consultation.place": self.place,
            "consultation.language": self.language,
            "consultation.interpreter": self.interpreter,
            "consultation.consulted_elsewhere": self.elsewhere,
            "consultation.content": self.content,
            "consultation.measures": self.measures,
            "consultation.report_source": self.report_source,
            "consultation.main_complaint": self.main_complaint,
        }

    def load(self, intake: Intake) -> None:
        c = intake.consultation
        self.kind.setValue(c.kind)
        self.started_at.setValue(c.started_at)
        self.channel.setValue(c.channel)
        self.consulter.setValue(c.consulter)
        self.counselor.setText(c.counselor)
        self.place.setText(c.place)
        self.language.setText(c.language)
        self.interpreter.setValue(c.interpreter)
        self.elsewhere.setText(c.consulted_elsewhere)
        self.content.setText(c.content)
        self.measures.setText(c.measures)
        self.report_source.setValue(c.report_source)
        self.main_complaint.setValue(c.main_complaint)

    def apply(self, intake: Intake) -> None:
        c = intake.consultation
        c.kind = self.kind.value() or "dv"
        c.started_at = self.started_at.value()
        c.channel = self.channel.value()
        c.consulter = self.consulter.value()
        c.counselor = self.counselor.text().strip()
        c.place = self.place.text().strip()
        c.language = self.language.text().strip()
        c.interpreter = self.interpreter.value()
        c.consulted_elsewhere = self.elsewhere.text().strip()
        c.content = self.content.text()
        c.measures = self.measures.text()
        c.report_source = self.report_source.value()
        c.main_complaint = self.main_complaint.value()
