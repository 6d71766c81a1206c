"""What a case follows after the consultation (migration 0008): the SQL behind
``store.tracking.Tracking`` and the home screen's list of what is open or due.

- ``after_intake``: run by ``write.insert_intake`` in the intake's own transaction: the
  支援措置's checklist (the settings' places, copied when the measure is first saved),
  a new 一時保護 / 緊急一時避難 request, and 追及注意 kept on while the case has a 追及
  record (a follow-up that left the box unticked never lowers it);
- ``read_case``: every record of one case (``CaseTracking``);
- the writes of the case view's dialogs, each given the connection of an audited
  transaction by ``store.tracking``;
- ``home_items``: what is open or due, whatever the case's status (a closed case does
  not hide a 支援措置 still in force).

Dates are ISO text; who confirmed or recorded keeps the 氏名 of the day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from intake_app.domain.court import CourtRequest
from intake_app.domain.japanese import fiscal_year, wareki
from intake_app.domain.model import Intake
from intake_app.domain.municipality import SupportMeasurePlace
from intake_app.domain.tracking import (
    ORDER_TYPES,
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    PursuitNote,
    ShelterOutcome,
    order_reminders,
    shelter_route,
    shelter_topic,
)
from intake_app.store.connection import Connection, Row
from intake_app.store.errors import RecordNotFound
from intake_app.store.outcomes import Outcomes
from intake_app.store.records.stored import flag, inserted_id, now, opt_day, opt_flag


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- the records as the case view reads them ---------------------------------------------


@dataclass(frozen=True)
class PlaceCheck:
    """One place of a 支援措置's checklist."""

    id: int
    measure_id: int
    place_id: str
    place_name: str
    outside: bool  # another municipality (本籍地, 前住所地)
    confirmed_on: dt.date | None
    method: str | None
    confirmed_by_name: str
    note: str

    @property
    def confirmed(self) -> bool:
        return self.confirmed_on is not None


@dataclass(frozen=True)
class MeasureRecord:
    """A 支援措置 of the case, its checklist and how it ended."""

    id: int
    case_id: int
    applied_on: dt.date
    notified_on: dt.date | None
    start_on: dt.date
    expires_on: dt.date
    ended_on: dt.date | None
    end_reason: str | None
    checks: tuple[PlaceCheck, ...]

    def in_force(self, today: dt.date) -> bool:
        return self.ended_on is None and today <= self.expires_on

    def lapsed(self, today: dt.date) -> bool:
        """Past its year with no end recorded (the home screen keeps asking)."""
        return self.ended_on is None and today > self.expires_on

    @property
    def unconfirmed(self) -> tuple[PlaceCheck, ...]:
        return tuple(c for c in self.checks if not c.confirmed)


@dataclass(frozen=True)
class PursuitRecord:
    id: int
    case_id: int
    entry: PursuitEntry
    recorded_by_name: str


@dataclass(frozen=True)
class CourtRequestRecord:
    id: int
    case_id: int
    request: CourtRequest
    report_sent_on: dt.date | None


@dataclass(frozen=True)
class BreachRecord:
    id: int
    order_id: int
    breach: Breach


@dataclass(frozen=True)
class CourtOrderRecord:
    id: int
    case_id: int
    notice: OrderNotice
    breaches: tuple[BreachRecord, ...]


@dataclass(frozen=True)
class ShelterRecord:
    id: int
    case_id: int
    consultation_id: int | None
    outcome: ShelterOutcome


@dataclass(frozen=True)
class CaseTracking:
    """Every tracking record of one case, oldest first in each list."""

    case_id: int
    measures: tuple[MeasureRecord, ...]
    pursuits: tuple[PursuitRecord, ...]
    court_requests: tuple[CourtRequestRecord, ...]
    court_orders: tuple[CourtOrderRecord, ...]
    shelters: tuple[ShelterRecord, ...]

    @property
    def measure(self) -> MeasureRecord | None:
        """The case's newest 支援措置 (the one the checklist tab shows)."""
        return self.measures[-1] if self.measures else None

    @property
    def latest_request(self) -> CourtRequestRecord | None:
        """The §14② request the report answers: the newest one recorded."""
        return self.court_requests[-1] if self.court_requests else None

    def pursuit_notes(self) -> list[PursuitNote]:
        return [
            PursuitNote(p.entry.asked_at, p.entry.counter)
            for p in self.pursuits
            if p.entry.asked_at is not None
        ]


