"""Step 7, 保護命令: eligibility, the orders, and the counselor's judgements the rules need.

Until the answers and judgements that could make the application possible are entered,
the step says 「判断待ち」 and what it waits for, never 「対象外」 (rules.md §8.8). Orders
②-⑤ last as long as the approach ban (「接近禁止命令の期間中」, §8.3); the contact ban
lists the acts it forbids (§8.4); the reasons name the answers that counted as violence
(§9.4); the law versions applied are shown under them (§8.6).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.advice import IntakeAdvice
from intake_app.domain.model import Intake
from intake_app.domain.rules.protection_order import LAW
from intake_app.gui.intake import adapters, wording
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, labels, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, TextArea, TriCombo, tr
from intake_app.gui.intake.wording import order_label, order_terms, route_label, state_heading


def orders_html(orders: list[dict[str, Any]]) -> str:
    """The orders with their terms; the contact ban with the acts it forbids."""
    items = []
    for order in orders:
        text = html.escape(order_label(order["type"]) + order_terms(order))
        acts = order.get("items") or []
        if acts:
            text += (
                "<br>"
                + html.escape(tr("禁止される行為:"))
                + "<ul>"
                + "".join(f"<li>{html.escape(act)}</li>" for act in acts)
                + "</ul>"
            )
        items.append(f"<li>{text}</li>")
    return f"<ul>{''.join(items)}</ul>"


def law_html(advice: IntakeAdvice, gender: str | None) -> str:
    """The law versions the decision applied (rules.md §8.6), and the decision-support line."""
    lines = wording.law_lines(advice.law_as_of, gender, only=(LAW,))
    return (
        "<p style='color:#555'>"
        + html.escape(tr("適用した法令（{}時点）:").format(advice.law_as_of.as_of.isoformat()))
        + "<br>"
        + "<br>".join(html.escape(line) for line in lines)
        + "</p>"
    )


class ProtectionOrderStep(Step):
    title = "7 保護命令"
    parts = ("protection_order",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        self.advice = QLabel()
        self.layout_.addWidget(advice_frame(self.advice))
        f = self.new_form(tr("相談員の判断"))
        self.mind = f.row(tr("生命又は心身に重大な危害を受けるおそれ"), TriCombo())
        self.body_ = f.row(tr("生命又は身体に重大な危害を受けるおそれ"), TriCombo())
        self.owner = f.row(tr("住居は本人だけの所有・名義"), TriCombo())
        self.intention = f.row(tr("本人の意向"), ChoiceCombo(labels("po_intention")))
        self.earlier = f.row(tr("以前の来所相談・警察での相談"), TriCombo())
        self.other = f.row(tr("その他の手段"), TextArea())
        box = QGroupBox(tr("本人に渡す案内"))
        lay = QVBoxLayout(box)
        self.discreet = QCheckBox(tr("持ち歩き用カード（予約と連絡先だけ）"))
        self.discreet.setChecked(True)  # the safer choice for a paper she carries home
        lay.addWidget(self.discreet)
        self.print_advice = PrintButton(tr("保護命令の案内を印刷"))
        self.print_advice.button.clicked.connect(self._print_advice)
        lay.addWidget(self.print_advice)
        self.layout_.addWidget(box)
        self.finish()

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "protection_order.serious_harm_to_life_or_mind_likely": self.mind,
            "protection_order.serious_harm_to_life_or_body_likely": self.body_,
            "protection_order.client_sole_owner_or_tenant": self.owner,
            "protection_order.client_intention": self.intention,
            "protection_order.earlier_in_person": self.earlier,
            "protection_order.other_routes_note": self.other,
        }

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
        advice = adapters.advice(intake, self.host.municipality)
        result = advice.protection_order
        state = advice.protection_order_state
        parts = [f"<p style='font-size:15pt'><b>{html.escape(state_heading(state))}</b></p>"]
        if state == "pending" and advice.protection_order_pending:
            waiting = "".join(f"<li>{html.escape(p)}</li>" for p in advice.protection_order_pending)
            parts.append(f"<p>{html.escape(tr('判断に必要なこと'))}:</p><ul>{waiting}</ul>")
        if result["orders"]:
            parts.append(f"<p>{html.escape(tr('申立てできる命令'))}:</p>")
            parts.append(orders_html(result["orders"]))
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
        parts.append(reasons_html(advice.protection_order_reasons))
        parts.append(law_html(advice, intake.client.gender))
        self.advice.setText("".join(parts))

    def _print_advice(self) -> None:
        intake = self.host.collect()
        municipality = self.host.municipality
        advice = adapters.advice(intake, municipality)
        discreet = self.discreet.isChecked()
        kind = "protection_order_advice_discreet" if discreet else "protection_order_advice"
        choice = self.host.ask_client_paper(kind, intake, at=self.print_advice)
        if choice is None:
            return
        if discreet:
            self.host.open_paper(
                kind,
                lambda documents: documents.discreet_card(
                    municipality,
                    appointment=choice.appointment,
                    language=choice.code,
                    centre_reviews=choice.reviews,
                ),
                at=self.print_advice,
            )
            return
        self.host.open_paper(
            kind,
            lambda documents: documents.protection_order_advice(
                intake,
                municipality,
                today=dt.date.today(),
                result=advice.protection_order,
                state=advice.protection_order_state,
                language=choice.code,
                centre_reviews=choice.reviews,
            ),
            at=self.print_advice,
        )
