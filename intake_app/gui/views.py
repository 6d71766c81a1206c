"""The main window's screens: home, search, perpetrator-name check, case view."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.japanese import wareki
from intake_app.domain.model import LABELS, AddressProtection
from intake_app.domain.municipality import Municipality, SupportMeasureStart
from intake_app.domain.rules import support_measure
from intake_app.domain.rules.risk import UNASSESSED_LABEL
from intake_app.gui.accessibility import StatusLabel, tab_keys
from intake_app.gui.case_documents import (
    CLIENT_PAPERS,
    available,
    case_documents,
    no_consultation_yet,
)
from intake_app.gui.intake import wording
from intake_app.gui.models import ROW_ROLE, Column, KanaFilterProxy, RowsModel
from intake_app.gui.settings_notice import settings_notice_text, settings_notice_widgets
from intake_app.store import retention
from intake_app.store.records import (
    CaseEvent,
    CaseFile,
    ConsultationEntry,
    DecisionEntry,
    DraftInfo,
    FollowUp,
    PerpetratorHit,
    ReferralEntry,
    RiskEntry,
    SearchHit,
    SupportMeasure,
    TodayItem,
)
from intake_app.store.records.tracking import TrackingItem
from intake_app.store.users import SUPERVISOR

if TYPE_CHECKING:
    from intake_app.store.session import Session

log = logging.getLogger(__name__)
T = TypeVar("T")


def level_label(value: str | None) -> str:
    return LABELS["level"].get(value, "") if value else ""


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class RecordTable(QTableView):
    """A keyboard-friendly read-only table: Enter opens the current row."""

    activated_row = Signal(object)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.activated.connect(self._activated)
        self.doubleClicked.connect(self._activated)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activated(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated_row.emit(index.data(ROW_ROLE))


def _table(name: str, columns: list[Column[T]]) -> tuple[RecordTable, RowsModel[T]]:
    table = RecordTable(name)
    model = RowsModel(columns, table)
    table.setModel(model)
    return table, model


def label(kind: str, value: str | None) -> str:
    return LABELS.get(kind, {}).get(value, "") if value else ""


def caution_label(row: SearchHit) -> str:
    parts = []
    if row.support_measure:
        parts.append("支援措置")
    if row.do_not_disclose:
        parts.append("追及注意")
    return "・".join(parts)


def client_name(row: SearchHit | TodayItem | CaseFile, tr: Callable[[str], str]) -> str:
    """The client's name, or 「匿名」 for an anonymous consultation (no name kept)."""
    return row.name or tr("匿名")


def case_columns(tr: Callable[[str], str]) -> list[Column[SearchHit]]:
    return [
        Column(tr("ケース番号"), lambda r: r.case_number),
        Column(tr("氏名"), lambda r: client_name(r, tr)),
        Column(tr("ふりがな"), lambda r: r.kana),
        Column(tr("最終相談日"), lambda r: r.last_consulted_on),
        Column(tr("危険度"), lambda r: level_label(r.latest_risk)),
        Column(tr("注意"), caution_label),
    ]


EVENT_LABELS = {"close": "終結", "reopen": "再開"}


def draft_step_title(step: int, gender: str | None = None) -> str:
    """The step an unfinished intake stopped at, by its title (「3 子ども・世帯」)."""
    from intake_app.gui.intake.steps import step_titles  # only when drafts are listed

    titles = step_titles(gender)
    return titles[step] if 0 <= step < len(titles) else ""


BACKUP_NOTICE_STYLE = (
    "QLabel { background: #fff8e1; color: #5c4400; border-left: 4px solid #c69200;"
    " padding: 4px 8px; font-size: 13pt; }"
)


def backup_notice_text(session: Session, today: dt.date, tr: Callable[[str], str]) -> str:
    """The home screen's reminder when the last backup is older than the configured
    days (``retention.backup_overdue``), else "". Never raises: home must open."""
    try:
        # retention.backup_overdue(session, today) with one read of the audit log
        # instead of two (without an index on the action, a vault never backed up
        # is read to its first entry: about 75 ms at 300,000 entries)
        last = retention.last_backup_on(session)
        days = retention.backup_reminder_days(session)
    except Exception as exc:  # a reminder must never keep home from showing
        log.error("backup reminder not available: %s", type(exc).__name__)
        return ""
    if last is not None and (today - last).days <= days:
        return ""
    supervisor = session.user.role == SUPERVISOR
    where = (
        tr("管理者メニューからバックアップしてください。")
        if supervisor
        else tr("管理者にバックアップを依頼してください。")
    )
    if last is None:
        return tr("まだバックアップがありません。") + where
    return tr("最後のバックアップから {} 日たっています。").format((today - last).days) + where