def read_case(conn: Connection, case_id: int) -> CaseTracking:
    case_exists(conn, case_id)
    return CaseTracking(
        case_id=case_id,
        measures=tuple(_measures(conn, case_id)),
        pursuits=tuple(_pursuit(r) for r in _rows(conn, "pursuit_entries", case_id, "asked_at")),
        court_requests=tuple(
            _request(r) for r in _rows(conn, "court_requests", case_id, "received_on")
        ),
        court_orders=tuple(_orders(conn, case_id)),
        shelters=tuple(
            _shelter(r) for r in _rows(conn, "shelter_outcomes", case_id, "requested_on")
        ),
    )


def _rows(conn: Connection, table: str, case_id: int, order: str) -> list[Row]:
    # table and order are this module's own names, never input
    return conn.execute(
        f"SELECT * FROM {table} WHERE case_id = ? ORDER BY {order}, id",  # noqa: S608
        (case_id,),
    ).fetchall()


def _measures(conn: Connection, case_id: int) -> list[MeasureRecord]:
    checks: dict[int, list[PlaceCheck]] = {}
    for r in _rows(conn, "support_measure_checks", case_id, "measure_id, position"):
        checks.setdefault(r["measure_id"], []).append(
            PlaceCheck(
                id=r["id"],
                measure_id=r["measure_id"],
                place_id=r["place_id"],
                place_name=r["place_name"],
                outside=bool(r["outside"]),
                confirmed_on=opt_day(r["confirmed_on"]),
                method=r["method"],
                confirmed_by_name=r["confirmed_by_name"],
                note=r["note"],
            )
        )
    return [
        MeasureRecord(
            id=r["id"],
            case_id=case_id,
            applied_on=dt.date.fromisoformat(r["applied_on"]),
            notified_on=opt_day(r["notified_on"]),
            start_on=dt.date.fromisoformat(r["start_on"] or r["applied_on"]),
            expires_on=dt.date.fromisoformat(r["expires_on"]),
            ended_on=opt_day(r["ended_on"]),
            end_reason=r["end_reason"],
            checks=tuple(checks.get(r["id"], ())),
        )
        for r in _rows(conn, "support_measures", case_id, "applied_on")
    ]


def _pursuit(r: Row) -> PursuitRecord:
    return PursuitRecord(
        id=r["id"],
        case_id=r["case_id"],
        entry=PursuitEntry(
            asked_at=dt.datetime.fromisoformat(r["asked_at"]),
            counter=r["counter"],
            asker=r["asker"],
            identity_check=r["identity_check"],
            identity_note=r["identity_note"],
            answer=r["answer"],
            answer_note=r["answer_note"],
            police_told=opt_flag(r["police_told"]),
        ),
        recorded_by_name=r["recorded_by_name"],
    )


def _request(r: Row) -> CourtRequestRecord:
    return CourtRequestRecord(
        id=r["id"],
        case_id=r["case_id"],
        request=CourtRequest(
            court=r["court"],
            division=r["division"],
            case_number=r["court_case_number"],
            requested_on=opt_day(r["requested_on"]),
            received_on=opt_day(r["received_on"]),
        ),
        report_sent_on=opt_day(r["report_sent_on"]),
    )


def _orders(conn: Connection, case_id: int) -> list[CourtOrderRecord]:
    breaches: dict[int, list[BreachRecord]] = {}
    for r in _rows(conn, "court_order_breaches", case_id, "occurred_on"):
        breaches.setdefault(r["order_id"], []).append(
            BreachRecord(
                r["id"],
                r["order_id"],
                Breach(
                    dt.date.fromisoformat(r["occurred_on"]), r["what"], opt_flag(r["police_told"])
                ),
            )
        )
    return [
        CourtOrderRecord(
            id=r["id"],
            case_id=case_id,
            notice=OrderNotice(
                notified_on=opt_day(r["notified_on"]),
                issued_on=opt_day(r["issued_on"]),
                orders=tuple(json.loads(r["orders"])),
                eviction_months=r["eviction_months"],
                request_id=r["request_id"],
            ),
            breaches=tuple(breaches.get(r["id"], ())),
        )
        for r in _rows(conn, "court_orders", case_id, "issued_on")
    ]


