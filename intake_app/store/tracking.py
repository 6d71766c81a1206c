"""``Tracking``: the audited entry points of what a case follows (``session.tracking``).

Each method is one transaction of the session (``transaction`` / ``read``) with its
audit entry: the action and the case (``case:<id>``), never what was typed. Every
record is checked first by the domain (``domain.tracking.check_*``); a refused one
raises ``InvalidRecord`` (its ``errors`` name each field, its message is the first one)
and nothing is written.

Audit actions: ``case.tracking`` (read), ``support_measure.checklist``,
``support_measure.confirm``, ``support_measure.end``, ``pursuit.add``, ``pursuit.police``,
``court_request.add``, ``court_request.sent``, ``court_order.add``,
``court_order.breach``, ``shelter_outcome.add``, ``shelter_outcome.update``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from intake_app.domain.court import CourtRequest
from intake_app.domain.errors import UserError
from intake_app.domain.japanese import wareki
from intake_app.domain.municipality import (
    Municipality,
    SupportMeasurePlace,
    resolve_municipality,
)
from intake_app.domain.tracking import (
    Breach,
    MeasureEnd,
    OrderNotice,
    PlaceConfirmation,
    PursuitEntry,
    ShelterOutcome,
    check_breach,
    check_confirmation,
    check_end,
    check_order,
    check_police,
    check_pursuit,
    check_report_sent,
    check_request,
    check_shelter,
)
from intake_app.domain.validation import FieldError
from intake_app.store.connection import Connection, Row
from intake_app.store.errors import RecordNotFound
from intake_app.store.records import tracking as sql
from intake_app.store.records.tracking import CaseTracking, TrackingItem

__all__ = ["CaseTracking", "InvalidRecord", "Tracking", "TrackingItem"]


class InvalidRecord(UserError, ValueError):
    """A record the domain's checks refuse; nothing was written."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__(self.errors[0].message if self.errors else "入力を確かめてください")


