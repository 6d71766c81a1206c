"""IntakeWizard: the safety-first intake, one consultation, steps 0–10.

Embedding contract (docs/internal-api.md): ``IntakeWizard(session, municipality,
*, draft_id=None, case_id=None, parent=None)``; ``finished(bool saved)``;
``save_draft_now() -> int | None`` (the lock path calls it); ``current_step()``.

The wizard holds the pages (``steps/``, one module per step), the banners, the draft
and the save. It is each step's ``StepHost``. What may be saved is decided by
``domain.validation.validate_intake`` alone; the steps show its messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain import advice as advice_rules
from intake_app.domain.errors import UserError
from intake_app.domain.model import Intake, SafetyCheck
from intake_app.domain.municipality import Municipality, resolve_municipality
from intake_app.domain.rules import support_measure
from intake_app.domain.tomlfile import ConfigError
from intake_app.domain.tracking import feed_r19, pursuit_reason
from intake_app.domain.validation import FieldError, notification_missing, validate_intake
from intake_app.gui import lock
from intake_app.gui.accessibility import StatusLabel, order_tab_chain
from intake_app.gui.intake import adapters, printing
from intake_app.gui.intake.steps import STEP_CLASSES
from intake_app.gui.intake.steps.base import Problem, Step, part_of
from intake_app.gui.intake.steps.household import HouseholdStep
from intake_app.gui.intake.steps.safety import safety_alerts
from intake_app.gui.intake.steps.summary import SummaryStep
from intake_app.gui.intake.summary_html import FollowUpChanges, summary_html
from intake_app.gui.intake.widgets import tr
from intake_app.store.outputs import paper_recorder

_log = logging.getLogger(__name__)
# A follow-up shows the previous answers on these steps and marks the ones changed
# (safety and this consultation's details are asked anew; the summary is the summary).
FOLLOW_UP_STEPS = range(2, 10)
DRAFT_DEBOUNCE_MS = 500
# One style sheet for the whole wizard (per-widget sheets would drop the large font).
WIZARD_STYLE = """
QLabel#urgentBanner { background: #b00020; color: white; font-size: 16pt;
    font-weight: bold; padding: 10px; border-radius: 4px; }
QLabel#protectBanner { background: #b00020; color: white; font-size: 14pt;
    font-weight: bold; padding: 8px; border-radius: 4px; }
QLabel#caseHeader { font-size: 13pt; font-weight: bold; color: #1a2b3c;
    border-bottom: 1px solid #9aa7b4; padding: 2px 4px; }