def _shelter(r: Row) -> ShelterRecord:
    return ShelterRecord(
        id=r["id"],
        case_id=r["case_id"],
        consultation_id=r["consultation_id"],
        outcome=ShelterOutcome(
            route=r["route"],
            requested_on=opt_day(r["requested_on"]),
            status=r["status"],
            decided_on=opt_day(r["decided_on"]),
            declined_reason=r["declined_reason"],
            entered_on=opt_day(r["entered_on"]),
            left_on=opt_day(r["left_on"]),
            persons=r["persons"],
            children=r["children"],
            afterwards=r["afterwards"],
        ),
    )


# --- written with an intake ----------------------------------------------------------------


def after_intake(
    conn: Connection,
    intake: Intake,
    case_id: int,
    consultation_id: int,
    day: dt.date,
    outcome: Outcomes,
) -> None:
    """The tracking an intake starts, in the intake's transaction."""
    address = intake.address
    if address.support_measure_applied and address.applied_on is not None:
        row = conn.execute(
            "SELECT id FROM support_measures WHERE case_id = ? AND applied_on = ?",
            (case_id, address.applied_on.isoformat()),
        ).fetchone()
        if row is not None:
            copy_places(conn, row["id"], case_id, outcome.measure_places)
    if intake.shelter.requested and _new_request(conn, case_id, consultation_id, day):
        conn.execute(
            "INSERT INTO shelter_outcomes (case_id, consultation_id, route, requested_on,"
            " fiscal_year, status, persons, children, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'requested', 1, ?, ?)",
            (
                case_id,
                consultation_id,
                shelter_route(intake.client.gender),
                day.isoformat(),
                fiscal_year(day),
                min(len(intake.shelter.accompanying_children), 20),
                now(),
            ),
        )
    # 追及注意 stays on while the case has a 追及 record: never silently lowered
    conn.execute(
        "UPDATE cases SET do_not_disclose = 1 WHERE id = ? AND do_not_disclose = 0"
        " AND EXISTS (SELECT 1 FROM pursuit_entries WHERE case_id = ?)",
        (case_id, case_id),
    )


def pursuit_notes(conn: Connection, case_id: int) -> list[PursuitNote]:
    """The case's 追及 log as a follow-up's risk needs it (when and where; no content)."""
    return [
        PursuitNote(dt.datetime.fromisoformat(r["asked_at"]), r["counter"])
        for r in conn.execute(
            "SELECT asked_at, counter FROM pursuit_entries WHERE case_id = ? ORDER BY asked_at",
            (case_id,),
        ).fetchall()
    ]


def _new_request(conn: Connection, case_id: int, consultation_id: int, day: dt.date) -> bool:
    """A request made at this consultation: the case's consultation before it did not
    request (a follow-up carrying the earlier tick is the same request), and no request
    of the case is still waiting for its outcome."""
    waiting = conn.execute(
        "SELECT 1 FROM shelter_outcomes WHERE case_id = ? AND status = 'requested'", (case_id,)
    ).fetchone()
    if waiting is not None:
        return False
    before = conn.execute(
        "SELECT shelter_requested FROM consultations WHERE case_id = ? AND id <> ?"
        " AND (consulted_on < ? OR (consulted_on = ? AND id < ?))"
        " ORDER BY consulted_on DESC, id DESC LIMIT 1",
        (case_id, consultation_id, day.isoformat(), day.isoformat(), consultation_id),
    ).fetchone()
    return before is None or not before["shelter_requested"]


