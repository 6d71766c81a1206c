"""Field ids a referral can disclose, with their labels and how each prints.

The ids are shared with the municipality file's destination whitelists and
``intake_app.domain.rules.referrals``. A field not listed here is never printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake_app.documents._dates import format_date
from intake_app.domain.model import LABELS, REFERRAL_FIELDS, UNKNOWN_LABEL, Intake
from intake_app.domain.rules.referrals import LOCATION_FIELDS as LOCATION_FIELDS

# LOCATION_FIELDS can lead the perpetrator to a client who fled: printed only when the
# destination's whitelist allows them AND the counselor confirmed (rules.md §7).


def _yes_no(value: bool | None, yes: str = "あり", no: str = "なし") -> str:
    if value is None:
        return UNKNOWN_LABEL
    return yes if value else no


def _or_unknown(value: str) -> str:
    return value.strip() or UNKNOWN_LABEL


def _label(group: str, code: str | None) -> str:
    if code is None:
        return UNKNOWN_LABEL
    return LABELS[group].get(code, code)


def _name(i: Intake) -> str:
    if i.client.anonymous:
        return "匿名（氏名の申出なし）"
    return _or_unknown(i.client.name)


def _safe_contact(i: Intake) -> str:
    c = i.client.safe_contact
    parts = [
        f"電話: {_yes_no(c.may_call, '可', '不可')}",
        f"留守電・伝言: {_yes_no(c.may_leave_message, '可', '不可')}",
        f"郵便・メール: {_yes_no(c.may_mail, '可', '不可')}",
    ]
    if c.safe_times:
        parts.append(f"連絡してよい時間: {c.safe_times}")
    return "\n".join(parts)


def _children(i: Intake) -> str:
    if not i.household.children:
        return "なし"
    lines = []
    for n, child in enumerate(i.household.children, 1):
        age = f"{child.age}歳" if child.age is not None else "年齢不明"
        bits = [child.name or f"子ども{n}", age]
        if child.lives_with_client is not None:
            bits.append("同居" if child.lives_with_client else "別居")
        if child.school:
            bits.append(child.school)
        lines.append("　".join(bits))
    return "\n".join(lines)


def _violence_types(i: Intake) -> str:
    lines = [
        f"{_label('violence', t)}（{_label('frequency', f)}）" for t, f in i.violence.types.items()
    ]
    if i.violence.absent:
        lines.append("なかった: " + "、".join(_label("violence", t) for t in i.violence.absent))
    return "\n".join(lines) or UNKNOWN_LABEL


def _threats(i: Intake) -> str:
    if not i.violence.threats:
        return "なし・不明"
    return "、".join(_label("threat", t) for t in i.violence.threats)


def _language(i: Intake) -> str:
    interp = i.consultation.interpreter
    suffix = "" if interp is None else ("（通訳必要）" if interp else "（通訳不要）")
    return _or_unknown(i.consultation.language) + suffix


def _date_of_birth(i: Intake) -> str:
    if i.client.date_of_birth is not None:
        return format_date(i.client.date_of_birth)
    return _label("age_group", i.client.age_group)


def _support_measure(i: Intake) -> str:
    a = i.address
    if not a.support_measure_applied:
        return "申出なし"
    return f"申出あり（{format_date(a.applied_on)}）"


@dataclass(frozen=True)
class FieldSpec:
    label: str
    render: Callable[[Intake], str]


_RENDERERS: dict[str, Callable[[Intake], str]] = {
    "client.name": _name,
    "client.kana": lambda i: _or_unknown(i.client.kana),
    "client.aliases": lambda i: "、".join(i.client.aliases) if i.client.aliases else "なし",
    "client.date_of_birth": _date_of_birth,
    "client.age_group": lambda i: _label("age_group", i.client.age_group),
    "client.gender": lambda i: _label("gender", i.client.gender),
    "client.nationality": lambda i: _or_unknown(i.client.nationality),
    "client.language": _language,
    "client.disability": lambda i: _yes_no(i.client.disability),
    "client.pregnant": lambda i: _yes_no(i.client.pregnant),
    "client.safe_contact": _safe_contact,
    "client.safe_contact.phone": lambda i: _or_unknown(i.client.safe_contact.phone),
    "client.safe_contact.email": lambda i: _or_unknown(i.client.safe_contact.email),
    "client.safe_contact.safe_times": lambda i: _or_unknown(i.client.safe_contact.safe_times),
    "client.address": lambda i: _or_unknown(i.client.address),
    "client.current_whereabouts": lambda i: _or_unknown(i.client.current_whereabouts),
    "household.children": _children,
    "household.relatives_at_risk": lambda i: _yes_no(i.household.relatives_at_risk),
    "relationship.type": lambda i: _label("relationship", i.relationship.type),
    "relationship.perpetrator_name": lambda i: _or_unknown(i.relationship.perpetrator_name),
    "violence.types": _violence_types,
    "violence.threats": _threats,
    "violence.latest_incident": (
        lambda i: (
            f"{format_date(i.violence.latest_incident_on)}　{i.violence.latest_incident}".strip()
            if i.violence.latest_incident_on
            else _or_unknown(i.violence.latest_incident)
        )
    ),
    "violence.injuries": (
        lambda i: _or_unknown(
            "　".join(x for x in (i.violence.injuries, i.violence.treatment) if x)
        )
    ),
    "violence.police_involvement": lambda i: _or_unknown(i.violence.police_involvement),
    "needs.categories": (
        lambda i: "、".join(_label("need", c) for c in i.needs.categories) or UNKNOWN_LABEL
    ),
    "needs.note": lambda i: _or_unknown(i.needs.note),
    "address.support_measure": _support_measure,
    "address.do_not_disclose": (
        lambda i: (
            "追及注意（所在・連絡先を第三者に開示しないこと）"
            if i.address.do_not_disclose
            else "通常"
        )
    ),
    "consultation.content": lambda i: _or_unknown(i.consultation.content),
}


# Labels are the domain's (the screens show the same words); a field id the domain
# does not list is never printed, and every id it lists has a renderer (tested).
FIELDS: dict[str, FieldSpec] = {
    field_id: FieldSpec(REFERRAL_FIELDS[field_id], render)
    for field_id, render in _RENDERERS.items()
    if field_id in REFERRAL_FIELDS
}
