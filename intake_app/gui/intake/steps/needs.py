"""Step 8, 困りごとと紹介: needs, suggested destinations, referrals with consent and slips.

A male client is never offered the prefectural women's centre (rules.md §9.9): its row is
hidden for him (a referral to it recorded earlier stays visible, with a note) and the
domain never suggests it. The children of a required notification are listed in the
domain's order, those staying with the perpetrator first (§9.10).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.model import Intake, Referral
from intake_app.domain.municipality import Destination, destination_label
from intake_app.domain.rules import child as child_rule
from intake_app.domain.rules import referrals as referral_rules
from intake_app.gui.accessibility import StatusLabel, refresh_tab_chain
from intake_app.gui.intake import adapters
from intake_app.gui.intake.printing import PrintButton
from intake_app.gui.intake.steps.base import Step, StepHost, advice_frame, labels, reasons_html
from intake_app.gui.intake.widgets import ChoiceCombo, DateEdit, FieldForm, TextArea, tr

REFERRAL_ATTRIBUTES = tuple(f.name for f in dataclasses.fields(Referral))
WOMEN_ONLY_KIND = "prefectural_centre"  # 一時保護 is for women (rules.md §4, §9.9)


def notification_html(intake: Intake, indexes: list[int], with_perpetrator: list[int]) -> str:
    """The children to notify about, in the domain's order (with the perpetrator first)."""
    children = intake.household.children
    names = []
    for i in indexes:
        if not 0 <= i < len(children):
            continue
        name = children[i].name.strip()
        text = tr("子ども{}人目").format(i + 1) + (f"（{name}）" if name else "")
        if i in with_perpetrator:
            text = (
                "<b style='color:#b00020'>"
                + html.escape(tr("{}【{}】").format(text, child_rule.WITH_PERPETRATOR))
                + "</b>"
            )
        else:
            text = html.escape(text)
        names.append(text)
    return (
        "<p><b>"
        + html.escape(tr("子どもについての通告の対象（児童虐待防止法第6条）"))
        + "</b>: "
        + "、".join(names)
        + "</p>"
    )


class ReferralRow(QGroupBox):
    def __init__(self, dest: Destination) -> None:
        super().__init__(destination_label(dest))  # 「（未確認）」 on an unverified one
        self.dest = dest
        self.form = FieldForm(context=dest.name)
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

    def fields(self, at: str) -> dict[str, QWidget]:
        """The widgets of the referral at model path ``at`` (``referrals[0]``)."""
        return {
            f"{at}.destination_id": self.selected,
            f"{at}.fields": self.selected,
            f"{at}.mandatory": self.selected,
            f"{at}.purpose": self.purpose,
            f"{at}.consent": self.consent,
            f"{at}.consent_method": self.method,
            f"{at}.consent_at": self.consent_at,
            f"{at}.whereabouts_confirmed": self.whereabouts,
        }

    def _enable(self, on: bool) -> None:
        """The purpose and consent rows appear once the destination is chosen."""
        for w in (self.purpose, self.consent, self.method, self.consent_at, self.whereabouts):
            show = on and (w is not self.whereabouts or self.allows_location)
            w.setEnabled(show)
            self.form.set_row_visible(w, show)
        self.print_slip.setVisible(on)
        if not on:
            self.print_slip.refuse("")


