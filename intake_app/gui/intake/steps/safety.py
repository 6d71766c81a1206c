"""Step 0, 安全確認: the client's immediate safety, asked first on every consultation."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.model import Intake
from intake_app.gui.intake.steps.base import Step, StepHost
from intake_app.gui.intake.widgets import TriCombo, tr

SAFETY_ACTIONS = ("110番通報した", "119番通報した", "警察に連絡した", "安全な部屋へ移動した")


class SafetyStep(Step):
    title = "0 安全確認"
    parts = ("safety",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
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

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "safety.safe_now": self.safe_now,
            "safety.perpetrator_nearby": self.perpetrator_nearby,
            "safety.injury_needs_care": self.injury,
            "safety.children_safe_now": self.children_safe,
            "safety.actions_taken": self.action_boxes[0],
        }

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
