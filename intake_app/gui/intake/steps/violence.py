"""Step 4, 関係と暴力: the relationship with the perpetrator and what happened.

For a former partner the step asks whether the violence or threats happened while the
relationship lasted (配偶者暴力防止法第10条第1項, rules.md §9.1): that, not violence after
the separation, decides whether he can be the respondent of a protection order.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from intake_app.domain.codes import UNKNOWN_LABEL
from intake_app.domain.model import Intake
from intake_app.domain.rules.protection_order import FORMER
from intake_app.gui.intake.steps.base import Step, StepHost, labels
from intake_app.gui.intake.widgets import (
    ChoiceCombo,
    DateEdit,
    NumberEdit,
    TextArea,
    TriCombo,
    tr,
)

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
    parts = ("relationship", "violence")

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        f = self.new_form(tr("相手との関係"))
        self.rel_type = f.row(tr("関係"), ChoiceCombo(labels("relationship")))
        self.during = f.row(tr("関係が続いていた間に暴力・脅迫を受けていた"), TriCombo())
        self.relationship_form = f
        self.living_together = f.row(tr("いま同居している"), TriCombo())
        self.separated_on = f.row(tr("別居した日"), DateEdit())
        self.continued = f.row(tr("別れた後も暴力が続いている"), TriCombo())
        self.perp_name = f.row(tr("相手の氏名"), QLineEdit())
        self.perp_kana = f.row(tr("相手のふりがな"), QLineEdit())
        # What the police slip, the 一時保護依頼票, the 支援措置 opinion and the child
        # notification say of him (all optional).
        self.perp_birth = f.row(tr("相手の生年月日"), DateEdit())
        self.perp_age = f.row(tr("相手の年齢（生年月日が不明なとき）"), NumberEdit())
        self.perp_address = f.row(tr("相手の住所"), QLineEdit())
        self.perp_weapons = f.row(tr("相手の凶器（刃物・銃など）"), QLineEdit())
        self.perp_weapons.setPlaceholderText(tr("例: 包丁で脅したことがある（空欄は不明）"))
        self.perp_vehicle = f.row(tr("相手の車両（車種・色・ナンバー）"), QLineEdit())
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

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {
            "relationship.type": self.rel_type,
            "relationship.violence_during_relationship": self.during,
            "relationship.living_together": self.living_together,
            "relationship.separated_on": self.separated_on,
            "relationship.violence_continued_after_separation": self.continued,
            "relationship.perpetrator_name": self.perp_name,
            "relationship.perpetrator_kana": self.perp_kana,
            "relationship.perpetrator_date_of_birth": self.perp_birth,
            "relationship.perpetrator_age": self.perp_age,
            "relationship.perpetrator_address": self.perp_address,
            "relationship.perpetrator_weapons": self.perp_weapons,
            "relationship.perpetrator_vehicle": self.perp_vehicle,
        }
        # A type's one combo answers both ``types`` (it happened) and ``absent``.
        fields.update({f"violence.types.{code}": combo for code, combo in self.types.items()})
        fields.update({f"violence.threats.{code}": cb for code, cb in self.threats.items()})
        fields.update(
            {
                "violence.latest_incident_on": self.latest_on,
                "violence.latest_incident": self.latest,
                "violence.injuries": self.injuries,
                "violence.treatment": self.treatment,
                "violence.police_involvement": self.police,
                "violence.stalking": self.stalking,
                "violence.location_tracking": self.tracking,
            }
        )
        return fields

    def load(self, intake: Intake) -> None:
        r, v = intake.relationship, intake.violence
        self.rel_type.setValue(r.type)
        self.during.setValue(r.violence_during_relationship)
        self._show_former(r.type)
        self.living_together.setValue(r.living_together)
        self.separated_on.setValue(r.separated_on)
        self.continued.setValue(r.violence_continued_after_separation)
        self.perp_name.setText(r.perpetrator_name)
        self.perp_kana.setText(r.perpetrator_kana)
        self.perp_birth.setValue(r.perpetrator_date_of_birth)
        self.perp_age.setValue(r.perpetrator_age)
        self.perp_address.setText(r.perpetrator_address)
        self.perp_weapons.setText(r.perpetrator_weapons)
        self.perp_vehicle.setText(r.perpetrator_vehicle)
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
        # Asked of a former partner only; the widget keeps the answer if the type is
        # switched back.
        r.violence_during_relationship = self.during.value() if r.type in FORMER else None
        r.living_together = self.living_together.value()
        r.separated_on = self.separated_on.value()
        r.violence_continued_after_separation = self.continued.value()
        r.perpetrator_name = self.perp_name.text().strip()
        r.perpetrator_kana = self.perp_kana.text().strip()
        r.perpetrator_date_of_birth = self.perp_birth.value()
        r.perpetrator_age = self.perp_age.value()
        r.perpetrator_address = self.perp_address.text().strip()
        r.perpetrator_weapons = self.perp_weapons.text().strip()
        r.perpetrator_vehicle = self.perp_vehicle.text().strip()
        answers = {c: combo.value() for c, combo in self.types.items()}
        v.types = {c: a for c, a in answers.items() if a not in (None, ABSENT)}  # type: ignore[misc]
        v.absent = [c for c, a in answers.items() if a == ABSENT]  # type: ignore[misc]
        v.threats = [c for c, cb in self.threats.items() if cb.isChecked()]  # type: ignore[misc]
        v.latest_incident_on = self.latest_on.value()
        v.latest_incident = self.latest.text()
        v.injuries = self.injuries.text().strip()
        v.treatment = self.treatment.text().strip()
        v.police_involvement = self.police.text().strip()
        v.stalking = self.stalking.value()
        v.location_tracking = self.tracking.value()

    def refresh(self, intake: Intake) -> None:
        self._show_former(intake.relationship.type)

    def _show_former(self, relationship: str | None) -> None:
        """The question about violence during the relationship: former partners only."""
        self.relationship_form.set_row_visible(self.during, relationship in FORMER)