class TrackingUser(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


class TrackingSession(Protocol):
    """The part of ``store.session.Session`` the tracking uses (a test stand-in too)."""

    @property
    def user(self) -> TrackingUser: ...

    @property
    def municipality(self) -> str | Municipality | None: ...

    def transaction(
        self, action: str, object_id: object = None
    ) -> AbstractContextManager[Connection]: ...

    def read(self, action: str, object_id: object = None) -> AbstractContextManager[Connection]: ...


class _Case:
    """The audit object ``case:<id>``, known only inside the transaction for a write
    that names a measure, a request or an order (the session stringifies it after the
    body has run)."""

    def __init__(self) -> None:
        self.case_id: int | None = None

    def __str__(self) -> str:
        return f"case:{self.case_id}"


def _refuse(errors: Sequence[FieldError]) -> None:
    if errors:
        raise InvalidRecord(errors)


class Tracking:
    """The records a case follows, over an open session."""

    def __init__(self, session: TrackingSession) -> None:
        self._session = session

    def _user(self) -> tuple[int | None, str]:
        """Who records: the user id and the 氏名 of the day (the login name while the
        氏名 is not set)."""
        user = self._session.user
        name = getattr(user, "display_name", "") or user.name
        return user.id, str(name)

    @contextlib.contextmanager
    def _on_record(
        self, action: str, find: Callable[[Connection, int], Row], record_id: int
    ) -> Iterator[tuple[Connection, Row]]:
        """A write on a saved record (a measure, a place, a 追及, a request, an order): its
        row is found inside the transaction, whose audit entry then names its case."""
        target = _Case()
        with self._session.transaction(action, target) as conn:
            row = find(conn, record_id)
            target.case_id = row["case_id"]
            yield conn, row

    # -- reading ---------------------------------------------------------------------------

    def case(self, case_id: int) -> CaseTracking:
        """Every tracking record of the case (audited read ``case.tracking``)."""
        with self._session.read("case.tracking", f"case:{case_id}") as conn:
            return sql.read_case(conn, case_id)

    # -- 支援措置 --------------------------------------------------------------------------------

    def start_checklist(self, measure_id: int) -> int:
        """The settings' places as the checklist of a measure saved before there was one;
        returns how many were added (0 when it has a list)."""
        places: tuple[SupportMeasurePlace, ...] = ()
        try:
            city = resolve_municipality(self._session.municipality)
        except (OSError, ValueError):
            city = None
        if city is not None:
            places = city.support_measure_places
        measure = self._on_record("support_measure.checklist", sql.measure_row, measure_id)
        with measure as (conn, row):
            return sql.copy_places(conn, measure_id, row["case_id"], places)

    def confirm_place(
        self, check_id: int, record: PlaceConfirmation, *, today: dt.date | None = None
    ) -> None:
        """A place of the checklist confirmed: when, how, by the session's user."""
        user_id, name = self._user()
        with self._on_record("support_measure.confirm", sql.check_row, check_id) as (conn, row):
            applied = dt.date.fromisoformat(row["applied_on"])
            _refuse(check_confirmation(record, today or dt.date.today(), applied_on=applied))
            sql.confirm_place(conn, check_id, record, user_id, name)

    def end_measure(
        self, measure_id: int, record: MeasureEnd, *, today: dt.date | None = None
    ) -> None:
        """How the 支援措置 ended (転出・本人の申出・期間満了): the reminder stops."""
        user_id, _name = self._user()
        with self._on_record("support_measure.end", sql.measure_row, measure_id) as (conn, row):
            applied = dt.date.fromisoformat(row["applied_on"])
            _refuse(check_end(record, today or dt.date.today(), applied_on=applied))
            sql.end_measure(conn, measure_id, record, user_id)

    # -- 追及 ------------------------------------------------------------------------------------

    def add_pursuit(
        self, case_id: int, entry: PursuitEntry, *, today: dt.date | None = None
    ) -> int:
        """One enquiry recorded; the case's 追及注意 is set in the same transaction."""
        _refuse(check_pursuit(entry, today or dt.date.today()))
        user_id, name = self._user()
        with self._session.transaction("pursuit.add", f"case:{case_id}") as conn:
            return sql.add_pursuit(conn, case_id, entry, user_id, name)

    def correct_pursuit(
        self, pursuit_id: int, entry: PursuitEntry, *, today: dt.date | None = None
    ) -> None:
        """A saved 追及 record corrected (a mistyped counter or time): the same checks as a
        new one, audited as ``pursuit.correct`` on its case."""
        _refuse(check_pursuit(entry, today or dt.date.today()))
        with self._on_record("pursuit.correct", sql.pursuit_row, pursuit_id) as (conn, _row):
            sql.correct_pursuit(conn, pursuit_id, entry)

    def set_pursuit_police(self, pursuit_id: int, told: bool | None) -> None:
        """The later answer to 「警察へ伝えたか」 on a 追及 record (``pursuit.police``)."""
        _refuse(check_police(told))
        with self._on_record("pursuit.police", sql.pursuit_row, pursuit_id) as (conn, _row):
            assert told is not None
            sql.set_pursuit_police(conn, pursuit_id, told)

    # -- the court ---------------------------------------------------------------------------

    def add_court_request(
        self, case_id: int, request: CourtRequest, *, today: dt.date | None = None
    ) -> int:
        """The court's §14② request as its letter gives it."""
        _refuse(check_request(request, today or dt.date.today()))
        user_id, _name = self._user()
        with self._session.transaction("court_request.add", f"case:{case_id}") as conn:
            return sql.add_court_request(conn, case_id, request, user_id)

    def correct_court_request(
        self, request_id: int, request: CourtRequest, *, today: dt.date | None = None
    ) -> None:
        """A saved request corrected (the 事件番号 the court report prints, say): the same
        checks as a new one, and a report already sent stays on or after the day the
        request was received. Audited as ``court_request.correct``."""
        today = today or dt.date.today()
        _refuse(check_request(request, today))
        with self._on_record("court_request.correct", sql.request_row, request_id) as (conn, row):
            sent = row["report_sent_on"]
            if sent is not None and request.received_on is not None:
                sent_on = dt.date.fromisoformat(sent)
                if request.received_on > sent_on:
                    later = f"受け取った日: 書面を送った日（{wareki(sent_on)}）より後にはできません"
                    _refuse([FieldError("received_on", later)])
            sql.correct_court_request(conn, request_id, request)

    def record_report_sent(
        self, request_id: int, sent_on: dt.date | None, *, today: dt.date | None = None
    ) -> None:
        """The day the written report was sent to the court."""
        with self._on_record("court_request.sent", sql.request_row, request_id) as (conn, row):
            received = dt.date.fromisoformat(row["received_on"])
            _refuse(check_report_sent(sent_on, today or dt.date.today(), received_on=received))
            assert sent_on is not None
            sql.record_report_sent(conn, request_id, sent_on)

    def add_order(self, case_id: int, notice: OrderNotice, *, today: dt.date | None = None) -> int:
        """The §15④ notice of an issued order; the ends are computed from the orders."""
        _refuse(check_order(notice, today or dt.date.today()))
        user_id, _name = self._user()
        with self._session.transaction("court_order.add", f"case:{case_id}") as conn:
            return sql.add_order(conn, case_id, notice, user_id)

    def add_breach(self, order_id: int, breach: Breach, *, today: dt.date | None = None) -> int:
        """A breach of the order that the client reported."""
        user_id, _name = self._user()
        with self._on_record("court_order.breach", sql.order_row, order_id) as (conn, row):
            issued = dt.date.fromisoformat(row["issued_on"])
            _refuse(check_breach(breach, today or dt.date.today(), issued_on=issued))
            return sql.add_breach(conn, order_id, row["case_id"], breach, user_id)

    # -- 一時保護 / 緊急一時避難 ---------------------------------------------------------------

    def save_shelter(
        self,
        case_id: int,
        outcome: ShelterOutcome,
        *,
        outcome_id: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        """A new request (``outcome_id`` None) or what became of one; returns its id."""
        _refuse(check_shelter(outcome, today or dt.date.today()))
        user_id, _name = self._user()
        if outcome_id is None:
            with self._session.transaction("shelter_outcome.add", f"case:{case_id}") as conn:
                return sql.add_shelter(conn, case_id, outcome, user_id)
        with self._session.transaction("shelter_outcome.update", f"case:{case_id}") as conn:
            row = sql.shelter_row(conn, outcome_id)
            if row["case_id"] != case_id:
                raise RecordNotFound("依頼の記録")
            sql.update_shelter(conn, outcome_id, outcome, user_id)
            return outcome_id
