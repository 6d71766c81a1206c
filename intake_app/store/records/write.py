"""Writing one saved intake into the narrow tables (resources/migrations/0001_initial.sql,
part 2).

``insert_intake`` runs inside the caller's transaction and writes, in order:

1. the client and the case (``clients``, ``client_aliases``, ``client_terms``,
   ``case_numbers``, ``cases``): a new case, or the existing one brought up to date;
2. the consultation (``consultations``, and the whole intake in ``consultation_details``);
3. the facts statistics and search read (``children``, ``violence``, ``threats``,
   ``needs``, ``perpetrators``);
4. the decisions of the rules (``risk_assessments``, ``shelter_decisions``,
   ``protection_order_advice``), as ``outcomes.evaluate`` computed them;
5. referrals and the 支援措置 (``referrals``, ``support_measures``);
6. what the case then follows (``tracking.after_intake``): the 支援措置's checklist of places, a
   new request for 一時保護 (a man: 緊急一時避難), and 追及注意 kept on while the case has
   a 追及 record.

Search, home and statistics read the narrow tables; the intake JSON is read only when
a case's intakes are loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake_app.domain.japanese import fiscal_year, normalize_kana
from intake_app.domain.model import Client, Intake
from intake_app.store.connection import Connection
from intake_app.store.errors import RecordNotFound
from intake_app.store.outcomes import Outcomes
from intake_app.store.records import tracking
from intake_app.store.records.search import index_client, phone_digits
from intake_app.store.records.stored import flag, inserted_id, now, pack_intake, to_json


@dataclass(frozen=True)
class Saved:
    case_id: int
    case_number: str
    consultation_id: int


@dataclass(frozen=True)
class _Written:
    """Where the parts of one intake go: its case, consultation and dates."""

    case_id: int
    consultation_id: int
    day: dt.date
    fiscal_year: int


def consultation_day(intake: Intake) -> dt.date:
    """The day the consultation counts for (its start, else today)."""
    started = intake.consultation.started_at
    return started.date() if started is not None else dt.date.today()


def insert_intake(
    conn: Connection,
    intake: Intake,
    case_id: int | None,
    outcome: Outcomes,
    user_id: int | None,
    *,
    packed: bytes | None = None,
) -> Saved:
    """Write ``intake`` as a consultation of ``case_id`` (a new case when None).

    ``packed`` is ``pack_intake(intake)`` when the caller has it already (the
    benchmarks' bulk writer packs in another process); it is computed otherwise."""
    stamp = now()
    day = consultation_day(intake)
    if case_id is None:
        case_id, case_number = _open_case(conn, intake, day, outcome, user_id, stamp)
    else:
        case_number = _update_case(conn, intake, case_id, day, outcome, stamp)
    consultation_id = _insert_consultation(
        conn, intake, case_id, day, outcome, user_id, stamp, packed or pack_intake(intake)
    )
    written = _Written(case_id, consultation_id, day, fiscal_year(day))
    _insert_facts(conn, intake, written)
    _insert_decisions(conn, intake, written, outcome)
    _insert_referrals(conn, intake, written, outcome)
    tracking.after_intake(conn, intake, written.case_id, consultation_id, day, outcome)
    return Saved(case_id=case_id, case_number=case_number, consultation_id=consultation_id)


# -- 1. client and case ----------------------------------------------------------------


def _open_case(
    conn: Connection,
    intake: Intake,
    day: dt.date,
    outcome: Outcomes,
    user_id: int | None,
    stamp: str,
) -> tuple[int, str]:
    client_id = _insert_client(conn, intake, stamp)
    case_number = _next_case_number(conn, fiscal_year(day))
    cur = conn.execute(
        "INSERT INTO cases (case_number, client_id, do_not_disclose, counter_note,"
        " opened_on, last_consulted_on, latest_risk, created_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_number,
            client_id,
            int(intake.address.do_not_disclose),
            intake.address.counter_note,
            day.isoformat(),
            day.isoformat(),
            outcome.risk_final,
            user_id,
            stamp,
        ),
    )
    return inserted_id(cur), case_number


