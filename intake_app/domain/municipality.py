"""The municipality configuration (intake_app/resources/municipality/<id>.toml), validated.

Everything city-specific lives in that file: the centre, the departments, the referral
destinations with their field whitelists, hours, retention and backup reminders. Another
city copies the file and edits it; no code changes. Errors name the key and its line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, get_args

from intake_app.domain.bundled import bundled
from intake_app.domain.codes import LEGACY_REFERRAL_FIELDS, current_field_ids
from intake_app.domain.document_number import format_problem
from intake_app.domain.model import REFERRAL_FIELDS, Channel, NeedCategory
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
CHANNEL_CODES: tuple[str, ...] = get_args(Channel)
# Every id in the file (the city, departments, destinations, lists): short, lower-case
# ASCII, so an id can never be a path, a markup fragment or a confusable character.
ID_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
_ID_RE = re.compile(ID_PATTERN)
ID_PROBLEM = "半角英小文字で始め、半角英小文字・数字・_・- の32文字以内で書いてください"
# A phone number as papers print it: digits with hyphens, brackets or spaces, an
# optional leading # (#8008) or + and an extension (内線).
_PHONE_RE = re.compile(r"^[#+(]?[0-9][0-9()\- ]{1,24}(?:\s*(?:内線|ext\.?)\s*[0-9]{1,6})?$")
PHONE_PROBLEM = "電話番号は数字とハイフンで書いてください（例: 048-000-0000、#8008）"
# Characters that must never reach a screen or a paper: controls, lone surrogates, and
# the bidirectional overrides that could make a printed text read differently.
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_TEXT = {"short": 100, "long": 500}


@dataclass(frozen=True)
class Centre:
    name: str
    department: str  # the operating department; the neutral sender on discreet papers
    phone: str
    address: str
    hours: str
    head_title: str = ""  # the sender's title on official papers: センター長, 市民協働課長 …
    head_name: str = ""  # the head's name (氏名)
    document_number_format: str = ""  # e.g. 蕨市協第{n}号 (domain.document_number)
    verified: bool = True  # False: the centre's entries still need checking


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
    verified: bool  # False: the entry still needs checking by the centre (shown as 未確認)
    disabled: bool = False  # no longer offered; kept because referrals may name it
    women_only: bool = False  # serves women only: never suggested for a male client


@dataclass(frozen=True)
class Court:
    name: str
    address: str
    phone: str
    note: str
    verified: bool = True


@dataclass(frozen=True)
class SupportMeasurePlace:
    """A place a 支援措置 (住民基本台帳事務) must reach so that the address stays hidden:
    the resident register, the 戸籍の附票, the other municipalities involved, and each
    department that issues papers showing an address."""

    id: str
    name: str
    departments: tuple[str, ...]  # ids of the city's departments that handle it (庁内)
    outside: bool  # another municipality (本籍地, 前住所地), not a department of the city
    note: str
    verified: bool


@dataclass(frozen=True)
class Category:
    """One category of an official return (rules.md §10)."""

    id: str
    name: str


@dataclass(frozen=True)
class ChannelGroup:
    """A group of consultation channels as an official return counts them (来所, 電話…)."""

    id: str
    name: str
    channels: tuple[str, ...]  # consultation channel codes (model.Channel)


@dataclass(frozen=True)
class OfficialReturns:
    """The category lists of the official returns (rules.md §10), editable by the centre."""

    channel_groups: tuple[ChannelGroup, ...]
    report_sources: tuple[Category, ...]  # who reported under 配偶者暴力防止法第6条
    main_complaints: tuple[Category, ...]  # 主訴, one per consultation


@dataclass(frozen=True)
class Hotline:
    """A public number that papers for the client may list (#8008, 189 …)."""

    id: str
    name: str
    phone: str
    note: str


# rules.md §10 defaults, used when a file has no [official_returns].
DEFAULT_OFFICIAL_RETURNS = OfficialReturns(
    channel_groups=(
        ChannelGroup("visit", "来所", ("visit", "accompanied")),
        ChannelGroup("phone", "電話", ("phone",)),
        ChannelGroup("other", "その他", ("mail", "sns", "other")),
    ),
    report_sources=(
        Category("medical", "医療関係者"),
        Category("neighbour", "近隣・知人"),
        Category("agency", "関係機関"),
        Category("other", "その他"),
    ),
    main_complaints=(
        Category("spouse", "夫等からの暴力"),
        Category("partner", "交際相手等からの暴力"),
        Category("family", "子・親・親族からの暴力"),
        Category("sexual", "性暴力"),
        Category("stalking", "ストーカー"),
        Category("housing", "住居"),
        Category("economic", "経済"),
        Category("health", "医療・健康"),
        Category("divorce", "離婚"),
        Category("discord", "家庭不和"),
        Category("other", "その他"),
    ),
)

# The places every 支援措置 must reach, used when a file has none (no departments named).
DEFAULT_SUPPORT_MEASURE_PLACES: tuple[SupportMeasurePlace, ...] = (
    SupportMeasurePlace("juminhyo", "住民記録（住民票）", (), False, "", False),
    SupportMeasurePlace("koseki_fuhyo", "戸籍の附票", (), False, "", False),
    SupportMeasurePlace("honsekichi", "本籍地の市区町村", (), True, "", False),
    SupportMeasurePlace("zen_jusho", "前住所地の市区町村", (), True, "", False),
    SupportMeasurePlace("zei", "税", (), False, "", False),
    SupportMeasurePlace("kokuho_nenkin", "国保・年金", (), False, "", False),
    SupportMeasurePlace("jido_teate", "児童手当・子ども医療", (), False, "", False),
    SupportMeasurePlace("gakko_hoiku", "学校・保育", (), False, "", False),
)


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
    support_measure_places: tuple[SupportMeasurePlace, ...] = DEFAULT_SUPPORT_MEASURE_PLACES
    official_returns: OfficialReturns = DEFAULT_OFFICIAL_RETURNS
    hotlines: tuple[Hotline, ...] = ()
    support_measure_starts_on: SupportMeasureStart = "notified"

    @property
    def city(self) -> str:
        return self.name

    @property
    def active_destinations(self) -> list[Destination]:
        """The destinations still in use (not disabled), in the file's order."""
        return [d for d in self.destinations if not d.disabled]

    def destination(self, destination_id: str) -> Destination:
        """Any destination by id, disabled ones included (old referrals name them)."""
        for dest in self.destinations:
            if dest.id == destination_id:
                return dest
        raise KeyError(destination_id)

    def of_kind(self, *kinds: str) -> list[Destination]:
        """Destinations in use of the given kinds, in the file's order."""
        return [d for d in self.destinations if d.kind in kinds and not d.disabled]


def destination_label(dest: Destination) -> str:
    """The destination's name as screens show it: 「（未確認）」 after an unverified one,
    「（使用停止）」 after a disabled one."""
    label = dest.name
    if not dest.verified:
        label += "（未確認）"
    if dest.disabled:
        label += "（使用停止）"
    return label


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
    "support_measure_places",
    "official_returns",
    "hotlines",
    "support_measure_starts_on",
}
_CENTRE_KEYS = {
    "name",
    "department",
    "phone",
    "address",
    "hours",
    "head_title",
    "head_name",
    "document_number_format",
    "verified",
}
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
    "disabled",
    "women_only",
}
_COURT_KEYS = {"name", "address", "phone", "note", "verified"}
_PLACE_KEYS = {"id", "name", "departments", "outside", "note", "verified"}
_RETURNS_KEYS = {"channel_groups", "report_sources", "main_complaints"}
_CATEGORY_KEYS = {"id", "name"}
_GROUP_KEYS = {"id", "name", "channels"}
_HOTLINE_KEYS = {"id", "name", "phone", "note"}
MAX_RETENTION_YEARS = 100
MAX_BACKUP_REMINDER_DAYS = 365


