"""Step 9, 情報の保護: the 支援措置 (address-disclosure block) and 追及注意."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from intake_app.domain.model import Intake
from intake_app.gui.intake import adapters
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, reasons_html
from intake_app.gui.intake.widgets import DateEdit, TextArea, tr


class ProtectionStep(Step):
    title = "9 情報の保護"
    parts = ("address",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        f = self.new_form(tr("住民基本台帳事務における支援措置"))
        self.applied = f.row(tr("支援措置"), QCheckBox(tr("支援措置を申し出た")))
        self.applied_on = f.row(tr("申出日"), DateEdit())
        self.expiry = QLabel()
        self.expiry.setTextFormat(Qt.TextFormat.RichText)
        self.expiry.setWordWrap(True)
        self.layout_.addWidget(self.expiry)
        self.print_opinion = PrintButton(tr("支援措置の意見書を印刷"))
        self.print_opinion.button.clicked.connect(self._print_opinion)
        self.layout_.addWidget(self.print_opinion)
        g = self.new_form(tr("窓口での対応"))
        self.dnd = g.row(tr("追及注意"), QCheckBox(tr("加害者等に情報を開示しない（追及注意）")))
        self.counter_note = g.row(tr("窓口担当へのメモ"), TextArea())
        self.finish()

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "address.support_measure_applied": self.applied,
            "address.applied_on": self.applied_on,
            "address.do_not_disclose": self.dnd,
            "address.counter_note": self.counter_note,
        }

    def load(self, intake: Intake) -> None:
        a = intake.address
        self.applied.setChecked(a.support_measure_applied)
        self.applied_on.setValue(a.applied_on)
        self.dnd.setChecked(a.do_not_disclose)
        self.counter_note.setText(a.counter_note)

    def apply(self, intake: Intake) -> None:
        a = intake.address
        a.support_measure_applied = self.applied.isChecked()
        a.applied_on = self.applied_on.value()
        a.do_not_disclose = self.dnd.isChecked()
        a.counter_note = self.counter_note.text()

    def refresh(self, intake: Intake) -> None:
        status = adapters.advice(intake, self.host.municipality).support_measure
        if status is not None:
            self.expiry.setText(
                "<b>"
                + html.escape(tr("有効期限: {}").format(status.expiry.isoformat()))
                + "</b>"
                + reasons_html(status.reasons)
            )
        else:
            self.expiry.setText("")
        self.print_opinion.setVisible(intake.address.support_measure_applied)

    def _print_opinion(self) -> None:
        intake = self.host.collect()
        municipality = self.host.municipality
        self.host.open_paper(
            "support_measure_opinion",
            lambda documents: documents.support_measure_opinion(
                intake, municipality, today=dt.date.today()
            ),
            at=self.print_opinion,
            destination_id=adapters.first_destination_id(municipality, "resident_registry"),
        )
