"""``Records``: the audited entry points of the consultation records (``session.records``).

Every method opens ``session.transaction(action, object_id)`` or
``session.read(action, object_id)`` and hands the connection to the module that
knows the tables (``write``, ``drafts``, ``search``, ``case_file``, ``consultation``,
``lifecycle``, ``home``), so each write and each read of a case is audited in the same
transaction. The audit entry holds the action and an object id such as ``case:12``
only, never content and never the search text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from intake_app.domain.japanese import normalize_kana
from intake_app.domain.model import Intake
from intake_app.domain.municipality import Municipality
from intake_app.domain.tracking import feed_r19
from intake_app.domain.validation import validate_intake
from intake_app.store import outcomes
from intake_app.store.connection import Connection
from intake_app.store.errors import DiskFull, InvalidIntake, RecordNotFound
from intake_app.store.records import (
    case_file,
    consultation,
    drafts,
    home,
    lifecycle,
    search,
    tracking,
    write,
)
from intake_app.store.records.case_file import CaseFile
from intake_app.store.records.consultation import ConsultationRecord
from intake_app.store.records.drafts import Draft, DraftInfo
from intake_app.store.records.home import HomeData
from intake_app.store.records.search import PerpetratorHit, Query, SearchHit
from intake_app.store.records.stored import now, to_json
from intake_app.store.records.write import Saved

try:  # the SQLCipher driver raises its own exception classes
    from sqlcipher3 import dbapi2 as _sqlcipher_dbapi

    _DB_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, _sqlcipher_dbapi.Error)
except ImportError:  # pragma: no cover - sqlcipher3 is a hard dependency
    _DB_ERRORS = (sqlite3.Error,)

DISK_FULL_WITH_DRAFT = (
    "ディスクの空きが足りないため保存できませんでした。"
    "入力内容は下書きとして残っています。空きを作ってから、もう一度保存してください。"
)


class SessionUser(Protocol):
    @property
    def id(self) -> int: ...


class RecordsSession(Protocol):
    """The part of ``store.session.Session`` the records use (the tests' and benchmarks'
    plain-SQLite stand-ins offer the same; their connections read rows by name too)."""

    @property
    def user(self) -> SessionUser: ...

    @property
    def municipality(self) -> str | Municipality | None: ...

    def transaction(
        self, action: str, object_id: object = None
    ) -> AbstractContextManager[Connection]: ...

    def read(self, action: str, object_id: object = None) -> AbstractContextManager[Connection]: ...

    def draft_transaction(self) -> AbstractContextManager[Connection]: ...


class _Target:
    """An audit object id known only inside the transaction (a new case's id).

    The session writes the audit entry when the transaction body has run and turns
    the object id into text with ``str()`` then, so the entry names the real case.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _is_disk_full(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name == "SQLITE_FULL" or "database or disk is full" in str(exc)


class Records:
    """Intakes, cases, drafts and the lists the screens show, over an open session."""

    def __init__(self, session: RecordsSession) -> None:
        self._session = session

    # -- internal -----------------------------------------------------------------------

    @contextmanager
    def _write(self, action: str, object_id: str | _Target | None) -> Iterator[Connection]:
        """An audited write transaction; a full disk becomes ``DiskFull`` (Japanese message)."""
        try:
            with self._session.transaction(action, object_id) as conn:
                yield conn
        except _DB_ERRORS as exc:
            if _is_disk_full(exc):
                raise DiskFull() from exc
            raise

    @contextmanager
    def _draft_write(self) -> Iterator[Connection]:
        """The one unaudited write: updating an existing draft (see ``save_draft``)."""
        try:
            with self._session.draft_transaction() as conn:
                yield conn
        except _DB_ERRORS as exc:
            if _is_disk_full(exc):
                raise DiskFull() from exc
            raise

    def _user_id(self) -> int:
        return self._session.user.id

    # -- intakes --------------------------------------------------------------------------

    def save_intake(
        self, intake: Intake, *, case_id: int | None = None, draft_id: int | None = None
    ) -> Saved:
        """Write one intake (client, case, consultation, assessments, referrals) atomically.

        A new case is opened when ``case_id`` is None; the draft ``draft_id`` is deleted
        in the same transaction. An intake the domain's validation refuses raises
        ``InvalidIntake`` (its ``errors`` name each field) before anything is written.
        On a full disk nothing is written, ``DiskFull`` is raised, and the draft stays.
        On a case with a 追及 record, R19 is answered 「はい」 before the rules decide
        (``domain.tracking.feed_r19``; ``intake.risk.answers`` is changed in place).
        """
        outcome = self._checked(intake)
        target = _Target(f"case:{case_id}" if case_id is not None else "case:new")
        try:
            with self._write("intake.save", target) as conn:
                if case_id is not None and feed_r19(
                    intake.risk.answers,
                    intake.risk.checklist_version,
                    tracking.pursuit_notes(conn, case_id),
                ):
                    outcome = self._checked(intake)  # R19 「はい」: the case's 追及 log
                saved = write.insert_intake(conn, intake, case_id, outcome, self._user_id())
                target.text = f"case:{saved.case_id}"
                if draft_id is not None:
                    drafts.delete_draft(conn, draft_id)
        except DiskFull as exc:
            if draft_id is None:
                raise
            raise DiskFull(DISK_FULL_WITH_DRAFT) from exc
        return saved

    def save_intakes(self, items: Sequence[tuple[Intake, int | None]]) -> list[Saved]:
        """Write many intakes in one audited transaction (demo data and benchmarks).

        Every intake is checked first: one refused (``InvalidIntake``) writes none."""
        decided = [(intake, case_id, self._checked(intake)) for intake, case_id in items]
        user_id = self._user_id()
        with self._write("intake.save_batch", f"count:{len(items)}") as conn:
            return [
                write.insert_intake(conn, intake, case_id, outcome, user_id)
                for intake, case_id, outcome in decided
            ]

    def _checked(self, intake: Intake) -> outcomes.Outcomes:
        """Validate ``intake`` as the wizard does (``InvalidIntake``), then the rules'
        decisions stored with the consultation (``RuleInputError`` if they cannot be made)."""
        municipality = outcomes.loaded_municipality(self._session.municipality)
        errors = validate_intake(intake, dt.date.today(), municipality)
        if errors:
            raise InvalidIntake(errors)
        return outcomes.evaluate(intake, municipality, write.consultation_day(intake))

    def latest_intake(self, case_id: int) -> Intake:
        """The case's most recent intake (to pre-fill a follow-up). An audited read."""
        with self._session.read("case.latest_intake", f"case:{case_id}") as conn:
            return case_file.latest_intake(conn, case_id)

    def case_intakes(self, case_id: int) -> list[Intake]:
        """Every saved intake of the case, oldest first (the papers that cite the case's
        consultations: the §14② court report, the 支援措置 opinion). An audited read."""
        with self._session.read("case.intakes", f"case:{case_id}") as conn:
            return case_file.case_intakes(conn, case_id)

    # -- drafts ---------------------------------------------------------------------------

    def save_draft(
        self,
        data: dict[str, Any] | Intake,
        *,
        step: int,
        draft_id: int | None = None,
        case_id: int | None = None,
    ) -> int:
        """Keep the wizard's answers as an encrypted draft; returns the draft id.

        Creating a draft is audited (``draft.create``); the later saves as the
        counselor types update the same row without an audit entry each, so a save
        stays one small UPDATE (p95 well under 20 ms) and the audit log is not flooded
        with keystrokes. Resuming (``load_draft``) and deleting are audited.
        """
        payload = to_json(data.to_dict() if isinstance(data, Intake) else data)
        if draft_id is not None:
            with self._draft_write() as conn:
                if drafts.update_draft(conn, draft_id, payload, step, case_id):
                    return draft_id
        with self._write("draft.create", f"case:{case_id}" if case_id else None) as conn:
            return drafts.insert_draft(conn, payload, step, case_id, self._user_id())

    def list_drafts(self) -> list[DraftInfo]:
        """The current user's unfinished drafts, newest first."""
        with self._session.read("draft.list", None) as conn:
            return drafts.list_drafts(conn, self._user_id())

    def load_draft(self, draft_id: int) -> Draft:
        """Resume a draft (audited as ``draft.resume``)."""
        with self._session.read("draft.resume", f"draft:{draft_id}") as conn:
            draft = drafts.load_draft(conn, draft_id)
        if draft is None:
            raise RecordNotFound("下書き")
        return draft

    def delete_draft(self, draft_id: int) -> None:
        with self._write("draft.delete", f"draft:{draft_id}") as conn:
            drafts.delete_draft(conn, draft_id)

    # -- search ---------------------------------------------------------------------------

    def search(self, text: str) -> list[SearchHit]:
        """Cases by name, kana, alias/旧姓, phone or case number; kana-insensitive prefix match.

        Audited as ``search`` without the query text (the audit log holds no content).
        """
        query = Query.of(text)
        if query is None:
            return []
        with self._session.read("search", None) as conn:
            return search.find_cases(conn, query, dt.date.today())

    def search_perpetrator(self, name: str) -> list[PerpetratorHit]:
        """Cases whose perpetrator's name or kana equals ``name`` (normalised).

        For the counter: a caller asking about a client may be the perpetrator
        (追及への対応). Exact match on the normalised name, so a partial name does
        not reveal other cases. Audited as ``search.perpetrator`` without the name.
        """
        key = normalize_kana(name)
        if not key:
            return []
        with self._session.read("search.perpetrator", None) as conn:
            return search.find_perpetrators(conn, key, dt.date.today())

    # -- the case file ----------------------------------------------------------------------

    def open_case(self, case_id: int, *, today: dt.date | None = None) -> CaseFile:
        """Everything the case screen shows; an audited read (``case.open``)."""
        with self._session.read("case.open", f"case:{case_id}") as conn:
            return case_file.read_case_file(conn, case_id, today or dt.date.today())

    def open_consultation(self, consultation_id: int) -> ConsultationRecord:
        """One consultation in full with its outcomes as stored (its read-only view); an
        audited read (``consultation.open``, object ``consultation:<id>``)."""
        with self._session.read("consultation.open", f"consultation:{consultation_id}") as conn:
            return consultation.read_consultation(conn, consultation_id)

    # -- lifecycle --------------------------------------------------------------------------

    def close_case(self, case_id: int, reason: str, *, on: dt.date | None = None) -> None:
        """Close a case with a reason (終結); the event is kept in the case history."""
        with self._write("case.close", f"case:{case_id}") as conn:
            lifecycle.change_status(
                conn, case_id, "close", reason, on or dt.date.today(), self._user_id()
            )

    def reopen_case(self, case_id: int, reason: str, *, on: dt.date | None = None) -> None:
        """Reopen a closed case with a reason (再開)."""
        with self._write("case.reopen", f"case:{case_id}") as conn:
            lifecycle.change_status(
                conn, case_id, "reopen", reason, on or dt.date.today(), self._user_id()
            )

    def add_follow_up(self, case_id: int, due_on: dt.date, note: str = "") -> int:
        with self._write("follow_up.add", f"case:{case_id}") as conn:
            return lifecycle.add_follow_up(conn, case_id, due_on, note, self._user_id())

    def complete_follow_up(self, follow_up_id: int, *, done_on: dt.date | None = None) -> None:
        with self._write("follow_up.complete", f"follow_up:{follow_up_id}") as conn:
            lifecycle.complete_follow_up(
                conn, follow_up_id, done_on or dt.date.today(), self._user_id()
            )

    # -- home and prints --------------------------------------------------------------------

    def home(self, today: dt.date) -> HomeData:
        """Today's consultations, follow-ups due, 支援措置 renewals within a month, drafts."""
        with self._session.read("home", None) as conn:
            return home.read_home(conn, today, self._user_id())

    def record_print(self, kind: str, case_id: int | None, destination_id: str | None) -> None:
        """Log a print of a slip or document (audited as ``print``)."""
        with self._write("print", f"case:{case_id}:{kind}") as conn:
            conn.execute(
                "INSERT INTO prints (case_id, kind, destination_id, printed_at, user_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_id, kind, destination_id, now(), self._user_id()),
            )
