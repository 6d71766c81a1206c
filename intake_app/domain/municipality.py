"""The municipality configuration (intake_app/resources/municipality/<id>.toml), validated.

Everything city-specific lives in that file: the centre, the departments, the referral
destinations with their field whitelists, hours, retention and backup reminders. Another
city copies the file and edits it; no code changes. Errors name the key and its line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, get_args

from intake_app.domain.bundled import bundled
from intake_app.domain.model import REFERRAL_FIELDS, NeedCategory
from intake_app.domain.tomlfile import ConfigError, TomlDocument

DESTINATION_KINDS: dict[str, str] = {
    "police": "警察",
    "prefectural_centre": "県の女性相談支援センター（一時保護）",
    "child_guidance": "児童相談所",
    "child_department": "市の子ども担当課",
    "resident_registry": "住民記録の担当課（支援措置）",
    "welfare": "福祉・生活保護",
    "elderly_disability": "高齢者・障害者福祉",
    "health": "保健・医療",
    "school": "学校・教育",
    "nursery": "保育",
    "employment": "就労",
    "legal": "法律相談",
    "counselling": "カウンセリング",
    "housing": "住まい",
    "emergency_stay": "緊急一時避難",
    "interpreting": "通訳・外国人支援",
    "other": "その他",
}
CHILD_NOTIFICATION_KINDS = ("child_department", "child_guidance")
# Which date starts the year of a 支援措置 (rules.md §9.11): the day the municipality told
# the client (確認結果の連絡日) or the day it accepted the application (申出日).
SupportMeasureStart = Literal["notified", "applied"]
SUPPORT_MEASURE_STARTS: tuple[SupportMeasureStart, ...] = ("notified", "applied")
NEED_CODES = frozenset(get_args(NeedCategory))
_ID_RE = re.compile(r"^[a-z0-9_-]+$")


@dataclass(frozen=True)
class Centre:
    name: str
    department: str  # the operating department; the neutral sender on discreet papers
    phone: str
    address: str
    hours: str


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Destination:
    """A referral destination: what it is, what it may receive, and how to reach it."""

    id: str
    name: str
    kind: str
    fields: tuple[str, ...]  # the whitelist (REFERRAL_FIELDS ids); nothing else is disclosed
    contact: str
    consent_required: bool  # False only for the mandatory child notification destinations
    internal: bool  # a department of the city (庁内) rather than an outside body
    serves: tuple[str, ...]  # need categories this destination answers (suggestions)
    note: str
    verified: bool  # False: the entry still needs checking by the centre (shown as 要確認)


@dataclass(frozen=True)
class Court:
    name: str
    address: str
    phone: str
    note: str


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    prefecture: str
    centre: Centre
    departments: tuple[Department, ...]
    destinations: tuple[Destination, ...]
    consultation_hours: tuple[str, ...]
    retention_years: int
    backup_reminder_days: int
    protection_order_court: Court | None
    support_measure_starts_on: SupportMeasureStart = "notified"

    @property
    def city(self) -> str:
        return self.name

    def destination(self, destination_id: str) -> Destination:
        for dest in self.destinations:
            if dest.id == destination_id:
                return dest
        raise KeyError(destination_id)

    def of_kind(self, *kinds: str) -> list[Destination]:
        """Destinations of the given kinds, in the file's order."""
        return [d for d in self.destinations if d.kind in kinds]


_TOP_KEYS = {
    "id",
    "name",
    "prefecture",
    "consultation_hours",
    "retention_years",
    "backup_reminder_days",
    "centre",
    "departments",
    "destinations",
    "protection_order_court",
    "support_measure_starts_on",
}
_CENTRE_KEYS = {"name", "department", "phone", "address", "hours"}
_DEPARTMENT_KEYS = {"id", "name", "role"}
_DESTINATION_KEYS = {
    "id",
    "name",
    "kind",
    "fields",
    "contact",
    "consent_required",
    "internal",
    "serves",
    "note",
    "verified",
}
_COURT_KEYS = {"name", "address", "phone", "note"}


def municipality_path(municipality_id: str) -> Traversable:
    """The bundled file of ``municipality_id`` (intake_app/resources/municipality/)."""
    if not _ID_RE.match(municipality_id):
        raise ConfigError(f"市区町村設定の名前が正しくありません: {municipality_id}")
    return bundled("municipality", f"{municipality_id}.toml")


def load_municipality(path_or_id: str | Path = "warabi") -> Municipality:
    """Load and validate a municipality file, by id (a bundled file) or by path."""
    path: Path | Traversable
    if isinstance(path_or_id, Path) or path_or_id.endswith(".toml"):
        path = Path(path_or_id)
    else:
        path = municipality_path(path_or_id)
        if not path.is_file():
            raise ConfigError(f"市区町村設定「{path_or_id}」が見つかりません")
    return _build(TomlDocument(path))


def municipality_from_text(text: str, name: str = "municipality.toml") -> Municipality:
    """Validate a municipality file already read (``name`` is what messages call it)."""
    return _build(TomlDocument.from_text(text, name))


@functools.lru_cache(maxsize=8)
def _load_cached(municipality_id: str) -> Municipality:
    return load_municipality(municipality_id)


def resolve_municipality(value: Municipality | str | None) -> Municipality | None:
    """``value`` as a loaded ``Municipality``: an id is loaded from its file (once per id,
    since the bundled files do not change while the program runs); ``ConfigError`` if
    that file is missing or invalid. A session keeps only the id."""
    if isinstance(value, str):
        return _load_cached(value)
    return value


