"""The home screen's lists: today's consultations, follow-ups due, 支援措置 renewals
within a month, what a case follows that is open or due (``tracking.home_items``), and
the counselor's unfinished drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from intake_app.domain.rules import support_measure
from intake_app.store.connection import Connection
from intake_app.store.records.case_file import FollowUp, SupportMeasure
from intake_app.store.records.drafts import DraftInfo, list_drafts
from intake_app.store.records.stored import day, opt_day
from intake_app.store.records.tracking import TrackingItem, home_items


@dataclass(frozen=True)
class TodayItem:
    consultation_id: int
    case_id: int
    case_number: str
    name: str
    kind: str
    started_at: str | None
    risk_final: str | None


@dataclass(frozen=True)
class HomeData:
    today: dt.date
    consultations: list[TodayItem] = field(default_factory=list)
    follow_ups_due: list[FollowUp] = field(default_factory=list)
    renewals: list[SupportMeasure] = field(default_factory=list)
    drafts: list[DraftInfo] = field(default_factory=list)
    # 支援措置 checklists, lapsed measures, 追及, court, orders' ends, 一時保護: the first
    # HOME_LIMIT lines, soonest first, and the complete counts by kind
    tracking: list[TrackingItem] = field(default_factory=list)
    tracking_counts: dict[str, int] = field(default_factory=dict)


def read_home(conn: Connection, today: dt.date, user_id: int | None) -> HomeData:
    tracking = home_items(conn, today)
    return HomeData(
        today=today,
        consultations=_today(conn, today),
        follow_ups_due=_follow_ups_due(conn, today),
        renewals=_renewals(conn, today),
        drafts=list_drafts(conn, user_id),
        tracking=tracking.items,
        tracking_counts=tracking.counts,
    )


def _today(conn: Connection, today: dt.date) -> list[TodayItem]:
    rows = conn.execute(
        "SELECT c.id, c.case_id, k.case_number, cl.name, c.kind, c.started_at,"
        " c.risk_final FROM consultations c JOIN cases k ON k.id = c.case_id"
        " JOIN clients cl ON cl.id = k.client_id WHERE c.consulted_on = ?"
        " ORDER BY c.started_at, c.id",
        (today.isoformat(),),
    )
    return [
        TodayItem(
            consultation_id=r["id"],
            case_id=r["case_id"],
            case_number=r["case_number"],
            name=r["name"],
            kind=r["kind"],
            started_at=r["started_at"],
            risk_final=r["risk_final"],
        )
        for r in rows
    ]


def _follow_ups_due(conn: Connection, today: dt.date) -> list[FollowUp]:
    rows = conn.execute(
        "SELECT f.id, f.case_id, k.case_number, f.due_on, f.note FROM follow_ups f"
        " JOIN cases k ON k.id = f.case_id"
        " WHERE f.done_on IS NULL AND f.due_on <= ? ORDER BY f.due_on, f.id",
        (today.isoformat(),),
    )
    return [
        FollowUp(
            id=r["id"],
            case_id=r["case_id"],
            case_number=r["case_number"],
            due_on=day(r["due_on"]),
            note=r["note"],
            done_on=None,
        )
        for r in rows
    ]


def _renewals(conn: Connection, today: dt.date) -> list[SupportMeasure]:
    """The newest 支援措置 of each case whose renewal is due (``renewal_due`` decides;
    the query only narrows to those expiring within 32 days). The window counts from the
    day the year started when the measure was saved (``start_on``: the notified or the
    application date by the municipality's setting, rules.md §9.11), the day that gave
    the stored expiry."""
    horizon = (today + dt.timedelta(days=32)).isoformat()
    rows = conn.execute(
        "SELECT s.case_id, k.case_number, s.applied_on, s.expires_on, s.notified_on,"
        " coalesce(s.start_on, s.applied_on) AS start_on"
        " FROM support_measures s JOIN cases k ON k.id = s.case_id"
        " WHERE s.ended_on IS NULL AND s.expires_on >= ? AND s.expires_on <= ?"
        " AND NOT EXISTS (SELECT 1 FROM support_measures n"
        "   WHERE n.case_id = s.case_id AND n.applied_on > s.applied_on)"
        " ORDER BY s.expires_on",
        (today.isoformat(), horizon),
    )
    return [
        SupportMeasure(
            case_id=r["case_id"],
            case_number=r["case_number"],
            applied_on=day(r["applied_on"]),
            expires_on=day(r["expires_on"]),
            notified_on=opt_day(r["notified_on"]),
            start_on=day(r["start_on"]),
        )
        for r in rows
        if support_measure.renewal_due(day(r["start_on"]), today)
    ]