def copy_places(
    conn: Connection, measure_id: int, case_id: int, places: tuple[SupportMeasurePlace, ...]
) -> int:
    """The settings' places as the measure's checklist, once (a later save of the same
    application keeps the list it has). Returns how many were added."""
    if not places:
        return 0
    exists = conn.execute(
        "SELECT 1 FROM support_measure_checks WHERE measure_id = ? LIMIT 1", (measure_id,)
    ).fetchone()
    if exists is not None:
        return 0
    conn.executemany(
        "INSERT INTO support_measure_checks (measure_id, case_id, position, place_id,"
        " place_name, outside) VALUES (?, ?, ?, ?, ?, ?)",
        [(measure_id, case_id, i, p.id, p.name, int(p.outside)) for i, p in enumerate(places)],
    )
    return len(places)


# --- the case view's writes -----------------------------------------------------------------


def _found(conn: Connection, query: str, record_id: int, what: str) -> Row:
    """The one row ``query`` selects for ``record_id``; ``RecordNotFound(what)`` if none."""
    row: Row | None = conn.execute(query, (record_id,)).fetchone()
    if row is None:
        raise RecordNotFound(what)
    return row


def measure_row(conn: Connection, measure_id: int) -> Row:
    return _found(
        conn,
        "SELECT id, case_id, applied_on, ended_on FROM support_measures WHERE id = ?",
        measure_id,
        "支援措置の記録",
    )


def check_row(conn: Connection, check_id: int) -> Row:
    return _found(
        conn,
        "SELECT k.id, k.case_id, k.place_id, s.applied_on FROM support_measure_checks k"
        " JOIN support_measures s ON s.id = k.measure_id WHERE k.id = ?",
        check_id,
        "支援措置の確認先",
    )


def confirm_place(
    conn: Connection, check_id: int, record: PlaceConfirmation, user_id: int | None, name: str
) -> None:
    conn.execute(
        "UPDATE support_measure_checks SET confirmed_on = ?, method = ?, confirmed_by = ?,"
        " confirmed_by_name = ?, note = ? WHERE id = ?",
        (_iso(record.confirmed_on), record.method, user_id, name, record.note.strip(), check_id),
    )


def end_measure(conn: Connection, measure_id: int, record: MeasureEnd, user_id: int | None) -> None:
    conn.execute(
        "UPDATE support_measures SET ended_on = ?, end_reason = ?, ended_by = ? WHERE id = ?",
        (_iso(record.ended_on), record.reason, user_id, measure_id),
    )


def case_exists(conn: Connection, case_id: int) -> None:
    _found(conn, "SELECT 1 FROM cases WHERE id = ?", case_id, "ケース")


def add_pursuit(
    conn: Connection, case_id: int, entry: PursuitEntry, user_id: int | None, name: str
) -> int:
    """The entry, and the case's 追及注意 raised in the same transaction."""
    case_exists(conn, case_id)
    assert entry.asked_at is not None  # checked by the caller
    cur = conn.execute(
        "INSERT INTO pursuit_entries (case_id, asked_at, counter, asker, identity_check,"
        " identity_note, answer, answer_note, police_told, recorded_at, recorded_by,"
        " recorded_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (case_id, *_pursuit_values(entry), now(), user_id, name),
    )
    conn.execute("UPDATE cases SET do_not_disclose = 1 WHERE id = ?", (case_id,))
    return inserted_id(cur)


def correct_pursuit(conn: Connection, pursuit_id: int, entry: PursuitEntry) -> None:
    """The record as the counselor corrected it (who recorded it first stays)."""
    assert entry.asked_at is not None  # checked by the caller
    conn.execute(
        "UPDATE pursuit_entries SET asked_at = ?, counter = ?, asker = ?, identity_check = ?,"
        " identity_note = ?, answer = ?, answer_note = ?, police_told = ? WHERE id = ?",
        (*_pursuit_values(entry), pursuit_id),
    )


def _pursuit_values(entry: PursuitEntry) -> tuple[object, ...]:
    """asked_at … police_told, as stored (the caller checked ``asked_at``)."""
    assert entry.asked_at is not None
    return (
        entry.asked_at.isoformat(timespec="minutes"),
        entry.counter.strip(),
        entry.asker.strip(),
        entry.identity_check,
        entry.identity_note.strip(),
        entry.answer,
        entry.answer_note.strip(),
        flag(entry.police_told),
    )


