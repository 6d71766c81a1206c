"""The eleven steps of an intake, built in code.

Each step reads its part of the ``Intake`` (``load``), writes it back
(``apply``), checks it (``validate`` → messages shown at the fields) and shows
the advice that concerns it (``refresh``).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.model import (
    LABELS,
    UNKNOWN_LABEL,
    Child,
    ChildNotification,
    Intake,
    Referral,
)
from intake_app.domain.municipality import Destination, Municipality, destination_label
from intake_app.domain.reasons import Reason
from intake_app.domain.rules import child as child_rule
from intake_app.domain.rules import referrals as referral_rules
from intake_app.domain.rules import risk as risk_rules
from intake_app.domain.rules import shelter as shelter_rules
from intake_app.gui.intake import adapters
from intake_app.gui.intake.printing import PrintButton, open_paper
from intake_app.gui.intake.widgets import (
    ChoiceCombo,
    DateEdit,
    FieldForm,
    TextArea,
    TriCombo,
    tr,
)

if TYPE_CHECKING:
    from intake_app.gui.intake.wizard import IntakeWizard

Problem = tuple[QWidget, str]

REASON_STYLE = "margin-left: 12px;"
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f\s・ー　]*$")
_PHONE = re.compile(r"^[0-9０-９\-－()（） +]*$")


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


def order_label(code: str) -> str:
    """Display name of a protection-order code (rules.md §2.5)."""
    names = {
        "approach_ban": tr("接近禁止命令"),
        "contact_ban": tr("電話等禁止命令"),
        "child_approach_ban": tr("子への接近禁止命令"),
        "child_contact_ban": tr("子への電話等禁止命令"),
        "relative_approach_ban": tr("親族等への接近禁止命令"),
        "eviction": tr("退去等命令"),
    }
    return names.get(code, code)


def route_label(code: str) -> str:
    """Display name of an alternative route to a protection order."""
    names = {
        "stalker_regulation_act": tr("警察（ストーカー規制法による警告・禁止命令）"),
        "police_consultation": tr("警察への相談"),
    }
    return names.get(code, code)


def reasons_html(reasons: Sequence[Reason]) -> str:
    """Every recommendation shows its reasons and the rule it rests on."""
    items = []
    for r in reasons:
        rule = f"<span style='color:#555'>（根拠: {html.escape(r.rule)}）</span>" if r.rule else ""
        items.append(f"<li>{html.escape(r.text)} {rule}</li>")
    return f"<ul style='{REASON_STYLE}'>{''.join(items)}</ul>" if items else ""


class Step(QScrollArea):
    """One page of the wizard."""

    title = ""
    changed = Signal()

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.wizard = wizard
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        heading = QLabel(f"<h2>{html.escape(step_title(self.title))}</h2>")
        self.layout_.addWidget(heading)
        self.setWidget(self.body)
        self.forms: list[FieldForm] = []

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

    def validate(self, intake: Intake) -> list[Problem]:
        return []

    def refresh(self, intake: Intake) -> None: ...

    def show_problems(self, problems: list[Problem]) -> None:
        for form in self.forms:
            for widget in form.errors:
                form.set_error(widget, "")
        for widget, message in problems:
            for form in self.forms:
                if widget in form.errors:
                    form.set_error(widget, message)

    def first_input(self) -> QWidget | None:
        for form in self.forms:
            for widget in form.errors:
                if widget.isEnabled() and widget.isVisibleTo(self):
                    return widget
        return None


def _date_problem(widget: DateEdit, *, not_future: bool = True) -> list[Problem]:
    value, err = widget.parsed()
    if err:
        return [(widget, err)]
    if not_future and value is not None:
        now = dt.datetime.now()
        if isinstance(value, dt.datetime):
            if value > now + dt.timedelta(hours=1):
                return [(widget, tr("未来の日時は入力できません"))]
        elif value > now.date():
            return [(widget, tr("未来の日付は入力できません"))]
    return []


def _date(widget: DateEdit) -> Any:
    value, err = widget.parsed()
    return None if err else value


# --- 0 安全確認 -------------------------------------------------------------------------

SAFETY_ACTIONS = ("110番通報した", "119番通報した", "警察に連絡した", "安全な部屋へ移動した")


class SafetyStep(Step):
    title = "0 安全確認"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        intro = QLabel(
            tr("最初に、いまの安全を確認します。「いいえ」や危険があれば、上に赤い表示が出ます。")
        )
        intro.setWordWrap(True)
        self.layout_.addWidget(intro)
        f = self.new_form()
        self.safe_now = f.row(tr("いま安全な場所にいますか"), TriCombo())
        self.perpetrator_nearby = f.row(tr("加害者が近く（建物内を含む）にいますか"), TriCombo())
        self.injury = f.row(tr("手当てが必要なけががありますか"), TriCombo())
        self.children_safe = f.row(tr("子どもはいま安全ですか"), TriCombo())
        box = QGroupBox(tr("とった対応"))
        lay = QVBoxLayout(box)
        self.action_boxes: list[QCheckBox] = []
        shown = (
            tr("110番通報した"),
            tr("119番通報した"),
            tr("警察に連絡した"),
            tr("安全な部屋へ移動した"),
        )
        for text in shown:
            cb = QCheckBox(text)
            cb.toggled.connect(self._emit_changed)
            lay.addWidget(cb)
            self.action_boxes.append(cb)
        self.layout_.addWidget(box)
        self.finish()

    def load(self, intake: Intake) -> None:
        s = intake.safety
        self.safe_now.setValue(s.safe_now)
        self.perpetrator_nearby.setValue(s.perpetrator_nearby)
        self.injury.setValue(s.injury_needs_care)
        self.children_safe.setValue(s.children_safe_now)
        for cb, text in zip(self.action_boxes, SAFETY_ACTIONS, strict=True):
            cb.setChecked(text in s.actions_taken)

    def apply(self, intake: Intake) -> None:
        s = intake.safety
        s.safe_now = self.safe_now.value()
        s.perpetrator_nearby = self.perpetrator_nearby.value()
        s.injury_needs_care = self.injury.value()
        s.children_safe_now = self.children_safe.value()
        others = [a for a in s.actions_taken if a not in SAFETY_ACTIONS]
        s.actions_taken = [
            t for cb, t in zip(self.action_boxes, SAFETY_ACTIONS, strict=True) if cb.isChecked()
        ] + others


def safety_alerts(intake: Intake) -> list[str]:
    """Why the immediate-action banner is shown (empty: no banner)."""
    s = intake.safety
    out = []
    if s.safe_now is False:
        out.append(tr("いま安全ではない"))
    if s.perpetrator_nearby is True:
        out.append(tr("加害者が近くにいる"))
    if s.injury_needs_care is True:
        out.append(tr("手当てが必要なけががある"))
    if s.children_safe_now is False:
        out.append(tr("子どもが安全ではない"))
    return out


# --- 1 相談 ---------------------------------------------------------------------------


class ConsultationStep(Step):
    title = "1 相談の受付"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
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
        self.finish()

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

    def apply(self, intake: Intake) -> None:
        c = intake.consultation
        c.kind = self.kind.value() or "dv"
        c.started_at = _date(self.started_at)
        c.channel = self.channel.value()
        c.consulter = self.consulter.value()
        c.counselor = self.counselor.text().strip()
        c.place = self.place.text().strip()
        c.language = self.language.text().strip()
        c.interpreter = self.interpreter.value()
        c.consulted_elsewhere = self.elsewhere.text().strip()
        c.content = self.content.text()
        c.measures = self.measures.text()

    def validate(self, intake: Intake) -> list[Problem]:
        p = _date_problem(self.started_at)
        if not p and intake.consultation.started_at is None:
            p.append((self.started_at, tr("相談日時を入力してください")))
        if intake.consultation.channel is None:
            p.append((self.channel, tr("相談方法を選んでください")))
        if not intake.consultation.counselor:
            p.append((self.counselor, tr("担当者名を入力してください")))
        return p


# --- 2 本人 ---------------------------------------------------------------------------


class ClientStep(Step):
    title = "2 本人の情報"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        f = self.new_form()
        self.anonymous = f.row(tr("匿名"), QCheckBox(tr("匿名で相談（氏名を聞かない）")))
        self.name = f.row(tr("氏名"), QLineEdit())
        self.kana = f.row(tr("ふりがな"), QLineEdit())
        self.aliases = f.row(tr("旧姓・通称（「、」区切り）"), QLineEdit())
        self.dob = f.row(tr("生年月日"), DateEdit())
        self.age_group = f.row(tr("年代"), ChoiceCombo(labels("age_group")))
        self.gender = f.row(tr("性別（本人の自認）"), ChoiceCombo(labels("gender")))
        self.nationality = f.row(tr("国籍"), QLineEdit())
        self.disability = f.row(tr("障害"), TriCombo())
        self.pregnant = f.row(tr("妊娠中"), TriCombo())
        c = self.new_form(tr("安全な連絡方法"))
        self.may_call = c.row(tr("電話してよい"), TriCombo())
        self.may_leave_message = c.row(tr("留守電に残してよい"), TriCombo())
        self.may_mail = c.row(tr("郵便・メールを送ってよい"), TriCombo())
        self.safe_times = c.row(tr("連絡してよい時間帯"), QLineEdit())
        self.phone = c.row(tr("電話番号"), QLineEdit())
        self.email = c.row(tr("メールアドレス"), QLineEdit())
        a = self.new_form(tr("住所・居場所"))
        self.address = a.row(tr("住所"), QLineEdit(), sensitive=True)
        self.fled = a.row(tr("避難している"), TriCombo())
        self.whereabouts = a.row(tr("現在の居場所（避難先）"), QLineEdit(), sensitive=True)
        self.whereabouts.setEchoMode(QLineEdit.EchoMode.Normal)
        self.anonymous.toggled.connect(self._anonymous_toggled)
        self.finish()

    def _anonymous_toggled(self, on: bool) -> None:
        self.name.setEnabled(not on)
        self.kana.setEnabled(not on)

    def load(self, intake: Intake) -> None:
        c = intake.client
        self.anonymous.setChecked(c.anonymous)
        self._anonymous_toggled(c.anonymous)
        self.name.setText(c.name)
        self.kana.setText(c.kana)
        self.aliases.setText("、".join(c.aliases))
        self.dob.setValue(c.date_of_birth)
        self.age_group.setValue(c.age_group)
        self.gender.setValue(c.gender)
        self.nationality.setText(c.nationality)
        self.disability.setValue(c.disability)
        self.pregnant.setValue(c.pregnant)
        s = c.safe_contact
        self.may_call.setValue(s.may_call)
        self.may_leave_message.setValue(s.may_leave_message)
        self.may_mail.setValue(s.may_mail)
        self.safe_times.setText(s.safe_times)
        self.phone.setText(s.phone)
        self.email.setText(s.email)
        self.address.setText(c.address)
        self.fled.setValue(c.fled)
        self.whereabouts.setText(c.current_whereabouts)

    def apply(self, intake: Intake) -> None:
        c = intake.client
        c.anonymous = self.anonymous.isChecked()
        c.name = "" if c.anonymous else self.name.text().strip()
        c.kana = "" if c.anonymous else self.kana.text().strip()
        c.aliases = [a.strip() for a in re.split(r"[、,，]", self.aliases.text()) if a.strip()]
        c.date_of_birth = _date(self.dob)
        c.age_group = self.age_group.value()
        c.gender = self.gender.value()
        c.nationality = self.nationality.text().strip()
        c.disability = self.disability.value()
        c.pregnant = self.pregnant.value()
        s = c.safe_contact
        s.may_call = self.may_call.value()
        s.may_leave_message = self.may_leave_message.value()
        s.may_mail = self.may_mail.value()
        s.safe_times = self.safe_times.text().strip()
        s.phone = self.phone.text().strip()
        s.email = self.email.text().strip()
        c.address = self.address.text().strip()
        c.fled = self.fled.value()
        c.current_whereabouts = self.whereabouts.text().strip()

    def validate(self, intake: Intake) -> list[Problem]:
        c = intake.client
        p: list[Problem] = []
        if not c.anonymous and not c.name:
            p.append((self.name, tr("氏名を入力するか、「匿名で相談」にチェックしてください")))
        if c.kana and not _KANA.match(c.kana):
            p.append((self.kana, tr("ふりがなは、ひらがなかカタカナで入力してください")))
        p += _date_problem(self.dob)
        if c.safe_contact.phone and not _PHONE.match(c.safe_contact.phone):
            p.append((self.phone, tr("電話番号は数字とハイフンで入力してください")))
        if c.safe_contact.email and not re.fullmatch(
            r"[^@\s]+@[^@\s]+\.[^@\s]+", c.safe_contact.email
        ):
            p.append((self.email, tr("メールアドレスの形が正しくありません")))
        return p


# --- 3 子ども・世帯 -----------------------------------------------------------------------


class ChildBox(QGroupBox):
    removed = Signal(object)

    def __init__(self, number: int) -> None:
        super().__init__(tr("子ども {}").format(number))
        self.form = FieldForm()
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        f = self.form
        self.name = f.row(tr("名前（呼び名でも可）"), QLineEdit())
        self.age = f.row(tr("年齢（空欄は不明）"), QLineEdit())
        self.lives_with = f.row(tr("本人と同居"), TriCombo())
        self.school = f.row(tr("学校・保育園"), QLineEdit())
        self.witnessed = f.row(tr("暴力を見聞きした（面前DV）"), TriCombo())
        self.harmed = f.row(tr("子ども自身への暴力・脅し"), TriCombo())
        self.remove = QPushButton(tr("この子どもの記録を削除"))
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        lay.addWidget(self.remove)

    def load(self, child: Child) -> None:
        self.name.setText(child.name)
        self.age.setText("" if child.age is None else str(child.age))
        self.lives_with.setValue(child.lives_with_client)
        self.school.setText(child.school)
        self.witnessed.setValue(child.witnessed_violence)
        self.harmed.setValue(child.directly_harmed)

    def child(self) -> Child:
        age_text = (
            self.age.text().strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        )
        return Child(
            name=self.name.text().strip(),
            age=int(age_text) if age_text.isdigit() else None,
            lives_with_client=self.lives_with.value(),
            school=self.school.text().strip(),
            witnessed_violence=self.witnessed.value(),
            directly_harmed=self.harmed.value(),
        )

    def validate(self) -> list[Problem]:
        text = (
            self.age.text().strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        )
        if text and (not text.isdigit() or int(text) > 25):
            return [(self.age, tr("年齢は0〜25の数字で入力してください（不明なら空欄）"))]
        return []


NOTIFY_METHODS = [("電話", "電話"), ("書面", "書面"), ("来所", "来所")]


class HouseholdStep(Step):
    title = "3 子ども・世帯"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
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
            for d in adapters.destinations(wizard.municipality)
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
        self.layout_.insertWidget(1, self.notice)  # at the top: it cannot be overlooked
        self.notice.setVisible(False)
        self.finish()

    def first_input(self) -> QWidget | None:
        return self.child_boxes[0].name if self.child_boxes else self.add_child

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = []
        for box in self.child_boxes:
            chain += [box.name, box.age, box.lives_with, box.school, box.witnessed, box.harmed]
            chain.append(box.remove)
        chain += [self.notified_to, self.notified_at, self.method, self.notice_note]
        chain += [self.add_child, self.relatives, self.relatives_note]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add_clicked(self) -> None:
        box = self.add_child_box(Child())
        box.name.setFocus()
        self.changed.emit()

    def add_child_box(self, child: Child) -> ChildBox:
        box = ChildBox(len(self.child_boxes) + 1)
        box.load(child)
        box.form.changed.connect(self.changed.emit)
        box.removed.connect(self._remove)
        self.forms.append(box.form)
        self.children_box.addWidget(box)
        if hasattr(self.wizard, "large_font"):
            self.wizard.apply_font(box)
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
            b.setTitle(tr("子ども {}").format(i + 1))
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
            notified_at=_date(self.notified_at),
            method=self.method.value() or "",
            note=self.notice_note.text().strip(),
        )
        h.child_notification = n if (n.notified_to or n.notified_at or n.method or n.note) else None

    def validate(self, intake: Intake) -> list[Problem]:
        p: list[Problem] = []
        for b in self.child_boxes:
            p += b.validate()
        if child_rule.notification(intake, self.wizard.municipality).required:
            p += notification_problems(intake, self)
        return p

    def refresh(self, intake: Intake) -> None:
        advice = child_rule.notification(intake, self.wizard.municipality)
        self.notice.setVisible(advice.required)
        if advice.required:
            self.notice_text.setText(
                tr(
                    "本人の同意がなくても通告が必要です。通告先・日時・方法を記録するまで保存できません。"
                )
                + reasons_html(advice.reasons)
            )


def notification_problems(intake: Intake, step: HouseholdStep) -> list[Problem]:
    n = intake.household.child_notification or ChildNotification()
    p: list[Problem] = []
    if not n.notified_to:
        p.append((step.notified_to, tr("通告先を入力してください（必須）")))
    p += _date_problem(step.notified_at)
    if n.notified_at is None and not any(w is step.notified_at for w, _ in p):
        p.append((step.notified_at, tr("通告した日時を入力してください（必須）")))
    if not n.method:
        p.append((step.method, tr("通告の方法を選んでください（必須）")))
    return p


# --- 4 関係と暴力 ---------------------------------------------------------------------------

# 不明・回答なし (None) / なかった / 1・2度あった / 何度もあった: "did not happen" and
# "not answered" are different answers (the statistics count only what happened).
ABSENT = "absent"


def frequency_choices() -> list[tuple[str, str]]:
    return [
        (ABSENT, tr("なかった")),
        ("once_or_twice", tr("1・2度あった")),
        ("repeated", tr("何度もあった")),
    ]


class ViolenceStep(Step):
    title = "4 関係と暴力"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        f = self.new_form(tr("相手との関係"))
        self.rel_type = f.row(tr("関係"), ChoiceCombo(labels("relationship")))
        self.living_together = f.row(tr("いま同居している"), TriCombo())
        self.separated_on = f.row(tr("別居した日"), DateEdit())
        self.continued = f.row(tr("別れた後も暴力が続いている"), TriCombo())
        self.perp_name = f.row(tr("相手の氏名"), QLineEdit())
        self.perp_kana = f.row(tr("相手のふりがな"), QLineEdit())
        v = self.new_form(tr("暴力の種類と頻度"))
        self.types: dict[str, ChoiceCombo] = {}
        for code, label in labels("violence"):
            self.types[code] = v.row(
                label, ChoiceCombo(frequency_choices(), unknown_label=UNKNOWN_LABEL)
            )
        t = QGroupBox(tr("脅された内容"))
        tl = QHBoxLayout(t)
        self.threats: dict[str, QCheckBox] = {}
        for code, label in labels("threat"):
            cb = QCheckBox(label)
            cb.toggled.connect(self._emit_changed)
            tl.addWidget(cb)
            self.threats[code] = cb
        self.layout_.addWidget(t)
        d = self.new_form(tr("最近の出来事"))
        self.latest_on = d.row(tr("最近の暴力の日"), DateEdit())
        self.latest = d.row(tr("最近の出来事"), TextArea())
        self.injuries = d.row(tr("けが"), QLineEdit())
        self.treatment = d.row(tr("治療・受診"), QLineEdit())
        self.police = d.row(tr("これまでの警察の関与"), QLineEdit())
        self.stalking = d.row(tr("つきまとい"), TriCombo())
        self.tracking = d.row(tr("GPS・紛失防止タグ等による位置の把握"), TriCombo())
        self.finish()

    def load(self, intake: Intake) -> None:
        r, v = intake.relationship, intake.violence
        self.rel_type.setValue(r.type)
        self.living_together.setValue(r.living_together)
        self.separated_on.setValue(r.separated_on)
        self.continued.setValue(r.violence_continued_after_separation)
        self.perp_name.setText(r.perpetrator_name)
        self.perp_kana.setText(r.perpetrator_kana)
        for code, combo in self.types.items():
            happened = v.types.get(code)  # type: ignore[call-overload]
            combo.setValue(happened or (ABSENT if code in v.absent else None))
        for code, cb in self.threats.items():
            cb.setChecked(code in v.threats)
        self.latest_on.setValue(v.latest_incident_on)
        self.latest.setText(v.latest_incident)
        self.injuries.setText(v.injuries)
        self.treatment.setText(v.treatment)
        self.police.setText(v.police_involvement)
        self.stalking.setValue(v.stalking)
        self.tracking.setValue(v.location_tracking)

    def apply(self, intake: Intake) -> None:
        r, v = intake.relationship, intake.violence
        r.type = self.rel_type.value()
        r.living_together = self.living_together.value()
        r.separated_on = _date(self.separated_on)
        r.violence_continued_after_separation = self.continued.value()
        r.perpetrator_name = self.perp_name.text().strip()
        r.perpetrator_kana = self.perp_kana.text().strip()
        answers = {c: combo.value() for c, combo in self.types.items()}
        v.types = {c: a for c, a in answers.items() if a not in (None, ABSENT)}  # type: ignore[misc]
        v.absent = [c for c, a in answers.items() if a == ABSENT]  # type: ignore[misc]
        v.threats = [c for c, cb in self.threats.items() if cb.isChecked()]  # type: ignore[misc]
        v.latest_incident_on = _date(self.latest_on)
        v.latest_incident = self.latest.text()
        v.injuries = self.injuries.text().strip()
        v.treatment = self.treatment.text().strip()
        v.police_involvement = self.police.text().strip()
        v.stalking = self.stalking.value()
        v.location_tracking = self.tracking.value()

    def validate(self, intake: Intake) -> list[Problem]:
        p = _date_problem(self.separated_on) + _date_problem(self.latest_on)
        r = intake.relationship
        if r.separated_on and r.living_together is True:
            p.append((self.separated_on, tr("同居中の場合、別居した日は入力できません")))
        if intake.relationship.perpetrator_kana and not _KANA.match(r.perpetrator_kana):
            p.append((self.perp_kana, tr("ふりがなは、ひらがなかカタカナで入力してください")))
        return p


# --- 5 リスク ---------------------------------------------------------------------------------

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b26a00", "high": "#c62828", "urgent": "#7f0000"}


class RiskStep(Step):
    title = "5 リスク評価"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        checklist = risk_rules.load_checklist()
        self.version, items = checklist.version, checklist.items
        note = QLabel(checklist.notice)
        note.setWordWrap(True)
        note.setObjectName("disclaimer")
        self.layout_.addWidget(note)
        self.disclaimer = note
        box = QGroupBox(tr("チェックリスト（{}）").format(self.version))
        grid = QGridLayout(box)
        self.items: dict[str, TriCombo] = {}
        for row, item in enumerate(items):
            text = f"{item.id} {item.text}" + ("  ★" if item.red_flag else "")
            lab = QLabel(text)
            lab.setWordWrap(True)
            combo = TriCombo()
            combo.setAccessibleName(f"{item.id} {item.text}")
            lab.setBuddy(combo)
            combo.currentIndexChanged.connect(self._emit_changed)
            grid.addWidget(lab, row, 0)
            grid.addWidget(combo, row, 1)
            self.items[item.id] = combo
        legend = QLabel(
            tr("★ は特に危険性の高い項目です。「不明・回答なし」は「いいえ」として数えます。")
        )
        legend.setWordWrap(True)
        grid.addWidget(legend, len(items), 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.layout_.addWidget(box)

        self.result = QLabel()
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setWordWrap(True)
        frame = QFrame()
        frame.setObjectName("advice")
        QVBoxLayout(frame).addWidget(self.result)
        self.layout_.insertWidget(2, frame)  # the level stays in view while answering
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.layout_.insertWidget(3, self.hints)

        f = self.new_form(tr("専門的判断"))
        self.judgement = f.row(
            tr("レベルの引き上げ"),
            ChoiceCombo(
                [(c, tr("{}に引き上げる").format(t)) for c, t in LABELS["level"].items()],
                unknown_label=tr("引き上げない"),
            ),
        )
        self.judgement_reason = f.row(tr("引き上げる理由（必須）"), TextArea())
        self.history = QLabel()
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setWordWrap(True)
        self.layout_.addWidget(self.history)
        self.finish()

    def first_input(self) -> QWidget | None:
        return next(iter(self.items.values()), None)

    def load(self, intake: Intake) -> None:
        for code, combo in self.items.items():
            combo.setValue(intake.risk.answers.get(code))
        self.judgement.setValue(intake.risk.judgement)
        self.judgement_reason.setText(intake.risk.judgement_reason or "")

    def apply(self, intake: Intake) -> None:
        intake.risk.checklist_version = self.version
        intake.risk.answers = {code: combo.value() for code, combo in self.items.items()}
        intake.risk.judgement = self.judgement.value()
        reason = self.judgement_reason.text().strip()
        intake.risk.judgement_reason = reason or None

    def validate(self, intake: Intake) -> list[Problem]:
        view = adapters.advice(intake, self.wizard.municipality).risk
        j = intake.risk.judgement
        if j is None:
            return []
        order = list(LABELS["level"])
        if order.index(j) <= order.index(view.computed):
            return [
                (
                    self.judgement,
                    tr(
                        "算定レベル（{}）より高いレベルを選んでください。下げることはできません"
                    ).format(LABELS["level"][view.computed]),
                )
            ]
        if not intake.risk.judgement_reason:
            return [(self.judgement_reason, tr("引き上げる理由を入力してください"))]
        return []

    def refresh(self, intake: Intake) -> None:
        hints = [
            f"{code}（{why}）"
            for code, why in risk_hints(intake)
            if code in self.items and self.items[code].value() is None
        ]
        self.hints.setText(
            tr("前のステップの回答から、次の項目を確認してください: {}").format("、".join(hints))
            if hints
            else ""
        )
        self.hints.setVisible(bool(hints))
        view = adapters.advice(intake, self.wizard.municipality).risk
        colour = LEVEL_COLOURS.get(view.final, "#000")
        computed = LABELS["level"][view.computed]
        final = LABELS["level"][view.final]
        text = (
            f"<p style='font-size:15pt'>{html.escape(tr('算定レベル'))}: <b>{computed}</b>"
            f"　{html.escape(tr('最終レベル'))}: <b style='color:{colour}'>{final}</b>"
            f"　（{html.escape(tr('「はい」'))} {view.yes_count}）</p>"
        )
        self.result.setText(text + reasons_html(view.reasons))
        hist = self.wizard.risk_history
        if hist:
            rows = "".join(
                f"<li>{html.escape(h.when)}: "
                + html.escape(LABELS["level"].get(h.computed, h.computed))
                + f" → {html.escape(LABELS['level'].get(h.final, h.final))}"
                + (f"（{html.escape(h.reason)}）" if h.reason else "")
                + "</li>"
                for h in hist
            )
            self.history.setText(
                f"<b>{html.escape(tr('これまでの評価（履歴）'))}</b><ul>{rows}</ul>"
            )
        else:
            self.history.setText("")


def risk_hints(intake: Intake) -> list[tuple[str, str]]:
    """Checklist items that earlier answers point at; the counselor still answers them."""
    out = []
    if intake.safety.injury_needs_care is True or intake.violence.injuries:
        out.append(("R14", tr("けが")))
    if intake.client.pregnant is True:
        out.append(("R07", tr("妊娠")))
    if intake.violence.location_tracking is True or intake.violence.stalking is True:
        out.append(("R08", tr("つきまとい・位置の把握")))
    if intake.relationship.separated_on is not None:
        out.append(("R06", tr("別居")))
    if "sexual" in intake.violence.types:
        out.append(("R09", tr("性的暴力")))
    if "life" in intake.violence.threats:
        out.append(("R02", tr("生命への脅し")))
    if "using_children" in intake.violence.types:
        out.append(("R10", tr("子どもを利用した暴力")))
    if "social" in intake.violence.types:
        out.append(("R15", tr("社会的暴力")))
    return out


# --- 6 一時保護 -------------------------------------------------------------------------------


class ShelterStep(Step):
    title = "6 一時保護"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.advice = QLabel()
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setWordWrap(True)
        frame = QFrame()
        frame.setObjectName("advice")
        QVBoxLayout(frame).addWidget(self.advice)
        self.layout_.addWidget(frame)
        f = self.new_form()
        self.safe_place = f.row(tr("今夜安全に過ごせる場所がある"), TriCombo())
        self.wish = f.row(tr("本人の希望"), ChoiceCombo(labels("shelter_wish")))
        self.requested = f.row(tr("依頼"), QCheckBox(tr("県の女性相談支援センター等へ依頼した")))
        self.children_group = QGroupBox(tr("同伴する子ども"))
        self.children_lay = QVBoxLayout(self.children_group)
        self.child_checks: list[QCheckBox] = []
        self.layout_.addWidget(self.children_group)
        g = self.new_form()
        self.actions_text = g.row(tr("とった対応"), TextArea())
        self.wish_note = QLabel()
        self.wish_note.setWordWrap(True)
        self.layout_.addWidget(self.wish_note)
        self.print_request = PrintButton(tr("一時保護依頼票"), tr("一時保護依頼票を印刷"))
        self.print_request.button.clicked.connect(self._print_request)
        self.layout_.addWidget(self.print_request)
        self.print_plan = PrintButton(tr("安全計画（くらしのメモ）を印刷"))
        self.print_plan.button.clicked.connect(self._print_plan)
        self.layout_.addWidget(self.print_plan)
        self._selected: list[int] = []
        self.finish()

    def load(self, intake: Intake) -> None:
        s = intake.shelter
        self.safe_place.setValue(s.safe_place_tonight)
        self.wish.setValue(s.client_wish)
        self.requested.setChecked(s.requested)
        self.actions_text.setText(s.actions_taken)
        self._selected = list(s.accompanying_children)
        self._rebuild_children(intake)

    def _rebuild_children(self, intake: Intake) -> None:
        if len(self.child_checks) == len(intake.household.children):
            for i, cb in enumerate(self.child_checks):
                cb.setText(_child_label(intake.household.children[i], i))
            return
        for cb in self.child_checks:
            cb.setParent(None)
            cb.deleteLater()
        self.child_checks = []
        for i, child in enumerate(intake.household.children):
            cb = QCheckBox(_child_label(child, i))
            cb.setFont(self.wizard.large_font)
            cb.setChecked(i in self._selected)
            cb.toggled.connect(self._emit_changed)
            self.children_lay.addWidget(cb)
            self.child_checks.append(cb)
        self.children_group.setVisible(bool(self.child_checks))

    def apply(self, intake: Intake) -> None:
        s = intake.shelter
        s.safe_place_tonight = self.safe_place.value()
        s.client_wish = self.wish.value()
        s.requested = self.requested.isChecked()
        s.actions_taken = self.actions_text.text()
        if len(self.child_checks) == len(intake.household.children):
            self._selected = [i for i, cb in enumerate(self.child_checks) if cb.isChecked()]
        s.accompanying_children = [i for i in self._selected if i < len(intake.household.children)]

    def refresh(self, intake: Intake) -> None:
        self._rebuild_children(intake)
        view = adapters.advice(intake, self.wizard.municipality).shelter
        rec = shelter_rules.RECOMMENDATION_LABELS[view.recommendation]
        routes = "、".join(shelter_rules.ROUTE_LABELS[r] for r in view.routes)
        self.advice.setText(
            f"<p style='font-size:15pt'>{html.escape(tr('勧め'))}: <b>{html.escape(rec)}</b></p>"
            f"<p>{html.escape(tr('経路'))}: {html.escape(routes)}</p>" + reasons_html(view.reasons)
        )
        if view.safety_plan:
            self.wish_note.setText(
                tr(
                    "本人は希望していません。勧めは記録に残ります。安全計画と警察・センターの連絡先を渡してください。"
                )
            )
        else:
            self.wish_note.setText("")
        # The request sheet once a request is made (never against the client's wish);
        # the safety plan where she does not wish protection.
        self.print_request.setVisible(intake.shelter.requested and not view.safety_plan)
        self.print_plan.setVisible(view.safety_plan)

    def _print_request(self) -> None:
        intake = self.wizard.collect()
        advice = adapters.advice(intake, self.wizard.municipality)
        open_paper(
            self.wizard,
            "shelter_request",
            lambda: _documents().shelter_request(
                intake,
                self.wizard.municipality,
                today=dt.date.today(),
                advice=advice.shelter,
                risk_level=advice.risk.final,
            ),
            at=self.print_request,
            destination_id=_first_id(self.wizard.municipality, "prefectural_centre"),
        )

    def _print_plan(self) -> None:
        intake = self.wizard.collect()
        open_paper(
            self.wizard,
            "safety_plan",
            lambda: _documents().safety_plan(
                intake, self.wizard.municipality, today=dt.date.today()
            ),
            at=self.print_plan,
        )


def _documents() -> ModuleType:
    """``intake_app.documents`` (reportlab) loads on the first print, not with the wizard."""
    from intake_app import documents

    return documents


def _first_id(municipality: Municipality | None, kind: str) -> str | None:
    found = municipality.of_kind(kind) if municipality is not None else []
    return found[0].id if found else None


def _child_label(child: Child, i: int) -> str:
    age = tr("年齢不明") if child.age is None else tr("{}歳").format(child.age)
    name = child.name or tr("子ども {}").format(i + 1)
    return f"{name}（{age}）"


# --- 7 保護命令 --------------------------------------------------------------------------------


class ProtectionOrderStep(Step):
    title = "7 保護命令"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.advice = QLabel()
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setWordWrap(True)
        frame = QFrame()
        frame.setObjectName("advice")
        QVBoxLayout(frame).addWidget(self.advice)
        self.layout_.addWidget(frame)
        f = self.new_form(tr("相談員の判断"))
        self.mind = f.row(tr("生命又は心身に重大な危害を受けるおそれ"), TriCombo())
        self.body_ = f.row(tr("生命又は身体に重大な危害を受けるおそれ"), TriCombo())
        self.owner = f.row(tr("住居は本人だけの所有・名義"), TriCombo())
        self.intention = f.row(tr("本人の意向"), ChoiceCombo(labels("po_intention")))
        self.earlier = f.row(tr("以前の来所相談・警察での相談"), TriCombo())
        self.other = f.row(tr("その他の手段"), TextArea())
        box = QGroupBox(tr("本人に渡す案内"))
        lay = QVBoxLayout(box)
        self.discreet = QCheckBox(tr("持ち帰り用（表紙に内容を書かない）"))
        self.discreet.setChecked(True)  # the safer choice for a paper she carries home
        lay.addWidget(self.discreet)
        self.print_advice = PrintButton(tr("保護命令の案内を印刷"))
        self.print_advice.button.clicked.connect(self._print_advice)
        lay.addWidget(self.print_advice)
        self.layout_.addWidget(box)
        self.finish()

    def load(self, intake: Intake) -> None:
        p = intake.protection_order
        self.mind.setValue(p.serious_harm_to_life_or_mind_likely)
        self.body_.setValue(p.serious_harm_to_life_or_body_likely)
        self.owner.setValue(p.client_sole_owner_or_tenant)
        self.intention.setValue(p.client_intention)
        self.earlier.setValue(p.earlier_in_person)
        self.other.setText(p.other_routes_note)

    def apply(self, intake: Intake) -> None:
        p = intake.protection_order
        p.serious_harm_to_life_or_mind_likely = self.mind.value()
        p.serious_harm_to_life_or_body_likely = self.body_.value()
        p.client_sole_owner_or_tenant = self.owner.value()
        p.client_intention = self.intention.value()
        p.earlier_in_person = self.earlier.value()
        p.other_routes_note = self.other.text()

    def refresh(self, intake: Intake) -> None:
        result = adapters.advice(intake, self.wizard.municipality).protection_order
        eligible = bool(result["eligible"])
        head = tr("申立ての対象になり得ます") if eligible else tr("現在の記録では対象外です")
        parts = [f"<p style='font-size:15pt'><b>{html.escape(head)}</b></p>"]
        if result["orders"]:
            items = "".join(
                f"<li>{html.escape(order_label(o['type']))}"
                + html.escape(_order_terms(o))
                + "</li>"
                for o in result["orders"]
            )
            parts.append(f"<p>{html.escape(tr('申立てできる命令'))}:</p><ul>{items}</ul>")
        if result["alternative_routes"]:
            routes = "、".join(route_label(r) for r in result["alternative_routes"])
            parts.append(f"<p>{html.escape(tr('他の手段'))}: {html.escape(routes)}</p>")
        parts.append(
            "<p>"
            + html.escape(
                tr("この相談は来所・同行の相談のため、申立ての「事前の相談」として記録されます。")
                if adapters.consulted_in_person(intake)
                else tr(
                    "以前の来所相談（または警察での相談）が記録されているため、「事前の相談」があります。"
                )
                if intake.protection_order.earlier_in_person is True
                else tr(
                    "電話等のみの相談は「事前の相談」になりません（来所相談か公証人面前宣誓供述書が必要）。"
                )
            )
            + " <span style='color:#555'>（根拠: "
            + html.escape(tr("配偶者暴力防止法第12条"))
            + "）</span></p>"
        )
        parts.append(reasons_html(adapters.protection_order_reasons(intake)))
        self.advice.setText("".join(parts))

    def _print_advice(self) -> None:
        intake = self.wizard.collect()
        result = adapters.advice(intake, self.wizard.municipality).protection_order
        discreet = self.discreet.isChecked()
        kind = "protection_order_advice_discreet" if discreet else "protection_order_advice"
        open_paper(
            self.wizard,
            kind,
            lambda: _documents().protection_order_advice(
                intake,
                self.wizard.municipality,
                today=dt.date.today(),
                result=result,
                discreet=discreet,
            ),
            at=self.print_advice,
        )


def _order_terms(order: dict[str, Any]) -> str:
    """The order's terms as the domain gives them (months, consent, longest period)."""
    out = ""
    if order.get("months"):
        out += tr("（{}か月）").format(order["months"])
    if order.get("consent_needed_ages"):
        out += tr("（15歳以上の子の同意が必要: {}歳）").format(
            "・".join(map(str, order["consent_needed_ages"]))
        )
    if order.get("max_months") and order["max_months"] != order.get("months"):
        out += tr("（最長{}か月）").format(order["max_months"])
    return out


