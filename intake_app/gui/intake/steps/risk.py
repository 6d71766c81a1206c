"""Step 5, リスク評価: the risk checklist, the computed level and the counselor's raise."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from intake_app.domain.codes import LABELS
from intake_app.domain.model import Intake
from intake_app.domain.rules import risk as risk_rules
from intake_app.gui.intake import adapters
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, TextArea, TriCombo, tr

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b26a00", "high": "#c62828", "urgent": "#7f0000"}


class RiskStep(Step):
    title = "5 リスク評価"
    parts = ("risk",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
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
        # The level stays in view while answering: between the notice and the checklist.
        self.layout_.insertWidget(self.layout_.indexOf(box), advice_frame(self.result))
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.layout_.insertWidget(self.layout_.indexOf(box), self.hints)

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

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {f"risk.answers.{k}": w for k, w in self.items.items()}
        fields["risk.judgement"] = self.judgement
        fields["risk.judgement_reason"] = self.judgement_reason
        return fields

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
        view = adapters.advice(intake, self.host.municipality).risk
        colour = LEVEL_COLOURS.get(view.final, "#000")
        computed = LABELS["level"][view.computed]
        final = LABELS["level"][view.final]
        text = (
            f"<p style='font-size:15pt'>{html.escape(tr('算定レベル'))}: <b>{computed}</b>"
            f"　{html.escape(tr('最終レベル'))}: <b style='color:{colour}'>{final}</b>"
            f"　（{html.escape(tr('「はい」'))} {view.yes_count}）</p>"
        )
        self.result.setText(text + reasons_html(view.reasons))
        hist = self.host.risk_history
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
