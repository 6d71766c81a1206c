"""The case file: what the case screen shows of one case, and the case's saved intakes.

``read_case_file`` builds a ``CaseFile`` from the narrow tables (no address and no
whereabouts: those stay inside the stored intake). ``latest_intake`` and
``case_intakes`` unpack the stored intakes themselves, for the follow-up prefill and
the papers. All of them read through a connection the caller has opened as an
audited read (``Records.open_case`` and friends).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.model import Intake
from intake_app.store.connection import Connection, Row
from intake_app.store.errors import RecordNotFound
from intake_app.store.handoff.packages import received_seed
from intake_app.store.records.stored import day, opt_day, opt_flag, unpack_intake


@dataclass(frozen=True)
class ConsultationEntry:
    id: int
    consulted_on: dt.date
    kind: str
    channel: str | None
    consulter: str | None
    risk_computed: str | None
    risk_final: str | None
    shelter_recommendation: str | None
    shelter_requested: bool
    po_eligible: bool | None
    child_notification: bool
    child_notified: bool
    counselor_id: int | None
    gender: str | None = None  # the client's, as recorded then (men: 緊急一時避難 wording)


@dataclass(frozen=True)
class RiskEntry:
    consultation_id: int
    assessed_on: dt.date
    checklist_version: str
    computed: str
    final: str
    yes_count: int
    red_flags: list[str]
    judgement_reason: str | None
    answered: int = 0  # items answered yes or no (none and no judgement: 未評価)
    judgement: str | None = None


@dataclass(frozen=True)
class ReferralEntry:
    id: int
    consultation_id: int
    referred_on: dt.date
    destination_id: str
    purpose: str
    fields: list[str]
    consent: bool
    consent_method: str | None
    mandatory: bool


@dataclass(frozen=True)
class DecisionEntry:
    """一時保護 and 保護命令 outcomes of one consultation."""

    consultation_id: int
    consulted_on: dt.date
    shelter_recommendation: str | None
    shelter_wish: str | None
    shelter_requested: bool
    po_eligible: bool | None
    po_orders: list[str]
    po_intention: str | None
    # "eligible" | "not_eligible" | "pending" (判断待ち); None for decisions stored before
    # the state was kept
    po_state: str | None = None
    # the orders as stored (rules.md §2.5: months, or None with "until": "approach_ban")
    po_order_details: list[dict[str, Any]] = field(default_factory=list)
    gender: str | None = None  # the client's, as recorded then


@dataclass(frozen=True)
class CaseEvent:
    """A close (終結) or reopen (再開) of the case, with its reason."""

    kind: str
    reason: str
    at: dt.datetime
    user_id: int | None


@dataclass(frozen=True)
class FollowUp:
    id: int
    case_id: int
    case_number: str
    due_on: dt.date
    note: str
    done_on: dt.date | None


@dataclass(frozen=True)
class SupportMeasure:
    """A 支援措置 (住民基本台帳事務における支援措置) applied for on the case."""

    case_id: int
    case_number: str
    applied_on: dt.date  # 申出日
    expires_on: dt.date  # the last day in force: one year from ``start_on``
    notified_on: dt.date | None = None  # 確認結果の連絡日 (rules.md §9.11)
    start_on: dt.date | None = None  # the day the year counts from (set when saved)


@dataclass(frozen=True)
class CaseFile:
    """What the case screen shows. No address and no whereabouts (those stay in the intake)."""

    case_id: int
    case_number: str
    status: str
    client_id: int
    name: str
    kana: str
    aliases: list[str]
    do_not_disclose: bool
    counter_note: str
    support_measure: SupportMeasure | None
    opened_on: dt.date
    closed_on: dt.date | None
    close_reason: str | None
    consultations: list[ConsultationEntry]
    risk_history: list[RiskEntry]
    referrals: list[ReferralEntry]
    decisions: list[DecisionEntry]
    events: list[CaseEvent]
    follow_ups: list[FollowUp]

    @property
    def banner(self) -> bool:
        """The persistent red banner: 支援措置 in force or 追及注意."""
        return self.do_not_disclose or self.support_measure is not None

    @property
    def closed(self) -> bool:
        return self.status == "closed"


def read_case_file(conn: Connection, case_id: int, today: dt.date) -> CaseFile:
    """Every part of the case file; ``RecordNotFound`` for an unknown case."""
    case = conn.execute(
        "SELECT k.case_number, k.status, k.client_id, c.name, c.kana,"
        " k.do_not_disclose, k.counter_note, k.opened_on, k.closed_on, k.close_reason"
        " FROM cases k JOIN clients c ON c.id = k.client_id WHERE k.id = ?",
        (case_id,),
    ).fetchone()
    if case is None:
        raise RecordNotFound("ケース")
    case_number = case["case_number"]
    return CaseFile(
        case_id=case_id,
        case_number=case_number,
        status=case["status"],
        client_id=case["client_id"],
        name=case["name"],
        kana=case["kana"],
        aliases=_aliases(conn, case["client_id"]),
        do_not_disclose=bool(case["do_not_disclose"]),
        counter_note=case["counter_note"],
        support_measure=_support_measure_in_force(conn, case_id, case_number, today),
        opened_on=day(case["opened_on"]),
        closed_on=opt_day(case["closed_on"]),
        close_reason=case["close_reason"],
        consultations=[_consultation(r) for r in _consultation_rows(conn, case_id)],
        risk_history=[_risk(r) for r in _risk_rows(conn, case_id)],
        referrals=[_referral(r) for r in _referral_rows(conn, case_id)],
        decisions=[_decision(r) for r in _decision_rows(conn, case_id)],
        events=[_event(r) for r in _event_rows(conn, case_id)],
        follow_ups=[_follow_up(r, case_id, case_number) for r in _follow_up_rows(conn, case_id)],
    )


def latest_intake(conn: Connection, case_id: int) -> Intake:
    """The case's most recent intake (to pre-fill a follow-up)."""
    row = conn.execute(
        "SELECT d.intake FROM consultations c"
        " JOIN consultation_details d ON d.consultation_id = c.id"
        " WHERE c.case_id = ? ORDER BY c.consulted_on DESC, c.id DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    if row is None:
        # a case handed over from another centre, before its first consultation here:
        # the follow-up starts from what the package brought
        seed = received_seed(conn, case_id)
        if seed is None:
            raise RecordNotFound("ケース")
        return seed
    return unpack_intake(row["intake"])


def case_intakes(conn: Connection, case_id: int) -> list[Intake]:
    """Every saved intake of the case, oldest first."""
    rows = conn.execute(
        "SELECT d.intake FROM consultations c"
        " JOIN consultation_details d ON d.consultation_id = c.id"
        " WHERE c.case_id = ? ORDER BY c.consulted_on, c.id",
        (case_id,),
    ).fetchall()
    if not rows:
        raise RecordNotFound("ケース")
    return [unpack_intake(r["intake"]) for r in rows]


# -- the parts --------------------------------------------------------------------------


def _aliases(conn: Connection, client_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT alias FROM client_aliases WHERE client_id = ? ORDER BY id", (client_id,)
    )
    return [r["alias"] for r in rows]


def _support_measure_in_force(
    conn: Connection, case_id: int, case_number: str, today: dt.date
) -> SupportMeasure | None:
    row = conn.execute(
        "SELECT applied_on, expires_on, notified_on, start_on FROM support_measures"
        " WHERE case_id = ? AND ended_on IS NULL AND expires_on >= ?"
        " ORDER BY applied_on DESC LIMIT 1",
        (case_id, today.isoformat()),
    ).fetchone()
    if row is None:
        return None
    return SupportMeasure(
        case_id,
        case_number,
        day(row["applied_on"]),
        day(row["expires_on"]),
        opt_day(row["notified_on"]),
        opt_day(row["start_on"]),
    )


def _consultation_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT id, consulted_on, kind, channel, consulter, risk_computed,"
        " risk_final, shelter_recommendation, shelter_requested, po_eligible,"
        " child_notification, child_notified, counselor_id, gender FROM consultations"
        " WHERE case_id = ? ORDER BY consulted_on, id",
        (case_id,),
    ).fetchall()