class NeedsStep(Step):
    title = "8 困りごとと紹介"
    parts = ("needs", "referrals")

    def __init__(self, host: StepHost) -> None:
        super().__init__(host)
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
        self.layout_.addWidget(advice_frame(self.suggest))
        if host.municipality is None:
            missing = QLabel(
                tr("市区町村の設定ファイルを読み込めないため、紹介先を表示できません。")
            )
            missing.setObjectName("fieldError")
            missing.setWordWrap(True)
            self.layout_.addWidget(missing)
        # Referrals recorded earlier to a destination the municipality file no longer
        # has: kept unless the counselor unticks them (one row each, built on load).
        self.extra_group = QGroupBox(tr("設定にない紹介先（これまでの記録）"))
        self.extra_lay = QVBoxLayout(self.extra_group)
        self.extra_form: FieldForm | None = None
        self._extra: list[tuple[Referral, QCheckBox]] = []
        self.extra_group.setVisible(False)
        self.layout_.addWidget(self.extra_group)
        self.rows: dict[str, ReferralRow] = {}
        for dest in adapters.destinations(host.municipality):
            row = ReferralRow(dest)
            row.form.changed.connect(self.changed.emit)
            row.print_slip.button.clicked.connect(lambda _c=False, d=dest.id: self.print_slip(d))
            self.forms.append(row.form)
            self.layout_.addWidget(row)
            self.rows[dest.id] = row
        # What each chosen referral would disclose, in her language, before she consents.
        self.print_consent = PrintButton(
            tr("紹介と同意の説明を印刷（本人用）"), tr("紹介と同意についての説明を本人用に印刷")
        )
        self.print_consent.button.clicked.connect(self._print_consent)
        self.print_consent.setVisible(False)
        self.layout_.addWidget(self.print_consent)
        self.notify_list = StatusLabel(tr("通告の対象の子ども"))
        self.notify_list.setWordWrap(True)
        self.notify_list.setTextFormat(Qt.TextFormat.RichText)
        self.notify_list.setVisible(False)
        self.layout_.addWidget(self.notify_list)
        self.print_notification = PrintButton(
            tr("子どもについての通告の記録を印刷"), tr("子どもについての通告の記録を印刷")
        )
        self.print_notification.button.clicked.connect(self._print_notification)
        self.print_notification.setVisible(False)
        self.layout_.addWidget(self.print_notification)
        self.slips = QLabel()
        self.slips.setWordWrap(True)
        self.layout_.addWidget(self.slips)
        self.finish()

    def first_input(self) -> QWidget | None:
        return next(iter(self.cats.values()), None)

    def fields(self, intake: Intake) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {}
        first_need = next(iter(self.cats.values()), None)
        if first_need is not None:
            fields["needs.categories"] = first_need
        fields["needs.note"] = self.note
        kept = {id(ref): cb for ref, cb in self._extra}
        for index, ref in enumerate(intake.referrals):
            at = f"referrals[{index}]"
            row = self.rows.get(ref.destination_id)
            if row is not None:
                fields.update(row.fields(at))
            elif id(ref) in kept:  # every problem of a kept referral shows at its row
                fields.update({f"{at}.{name}": kept[id(ref)] for name in REFERRAL_ATTRIBUTES})
        return fields

    def _rebuild_extra(self, extra: list[Referral]) -> None:
        if self.extra_form is not None:
            self.forms.remove(self.extra_form)
            self.extra_form.setParent(None)
            self.extra_form.deleteLater()
        self.extra_form = FieldForm()
        self.extra_form.changed.connect(self.changed.emit)
        self.forms.append(self.extra_form)
        self._extra = []
        for ref in extra:
            cb = self.extra_form.row(
                tr("紹介先「{}」").format(ref.destination_id),
                QCheckBox(tr("この紹介を記録に残す（外すと削除されます）")),
            )
            cb.setChecked(True)
            self._extra.append((ref, cb))
        self.extra_lay.addWidget(self.extra_form)
        self.extra_form.show()
        self.adopt_font(self.extra_form)
        self.extra_group.setVisible(bool(extra))
        refresh_tab_chain(self)

    def load(self, intake: Intake) -> None:
        for code, cb in self.cats.items():
            cb.setChecked(code in intake.needs.categories)
        self.note.setText(intake.needs.note)
        by_id = {r.destination_id: r for r in intake.referrals}
        self._rebuild_extra([r for r in intake.referrals if r.destination_id not in self.rows])
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
        refs = [ref for ref, cb in self._extra if cb.isChecked()]
        old = {r.destination_id: r for r in intake.referrals}
        # The child notification (児童虐待防止法第6条) is the one referral without consent.
        notify = child_rule.notification(intake, self.host.municipality).required
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
                    consent_at=row.consent_at.value(),
                    mandatory=notify and row.dest.kind in child_rule.CHILD_NOTIFICATION_KINDS,
                    whereabouts_confirmed=row.allows_location and row.whereabouts.isChecked(),
                )
            )
        intake.referrals = refs

    def refresh(self, intake: Intake) -> None:
        advice = adapters.advice(intake, self.host.municipality)
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
        male = intake.client.gender == "male"
        for did, row in self.rows.items():
            ref = by_id.get(did)
            note = ""
            women_only = row.dest.kind == WOMEN_ONLY_KIND
            show = not (male and women_only and ref is None)
            if row.isHidden() == show:
                row.setVisible(show)
            if male and women_only and ref is not None:
                note = (
                    "<p><b>"
                    + html.escape(
                        tr(
                            "男性の避難先は市の緊急一時避難です。この紹介は以前の記録です（外すと削除されます）。"
                        )
                    )
                    + "</b></p>"
                )
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
        self.notify_list.setVisible(child.required)
        if child.required:
            self.notify_list.setText(
                notification_html(intake, child.child_indexes, child.with_perpetrator)
            )
        self.print_notification.setVisible(child.required and child.recorded)
        self.print_consent.setVisible(bool(intake.referrals))
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
        intake = self.host.collect()
        municipality = self.host.municipality
        row = self.rows[destination_id]
        referral = next(r for r in intake.referrals if r.destination_id == destination_id)
        return self.host.open_paper(
            "referral_slip",
            lambda documents: documents.referral_slip(
                intake, municipality, referral, today=dt.date.today()
            ),
            at=row.print_slip,
            destination_id=destination_id,
            title=tr("連絡票（{}）").format(row.dest.name),
        )

    def _print_consent(self) -> Any:
        """The explanation of what each chosen referral discloses, for the client."""
        intake = self.host.collect()
        municipality = self.host.municipality
        choice = self.host.ask_client_paper("consent_explanation", intake, at=self.print_consent)
        if choice is None:
            return None
        return self.host.open_paper(
            "consent_explanation",
            lambda documents: documents.consent_explanation(
                intake,
                municipality,
                today=dt.date.today(),
                language=choice.code,
                centre_reviews=choice.reviews,
            ),
            at=self.print_consent,
        )

    def _print_notification(self) -> None:
        intake = self.host.collect()
        municipality = self.host.municipality
        advice = child_rule.notification(intake, municipality)
        self.host.open_paper(
            "child_notification",
            lambda documents: documents.child_notification_record(
                intake, municipality, today=dt.date.today(), advice=advice
            ),
            at=self.print_notification,
        )
