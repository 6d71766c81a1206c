"""Differences between two versions of the municipality settings, item by item.

An item is one setting a supervisor can take or leave on its own: a value of the top
level (``retention_years``), of a table (``centre.phone``), one field of an entry of a
list (``destinations.pref_centre.contact``), a whole entry added or removed
(``destinations.emergency_stay``), or the order of a list. Paths name ids and keys
only, never a value, so they can go into the audit log.

Used to name what an edit or an import changed, and to offer a newer shipped file to
the supervisor (``apply`` takes the accepted items into the vault's settings).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from intake_app.domain.model import REFERRAL_FIELDS
from intake_app.domain.municipality import DESTINATION_KINDS
from intake_app.domain.settings_file import LISTS, Data

TABLES = ("centre", "protection_order_court")

SECTION_LABELS: dict[str, str] = {
    "centre": "センター",
    "protection_order_court": "保護命令の裁判所",
    "departments": "部署",
    "destinations": "連絡先",
    "support_measure_places": "支援措置の確認先",
    "official_returns.channel_groups": "公的報告（相談の方法の区分）",
    "official_returns.report_sources": "公的報告（通報の経路）",
    "official_returns.main_complaints": "公的報告（主訴）",
    "hotlines": "電話窓口",
}
FIELD_LABELS: dict[str, str] = {
    "id": "市区町村ID",
    "name": "名称",
    "prefecture": "都道府県",
    "consultation_hours": "相談の受付時間",
    "retention_years": "保存年数",
    "backup_reminder_days": "バックアップの案内（日数）",
    "department": "運営する課",
    "head_title": "差出人の職名",
    "head_name": "差出人の氏名",
    "phone": "電話番号",
    "address": "住所",
    "hours": "受付時間",
    "document_number_format": "文書番号の形式",
    "verified": "確認済み",
    "role": "担当",
    "kind": "種類",
    "contact": "連絡方法",
    "consent_required": "本人の同意",
    "internal": "庁内",
    "disabled": "使用停止",
    "women_only": "女性専用",
    "fields": "開示する項目",
    "serves": "つなぐ困りごと",
    "note": "備考",
    "departments": "担当課",
    "outside": "他の市区町村",
    "channels": "相談の方法",
    "support_measure_starts_on": "支援措置の起算日",
}


@dataclass(frozen=True)
class Difference:
    """One item that differs. ``kind``: ``changed``, ``added``, ``removed`` or ``order``;
    ``before`` / ``after`` are short texts for the screen (empty for a missing side)."""

    path: str
    kind: str
    label: str
    before: str
    after: str


def _entries(data: Data, list_path: str) -> list[Data]:
    node: Any = data
    for part in list_path.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, list) else []


def _entry_name(entry: Data) -> str:
    return str(entry.get("name") or entry.get("id") or "")


def _show(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if value is None:
        return ""
    if isinstance(value, list):
        if key == "fields":
            return "、".join(REFERRAL_FIELDS.get(str(v), str(v)) for v in value)
        return "、".join(str(v) for v in value)
    if key == "kind":
        return DESTINATION_KINDS.get(str(value), str(value))
    return str(value)


def label(path: str, data: Data | None = None) -> str:
    """The Japanese name of a setting path, e.g. 連絡先「埼玉県女性相談支援センター」の連絡方法."""
    for list_path in LISTS:
        prefix = list_path + "."
        if path == list_path:
            return f"{SECTION_LABELS[list_path]}の並び順"
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            entry_id, _, key = rest.partition(".")
            name = entry_id
            for entry in _entries(data or {}, list_path):
                if entry.get("id") == entry_id:
                    name = _entry_name(entry)
            head = f"{SECTION_LABELS[list_path]}「{name}」"
            return f"{head}の{FIELD_LABELS.get(key, key)}" if key else head
    table, _, key = path.partition(".")
    if table in TABLES:
        section = SECTION_LABELS[table]
        return f"{section}の{FIELD_LABELS.get(key, key)}" if key else section
    return FIELD_LABELS.get(path, path)


def differences(old: Data, new: Data) -> list[Difference]:
    """Every item that differs from ``old`` to ``new`` (both in ``to_data``'s structure)."""
    result: list[Difference] = []
    list_roots = {p.split(".")[0] for p in LISTS}
    for key in dict.fromkeys([*old, *new]):
        if key in list_roots or key in TABLES:
            continue
        if old.get(key) != new.get(key):
            result.append(_change(key, key, old.get(key), new.get(key), new))
    for table in TABLES:
        before: Data | None = old.get(table)
        after: Data | None = new.get(table)
        if before == after:
            continue
        if before is None:  # an optional table (the court) added or removed
            result.append(Difference(table, "added", label(table), "", _entry_name(after or {})))
            continue
        if after is None:
            result.append(Difference(table, "removed", label(table), _entry_name(before), ""))
            continue
        for key in dict.fromkeys([*before, *after]):
            if before.get(key) != after.get(key):
                result.append(_change(f"{table}.{key}", key, before.get(key), after.get(key), new))
    for list_path in LISTS:
        result.extend(_list_differences(list_path, old, new))
    return result


def _change(path: str, key: str, before: Any, after: Any, data: Data) -> Difference:
    return Difference(path, "changed", label(path, data), _show(key, before), _show(key, after))


def _list_differences(list_path: str, old: Data, new: Data) -> list[Difference]:
    before = {str(e.get("id")): e for e in _entries(old, list_path)}
    after = {str(e.get("id")): e for e in _entries(new, list_path)}
    result: list[Difference] = []
    for entry_id, entry in after.items():
        path = f"{list_path}.{entry_id}"
        if entry_id not in before:
            result.append(Difference(path, "added", label(path, new), "", _entry_name(entry)))
            continue
        previous = before[entry_id]
        for key in dict.fromkeys([*previous, *entry]):
            if previous.get(key) != entry.get(key):
                result.append(_change(f"{path}.{key}", key, previous.get(key), entry.get(key), new))
    for entry_id, entry in before.items():
        if entry_id not in after:
            path = f"{list_path}.{entry_id}"
            result.append(Difference(path, "removed", label(path, old), _entry_name(entry), ""))
    common_before = [i for i in before if i in after]
    common_after = [i for i in after if i in before]
    if common_before != common_after:
        result.append(
            Difference(
                list_path,
                "order",
                label(list_path),
                "、".join(_entry_name(before[i]) for i in common_before),
                "、".join(_entry_name(after[i]) for i in common_after),
            )
        )
    return result


def value_text(data: Data, path: str) -> str:
    """The value at ``path`` in ``data`` as a short text for the screen ("" when absent)."""
    for list_path in LISTS:
        entries = _entries(data, list_path)
        if path == list_path:
            return "、".join(_entry_name(e) for e in entries)
        if path.startswith(list_path + "."):
            entry_id, _, key = path[len(list_path) + 1 :].partition(".")
            entry = next((e for e in entries if e.get("id") == entry_id), None)
            if entry is None:
                return ""
            return _show(key, entry.get(key)) if key else _entry_name(entry)
    table, _, key = path.partition(".")
    if table in TABLES:
        node = data.get(table)
        if not isinstance(node, dict):
            return ""
        return _show(key, node.get(key)) if key else _entry_name(node)
    return _show(path, data.get(path))


def _list_node(data: Data, list_path: str) -> list[Data]:
    """The list itself (``to_data`` writes every list, an empty one too)."""
    node: Any = data
    for part in list_path.split("."):
        node = node[part]
    entries: list[Data] = node
    return entries


def apply(current: Data, new: Data, paths: list[str]) -> Data:
    """``current`` with the items at ``paths`` taken from ``new`` (a new dict).

    ``current`` and ``new`` are in ``to_data``'s structure; ``paths`` are items of
    ``differences(..., new)``. An entry removed in ``new`` is removed from the result,
    except a destination, which is marked ``disabled`` (referrals may name it). The
    result still has to pass ``settings_file.from_data``."""
    result = copy.deepcopy(current)
    for path in paths:
        _apply_one(result, new, path)
    return result


def _apply_one(result: Data, new: Data, path: str) -> None:
    for list_path in LISTS:
        if path == list_path:
            order = [str(e.get("id")) for e in _entries(new, list_path)]
            ordered = _list_node(result, list_path)
            rank = {entry_id: i for i, entry_id in enumerate(order)}
            ordered.sort(key=lambda e: rank.get(str(e.get("id")), len(rank)))
            return
        if not path.startswith(list_path + "."):
            continue
        entry_id, _, key = path[len(list_path) + 1 :].partition(".")
        source = next((e for e in _entries(new, list_path) if e.get("id") == entry_id), None)
        entries = _list_node(result, list_path)
        index = next((i for i, e in enumerate(entries) if e.get("id") == entry_id), None)
        if source is None:  # removed in the new version
            if index is not None:
                if list_path == "destinations":
                    entries[index]["disabled"] = True
                else:
                    del entries[index]
            return
        if index is None:
            entries.append(copy.deepcopy(source))
        elif key:
            entries[index][key] = copy.deepcopy(source.get(key))
        else:
            entries[index] = copy.deepcopy(source)
        return
    table, _, key = path.partition(".")
    if table in TABLES and key:  # differences names a key only when both have the table
        target = result.setdefault(table, copy.deepcopy(new[table]))
        target[key] = copy.deepcopy(new[table].get(key))
        return
    if path in new:
        result[path] = copy.deepcopy(new[path])
    else:
        result.pop(path, None)