def _consultation(r: Row) -> ConsultationEntry:
    return ConsultationEntry(
        id=r["id"],
        consulted_on=day(r["consulted_on"]),
        kind=r["kind"],
        channel=r["channel"],
        consulter=r["consulter"],
        risk_computed=r["risk_computed"],
        risk_final=r["risk_final"],
        shelter_recommendation=r["shelter_recommendation"],
        shelter_requested=bool(r["shelter_requested"]),
        po_eligible=opt_flag(r["po_eligible"]),
        child_notification=bool(r["child_notification"]),
        child_notified=bool(r["child_notified"]),
        counselor_id=r["counselor_id"],
        gender=r["gender"],
    )


def _risk_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT consultation_id, assessed_on, checklist_version, computed, final,"
        " yes_count, red_flags, judgement_reason, answers, judgement FROM risk_assessments"
        " WHERE case_id = ? ORDER BY assessed_on, id",
        (case_id,),
    ).fetchall()


def _risk(r: Row) -> RiskEntry:
    return RiskEntry(
        consultation_id=r["consultation_id"],
        assessed_on=day(r["assessed_on"]),
        checklist_version=r["checklist_version"],
        computed=r["computed"],
        final=r["final"],
        yes_count=r["yes_count"],
        red_flags=json.loads(r["red_flags"]),
        judgement_reason=r["judgement_reason"],
        answered=_answered(r["answers"]),
        judgement=r["judgement"],
    )


