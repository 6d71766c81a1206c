"""What a training vault's cases follow (issue 18), filled after ``demo-data``'s
consultations so the 確認・記録 tab, home's 確認・期限 lines and the official return
show something: 支援措置 places confirmed (some left open), lapsed measures ended (some
left), 追及 entries, the court's requests, reports and orders (one ending within a
month), and what became of the 一時保護 / 緊急一時避難 requests.

Everything goes through ``Tracking`` (checked, audited) over the caller's training
session, whose transactions keep the training mark. Invented records only.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from intake_app.domain.court import CourtRequest
from intake_app.domain.tracking import (
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    ShelterOutcome,
)
from intake_app.store.tracking import Tracking

COUNTERS = ("市民課窓口", "税務課（電話）", "保険年金課窓口", "こども家庭課（電話）", "学校")
ASKERS = ("夫と名乗る男性", "兄と名乗る男性", "弁護士事務所と名乗る人", "名乗らず")
COURT = "さいたま地方裁判所"
MAX_EACH = 12


def fill_tracking(session: Any, *, seed: int = 1, today: dt.date | None = None) -> int:
    """Add the tracking records; returns how many were written."""
    today = today or dt.date.today()
    rng = random.Random(seed * 104729 + 11)  # noqa: S311 - reproducible fake data
    tracking = Tracking(session)
    with session.read("demo.tracking") as conn:
        measures = [
            (r[0], r[1], dt.date.fromisoformat(r[2]), dt.date.fromisoformat(r[3]))
            for r in conn.execute(
                "SELECT s.id, s.case_id, s.applied_on, s.expires_on FROM support_measures s"
                " WHERE s.ended_on IS NULL ORDER BY s.applied_on DESC"
            ).fetchall()
        ]
        shelters = [
            (r[0], r[1], r[2], dt.date.fromisoformat(r[3]), r[4])
            for r in conn.execute(
                "SELECT id, case_id, route, requested_on, children FROM shelter_outcomes"
                " WHERE status = 'requested' ORDER BY requested_on DESC"
            ).fetchall()
        ]
        cases = [
            (r[0], dt.date.fromisoformat(r[1]))
            for r in conn.execute(
                "SELECT case_id, max(consulted_on) FROM consultations WHERE kind = 'dv'"
                " GROUP BY case_id ORDER BY 2 DESC LIMIT 200"
            ).fetchall()
        ]
    written = 0
    written += _measures(tracking, rng, measures, today)
    written += _pursuits(tracking, rng, cases, today)
    written += _court(tracking, rng, cases, today)
    written += _shelters(tracking, rng, shelters, today)
    return written


def _before(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _measures(
    tracking: Tracking,
    rng: random.Random,
    measures: list[tuple[int, int, dt.date, dt.date]],
    today: dt.date,
) -> int:
    written = 0
    lapsed_left = 1
    for n, (measure_id, case_id, applied, expires) in enumerate(measures):
        if today > expires:
            if lapsed_left > 0:
                lapsed_left -= 1  # one lapsed measure stays on home until its end is recorded
                continue
            reason = rng.choice(("expired", "moved_out", "client_request"))
            ended = _before(expires + dt.timedelta(days=1), today)
            tracking.end_measure(measure_id, MeasureEnd(ended, reason), today=today)
            written += 1
            continue
        case = tracking.case(case_id)
        record = next((m for m in case.measures if m.id == measure_id), None)
        if record is None:
            continue
        if not record.checks:
            tracking.start_checklist(measure_id)
            record = next(m for m in tracking.case(case_id).measures if m.id == measure_id)
        open_left = 0 if n % 3 else rng.randrange(1, 3)  # every third keeps places open
        checks = list(record.checks)
        for k, check in enumerate(checks[: len(checks) - open_left]):
            on = _before(applied + dt.timedelta(days=1 + k), today)
            method = "system" if not check.outside else rng.choice(("phone", "document"))
            tracking.confirm_place(check.id, PlaceConfirmation(on, method), today=today)
            written += 1
    return written


def _pursuits(
    tracking: Tracking, rng: random.Random, cases: list[tuple[int, dt.date]], today: dt.date
) -> int:
    written = 0
    for case_id, last in rng.sample(cases, min(len(cases), MAX_EACH // 2)):
        asked = dt.datetime.combine(
            _before(last + dt.timedelta(days=rng.randrange(1, 60)), today),
            dt.time(9 + rng.randrange(8), rng.choice((0, 15, 30, 45))),
        )
        entry = PursuitEntry(
            asked_at=asked,
            counter=rng.choice(COUNTERS),
            asker=rng.choice(ASKERS),
            identity_check=rng.choice(("none", "callback", "id_document")),
            answer="nothing",
            police_told=rng.choice((True, False, None)),
        )
        tracking.add_pursuit(case_id, entry, today=today)
        written += 1
    return written


def _court(
    tracking: Tracking, rng: random.Random, cases: list[tuple[int, dt.date]], today: dt.date
) -> int:
    written = 0
    chosen = rng.sample(cases, min(len(cases), MAX_EACH // 2))
    for n, (case_id, last) in enumerate(chosen):
        received = _before(last + dt.timedelta(days=rng.randrange(3, 40)), today)
        request = CourtRequest(
            court=COURT,
            division="民事第4部",
            case_number=f"令和{received.year - 2018}年(モ)第{100 + n}号",
            requested_on=received - dt.timedelta(days=2),
            received_on=received,
        )
        request_id = tracking.add_court_request(case_id, request, today=today)
        written += 1
        if n > 0:  # the first stays without a report sent (a line on home)
            sent = _before(received + dt.timedelta(days=rng.randrange(3, 10)), today)
            tracking.record_report_sent(request_id, sent, today=today)
            written += 1
        if n in (1, 2):
            # n == 1: issued eleven months ago, so its end is within a month
            issued = (
                today - dt.timedelta(days=340)
                if n == 1
                else _before(received + dt.timedelta(days=20), today)
            )
            notice = OrderNotice(
                notified_on=_before(issued + dt.timedelta(days=2), today),
                issued_on=issued,
                orders=("approach_ban", "contact_ban"),
                request_id=request_id,
            )
            order_id = tracking.add_order(case_id, notice, today=today)
            written += 1
            if n == 2:
                breach = Breach(
                    _before(issued + dt.timedelta(days=30), today), "自宅の前で待っていた", True
                )
                tracking.add_breach(order_id, breach, today=today)
                written += 1
    return written


def _shelters(
    tracking: Tracking,
    rng: random.Random,
    shelters: list[tuple[int, int, str, dt.date, int]],
    today: dt.date,
) -> int:
    written = 0
    for outcome_id, case_id, route, requested, children in shelters:
        if (today - requested).days < 7:
            continue  # recent requests still wait for their outcome
        roll = rng.random()
        decided = requested + dt.timedelta(days=1)
        if roll < 0.55:
            entered = decided
            left = _before(entered + dt.timedelta(days=rng.randrange(7, 28)), today)
            staying = left >= today
            outcome = ShelterOutcome(
                route,
                requested,
                "accepted",
                decided_on=decided,
                entered_on=entered,
                left_on=None if staying else left,
                persons=1,
                children=children,
                afterwards=None
                if staying
                else rng.choice(("relatives", "new_home", "returned_home", "moved_away")),
            )
        elif roll < 0.75:
            outcome = ShelterOutcome(
                route,
                requested,
                "declined",
                decided_on=decided,
                declined_reason="定員のため",
                children=children,
            )
        else:
            outcome = ShelterOutcome(route, requested, "withdrawn", children=children)
        tracking.save_shelter(case_id, outcome, outcome_id=outcome_id, today=today)
        written += 1
    return written
