"""Step 9, 情報の保護: the 支援措置 (address-disclosure block) and 追及注意.

Both dates are recorded (rules.md §9.11): the day the municipality accepted the
application (申出日) and the day it told the client that the measure applies (確認結果の
連絡日). The municipality's setting ``support_measure_starts_on`` decides which one starts
the year; the step shows that day, the expiry and the reason. 併せて支援を求める者 (§9.12)
are picked from the children or typed by name.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.japanese import wareki
from intake_app.domain.model import Intake, JointApplicant
from intake_app.domain.municipality import Municipality
from intake_app.domain.rules.support_measure import SupportMeasureStatus
from intake_app.gui.accessibility import StatusLabel, refresh_tab_chain
from intake_app.gui.intake import adapters
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, reasons_html
from intake_app.gui.intake.steps.shelter import child_label
from intake_app.gui.intake.widgets import DateEdit, FieldForm, TextArea, tr


def starts_on(municipality: Municipality | None) -> str:
    """The municipality's setting: "notified" (the default) or "applied"."""
    return municipality.support_measure_starts_on if municipality is not None else "notified"


def setting_text(setting: str) -> str:
    """The municipality's rule in one sentence."""
    if setting == "applied":
        return tr("この市区町村では、支援措置の1年を申出日（申出を受理した日）から数えます。")
    return tr("この市区町村では、支援措置の1年を連絡日（確認結果を本人に連絡した日）から数えます。")


def status_html(status: SupportMeasureStatus) -> str:
    """The day the year starts (and which date it is), the expiry, and the reasons."""
    start = status.start or status.applied_on
    which = tr("連絡日") if status.counted_from == "notified" else tr("申出日")
    lines = [
        tr("1年の起算日: {}（{}）").format(wareki(start), which),
        tr("有効期限: {}").format(wareki(status.expiry)),
        tr("更新の申出: {}から").format(wareki(status.renewal_opens)),
    ]
    return (
        "<p><b>"
        + "<br>".join(html.escape(line) for line in lines)
        + "</b></p>"
        + reasons_html(status.reasons)
    )