def pursuit_row(conn: Connection, pursuit_id: int) -> Row:
    return _found(
        conn, "SELECT id, case_id FROM pursuit_entries WHERE id = ?", pursuit_id, "追及の記録"
    )


def set_pursuit_police(conn: Connection, pursuit_id: int, told: bool) -> None:
    conn.execute(
        "UPDATE pursuit_entries SET police_told = ? WHERE id = ?", (flag(told), pursuit_id)
    )


def add_court_request(
    conn: Connection, case_id: int, request: CourtRequest, user_id: int | None
) -> int:
    case_exists(conn, case_id)
    assert request.received_on is not None  # checked by the caller
    cur = conn.execute(
        "INSERT INTO court_requests (case_id, court, division, court_case_number,"
        " requested_on, received_on, fiscal_year, recorded_at, recorded_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            request.court.strip(),
            request.division.strip(),
            request.case_number.strip(),
            _iso(request.requested_on),
            request.received_on.isoformat(),
            fiscal_year(request.received_on),
            now(),
            user_id,
        ),
    )
    return inserted_id(cur)


def correct_court_request(conn: Connection, request_id: int, request: CourtRequest) -> None:
    """The request as the counselor corrected it (the report's sending day stays)."""
    assert request.received_on is not None  # checked by the caller
    conn.execute(
        "UPDATE court_requests SET court = ?, division = ?, court_case_number = ?,"
        " requested_on = ?, received_on = ?, fiscal_year = ? WHERE id = ?",
        (
            request.court.strip(),
            request.division.strip(),
            request.case_number.strip(),
            _iso(request.requested_on),
            request.received_on.isoformat(),
            fiscal_year(request.received_on),
            request_id,
        ),
    )


def request_row(conn: Connection, request_id: int) -> Row:
    return _found(
        conn,
        "SELECT id, case_id, received_on, report_sent_on FROM court_requests WHERE id = ?",
        request_id,
        "裁判所からの照会の記録",
    )


def record_report_sent(conn: Connection, request_id: int, sent_on: dt.date) -> None:
    conn.execute(
        "UPDATE court_requests SET report_sent_on = ?, sent_fiscal_year = ? WHERE id = ?",
        (sent_on.isoformat(), fiscal_year(sent_on), request_id),
    )


def add_order(conn: Connection, case_id: int, notice: OrderNotice, user_id: int | None) -> int:
    case_exists(conn, case_id)
    ends_on, notified_on, issued_on = notice.ends_on(), notice.notified_on, notice.issued_on
    assert ends_on is not None and notified_on is not None and issued_on is not None
    cur = conn.execute(
        "INSERT INTO court_orders (case_id, request_id, notified_on, issued_on, orders,"
        " eviction_months, approach_ends_on, eviction_ends_on, ends_on, fiscal_year,"
        " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            notice.request_id,
            notified_on.isoformat(),
            issued_on.isoformat(),
            json.dumps([o for o in ORDER_TYPES if o in notice.orders]),
            notice.eviction_months if "eviction" in notice.orders else None,
            _iso(notice.approach_ends_on()),
            _iso(notice.eviction_ends_on()),
            ends_on.isoformat(),
            fiscal_year(notified_on),
            now(),
            user_id,
        ),
    )
    return inserted_id(cur)


def order_row(conn: Connection, order_id: int) -> Row:
    return _found(
        conn,
        "SELECT id, case_id, issued_on FROM court_orders WHERE id = ?",
        order_id,
        "保護命令の記録",
    )


def add_breach(
    conn: Connection, order_id: int, case_id: int, breach: Breach, user_id: int | None
) -> int:
    assert breach.occurred_on is not None
    cur = conn.execute(
        "INSERT INTO court_order_breaches (order_id, case_id, occurred_on, what, police_told,"
        " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            order_id,
            case_id,
            breach.occurred_on.isoformat(),
            breach.what.strip(),
            flag(breach.police_told),
            now(),
            user_id,
        ),
    )
    return inserted_id(cur)