def tracking_summary(
    items: list[TrackingItem], tr: Callable[[str], str], counts: dict[str, int] | None = None
) -> str:
    """Home's count of what is open or due, by kind, naming no client. ``counts``: the
    complete counts by kind when the list shows only the first lines (then it says so)."""
    labels = {
        "measure_lapsed": tr("期限が過ぎた支援措置"),
        "measure_unconfirmed": tr("確認先が未確認の支援措置"),
        "measure_no_checklist": tr("確認先の一覧がない支援措置"),
        "pursuit_police": tr("警察へ伝えたかが未確認の追及"),
        "court_report": tr("書面の送付日が未記録の照会"),
        "order_end": tr("1か月以内に終わる保護命令"),
        "shelter_pending": tr("結果が未記録の避難の依頼"),
        "shelter_staying": tr("退所日が未記録の入所"),
    }
    if counts is None:
        counts = {}
        for item in items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
    if not counts:
        return tr("確認・期限のある記録はありません")
    text = "、".join(
        tr("{}: {:,}件").format(label, counts[kind])
        for kind, label in labels.items()
        if kind in counts
    )
    total = sum(counts.values())
    if total > len(items):
        text += tr("（全{:,}件のうち、期限の古い順・急ぐ順に{:,}件を表示しています）").format(
            total, len(items)
        )
    return text