def _update_case(
    conn: Connection, intake: Intake, case_id: int, day: dt.date, outcome: Outcomes, stamp: str
) -> str:
    """A later consultation: the client's details and the case's latest state."""
    row = conn.execute(
        "SELECT case_number, client_id, last_consulted_on FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise RecordNotFound("ケース")
    _update_client(conn, row["client_id"], intake, stamp)
    latest = day.isoformat() >= row["last_consulted_on"]
    conn.execute(
        "UPDATE cases SET do_not_disclose = ?, counter_note = ?,"
        " last_consulted_on = max(last_consulted_on, ?),"
        " latest_risk = CASE WHEN ? THEN ? ELSE latest_risk END, updated_at = ?"
        " WHERE id = ?",
        (
            int(intake.address.do_not_disclose),
            intake.address.counter_note,
            day.isoformat(),
            int(latest),
            outcome.risk_final,
            stamp,
            case_id,
        ),
    )
    return str(row["case_number"])


def _client_values(client: Client) -> tuple[str, str, str, str, str, int]:
    """name, kana, their search keys, the phone's digits, anonymous: as ``clients`` keeps them."""
    return (
        client.name,
        client.kana,
        normalize_kana(client.name),
        normalize_kana(client.kana),
        phone_digits(client.safe_contact.phone),
        int(client.anonymous),
    )


def _insert_client(conn: Connection, intake: Intake, stamp: str) -> int:
    cur = conn.execute(
        "INSERT INTO clients (name, kana, name_norm, kana_norm, phone_digits, anonymous,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (*_client_values(intake.client), stamp, stamp),
    )
    client_id = inserted_id(cur)
    index_client(conn, client_id, intake.client)
    return client_id


def _update_client(conn: Connection, client_id: int, intake: Intake, stamp: str) -> None:
    conn.execute(
        "UPDATE clients SET name = ?, kana = ?, name_norm = ?, kana_norm = ?,"
        " phone_digits = ?, anonymous = ?, updated_at = ? WHERE id = ?",
        (*_client_values(intake.client), stamp, client_id),
    )
    index_client(conn, client_id, intake.client)


def _next_case_number(conn: Connection, fy: int) -> str:
    """``<fiscal year>-<4 digits>``, counted per fiscal year."""
    row = conn.execute(
        "SELECT last_number FROM case_numbers WHERE fiscal_year = ?", (fy,)
    ).fetchone()
    number = 1 if row is None else int(row["last_number"]) + 1
    conn.execute(
        "INSERT INTO case_numbers (fiscal_year, last_number) VALUES (?, ?)"
        " ON CONFLICT (fiscal_year) DO UPDATE SET last_number = excluded.last_number",
        (fy, number),
    )
    return f"{fy}-{number:04d}"


# -- 2. the consultation -----------------------------------------------------------------


def _insert_consultation(
    conn: Connection,
    intake: Intake,
    case_id: int,
    day: dt.date,
    outcome: Outcomes,
    user_id: int | None,
    stamp: str,
    packed: bytes,
) -> int:
    info = intake.consultation
    started = info.started_at
    cur = conn.execute(
        "INSERT INTO consultations (case_id, consulted_on, started_at, fiscal_year, month,"
        " kind, channel, consulter, relationship, age_group, gender, risk_computed,"
        " risk_final, shelter_recommendation, shelter_requested, po_eligible,"
        " support_measure, child_notification, child_notified, counselor_id, created_at,"
        " po_intention, report_source, main_complaint)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            day.isoformat(),
            started.isoformat(timespec="minutes") if started is not None else None,
            fiscal_year(day),
            day.month,
            info.kind,
            info.channel,
            info.consulter,
            intake.relationship.type,
            intake.client.age_group,
            intake.client.gender,
            outcome.risk_computed,
            outcome.risk_final,
            outcome.shelter_recommendation,
            int(intake.shelter.requested),
            flag(outcome.po_eligible),
            int(intake.address.support_measure_applied),
            int(outcome.child_notification_required),
            int(intake.household.child_notification is not None),
            user_id,
            stamp,
            intake.protection_order.client_intention,
            info.report_source,  # the official return (rules.md §10): 通報 and 主訴
            info.main_complaint,
        ),
    )
    consultation_id = inserted_id(cur)
    conn.execute(
        "INSERT INTO consultation_details (consultation_id, intake) VALUES (?, ?)",
        (consultation_id, packed),
    )
    return consultation_id


# -- 3. facts for statistics and search ---------------------------------------------------