def shelter_row(conn: Connection, outcome_id: int) -> Row:
    return _found(
        conn,
        "SELECT id, case_id, route FROM shelter_outcomes WHERE id = ?",
        outcome_id,
        "依頼の記録",
    )


def _shelter_values(outcome: ShelterOutcome, user_id: int | None) -> tuple[object, ...]:
    assert outcome.requested_on is not None
    return (
        outcome.route,
        outcome.requested_on.isoformat(),
        fiscal_year(outcome.requested_on),
        outcome.status,
        _iso(outcome.decided_on),
        outcome.declined_reason.strip() if outcome.status == "declined" else "",
        _iso(outcome.entered_on),
        fiscal_year(outcome.entered_on) if outcome.entered_on is not None else None,
        _iso(outcome.left_on),
        outcome.persons,
        outcome.children,
        outcome.afterwards,
        now(),
        user_id,
    )


def add_shelter(
    conn: Connection, case_id: int, outcome: ShelterOutcome, user_id: int | None
) -> int:
    case_exists(conn, case_id)
    cur = conn.execute(
        "INSERT INTO shelter_outcomes (route, requested_on, fiscal_year, status, decided_on,"
        " declined_reason, entered_on, entry_fiscal_year, left_on, persons, children,"
        " afterwards, updated_at, updated_by, case_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_shelter_values(outcome, user_id), case_id),
    )
    return inserted_id(cur)


def update_shelter(
    conn: Connection, outcome_id: int, outcome: ShelterOutcome, user_id: int | None
) -> None:
    conn.execute(
        "UPDATE shelter_outcomes SET route = ?, requested_on = ?, fiscal_year = ?, status = ?,"
        " decided_on = ?, declined_reason = ?, entered_on = ?, entry_fiscal_year = ?,"
        " left_on = ?, persons = ?, children = ?, afterwards = ?, updated_at = ?,"
        " updated_by = ? WHERE id = ?",
        (*_shelter_values(outcome, user_id), outcome_id),
    )


# --- the home screen --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingItem:
    """One line of home's 「確認・期限」 list: what is open or due on a case (case numbers
    and the names of places and counters only; no client's name, no content)."""

    kind: str
    case_id: int
    case_number: str
    due_on: dt.date | None
    text: str


# The order the lines are listed in when their dates are equal (the most urgent first).
ITEM_ORDER = (
    "measure_lapsed",
    "measure_unconfirmed",
    "measure_no_checklist",
    "pursuit_police",
    "shelter_pending",
    "court_report",
    "order_end",
    "shelter_staying",
)


HOME_LIMIT = 200  # lines home lists; the counts by kind are always complete


@dataclass(frozen=True)
class TrackingList:
    """Home's 「確認・期限」: the first ``HOME_LIMIT`` lines, soonest first, and how many
    there are of each kind in all (a decade of lapsed measures must not fill home)."""

    items: list[TrackingItem]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def home_items(conn: Connection, today: dt.date, limit: int = HOME_LIMIT) -> TrackingList:
    """Everything open or due, soonest first, at most ``limit`` lines (each source reads
    at most that many rows, in the order of its index); cases are never filtered by
    status. The counts by kind cover everything."""
    lapsed, lapsed_count = _lapsed_items(conn, today, limit)
    pursuits, pursuit_count = _pursuit_items(conn, limit)
    courts, court_count = _court_items(conn, limit)
    shelters, shelter_counts = _shelter_items(conn, limit)
    items = [
        *lapsed,
        *_measure_items(conn, today),
        *pursuits,
        *courts,
        *_order_items(conn, today),
        *shelters,
    ]
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    counts.update(shelter_counts)
    for kind, n in (
        ("measure_lapsed", lapsed_count),
        ("pursuit_police", pursuit_count),
        ("court_report", court_count),
    ):
        counts[kind] = n
    far = dt.date.max
    items.sort(key=lambda i: (i.due_on or far, ITEM_ORDER.index(i.kind), i.case_number))
    return TrackingList(items[:limit], {k: n for k, n in counts.items() if n})