QLabel#followUpBanner { background: #e3f2fd; padding: 6px; }
QLabel#fieldError { color: #b00020; font-weight: bold; }
QLabel#sensitiveNote { color: #7a4b00; font-size: 11pt; }
QLabel#mandatoryTitle { color: #b00020; font-size: 16pt; font-weight: bold; }
QLabel#disclaimer { background: #fff8e1; border: 1px solid #b26a00; padding: 6px; }
QFrame#advice { border: 2px solid #1a4f8b; border-radius: 6px; background: #eef4fb; }
QFrame#mandatory { border: 3px solid #b00020; border-radius: 6px; background: #fdecee; }
QPushButton#saveButton { font-size: 15pt; padding: 8px; }
*[invalid="true"] { border: 2px solid #b00020; }
"""


class IntakeWizard(QWidget):
    """One intake, keyboard first; every change is kept as an encrypted draft."""

    finished = Signal(bool)

    def __init__(
        self,
        session: Any,
        municipality: Any,
        *,
        draft_id: int | None = None,
        case_id: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.municipality: Municipality | None
        try:
            self.municipality = resolve_municipality(municipality)
        except (ConfigError, OSError) as exc:  # the intake must open even with a broken city file
            _log.error("municipality not loaded: %s", type(exc).__name__)
            self.municipality = None  # no destinations; the needs step says why
        self.case_id = case_id
        self.draft_id = draft_id
        self.follow_up = False
        self.previous: Intake | None = None
        self.saved: Any = None
        self.error_box: QMessageBox | None = None
        self.confirmed_steps: set[int] = set()
        self._loading = True  # no change signals count until the answers are on screen
        self._dirty = False
        self._touched = False
        self.saved_case_id: int | None = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self._attempted_save = False
        self._problems: dict[int, list[Problem]] = {}
        # The status line says what a save attempt left to do and when the draft was
        # last kept, both at once (the draft timer must not hide a failed save).
        self._save_status = ""
        self._draft_status = ""

        start_step = 0
        missing_draft = False
        draft: adapters.DraftView | None = None
        if draft_id is not None:
            try:
                draft = adapters.load_draft(session, draft_id)
            except LookupError:  # deleted meanwhile: start afresh rather than fail
                missing_draft = True
                self.draft_id = None
        if draft is not None:
            self.intake = draft.intake
            start_step = draft.step
            if self.case_id is None:
                self.case_id = draft.case_id
            self.follow_up = draft.follow_up
            if self.follow_up and self.case_id is not None:
                self.previous = session.records.latest_intake(self.case_id)
        elif case_id is not None:
            self.previous = session.records.latest_intake(case_id)
            self.intake = self._follow_up_from(self.previous)
            self.follow_up = True
        else:
            self.intake = self._new_intake()
        case = adapters.open_case(session, self.case_id)
        self.case_number = case.case_number if case is not None else ""
        self.risk_history = adapters.risk_history_of(case)

        self._build()
        for page in self.pages:
            page.load(self.intake)
        self._collect()
        # What a follow-up's changes are measured against: the pre-filled start (after
        # the automatic carry-overs such as 第12条's earlier in-person consultation), as
        # the widgets hold it, so nothing counts as changed before she edits.
        self.baseline: Intake | None = None
        if self.follow_up and self.previous is not None:
            self.baseline = (
                Intake.from_dict(self.intake.to_dict())
                if draft is None
                else self._follow_up_from(self.previous)
            )
        self._update_header()
        self._update_banner()
        self._update_protect_banner()
        self._update_step_list()
        order_tab_chain(self)  # step list, the step's fields in reading order, the buttons
        self.go_to(min(max(start_step, 0), len(self.pages) - 1))
        self._loading = False
        if missing_draft:
            self._show_status(draft=tr("下書きが見つからなかったため、新しい相談として始めます"))

    # --- construction ----------------------------------------------------------------

    def _new_intake(self) -> Intake:
        intake = Intake()
        intake.consultation.started_at = dt.datetime.now().replace(second=0, microsecond=0)
        user = getattr(self.session, "user", None)
        name = getattr(user, "display_name", "") or getattr(user, "name", "")
        intake.consultation.counselor = str(name or "")
        return intake

    def _follow_up_from(self, previous: Intake) -> Intake:
        """A follow-up starts from the latest state; safety and the contact are asked anew."""
        intake = Intake.from_dict(previous.to_dict())
        fresh = self._new_intake()
        intake.safety = fresh.safety
        intake.consultation.started_at = fresh.consultation.started_at
        intake.consultation.counselor = (
            fresh.consultation.counselor or intake.consultation.counselor
        )
        if adapters.consulted_in_person(previous):
            intake.protection_order.earlier_in_person = True  # rules.md §2.4
        intake.consultation.channel = None
        intake.consultation.report_source = None  # a 通報 is the first contact, not a follow-up
        intake.consultation.content = ""
        intake.consultation.measures = ""
        intake.consultation.place = ""
        intake.risk.judgement = None
        intake.risk.judgement_reason = None
        intake.summary_note = ""
        self._feed_r19(intake)
        return intake

    def _feed_r19(self, intake: Intake) -> None:
        """The case's 追及 log answers R19 「はい」 with its reason (issue 18); raising only."""
        self.pursuit_reason = None
        tracking = getattr(self.session, "tracking", None)
        if tracking is None or self.case_id is None:
            return
        try:
            notes = tracking.case(self.case_id).pursuit_notes()
        except Exception as exc:  # the follow-up opens anyway; the store feeds R19 on save
            _log.error("pursuit log not read for R19: %s", type(exc).__name__)
            return
        self.pursuit_reason = feed_r19(
            intake.risk.answers, intake.risk.checklist_version, notes
        ) or (pursuit_reason(notes) if intake.risk.answers.get("R19") is True else None)

    def _build(self) -> None:
        self.large_font = self.font()
        self.large_font.setPointSize(max(self.large_font.pointSize(), 13))  # large, clear text
        self.setStyleSheet(WIZARD_STYLE)
        outer = QVBoxLayout(self)

        # Which client's intake is open: neutral words only (it is on screen in the room).
        self.header = StatusLabel(tr("相談の見出し"), live=False)  # follows the typed name
        self.header.setObjectName("caseHeader")
        outer.addWidget(self.header)

        self.banner = StatusLabel(tr("緊急の対応"), urgent=True)
        self.banner.setObjectName("urgentBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.banner)
        self.banner.setVisible(False)

        # The case's 支援措置 / 追及注意 stay in sight through a whole follow-up.
        self.protect_banner = StatusLabel(tr("情報の保護"), urgent=True)
        self.protect_banner.setObjectName("protectBanner")
        self.protect_banner.setWordWrap(True)
        outer.addWidget(self.protect_banner)
        self.protect_banner.setVisible(False)

        self.follow_banner = QLabel()
        self.follow_banner.setObjectName("followUpBanner")
        self.follow_banner.setWordWrap(True)
        outer.addWidget(self.follow_banner)
        self.follow_banner.setVisible(False)

        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.step_list = QListWidget()
        self.step_list.setAccessibleName(tr("ステップ一覧"))
        self.step_list.setFixedWidth(300)
        # a title with its marks (「3 子ども・世帯 通告済 変更あり」) wraps, never scrolls sideways
        self.step_list.setWordWrap(True)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self.step_list)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)

        self.pages: list[Step] = []
        for cls in STEP_CLASSES:
            page = cls(self)
            page.changed.connect(self._on_changed)
            self.pages.append(page)
            self.stack.addWidget(page)
            item = QListWidgetItem(page.shown_title(self.intake))
            self.step_list.addItem(item)
        self.step_list.currentRowChanged.connect(self._row_changed)
        self.step_list.itemActivated.connect(lambda _item: self._enter_page())
        for page in self.pages:
            if isinstance(page, HouseholdStep):
                page.child_removed_at.connect(self._child_removed)
        summary = self.pages[-1]
        assert isinstance(summary, SummaryStep)
        summary.save.clicked.connect(self.save)

        buttons = QHBoxLayout()
        self.prev_button = QPushButton(tr("前へ (Ctrl+PageUp)"))
        self.next_button = QPushButton(tr("次へ (Ctrl+PageDown)"))
        self.confirm_button = QPushButton(tr("前回どおり・確認済み (Alt+Y)"))
        self.confirm_button.setVisible(False)
        self.pause_button = QPushButton(tr("中断して下書き保存"))
        self.discard_button = QPushButton(tr("取り消し"))
        self.discard_button.clicked.connect(self.discard)
        self.prev_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.confirm_button.clicked.connect(self.confirm_step)
        self.pause_button.clicked.connect(self.pause)
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.confirm_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.discard_button)
        outer.addLayout(buttons)
        self.status = StatusLabel(tr("状態"))
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq, slot in (
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown), self.next_step),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp), self.previous_step),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_S), self.save),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_End), lambda: self.go_to(10)),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Y), self._confirm_shortcut),
        ):
            sc = QShortcut(seq, self)
            sc.setContext(ctx)
            sc.activated.connect(slot)
        for n in range(10):
            sc = QShortcut(QKeySequence(f"Alt+{n}"), self)
            sc.setContext(ctx)
            sc.activated.connect(lambda n=n: self.go_to(n))
        # A text field takes Ctrl+End for itself (the end of its text): the wizard's
        # keys come first in every field of the wizard (see eventFilter).
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.apply_font(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            new.installEventFilter(self)  # once per widget: Qt keeps one entry
            # the field stays in sight when the page above it grew (a notice appeared)
            QTimer.singleShot(0, self, self._keep_focus_in_sight)  # not after a lock

    def _keep_focus_in_sight(self) -> None:
        focus = QApplication.focusWidget()
        page = self.pages[self.current_step()] if self.pages else None
        if focus is not None and page is not None and page.isAncestorOf(focus):
            page.ensureWidgetVisible(focus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _wizard_key(event)
        ):
            event.ignore()  # not the field's: the wizard's shortcut runs
            return True
        return False

    def apply_font(self, root: QWidget) -> None:
        """The large font on ``root`` and below (with a style sheet set, Qt does not
        pass a parent's font on; a universal font rule would slow every repaint)."""
        root.setFont(self.large_font)
        for child in root.findChildren(QWidget):
            child.setFont(self.large_font)

    # --- navigation ------------------------------------------------------------------

    def current_step(self) -> int:
        return self.stack.currentIndex()

    def help_anchor(self) -> str:
        """The manual's section for the step on screen (F1: ``gui.help``)."""
        return f"intake-step-{self.current_step()}"

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.pages) and self.step_list.currentRow() != index:
            self.step_list.setCurrentRow(index)
        elif self.stack.currentIndex() != index:
            self._row_changed(index)

    def next_step(self) -> None:
        self.go_to(min(self.current_step() + 1, len(self.pages) - 1))

    def previous_step(self) -> None:
        self.go_to(max(self.current_step() - 1, 0))

    def _row_changed(self, index: int) -> None:
        if index < 0:
            return
        self._collect()
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        page.refresh(self.intake)
        page.fit_labels()
        # again once the layout has set the widths (cancelled if the page is deleted first,
        # e.g. a save right after an edit removes the wizard)
        QTimer.singleShot(0, page, page.fit_labels)
        if self._attempted_save:
            page.show_problems(self._problems.get(index, []))
        self._update_follow_up_banner()
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)
        target = page.first_input()
        if target is not None:
            page.ensureWidgetVisible(target)
            if not self.step_list.hasFocus():  # browsing the list with ↑/↓ keeps its focus
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def setFocus(self, *args: Any) -> None:
        """Focusing the wizard focuses the step's first field. (Not a focus proxy: Tab
        would then land on that field whenever it reached the wizard in the window's
        chain, so the step list before it could never be reached.)"""
        target = self.pages[self.current_step()].first_input() if self.pages else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().setFocus(*args)

    def _confirm_shortcut(self) -> None:
        if self.confirm_button.isVisible():
            self.confirm_step()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            target = self.pages[self.current_step()].first_input()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter_page(self) -> None:
        """Enter on the step list: into the step's first field."""
        target = self.pages[self.current_step()].first_input()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_step(self) -> None:
        """Follow-up: the previous answers of this step still hold."""
        self.confirmed_steps.add(self.current_step())
        self._update_step_list()
        self.next_step()

    # --- state ---------------------------------------------------------------------------

    def _collect(self) -> None:
        for page in self.pages:
            page.apply(self.intake)

    def collect(self) -> Intake:
        """The intake as the widgets show it now (what a printed paper is built from)."""
        self._collect()
        return self.intake

    def _child_removed(self, index: int) -> None:
        for page in self.pages:
            page.child_removed(index)

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._collect()
        self._dirty = True
        self._touched = True
        self.pages[self.current_step()].refresh(self.intake)
        self.pages[self.current_step()].fit_labels()
        current = self.pages[self.current_step()]
        QTimer.singleShot(0, current, current.fit_labels)
        page = self.pages[self.current_step()]
        if self._attempted_save:
            self._validate_all()
            page.show_problems(self._problems.get(self.current_step(), []))
            self._update_save_status()
        else:
            # Before a save attempt, only what was typed wrongly (a date, kana, an
            # address): "please enter" messages would nag while she is still listening.
            errors = self._errors_by_step().get(self.current_step(), [])
            page.show_problems(
                [
                    p
                    for p in page.problems(self.intake, errors)
                    if p.widget is not None and _typed(p.widget)
                ]
            )
        self._update_header()
        self._update_banner()
        self._update_step_list()
        self._draft_timer.start()

    def header_text(self) -> str:
        """Case number (or 新しい相談) and the client's name (or 匿名), as typed now."""
        number = self.case_number or tr("新しい相談")
        client = self.intake.client
        if client.anonymous or not client.name:
            return tr("{}　本人: 匿名").format(number)
        return tr("{}　本人: {}").format(number, client.name)

    def _update_header(self) -> None:
        text = self.header_text()
        if self.header.text() != text:
            self.header.setText(text)

    def _update_banner(self) -> None:
        alerts = safety_alerts(self.intake)
        findings = self.urgent_findings()
        if not alerts and not findings:
            self.banner.setVisible(False)
            self.banner.clear()
            return
        text = ""
        if alerts:
            police = adapters.police_contact(self.municipality)
            actions = [
                tr("110番（警察）"),
                tr("119番（救急）"),
                tr("警察との連携: {}").format(police),
                tr("安全な部屋へ移動"),
            ]
            text = (
                html.escape(tr("【すぐに対応】"))
                + " "
                + html.escape("／".join(actions))
                + "<br><span style='font-size:12pt'>"
                + html.escape(tr("理由: {}").format("、".join(alerts)))
                + "</span>"
            )
        if findings:
            text += ("<br>" if text else "") + "<br>".join(
                "<span style='font-size:12pt'>" + html.escape("【" + f + "】") + "</span>"
                for f in findings
            )
        if self.banner.text() != text:
            self.banner.setText(text)
        self.banner.setVisible(True)

    def urgent_findings(self) -> list[str]:
        """The domain's urgent findings beyond the safety check (an urgent risk level, the
        child notification not yet recorded, a child left with the perpetrator named
        first): they stay in sight on every step. For a man they name the police and the
        city's emergency stay, never 一時保護 (rules.md §9.9)."""
        advice = adapters.advice(self.intake, self.municipality)
        child = advice.child_notification
        return advice_rules.urgent_findings(
            dataclasses.replace(self.intake, safety=SafetyCheck()),
            advice.risk.final,
            child.required,
            child.recorded,
            child.with_perpetrator,
        )

    def protection_text(self) -> str:
        """Follow-up: the previous intake's 支援措置 / 追及注意 warning ('' when none)."""
        if self.case_id is None or self.previous is None:
            return ""
        a = self.previous.address
        parts = []
        if a.support_measure_applied:
            starts_on = (
                self.municipality.support_measure_starts_on
                if self.municipality is not None
                else "notified"
            )
            state = support_measure.measure_status(a, dt.date.today(), starts_on)
            if state is not None and state.state == "expired":
                parts.append(tr("支援措置（{}で期限切れ）").format(state.expiry.isoformat()))
            else:
                parts.append(tr("支援措置"))
        if a.do_not_disclose:
            parts.append(tr("追及注意"))
        if not parts:
            return ""
        return tr("【{}】住所・居場所・連絡先・相談の有無を本人以外に伝えないでください。").format(
            "・".join(parts)
        )

    def _update_protect_banner(self) -> None:
        text = self.protection_text()
        self.protect_banner.setText(text)
        self.protect_banner.setVisible(bool(text))

    def protection_visible(self) -> bool:
        return not self.protect_banner.isHidden()

    def urgent_visible(self) -> bool:
        return not self.banner.isHidden()

    def _update_follow_up_banner(self) -> None:
        index = self.current_step()
        show = self.follow_up and 2 <= index <= 9
        self.follow_banner.setVisible(show)
        self.confirm_button.setVisible(show)
        if show:
            reason = getattr(self, "pursuit_reason", None)
            self.follow_banner.setText(
                tr("継続相談です。前回の回答を表示しています。")
                + tr("変わった点だけ直してください。")
                + tr("変わりなければ「前回どおり・確認済み」(Alt+Y) を押してください。")
                + ("\n" + reason.line() if reason is not None else "")
            )

    def _update_step_list(self) -> None:
        child = adapters.advice(self.intake, self.municipality).child_notification
        changed = self.changed_steps()
        for i, page in enumerate(self.pages):
            marks = []
            if i == 3 and child.required:
                done = not notification_missing(self.intake.household.child_notification)
                marks.append(tr("通告済") if done else tr("【必須】通告"))
            if self._problems.get(i):
                marks.append(tr("要修正"))
            if i in changed:
                marks.append(tr("変更あり"))
            elif i in self.confirmed_steps:
                marks.append(tr("確認済"))
            page.retitle(self.intake)
            text = page.shown_title(self.intake) + (f"  {' '.join(marks)}" if marks else "")
            item = self.step_list.item(i)
            if item.text() != text:
                item.setText(text)

    def changed_steps(self) -> set[int]:
        """Follow-up: the steps whose answers differ from the pre-filled start."""
        if self.baseline is None:
            return set()
        now, before = self.intake.to_dict(), self.baseline.to_dict()
        for data in (now, before):  # the judgement is asked anew on every consultation
            data["risk"].pop("judgement", None)
            data["risk"].pop("judgement_reason", None)
        return {
            step
            for step in FOLLOW_UP_STEPS
            if any(now.get(p) != before.get(p) for p in self.pages[step].parts)
        }

    def _errors_by_step(self) -> dict[int, list[FieldError]]:
        """The domain's validation of the intake as shown, each error at the step that
        shows its part (the summary takes a part no step claims)."""
        owner = {part: i for i, page in enumerate(self.pages) for part in page.parts}
        found: dict[int, list[FieldError]] = {}
        for error in validate_intake(self.intake, dt.date.today(), self.municipality):
            step = owner.get(part_of(error.field), len(self.pages) - 1)
            found.setdefault(step, []).append(error)
        return found

    def _validate_all(self) -> list[tuple[int, Problem]]:
        errors = self._errors_by_step()
        self._problems = {}
        out = []
        for i, page in enumerate(self.pages):
            problems = page.problems(self.intake, errors.get(i, []))
            if problems:
                self._problems[i] = problems
                out += [(i, p) for p in problems]
        return out

    def problems(self) -> list[tuple[int, str]]:
        """Everything that blocks saving, as (step, Japanese message)."""
        self._collect()
        return [(i, p.message) for i, p in self._validate_all()]

    # --- drafts and saving -------------------------------------------------------------

    def save_draft_now(self) -> int | None:
        """Write the encrypted draft now (the lock path calls this); returns the draft id.

        ``None`` when nothing has been entered yet. Never opens a dialog and never
        raises: a failed write is shown in the status line and the answers stay in
        the widgets.
        """
        self._draft_timer.stop()
        self._collect()
        if self.draft_id is None and not self._touched:
            return None
        payload = adapters.draft_payload(self.intake, follow_up=self.follow_up)
        try:
            self.draft_id = self.session.records.save_draft(
                payload, step=self.current_step(), draft_id=self.draft_id, case_id=self.case_id
            )
        except Exception as exc:  # the lock path must go on whatever happens here
            message = (
                exc.message if isinstance(exc, UserError) else tr("下書きを保存できませんでした")
            )
            self._show_status(draft=message)
            _log.error("draft save failed: %s", type(exc).__name__)
            return self.draft_id
        self._dirty = False
        self._show_status(
            draft=tr("下書きを保存しました（{}）").format(dt.datetime.now().strftime("%H:%M:%S"))
        )
        return self.draft_id

    def _show_status(self, *, save: str | None = None, draft: str | None = None) -> None:
        """The status line: what the last save attempt left to do, then the draft's
        state. A draft kept after a failed save never hides why the save failed."""
        if save is not None:
            self._save_status = save
        if draft is not None:
            self._draft_status = draft
        self.status.setText(" ／ ".join(t for t in (self._save_status, self._draft_status) if t))

    def _update_save_status(self) -> None:
        """After a failed save, the count of what is left follows the corrections."""
        if not self._save_status:
            return
        count = sum(len(found) for found in self._problems.values())
        if count:
            self._show_status(save=tr("保存できません: {}件の項目を確認してください").format(count))
        else:
            self._show_status(save=tr("確認が必要な項目はなくなりました。Ctrl+S で保存できます"))

    def pause(self) -> None:
        """Stop for now; the draft stays and is offered again (home, next unlock)."""
        self.save_draft_now()
        self.finished.emit(False)

    def discard(self) -> None:
        """Cancel the intake after asking whether to throw the draft away."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("入力の取り消し"),
            tr("この相談の入力を取り消して、下書きを削除しますか？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        answer = box.exec()
        if lock.is_locking():
            return
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._draft_timer.stop()
        if self.draft_id is not None:
            self.session.records.delete_draft(self.draft_id)
            self.draft_id = None
        self._touched = False
        self.finished.emit(False)

    def save(self) -> bool:
        """Validate everything and write the consultation in one transaction."""
        self._collect()
        self._attempted_save = True
        problems = self._validate_all()
        self._update_step_list()
        if problems:
            step, first = problems[0]
            self.go_to(step)
            page = self.pages[step]
            page.show_problems(self._problems.get(step, []))
            widget = first.widget if first.widget is not None else page.first_input()
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                page.ensureWidgetVisible(widget)
            self._show_status(
                save=tr("保存できません: {}件の項目を確認してください").format(len(problems))
            )
            if self.current_step() == 10:
                self.pages[10].refresh(self.intake)
            return False
        self._draft_timer.stop()
        try:
            self.saved = self.session.records.save_intake(
                self.intake, case_id=self.case_id, draft_id=self.draft_id
            )
        except UserError as exc:
            message = exc.message
            self.save_draft_now()  # e.g. a full disk: the answers stay as a draft
            self._show_status(save=str(message))
            self.error_box = QMessageBox(
                QMessageBox.Icon.Warning, tr("保存できませんでした"), str(message), parent=self
            )
            self.error_box.open()  # not modal-blocking: a lock can close it at any time
            return False
        self.saved_case_id = self.saved.case_id
        self.draft_id = None
        self._touched = False
        self._show_status(save=tr("保存しました"), draft="")
        self.finished.emit(True)
        return True

    # --- what the steps may ask (StepHost) ---------------------------------------------

    def summary_html(self) -> str:
        """One page, urgent items first (``summary_html.summary_html`` with what only the
        wizard knows: the follow-up's changes and the problems of a save attempt)."""
        advice = adapters.advice(self.intake, self.municipality)
        changes = None
        if self.follow_up and self.previous is not None:
            if self.risk_history:  # the stored assessment, as it was made
                before = self.risk_history[-1]
                level_before, version_before = before.final, before.checklist_version
            else:
                level_before, version_before = None, None
            titles = [self.pages[i].shown_title(self.intake) for i in sorted(self.changed_steps())]
            changes = FollowUpChanges(level_before, titles, version_before)
        problems = []
        if self._attempted_save:
            problems = [
                (self.pages[step].shown_title(self.intake), p.message)
                for step, found in sorted(self._problems.items())
                for p in found
            ]
        return summary_html(
            self.intake, advice, self.municipality, changes=changes, problems=problems
        )

    def official(self, kind: str) -> dict[str, Any]:
        """An official paper's 文書番号 (taken when it is made) and the counselor's 氏名."""
        return printing.official(self.session, kind)

    def ask_client_paper(self, kind: str, intake: Intake, *, at: printing.PrintButton) -> Any:
        """The print-time choices of a paper the client takes home (language, the card's
        appointment, the safety plan's wording): ``gui.client_papers.ClientPaperChoice``,
        or None when the counselor cancelled or the paper cannot be made (the reason at
        ``at``, before anything is asked)."""
        from intake_app import documents
        from intake_app.documents import KINDS
        from intake_app.gui import client_papers

        at.refuse("")
        if not isinstance(self.municipality, Municipality):
            at.refuse(tr("市区町村の設定ファイルを読み込めないため、書類を作成できません"))
            return None
        reason = documents.client_paper_refusal(kind, self.municipality)
        if reason:
            at.refuse(reason)
            return None
        return client_papers.ask_client_paper(
            self,
            kind,
            language=client_papers.default_language(intake),
            reviews=client_papers.centre_reviews(self.session),
            title=KINDS.get(kind, ""),
        )

    def open_paper(
        self,
        kind: str,
        build: printing.Builder,
        *,
        at: printing.PrintButton,
        destination_id: str | None = None,
        title: str = "",
    ) -> Any:
        """A paper's preview, parented to the wizard; every print or PDF export made
        there is an audit entry (``store.outputs.paper_recorder``) for this case."""
        return printing.open_paper(
            self,
            self.municipality,
            kind,
            build,
            paper_recorder(self.session, kind, self.case_id, destination_id),
            at=at,
            destination_id=destination_id,
            title=title,
        )


_WIZARD_KEYS = (
    (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_End),
    (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_PageDown),
    (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_PageUp),
    (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_S),
)


def _wizard_key(event: QKeyEvent) -> bool:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return any(mods == m and event.key() == k for m, k in _WIZARD_KEYS)


def _typed(widget: QWidget) -> bool:
    text = getattr(widget, "text", None)
    if isinstance(widget, QComboBox):
        return widget.isEditable() and bool(widget.currentText().strip())
    return callable(text) and bool(str(text()).strip())
