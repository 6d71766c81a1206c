"""Step 7, 保護命令: eligibility, the orders, and the counselor's judgements the rules need."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.model import Intake
from intake_app.gui.intake import adapters
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, labels, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, TextArea, TriCombo, tr


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


def order_terms(order: dict[str, Any]) -> str:
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
        result = adapters.advice(intake, self.host.municipality).protection_order
        eligible = bool(result["eligible"])
        head = tr("申立ての対象になり得ます") if eligible else tr("現在の記録では対象外です")
        parts = [f"<p style='font-size:15pt'><b>{html.escape(head)}</b></p>"]
        if result["orders"]:
            items = "".join(
                f"<li>{html.escape(order_label(o['type']))}" + html.escape(order_terms(o)) + "</li>"
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