_NEWEST_MEASURE = (
    "NOT EXISTS (SELECT 1 FROM support_measures n"
    " WHERE n.case_id = s.case_id AND n.applied_on > s.applied_on)"
)


def _lapsed_items(conn: Connection, today: dt.date, limit: int) -> tuple[list[TrackingItem], int]:
    """The newest 支援措置 of each case that lapsed with no end recorded: the oldest
    ``limit`` (the expiry index, in order) and how many in all."""
    where = f"s.ended_on IS NULL AND s.expires_on < ? AND {_NEWEST_MEASURE}"
    rows = conn.execute(
        "SELECT s.case_id, k.case_number, s.expires_on FROM support_measures s"  # noqa: S608 - fixed text
        f" JOIN cases k ON k.id = s.case_id WHERE {where}"
        " ORDER BY s.expires_on, s.id LIMIT ?",
        (today.isoformat(), limit),
    ).fetchall()
    count = int(
        conn.execute(
            f"SELECT count(*) FROM support_measures s WHERE {where}",  # noqa: S608
            (today.isoformat(),),
        ).fetchone()[0]
    )
    items = []
    for r in rows:
        expires = dt.date.fromisoformat(r["expires_on"])
        items.append(
            TrackingItem(
                "measure_lapsed",
                r["case_id"],
                r["case_number"],
                expires,
                f"支援措置: {wareki(expires)}で期限が過ぎています。更新か終了"
                "（転出・本人の申出・期間満了）を記録してください",
            )
        )
    return items, count


def _measure_items(conn: Connection, today: dt.date) -> list[TrackingItem]:
    """The newest 支援措置 of each case that is in force and not ended, with places still
    to confirm (or no checklist at all): a year's measures at most."""
    rows = conn.execute(
        "SELECT s.id, s.case_id, k.case_number, s.expires_on,"  # noqa: S608 - fixed text
        " (SELECT count(*) FROM support_measure_checks c WHERE c.measure_id = s.id) AS places,"
        " (SELECT count(*) FROM support_measure_checks c"
        "   WHERE c.measure_id = s.id AND c.confirmed_on IS NULL) AS open,"
        " (SELECT c.place_name FROM support_measure_checks c"
        "   WHERE c.measure_id = s.id AND c.confirmed_on IS NULL ORDER BY c.position LIMIT 1)"
        "   AS first_open"
        " FROM support_measures s JOIN cases k ON k.id = s.case_id"
        f" WHERE s.ended_on IS NULL AND s.expires_on >= ? AND {_NEWEST_MEASURE}",
        (today.isoformat(),),
    ).fetchall()
    items = []
    for r in rows:
        if r["places"] == 0:
            items.append(
                TrackingItem(
                    "measure_no_checklist",
                    r["case_id"],
                    r["case_number"],
                    None,
                    "支援措置: 確認先の一覧がまだありません"
                    "（ケースの「確認・記録」で「確認先の一覧を作る」）",
                )
            )
        elif r["open"]:
            more = f"ほか{r['open'] - 1}か所" if r["open"] > 1 else ""
            items.append(
                TrackingItem(
                    "measure_unconfirmed",
                    r["case_id"],
                    r["case_number"],
                    None,
                    f"支援措置の確認先: 未確認 {r['open']}か所（{r['first_open']}{more}）",
                )
            )
    return items


def _pursuit_items(conn: Connection, limit: int) -> tuple[list[TrackingItem], int]:
    rows = conn.execute(
        "SELECT p.case_id, k.case_number, p.asked_at, p.counter FROM pursuit_entries p"
        " JOIN cases k ON k.id = p.case_id WHERE p.police_told IS NULL ORDER BY p.asked_at"
        " LIMIT ?",
        (limit,),
    ).fetchall()
    count = conn.execute("SELECT count(*) FROM pursuit_entries WHERE police_told IS NULL")
    return [
        TrackingItem(
            "pursuit_police",
            r["case_id"],
            r["case_number"],
            None,
            f"追及の記録（{wareki(dt.datetime.fromisoformat(r['asked_at']).date())}・"
            f"{r['counter']}）: 警察へ伝えたかが未確認です",
        )
        for r in rows
    ], int(count.fetchone()[0])