class ProtectionStep(Step):
    title = "9 情報の保護"
    parts = ("address",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        f = self.new_form(tr("住民基本台帳事務における支援措置"))
        self.applied = f.row(tr("支援措置"), QCheckBox(tr("支援措置を申し出た")))
        self.applied_on = f.row(tr("申出日（申出を受理した日）"), DateEdit())
        self.notified_on = f.row(tr("連絡日（市区町村が確認結果を本人に連絡した日）"), DateEdit())
        self.setting = StatusLabel(tr("支援措置の期間の数え方"))
        self.setting.setText(setting_text(starts_on(host.municipality)))
        self.setting.setWordWrap(True)
        self.layout_.addWidget(self.setting)
        self.expiry = StatusLabel(tr("支援措置の期限"))
        self.expiry.setTextFormat(Qt.TextFormat.RichText)
        self.expiry.setWordWrap(True)
        self.layout_.addWidget(self.expiry)

        # 併せて支援を求める者 (rules.md §9.12): usually her children, or others by name.
        self.joint_group = QGroupBox(tr("併せて支援を求める者"))
        joint = QVBoxLayout(self.joint_group)
        self.joint_hint = QLabel(
            tr("同じ住所で、同じ支援措置を求める人（多くは子ども）。意見書に名前が載ります。")
        )
        self.joint_hint.setWordWrap(True)
        joint.addWidget(self.joint_hint)
        self.joint_children_lay = QVBoxLayout()
        joint.addLayout(self.joint_children_lay)
        self.joint_checks: list[QCheckBox] = []
        self.joint_form = FieldForm()
        self.joint_form.changed.connect(self.changed.emit)
        self.forms.append(self.joint_form)
        self.joint_names = self.joint_form.row(
            tr("子ども以外の人（1行に1人、名前）"), TextArea(lines=2)
        )
        joint.addWidget(self.joint_form)
        self.layout_.addWidget(self.joint_group)
        self._joint_selected: list[int] = []

        self.print_opinion = PrintButton(tr("支援措置の意見書を印刷"))
        self.print_opinion.button.clicked.connect(self._print_opinion)
        self.layout_.addWidget(self.print_opinion)
        g = self.new_form(tr("窓口での対応"))
        self.dnd = g.row(tr("追及注意"), QCheckBox(tr("加害者等に情報を開示しない（追及注意）")))
        self.counter_note = g.row(tr("窓口担当へのメモ"), TextArea())
        self.finish()

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {
            "address.support_measure_applied": self.applied,
            "address.applied_on": self.applied_on,
            "address.notified_on": self.notified_on,
        }
        # A child no longer on record shows its message on the group (or the step's line).
        for index in range(max(len(intake.address.joint_applicants), 1)):
            fields[f"address.joint_applicants[{index}].child_index"] = self.joint_group
            fields[f"address.joint_applicants[{index}].name"] = self.joint_names
        fields["address.do_not_disclose"] = self.dnd
        fields["address.counter_note"] = self.counter_note
        return fields

    def load(self, intake: Intake) -> None:
        a = intake.address
        self.applied.setChecked(a.support_measure_applied)
        self.applied_on.setValue(a.applied_on)
        self.notified_on.setValue(a.notified_on)
        self._joint_selected = [
            p.child_index for p in a.joint_applicants if p.child_index is not None
        ]
        self.joint_names.setText(
            "\n".join(p.name for p in a.joint_applicants if p.child_index is None)
        )
        self._rebuild_children(intake)
        self.dnd.setChecked(a.do_not_disclose)
        self.counter_note.setText(a.counter_note)

    def _rebuild_children(self, intake: Intake) -> None:
        children = intake.household.children
        if len(self.joint_checks) == len(children):
            for i, cb in enumerate(self.joint_checks):
                self._label_check(cb, child_label(children[i], i))
            return
        for cb in self.joint_checks:
            cb.setParent(None)
            cb.deleteLater()
        self.joint_checks = []
        for i, child in enumerate(children):
            cb = QCheckBox()
            self._label_check(cb, child_label(child, i))
            self.adopt_font(cb)
            cb.setChecked(i in self._joint_selected)
            cb.toggled.connect(self._emit_changed)
            self.joint_children_lay.addWidget(cb)
            cb.show()  # added to a group already shown: not shown by itself
            self.joint_checks.append(cb)
        refresh_tab_chain(self)  # the boxes where they are shown

    @staticmethod
    def _label_check(check: QCheckBox, text: str) -> None:
        check.setText(text)
        check.setAccessibleName(tr("併せて支援を求める: {}").format(text))

    def apply(self, intake: Intake) -> None:
        a = intake.address
        a.support_measure_applied = self.applied.isChecked()
        a.applied_on = self.applied_on.value()
        a.notified_on = self.notified_on.value()
        count = len(intake.household.children)
        if len(self.joint_checks) == count:
            self._joint_selected = [i for i, cb in enumerate(self.joint_checks) if cb.isChecked()]
        people = [JointApplicant(child_index=i) for i in self._joint_selected if i < count]
        people += [
            JointApplicant(name=line.strip())
            for line in self.joint_names.text().splitlines()
            if line.strip()
        ]
        a.joint_applicants = people
        a.do_not_disclose = self.dnd.isChecked()
        a.counter_note = self.counter_note.text()

    def refresh(self, intake: Intake) -> None:
        self._rebuild_children(intake)
        status = adapters.advice(intake, self.host.municipality).support_measure
        self.expiry.setText(status_html(status) if status is not None else "")
        applied = intake.address.support_measure_applied
        self.joint_group.setVisible(applied)
        self.print_opinion.setVisible(applied)

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
