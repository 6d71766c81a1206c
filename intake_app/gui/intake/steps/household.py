"""Step 3, 子ども・世帯: the children, relatives at risk, and the mandatory child notification."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.model import Child, ChildNotification, Intake
from intake_app.domain.rules import child as child_rule
from intake_app.gui.accessibility import refresh_tab_chain
from intake_app.gui.intake import adapters
from intake_app.gui.intake.steps.base import Step, StepHost, reasons_html
from intake_app.gui.intake.widgets import (
    ChoiceCombo,
    DateEdit,
    FieldForm,
    NumberEdit,
    TriCombo,
    tr,
)

NOTIFY_METHODS = [("電話", "電話"), ("書面", "書面"), ("来所", "来所")]


class ChildBox(QGroupBox):
    removed = Signal(object)

    def __init__(self, number: int) -> None:
        super().__init__()
        self.form = FieldForm()
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        f = self.form
        self.name = f.row(tr("名前（呼び名でも可）"), QLineEdit())
        self.age = f.row(tr("年齢（空欄は不明）"), NumberEdit())
        self.lives_with = f.row(tr("本人と同居"), TriCombo())
        # rules.md §9.10: a child left with the perpetrator is the most urgent notification.
        self.with_perpetrator = f.row(tr("加害者と同居している"), TriCombo())
        self.school = f.row(tr("学校・保育園"), QLineEdit())
        self.witnessed = f.row(tr("暴力を見聞きした（面前DV）"), TriCombo())
        self.harmed = f.row(tr("子ども自身への暴力・脅し"), TriCombo())
        self.remove = QPushButton(tr("この子どもの記録を削除"))
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        lay.addWidget(self.remove)
        self.set_number(number)

    def set_number(self, number: int) -> None:
        """The box's title and every name in it (「子ども2 年齢」): each child's own."""
        title = tr("子ども {}").format(number)
        self.setTitle(title)
        self.form.set_context(title.replace(" ", ""))
        self.remove.setAccessibleName(tr("子ども{}の記録を削除").format(number))

    def fields(self, at: str) -> dict[str, QWidget]:
        """This child's widgets under the model path ``at`` (``household.children[0]``)."""
        return {
            f"{at}.name": self.name,
            f"{at}.age": self.age,
            f"{at}.lives_with_client": self.lives_with,
            f"{at}.lives_with_perpetrator": self.with_perpetrator,
            f"{at}.school": self.school,
            f"{at}.witnessed_violence": self.witnessed,
            f"{at}.directly_harmed": self.harmed,
        }

    def load(self, child: Child) -> None:
        self.name.setText(child.name)
        self.age.setValue(child.age)
        self.lives_with.setValue(child.lives_with_client)
        self.with_perpetrator.setValue(child.lives_with_perpetrator)
        self.school.setText(child.school)
        self.witnessed.setValue(child.witnessed_violence)
        self.harmed.setValue(child.directly_harmed)

    def child(self) -> Child:
        return Child(
            name=self.name.text().strip(),
            age=self.age.value(),
            lives_with_client=self.lives_with.value(),
            lives_with_perpetrator=self.with_perpetrator.value(),
            school=self.school.text().strip(),
            witnessed_violence=self.witnessed.value(),
            directly_harmed=self.harmed.value(),
        )


