"""The municipality settings as data and as a TOML file: what the vault keeps, exports and
imports.

``to_data(municipality)`` gives the settings as the file's structure (plain dicts and
lists, every key written out); ``to_toml`` writes that as a municipality file that
``municipality.municipality_from_text`` reads back to an equal ``Municipality``
(``from_data`` does both). Editing screens change the data and check it with
``from_data``, so they refuse exactly what the file loader refuses, naming the key.
"""

from __future__ import annotations

import re
from typing import Any

from intake_app.domain.municipality import (
    Category,
    ChannelGroup,
    Court,
    Department,
    Destination,
    Hotline,
    Municipality,
    SupportMeasurePlace,
    municipality_from_text,
)

Data = dict[str, Any]

# The tables of arrays the file has, in the order they are written; each entry has an id.
LISTS: tuple[str, ...] = (
    "departments",
    "destinations",
    "support_measure_places",
    "official_returns.channel_groups",
    "official_returns.report_sources",
    "official_returns.main_complaints",
    "hotlines",
)
# Lists that may be left out of a file when empty (the others need at least one entry).
_OPTIONAL_LISTS = {"hotlines"}


def _centre(m: Municipality) -> Data:
    c = m.centre
    return {
        "name": c.name,
        "department": c.department,
        "head_title": c.head_title,
        "head_name": c.head_name,
        "phone": c.phone,
        "address": c.address,
        "hours": c.hours,
        "document_number_format": c.document_number_format,
        "verified": c.verified,
    }


def _court(court: Court) -> Data:
    return {
        "name": court.name,
        "address": court.address,
        "phone": court.phone,
        "note": court.note,
        "verified": court.verified,
    }


def _department(d: Department) -> Data:
    return {"id": d.id, "name": d.name, "role": d.role}


def _destination(d: Destination) -> Data:
    return {
        "id": d.id,
        "name": d.name,
        "kind": d.kind,
        "contact": d.contact,
        "consent_required": d.consent_required,
        "internal": d.internal,
        "verified": d.verified,
        "disabled": d.disabled,
        "women_only": d.women_only,
        "fields": list(d.fields),
        "serves": list(d.serves),
        "note": d.note,
    }


def _place(p: SupportMeasurePlace) -> Data:
    return {
        "id": p.id,
        "name": p.name,
        "departments": list(p.departments),
        "outside": p.outside,
        "note": p.note,
        "verified": p.verified,
    }


def _category(c: Category) -> Data:
    return {"id": c.id, "name": c.name}


def _group(g: ChannelGroup) -> Data:
    return {"id": g.id, "name": g.name, "channels": list(g.channels)}


def _hotline(h: Hotline) -> Data:
    return {"id": h.id, "name": h.name, "phone": h.phone, "note": h.note}


def to_data(m: Municipality) -> Data:
    """Every setting of ``m`` in the file's structure (a fresh, mutable copy)."""
    data: Data = {
        "id": m.id,
        "name": m.name,
        "prefecture": m.prefecture,
        "consultation_hours": list(m.consultation_hours),
        "retention_years": m.retention_years,
        "backup_reminder_days": m.backup_reminder_days,
        "support_measure_starts_on": m.support_measure_starts_on,
        "centre": _centre(m),
    }
    if m.protection_order_court is not None:
        data["protection_order_court"] = _court(m.protection_order_court)
    data["departments"] = [_department(d) for d in m.departments]
    data["destinations"] = [_destination(d) for d in m.destinations]
    data["support_measure_places"] = [_place(p) for p in m.support_measure_places]
    returns = m.official_returns
    data["official_returns"] = {
        "channel_groups": [_group(g) for g in returns.channel_groups],
        "report_sources": [_category(c) for c in returns.report_sources],
        "main_complaints": [_category(c) for c in returns.main_complaints],
    }
    data["hotlines"] = [_hotline(h) for h in m.hotlines]
    return data


def from_data(data: Data, name: str = "設定") -> Municipality:
    """``data`` checked by the file loader (``ConfigError`` naming the key, as for a file)."""
    return municipality_from_text(dumps(data), name)


def to_toml(m: Municipality, *, header: str = "") -> str:
    """``m`` as a municipality file; ``header`` becomes comment lines at the top."""
    return dumps(to_data(m), header=header)


# --- a TOML writer for this structure -------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"設定に書けない値です: {type(value).__name__}")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _pairs(table: Data) -> list[str]:
    return [
        f"{_key(k)} = {_value(v)}"
        for k, v in table.items()
        if not isinstance(v, dict) and not _is_table_list(v)
    ]


def dumps(data: Data, *, header: str = "") -> str:
    """``data`` (the structure of ``to_data``) as TOML text."""
    data = {k: v for k, v in data.items() if not (k in _OPTIONAL_LISTS and v == [])}
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if lines:
        lines.append("")
    lines.extend(_pairs(data))
    tables: list[tuple[str, Data]] = []
    arrays: list[tuple[str, list[Data]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif _is_table_list(value):
            arrays.append((key, value))
    for key, table in tables:
        nested = [(f"{key}.{k}", v) for k, v in table.items() if _is_table_list(v)]
        pairs = _pairs(table)
        if pairs or not nested:
            lines.extend(["", f"[{_key(key)}]", *pairs])
        arrays.extend(nested)
    order = {name: i for i, name in enumerate(LISTS)}
    arrays.sort(key=lambda item: order.get(item[0], len(order)))
    for key, entries in arrays:
        for entry in entries:
            header_key = ".".join(_key(part) for part in key.split("."))
            lines.extend(["", f"[[{header_key}]]", *_pairs(entry)])
    return "\n".join(lines) + "\n"