def municipality_path(municipality_id: str) -> Traversable:
    """The bundled file of ``municipality_id`` (intake_app/resources/municipality/)."""
    if not isinstance(municipality_id, str) or not _ID_RE.match(municipality_id):
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
    """``value`` as a loaded ``Municipality``: an id is loaded from its bundled file (once
    per id); ``ConfigError`` if that file is missing or invalid.

    For tests, benchmarks and code without a vault. The program reads the settings kept
    in the vault (``session.municipality``, a ``Municipality``), never the bundled file
    after setup."""
    if isinstance(value, str):
        return _load_cached(value)
    return value


# --- checking a file ----------------------------------------------------------------


def _reject_unknown(
    doc: TomlDocument, table: dict[str, Any], allowed: set[str], where: str
) -> None:
    for key in table:
        if key not in allowed:
            path = f"{where}.{key}" if where else key
            raise doc.error(path, "知らない項目です（綴りを確認してください）")


def _bool(doc: TomlDocument, table: dict[str, Any], key: str, where: str, default: bool) -> bool:
    return doc.boolean(table, key, where) if key in table else default


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _checked_text(doc: TomlDocument, value: str, path: str, size: str) -> str:
    if _BAD_CHARS.search(value) or (size == "short" and ("\n" in value or "\t" in value)):
        raise doc.error(path, "改行や制御文字は使えません")
    limit = MAX_TEXT[size]
    if len(value) > limit:
        raise doc.error(path, f"{limit}文字以内にしてください")
    return value