class HouseholdStep(Step):
    title = "3 子ども・世帯"
    parts = ("household",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        self.children_box = QVBoxLayout()
        self.layout_.addLayout(self.children_box)
        self.child_boxes: list[ChildBox] = []
        self.add_child = QPushButton(tr("子どもを追加(&C)"))
        self.add_child.setAutoDefault(True)
        self.add_child.clicked.connect(self._add_clicked)
        self.layout_.addWidget(self.add_child)
        f = self.new_form(tr("親族など"))
        self.relatives = f.row(tr("危険が及ぶおそれのある親族がいる"), TriCombo())
        self.relatives_note = f.row(tr("親族についてのメモ"), QLineEdit())

        self.notice = QFrame()
        self.notice.setObjectName("mandatory")
        nl = QVBoxLayout(self.notice)
        head = QLabel(tr("【必須】子どもについての通告（児童虐待防止法第6条）"))
        head.setObjectName("mandatoryTitle")
        nl.addWidget(head)
        self.notice_text = QLabel()
        self.notice_text.setWordWrap(True)
        self.notice_text.setTextFormat(Qt.TextFormat.RichText)
        nl.addWidget(self.notice_text)
        self.notice_form = FieldForm()
        self.notice_form.changed.connect(self.changed.emit)
        self.forms.append(self.notice_form)
        nf = self.notice_form
        self.notified_to = nf.row(tr("通告先"), QComboBox())
        self.notified_to.setEditable(True)
        # The choices are fixed here: refilling them later would overwrite a loaded answer.
        names = [
            d.name
            for d in adapters.destinations(host.municipality)
            if d.kind in child_rule.CHILD_NOTIFICATION_KINDS
        ] or list(child_rule.DEFAULT_DESTINATIONS)
        self.notified_to.addItems(names)
        self.notified_to.setEditText("")
        self.notified_at = nf.row(tr("通告日時"), DateEdit(with_time=True))
        self.method = nf.row(
            tr("方法"), ChoiceCombo(NOTIFY_METHODS, unknown_label=tr("（選んでください）"))
        )
        self.notice_note = nf.row(tr("メモ"), QLineEdit())
        nl.addWidget(nf)
        # Right under the children (a child who saw the violence makes it appear next to
        # the answer that did), before 子どもを追加: Tab reaches it in reading order.
        self.layout_.insertWidget(self.layout_.indexOf(self.add_child), self.notice)
        self.notice.setVisible(False)
        self.finish()

    def first_input(self) -> QWidget | None:
        return self.child_boxes[0].name if self.child_boxes else self.add_child

    def _fix_tab_order(self) -> None:
        refresh_tab_chain(self)

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {}
        if child_rule.notification(intake, self.host.municipality).required:
            at = "household.child_notification"
            fields[f"{at}.notified_to"] = self.notified_to
            fields[f"{at}.notified_at"] = self.notified_at
            fields[f"{at}.method"] = self.method
            fields[f"{at}.note"] = self.notice_note
        for index, box in enumerate(self.child_boxes):
            fields.update(box.fields(f"household.children[{index}]"))
        fields["household.relatives_at_risk"] = self.relatives
        fields["household.relatives_note"] = self.relatives_note
        return fields

    def _add_clicked(self) -> None:
        box = self.add_child_box(Child())
        box.name.setFocus()
        self.changed.emit()
        # once the layout has made room for it: the whole new box in sight
        QTimer.singleShot(0, self, lambda: self._show_box(box))

    def _show_box(self, box: ChildBox) -> None:
        if box in self.child_boxes:
            self.ensureWidgetVisible(box.remove)
            self.ensureWidgetVisible(box.name)

    def add_child_box(self, child: Child) -> ChildBox:
        box = ChildBox(len(self.child_boxes) + 1)
        box.load(child)
        box.form.changed.connect(self.changed.emit)
        box.removed.connect(self._remove)
        self.forms.append(box.form)
        self.children_box.addWidget(box)
        self.adopt_font(box)
        box.show()  # at once, so Tab reaches it before the event loop runs again
        self.child_boxes.append(box)
        self._fix_tab_order()
        return box

    def _remove(self, box: ChildBox) -> None:
        self.child_boxes.remove(box)
        self.forms.remove(box.form)
        box.setParent(None)
        box.deleteLater()
        for i, b in enumerate(self.child_boxes):
            b.set_number(i + 1)
        self._fix_tab_order()
        self.add_child.setFocus()
        self.changed.emit()

    def load(self, intake: Intake) -> None:
        for box in list(self.child_boxes):
            self.child_boxes.remove(box)
            self.forms.remove(box.form)
            box.setParent(None)
            box.deleteLater()
        for child in intake.household.children:
            self.add_child_box(child)
        h = intake.household
        self.relatives.setValue(h.relatives_at_risk)
        self.relatives_note.setText(h.relatives_note)
        n = h.child_notification or ChildNotification()
        self.notified_to.setEditText(n.notified_to)
        self.notified_at.setValue(n.notified_at)
        self.method.setValue(n.method or None)
        self.notice_note.setText(n.note)

    def apply(self, intake: Intake) -> None:
        h = intake.household
        h.children = [b.child() for b in self.child_boxes]
        h.relatives_at_risk = self.relatives.value()
        h.relatives_note = self.relatives_note.text().strip()
        n = ChildNotification(
            notified_to=self.notified_to.currentText().strip(),
            notified_at=self.notified_at.value(),
            method=self.method.value() or "",
            note=self.notice_note.text().strip(),
        )
        h.child_notification = n if (n.notified_to or n.notified_at or n.method or n.note) else None

    def refresh(self, intake: Intake) -> None:
        advice = child_rule.notification(intake, self.host.municipality)
        self.notice.setVisible(advice.required)
        if advice.required:
            first = ""
            if advice.with_perpetrator:
                names = "・".join(
                    child_name(intake.household.children[i], i) for i in advice.with_perpetrator
                )
                first = (
                    "<p style='color:#b00020'><b>"
                    + html.escape(
                        tr("最も急ぐ通告: {}（{}）").format(child_rule.WITH_PERPETRATOR, names)
                    )
                    + "</b></p>"
                )
            self.notice_text.setText(
                first
                + html.escape(
                    tr(
                        "本人の同意がなくても通告が必要です。通告先・日時・方法を記録するまで保存できません。"
                    )
                )
                + reasons_html(advice.reasons)
            )


def child_name(child: Child, index: int) -> str:
    """「1人目（太郎）」: the number the reasons use, and the name when recorded."""
    name = child.name.strip()
    return tr("{}人目（{}）").format(index + 1, name) if name else tr("{}人目").format(index + 1)