# --- 8 困りごとと紹介 -----------------------------------------------------------------------------


class ReferralRow(QGroupBox):
    def __init__(self, dest: Destination) -> None:
        super().__init__(destination_label(dest))  # 「（未確認）」 on an unverified one
        self.dest = dest
        self.form = FieldForm()
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        f = self.form
        self.selected = f.row(tr("紹介"), QCheckBox(tr("ここへ紹介する")))
        self.purpose = f.row(tr("目的"), QLineEdit())
        self.consent = f.row(tr("同意"), QCheckBox(tr("本人の同意を得た")))
        self.method = f.row(
            tr("同意の方法"),
            ChoiceCombo(labels("consent_method"), unknown_label=tr("（選んでください）")),
        )
        self.consent_at = f.row(tr("同意の日時"), DateEdit(with_time=True))
        # The client's whereabouts and address go on the slip only where the whitelist
        # allows them and the counselor confirms it for this destination.
        self.allows_location = bool(
            set(referral_rules.allowed_fields(dest)) & referral_rules.LOCATION_FIELDS
        )
        self.whereabouts = f.row(
            tr("居場所"),
            QCheckBox(tr("本人の住所・現在の居場所を連絡票に載せる（確認済み）")),
        )
        self.reasons = QLabel()
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setWordWrap(True)
        lay.addWidget(self.reasons)
        self.print_slip = PrintButton(
            tr("連絡票を印刷"), tr("{}への連絡票を印刷").format(dest.name)
        )
        lay.addWidget(self.print_slip)
        self.selected.toggled.connect(self._enable)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        """The purpose and consent rows appear once the destination is chosen."""
        for w in (self.purpose, self.consent, self.method, self.consent_at, self.whereabouts):
            show = on and (w is not self.whereabouts or self.allows_location)
            w.setEnabled(show)
            box = w.parentWidget()
            if box is not None:
                self.form.form.setRowVisible(box, show)
        self.print_slip.setVisible(on)
        if not on:
            self.print_slip.refuse("")


