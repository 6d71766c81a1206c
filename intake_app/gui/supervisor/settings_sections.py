"""The sections of the 設定 area: the centre, the lists (destinations, departments, the
支援措置 places, the official-return categories, hotlines) and retention.

Each section edits a copy of the settings data (``session.settings.data()``) and hands
it to ``SettingsArea.save``, which saves it as a new version or returns the loader's
refusal (the key and one sentence) for the section to show under the field.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.document_number import PLACEHOLDERS, example
from intake_app.domain.model import LABELS, REFERRAL_FIELDS
from intake_app.domain.municipality import DESTINATION_KINDS
from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.supervisor import common
from intake_app.gui.supervisor.settings_fields import (
    EntryDialog,
    FieldForm,
    FieldSpec,
    scrolled,
)

if TYPE_CHECKING:
    from intake_app.gui.supervisor.settings_area import SettingsArea

Problem = tuple[str | None, str]
Data = dict[str, Any]


def _get(data: Data, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(data: Data, path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _yes(value: Any) -> str:
    return "はい" if value else ""


# --- the centre ------------------------------------------------------------------------

_FORMAT_HELP = "使える記号: " + "、".join(
    "{" + key + "} = " + text for key, text in PLACEHOLDERS.items()
)

CENTRE_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "市区町村名(&C)"),
    FieldSpec("prefecture", "都道府県(&P)"),
    FieldSpec("centre.name", "センターの名称(&N)"),
    FieldSpec(
        "centre.department",
        "運営する課(&D)",
        help="持ち歩き用の書類には、この課の名前が差出人として載ります。",
    ),
    FieldSpec(
        "centre.head_title",
        "差出人の職名(&T)",
        help="公文書の差出人。例: 蕨市配偶者暴力相談支援センター長、市民協働課長",
    ),
    FieldSpec("centre.head_name", "差出人の氏名(&H)"),
    FieldSpec("centre.phone", "電話番号(&O)", help="例: 048-000-0000（書類の連絡先になります）"),
    FieldSpec("centre.address", "住所(&A)", "long"),
    FieldSpec("centre.hours", "受付時間(&U)", "long"),
    FieldSpec("consultation_hours", "相談の受付（1行に1つ）(&R)", "lines"),
    FieldSpec("centre.document_number_format", "文書番号の形式(&F)", help=_FORMAT_HELP),
    FieldSpec(
        "centre.verified",
        "確認(&V)",
        "bool",
        extra={"text": "センターの連絡先と差出人を確認しました"},
    ),
    FieldSpec("protection_order_court.name", "保護命令の裁判所(&J)"),
    FieldSpec("protection_order_court.address", "裁判所の所在地", "long"),
    FieldSpec("protection_order_court.phone", "裁判所の電話番号"),
    FieldSpec("protection_order_court.note", "裁判所についての説明", "long"),
    FieldSpec(
        "protection_order_court.verified",
        "裁判所の確認",
        "bool",
        extra={"text": "裁判所の所在地と電話番号を確認しました"},
    ),
)
_COURT_KEYS = [s.key for s in CENTRE_SPECS if s.key.startswith("protection_order_court.")]


class CentreSection(QWidget):
    """The centre: name, head and title, phone, address, hours, 文書番号, the court."""

    def __init__(self, area: SettingsArea, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        layout = QVBoxLayout(self)
        self.form = FieldForm(CENTRE_SPECS)
        self.form.setObjectName("centreForm")
        self.example = StatusLabel(self.tr("文書番号の例"), live=False)
        self.example.setObjectName("documentNumberExample")
        fmt = self.form.editors["centre.document_number_format"]
        self.form.grid.addWidget(self.example, self.form.grid.rowCount(), 1)
        fmt_widget = fmt.widget
        fmt_widget.textChanged.connect(self._example)  # type: ignore[attr-defined]
        layout.addWidget(scrolled(self.form), 1)
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("センターの設定を保存(&S)"))
        self.save_button.setObjectName("saveCentre")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("元に戻す"))
        self.revert_button.clicked.connect(self.refresh)
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh()

    def _example(self, text: str) -> None:
        shown = example(text.strip(), dt.date.today())
        self.example.setText(self.tr("例: {}（今年度の最初の番号）").format(shown) if shown else "")

    def refresh(self) -> None:
        data = self.area.data()
        self.form.load({spec.key: _get(data, spec.key) for spec in CENTRE_SPECS})
        if data.get("protection_order_court") is None:
            self.form.editors["protection_order_court.verified"].set_value(True)

    def values(self, data: Data) -> Data:
        result = copy.deepcopy(data)
        values = self.form.values()
        court = {key: values.pop(key) for key in _COURT_KEYS}
        for key, value in values.items():
            _set(result, key, value)
        filled = any(v for k, v in court.items() if not k.endswith(".verified"))
        if filled or result.get("protection_order_court") is not None:
            for key, value in court.items():
                _set(result, key, value)
        if not filled and result.get("protection_order_court") is not None:
            result.pop("protection_order_court")  # every court field emptied: no court
        return result

    def save(self) -> bool:
        self.form.clear_errors()
        problem = self.area.save(self.values(self.area.data()))
        if problem is None:
            return True
        key, message = problem
        if key is None or not self.form.show_error(key, message):
            self.area.show_status(message, error=True)
        return False


# --- lists of entries ------------------------------------------------------------------


@dataclass(frozen=True)
class ListKind:
    """How one list of the settings is shown and edited."""

    path: str  # "destinations", "official_returns.main_complaints" …
    title: str
    noun: str  # what one entry is called: 連絡先, 部署 …
    specs: Callable[[Data], Sequence[FieldSpec]]
    columns: Sequence[tuple[str, Callable[[Data], str]]]
    new_entry: Callable[[Data], Data]
    disable: bool = False  # entries are disabled, never deleted (destinations)
    help: str = ""


class SettingsTable(QTableWidget):
    """A read-only table: Tab leaves it, Enter edits the selected row."""

    def __init__(self, edit: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self.setTabKeyNavigation(False)  # Tab moves to the buttons, never cell to cell
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(lambda _index: self._edit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._edit()
            return
        super().keyPressEvent(event)


def _next_id(entries: list[Data], prefix: str) -> str:
    taken = {str(e.get("id")) for e in entries}
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _entries(data: Data, path: str) -> list[Data]:
    value = _get(data, path)
    return value if isinstance(value, list) else []


class ListSection(QWidget):
    """A list of entries: a table, 追加… / 編集… and 削除 (or 使用停止 / 使用再開)."""

    def __init__(self, area: SettingsArea, kind: ListKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        self.kind = kind
        self.dialog: EntryDialog | None = None
        layout = QVBoxLayout(self)
        heading = QLabel(kind.title)
        heading.setObjectName("sectionHeading")
        layout.addWidget(heading)
        if kind.help:
            help_label = QLabel(kind.help)
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        self.table = SettingsTable(self.edit)
        self.table.setObjectName(f"table_{kind.path.replace('.', '_')}")
        self.table.setAccessibleName(kind.title)
        self.table.setColumnCount(len(kind.columns))
        self.table.setHorizontalHeaderLabels([header for header, _ in kind.columns])
        heading.setBuddy(self.table)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("追加…"))
        self.add_button.setAccessibleName(self.tr("{}を追加").format(kind.noun))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("編集…"))
        self.edit_button.setAccessibleName(self.tr("選んだ{}を編集").format(kind.noun))
        self.edit_button.clicked.connect(self.edit)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        if kind.disable:
            self.toggle_button = QPushButton(self.tr("使用停止／再開"))
            self.toggle_button.setAccessibleName(
                self.tr("選んだ{}の使用を停止または再開").format(kind.noun)
            )
            self.toggle_button.clicked.connect(self.toggle_disabled)
            row.addWidget(self.toggle_button)
        else:
            self.delete_button = QPushButton(self.tr("削除"))
            self.delete_button.setAccessibleName(self.tr("選んだ{}を削除").format(kind.noun))
            self.delete_button.clicked.connect(self.delete)
            row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh()

    def entries(self) -> list[Data]:
        return _entries(self.area.data(), self.kind.path)

    def refresh(self) -> None:
        entries = self.entries()
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            for c, (_, text) in enumerate(self.kind.columns):
                item = QTableWidgetItem(text(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry.get("id"))
                self.table.setItem(r, c, item)

    def select(self, entry_id: str) -> None:
        for r, entry in enumerate(self.entries()):
            if entry.get("id") == entry_id:
                self.table.selectRow(r)
                return

    def selected_index(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.area.show_status(
                self.tr("一覧から{}を選んでください。").format(self.kind.noun), error=True
            )
            return None
        return rows[0].row()

    def _with(self, change: Callable[[list[Data]], None]) -> Data:
        data = copy.deepcopy(self.area.data())
        entries = _get(data, self.kind.path)
        if not isinstance(entries, list):
            entries = []
            _set(data, self.kind.path, entries)
        change(entries)
        return data

    def _field_of(self, key: str | None, index: int) -> str | None:
        prefix = f"{self.kind.path}[{index}]."
        if key is not None and key.startswith(prefix):
            return key[len(prefix) :]
        return None

    def _open(self, title: str, values: Data, index: int, new: bool) -> bool:
        specs = self.kind.specs(self.area.data())

        def submit(entry: Data) -> Problem | None:
            def change(entries: list[Data]) -> None:
                merged = dict(values, **entry)
                if new:
                    entries.append(merged)
                else:
                    entries[index] = merged

            problem = self.area.save(self._with(change))
            if problem is None:
                return None
            key, message = problem
            return self._field_of(key, index), message

        self.dialog = EntryDialog(self, title, specs, values, submit, new=new)
        shower = getattr(common, "show_dialog", None)
        saved = bool(shower(self.dialog) if shower is not None else self.dialog.exec())
        self.dialog.deleteLater()
        self.dialog = None
        return saved

    def add(self) -> bool:
        entry = self.kind.new_entry(self.area.data())
        saved = self._open(
            self.tr("{}の追加").format(self.kind.noun), entry, len(self.entries()), True
        )
        if saved:
            self.select(str(entry.get("id")))
        return saved

    def edit(self) -> bool:
        index = self.selected_index()
        if index is None:
            return False
        entry = copy.deepcopy(self.entries()[index])
        saved = self._open(self.tr("{}の編集").format(self.kind.noun), entry, index, False)
        self.table.selectRow(index)
        return saved

    def delete(self) -> bool:
        index = self.selected_index()
        if index is None:
            return False
        entry = self.entries()[index]
        if not common.ask(
            self,
            self.tr("{}の削除").format(self.kind.noun),
            self.tr("「{}」を削除します。よろしいですか。").format(entry.get("name", "")),
        ):
            return False

        def change(entries: list[Data]) -> None:
            del entries[index]

        problem = self.area.save(self._with(change))
        if problem is not None:
            self.area.show_status(problem[1], error=True)
            return False
        return True

    def toggle_disabled(self) -> bool:
        index = self.selected_index()
        if index is None:
            return False

        def change(entries: list[Data]) -> None:
            entries[index]["disabled"] = not entries[index].get("disabled", False)

        problem = self.area.save(self._with(change))
        if problem is not None:
            self.area.show_status(problem[1], error=True)
            return False
        self.table.selectRow(index)
        return True


# --- the lists of the settings --------------------------------------------------------


def _destination_specs(data: Data) -> Sequence[FieldSpec]:
    return (
        FieldSpec(
            "id",
            "識別名 ID(&I)",
            fixed=True,
            help="半角英小文字・数字・_・-（後から変えられません）",
        ),
        FieldSpec("name", "名称(&N)"),
        FieldSpec("kind", "種類(&K)", "choice", options=list(DESTINATION_KINDS.items())),
        FieldSpec("contact", "連絡方法(&C)", "long", help="電話番号、担当、受付時間など"),
        FieldSpec(
            "consent_required",
            "同意(&A)",
            "bool",
            help="同意なしにできるのは児童虐待防止法第6条の通告先（子ども担当課・児童相談所）だけです。",
            extra={"text": "紹介には本人の同意が必要"},
        ),
        FieldSpec("internal", "庁内(&T)", "bool", extra={"text": "市の部署（庁内）"}),
        FieldSpec(
            "women_only",
            "女性専用(&W)",
            "bool",
            help="男性の相談者には、つなぎ先の候補として示しません。",
            extra={"text": "女性の相談者だけを受け付ける"},
        ),
        FieldSpec("verified", "確認(&V)", "bool", extra={"text": "名称と連絡方法を確認しました"}),
        FieldSpec(
            "fields",
            "開示する項目(&F)",
            "multi",
            options=list(REFERRAL_FIELDS.items()),
            columns=3,
            help="連絡票に載せてよい項目です。これ以外は印刷されません。",
        ),
        FieldSpec(
            "serves", "つなぐ困りごと(&R)", "multi", options=list(LABELS["need"].items()), columns=4
        ),
        FieldSpec("note", "備考(&O)", "long"),
    )


def _new_destination(data: Data) -> Data:
    return {
        "id": _next_id(_entries(data, "destinations"), "dest_"),
        "name": "",
        "kind": "other",
        "contact": "",
        "consent_required": True,
        "internal": False,
        "verified": False,
        "disabled": False,
        "women_only": False,
        "fields": ["client.name", "client.kana"],
        "serves": [],
        "note": "",
    }


def _state(entry: Data) -> str:
    return "使用停止" if entry.get("disabled") else "使用中"


def _verified(entry: Data) -> str:
    return "確認済み" if entry.get("verified", True) else "未確認"


DESTINATIONS = ListKind(
    path="destinations",
    title="連絡先（紹介・連絡票の宛先）",
    noun="連絡先",
    specs=_destination_specs,
    columns=(
        ("名称", lambda e: str(e.get("name", ""))),
        ("確認", _verified),
        ("状態", _state),
        ("種類", lambda e: DESTINATION_KINDS.get(str(e.get("kind")), str(e.get("kind")))),
        ("連絡方法", lambda e: str(e.get("contact", "")) or "（未設定）"),
    ),
    new_entry=_new_destination,
    disable=True,
    help="保存された紹介が使う連絡先は削除できません。使わなくなったら「使用停止」にします。",
)


def _department_specs(data: Data) -> Sequence[FieldSpec]:
    return (
        FieldSpec(
            "id",
            "識別名 ID(&I)",
            fixed=True,
            help="半角英小文字・数字・_・-（後から変えられません）",
        ),
        FieldSpec("name", "名称(&N)"),
        FieldSpec("role", "担当(&R)", "long"),
    )


DEPARTMENTS = ListKind(
    path="departments",
    title="庁内の部署",
    noun="部署",
    specs=_department_specs,
    columns=(
        ("名称", lambda e: str(e.get("name", ""))),
        ("担当", lambda e: str(e.get("role", ""))),
    ),
    new_entry=lambda data: {
        "id": _next_id(_entries(data, "departments"), "dept_"),
        "name": "",
        "role": "",
    },
)


def _place_specs(data: Data) -> Sequence[FieldSpec]:
    departments = [(str(d.get("id")), str(d.get("name"))) for d in _entries(data, "departments")]
    return (
        FieldSpec(
            "id",
            "識別名 ID(&I)",
            fixed=True,
            help="半角英小文字・数字・_・-（後から変えられません）",
        ),
        FieldSpec("name", "名称(&N)"),
        FieldSpec("departments", "担当する部署(&D)", "multi", options=departments, columns=3),
        FieldSpec(
            "outside",
            "他の市区町村(&O)",
            "bool",
            extra={"text": "他の市区町村（本籍地・前住所地など）"},
        ),
        FieldSpec("note", "備考(&B)", "long"),
        FieldSpec("verified", "確認(&V)", "bool", extra={"text": "担当を確認しました"}),
    )


def _department_names(data_getter: Callable[[], Data]) -> Callable[[Data], str]:
    def text(entry: Data) -> str:
        names = {
            str(d.get("id")): str(d.get("name")) for d in _entries(data_getter(), "departments")
        }
        shown = [names.get(str(d), str(d)) for d in entry.get("departments", [])]
        if entry.get("outside"):
            shown.append("他の市区町村")
        return "、".join(shown) or "（未設定）"

    return text


def _simple_specs(data: Data) -> Sequence[FieldSpec]:
    return (
        FieldSpec(
            "id",
            "識別名 ID(&I)",
            fixed=True,
            help="半角英小文字・数字・_・-（後から変えられません）",
        ),
        FieldSpec("name", "名称(&N)"),
    )


def _group_specs(data: Data) -> Sequence[FieldSpec]:
    return (
        *_simple_specs(data),
        FieldSpec(
            "channels",
            "相談の方法(&M)",
            "multi",
            options=list(LABELS["channel"].items()),
            columns=3,
        ),
    )


def _hotline_specs(data: Data) -> Sequence[FieldSpec]:
    return (
        FieldSpec(
            "id",
            "識別名 ID(&I)",
            fixed=True,
            help="半角英小文字・数字・_・-（後から変えられません）",
        ),
        FieldSpec("name", "名称(&N)"),
        FieldSpec("phone", "電話番号(&P)", help="例: #8008、0120-279-889"),
        FieldSpec("note", "備考(&B)", "long"),
    )


def _new_simple(path: str, prefix: str, **extra: Any) -> Callable[[Data], Data]:
    def make(data: Data) -> Data:
        return {"id": _next_id(_entries(data, path), prefix), "name": "", **copy.deepcopy(extra)}

    return make


def place_kind(data_getter: Callable[[], Data]) -> ListKind:
    return ListKind(
        path="support_measure_places",
        title="支援措置の確認先",
        noun="確認先",
        specs=_place_specs,
        columns=(
            ("名称", lambda e: str(e.get("name", ""))),
            ("担当", _department_names(data_getter)),
            ("確認", _verified),
        ),
        new_entry=_new_simple(
            "support_measure_places",
            "place_",
            departments=[],
            outside=False,
            note="",
            verified=False,
        ),
        help=(
            "支援措置が届いているかを確かめる所です。住民票・戸籍の附票のほか、住所の載る"
            "書類を出す課（税、国保・年金、児童手当・子ども医療、学校・保育など）を並べます。"
        ),
    )


CHANNEL_GROUPS = ListKind(
    path="official_returns.channel_groups",
    title="相談の方法の区分（延べ件数）",
    noun="区分",
    specs=_group_specs,
    columns=(
        ("名称", lambda e: str(e.get("name", ""))),
        (
            "相談の方法",
            lambda e: "、".join(
                LABELS["channel"].get(str(c), str(c)) for c in e.get("channels", [])
            ),
        ),
    ),
    new_entry=_new_simple("official_returns.channel_groups", "group_", channels=[]),
    help="どの相談の方法も、ちょうど1つの区分に入れます（同行は来所に数えます）。",
)
REPORT_SOURCES = ListKind(
    path="official_returns.report_sources",
    title="通報の経路（配偶者暴力防止法第6条）",
    noun="経路",
    specs=_simple_specs,
    columns=(("名称", lambda e: str(e.get("name", ""))),),
    new_entry=_new_simple("official_returns.report_sources", "source_"),
)
MAIN_COMPLAINTS = ListKind(
    path="official_returns.main_complaints",
    title="主訴（相談1件に1つ）",
    noun="主訴",
    specs=_simple_specs,
    columns=(("名称", lambda e: str(e.get("name", ""))),),
    new_entry=_new_simple("official_returns.main_complaints", "complaint_"),
)
HOTLINES = ListKind(
    path="hotlines",
    title="全国共通の電話窓口（本人向けの書類に載せる番号）",
    noun="電話窓口",
    specs=_hotline_specs,
    columns=(
        ("名称", lambda e: str(e.get("name", ""))),
        ("電話番号", lambda e: str(e.get("phone", ""))),
    ),
    new_entry=_new_simple("hotlines", "line_", phone="", note=""),
)


class ReturnsSection(QWidget):
    """The three category lists of the official returns (rules.md §10)."""

    def __init__(self, area: SettingsArea, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "国・県への報告（公的な統計）で使う分類です。内閣府の調査や県の様式に"
                "合わせて直せます。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.lists = [
            ListSection(area, kind) for kind in (CHANNEL_GROUPS, REPORT_SOURCES, MAIN_COMPLAINTS)
        ]
        for section in self.lists:
            row.addWidget(section, 1)
        layout.addLayout(row, 1)

    def refresh(self) -> None:
        for section in self.lists:
            section.refresh()


RETENTION_SPECS = (
    FieldSpec(
        "support_measure_starts_on",
        "支援措置の1年の起算日(&K)",
        "choice",
        options=(
            ("notified", "確認結果の連絡日（市が本人に措置を連絡した日）"),
            ("applied", "申出日（申出書を受理した日）"),
        ),
        help="住民基本台帳事務における支援措置の1年をどの日から数えるか。市民課の運用に合わせます。",
    ),
    FieldSpec(
        "retention_years",
        "記録の保存年数(&Y)",
        "int",
        minimum=1,
        maximum=100,
        help="終結から何年たったケースを「保存期間」で削除の候補にするか。",
        extra={"suffix": " 年"},
    ),
    FieldSpec(
        "backup_reminder_days",
        "バックアップの案内(&B)",
        "int",
        minimum=1,
        maximum=365,
        help="最後のバックアップからこの日数がたつと、ホーム画面で知らせます。",
        extra={"suffix": " 日"},
    ),
)


class RetentionSection(QWidget):
    """The periods: retention years, the backup reminder, the start of a 支援措置's year."""

    def __init__(self, area: SettingsArea, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        layout = QVBoxLayout(self)
        self.form = FieldForm(RETENTION_SPECS)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("期間と案内を保存(&S)"))
        self.save_button.setObjectName("saveRetention")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        data = self.area.data()
        self.form.load({spec.key: data.get(spec.key) for spec in RETENTION_SPECS})

    def save(self) -> bool:
        self.form.clear_errors()
        data = copy.deepcopy(self.area.data())
        data.update(self.form.values())
        problem = self.area.save(data)
        if problem is None:
            return True
        key, message = problem
        if key is None or not self.form.show_error(key, message):
            self.area.show_status(message, error=True)
        return False
