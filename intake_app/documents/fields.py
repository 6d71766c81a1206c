"""Field ids a referral can disclose, with their labels and how each prints.

The ids are shared with the municipality file's destination whitelists and
``intake_app.domain.rules.referrals``. A field not listed here is never printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from intake_app.documents._dates import format_date
from intake_app.domain.japanese import age_on
from intake_app.domain.model import LABELS, REFERRAL_FIELDS, UNKNOWN_LABEL, Child, Intake
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


def _safe_contact(i: Intake, *, with_times: bool = True) -> str:
    c = i.client.safe_contact
    parts = [
        f"電話: {_yes_no(c.may_call, '可', '不可')}",
        f"留守電・伝言: {_yes_no(c.may_leave_message, '可', '不可')}",
        f"郵便・メール: {_yes_no(c.may_mail, '可', '不可')}",
    ]
    if with_times and c.safe_times:
        parts.append(f"連絡してよい時間: {c.safe_times}")
    return "\n".join(parts)


CHILD_FIELDS = (
    "household.children.name_age",
    "household.children.sex",
    "household.children.school",
)


def child_age(child: Child, on: dt.date | None) -> int | None:
    """The child's age on ``on`` from the date of birth when recorded, else as recorded."""
    if child.date_of_birth is not None and on is not None and on >= child.date_of_birth:
        return age_on(child.date_of_birth, on)
    return child.age


def consulted_on(i: Intake) -> dt.date | None:
    started = i.consultation.started_at
    return started.date() if started is not None else None


def children_text(i: Intake, ids: Iterable[str] = CHILD_FIELDS) -> str:
    """One line per child with the parts ``ids`` allow: name, age and living together
    (``name_age``), the sex (``sex``), the school or nursery (``school``)."""
    shown = set(ids)
    if not i.household.children:
        return "なし"
    lines = []
    for n, child in enumerate(i.household.children, 1):
        bits = []
        if "household.children.name_age" in shown:
            age = child_age(child, consulted_on(i))
            bits += [child.name or f"子ども{n}", f"{age}歳" if age is not None else "年齢不明"]
        else:
            bits.append(f"子ども{n}")
        if "household.children.sex" in shown:
            bits.append(_label("child_sex", child.sex) if child.sex else "性別不明")
        if "household.children.name_age" in shown and child.lives_with_client is not None:
            bits.append("同居" if child.lives_with_client else "別居")
        if "household.children.school" in shown and child.school:
            bits.append(child.school)
        lines.append("　".join(bits))
    return "\n".join(lines)


def perpetrator_name(i: Intake) -> str:
    r = i.relationship
    name = r.perpetrator_name.strip()
    kana = r.perpetrator_kana.strip()
    if name and kana:
        return f"{name}（{kana}）"
    return name or kana or UNKNOWN_LABEL


def perpetrator_birth(i: Intake) -> str:
    """「昭和60（1985）年5月1日（41歳）」, or the recorded age, or 不明."""
    r = i.relationship
    born = r.perpetrator_date_of_birth
    if born is not None:
        on = consulted_on(i)
        if on is not None and on >= born:
            return f"{format_date(born)}（{age_on(born, on)}歳）"
        return format_date(born)
    if r.perpetrator_age is not None:
        return f"{r.perpetrator_age}歳（生年月日不明）"
    return UNKNOWN_LABEL


def _health(i: Intake) -> str:
    s = i.shelter
    parts = []
    if s.health.strip():
        parts.append(s.health.strip())
    if s.medication.strip():
        parts.append(f"服薬: {s.medication.strip()}")
    return "\n".join(parts) or UNKNOWN_LABEL


def _insurance(i: Intake) -> str:
    s = i.shelter
    if s.insurance is None and s.insurance_card is None:
        return UNKNOWN_LABEL
    kind = _label("insurance", s.insurance)
    if s.insurance_card is None or s.insurance == "none":
        return kind
    return f"{kind}（保険証を{'持っている' if s.insurance_card else '持っていない'}）"


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
    "household.children.name_age": lambda i: children_text(i, ("household.children.name_age",)),
    "household.children.sex": lambda i: children_text(i, ("household.children.sex",)),
    "household.children.school": lambda i: children_text(i, CHILD_FIELDS),
    "household.relatives_at_risk": lambda i: _yes_no(i.household.relatives_at_risk),
    "relationship.type": lambda i: _label("relationship", i.relationship.type),
    "relationship.perpetrator_name": perpetrator_name,
    "relationship.perpetrator_date_of_birth": perpetrator_birth,
    "relationship.perpetrator_address": lambda i: _or_unknown(i.relationship.perpetrator_address),
    "relationship.perpetrator_weapons": lambda i: _or_unknown(i.relationship.perpetrator_weapons),
    "relationship.perpetrator_vehicle": lambda i: _or_unknown(i.relationship.perpetrator_vehicle),
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
    "shelter.health": _health,
    "shelter.money": lambda i: _or_unknown(i.shelter.money),
    "shelter.insurance": _insurance,
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


def rows(intake: Intake, ids: Sequence[str]) -> list[tuple[str, str]]:
    """The label and value of each field of ``ids`` (already decided: whitelisted and
    confirmed), each fact once: the children's parts on one 「子ども」 row, the safe times
    on their own row only, the age group only without a date of birth row."""
    shown = [f for f in dict.fromkeys(ids) if f in FIELDS]
    out: list[tuple[str, str]] = []
    children_done = False
    for field_id in shown:
        if field_id in CHILD_FIELDS:
            if not children_done:
                children_done = True
                out.append(
                    ("子ども", children_text(intake, [f for f in shown if f in CHILD_FIELDS]))
                )
            continue
        if field_id == "client.age_group" and "client.date_of_birth" in shown:
            continue  # the date of birth row prints the age group when the date is unknown
        if field_id == "client.safe_contact":
            with_times = "client.safe_contact.safe_times" not in shown
            out.append((FIELDS[field_id].label, _safe_contact(intake, with_times=with_times)))
            continue
        out.append((FIELDS[field_id].label, FIELDS[field_id].render(intake)))
    return out