class HomeView(QWidget):
    """Today's consultations, follow-ups due, 支援措置 renewals, drafts to resume."""

    open_case = Signal(int)
    resume_draft = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The lists scroll together when the notices and lists are taller than the
        # window (the smallest screen is 1366x768): home never makes the window taller.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("homeScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.scroll_area.setWidget(inner)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(inner)
        # the backup reminder: visible but discreet (a thin line above the lists)
        self.backup_notice = StatusLabel(self.tr("バックアップの案内"))
        self.backup_notice.setObjectName("backupNotice")
        self.backup_notice.setWordWrap(True)
        self.backup_notice.setStyleSheet(BACKUP_NOTICE_STYLE)
        self.backup_notice.setVisible(False)
        layout.addWidget(self.backup_notice)
        # a supervisor's list of empty or unverified settings the papers need
        self.settings_notice, self.settings_notice_box = settings_notice_widgets(self.tr)
        layout.addWidget(self.settings_notice_box)
        self.today_table, self.today_model = _table(
            self.tr("今日の相談"),
            [
                Column[TodayItem](self.tr("時刻"), lambda r: (r.started_at or "")[11:16]),
                Column(self.tr("ケース番号"), lambda r: r.case_number),
                Column(self.tr("氏名"), lambda r: client_name(r, self.tr)),
                Column(self.tr("種別"), lambda r: label("kind", r.kind)),
                Column(self.tr("危険度"), lambda r: level_label(r.risk_final)),
            ],
        )
        self.follow_table, self.follow_model = _table(
            self.tr("期限の来たフォローアップ"),
            [
                Column[FollowUp](self.tr("期限"), lambda r: r.due_on),
                Column(self.tr("ケース番号"), lambda r: r.case_number),
                Column(self.tr("内容"), lambda r: r.note),
            ],
        )
        self.renewal_table, self.renewal_model = _table(
            self.tr("支援措置の更新（1か月以内）"),
            [
                Column[SupportMeasure](self.tr("期限"), lambda r: r.expires_on),
                Column(self.tr("ケース番号"), lambda r: r.case_number),
                Column(self.tr("申出日"), lambda r: r.applied_on),
            ],
        )
        # What a case follows that is open or due (支援措置の確認先, 追及, court, orders'
        # ends, 一時保護): counted above, case numbers only below (a client may be in the room).
        self.tracking_summary = QLabel()
        self.tracking_summary.setObjectName("trackingSummary")
        self.tracking_summary.setWordWrap(True)
        self.tracking_summary.setAccessibleName(self.tr("確認・期限の件数"))
        self.tracking_table, self.tracking_model = _table(
            self.tr("確認・期限"),
            [
                Column[TrackingItem](self.tr("期限"), lambda r: r.due_on or ""),
                Column(self.tr("ケース番号"), lambda r: r.case_number),
                Column(self.tr("内容"), lambda r: r.text),
            ],
        )
        head = self.tracking_table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.draft_table, self.draft_model = _table(
            self.tr("途中の入力（再開できます）"),
            [
                Column[DraftInfo](self.tr("保存日時"), lambda r: r.updated_at),
                Column(self.tr("氏名"), lambda r: r.client_name),
                Column(self.tr("ステップ"), lambda r: draft_step_title(r.step, r.gender)),
                Column(self.tr("ケース番号"), lambda r: r.case_number),
            ],
        )
        sections = [
            (self.tr("今日の相談"), self.today_table),
            (self.tr("期限の来たフォローアップ"), self.follow_table),
            (self.tr("支援措置の更新（期限まで1か月以内）"), self.renewal_table),
            (
                self.tr("確認・期限（支援措置の確認先・追及・裁判所・避難）"),
                self.tracking_table,
            ),
            (self.tr("途中の入力"), self.draft_table),
        ]
        for title, table in sections:
            layout.addWidget(_title(title))
            if table is self.tracking_table:
                layout.addWidget(self.tracking_summary)
            layout.addWidget(table)
        for table in (
            self.today_table,
            self.follow_table,
            self.renewal_table,
            self.tracking_table,
        ):
            table.activated_row.connect(self._open_case_row)
        self.draft_table.activated_row.connect(self._open_draft_row)

    def models(self) -> list[QAbstractItemModel]:
        return [
            self.today_model,
            self.follow_model,
            self.renewal_model,
            self.tracking_model,
            self.draft_model,
        ]

    def refresh(self, session: Session, today: dt.date) -> None:
        records = session.records
        home = records.home(today)
        self.today_model.set_rows(home.consultations)
        self.follow_model.set_rows(home.follow_ups_due)
        self.renewal_model.set_rows(home.renewals)
        self.tracking_model.set_rows(home.tracking)
        summary = tracking_summary(home.tracking, self.tr, home.tracking_counts or None)
        self.tracking_summary.setText(summary)
        self.tracking_summary.setAccessibleDescription(summary)
        self.draft_model.set_rows(home.drafts)
        self.show_backup_notice(backup_notice_text(session, today, self.tr))
        self.show_settings_notice(settings_notice_text(session, self.tr))

    def show_settings_notice(self, text: str) -> None:
        self.settings_notice.setText(text)
        self.settings_notice_box.setVisible(bool(text))

    def show_backup_notice(self, text: str) -> None:
        self.backup_notice.setText(text)
        self.backup_notice.setVisible(bool(text))

    def backup_notice_shown(self) -> bool:
        return not self.backup_notice.isHidden()

    def clear(self) -> None:
        self.today_model.clear()
        self.follow_model.clear()
        self.renewal_model.clear()
        self.tracking_model.clear()
        self.tracking_summary.setText("")
        self.tracking_summary.setAccessibleDescription("")
        self.draft_model.clear()
        self.show_backup_notice("")
        self.show_settings_notice("")

    def _open_case_row(self, row: TodayItem | FollowUp | SupportMeasure | TrackingItem) -> None:
        self.open_case.emit(row.case_id)

    def _open_draft_row(self, row: DraftInfo) -> None:
        self.resume_draft.emit(row.id)