def _reject_unknown(
    doc: TomlDocument, table: dict[str, Any], allowed: set[str], where: str
) -> None:
    for key in table:
        if key not in allowed:
            path = f"{where}.{key}" if where else key
            raise doc.error(path, "知らない項目です（綴りを確認してください）")


def _bool(doc: TomlDocument, table: dict[str, Any], key: str, where: str, default: bool) -> bool:
    return doc.boolean(table, key, where) if key in table else default


def _build(doc: TomlDocument) -> Municipality:
    data = doc.data
    _reject_unknown(doc, data, _TOP_KEYS, "")
    municipality_id = doc.string(data, "id")
    if not _ID_RE.match(municipality_id):
        raise doc.error("id", "半角英小文字・数字・_・- で書いてください")
    hours = tuple(doc.strings(data, "consultation_hours"))

    raw_centre = doc.table(data, "centre")
    _reject_unknown(doc, raw_centre, _CENTRE_KEYS, "centre")
    centre = Centre(
        name=doc.string(raw_centre, "name", "centre"),
        department=doc.string(raw_centre, "department", "centre"),
        phone=doc.optional_string(raw_centre, "phone", "centre"),
        address=doc.optional_string(raw_centre, "address", "centre"),
        hours=doc.optional_string(raw_centre, "hours", "centre") or "、".join(hours),
    )

    departments: list[Department] = []
    for index, raw in enumerate(doc.tables(data, "departments")):
        where = f"departments[{index}]"
        _reject_unknown(doc, raw, _DEPARTMENT_KEYS, where)
        department = Department(
            id=doc.string(raw, "id", where),
            name=doc.string(raw, "name", where),
            role=doc.optional_string(raw, "role", where),
        )
        if any(d.id == department.id for d in departments):
            raise doc.error(f"{where}.id", f"部署ID「{department.id}」が重複しています")
        departments.append(department)

    destinations = [
        _destination(doc, raw, index, {d.id for d in departments})
        for index, raw in enumerate(doc.tables(data, "destinations"))
    ]
    seen: set[str] = set()
    for index, dest in enumerate(destinations):
        if dest.id in seen:
            raise doc.error(f"destinations[{index}].id", f"連絡先ID「{dest.id}」が重複しています")
        seen.add(dest.id)
    if not any(d.kind in CHILD_NOTIFICATION_KINDS for d in destinations):
        raise doc.error(
            "destinations",
            '子どもの通告先（kind = "child_department" または "child_guidance"）が必要です',
        )

    court = None
    if "protection_order_court" in data:
        raw_court = doc.table(data, "protection_order_court")
        _reject_unknown(doc, raw_court, _COURT_KEYS, "protection_order_court")
        where = "protection_order_court"
        court = Court(
            name=doc.string(raw_court, "name", where),
            address=doc.optional_string(raw_court, "address", where),
            phone=doc.optional_string(raw_court, "phone", where),
            note=doc.optional_string(raw_court, "note", where),
        )

    starts_on: SupportMeasureStart = "notified"
    if "support_measure_starts_on" in data:
        value = doc.string(data, "support_measure_starts_on")
        if value not in SUPPORT_MEASURE_STARTS:
            raise doc.error(
                "support_measure_starts_on",
                f"「{value}」は使えません（notified: 確認結果の連絡日、applied: 申出日）",
            )
        starts_on = "notified" if value == "notified" else "applied"

    return Municipality(
        id=municipality_id,
        name=doc.string(data, "name"),
        prefecture=doc.string(data, "prefecture"),
        centre=centre,
        departments=tuple(departments),
        destinations=tuple(destinations),
        consultation_hours=hours,
        retention_years=doc.integer(data, "retention_years", minimum=1),
        backup_reminder_days=doc.integer(data, "backup_reminder_days", minimum=1),
        protection_order_court=court,
        support_measure_starts_on=starts_on,
    )


def _destination(
    doc: TomlDocument, raw: dict[str, Any], index: int, department_ids: set[str]
) -> Destination:
    where = f"destinations[{index}]"
    _reject_unknown(doc, raw, _DESTINATION_KEYS, where)
    dest_id = doc.string(raw, "id", where)
    if not _ID_RE.match(dest_id):
        raise doc.error(f"{where}.id", "半角英小文字・数字・_・- で書いてください")
    kind = doc.string(raw, "kind", where)
    if kind not in DESTINATION_KINDS:
        raise doc.error(
            f"{where}.kind", f"「{kind}」は使えません（{'、'.join(DESTINATION_KINDS)}）"
        )
    fields = doc.strings(raw, "fields", where)
    for field_id in fields:
        if field_id not in REFERRAL_FIELDS:
            raise doc.error(f"{where}.fields", f"「{field_id}」は開示できる項目にありません")
    serves = doc.strings(raw, "serves", where) if "serves" in raw else []
    for need in serves:
        if need not in NEED_CODES:
            raise doc.error(f"{where}.serves", f"「{need}」は困りごとの分類にありません")
    consent_required = doc.boolean(raw, "consent_required", where)
    if not consent_required and kind not in CHILD_NOTIFICATION_KINDS:
        raise doc.error(
            f"{where}.consent_required",
            "同意を要しないのは児童虐待防止法第6条の通告先（子ども担当課・児童相談所）だけです",
        )
    return Destination(
        id=dest_id,
        name=doc.string(raw, "name", where),
        kind=kind,
        fields=tuple(dict.fromkeys(fields)),
        contact=doc.optional_string(raw, "contact", where),
        consent_required=consent_required,
        internal=_bool(doc, raw, "internal", where, default=dest_id in department_ids),
        serves=tuple(serves),
        note=doc.optional_string(raw, "note", where),
        verified=_bool(doc, raw, "verified", where, default=True),
    )
