"""Step 2, 本人の情報: who the client is and how she may be contacted safely."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from intake_app.domain.model import Intake
from intake_app.gui.intake.steps.base import Step, StepHost, labels
from intake_app.gui.intake.widgets import ChoiceCombo, DateEdit, TriCombo, tr


class ClientStep(Step):
    title = "2 本人の情報"
    parts = ("client",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
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

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "client.anonymous": self.anonymous,
            "client.name": self.name,
            "client.kana": self.kana,
            "client.aliases": self.aliases,
            "client.date_of_birth": self.dob,
            "client.age_group": self.age_group,
            "client.gender": self.gender,
            "client.nationality": self.nationality,
            "client.disability": self.disability,
            "client.pregnant": self.pregnant,
            "client.safe_contact.may_call": self.may_call,
            "client.safe_contact.may_leave_message": self.may_leave_message,
            "client.safe_contact.may_mail": self.may_mail,
            "client.safe_contact.safe_times": self.safe_times,
            "client.safe_contact.phone": self.phone,
            "client.safe_contact.email": self.email,
            "client.address": self.address,
            "client.fled": self.fled,
            "client.current_whereabouts": self.whereabouts,
        }

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
        c.date_of_birth = self.dob.value()
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