def _text(
    doc: TomlDocument, table: dict[str, Any], key: str, where: str = "", size: str = "short"
) -> str:
    """A required, non-empty string without control characters, within its length."""
    return _checked_text(doc, doc.string(table, key, where), _path(where, key), size)


def _optional_text(
    doc: TomlDocument, table: dict[str, Any], key: str, where: str = "", size: str = "short"
) -> str:
    return _checked_text(doc, doc.optional_string(table, key, where), _path(where, key), size)


def _phone(doc: TomlDocument, table: dict[str, Any], key: str, where: str) -> str:
    value = _optional_text(doc, table, key, where)
    if value and not _PHONE_RE.match(unicodedata.normalize("NFKC", value).strip()):
        raise doc.error(_path(where, key), PHONE_PROBLEM)
    return value


def _identifier(doc: TomlDocument, table: dict[str, Any], key: str, where: str) -> str:
    value = doc.string(table, key, where)
    if not _ID_RE.match(value):
        raise doc.error(_path(where, key), ID_PROBLEM)
    return value


def _unique(doc: TomlDocument, ids: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise doc.error(f"{where}[{index}].id", f"{what}ID「{item_id}」が重複しています")
        seen.add(item_id)


def _texts(doc: TomlDocument, table: dict[str, Any], key: str, where: str = "") -> list[str]:
    values = doc.strings(table, key, where)
    for value in values:
        _checked_text(doc, value, _path(where, key), "long")
    return values


def _build(doc: TomlDocument) -> Municipality:
    data = doc.data
    _reject_unknown(doc, data, _TOP_KEYS, "")
    municipality_id = _identifier(doc, data, "id", "")
    hours = tuple(_texts(doc, data, "consultation_hours"))

    raw_centre = doc.table(data, "centre")
    _reject_unknown(doc, raw_centre, _CENTRE_KEYS, "centre")
    number_format = _optional_text(doc, raw_centre, "document_number_format", "centre")
    problem = format_problem(number_format)
    if problem is not None:
        raise doc.error("centre.document_number_format", problem.rstrip("。"))
    centre = Centre(
        name=_text(doc, raw_centre, "name", "centre"),
        department=_text(doc, raw_centre, "department", "centre"),
        phone=_phone(doc, raw_centre, "phone", "centre"),
        address=_optional_text(doc, raw_centre, "address", "centre", "long"),
        hours=_optional_text(doc, raw_centre, "hours", "centre", "long") or "、".join(hours),
        head_title=_optional_text(doc, raw_centre, "head_title", "centre"),
        head_name=_optional_text(doc, raw_centre, "head_name", "centre"),
        document_number_format=number_format,
        verified=_bool(doc, raw_centre, "verified", "centre", default=True),
    )

    departments: list[Department] = []
    for index, raw in enumerate(doc.tables(data, "departments")):
        where = f"departments[{index}]"
        _reject_unknown(doc, raw, _DEPARTMENT_KEYS, where)
        department = Department(
            id=_identifier(doc, raw, "id", where),
            name=_text(doc, raw, "name", where),
            role=_optional_text(doc, raw, "role", where, "long"),
        )
        if any(d.id == department.id for d in departments):
            raise doc.error(f"{where}.id", f"部署ID「{department.id}」が重複しています")
        departments.append(department)
    department_ids = {d.id for d in departments}

    destinations = [
        _destination(doc, raw, index, department_ids)
        for index, raw in enumerate(doc.tables(data, "destinations"))
    ]
    _unique(doc, [d.id for d in destinations], "destinations", "連絡先")
    if not any(d.kind in CHILD_NOTIFICATION_KINDS and not d.disabled for d in destinations):
        raise doc.error(
            "destinations",
            '使用中の子どもの通告先（kind = "child_department" または "child_guidance"）が必要です',
        )

    court = None
    if "protection_order_court" in data:
        raw_court = doc.table(data, "protection_order_court")
        _reject_unknown(doc, raw_court, _COURT_KEYS, "protection_order_court")
        where = "protection_order_court"
        court = Court(
            name=_text(doc, raw_court, "name", where),
            address=_optional_text(doc, raw_court, "address", where, "long"),
            phone=_phone(doc, raw_court, "phone", where),
            note=_optional_text(doc, raw_court, "note", where, "long"),
            verified=_bool(doc, raw_court, "verified", where, default=True),
        )

    places = DEFAULT_SUPPORT_MEASURE_PLACES
    if "support_measure_places" in data:
        places = tuple(
            _place(doc, raw, index, department_ids)
            for index, raw in enumerate(doc.tables(data, "support_measure_places"))
        )
        _unique(doc, [p.id for p in places], "support_measure_places", "確認先")

    returns = DEFAULT_OFFICIAL_RETURNS
    if "official_returns" in data:
        returns = _official_returns(doc, doc.table(data, "official_returns"))

    hotlines: list[Hotline] = []
    if "hotlines" in data:
        for index, raw in enumerate(doc.tables(data, "hotlines")):
            where = f"hotlines[{index}]"
            _reject_unknown(doc, raw, _HOTLINE_KEYS, where)
            hotline = Hotline(
                id=_identifier(doc, raw, "id", where),
                name=_text(doc, raw, "name", where),
                phone=_phone(doc, raw, "phone", where),
                note=_optional_text(doc, raw, "note", where, "long"),
            )
            if not hotline.phone:
                raise doc.error(f"{where}.phone", "電話番号を書いてください")
            hotlines.append(hotline)
        _unique(doc, [h.id for h in hotlines], "hotlines", "電話窓口")
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
        name=_text(doc, data, "name"),
        prefecture=_text(doc, data, "prefecture"),
        centre=centre,
        departments=tuple(departments),
        destinations=tuple(destinations),
        consultation_hours=hours,
        retention_years=doc.integer(
            data, "retention_years", minimum=1, maximum=MAX_RETENTION_YEARS
        ),
        backup_reminder_days=doc.integer(
            data, "backup_reminder_days", minimum=1, maximum=MAX_BACKUP_REMINDER_DAYS
        ),
        protection_order_court=court,
        support_measure_places=places,
        official_returns=returns,
        hotlines=tuple(hotlines),
        support_measure_starts_on=starts_on,
    )


