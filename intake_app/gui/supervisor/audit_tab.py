"""Audit log viewer: filters, the chain's verification status, export of entries.

Entries hold who, when, what action and an object id, never a record's content,
so exporting them discloses no consultation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import UserError
from intake_app.gui.accessibility import StatusLabel, buddy, leave_on_tab
from intake_app.gui.supervisor import common
from intake_app.store import audit_log
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.audit import AuditEntry
    from intake_app.store.session import Session

PAGE_SIZE = audit_log.PAGE_SIZE
ALL = ""
# Every action the program writes to the audit log, as the supervisor reads it. The
# CSV export keeps the code (the column 操作 of the file); the screen shows the label.
# tests/unit/test_audit_labels.py fails when the code writes an action missing here.
ACTION_LABELS = {
    "vault_create": "保管庫の作成",
    "unlock": "ログイン",
    "unlock_failures": "ログイン失敗の記録",
    "lock": "ロック",
    "reauth": "管理者機能の再確認",
    "reauth_failed": "管理者機能の再確認に失敗",
    "supervisor_area_denied": "管理者機能の拒否",
    "user_add": "利用者の追加",
    "user_disable": "利用者の無効化",
    "user_list": "利用者一覧の表示",
    "passphrase_reset": "パスフレーズの再設定",
    "passphrase_change": "パスフレーズの変更",
    "passphrase_recovered": "回復キーでパスフレーズを再設定",
    "recovery_key_regenerate": "回復キーの再発行",
    "backup": "バックアップ",
    "restore": "復元",
    "rekey": "暗号の鍵の取り替え",
    "prune_copies": "古いコピーの削除",
    "prune_copies_failed": "古いコピーの削除に失敗",
    "verify": "検査",
    "vault_check": "ログイン後の検査（異常なし）",
    "integrity_check_after_crash": "異常終了後の検査（異常なし）",
    "wal_set_aside": "壊れた一時ファイルの退避（保存はすべて本体にあり）",
    "throttle_edited": "ログイン失敗の記録の改ざん",
    "audit_log_view": "監査ログの表示",
    "audit_export": "監査ログの保存",
    "stats_view": "統計の表示",
    "stats_years": "統計年度の一覧",
    "stats_export": "統計の出力",
    "stats_denied": "統計出力の拒否",
    "retention_list": "保存期間経過ケースの一覧",
    "case_destroyed": "ケースの削除（保存期間経過）",
    "settings_changed": "設定の変更",
    "home": "ホーム画面の表示",
    "search": "ケースの検索",
    "search.perpetrator": "加害者名の確認",
    "case.open": "ケースの閲覧",
    "case.latest_intake": "前回の相談記録の読み込み",
    "case.intakes": "ケースの相談記録の読み込み（書類作成）",
    "case.close": "ケースの終結",
    "case.reopen": "ケースの再開",
    "consultation.open": "相談記録の閲覧",
    "follow_up.add": "フォローアップ予定の追加",
    "follow_up.complete": "フォローアップの完了",
    "intake.save": "相談記録の保存",
    "intake.save_batch": "相談記録の一括保存（練習用データ）",
    "draft.create": "途中の入力の作成",
    "draft.list": "途中の入力の一覧",
    "draft.resume": "途中の入力の再開",
    "draft.delete": "途中の入力の削除",
    "print": "印刷",
    "export_pdf": "PDFとして保存",
    "settings_import": "設定の取り込み",
    "paper_language_reviewed": "本人用書類の翻訳の確認",
    "paper_language_review_withdrawn": "本人用書類の翻訳の確認の取り消し",
    "settings_export": "設定の書き出し",
    "settings_history": "設定の履歴の表示",
    "settings_shipped_accept": "配布された設定の取り込み",
    "settings_shipped_decline": "配布された設定を見送り",
    "settings_shipped_reviewed": "配布された設定の確認",
    "document_number": "文書番号の発行",
    "document_numbers_view": "文書番号の一覧",
    "user_display_name": "氏名の変更",
    "case_list": "ケース番号の一覧（引継ぎの受け取り）",
    "case.handoff_history": "引継ぎの履歴の閲覧",
    "handoff_send": "他のセンターへの引継ぎ（書き出し）",
    "handoff_accept": "引継ぎの受け取り",
    "handoff_decline": "引継ぎの受け取りを断る",
    "handoff_key_create": "引継ぎ用の鍵の作成",
    "handoff_card_export": "引継ぎ用の公開カードの書き出し",
    "handoff_centre_add": "引継ぎ先センターの登録",
    "handoff_centre_remove": "引継ぎ先センターの削除",
    # what a case follows, and the official return (issue 18)
    "case.tracking": "確認・記録の閲覧",
    "support_measure.checklist": "支援措置の確認先の一覧の作成",
    "support_measure.confirm": "支援措置の確認先の確認",
    "support_measure.end": "支援措置の終了",
    "pursuit.add": "追及の記録",
    "pursuit.police": "追及の記録（警察への連絡）",
    "pursuit.correct": "追及の記録の訂正",
    "court_request.add": "裁判所からの照会の記録",
    "court_request.sent": "裁判所への書面の送付日",
    "court_request.correct": "裁判所からの照会の記録の訂正",
    "court_order.add": "保護命令発令の通知の記録",
    "court_order.breach": "保護命令の違反の記録",
    "shelter_outcome.add": "一時保護・避難の依頼の記録",
    "shelter_outcome.update": "一時保護・避難の結果の記録",
    "official_return_view": "報告用集計の表示",
    "official_return_export": "報告用集計の出力（秘匿なし）",
    "official_return_denied": "報告用集計の出力の拒否",
    "demo.tracking": "練習用データの確認・記録の作成",
}


def action_label(action: str) -> str:
    """The Japanese name of an audit action (an unknown code is shown as it is)."""
    return ACTION_LABELS.get(action, action)


def _local(at: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(at)
    return moment.astimezone() if moment.tzinfo is not None else moment


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class AuditTab(QWidget):
    """The filters run in SQL (``store.audit_log``): a page of ``PAGE_SIZE`` entries at a
    time, newest first, with the previous and next pages a key press away."""

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, today: dt.date | None = None
    ):
        super().__init__(parent)
        self._session = session
        self.shown: list[AuditEntry] = []
        # the cursors of the pages before the one shown (keyset paging: going back pops)
        self._cursors: list[audit_log.Cursor | None] = []
        self._cursor: audit_log.Cursor | None = None
        self._older: audit_log.Cursor | None = None
        today = today or dt.date.today()
        layout = QVBoxLayout(self)
        # two rows, so the tab fits the smallest screen (1366 pixels wide)
        filters = QHBoxLayout()
        period = QHBoxLayout()
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        # the labels are long: the list opens wide, the box stays narrow on a small screen
        self.action.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.action.setMinimumContentsLength(14)
        self.target = QLineEdit()
        self.target.setObjectName("auditTarget")
        self.target.setPlaceholderText(self.tr("例: case:12 や 2024-0003"))
        self.target.returnPressed.connect(self.apply_filter)
        self.date_from = QDateEdit(QDate(today.year, today.month, today.day).addDays(-30))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        for text, field in (
            (self.tr("利用者(&U)"), self.user),
            (self.tr("操作(&O)"), self.action),
            (self.tr("ケース・対象(&T)"), self.target),
            (self.tr("期間(&F)"), self.date_from),
            (self.tr("まで(&E)"), self.date_to),
        ):
            label = buddy(QLabel(text), field)
            if field is self.date_to:  # 「2026-11-01 〜 2026-11-30 まで」
                period.addWidget(QLabel("〜"))
                period.addWidget(field)
                period.addWidget(label)
            elif field is self.date_from:
                period.addWidget(label)
                period.addWidget(field)
            else:
                filters.addWidget(label)
                filters.addWidget(field, 1)
        self.date_from.setAccessibleName(self.tr("期間の初め"))
        self.date_to.setAccessibleName(self.tr("期間の終わり"))
        self.search_button = QPushButton(self.tr("絞り込む"))
        self.search_button.setAccessibleName(self.tr("監査ログを絞り込む"))
        self.search_button.clicked.connect(self.apply_filter)
        period.addWidget(self.search_button)
        period.addStretch(1)
        layout.addLayout(filters)
        layout.addLayout(period)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(self.tr("監査ログ"))
        leave_on_tab(self.table)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("番号"),
                self.tr("日時"),
                self.tr("利用者"),
                self.tr("操作"),
                self.tr("対象"),
                self.tr("詳細"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)

        paging = QHBoxLayout()
        self.newer_button = QPushButton(self.tr("前のページ (Alt+B)"))
        self.newer_button.setObjectName("auditNewer")
        self.newer_button.setAccessibleName(self.tr("前のページ（新しい記録）"))
        self.newer_button.clicked.connect(self.newer_page)
        self.page_label = StatusLabel(self.tr("監査ログのページ"), live=False)
        self.page_label.setObjectName("auditPage")
        self.older_button = QPushButton(self.tr("次のページ (Alt+N)"))
        self.older_button.setObjectName("auditOlder")
        self.older_button.setAccessibleName(self.tr("次のページ（古い記録）"))
        self.older_button.clicked.connect(self.older_page)
        for keys, button in (("Alt+N", self.older_button), ("Alt+B", self.newer_button)):
            shortcut = QShortcut(QKeySequence(keys), self, button.click)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paging.addWidget(self.newer_button)
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.older_button)
        layout.addLayout(paging)

        bottom = QHBoxLayout()
        self.chain_status = StatusLabel(self.tr("監査ログの検査結果"))
        self.chain_status.setText(self.tr("監査ログの改ざん検査: まだしていません"))
        self.chain_status.setObjectName("chainStatus")
        self.chain_status.setWordWrap(True)
        bottom.addWidget(self.chain_status, 1)
        self.verify_button = QPushButton(self.tr("改ざんがないか検査"))
        self.verify_button.clicked.connect(self.verify)
        bottom.addWidget(self.verify_button)
        self.reload_button = QPushButton(self.tr("再読み込み"))
        self.reload_button.clicked.connect(self.reload)
        bottom.addWidget(self.reload_button)
        self.export_button = QPushButton(self.tr("絞り込んだ記録をCSVで保存…"))
        self.export_button.clicked.connect(self.export)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self.reload()

    def current_filter(self) -> audit_log.AuditFilter:
        return audit_log.AuditFilter(
            start=_day(self.date_from.date()),
            end=_day(self.date_to.date()),
            user_name=self.user.currentData() or ALL,
            action=self.action.currentData() or ALL,
            object_id=self.target.text().strip(),
        )

    def reload(self) -> None:
        """The filters' choices from the log (index lookups), then the first page."""
        try:
            users, actions = audit_log.filter_choices(self._session)
        except VaultError as exc:
            self.chain_status.setText(exc.message)
            return
        for combo, values in ((self.user, users), (self.action, actions)):
            current = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("すべて"), ALL)
            for value in values:
                combo.addItem(action_label(value) if combo is self.action else value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
        self.apply_filter()

    def apply_filter(self) -> None:
        """The newest page of the current filters."""
        self._cursors = []
        self._show(None)

    def older_page(self) -> None:
        if self._older is None:
            return
        self._cursors.append(self._cursor)
        self._show(self._older)

    def newer_page(self) -> None:
        if not self._cursors:
            return
        self._show(self._cursors.pop())

    def _show(self, cursor: audit_log.Cursor | None) -> None:
        try:
            page = audit_log.page(self._session, self.current_filter(), cursor, PAGE_SIZE)
        except VaultError as exc:
            self.chain_status.setText(exc.message)
            return
        self._cursor = cursor
        self._older = page.older
        self.shown = page.entries
        self.table.setRowCount(len(self.shown))
        for r, entry in enumerate(self.shown):
            values = [
                str(entry.seq),
                _local(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user_name,
                action_label(entry.action),
                entry.object_id or "",
                entry.detail or "",
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(entry.action)  # the code, as in the CSV
                self.table.setItem(r, c, item)
        number = len(self._cursors) + 1
        first = (number - 1) * PAGE_SIZE + 1
        if self.shown:
            self.page_label.setText(
                self.tr("{}ページ目（新しい順に{}〜{}件目）").format(
                    number, first, first + len(self.shown) - 1
                )
            )
        else:
            self.page_label.setText(self.tr("条件に合う記録はありません。"))
        self.newer_button.setEnabled(bool(self._cursors))
        self.older_button.setEnabled(page.older is not None)

    def verify(self) -> None:
        try:
            report = common.run_blocking(self._session.verify)
        except VaultError as exc:
            self.chain_status.setText(exc.message)
            return
        if report.audit_first_bad is not None:
            self.chain_status.setText(
                self.tr(
                    "監査ログの改ざん検査: 異常（{}番の記録が書き換えられたか、消されています）"
                ).format(report.audit_first_bad)
            )
        elif report.ok:
            self.chain_status.setText(
                self.tr(
                    "監査ログの改ざん検査: 異常なし（{}件）・データベース: 壊れた所なし"
                ).format(report.audit_entries)
            )
        else:
            self.chain_status.setText(
                self.tr("検査で問題が見つかりました: {}").format(" / ".join(report.problems))
            )

    def export_bytes(self, entries: list[AuditEntry] | None = None) -> bytes:
        """The CSV of ``entries`` (default: every entry of the current filters)."""
        if entries is None:
            entries = audit_log.all_entries(self._session, self.current_filter())
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["番号", "日時", "利用者", "操作", "対象", "詳細"])
        for e in entries:
            writer.writerow([e.seq, e.at, e.user_name, e.action, e.object_id or "", e.detail or ""])
        return buffer.getvalue().encode("utf-8-sig")

    def export(self) -> None:
        from intake_app.documents.export import write_private

        path = common.choose_save_file(
            self, self.tr("監査ログの保存先"), "audit-log.csv", self.tr("CSVファイル (*.csv)")
        )
        if path is None:
            return
        try:
            entries = common.run_blocking(
                audit_log.all_entries, self._session, self.current_filter()
            )
            write_private(path, self.export_bytes(entries))
            self._session.audit("audit_export", None, detail=str(len(entries)))
        except UserError as exc:  # the file (DocumentError) or the audit entry (VaultError)
            common.warn(self, self.tr("監査ログの保存"), exc.message)