class NeedsStep(Step):
    title = "8 困りごとと紹介"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        box = QGroupBox(tr("困りごと（複数選択）"))
        grid = QGridLayout(box)
        self.cats: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(labels("need")):
            cb = QCheckBox(label)
            cb.toggled.connect(self._emit_changed)
            grid.addWidget(cb, i // 4, i % 4)
            self.cats[code] = cb
        self.layout_.addWidget(box)
        f = self.new_form()
        self.note = f.row(tr("困りごとのメモ"), TextArea())
        self.suggest = QLabel()
        self.suggest.setTextFormat(Qt.TextFormat.RichText)
        self.suggest.setWordWrap(True)
        frame = QFrame()
        frame.setObjectName("advice")
        QVBoxLayout(frame).addWidget(self.suggest)
        self.layout_.addWidget(frame)
        if wizard.municipality is None:
            missing = QLabel(
                tr("市区町村の設定ファイルを読み込めないため、紹介先を表示できません。")
            )
            missing.setObjectName("fieldError")
            missing.setWordWrap(True)
            self.layout_.addWidget(missing)
        self.rows: dict[str, ReferralRow] = {}
        for dest in adapters.destinations(wizard.municipality):
            row = ReferralRow(dest)
            row.form.changed.connect(self.changed.emit)
            row.print_slip.button.clicked.connect(lambda _c=False, d=dest.id: self.print_slip(d))
            self.forms.append(row.form)
            self.layout_.addWidget(row)
            self.rows[dest.id] = row
        self.print_notification = PrintButton(
            tr("子どもについての通告の記録を印刷"), tr("子どもについての通告の記録を印刷")
        )
        self.print_notification.button.clicked.connect(self._print_notification)
        self.print_notification.setVisible(False)
        self.layout_.addWidget(self.print_notification)
        self.slips = QLabel()
        self.slips.setWordWrap(True)
        self.layout_.addWidget(self.slips)
        self._extra: list[Referral] = []
        self.finish()

    def first_input(self) -> QWidget | None:
        return next(iter(self.cats.values()), None)

    def load(self, intake: Intake) -> None:
        for code, cb in self.cats.items():
            cb.setChecked(code in intake.needs.categories)
        self.note.setText(intake.needs.note)
        by_id = {r.destination_id: r for r in intake.referrals}
        self._extra = [r for r in intake.referrals if r.destination_id not in self.rows]
        for did, row in self.rows.items():
            ref = by_id.get(did)
            row.selected.setChecked(ref is not None)
            row.purpose.setText(ref.purpose if ref else "")
            row.consent.setChecked(bool(ref and ref.consent))
            row.method.setValue(ref.consent_method if ref else None)
            row.consent_at.setValue(ref.consent_at if ref else None)
            row.whereabouts.setChecked(bool(ref and ref.whereabouts_confirmed))

    def apply(self, intake: Intake) -> None:
        intake.needs.categories = [c for c, cb in self.cats.items() if cb.isChecked()]  # type: ignore[misc]
        intake.needs.note = self.note.text()
        refs = list(self._extra)
        old = {r.destination_id: r for r in intake.referrals}
        # The child notification (児童虐待防止法第6条) is the one referral without consent.
        notify = child_rule.notification(intake, self.wizard.municipality).required
        for did, row in self.rows.items():
            if not row.selected.isChecked():
                continue
            prev = old.get(did)
            refs.append(
                Referral(
                    destination_id=did,
                    purpose=row.purpose.text().strip(),
                    fields=list(prev.fields) if prev else referral_rules.allowed_fields(row.dest),
                    consent=row.consent.isChecked(),
                    consent_method=row.method.value(),
                    consent_at=_date(row.consent_at),
                    mandatory=notify and row.dest.kind in child_rule.CHILD_NOTIFICATION_KINDS,
                    whereabouts_confirmed=row.allows_location and row.whereabouts.isChecked(),
                )
            )
        intake.referrals = refs

    def validate(self, intake: Intake) -> list[Problem]:
        p: list[Problem] = []
        for ref in intake.referrals:
            row = self.rows.get(ref.destination_id)
            if row is None or ref.mandatory:
                continue
            if not ref.consent:
                p.append((row.consent, tr("紹介には本人の同意が必要です（口頭または書面）")))
            elif ref.consent_method is None:
                p.append((row.method, tr("同意の方法を選んでください")))
            p += _date_problem(row.consent_at)
        return p

    def refresh(self, intake: Intake) -> None:
        advice = adapters.advice(intake, self.wizard.municipality)
        suggested = advice.suggested_destinations
        if suggested:
            items = "".join(
                f"<li><b>{html.escape(d.name)}</b>{reasons_html(d.reasons)}</li>" for d in suggested
            )
            self.suggest.setText(f"<b>{html.escape(tr('おすすめの紹介先'))}</b><ul>{items}</ul>")
        else:
            self.suggest.setText(tr("困りごとを選ぶと、おすすめの紹介先が表示されます。"))
        reasons = {d.id: d.reasons for d in suggested}
        by_id = {r.destination_id: r for r in intake.referrals}
        for did, row in self.rows.items():
            ref = by_id.get(did)
            note = ""
            if ref is not None and ref.mandatory:
                note = (
                    "<p><b>"
                    + html.escape(
                        tr(
                            "子どもについての通告のため、本人の同意は不要です（児童虐待防止法第6条）"
                        )
                    )
                    + "</b></p>"
                )
            shown = list(reasons.get(did, []))
            if ref is not None:
                shown.append(referral_rules.consent_reason(ref, row.dest))
                shown += referral_rules.withheld(ref, row.dest)
            row.reasons.setText(note + reasons_html(shown))
        child = advice.child_notification
        self.print_notification.setVisible(child.required and child.recorded)
        chosen = [
            self.rows[r.destination_id].dest.name
            for r in intake.referrals
            if r.destination_id in self.rows
        ]
        self.slips.setText(
            tr("紹介先: {}（連絡票は各紹介先の「連絡票を印刷」から）").format("、".join(chosen))
            if chosen
            else ""
        )

    def print_slip(self, destination_id: str) -> Any:
        """The 連絡票 for one chosen destination (refused at the button without consent)."""
        intake = self.wizard.collect()
        row = self.rows[destination_id]
        referral = next(r for r in intake.referrals if r.destination_id == destination_id)
        return open_paper(
            self.wizard,
            "referral_slip",
            lambda: _documents().referral_slip(
                intake, self.wizard.municipality, referral, today=dt.date.today()
            ),
            at=row.print_slip,
            destination_id=destination_id,
            title=tr("連絡票（{}）").format(row.dest.name),
        )

    def _print_notification(self) -> None:
        intake = self.wizard.collect()
        advice = child_rule.notification(intake, self.wizard.municipality)
        open_paper(
            self.wizard,
            "child_notification",
            lambda: _documents().child_notification_record(
                intake, self.wizard.municipality, today=dt.date.today(), advice=advice
            ),
            at=self.print_notification,
        )


# --- 9 情報保護 ----------------------------------------------------------------------------


class ProtectionStep(Step):
    title = "9 情報の保護"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
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

    def load(self, intake: Intake) -> None:
        a = intake.address
        self.applied.setChecked(a.support_measure_applied)
        self.applied_on.setValue(a.applied_on)
        self.dnd.setChecked(a.do_not_disclose)
        self.counter_note.setText(a.counter_note)

    def apply(self, intake: Intake) -> None:
        a = intake.address
        a.support_measure_applied = self.applied.isChecked()
        a.applied_on = _date(self.applied_on)
        a.do_not_disclose = self.dnd.isChecked()
        a.counter_note = self.counter_note.text()

    def validate(self, intake: Intake) -> list[Problem]:
        p = _date_problem(self.applied_on)
        if intake.address.support_measure_applied and intake.address.applied_on is None and not p:
            p.append((self.applied_on, tr("支援措置の申出日を入力してください")))
        return p

    def refresh(self, intake: Intake) -> None:
        status = adapters.advice(intake, self.wizard.municipality).support_measure
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
        intake = self.wizard.collect()
        open_paper(
            self.wizard,
            "support_measure_opinion",
            lambda: _documents().support_measure_opinion(
                intake, self.wizard.municipality, today=dt.date.today()
            ),
            at=self.print_opinion,
            destination_id=_first_id(self.wizard.municipality, "resident_registry"),
        )


# --- 10 まとめ ------------------------------------------------------------------------------


class SummaryStep(Step):
    title = "10 まとめと保存"

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.view = QTextBrowser()
        self.view.setMinimumHeight(380)
        self.view.setOpenLinks(False)
        self.layout_.addWidget(self.view, 1)
        f = self.new_form()
        self.note = f.row(tr("まとめのメモ"), TextArea())
        self.save = QPushButton(tr("この内容で保存する (Ctrl+S)"))
        self.save.setObjectName("saveButton")
        self.save.setAutoDefault(True)  # Enter on the focused button saves
        self.layout_.addWidget(self.save)

    def first_input(self) -> QWidget | None:
        return self.save

    def load(self, intake: Intake) -> None:
        self.note.setText(intake.summary_note)

    def apply(self, intake: Intake) -> None:
        intake.summary_note = self.note.text()

    def refresh(self, intake: Intake) -> None:
        self.view.setHtml(self.wizard.summary_html())