def _court_items(conn: Connection, limit: int) -> tuple[list[TrackingItem], int]:
    rows = conn.execute(
        "SELECT r.case_id, k.case_number, r.received_on FROM court_requests r"
        " JOIN cases k ON k.id = r.case_id WHERE r.report_sent_on IS NULL ORDER BY r.received_on"
        " LIMIT ?",
        (limit,),
    ).fetchall()
    count = conn.execute("SELECT count(*) FROM court_requests WHERE report_sent_on IS NULL")
    return [
        TrackingItem(
            "court_report",
            r["case_id"],
            r["case_number"],
            None,
            f"裁判所からの照会（{wareki(dt.date.fromisoformat(r['received_on']))}受理）:"
            " 書面の送付日が未記録です（第14条第2項: 速やかに回答）",
        )
        for r in rows
    ], int(count.fetchone()[0])


def _order_items(conn: Connection, today: dt.date) -> list[TrackingItem]:
    """Orders whose end is within a month (one line per order part that ends)."""
    horizon = (today + dt.timedelta(days=32)).isoformat()
    rows = conn.execute(
        "SELECT o.case_id, k.case_number, o.issued_on, o.notified_on, o.orders,"
        " o.eviction_months FROM court_orders o JOIN cases k ON k.id = o.case_id"
        " WHERE o.ends_on >= ? AND o.ends_on <= ? ORDER BY o.ends_on",
        (today.isoformat(), horizon),
    ).fetchall()
    items = []
    for r in rows:
        notice = OrderNotice(
            notified_on=dt.date.fromisoformat(r["notified_on"]),
            issued_on=dt.date.fromisoformat(r["issued_on"]),
            orders=tuple(json.loads(r["orders"])),
            eviction_months=r["eviction_months"],
        )
        for code, reminder in order_reminders(notice):
            if not reminder.shown(today):
                continue
            what = (
                "接近禁止命令（②〜⑤も同時に終わります）" if code == "approach_ban" else "退去等命令"
            )
            items.append(
                TrackingItem(
                    "order_end",
                    r["case_id"],
                    r["case_number"],
                    reminder.due,
                    f"保護命令: {what}が{wareki(reminder.due)}に終わります"
                    f"（あと{(reminder.due - today).days}日）。本人と今後を確認してください",
                )
            )
    return items


def _shelter_items(conn: Connection, limit: int) -> tuple[list[TrackingItem], dict[str, int]]:
    where = "s.status = 'requested' OR (s.status = 'accepted' AND s.left_on IS NULL)"
    rows = conn.execute(
        "SELECT s.case_id, k.case_number, s.route, s.status, s.requested_on, s.entered_on"  # noqa: S608 - fixed text
        " FROM shelter_outcomes s JOIN cases k ON k.id = s.case_id"
        f" WHERE {where} ORDER BY s.requested_on LIMIT ?",
        (limit,),
    ).fetchall()
    counts = {
        "shelter_pending" if status == "requested" else "shelter_staying": int(n)
        for status, n in conn.execute(
            f"SELECT s.status, count(*) FROM shelter_outcomes s WHERE {where}"  # noqa: S608
            " GROUP BY s.status"
        )
    }
    items = []
    for r in rows:
        topic = shelter_topic(r["route"])
        if r["status"] == "requested":
            day = dt.date.fromisoformat(r["requested_on"])
            items.append(
                TrackingItem(
                    "shelter_pending",
                    r["case_id"],
                    r["case_number"],
                    None,
                    f"{topic}: {wareki(day)}の依頼の結果が未記録です",
                )
            )
        else:
            entered = r["entered_on"]
            since = f"{wareki(dt.date.fromisoformat(entered))}から" if entered else ""
            items.append(
                TrackingItem(
                    "shelter_staying",
                    r["case_id"],
                    r["case_number"],
                    None,
                    f"{topic}: {since}入所中（退所日が未記録）",
                )
            )
    return items, counts
