"""A saved consultation, read-only: every step, with its advice as it was then.

``ConsultationView(record, municipality)`` shows a ``store.consultation_record.
ConsultationRecord`` (or any object with the same attributes: a consultation received
from another centre can be shown the same way): a list of the eleven steps and, for
each, every answer and the outcome stored with the consultation. Nothing is worked
out again with today's rules; what was not stored is said to be not stored.

``show_consultation(parent, record, municipality)`` opens it in its own window
(``ConsultationDialog``, deleted on close; a lock closes it like every window).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.codes import LABELS, REFERRAL_FIELDS
from intake_app.domain.model import Intake
from intake_app.gui.accessibility import StatusLabel, leave_on_tab, order_tab_chain
from intake_app.gui.screen_fit import fit_to_screen

PREREQUISITE_LABELS = {
    "consultation_on_record": "配偶者暴力相談支援センター等への相談の記録",
    "notarized_statement": "公証人の認証を受けた書面（宣誓供述書）",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("ConsultationView", text)


def _e(value: object) -> str:
    return html.escape(str(value))


def _yes_no(value: bool | None) -> str:
    if value is None:
        return tr("不明・回答なし")
    return tr("はい") if value else tr("いいえ")


def _label(kind: str, value: str | None) -> str:
    if not value:
        return tr("不明・回答なし")
    return LABELS.get(kind, {}).get(value, value)


def _text(value: str | None) -> str:
    return value.strip() if value and value.strip() else tr("（記入なし）")


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return tr("不明・回答なし")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th align='left' valign='top'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows
    )
    return f"<table cellpadding='4'>{cells}</table>"


def _section(title: str, body: str) -> str:
    return f"<h3>{_e(title)}</h3>{body}"


def _note(text: str) -> str:
    return f"<p style='color:#5c4400'>{_e(text)}</p>"


def _items(values: Sequence[str]) -> str:
    if not values:
        return f"<p>{_e(tr('なし'))}</p>"
    return "<ul>" + "".join(f"<li>{_e(v)}</li>" for v in values) + "</ul>"


class ConsultationView(QWidget):
    """The eleven steps of one saved consultation, read-only (Ctrl+PageDown /
    Ctrl+PageUp: next / previous step)."""

    def __init__(
        self, record: Any, municipality: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.record = record
        self._destinations = {
            str(getattr(d, "id", "")): str(getattr(d, "name", ""))
            for d in (getattr(municipality, "destinations", None) or [])
        }
        layout = QVBoxLayout(self)
        self.header = StatusLabel(tr("この相談"), live=False)
        self.header.setObjectName("sectionTitle")
        self.header.setText(self.header_text())
        layout.addWidget(self.header)
        self.note = QLabel(
            tr(
                "読み取り専用です。助言は保存したときのものです（今の判断基準で計算し直してはいません）。"
            )
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        body = QHBoxLayout()
        layout.addLayout(body, 1)
        self.steps = QListWidget()
        self.steps.setAccessibleName(tr("ステップ一覧"))
        self.steps.setFixedWidth(260)
        leave_on_tab(self.steps)
        body.addWidget(self.steps)
        self.pages = QStackedWidget()
        body.addWidget(self.pages, 1)
        from intake_app.gui.intake.steps import step_titles

        gender = record.intake.client.gender
        for title, page_html in zip(step_titles(gender), self.pages_html(), strict=True):
            self.steps.addItem(title)
            page = QTextBrowser()
            page.setOpenLinks(False)
            page.setTabChangesFocus(True)
            page.setAccessibleName(tr("{}の記録").format(title))
            page.setHtml(f"<h2>{_e(title)}</h2>{page_html}")
            self.pages.addWidget(page)
        self.steps.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.steps.setCurrentRow(0)
        for key, delta in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageUp, -1)):
            shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.go_to(self.current_step() + d))

    def current_step(self) -> int:
        return self.pages.currentIndex()

    def go_to(self, index: int) -> None:
        if 0 <= index < self.pages.count():
            self.steps.setCurrentRow(index)

    def page_text(self, index: int) -> str:
        page = self.pages.widget(index)
        return page.toPlainText() if isinstance(page, QTextBrowser) else ""

    def header_text(self) -> str:
        r = self.record
        return tr("ケース {}　{}の相談（読み取り専用）").format(
            r.case_number, _date(r.consulted_on)
        )

    # --- the pages ---------------------------------------------------------------------

    def pages_html(self) -> list[str]:
        i: Intake = self.record.intake
        return [
            self._safety(i),
            self._consultation(i),
            self._client(i),
            self._household(i),
            self._violence(i),
            self._risk(),
            self._shelter(i),
            self._protection_order(i),
            self._needs(i),
            self._protection(i),
            self._summary(i),
        ]

    def _safety(self, i: Intake) -> str:
        s = i.safety
        return _rows(
            [
                (tr("いま安全な場所にいるか"), _yes_no(s.safe_now)),
                (tr("加害者が近くにいるか"), _yes_no(s.perpetrator_nearby)),
                (tr("手当てが必要なけががあるか"), _yes_no(s.injury_needs_care)),
                (tr("子どもはいま安全か"), _yes_no(s.children_safe_now)),
                (tr("とった対応"), "、".join(s.actions_taken) or tr("なし")),
            ]
        )

    def _consultation(self, i: Intake) -> str:
        c = i.consultation
        r = self.record
        return _rows(
            [
                (tr("相談の種類"), _label("kind", c.kind)),
                (tr("相談日時"), _date(c.started_at)),
                (tr("相談方法"), _label("channel", c.channel)),
                (tr("相談者"), _label("consulter", c.consulter)),
                (tr("担当者"), _text(c.counselor)),
                (tr("相談場所"), _text(c.place)),
                (tr("言語"), _text(c.language)),
                (tr("通訳が必要"), _yes_no(c.interpreter)),
                (tr("他の相談先（これまで）"), _text(c.consulted_elsewhere)),
                (tr("相談内容"), _text(c.content)),
                (tr("講じた措置"), _text(c.measures)),
                (tr("保存した人"), r.counselor or tr("不明")),
                (tr("保存した日時"), _date(r.saved_at)),
            ]
        )

    def _client(self, i: Intake) -> str:
        c = i.client
        s = c.safe_contact
        sensitive = tr("※ 機微情報")
        return _rows(
            [
                (tr("匿名の相談"), _yes_no(c.anonymous)),
                (tr("氏名"), _text(c.name)),
                (tr("ふりがな"), _text(c.kana)),
                (tr("旧姓・通称"), "、".join(c.aliases) or tr("（記入なし）")),
                (tr("生年月日"), _date(c.date_of_birth)),
                (tr("年代"), _label("age_group", c.age_group)),
                (tr("性別（本人の自認）"), _label("gender", c.gender)),
                (tr("国籍"), _text(c.nationality)),
                (tr("障害"), _yes_no(c.disability)),
                (tr("妊娠中"), _yes_no(c.pregnant)),
                (tr("電話してよい"), _yes_no(s.may_call)),
                (tr("留守電に残してよい"), _yes_no(s.may_leave_message)),
                (tr("郵便・メールを送ってよい"), _yes_no(s.may_mail)),
                (tr("連絡してよい時間帯"), _text(s.safe_times)),
                (tr("電話番号"), _text(s.phone)),
                (tr("メールアドレス"), _text(s.email)),
                (tr("住所") + f"（{sensitive}）", _text(c.address)),
                (tr("避難している"), _yes_no(c.fled)),
                (tr("現在の居場所（避難先）") + f"（{sensitive}）", _text(c.current_whereabouts)),
            ]
        )

    def _household(self, i: Intake) -> str:
        h = i.household
        parts = []
        for n, child in enumerate(h.children, start=1):
            parts.append(
                _section(
                    tr("子ども {}").format(n),
                    _rows(
                        [
                            (tr("名前"), _text(child.name)),
                            (
                                tr("年齢"),
                                tr("不明") if child.age is None else tr("{}歳").format(child.age),
                            ),
                            (tr("本人と同居"), _yes_no(child.lives_with_client)),
                            (tr("学校・保育園"), _text(child.school)),
                            (tr("暴力を見聞きした（面前DV）"), _yes_no(child.witnessed_violence)),
                            (tr("子ども自身への暴力・脅し"), _yes_no(child.directly_harmed)),
                        ]
                    ),
                )
            )
        if not h.children:
            parts.append(f"<p>{_e(tr('子どもの記録はありません。'))}</p>")
        parts.append(
            _rows(
                [
                    (tr("危険が及ぶおそれのある親族"), _yes_no(h.relatives_at_risk)),
                    (tr("親族についてのメモ"), _text(h.relatives_note)),
                ]
            )
        )
        required = self.record.child_notification_required
        notice = h.child_notification
        rows = [
            (
                tr("通告（児童虐待防止法第6条）"),
                tr("必要と判断されていました")
                if required
                else tr("必要と判断されていませんでした"),
            )
        ]
        if notice is not None:
            rows += [
                (tr("通告先"), _text(notice.notified_to)),
                (tr("通告日時"), _date(notice.notified_at)),
                (tr("方法"), _text(notice.method)),
                (tr("メモ"), _text(notice.note)),
            ]
        else:
            rows.append((tr("通告の記録"), tr("なし")))
        parts.append(_section(tr("子どもについての通告"), _rows(rows)))
        return "".join(parts)

    def _violence(self, i: Intake) -> str:
        r = i.relationship
        v = i.violence
        kinds = []
        for code, label in LABELS["violence"].items():
            if code in v.types:
                kinds.append(f"{label}: {_label('frequency', v.types[code])}")
            elif code in v.absent:
                kinds.append(f"{label}: {tr('なかった')}")
            else:
                kinds.append(f"{label}: {tr('不明・回答なし')}")
        threats = "、".join(_label("threat", t) for t in v.threats) or tr("なし")
        return _rows(
            [
                (tr("関係"), _label("relationship", r.type)),
                (tr("いま同居している"), _yes_no(r.living_together)),
                (tr("別居した日"), _date(r.separated_on)),
                (tr("別れた後も暴力が続いている"), _yes_no(r.violence_continued_after_separation)),
                (tr("相手の氏名"), _text(r.perpetrator_name)),
                (tr("相手のふりがな"), _text(r.perpetrator_kana)),
            ]
        ) + (
            _section(tr("暴力の種類"), _items(kinds))
            + _rows(
                [
                    (tr("脅しの対象"), threats),
                    (tr("最近の暴力の日"), _date(v.latest_incident_on)),
                    (tr("最近の出来事"), _text(v.latest_incident)),
                    (tr("けが"), _text(v.injuries)),
                    (tr("治療・受診"), _text(v.treatment)),
                    (tr("これまでの警察の関与"), _text(v.police_involvement)),
                    (tr("つきまとい"), _yes_no(v.stalking)),
                    (tr("GPS・紛失防止タグ等による位置の把握"), _yes_no(v.location_tracking)),
                ]
            )
        )

    def _risk(self) -> str:
        risk = self.record.risk
        if risk is None:
            return _note(tr("この相談にはリスク評価の記録が保存されていません。"))
        texts = _checklist_texts(risk.checklist_version)
        answers = []
        for item_id, answer in sorted(risk.answers.items()):
            text = texts.get(item_id, "")
            mark = tr("（重大な危険の兆候）") if item_id in risk.red_flags else ""
            answers.append(f"{item_id} {text}{mark}: {_yes_no(answer)}")
        parts = [
            _rows(
                [
                    (tr("チェックリスト"), risk.checklist_version),
                    (tr("評価した日"), _date(risk.assessed_on)),
                    (tr("「はい」の数"), str(risk.yes_count)),
                    (tr("算定した危険度"), _label("level", risk.computed)),
                    (tr("相談員の判断"), _label("level", risk.judgement)),
                    (tr("判断の理由"), _text(risk.judgement_reason)),
                    (tr("最終の危険度"), _label("level", risk.final)),
                ]
            ),
            _section(tr("回答（答えたものだけ）"), _items(answers)),
        ]
        if not texts:
            parts.append(
                _note(
                    tr(
                        "チェックリスト {} の項目の文が見つからないため、番号だけ表示しています。"
                    ).format(risk.checklist_version)
                )
            )
        parts.append(
            _note(
                tr(
                    "危険度の理由の文は保存されていません（保存されているのは回答と算定の結果です）。"
                )
            )
        )
        return "".join(parts)

    def _shelter(self, i: Intake) -> str:
        # a man's case never reads 一時保護 or the women's centre (rules.md §8.12, §9.9)
        from intake_app.domain.rules import shelter as shelter_rules
        from intake_app.gui.intake import wording

        gender = i.client.gender
        topic = wording.shelter_topic(gender)
        s = i.shelter
        names = [
            child.name or tr("子ども {}").format(n + 1)
            for n, child in enumerate(i.household.children)
            if n in s.accompanying_children
        ]
        parts = [
            _rows(
                [
                    (tr("今夜安全に過ごせる場所がある"), _yes_no(s.safe_place_tonight)),
                    (tr("本人の希望"), _label("shelter_wish", s.client_wish)),
                    (wording.shelter_request_text(gender), _yes_no(s.requested)),
                    (tr("同伴する子ども"), "、".join(names) or tr("なし")),
                    (tr("とった対応"), _text(s.actions_taken)),
                ]
            )
        ]
        stored = self.record.shelter
        if stored is None:
            parts.append(_note(tr("{}の助言は保存されていません。").format(topic)))
            return "".join(parts)
        routes = "、".join(shelter_rules.ROUTE_LABELS.get(r, r) for r in stored.routes)
        labels = (
            shelter_rules.MALE_RECOMMENDATION_LABELS
            if gender == "male"
            else shelter_rules.RECOMMENDATION_LABELS
        )
        parts.append(
            _section(
                tr("そのときの助言"),
                _rows(
                    [
                        (
                            tr("勧め"),
                            labels.get(stored.recommendation, stored.recommendation),
                        ),
                        (tr("経路"), routes or tr("なし")),
                    ]
                )
                + f"<p>{_e(tr('理由'))}:</p>"
                + _items(stored.reasons),
            )
        )
        parts.append(_note(tr("理由の根拠（条文）は保存されていません。")))
        return "".join(parts)

    def _protection_order(self, i: Intake) -> str:
        from intake_app.gui.intake.wording import (
            order_label,
            order_terms,
            route_label,
            state_label,
        )

        p = i.protection_order
        parts = [
            _rows(
                [
                    (
                        tr("生命又は心身に重大な危害を受けるおそれ"),
                        _yes_no(p.serious_harm_to_life_or_mind_likely),
                    ),
                    (
                        tr("生命又は身体に重大な危害を受けるおそれ"),
                        _yes_no(p.serious_harm_to_life_or_body_likely),
                    ),
                    (tr("住居は本人だけの所有・名義"), _yes_no(p.client_sole_owner_or_tenant)),
                    (tr("本人の意向"), _label("po_intention", p.client_intention)),
                    (tr("以前の来所相談・警察での相談"), _yes_no(p.earlier_in_person)),
                    (tr("その他の手段"), _text(p.other_routes_note)),
                ]
            )
        ]
        stored = self.record.protection_order
        if stored is None:
            parts.append(_note(tr("保護命令の助言は保存されていません。")))
            return "".join(parts)
        orders = [order_label(str(o.get("type", ""))) + order_terms(o) for o in stored.orders]
        parts.append(
            _section(
                tr("そのときの助言"),
                _rows(
                    [
                        (
                            tr("申立て"),
                            state_label(stored.state, stored.eligible),
                        ),
                        (
                            tr("申立てに必要なもの"),
                            PREREQUISITE_LABELS.get(stored.prerequisite or "", "") or tr("なし"),
                        ),
                        (
                            tr("他の手段"),
                            "、".join(route_label(r) for r in stored.alternative_routes)
                            or tr("なし"),
                        ),
                        (
                            tr("この相談は「事前の相談」になる（来所・同行）"),
                            _yes_no(stored.counts_as_prior),
                        ),
                    ]
                )
                + f"<p>{_e(tr('申立てできる命令'))}:</p>"
                + _items(orders),
            )
        )
        parts.append(_note(tr("助言の理由の文は保存されていません。")))
        return "".join(parts)

    def _needs(self, i: Intake) -> str:
        needs = "、".join(_label("need", c) for c in i.needs.categories) or tr("なし")
        parts = [_rows([(tr("困りごと"), needs), (tr("困りごとのメモ"), _text(i.needs.note))])]
        for ref in self.record.referrals:
            name = self._destinations.get(ref.destination_id) or ref.destination_id
            fields = "、".join(REFERRAL_FIELDS.get(f, f) for f in ref.fields) or tr("なし")
            consent = tr("不要（子どもについての通告）") if ref.mandatory else _yes_no(ref.consent)
            parts.append(
                _section(
                    tr("紹介先: {}").format(name),
                    _rows(
                        [
                            (tr("目的"), _text(ref.purpose)),
                            (tr("本人の同意"), consent),
                            (tr("同意の方法"), _label("consent_method", ref.consent_method)),
                            (tr("同意の日時"), _date(ref.consent_at)),
                            (tr("連絡票に載せる項目"), fields),
                            (
                                tr("住所・居場所を載せる（確認済み）"),
                                _yes_no(ref.whereabouts_confirmed),
                            ),
                            (tr("紹介した日"), _date(ref.referred_on)),
                        ]
                    ),
                )
            )
        if not self.record.referrals:
            parts.append(f"<p>{_e(tr('紹介の記録はありません。'))}</p>")
        parts.append(_note(tr("そのときの「おすすめの紹介先」は保存されていません。")))
        return "".join(parts)

    def _protection(self, i: Intake) -> str:
        a = i.address
        stored = self.record.support_measure
        rows = [
            (tr("支援措置の申出"), _yes_no(a.support_measure_applied)),
            (tr("申出日"), _date(a.applied_on)),
        ]
        if stored is not None:
            if stored.notified_on is not None:
                rows.append((tr("確認結果の連絡日"), _date(stored.notified_on)))
            if stored.start_on is not None:
                rows.append((tr("1年を数え始めた日"), _date(stored.start_on)))
            rows.append((tr("期限（保存したもの）"), _date(stored.expires_on)))
            if stored.ended_on is not None:
                rows.append((tr("終了した日"), _date(stored.ended_on)))
        elif a.support_measure_applied:
            rows.append((tr("期限"), tr("保存されていません")))
        rows += [
            (tr("追及注意（開示しない）"), _yes_no(a.do_not_disclose)),
            (tr("窓口への申し送り"), _text(a.counter_note)),
        ]
        return _rows(rows)

    def _summary(self, i: Intake) -> str:
        r = self.record
        rows = [(tr("まとめのメモ"), _text(i.summary_note))]
        if r.risk is not None:
            rows.append((tr("最終の危険度"), _label("level", r.risk.final)))
        if r.shelter is not None:
            from intake_app.domain.rules import shelter as shelter_rules
            from intake_app.gui.intake import wording

            gender = i.client.gender
            labels = (
                shelter_rules.MALE_RECOMMENDATION_LABELS
                if gender == "male"
                else shelter_rules.RECOMMENDATION_LABELS
            )
            rows.append(
                (
                    tr("{}の勧め").format(wording.shelter_topic(gender)),
                    labels.get(r.shelter.recommendation, r.shelter.recommendation),
                )
            )
        return _rows(rows)


def _checklist_texts(version: str) -> dict[str, str]:
    """The item texts of the checklist version the assessment used (data, not rules)."""
    from intake_app.domain.rules import risk

    try:
        checklist = risk.load_checklist(version)
    except Exception:  # an unknown or removed version: the ids alone are shown
        return {}
    return {item.id: item.text for item in checklist.items}


class ConsultationDialog(QDialog):
    """Its own window (not modal): the case stays usable; closed by every lock."""

    def __init__(self, record: Any, municipality: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("consultationDialog")
        self.setWindowTitle(tr("相談の記録（読み取り専用）"))
        layout = QVBoxLayout(self)
        self.view = ConsultationView(record, municipality)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("閉じる"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 1100, 760)
        order_tab_chain(self)
        self.view.steps.setFocus()

    def done(self, result: int) -> None:
        """Closing forgets what it showed."""
        self.view.record = None
        for index in range(self.view.pages.count()):
            page = self.view.pages.widget(index)
            if isinstance(page, QTextBrowser):
                page.clear()
        super().done(result)


def show_consultation(
    parent: QWidget | None, record: Any, municipality: Any = None
) -> ConsultationDialog:
    dialog = ConsultationDialog(record, municipality, parent)
    dialog.show()
    return dialog