def _insert_facts(conn: Connection, intake: Intake, at: _Written) -> None:
    cid, fy, month = at.consultation_id, at.fiscal_year, at.day.month
    if intake.household.children:
        conn.executemany(
            "INSERT INTO children (consultation_id, idx, age, lives_with_client,"
            " witnessed_violence, directly_harmed) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    cid,
                    i,
                    child.age,
                    flag(child.lives_with_client),
                    flag(child.witnessed_violence),
                    flag(child.directly_harmed),
                )
                for i, child in enumerate(intake.household.children)
            ],
        )
    if intake.violence.types:
        conn.executemany(
            "INSERT INTO violence (consultation_id, type, frequency, fiscal_year, month)"
            " VALUES (?, ?, ?, ?, ?)",
            [(cid, t, f, fy, month) for t, f in intake.violence.types.items()],
        )
    if intake.violence.threats:
        conn.executemany(
            "INSERT OR IGNORE INTO threats (consultation_id, threat) VALUES (?, ?)",
            [(cid, t) for t in intake.violence.threats],
        )
    if intake.needs.categories:
        conn.executemany(
            "INSERT OR IGNORE INTO needs (consultation_id, category, fiscal_year) VALUES (?, ?, ?)",
            [(cid, c, fy) for c in intake.needs.categories],
        )
    relationship = intake.relationship
    if relationship.perpetrator_name.strip() or relationship.perpetrator_kana.strip():
        conn.execute(
            "INSERT OR IGNORE INTO perpetrators (case_id, name, kana, name_norm, kana_norm,"
            " consultation_id) VALUES (?, ?, ?, ?, ?, ?)",
            (
                at.case_id,
                relationship.perpetrator_name,
                relationship.perpetrator_kana,
                normalize_kana(relationship.perpetrator_name),
                normalize_kana(relationship.perpetrator_kana),
                cid,
            ),
        )


# -- 4. decisions ------------------------------------------------------------------------


def _insert_decisions(conn: Connection, intake: Intake, at: _Written, outcome: Outcomes) -> None:
    risk = intake.risk
    conn.execute(
        "INSERT INTO risk_assessments (consultation_id, case_id, assessed_on,"
        " checklist_version, answers, yes_count, red_flags, computed, final, judgement,"
        " judgement_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            at.consultation_id,
            at.case_id,
            at.day.isoformat(),
            risk.checklist_version,
            to_json(risk.answers),
            outcome.yes_count,
            to_json(outcome.red_flags),
            outcome.risk_computed,
            outcome.risk_final,
            risk.judgement,
            risk.judgement_reason,
        ),
    )
    conn.execute(
        "INSERT INTO shelter_decisions (consultation_id, recommendation, reasons, routes,"
        " client_wish, requested, accompanying_children) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            at.consultation_id,
            outcome.shelter_recommendation,
            to_json(outcome.shelter_reasons),
            to_json(outcome.shelter_routes),
            intake.shelter.client_wish,
            int(intake.shelter.requested),
            to_json(intake.shelter.accompanying_children),
        ),
    )
    conn.execute(
        "INSERT INTO protection_order_advice (consultation_id, eligible, orders,"
        " prerequisite, alternative_routes, counts_as_prior, client_intention, state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            at.consultation_id,
            int(bool(outcome.po_eligible)),
            to_json(outcome.po_orders),
            outcome.po_prerequisite,
            to_json(outcome.po_alternative_routes),
            int(intake.consultation.channel in ("visit", "accompanied")),
            intake.protection_order.client_intention,
            outcome.po_state,  # 判断待ち is not 対象外 (rules.md §8.8)
        ),
    )


# -- 5. referrals and the 支援措置 ----------------------------------------------------------


def _insert_referrals(conn: Connection, intake: Intake, at: _Written, outcome: Outcomes) -> None:
    if intake.referrals:
        conn.executemany(
            "INSERT INTO referrals (consultation_id, case_id, destination_id, purpose,"
            " fields, consent, consent_method, consent_at, mandatory,"
            " whereabouts_confirmed, referred_on, fiscal_year)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    at.consultation_id,
                    at.case_id,
                    r.destination_id,
                    r.purpose,
                    to_json(r.fields),
                    int(r.consent),
                    r.consent_method,
                    r.consent_at.isoformat(timespec="minutes") if r.consent_at else None,
                    int(r.mandatory),
                    int(r.whereabouts_confirmed),
                    at.day.isoformat(),
                    at.fiscal_year,
                )
                for r in intake.referrals
            ],
        )
    protection = intake.address
    if (
        protection.support_measure_applied
        and protection.applied_on is not None
        and outcome.measure_start is not None
        and outcome.measure_expiry is not None
    ):
        # rules.md §9.11: the year counts from the day the municipality's setting names (the
        # notified date, or the application date); a later consultation that records the
        # notified date moves the expiry of the same application.
        conn.execute(
            "INSERT INTO support_measures (case_id, consultation_id, applied_on,"
            " notified_on, start_on, expires_on) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (case_id, applied_on) DO UPDATE SET"
            " notified_on = excluded.notified_on, start_on = excluded.start_on,"
            " expires_on = excluded.expires_on",
            (
                at.case_id,
                at.consultation_id,
                protection.applied_on.isoformat(),
                protection.notified_on.isoformat() if protection.notified_on else None,
                outcome.measure_start.isoformat(),
                outcome.measure_expiry.isoformat(),
            ),
        )
