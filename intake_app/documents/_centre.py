"""What the documents read from the municipality configuration.

The documents take the loaded ``Municipality`` (``intake_app.domain.municipality``)
and read only the few things below from it, so a city changes its papers by
editing its configuration file, not code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from intake_app.documents.errors import DocumentError


@dataclass(frozen=True)
class Sender:
    city: str
    name: str  # the support centre
    department: str  # the department that runs it (a neutral name for discreet papers)
    phone: str
    address: str
    hours: str


@dataclass(frozen=True)
class Destination:
    id: str
    name: str
    kind: str
    fields: tuple[str, ...]
    contact: str
    raw: Any = field(default=None, compare=False, repr=False)  # the municipality's own object


@dataclass(frozen=True)
class Court:
    name: str
    address: str
    phone: str
    note: str


def _get(obj: Any, *names: str, default: Any = "") -> Any:
    for name in names:
        if isinstance(obj, dict):
            if name in obj and obj[name] is not None:
                return obj[name]
        elif getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def _contact_text(contact: Any) -> str:
    if isinstance(contact, str):
        return contact
    if contact is None:
        return ""
    parts = [_get(contact, "department", "name"), _get(contact, "phone", "tel")]
    return "　".join(str(p) for p in parts if p)


def sender(municipality: Any) -> Sender:
    centre = _get(municipality, "centre", "center", default=None)
    if centre is None:
        raise DocumentError("市区町村設定に相談支援センターの情報がありません")
    hours = _get(centre, "hours", default="") or _get(municipality, "hours", default="")
    if not isinstance(hours, str):
        hours = "、".join(str(h) for h in hours)
    return Sender(
        city=str(_get(municipality, "city", "name")),
        name=str(_get(centre, "name")),
        department=str(_get(centre, "department", "operated_by", "operator")),
        phone=str(_get(centre, "phone", "tel")),
        address=str(_get(centre, "address")),
        hours=str(hours),
    )


def _as_destination(raw: Any) -> Destination:
    return Destination(
        id=str(_get(raw, "id")),
        name=str(_get(raw, "name")),
        kind=str(_get(raw, "kind")),
        fields=tuple(str(f) for f in _get(raw, "fields", default=())),
        contact=_contact_text(_get(raw, "contact", default=None))
        or "　".join(str(x) for x in (_get(raw, "department"), _get(raw, "phone")) if x),
        raw=raw,
    )


def destinations(municipality: Any) -> list[Destination]:
    raw = _get(municipality, "destinations", default=())
    if isinstance(raw, dict):
        raw = list(raw.values())
    return [_as_destination(d) for d in raw]


def destination(municipality: Any, destination_id: str) -> Destination:
    for dest in destinations(municipality):
        if dest.id == destination_id:
            return dest
    raise DocumentError(f"連絡先「{destination_id}」が市区町村設定にありません")


def first_of_kind(municipality: Any, kinds: Sequence[str]) -> Destination | None:
    for kind in kinds:
        for dest in destinations(municipality):
            if dest.kind == kind:
                return dest
    return None


def court(municipality: Any) -> Court | None:
    raw = _get(municipality, "protection_order_court", "court", default=None)
    if raw is None:
        return None
    return Court(
        name=str(_get(raw, "name")),
        address=str(_get(raw, "address")),
        phone=str(_get(raw, "phone")),
        note=str(_get(raw, "note")),
    )
