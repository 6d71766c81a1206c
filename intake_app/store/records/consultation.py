"""One saved consultation in full, with its advice as it was stored then.

``read_consultation(conn, consultation_id)`` returns the stored intake and the
outcomes written with it in the same transaction (``risk_assessments`` with the
checklist version, ``shelter_decisions``, ``protection_order_advice``, ``referrals``,
the case's ``support_measures`` row of the date this consultation recorded, the child
notification flags), never a result computed again with today's rules. What was not
stored (the reasons of the risk level and of the protection-order advice, the
suggested destinations) is ``None`` or empty here, and the screen says so. It reads
through a connection the caller opened as an audited read
(``Records.open_consultation``: ``consultation.open``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.model import Intake
from intake_app.store.connection import Connection
from intake_app.store.errors import RecordNotFound
from intake_app.store.records.stored import unpack_intake


@dataclass(frozen=True)
class StoredRisk:
    checklist_version: str
    assessed_on: dt.date
    answers: dict[str, bool | None]
    yes_count: int
    red_flags: list[str]
    computed: str
    final: str
    judgement: str | None
    judgement_reason: str | None


@dataclass(frozen=True)
class StoredShelter:
    recommendation: str
    reasons: list[str]  # the texts shown then (the rules they cited were not stored)
    routes: list[str]
    client_wish: str | None
    requested: bool
    accompanying_children: list[int]


@dataclass(frozen=True)
class StoredProtectionOrder:
    eligible: bool
    orders: list[dict[str, Any]]
    prerequisite: str | None
    alternative_routes: list[str]
    counts_as_prior: bool
    client_intention: str | None
    state: str | None = None  # eligible / not_eligible / pending; None before 判断待ち existed


@dataclass(frozen=True)
class StoredReferral:
    destination_id: str
    purpose: str
    fields: list[str]
    consent: bool
    consent_method: str | None
    consent_at: dt.datetime | None
    mandatory: bool
    whereabouts_confirmed: bool
    referred_on: dt.date


@dataclass(frozen=True)
class StoredSupportMeasure:
    applied_on: dt.date
    expires_on: dt.date
    ended_on: dt.date | None
    notified_on: dt.date | None = None  # the municipality's 確認結果の連絡日
    start_on: dt.date | None = None  # the day the year was counted from


@dataclass(frozen=True)
class ConsultationRecord:
    """Everything one consultation recorded. ``intake`` is the intake as saved; the
    ``Stored*`` parts are the outcomes saved with it (None where the row is missing)."""

    consultation_id: int
    case_id: int
    case_number: str
    consulted_on: dt.date
    saved_at: dt.datetime | None
    counselor: str  # the login (display) name of who saved it, "" when unknown
    intake: Intake
    risk: StoredRisk | None
    shelter: StoredShelter | None
    protection_order: StoredProtectionOrder | None
    referrals: list[StoredReferral] = field(default_factory=list)
    child_notification_required: bool = False
    child_notified: bool = False
    support_measure: StoredSupportMeasure | None = None


def read_consultation(conn: Connection, consultation_id: int) -> ConsultationRecord:
    """The consultation ``consultation_id`` (``RecordNotFound`` if there is none)."""
    row = conn.execute(
        "SELECT c.id, c.case_id, k.case_number, c.consulted_on, c.created_at,"
        " coalesce(nullif(u.display_name, ''), u.name, ''), d.intake,"
        " c.child_notification, c.child_notified"
        " FROM consultations c JOIN cases k ON k.id = c.case_id"
        " JOIN consultation_details d ON d.consultation_id = c.id"
        " LEFT JOIN users u ON u.id = c.counselor_id WHERE c.id = ?",
        (consultation_id,),
    ).fetchone()
    if row is None:
        raise RecordNotFound("相談記録")
    intake = unpack_intake(bytes(row[6]))
    return ConsultationRecord(
        consultation_id=int(row[0]),
        case_id=int(row[1]),
        case_number=str(row[2]),
        consulted_on=dt.date.fromisoformat(str(row[3])),
        saved_at=_moment(row[4]),
        counselor=str(row[5] or ""),
        intake=intake,
        risk=_risk(conn, consultation_id),
        shelter=_shelter(conn, consultation_id),
        protection_order=_protection_order(conn, consultation_id),
        referrals=_referrals(conn, consultation_id),
        child_notification_required=bool(row[7]),
        child_notified=bool(row[8]),
        support_measure=_support_measure(conn, int(row[1]), intake.address.applied_on),
    )


def _moment(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _list(text: object) -> list[Any]:
    value = json.loads(text) if isinstance(text, str) and text else []
    return list(value) if isinstance(value, list) else []


def _risk(conn: Connection, cid: int) -> StoredRisk | None:
    r = conn.execute(
        "SELECT checklist_version, assessed_on, answers, yes_count, red_flags, computed,"
        " final, judgement, judgement_reason FROM risk_assessments WHERE consultation_id = ?",
        (cid,),
    ).fetchone()
    if r is None:
        return None
    answers = json.loads(r[2]) if r[2] else {}
    return StoredRisk(
        checklist_version=str(r[0]),
        assessed_on=dt.date.fromisoformat(str(r[1])),
        answers={str(k): v if isinstance(v, bool) else None for k, v in answers.items()},
        yes_count=int(r[3]),
        red_flags=[str(x) for x in _list(r[4])],
        computed=str(r[5]),
        final=str(r[6]),
        judgement=r[7],
        judgement_reason=r[8],
    )


def _shelter(conn: Connection, cid: int) -> StoredShelter | None:
    r = conn.execute(
        "SELECT recommendation, reasons, routes, client_wish, requested,"
        " accompanying_children FROM shelter_decisions WHERE consultation_id = ?",
        (cid,),
    ).fetchone()
    if r is None:
        return None
    return StoredShelter(
        recommendation=str(r[0]),
        reasons=[str(x) for x in _list(r[1])],
        routes=[str(x) for x in _list(r[2])],
        client_wish=r[3],
        requested=bool(r[4]),
        accompanying_children=[int(x) for x in _list(r[5])],
    )


def _protection_order(conn: Connection, cid: int) -> StoredProtectionOrder | None:
    r = conn.execute(
        "SELECT eligible, orders, prerequisite, alternative_routes, counts_as_prior,"
        " client_intention, state FROM protection_order_advice WHERE consultation_id = ?",
        (cid,),
    ).fetchone()
    if r is None:
        return None
    return StoredProtectionOrder(
        eligible=bool(r[0]),
        orders=[dict(o) for o in _list(r[1]) if isinstance(o, dict)],
        prerequisite=r[2],
        alternative_routes=[str(x) for x in _list(r[3])],
        counts_as_prior=bool(r[4]),
        client_intention=r[5],
        state=r[6],
    )


def _referrals(conn: Connection, cid: int) -> list[StoredReferral]:
    rows = conn.execute(
        "SELECT destination_id, purpose, fields, consent, consent_method, consent_at,"
        " mandatory, whereabouts_confirmed, referred_on FROM referrals"
        " WHERE consultation_id = ? ORDER BY id",
        (cid,),
    ).fetchall()
    return [
        StoredReferral(
            destination_id=str(r[0]),
            purpose=str(r[1] or ""),
            fields=[str(x) for x in _list(r[2])],
            consent=bool(r[3]),
            consent_method=r[4],
            consent_at=_moment(r[5]),
            mandatory=bool(r[6]),
            whereabouts_confirmed=bool(r[7]),
            referred_on=dt.date.fromisoformat(str(r[8])),
        )
        for r in rows
    ]


def _support_measure(
    conn: Connection, case_id: int, applied_on: dt.date | None
) -> StoredSupportMeasure | None:
    """The case's 支援措置 row for the date this consultation recorded (a follow-up
    that kept the same date shares the first consultation's row)."""
    if applied_on is None:
        return None
    r = conn.execute(
        "SELECT applied_on, expires_on, ended_on, notified_on, start_on FROM support_measures"
        " WHERE case_id = ? AND applied_on = ?",
        (case_id, applied_on.isoformat()),
    ).fetchone()
    if r is None:
        return None
    return StoredSupportMeasure(
        applied_on=dt.date.fromisoformat(str(r[0])),
        expires_on=dt.date.fromisoformat(str(r[1])),
        ended_on=_day(r[2]),
        notified_on=_day(r[3]),
        start_on=_day(r[4]),
    )


def _day(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None