def _destination(
    doc: TomlDocument, raw: dict[str, Any], index: int, department_ids: set[str]
) -> Destination:
    where = f"destinations[{index}]"
    _reject_unknown(doc, raw, _DESTINATION_KEYS, where)
    dest_id = _identifier(doc, raw, "id", where)
    kind = doc.string(raw, "kind", where)
    if kind not in DESTINATION_KINDS:
        raise doc.error(
            f"{where}.kind", f"「{kind}」は使えません（{'、'.join(DESTINATION_KINDS)}）"
        )
    fields = doc.strings(raw, "fields", where)
    for field_id in fields:
        if field_id not in REFERRAL_FIELDS and field_id not in LEGACY_REFERRAL_FIELDS:
            raise doc.error(f"{where}.fields", f"「{field_id}」は開示できる項目にありません")
    # a file (or the vault's stored settings) from before the children's ids were split
    fields = current_field_ids(fields)
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
        name=_text(doc, raw, "name", where),
        kind=kind,
        fields=tuple(dict.fromkeys(fields)),
        contact=_optional_text(doc, raw, "contact", where, "long"),
        consent_required=consent_required,
        internal=_bool(doc, raw, "internal", where, default=dest_id in department_ids),
        serves=tuple(dict.fromkeys(serves)),
        note=_optional_text(doc, raw, "note", where, "long"),
        verified=_bool(doc, raw, "verified", where, default=True),
        disabled=_bool(doc, raw, "disabled", where, default=False),
        women_only=_bool(doc, raw, "women_only", where, default=False),
    )