def _answered(answers: str | None) -> int:
    """How many checklist items a stored assessment answered yes or no."""
    data = json.loads(answers or "{}")
    return sum(1 for value in data.values() if value is not None) if isinstance(data, dict) else 0


def _referral_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT id, consultation_id, referred_on, destination_id, purpose, fields,"
        " consent, consent_method, mandatory FROM referrals WHERE case_id = ?"
        " ORDER BY referred_on, id",
        (case_id,),
    ).fetchall()


def _referral(r: Row) -> ReferralEntry:
    return ReferralEntry(
        id=r["id"],
        consultation_id=r["consultation_id"],
        referred_on=day(r["referred_on"]),
        destination_id=r["destination_id"],
        purpose=r["purpose"],
        fields=json.loads(r["fields"]),
        consent=bool(r["consent"]),
        consent_method=r["consent_method"],
        mandatory=bool(r["mandatory"]),
    )


def _decision_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT c.id, c.consulted_on, s.recommendation, s.client_wish,"
        " coalesce(s.requested, 0) AS requested, p.eligible, p.orders, p.client_intention,"
        " p.state, c.gender"
        " FROM consultations c"
        " LEFT JOIN shelter_decisions s ON s.consultation_id = c.id"
        " LEFT JOIN protection_order_advice p ON p.consultation_id = c.id"
        " WHERE c.case_id = ? ORDER BY c.consulted_on, c.id",
        (case_id,),
    ).fetchall()


def _decision(r: Row) -> DecisionEntry:
    return DecisionEntry(
        consultation_id=r["id"],
        consulted_on=day(r["consulted_on"]),
        shelter_recommendation=r["recommendation"],
        shelter_wish=r["client_wish"],
        shelter_requested=bool(r["requested"]),
        po_eligible=opt_flag(r["eligible"]),
        po_orders=[o.get("type", "") for o in json.loads(r["orders"] or "[]")],
        po_intention=r["client_intention"],
        po_state=r["state"],
        po_order_details=list(json.loads(r["orders"] or "[]")),
        gender=r["gender"],
    )


def _event_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT kind, reason, at, user_id FROM case_events WHERE case_id = ? ORDER BY at, id",
        (case_id,),
    ).fetchall()


def _event(r: Row) -> CaseEvent:
    return CaseEvent(
        kind=r["kind"],
        reason=r["reason"],
        at=dt.datetime.fromisoformat(r["at"]),
        user_id=r["user_id"],
    )


def _follow_up_rows(conn: Connection, case_id: int) -> list[Row]:
    return conn.execute(
        "SELECT id, due_on, note, done_on FROM follow_ups WHERE case_id = ? ORDER BY due_on, id",
        (case_id,),
    ).fetchall()


def _follow_up(r: Row, case_id: int, case_number: str) -> FollowUp:
    return FollowUp(
        id=r["id"],
        case_id=case_id,
        case_number=case_number,
        due_on=day(r["due_on"]),
        note=r["note"],
        done_on=opt_day(r["done_on"]),
    )
