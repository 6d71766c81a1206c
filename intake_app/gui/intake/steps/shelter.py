"""Step 6, 一時保護 (for a man 緊急一時避難): the advice, the client's wish, the request and
the safety plan.

For a male client nothing here names 一時保護 or the prefectural women's centre
(rules.md §8.12, §9.9): the title, the request tick and the recommendation read as the
city's emergency stay, and the 一時保護依頼票 (a request to the women's centre) is not
offered.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from intake_app.domain.model import Child, Intake
from intake_app.domain.rules import shelter as shelter_rules
from intake_app.gui.accessibility import refresh_tab_chain
from intake_app.gui.intake import adapters, wording
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, labels, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, TextArea, TriCombo, tr


class ShelterStep(Step):
    title = "6 一時保護"
    parts = ("shelter",)

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
        self.advice = QLabel()
        self.layout_.addWidget(advice_frame(self.advice))
        f = self.new_form()
        self.safe_place = f.row(tr("今夜安全に過ごせる場所がある"), TriCombo())
        self.wish = f.row(tr("本人の希望"), ChoiceCombo(labels("shelter_wish")))
        self.requested = f.row(tr("依頼"), QCheckBox(wording.shelter_request_text(None)))
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
        # Words such as 「持ち出すもの」 show the plan's purpose if it is found.
        self.plan_note = QLabel(
            tr(
                "「持ち出すもの」などの言葉は、メモが見つかったときに目的がわかってしまいます。印刷のときに目立たない言い方を選べます（おすすめ）。"
            )
        )
        self.plan_note.setWordWrap(True)
        self.layout_.addWidget(self.plan_note)
        self.print_contacts = PrintButton(tr("相談窓口のご案内を印刷"))
        self.print_contacts.button.clicked.connect(self._print_contacts)
        self.layout_.addWidget(self.print_contacts)
        self._selected: list[int] = []
        self.finish()

    def shown_title(self, intake: Intake) -> str:
        return wording.shelter_step_title(intake.client.gender)

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        return {
            "shelter.safe_place_tonight": self.safe_place,
            "shelter.client_wish": self.wish,
            "shelter.requested": self.requested,
            "shelter.accompanying_children": self.children_group,
            "shelter.actions_taken": self.actions_text,
        }

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
                self._label_check(cb, child_label(intake.household.children[i], i))
            return
        for cb in self.child_checks:
            cb.setParent(None)
            cb.deleteLater()
        self.child_checks = []
        for i, child in enumerate(intake.household.children):
            cb = QCheckBox()
            self._label_check(cb, child_label(child, i))
            self.adopt_font(cb)
            cb.setChecked(i in self._selected)
            cb.toggled.connect(self._emit_changed)
            self.children_lay.addWidget(cb)
            cb.show()  # added to a group already shown: not shown by itself
            self.child_checks.append(cb)
        self.children_group.setVisible(bool(self.child_checks))
        refresh_tab_chain(self)  # the boxes right after 依頼, where they are shown

    @staticmethod
    def _label_check(check: QCheckBox, text: str) -> None:
        check.setText(text)
        check.setAccessibleName(tr("同伴する子ども: {}").format(text))

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
        gender = intake.client.gender
        self.retitle(intake)
        text = wording.shelter_request_text(gender)
        if self.requested.text() != text:
            self.requested.setText(text)
        view = adapters.advice(intake, self.host.municipality).shelter
        rec = view.label or shelter_rules.recommendation_label(view.recommendation, gender)
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
        # The request sheet once a request is made (never against the client's wish, and
        # never for a man: it goes to the women's centre); the safety plan where the
        # client does not wish protection.
        self.print_request.setVisible(
            intake.shelter.requested
            and not view.safety_plan
            and wording.offers_shelter_request(gender)
        )
        self.print_plan.setVisible(view.safety_plan)
        self.plan_note.setVisible(view.safety_plan)

    def _print_request(self) -> None:
        intake = self.host.collect()
        if not wording.offers_shelter_request(intake.client.gender):
            return  # the button is hidden for a man; a stray shortcut does nothing
        municipality = self.host.municipality
        advice = adapters.advice(intake, municipality)
        self.host.open_paper(
            "shelter_request",
            lambda documents: documents.shelter_request(
                intake,
                municipality,
                today=dt.date.today(),
                advice=advice.shelter,
                risk_level=advice.risk.final,
            ),
            at=self.print_request,
            destination_id=adapters.first_destination_id(municipality, "prefectural_centre"),
        )

    def _print_plan(self) -> None:
        intake = self.host.collect()
        municipality = self.host.municipality
        choice = self.host.ask_client_paper("safety_plan", intake, at=self.print_plan)
        if choice is None:
            return
        self.host.open_paper(
            "safety_plan",
            lambda documents: documents.safety_plan(
                intake,
                municipality,
                today=dt.date.today(),
                wording=choice.wording,
                language=choice.code,
                centre_reviews=choice.reviews,
            ),
            at=self.print_plan,
        )

    def _print_contacts(self) -> None:
        intake = self.host.collect()
        municipality = self.host.municipality
        choice = self.host.ask_client_paper("contacts", intake, at=self.print_contacts)
        if choice is None:
            return
        self.host.open_paper(
            "contacts",
            lambda documents: documents.contacts(
                municipality, language=choice.code, centre_reviews=choice.reviews
            ),
            at=self.print_contacts,
        )


def child_label(child: Child, i: int) -> str:
    age = tr("年齢不明") if child.age is None else tr("{}歳").format(child.age)
    name = child.name or tr("子ども {}").format(i + 1)
    return f"{name}（{age}）"