def _place(
    doc: TomlDocument, raw: dict[str, Any], index: int, department_ids: set[str]
) -> SupportMeasurePlace:
    where = f"support_measure_places[{index}]"
    _reject_unknown(doc, raw, _PLACE_KEYS, where)
    departments = doc.strings(raw, "departments", where) if "departments" in raw else []
    for department in departments:
        if department not in department_ids:
            raise doc.error(
                f"{where}.departments", f"「{department}」は部署（departments）にありません"
            )
    return SupportMeasurePlace(
        id=_identifier(doc, raw, "id", where),
        name=_text(doc, raw, "name", where),
        departments=tuple(dict.fromkeys(departments)),
        outside=_bool(doc, raw, "outside", where, default=False),
        note=_optional_text(doc, raw, "note", where, "long"),
        verified=_bool(doc, raw, "verified", where, default=True),
    )


def _categories(doc: TomlDocument, table: dict[str, Any], key: str) -> tuple[Category, ...]:
    where = f"official_returns.{key}"
    result: list[Category] = []
    for index, raw in enumerate(doc.tables(table, key, "official_returns")):
        at = f"{where}[{index}]"
        _reject_unknown(doc, raw, _CATEGORY_KEYS, at)
        result.append(Category(_identifier(doc, raw, "id", at), _text(doc, raw, "name", at)))
    _unique(doc, [c.id for c in result], where, "分類")
    return tuple(result)


def _official_returns(doc: TomlDocument, table: dict[str, Any]) -> OfficialReturns:
    _reject_unknown(doc, table, _RETURNS_KEYS, "official_returns")
    where = "official_returns.channel_groups"
    groups: list[ChannelGroup] = []
    counted: dict[str, int] = {}
    for index, raw in enumerate(doc.tables(table, "channel_groups", "official_returns")):
        at = f"{where}[{index}]"
        _reject_unknown(doc, raw, _GROUP_KEYS, at)
        channels = doc.strings(raw, "channels", at)
        for channel in channels:
            if channel not in CHANNEL_CODES:
                raise doc.error(
                    f"{at}.channels",
                    f"「{channel}」は相談の方法にありません（{'、'.join(CHANNEL_CODES)}）",
                )
            if channel in counted:
                raise doc.error(f"{at}.channels", f"「{channel}」が2つの区分に入っています")
            counted[channel] = index
        groups.append(
            ChannelGroup(
                _identifier(doc, raw, "id", at),
                _text(doc, raw, "name", at),
                tuple(channels),
            )
        )
    _unique(doc, [g.id for g in groups], where, "区分")
    missing = [c for c in CHANNEL_CODES if c not in counted]
    if missing:
        raise doc.error(where, f"「{'、'.join(missing)}」がどの区分にも入っていません")
    return OfficialReturns(
        channel_groups=tuple(groups),
        report_sources=_categories(doc, table, "report_sources"),
        main_complaints=_categories(doc, table, "main_complaints"),
    )