class SearchView(QWidget):
    """Search by name, kana, alias/旧姓, phone or case number (kana-insensitive)."""

    open_case = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(_title(self.tr("ケースの検索")))
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setAccessibleName(self.tr("検索語"))
        self.query.setPlaceholderText(self.tr("氏名・ふりがな・旧姓・電話番号・ケース番号"))
        self.query.returnPressed.connect(self.run_search)
        self.button = QPushButton(self.tr("検索する(&F)"))
        self.button.setAccessibleName(self.tr("検索する"))
        self.button.clicked.connect(self.run_search)
        row.addWidget(self.query, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.status = StatusLabel(self.tr("検索結果の件数"))
        layout.addWidget(self.status)
        self.table, self.model = _table(self.tr("検索結果"), case_columns(self.tr))
        self.proxy = KanaFilterProxy(self.table)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # latest consultation first
        self.table.activated_row.connect(self._open)
        layout.addWidget(self.table, 1)

    def run_search(self) -> None:
        text = self.query.text().strip()
        if not text or self.session is None:
            self.model.clear()
            self.status.setText(self.tr("検索語を入力してください。"))
            return
        rows = self.session.records.search(text)
        self.model.set_rows(rows)
        self.status.setText(self.tr("{} 件").format(len(rows)))
        if rows:
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def result_count(self) -> int:
        return self.proxy.rowCount()

    def clear(self) -> None:
        self.query.clear()
        self.model.clear()
        self.status.clear()

    def _open(self, row: SearchHit) -> None:
        self.open_case.emit(row.case_id)


class PerpetratorCheckView(QWidget):
    """加害者名で確認: warns when a name asked about matches a perpetrator on file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(_title(self.tr("加害者名で確認")))
        explain = QLabel(
            self.tr(
                "問い合わせてきた人の名前を入力します。登録されている加害者と一致すると警告します。"
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setAccessibleName(self.tr("確認する名前"))
        self.query.returnPressed.connect(self.run_check)
        self.button = QPushButton(self.tr("確認(&C)"))
        self.button.setAccessibleName(self.tr("加害者名を確認する"))
        self.button.clicked.connect(self.run_check)
        row.addWidget(self.query, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.warning = StatusLabel(self.tr("加害者名の警告"), urgent=True)
        self.warning.setObjectName("perpetratorWarning")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        self.warning.setVisible(False)
        self.result = StatusLabel(self.tr("確認の結果"))
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        # issue 18: a match offers to record the enquiry in the case's 追及 log
        self.pursuit_row = QHBoxLayout()
        layout.addLayout(self.pursuit_row)
        self.pursuit_buttons: list[QPushButton] = []
        layout.addStretch(1)
        self.matches: list[PerpetratorHit] = []

    def run_check(self) -> None:
        text = self.query.text().strip()
        self.warning.setVisible(False)
        self.matches = []
        self._drop_pursuit_buttons()
        if not text or self.session is None:
            self.result.setText(self.tr("名前を入力してください。"))
            return
        self.matches = self.session.records.search_perpetrator(text)
        if self.matches:
            numbers = "、".join(m.case_number for m in self.matches)
            self.warning.setText(
                self.tr(
                    "注意: 登録されている加害者の名前と一致しました（ケース {}）。"
                    "相談者の居場所・連絡先・相談の有無を伝えないでください。"
                ).format(numbers)
            )
            self.warning.setVisible(True)
            self.result.setText(self.tr("一致: {} 件").format(len(self.matches)))
            self._offer_pursuit(text)
        else:
            # a non-match is not "all clear": the name may be new, misspelt or an alias
            self.result.setText(
                self.tr("登録されている加害者とは一致しませんでした。")
                + "\n"
                + self.tr("一致しなくても、相談の有無・居場所・連絡先は伝えないでください。")
            )

    def _offer_pursuit(self, asked_name: str) -> None:
        """One button per matched case: record this enquiry in its 追及 log."""
        self._drop_pursuit_buttons()
        for n, match in enumerate(self.matches):
            text = self.tr("追及として記録（ケース {}）…").format(match.case_number)
            button = QPushButton(text + ("(&J)" if n == 0 else ""))
            button.setAccessibleName(text)
            button.clicked.connect(
                lambda _=False, c=match.case_id, q=asked_name: self.record_pursuit(c, q)
            )
            self.pursuit_row.addWidget(button)
            self.pursuit_buttons.append(button)

    def _drop_pursuit_buttons(self) -> None:
        for button in self.pursuit_buttons:
            self.pursuit_row.removeWidget(button)
            button.deleteLater()
        self.pursuit_buttons = []

    def record_pursuit(self, case_id: int, asked_name: str) -> bool:
        """The 追及 dialog for ``case_id`` with the name asked about as who asked."""
        from intake_app.gui.case_tracking import PursuitDialog, run_dialog

        if self.session is None:
            return False
        dialog = PursuitDialog(self.session, case_id, self)
        dialog.asker.setText(asked_name)
        written = run_dialog(dialog)
        if written:
            self.result.setText(self.tr("追及の記録を保存しました。ケースの追及注意を表示します。"))
        return written

    def warning_shown(self) -> bool:
        return not self.warning.isHidden()

    def clear(self) -> None:
        self._drop_pursuit_buttons()
        self.query.clear()
        self.matches = []
        self.warning.clear()
        self.result.clear()


def measure_applied_on(case: CaseFile, address: AddressProtection | None = None) -> dt.date | None:
    """The day the case's 支援措置 was applied for: the one in force on the case, else
    the latest intake's (``AddressProtection``; the store leaves a lapsed one off)."""
    return _measure_dates(case, address)[0]


def _measure_dates(
    case: CaseFile, address: AddressProtection | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """(申出日, 連絡日) of the case's 支援措置: the one in force on the case, else the
    latest intake's."""
    if case.support_measure is not None:
        return case.support_measure.applied_on, case.support_measure.notified_on
    if address is not None and address.support_measure_applied:
        return address.applied_on, address.notified_on
    return None, None


def starts_on_of(municipality: Municipality | str | None) -> SupportMeasureStart:
    """The municipality's ``support_measure_starts_on`` ("notified" when not loaded)."""
    if isinstance(municipality, Municipality):
        return municipality.support_measure_starts_on
    return "notified"


def banner_text(
    case: CaseFile,
    today: dt.date,
    tr: Callable[[str], str],
    address: AddressProtection | None = None,
    starts_on: SupportMeasureStart = "notified",
) -> str:
    """The red banner of a case under 支援措置 or 追及注意 ("" otherwise), with the
    支援措置's last day and 「期限切れ」 once past (rules.md §5: one year, renewal is
    not automatic: a lapsed measure keeps the banner, saying so). The year counts from
    the day the municipality's setting names (rules.md §9.11)."""
    parts = []
    applied_on, notified_on = _measure_dates(case, address)
    if applied_on is not None or case.support_measure is not None:
        parts.append(tr("支援措置"))
    if case.do_not_disclose:
        parts.append(tr("追及注意"))
    if not parts:
        return ""
    text = tr("【{}】 住所・居場所・連絡先・相談の有無を、本人以外に伝えないでください。").format(
        "・".join(parts)
    )
    if applied_on is not None:
        state = support_measure.status(
            applied_on, today, notified_on=notified_on, starts_on=starts_on
        )
        if state.state == "expired":
            line = tr(
                "支援措置の期限: {}　期限切れ（更新は自動ではありません。必要なら改めて申出を）"
            ).format(wareki(state.expiry))
        elif state.state == "renewal_open":
            line = tr("支援措置の期限: {}（あと{}日・更新の申出ができます）").format(
                wareki(state.expiry), state.days_left
            )
        else:
            line = tr("支援措置の期限: {}（あと{}日）").format(
                wareki(state.expiry), state.days_left
            )
        start = state.start or applied_on
        which = tr("連絡日") if state.counted_from == "notified" else tr("申出日")
        basis = tr("起算日: {}（{}）").format(wareki(start), which)
        if notified_on is None and starts_on != "applied":
            basis += tr("・連絡日が未記録のため申出日から計算しています")
        text += "\n" + line + "　" + basis
    return text


def case_gender(case: CaseFile) -> str | None:
    """The client's gender as the latest consultation recorded it."""
    return case.consultations[-1].gender if case.consultations else None


def risk_final_label(entry: RiskEntry) -> str:
    """A stored assessment's final level, or 「未評価」 when nothing was answered or judged
    (rules.md §9.7); never recomputed."""
    if entry.answered == 0 and not entry.judgement:
        return UNASSESSED_LABEL
    return level_label(entry.final)


def po_cell(row: DecisionEntry) -> str:
    """The stored protection-order decision: 判断待ち / 対象になり得る / 対象外."""
    return wording.state_label(row.po_state, row.po_eligible)


def po_orders_cell(row: DecisionEntry) -> str:
    """The stored orders with their terms (orders ②-⑤: 接近禁止命令の期間中)."""
    orders = row.po_order_details or [{"type": t} for t in row.po_orders]
    return "、".join(
        wording.order_label(str(o.get("type", ""))) + wording.order_terms(o) for o in orders
    )


class CaseView(QWidget):
    """One case: banner, timeline, risk history, referrals and decisions, and the
    buttons of the papers that apply to it (``document_requested(kind)``)."""

    follow_up = Signal(int)
    document_requested = Signal(str)
    # Enter / double-click on a consultation: its read-only view (an audited read)
    consultation_requested = Signal(int)
    # the case's lifecycle (終結 / 再開) and a follow-up date: the main window runs the
    # dialogs and opens the case again afterwards
    close_requested = Signal(int)
    reopen_requested = Signal(int)
    schedule_requested = Signal(int)
    # 他のセンターへ引継ぎ: the main window opens the send dialog (gui.handoff)
    handoff_requested = Signal(int)

    def __init__(
        self,
        case: CaseFile,
        municipality: Municipality | str | None = None,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        address: AddressProtection | None = None,
    ) -> None:
        """``address``: the latest intake's ``AddressProtection`` (the 支援措置 as applied
        for, and the note for counter staff); without it the case row's copy is used.
        ``municipality``: the loaded file (destination names), or its id when it could
        not be loaded (the destinations then show as ids)."""
        super().__init__(parent)
        self.case_id = case.case_id
        today = today or dt.date.today()
        # the next open follow-up: the default appointment on the client's card
        self.next_follow_up: dt.date | None = min(
            (f.due_on for f in case.follow_ups if f.done_on is None and f.due_on >= today),
            default=None,
        )
        destinations = (
            {d.id: d.name for d in municipality.destinations}
            if isinstance(municipality, Municipality)
            else {}
        )
        layout = QVBoxLayout(self)
        # A man's case never reads 一時保護 (rules.md §9.9): the city's emergency stay.
        gender = case_gender(case)
        self.gender = gender  # the hand-off names the shelter part by it
        topic = wording.shelter_topic(gender)
        assessed = {r.consultation_id: r for r in case.risk_history}
        # Every part is put into the layout before it is shown or hidden: a widget
        # without a parent that is shown opens as a window of its own for a moment.
        self.banner = StatusLabel(self.tr("開示禁止の警告"), urgent=True)
        self.banner.setText(banner_text(case, today, self.tr, address, starts_on_of(municipality)))
        self.banner.setObjectName("alertBanner")
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        self.banner.setVisible(bool(self.banner.text()))
        # the note for counter staff (AddressProtection.counter_note of the latest intake)
        note = (address.counter_note if address is not None else case.counter_note).strip()
        self.counter_note = StatusLabel(self.tr("窓口への申し送り"))
        self.counter_note.setText(self.tr("窓口への申し送り: {}").format(note) if note else "")
        self.counter_note.setObjectName("counterNote")
        self.counter_note.setWordWrap(True)
        layout.addWidget(self.counter_note)
        self.counter_note.setVisible(bool(note))
        number = case.case_number
        kana = case.kana
        header = StatusLabel(self.tr("ケースの見出し"), live=False)
        header.setText(
            self.tr("ケース {}　{}（{}）").format(number, client_name(case, self.tr), kana)
            if kana
            else self.tr("ケース {}　{}").format(number, client_name(case, self.tr))
        )
        header.setObjectName("sectionTitle")
        layout.addWidget(header)
        self.header = header
        self.status_label = StatusLabel(self.tr("ケースの状態"))
        self.status_label.setText(
            self.tr("このケースは終結しています（{}）").format(case.closed_on or "")
            if case.closed
            else ""
        )
        self.status_label.setObjectName("caseStatus")
        layout.addWidget(self.status_label)
        self.status_label.setVisible(bool(self.status_label.text()))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("ケースの内容"))
        tab_keys(self.tabs)  # Ctrl+PageDown / Ctrl+PageUp, as in the intake
        self.timeline_table, self.timeline_model = _table(
            self.tr("相談の経過"),
            [
                Column[ConsultationEntry](self.tr("相談日"), lambda r: r.consulted_on),
                Column(self.tr("種別"), lambda r: label("kind", r.kind)),
                Column(self.tr("方法"), lambda r: label("channel", r.channel)),
                Column(
                    self.tr("危険度"),
                    lambda r: (
                        risk_final_label(assessed[r.id])
                        if r.id in assessed
                        else level_label(r.risk_final)
                    ),
                ),
                Column(
                    topic,
                    lambda r: wording.short_recommendation(r.shelter_recommendation, r.gender),
                ),
            ],
        )
        self.risk_table, self.risk_model = _table(
            self.tr("危険度の推移"),
            [
                Column[RiskEntry](self.tr("日付"), lambda r: r.assessed_on),
                Column(self.tr("チェックリストの版"), lambda r: r.checklist_version),
                Column(self.tr("最終"), risk_final_label),
                Column(self.tr("算定"), lambda r: level_label(r.computed)),
                Column(self.tr("はい"), lambda r: r.yes_count),
                Column(self.tr("判断の理由"), lambda r: r.judgement_reason),
            ],
        )
        self.referral_table, self.referral_model = _table(
            self.tr("つなぎ先"),
            [
                Column[ReferralEntry](self.tr("日付"), lambda r: r.referred_on),
                Column(
                    self.tr("つなぎ先"),
                    lambda r: destinations.get(r.destination_id) or r.destination_id,
                ),
                Column(self.tr("目的"), lambda r: r.purpose),
                Column(self.tr("同意"), lambda r: r.consent),
            ],
        )
        self.decision_table, self.decision_model = _table(
            self.tr("判断・措置"),
            [
                Column[DecisionEntry](self.tr("相談日"), lambda r: r.consulted_on),
                Column(
                    self.tr("{}の判断").format(topic),
                    lambda r: wording.short_recommendation(r.shelter_recommendation, r.gender),
                ),
                Column(self.tr("本人の希望"), lambda r: label("shelter_wish", r.shelter_wish)),
                Column(self.tr("保護命令"), po_cell),
                Column(self.tr("申立てできる命令"), po_orders_cell),
                Column(self.tr("申立て"), lambda r: label("po_intention", r.po_intention)),
            ],
        )
        self.tabs.addTab(self.timeline_table, self.tr("相談の経過"))
        self.tabs.addTab(self.risk_table, self.tr("危険度"))
        self.tabs.addTab(self.referral_table, self.tr("つなぎ先"))
        self.follow_table, self.follow_model = _table(
            self.tr("フォローアップと経過"),
            [
                Column[FollowUp | CaseEvent](
                    self.tr("日付"), lambda r: r.due_on if isinstance(r, FollowUp) else r.at
                ),
                Column(
                    self.tr("内容"),
                    lambda r: (
                        self.tr("フォローアップ")
                        if isinstance(r, FollowUp)
                        else EVENT_LABELS.get(r.kind, "") or self.tr("フォローアップ")
                    ),
                ),
                Column(
                    self.tr("メモ・理由"), lambda r: r.note if isinstance(r, FollowUp) else r.reason
                ),
                Column(self.tr("完了日"), lambda r: r.done_on if isinstance(r, FollowUp) else None),
            ],
        )
        self.tabs.addTab(self.decision_table, self.tr("判断・措置"))
        self.tabs.addTab(self.follow_table, self.tr("フォローアップ・経過"))
        layout.addWidget(self.tabs, 1)
        actions = QHBoxLayout()
        layout.addLayout(actions)  # before its buttons are shown or hidden
        self.follow_button = QPushButton(self.tr("続きの相談を入力(&A)"))
        self.follow_button.setAccessibleName(self.tr("このケースの続きの相談を入力"))
        self.follow_button.clicked.connect(self._follow_up)
        actions.addWidget(self.follow_button)
        # mnemonics: the paper buttons use Alt+R/O/T/P/D, the window Alt+H/S/K/N/M
        self.schedule_button = QPushButton(self.tr("フォローアップ予定(&F)"))
        self.schedule_button.setObjectName("scheduleFollowUpButton")
        self.schedule_button.setAccessibleName(self.tr("このケースのフォローアップ予定を入れる"))
        self.schedule_button.clicked.connect(lambda: self._emit(self.schedule_requested))
        actions.addWidget(self.schedule_button)
        self.closed = case.closed
        self.close_button = QPushButton(self.tr("終結(&E)"))
        self.close_button.setObjectName("closeCaseButton")
        self.close_button.setAccessibleName(self.tr("このケースを終結する"))
        self.close_button.clicked.connect(lambda: self._emit(self.close_requested))
        actions.addWidget(self.close_button)
        self.close_button.setVisible(not self.closed)
        self.reopen_button = QPushButton(self.tr("再開(&U)"))
        self.reopen_button.setObjectName("reopenCaseButton")
        self.reopen_button.setAccessibleName(self.tr("終結したこのケースを再開する"))
        self.reopen_button.clicked.connect(lambda: self._emit(self.reopen_requested))
        actions.addWidget(self.reopen_button)
        self.reopen_button.setVisible(self.closed)
        self.handoff_button = QPushButton(self.tr("他のセンターへ引継ぎ(&G)"))
        self.handoff_button.setObjectName("handoffButton")
        self.handoff_button.setAccessibleName(
            self.tr("このケースを他のセンターへ引き継ぐ（暗号化したファイルを書き出す）")
        )
        self.handoff_button.clicked.connect(lambda: self._emit(self.handoff_requested))
        actions.addWidget(self.handoff_button)
        actions.addStretch(1)
        self.document_buttons: dict[str, QPushButton] = {}
        # two rows, so the buttons fit the smallest screen: papers sent to other offices,
        # then the papers she takes home
        papers = QHBoxLayout()
        papers.addWidget(QLabel(self.tr("書類:")))
        client_papers = QHBoxLayout()
        client_papers.addWidget(QLabel(self.tr("本人に渡す書類:")))
        applies = available(case)
        for doc in case_documents():
            if doc.kind not in applies:
                continue
            button = QPushButton(doc.button)
            button.setObjectName(f"document_{doc.kind}")
            button.setAccessibleName(doc.accessible_name)
            button.clicked.connect(lambda _=False, k=doc.kind: self.document_requested.emit(k))
            (client_papers if doc.kind in CLIENT_PAPERS else papers).addWidget(button)
            self.document_buttons[doc.kind] = button
        for row in (papers, client_papers):
            row.addStretch(1)
            layout.addLayout(row)
        self.document_message = StatusLabel(self.tr("書類についてのお知らせ"), urgent=True)
        self.document_message.setObjectName("documentMessage")
        self.document_message.setWordWrap(True)
        self.document_message.setStyleSheet("color: #a00000;")
        layout.addWidget(self.document_message)
        self.document_message.setVisible(False)
        if not case.consultations:
            self.show_document_message(no_consultation_yet())
        self.timeline_table.activated_row.connect(self._consultation_row)
        self.timeline_table.setToolTip(self.tr("Enter で、この相談の記録をすべて表示します"))
        self.timeline_model.set_rows(case.consultations)
        self.risk_model.set_rows(case.risk_history)
        self.referral_model.set_rows(case.referrals)
        self.decision_model.set_rows(case.decisions)
        self.follow_model.set_rows([*case.follow_ups, *case.events])

    def banner_shown(self) -> bool:
        return not self.banner.isHidden()

    def show_document_message(self, text: str) -> None:
        self.document_message.setText(text)
        self.document_message.setVisible(bool(text))

    def models(self) -> list[QAbstractItemModel]:
        return [
            self.timeline_model,
            self.risk_model,
            self.referral_model,
            self.decision_model,
            self.follow_model,
        ]

    def clear(self) -> None:
        """Forget every row shown (before the view is destroyed at a lock)."""
        self.timeline_model.clear()
        self.risk_model.clear()
        self.referral_model.clear()
        self.decision_model.clear()
        self.follow_model.clear()

    def _follow_up(self) -> None:
        self.follow_up.emit(self.case_id)

    def _consultation_row(self, row: ConsultationEntry) -> None:
        self.consultation_requested.emit(row.id)

    def _emit(self, signal: SignalInstance) -> None:
        signal.emit(self.case_id)
