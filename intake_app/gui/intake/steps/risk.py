"""Step 5, リスク評価: the risk checklist, the computed level and the counselor's raise.

New assessments use the newest checklist (rules.md §9.7). Before any answer the level
reads 「未評価」, never a green 「低」. Earlier assessments of the case are shown with the
version they were made with and are never recomputed; the latest one is put beside this
one (``risk.compare``). Answers recorded with another version (a follow-up from a risk-v1
consultation, an older draft) are carried over only for the items worded the same in both,
and the step says so and names the new items to ask.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from intake_app.domain.codes import LABELS
from intake_app.domain.model import Intake
from intake_app.domain.reasons import Reason
from intake_app.domain.rules import risk as risk_rules
from intake_app.domain.tomlfile import ConfigError
from intake_app.gui.intake import adapters
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, TextArea, TriCombo, tr

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b26a00", "high": "#c62828", "urgent": "#7f0000"}
UNASSESSED_COLOUR = "#444444"  # 未評価: neither green nor a level's colour


@dataclass(frozen=True)
class CarriedAnswers:
    """Answers loaded from another checklist version: what was kept, what is new."""

    from_version: str
    kept: tuple[str, ...]  # ids worded the same in both versions, answers kept
    new: tuple[str, ...]  # ids of this version to ask (new, or worded differently)
    dropped: tuple[str, ...]  # answered ids this version does not have


def carry_answers(
    answers: dict[str, bool | None], from_version: str, checklist: risk_rules.Checklist
) -> tuple[dict[str, bool | None], CarriedAnswers | None]:
    """The answers to show on ``checklist`` and, when they were recorded with another
    version, what was carried over. An item is carried only when its wording is the same
    in both versions; an unknown version carries nothing."""
    if from_version == checklist.version:
        return dict(answers), None
    try:
        earlier: risk_rules.Checklist | None = risk_rules.load_checklist(from_version)
    except (ConfigError, OSError, ValueError):
        earlier = None
    before = {item.id: item.text for item in earlier.items} if earlier is not None else {}
    same = [item.id for item in checklist.items if before.get(item.id) == item.text]
    kept = {k: v for k, v in answers.items() if k in same}
    carried = CarriedAnswers(
        from_version,
        tuple(same) if any(answers.get(k) is not None for k in same) else (),
        tuple(item.id for item in checklist.items if item.id not in same),
        tuple(k for k in answers if k not in same and answers[k] is not None),
    )
    return kept, carried


def legend_text(checklist: risk_rules.Checklist) -> str:
    """How this version counts: the red flags, the pairs, and what an unknown answer does."""
    parts = [tr("★ は特に危険性の高い項目（赤信号）です。")]
    for pair in checklist.red_flag_pairs:
        parts.append(
            tr("☆ の {} は、すべて「はい」のとき合わせて赤信号1つと数えます。").format(
                "と".join(pair)
            )
        )
    floor = checklist.unknown_floor
    if floor is None:
        parts.append(tr("「不明・回答なし」は「いいえ」として数えます（この版の基準）。"))
    else:
        total = len(checklist.items)
        needed = math.ceil(floor.min_no_percent * total / 100)
        parts.append(
            tr(
                "「不明・回答なし」は安全とはみなしません。「いいえ」と確認できた項目が{}項目のうち{}項目に届くまでは、少なくとも「{}」として扱います。"
            ).format(total, needed, LABELS["level"][floor.level])
        )
    return "".join(parts)


class RiskStep(Step):
    title = "5 リスク評価"
    parts = ("risk",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        checklist = risk_rules.load_checklist()
        self.checklist = checklist
        self.version, items = checklist.version, checklist.items
        self.carried: CarriedAnswers | None = None
        paired = {i for pair in checklist.red_flag_pairs for i in pair}
        note = QLabel(checklist.notice)
        note.setWordWrap(True)
        note.setObjectName("disclaimer")
        self.layout_.addWidget(note)
        self.disclaimer = note
        box = QGroupBox(tr("チェックリスト（{}）").format(self.version))
        grid = QGridLayout(box)
        self.items: dict[str, TriCombo] = {}
        for row, item in enumerate(items):
            mark = "  ★" if item.red_flag else "  ☆" if item.id in paired else ""
            text = f"{item.id} {item.text}{mark}"
            lab = QLabel(text)
            lab.setWordWrap(True)
            combo = TriCombo()
            combo.setAccessibleName(f"{item.id} {item.text}")
            lab.setBuddy(combo)
            combo.currentIndexChanged.connect(self._emit_changed)
            grid.addWidget(lab, row, 0)
            grid.addWidget(combo, row, 1)
            self.items[item.id] = combo
        legend = QLabel(legend_text(checklist))
        legend.setWordWrap(True)
        self.legend = legend
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
        # Answers carried over from another checklist version: said, never silent.
        self.carried_note = QLabel()
        self.carried_note.setObjectName("disclaimer")
        self.carried_note.setWordWrap(True)
        self.carried_note.setAccessibleName(tr("チェックリストの版についてのお知らせ"))
        self.carried_note.setVisible(False)
        self.layout_.insertWidget(self.layout_.indexOf(box), self.carried_note)

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
        answers, self.carried = carry_answers(
            intake.risk.answers, intake.risk.checklist_version, self.checklist
        )
        for code, combo in self.items.items():
            combo.setValue(answers.get(code))
        self.carried_note.setText(self._carried_text())
        self.carried_note.setVisible(self.carried is not None)
        self.judgement.setValue(intake.risk.judgement)
        self.judgement_reason.setText(intake.risk.judgement_reason or "")

    def apply(self, intake: Intake) -> None:
        intake.risk.checklist_version = self.version
        intake.risk.answers = {code: combo.value() for code, combo in self.items.items()}
        intake.risk.judgement = self.judgement.value()
        reason = self.judgement_reason.text().strip()
        intake.risk.judgement_reason = reason or None

    def _carried_text(self) -> str:
        carried = self.carried
        if carried is None:
            return ""
        text = tr("入力済みの回答はチェックリスト {} のものです。今回は {} で評価します。").format(
            carried.from_version, self.version
        )
        if carried.kept:
            text += tr(
                "同じ文言の項目（{}）の回答を引き継いでいます。変わっていないか確認してください。"
            ).format(_id_range(carried.kept))
        if carried.new:
            text += tr("新しい項目 {} は未回答です。本人に確認してください。").format(
                "、".join(carried.new)
            )
        if carried.dropped:
            text += tr("この版にない項目（{}）の回答は、前回の記録にだけ残ります。").format(
                "、".join(carried.dropped)
            )
        return text

    def refresh(self, intake: Intake) -> None:
        wanted = [
            f"{code}（{why}）"
            for code, why in risk_hints(intake)
            if code in self.items and self.items[code].value() is None
        ]
        new = [
            code
            for code in (self.carried.new if self.carried is not None else ())
            if code in self.items and self.items[code].value() is None
        ]
        lines = []
        if wanted:
            lines.append(
                tr("前のステップの回答から、次の項目を確認してください: {}").format(
                    "、".join(wanted)
                )
            )
        if new:
            lines.append(tr("この版で新しい項目（未回答）: {}").format("、".join(new)))
        self.hints.setText("\n".join(lines))
        self.hints.setVisible(bool(lines))
        view = adapters.advice(intake, self.host.municipality).risk
        # Before any answer a level computed from nothing says nothing: 「未評価」 and, from
        # v2 on, the at-least-medium rule stand instead (rules.md §9.7); the checklist's
        # notice (always the last reason) stays.
        reasons = [self._unassessed_reason(), view.reasons[-1]] if view.unassessed else view.reasons
        self.result.setText(level_html(view) + self._comparison_html(view) + reasons_html(reasons))
        self.history.setText(history_html(self.host.risk_history))

    def _unassessed_reason(self) -> Reason:
        floor = self.checklist.unknown_floor
        if floor is None:
            return Reason(tr("まだ回答がありません。"), self.checklist.rule)
        return Reason(
            tr(
                "まだ回答がありません。不明は安全とはみなさないため、回答がそろうまでは少なくとも「{}」として扱います。"
            ).format(LABELS["level"][floor.level]),
            self.checklist.rule,
        )

    def _comparison_html(self, view: risk_rules.RiskResult) -> str:
        """The latest earlier assessment beside this one, neither recomputed."""
        hist = self.host.risk_history
        if not hist:
            return ""
        earlier = hist[-1]
        if earlier.final not in LABELS["level"]:
            return ""
        note = risk_rules.compare(earlier.checklist_version, earlier.final, view).note  # type: ignore[arg-type]
        return (
            f"<p><b>{html.escape(tr('前回との比較'))}</b>: {html.escape(note.text)}"
            f" <span style='color:#555'>（根拠: {html.escape(note.rule)}）</span></p>"
        )


def level_html(view: risk_rules.RiskResult) -> str:
    """The level in large type: 「未評価」 before any answer, never a level."""
    if view.unassessed:
        return (
            f"<p style='font-size:15pt'>{html.escape(tr('最終レベル'))}: "
            f"<b style='color:{UNASSESSED_COLOUR}'>{html.escape(view.label())}</b>"
            f"　（{html.escape(tr('まだ回答がありません'))}"
            f"・{html.escape(view.checklist_version)}）</p>"
        )
    colour = LEVEL_COLOURS.get(view.final, "#000")
    computed = LABELS["level"][view.computed]
    final = LABELS["level"][view.final]
    return (
        f"<p style='font-size:15pt'>{html.escape(tr('算定レベル'))}: <b>{computed}</b>"
        f"　{html.escape(tr('最終レベル'))}: <b style='color:{colour}'>{final}</b>"
        f"　（{html.escape(tr('「はい」'))} {view.yes_count}・"
        + html.escape(tr("回答 {}").format(view.answered))
        + f"・{html.escape(view.checklist_version)}）</p>"
    )


def history_html(history: Sequence[adapters.HistoryEntry]) -> str:
    """The case's earlier assessments, each with the checklist version it was made with."""
    if not history:
        return ""
    level = LABELS["level"]
    rows = "".join(
        f"<li>{html.escape(h.when)}（{html.escape(h.checklist_version)}）: "
        + html.escape(level.get(h.computed, h.computed))
        + f" → {html.escape(level.get(h.final, h.final))}"
        + (f"（{html.escape(h.reason)}）" if h.reason else "")
        + "</li>"
        for h in history
    )
    return f"<b>{html.escape(tr('これまでの評価（履歴・記録した版のまま）'))}</b><ul>{rows}</ul>"


def _id_range(ids: Sequence[str]) -> str:
    """「R01〜R17」 for a run of consecutive ids, else the ids joined with 、."""
    numbers = [int(i[1:]) if i[:1] == "R" and i[1:].isdigit() else -1 for i in ids]
    run = len(ids) > 2 and numbers == list(range(numbers[0], numbers[0] + len(ids)))
    return f"{ids[0]}〜{ids[-1]}" if run and numbers[0] >= 0 else "、".join(ids)


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
