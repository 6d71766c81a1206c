"""The consultation records: intakes, cases, drafts, search, home screen data.

``Records(session)`` is reached as ``session.records``. Every method goes through
``session.transaction(action, object_id)`` or ``session.read(action, object_id)``,
so each write and each case open is audited in the same transaction; the audit
entry holds the action and an object id such as ``case:12`` only, never content.

Layout (resources/migrations/0001_initial.sql, part 2): search, home and statistics read narrow
tables; the full intake JSON sits in ``consultation_details`` and is read only
when a case's latest intake is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from intake_app.domain.japanese import fiscal_year, normalize_kana
from intake_app.domain.model import Intake
from intake_app.domain.rules import support_measure
from intake_app.store import outcomes as _outcomes
from intake_app.store.errors import DiskFull

try:  # the SQLCipher driver raises its own exception classes
    from sqlcipher3 import dbapi2 as _sqlcipher_dbapi

    _DB_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, _sqlcipher_dbapi.Error)
except ImportError:  # pragma: no cover - sqlcipher3 is a hard dependency
    _DB_ERRORS = (sqlite3.Error,)

SEARCH_LIMIT = 50  # results shown; a counselor narrows a longer list by typing more
CANDIDATE_LIMIT = 100  # clients looked at per search word
_TERM_END = "\U0010ffff"  # sorts after every character: prefix ranges on a text index
_CASE_NUMBER = re.compile(r"^\d{4}-\d{1,6}$")
_PHONE_CHARS = re.compile(r"[\s\-‐－ー()（）+＋]")


# --- what the session offers ----------------------------------------------------------


class _User(Protocol):
    @property
    def id(self) -> int: ...


class SessionLike(Protocol):
    """The part of ``store.Session`` that the records use."""

    @property
    def user(self) -> Any: ...

    @property
    def municipality(self) -> Any: ...

    def transaction(self, action: str, object_id: Any = None) -> AbstractContextManager[Any]: ...

    def read(self, action: str, object_id: Any = None) -> AbstractContextManager[Any]: ...

    def draft_transaction(self) -> AbstractContextManager[Any]: ...


# --- errors -----------------------------------------------------------------------------


DISK_FULL_WITH_DRAFT = (
    "ディスクの空きが足りないため保存できませんでした。"
    "入力内容は下書きとして残っています。空きを作ってから、もう一度保存してください。"
)


class RecordNotFound(LookupError):
    """A case, draft or follow-up id that does not exist."""

    def __init__(self, what: str) -> None:
        self.message = f"{what}が見つかりません"
        super().__init__(self.message)


def _is_disk_full(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name == "SQLITE_FULL" or "database or disk is full" in str(exc)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    case_id: int
    case_number: str
    consultation_id: int


@dataclass(frozen=True)
class SearchHit:
    """One case found by the search. Never holds the address or the whereabouts."""

    case_id: int
    case_number: str
    client_id: int
    name: str
    kana: str
    status: str
    last_consulted_on: dt.date
    latest_risk: str | None
    do_not_disclose: bool
    support_measure: bool


@dataclass(frozen=True)
class PerpetratorHit:
    """A case whose perpetrator matches the searched name (追及への対応)."""

    case_id: int
    case_number: str
    perpetrator_name: str
    perpetrator_kana: str
    do_not_disclose: bool
    support_measure: bool


@dataclass(frozen=True)
class DraftInfo:
    id: int
    case_id: int | None
    case_number: str | None
    step: int
    client_name: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class Draft:
    id: int
    case_id: int | None
    step: int
    data: dict[str, Any]
    updated_at: dt.datetime


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
    case_id: int
    case_number: str
    applied_on: dt.date  # 申出日
    expires_on: dt.date  # the last day in force: one year from ``start_on``
    notified_on: dt.date | None = None  # 確認結果の連絡日 (rules.md §9.11)
    start_on: dt.date | None = None  # the day the year counts from (set when saved)


@dataclass(frozen=True)
class CaseView:
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


# --- helpers ---------------------------------------------------------------------------------


class _Target:
    """An audit object id known only inside the transaction (a new case's id).

    The session writes the audit entry when the transaction body has run and turns
    the object id into text with ``str()`` then, so the entry names the real case.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _b(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _phone_digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isdigit())


def _terms(*texts: str) -> set[str]:
    """Search terms of names: the whole normalised text and each space-separated word."""
    out: set[str] = set()
    for text in texts:
        if not text.strip():
            continue
        whole = normalize_kana(text)
        if whole:
            out.add(whole)
        for word in unicodedata.normalize("NFKC", text).split():
            key = normalize_kana(word)
            if key:
                out.add(key)
    return out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def pack_intake(intake: Intake) -> bytes:
    """The stored form of a saved intake: compressed JSON (see 0001_initial.sql)."""
    return zlib.compress(_json(intake.to_dict()).encode("utf-8"), 6)


def unpack_intake(data: bytes) -> Intake:
    return Intake.from_dict(json.loads(zlib.decompress(data).decode("utf-8")))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _answered(answers: str | None) -> int:
    """How many checklist items a stored assessment answered yes or no."""
    data = json.loads(answers or "{}")
    return sum(1 for value in data.values() if value is not None) if isinstance(data, dict) else 0


def _opt_iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _opt_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


# --- the repository ----------------------------------------------------------------------------


class Records:
    """Intakes, cases, drafts and the lists the screens show, over an open session."""

    def __init__(self, session: SessionLike) -> None:
        self._session = session

    # -- internal -----------------------------------------------------------------------

    @contextmanager
    def _write(self, action: str, object_id: str | _Target | None) -> Iterator[Any]:
        """An audited write transaction; a full disk becomes ``DiskFull`` (Japanese message)."""
        try:
            with self._session.transaction(action, object_id) as conn:
                yield conn
        except _DB_ERRORS as exc:
            if _is_disk_full(exc):
                raise DiskFull() from exc
            raise

    def _user_id(self) -> int | None:
        user = getattr(self._session, "user", None)
        uid = getattr(user, "id", None)
        return uid if isinstance(uid, int) else None

    # -- intakes --------------------------------------------------------------------------

    def save_intake(
        self, intake: Intake, *, case_id: int | None = None, draft_id: int | None = None
    ) -> Saved:
        """Write one intake (client, case, consultation, assessments, referrals) atomically.

        A new case is opened when ``case_id`` is None; the draft ``draft_id`` is deleted
        in the same transaction. On a full disk nothing is written, ``DiskFull`` is
        raised, and the draft stays.
        """
        target = _Target(f"case:{case_id}" if case_id is not None else "case:new")
        try:
            with self._write("intake.save", target) as conn:
                saved = self._insert_intake(conn, intake, case_id)
                target.text = f"case:{saved.case_id}"
                if draft_id is not None:
                    conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
        except DiskFull as exc:
            if draft_id is None:
                raise
            raise DiskFull(DISK_FULL_WITH_DRAFT) from exc
        return saved

    def save_intakes(self, items: Sequence[tuple[Intake, int | None]]) -> list[Saved]:
        """Write many intakes in one audited transaction (demo data and benchmarks)."""
        with self._write("intake.save_batch", f"count:{len(items)}") as conn:
            return [self._insert_intake(conn, intake, case_id) for intake, case_id in items]

    def _insert_intake(self, conn: Any, intake: Intake, case_id: int | None) -> Saved:
        now = _now()
        started = intake.consultation.started_at
        day = started.date() if started is not None else dt.date.today()
        fy = fiscal_year(day)
        result = _outcomes.evaluate(intake, getattr(self._session, "municipality", None), day)
        client = intake.client
        uid = self._user_id()

        if case_id is None:
            client_id = self._insert_client(conn, intake, now)
            case_number = self._next_case_number(conn, fy)
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
                    result.risk_final,
                    uid,
                    now,
                ),
            )
            case_id = int(cur.lastrowid)
        else:
            row = conn.execute(
                "SELECT case_number, client_id, last_consulted_on FROM cases WHERE id = ?",
                (case_id,),
            ).fetchone()
            if row is None:
                raise RecordNotFound("ケース")
            case_number, client_id, last_on = row[0], int(row[1]), row[2]
            self._update_client(conn, client_id, intake, now)
            latest = day.isoformat() >= last_on
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
                    result.risk_final,
                    now,
                    case_id,
                ),
            )

        info = intake.consultation
        relationship = intake.relationship
        cur = conn.execute(
            "INSERT INTO consultations (case_id, consulted_on, started_at, fiscal_year, month,"
            " kind, channel, consulter, relationship, age_group, gender, risk_computed,"
            " risk_final, shelter_recommendation, shelter_requested, po_eligible,"
            " support_measure, child_notification, child_notified, counselor_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                day.isoformat(),
                started.isoformat(timespec="minutes") if started is not None else None,
                fy,
                day.month,
                info.kind,
                info.channel,
                info.consulter,
                relationship.type,
                client.age_group,
                client.gender,
                result.risk_computed,
                result.risk_final,
                result.shelter_recommendation,
                int(intake.shelter.requested),
                _b(result.po_eligible),
                int(intake.address.support_measure_applied),
                int(result.child_notification_required),
                int(intake.household.child_notification is not None),
                uid,
                now,
            ),
        )
        cid = int(cur.lastrowid)
        conn.execute(
            "INSERT INTO consultation_details (consultation_id, intake) VALUES (?, ?)",
            (cid, pack_intake(intake)),
        )
        if intake.household.children:
            conn.executemany(
                "INSERT INTO children (consultation_id, idx, age, lives_with_client,"
                " witnessed_violence, directly_harmed) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        cid,
                        i,
                        ch.age,
                        _b(ch.lives_with_client),
                        _b(ch.witnessed_violence),
                        _b(ch.directly_harmed),
                    )
                    for i, ch in enumerate(intake.household.children)
                ],
            )
        if intake.violence.types:
            conn.executemany(
                "INSERT INTO violence (consultation_id, type, frequency, fiscal_year, month)"
                " VALUES (?, ?, ?, ?, ?)",
                [(cid, t, f, fy, day.month) for t, f in intake.violence.types.items()],
            )
        if intake.violence.threats:
            conn.executemany(
                "INSERT OR IGNORE INTO threats (consultation_id, threat) VALUES (?, ?)",
                [(cid, t) for t in intake.violence.threats],
            )
        if intake.needs.categories:
            conn.executemany(
                "INSERT OR IGNORE INTO needs (consultation_id, category, fiscal_year)"
                " VALUES (?, ?, ?)",
                [(cid, c, fy) for c in intake.needs.categories],
            )
        if relationship.perpetrator_name.strip() or relationship.perpetrator_kana.strip():
            conn.execute(
                "INSERT OR IGNORE INTO perpetrators (case_id, name, kana, name_norm, kana_norm,"
                " consultation_id) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    relationship.perpetrator_name,
                    relationship.perpetrator_kana,
                    normalize_kana(relationship.perpetrator_name),
                    normalize_kana(relationship.perpetrator_kana),
                    cid,
                ),
            )
        risk = intake.risk
        conn.execute(
            "INSERT INTO risk_assessments (consultation_id, case_id, assessed_on,"
            " checklist_version, answers, yes_count, red_flags, computed, final, judgement,"
            " judgement_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                case_id,
                day.isoformat(),
                risk.checklist_version,
                _json(risk.answers),
                result.yes_count,
                _json(result.red_flags),
                result.risk_computed,
                result.risk_final,
                risk.judgement,
                risk.judgement_reason,
            ),
        )
        conn.execute(
            "INSERT INTO shelter_decisions (consultation_id, recommendation, reasons, routes,"
            " client_wish, requested, accompanying_children) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                result.shelter_recommendation,
                _json(result.shelter_reasons),
                _json(result.shelter_routes),
                intake.shelter.client_wish,
                int(intake.shelter.requested),
                _json(intake.shelter.accompanying_children),
            ),
        )
        conn.execute(
            "INSERT INTO protection_order_advice (consultation_id, eligible, orders,"
            " prerequisite, alternative_routes, counts_as_prior, client_intention, state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                int(bool(result.po_eligible)),
                _json(result.po_orders),
                result.po_prerequisite,
                _json(result.po_alternative_routes),
                int(info.channel in ("visit", "accompanied")),
                intake.protection_order.client_intention,
                result.po_state,
            ),
        )
        if intake.referrals:
            conn.executemany(
                "INSERT INTO referrals (consultation_id, case_id, destination_id, purpose,"
                " fields, consent, consent_method, consent_at, mandatory,"
                " whereabouts_confirmed, referred_on, fiscal_year)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        cid,
                        case_id,
                        r.destination_id,
                        r.purpose,
                        _json(r.fields),
                        int(r.consent),
                        r.consent_method,
                        r.consent_at.isoformat(timespec="minutes") if r.consent_at else None,
                        int(r.mandatory),
                        int(r.whereabouts_confirmed),
                        day.isoformat(),
                        fy,
                    )
                    for r in intake.referrals
                ],
            )
        protection = intake.address
        if (
            protection.support_measure_applied
            and protection.applied_on is not None
            and result.measure_start is not None
            and result.measure_expiry is not None
        ):
            # rules.md §9.11: the year counts from the day the municipality's setting names
            # (the notified date, or the application date); a later consultation that
            # records the notified date moves the expiry of the same application.
            conn.execute(
                "INSERT INTO support_measures (case_id, consultation_id, applied_on,"
                " notified_on, start_on, expires_on) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (case_id, applied_on) DO UPDATE SET"
                " notified_on = excluded.notified_on, start_on = excluded.start_on,"
                " expires_on = excluded.expires_on",
                (
                    case_id,
                    cid,
                    protection.applied_on.isoformat(),
                    _opt_iso(protection.notified_on),
                    result.measure_start.isoformat(),
                    result.measure_expiry.isoformat(),
                ),
            )
        return Saved(case_id=case_id, case_number=str(case_number), consultation_id=cid)

    def _insert_client(self, conn: Any, intake: Intake, now: str) -> int:
        client = intake.client
        cur = conn.execute(
            "INSERT INTO clients (name, kana, name_norm, kana_norm, phone_digits, anonymous,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                client.name,
                client.kana,
                normalize_kana(client.name),
                normalize_kana(client.kana),
                _phone_digits(client.safe_contact.phone),
                int(client.anonymous),
                now,
                now,
            ),
        )
        client_id = int(cur.lastrowid)
        self._write_aliases_and_terms(conn, client_id, intake)
        return client_id

    def _update_client(self, conn: Any, client_id: int, intake: Intake, now: str) -> None:
        client = intake.client
        conn.execute(
            "UPDATE clients SET name = ?, kana = ?, name_norm = ?, kana_norm = ?,"
            " phone_digits = ?, anonymous = ?, updated_at = ? WHERE id = ?",
            (
                client.name,
                client.kana,
                normalize_kana(client.name),
                normalize_kana(client.kana),
                _phone_digits(client.safe_contact.phone),
                int(client.anonymous),
                now,
                client_id,
            ),
        )
        conn.execute("DELETE FROM client_terms WHERE client_id = ?", (client_id,))
        self._write_aliases_and_terms(conn, client_id, intake)

    def _write_aliases_and_terms(self, conn: Any, client_id: int, intake: Intake) -> None:
        client = intake.client
        aliases = [a for a in client.aliases if a.strip()]
        if aliases:
            conn.executemany(
                "INSERT OR IGNORE INTO client_aliases (client_id, alias, alias_norm)"
                " VALUES (?, ?, ?)",
                [(client_id, a, normalize_kana(a)) for a in aliases],
            )
        old = conn.execute(
            "SELECT alias FROM client_aliases WHERE client_id = ?", (client_id,)
        ).fetchall()
        terms = _terms(client.name, client.kana, *aliases, *(r[0] for r in old))
        phone = _phone_digits(client.safe_contact.phone)
        if phone:
            terms.add(phone)
        if terms:
            conn.executemany(
                "INSERT OR IGNORE INTO client_terms (term, client_id) VALUES (?, ?)",
                [(t, client_id) for t in terms],
            )

    @staticmethod
    def _next_case_number(conn: Any, fy: int) -> str:
        row = conn.execute(
            "SELECT last_number FROM case_numbers WHERE fiscal_year = ?", (fy,)
        ).fetchone()
        number = 1 if row is None else int(row[0]) + 1
        conn.execute(
            "INSERT INTO case_numbers (fiscal_year, last_number) VALUES (?, ?)"
            " ON CONFLICT (fiscal_year) DO UPDATE SET last_number = excluded.last_number",
            (fy, number),
        )
        return f"{fy}-{number:04d}"

    def latest_intake(self, case_id: int) -> Intake:
        """The case's most recent intake (to pre-fill a follow-up). An audited read."""
        with self._session.read("case.latest_intake", f"case:{case_id}") as conn:
            row = conn.execute(
                "SELECT d.intake FROM consultations c"
                " JOIN consultation_details d ON d.consultation_id = c.id"
                " WHERE c.case_id = ? ORDER BY c.consulted_on DESC, c.id DESC LIMIT 1",
                (case_id,),
            ).fetchone()
            if row is None:
                # a case handed over from another centre, before its first consultation
                # here: the follow-up starts from what the package brought
                from intake_app.store.handoff.packages import received_seed

                seed = received_seed(conn, case_id)
                if seed is not None:
                    return seed
        if row is None:
            raise RecordNotFound("ケース")
        return unpack_intake(row[0])

    def case_intakes(self, case_id: int) -> list[Intake]:
        """Every saved intake of the case, oldest first (the papers that cite the case's
        consultations: the §14② court report, the 支援措置 opinion). An audited read."""
        with self._session.read("case.intakes", f"case:{case_id}") as conn:
            rows = conn.execute(
                "SELECT d.intake FROM consultations c"
                " JOIN consultation_details d ON d.consultation_id = c.id"
                " WHERE c.case_id = ? ORDER BY c.consulted_on, c.id",
                (case_id,),
            ).fetchall()
        if not rows:
            raise RecordNotFound("ケース")
        return [unpack_intake(r[0]) for r in rows]

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
        payload = _json(data.to_dict() if isinstance(data, Intake) else data)
        now = _now()
        if draft_id is not None:
            with self._draft_write() as conn:
                cur = conn.execute(
                    "UPDATE drafts SET data = ?, step = ?, case_id = ?, updated_at = ?"
                    " WHERE id = ?",
                    (payload, step, case_id, now, draft_id),
                )
                if cur.rowcount == 1:
                    return draft_id
        with self._write("draft.create", f"case:{case_id}" if case_id else None) as conn:
            cur = conn.execute(
                "INSERT INTO drafts (case_id, step, data, created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (case_id, step, payload, self._user_id(), now, now),
            )
            return int(cur.lastrowid)

    @contextmanager
    def _draft_write(self) -> Iterator[Any]:
        """The one unaudited write: updating an existing draft (see ``save_draft``)."""
        try:
            with self._session.draft_transaction() as conn:
                yield conn
        except _DB_ERRORS as exc:
            if _is_disk_full(exc):
                raise DiskFull() from exc
            raise

    def list_drafts(self) -> list[DraftInfo]:
        """The current user's unfinished drafts, newest first."""
        with self._session.read("draft.list", None) as conn:
            return self._drafts(conn)

    def _drafts(self, conn: Any) -> list[DraftInfo]:
        rows = conn.execute(
            "SELECT d.id, d.case_id, c.case_number, d.step,"
            " coalesce(json_extract(d.data, '$.client.name'), ''), d.updated_at"
            " FROM drafts d LEFT JOIN cases c ON c.id = d.case_id"
            " WHERE d.created_by IS ? ORDER BY d.updated_at DESC, d.id DESC",
            (self._user_id(),),
        ).fetchall()
        return [
            DraftInfo(
                id=r[0],
                case_id=r[1],
                case_number=r[2],
                step=r[3],
                client_name=r[4] if isinstance(r[4], str) else "",
                updated_at=dt.datetime.fromisoformat(r[5]),
            )
            for r in rows
        ]

    def load_draft(self, draft_id: int) -> Draft:
        """Resume a draft (audited as ``draft.resume``)."""
        with self._session.read("draft.resume", f"draft:{draft_id}") as conn:
            row = conn.execute(
                "SELECT id, case_id, step, data, updated_at FROM drafts WHERE id = ?",
                (draft_id,),
            ).fetchone()
        if row is None:
            raise RecordNotFound("下書き")
        return Draft(
            id=row[0],
            case_id=row[1],
            step=row[2],
            data=json.loads(row[3]),
            updated_at=dt.datetime.fromisoformat(row[4]),
        )

    def delete_draft(self, draft_id: int) -> None:
        with self._write("draft.delete", f"draft:{draft_id}") as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # -- search ---------------------------------------------------------------------------

    def search(self, text: str) -> list[SearchHit]:
        """Cases by name, kana, alias/旧姓, phone or case number; kana-insensitive prefix match.

        Audited as ``search`` without the query text (the audit log holds no content).
        """
        text = text.strip()
        if not text:
            return []
        keys: set[str] = set()
        key = normalize_kana(text)
        if key:
            keys.add(key)
        compact = _PHONE_CHARS.sub("", unicodedata.normalize("NFKC", text))
        if compact.isdigit():
            keys.add(compact)
        case_number = unicodedata.normalize("NFKC", text).replace(" ", "")
        with self._session.read("search", None) as conn:
            client_ids: set[int] = set()
            for k in keys:
                # exact words first (newest clients first), then longer words with this prefix
                rows = conn.execute(
                    "SELECT client_id FROM client_terms WHERE term = ?"
                    " ORDER BY client_id DESC LIMIT ?",
                    (k, CANDIDATE_LIMIT),
                ).fetchall()
                client_ids.update(r[0] for r in rows)
                if len(client_ids) < CANDIDATE_LIMIT:
                    rows = conn.execute(
                        "SELECT client_id FROM client_terms WHERE term > ? AND term < ? LIMIT ?",
                        (k, k + _TERM_END, CANDIDATE_LIMIT),
                    ).fetchall()
                    client_ids.update(r[0] for r in rows)
            case_ids: set[int] = set()
            if _CASE_NUMBER.match(case_number):
                rows = conn.execute(
                    "SELECT id FROM cases WHERE case_number >= ? AND case_number < ? LIMIT ?",
                    (case_number, case_number + _TERM_END, SEARCH_LIMIT),
                ).fetchall()
                case_ids.update(r[0] for r in rows)
            return self._hits(conn, client_ids, case_ids)

    def _hits(self, conn: Any, client_ids: set[int], case_ids: set[int]) -> list[SearchHit]:
        if not client_ids and not case_ids:
            return []
        today = dt.date.today().isoformat()
        rows = conn.execute(
            "SELECT k.id, k.case_number, k.client_id, c.name, c.kana, k.status,"
            " k.last_consulted_on, k.latest_risk, k.do_not_disclose,"
            " EXISTS (SELECT 1 FROM support_measures s WHERE s.case_id = k.id"
            "   AND s.ended_on IS NULL AND s.expires_on >= ?)"
            " FROM cases k JOIN clients c ON c.id = k.client_id"
            " WHERE k.client_id IN (SELECT value FROM json_each(?))"
            " OR k.id IN (SELECT value FROM json_each(?))"
            " ORDER BY k.last_consulted_on DESC, k.id DESC LIMIT ?",
            (today, json.dumps(sorted(client_ids)), json.dumps(sorted(case_ids)), SEARCH_LIMIT),
        ).fetchall()
        return [
            SearchHit(
                case_id=r[0],
                case_number=r[1],
                client_id=r[2],
                name=r[3],
                kana=r[4],
                status=r[5],
                last_consulted_on=_date(r[6]),
                latest_risk=r[7],
                do_not_disclose=bool(r[8]),
                support_measure=bool(r[9]),
            )
            for r in rows
        ]

    def search_perpetrator(self, name: str) -> list[PerpetratorHit]:
        """Cases whose perpetrator's name or kana equals ``name`` (normalised).

        For the counter: a caller asking about a client may be the perpetrator
        (追及への対応). Exact match on the normalised name, so a partial name does
        not reveal other cases. Audited as ``search.perpetrator`` without the name.
        """
        key = normalize_kana(name)
        if not key:
            return []
        today = dt.date.today().isoformat()
        with self._session.read("search.perpetrator", None) as conn:
            rows = conn.execute(
                "SELECT k.id, k.case_number, p.name, p.kana, k.do_not_disclose,"
                " EXISTS (SELECT 1 FROM support_measures s WHERE s.case_id = k.id"
                "   AND s.ended_on IS NULL AND s.expires_on >= ?)"
                " FROM perpetrators p JOIN cases k ON k.id = p.case_id"
                " WHERE p.id IN (SELECT id FROM perpetrators WHERE name_norm = ?"
                "   UNION SELECT id FROM perpetrators WHERE kana_norm = ?)"
                " ORDER BY k.last_consulted_on DESC",
                (today, key, key),
            ).fetchall()
        seen: set[int] = set()
        hits: list[PerpetratorHit] = []
        for r in rows:
            if r[0] in seen:
                continue
            seen.add(r[0])
            hits.append(
                PerpetratorHit(
                    case_id=r[0],
                    case_number=r[1],
                    perpetrator_name=r[2],
                    perpetrator_kana=r[3],
                    do_not_disclose=bool(r[4]),
                    support_measure=bool(r[5]),
                )
            )
        return hits

    # -- case view --------------------------------------------------------------------------

    def open_case(self, case_id: int, *, today: dt.date | None = None) -> CaseView:
        """Everything the case screen shows; an audited read (``case.open``)."""
        day = (today or dt.date.today()).isoformat()
        with self._session.read("case.open", f"case:{case_id}") as conn:
            row = conn.execute(
                "SELECT k.case_number, k.status, k.client_id, c.name, c.kana,"
                " k.do_not_disclose, k.counter_note, k.opened_on, k.closed_on, k.close_reason"
                " FROM cases k JOIN clients c ON c.id = k.client_id WHERE k.id = ?",
                (case_id,),
            ).fetchone()
            if row is None:
                raise RecordNotFound("ケース")
            case_number = row[0]
            aliases = [
                r[0]
                for r in conn.execute(
                    "SELECT alias FROM client_aliases WHERE client_id = ? ORDER BY id",
                    (row[2],),
                )
            ]
            sm = conn.execute(
                "SELECT applied_on, expires_on, notified_on, start_on FROM support_measures"
                " WHERE case_id = ? AND ended_on IS NULL AND expires_on >= ?"
                " ORDER BY applied_on DESC LIMIT 1",
                (case_id, day),
            ).fetchone()
            consultations = [
                ConsultationEntry(
                    id=r[0],
                    consulted_on=_date(r[1]),
                    kind=r[2],
                    channel=r[3],
                    consulter=r[4],
                    risk_computed=r[5],
                    risk_final=r[6],
                    shelter_recommendation=r[7],
                    shelter_requested=bool(r[8]),
                    po_eligible=None if r[9] is None else bool(r[9]),
                    child_notification=bool(r[10]),
                    child_notified=bool(r[11]),
                    counselor_id=r[12],
                    gender=r[13],
                )
                for r in conn.execute(
                    "SELECT id, consulted_on, kind, channel, consulter, risk_computed,"
                    " risk_final, shelter_recommendation, shelter_requested, po_eligible,"
                    " child_notification, child_notified, counselor_id, gender FROM consultations"
                    " WHERE case_id = ? ORDER BY consulted_on, id",
                    (case_id,),
                )
            ]
            risk = [
                RiskEntry(
                    consultation_id=r[0],
                    assessed_on=_date(r[1]),
                    checklist_version=r[2],
                    computed=r[3],
                    final=r[4],
                    yes_count=r[5],
                    red_flags=json.loads(r[6]),
                    judgement_reason=r[7],
                    answered=_answered(r[8]),
                    judgement=r[9],
                )
                for r in conn.execute(
                    "SELECT consultation_id, assessed_on, checklist_version, computed, final,"
                    " yes_count, red_flags, judgement_reason, answers, judgement"
                    " FROM risk_assessments WHERE case_id = ? ORDER BY assessed_on, id",
                    (case_id,),
                )
            ]
            referrals = [
                ReferralEntry(
                    id=r[0],
                    consultation_id=r[1],
                    referred_on=_date(r[2]),
                    destination_id=r[3],
                    purpose=r[4],
                    fields=json.loads(r[5]),
                    consent=bool(r[6]),
                    consent_method=r[7],
                    mandatory=bool(r[8]),
                )
                for r in conn.execute(
                    "SELECT id, consultation_id, referred_on, destination_id, purpose, fields,"
                    " consent, consent_method, mandatory FROM referrals WHERE case_id = ?"
                    " ORDER BY referred_on, id",
                    (case_id,),
                )
            ]
            decisions = [
                DecisionEntry(
                    consultation_id=r[0],
                    consulted_on=_date(r[1]),
                    shelter_recommendation=r[2],
                    shelter_wish=r[3],
                    shelter_requested=bool(r[4]),
                    po_eligible=None if r[5] is None else bool(r[5]),
                    po_orders=[o.get("type", "") for o in json.loads(r[6] or "[]")],
                    po_intention=r[7],
                    po_state=r[8],
                    po_order_details=list(json.loads(r[6] or "[]")),
                    gender=r[9],
                )
                for r in conn.execute(
                    "SELECT c.id, c.consulted_on, s.recommendation, s.client_wish,"
                    " coalesce(s.requested, 0), p.eligible, p.orders, p.client_intention,"
                    " p.state, c.gender"
                    " FROM consultations c"
                    " LEFT JOIN shelter_decisions s ON s.consultation_id = c.id"
                    " LEFT JOIN protection_order_advice p ON p.consultation_id = c.id"
                    " WHERE c.case_id = ? ORDER BY c.consulted_on, c.id",
                    (case_id,),
                )
            ]
            events = [
                CaseEvent(kind=r[0], reason=r[1], at=dt.datetime.fromisoformat(r[2]), user_id=r[3])
                for r in conn.execute(
                    "SELECT kind, reason, at, user_id FROM case_events WHERE case_id = ?"
                    " ORDER BY at, id",
                    (case_id,),
                )
            ]
            follow_ups = [
                FollowUp(
                    id=r[0],
                    case_id=case_id,
                    case_number=case_number,
                    due_on=_date(r[1]),
                    note=r[2],
                    done_on=_opt_date(r[3]),
                )
                for r in conn.execute(
                    "SELECT id, due_on, note, done_on FROM follow_ups WHERE case_id = ?"
                    " ORDER BY due_on, id",
                    (case_id,),
                )
            ]
        return CaseView(
            case_id=case_id,
            case_number=case_number,
            status=row[1],
            client_id=row[2],
            name=row[3],
            kana=row[4],
            aliases=aliases,
            do_not_disclose=bool(row[5]),
            counter_note=row[6],
            support_measure=(
                SupportMeasure(
                    case_id,
                    case_number,
                    _date(sm[0]),
                    _date(sm[1]),
                    _opt_date(sm[2]),
                    _opt_date(sm[3]),
                )
                if sm is not None
                else None
            ),
            opened_on=_date(row[7]),
            closed_on=_opt_date(row[8]),
            close_reason=row[9],
            consultations=consultations,
            risk_history=risk,
            referrals=referrals,
            decisions=decisions,
            events=events,
            follow_ups=follow_ups,
        )

    # -- lifecycle --------------------------------------------------------------------------

    def close_case(self, case_id: int, reason: str, *, on: dt.date | None = None) -> None:
        """Close a case with a reason (終結); the event is kept in the case history."""
        self._lifecycle(case_id, "close", reason, on)

    def reopen_case(self, case_id: int, reason: str, *, on: dt.date | None = None) -> None:
        """Reopen a closed case with a reason (再開)."""
        self._lifecycle(case_id, "reopen", reason, on)

    def _lifecycle(self, case_id: int, kind: str, reason: str, on: dt.date | None) -> None:
        if not reason.strip():
            raise ValueError("理由を入力してください")
        day = (on or dt.date.today()).isoformat()
        wanted = "open" if kind == "close" else "closed"
        with self._write(f"case.{kind}", f"case:{case_id}") as conn:
            row = conn.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise RecordNotFound("ケース")
            if row[0] != wanted:
                raise ValueError(
                    "このケースはすでに終結しています"
                    if kind == "close"
                    else "このケースは終結していません"
                )
            if kind == "close":
                conn.execute(
                    "UPDATE cases SET status = 'closed', closed_on = ?, close_reason = ?,"
                    " updated_at = ? WHERE id = ?",
                    (day, reason, _now(), case_id),
                )
            else:
                conn.execute(
                    "UPDATE cases SET status = 'open', closed_on = NULL, close_reason = NULL,"
                    " reopened_on = ?, reopen_reason = ?, updated_at = ? WHERE id = ?",
                    (day, reason, _now(), case_id),
                )
            conn.execute(
                "INSERT INTO case_events (case_id, kind, reason, at, user_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_id, kind, reason, _now(), self._user_id()),
            )

    def add_follow_up(self, case_id: int, due_on: dt.date, note: str = "") -> int:
        with self._write("follow_up.add", f"case:{case_id}") as conn:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise RecordNotFound("ケース")
            cur = conn.execute(
                "INSERT INTO follow_ups (case_id, due_on, note, created_by) VALUES (?, ?, ?, ?)",
                (case_id, due_on.isoformat(), note, self._user_id()),
            )
            return int(cur.lastrowid)

    def complete_follow_up(self, follow_up_id: int, *, done_on: dt.date | None = None) -> None:
        day = (done_on or dt.date.today()).isoformat()
        with self._write("follow_up.complete", f"follow_up:{follow_up_id}") as conn:
            cur = conn.execute(
                "UPDATE follow_ups SET done_on = ?, done_by = ? WHERE id = ?",
                (day, self._user_id(), follow_up_id),
            )
            if cur.rowcount != 1:
                raise RecordNotFound("フォローアップ")

    # -- home and prints --------------------------------------------------------------------

    def home(self, today: dt.date) -> HomeData:
        """Today's consultations, follow-ups due, 支援措置 renewals within a month, drafts."""
        day = today.isoformat()
        horizon = (today + dt.timedelta(days=32)).isoformat()  # then renewal_due decides
        with self._session.read("home", None) as conn:
            consultations = [
                TodayItem(
                    consultation_id=r[0],
                    case_id=r[1],
                    case_number=r[2],
                    name=r[3],
                    kind=r[4],
                    started_at=r[5],
                    risk_final=r[6],
                )
                for r in conn.execute(
                    "SELECT c.id, c.case_id, k.case_number, cl.name, c.kind, c.started_at,"
                    " c.risk_final FROM consultations c JOIN cases k ON k.id = c.case_id"
                    " JOIN clients cl ON cl.id = k.client_id WHERE c.consulted_on = ?"
                    " ORDER BY c.started_at, c.id",
                    (day,),
                )
            ]
            follow_ups = [
                FollowUp(
                    id=r[0],
                    case_id=r[1],
                    case_number=r[2],
                    due_on=_date(r[3]),
                    note=r[4],
                    done_on=None,
                )
                for r in conn.execute(
                    "SELECT f.id, f.case_id, k.case_number, f.due_on, f.note FROM follow_ups f"
                    " JOIN cases k ON k.id = f.case_id"
                    " WHERE f.done_on IS NULL AND f.due_on <= ? ORDER BY f.due_on, f.id",
                    (day,),
                )
            ]
            # The renewal window from the day the year was counted from when saved
            # (rules.md §9.11), the same day that gave the stored expiry.
            renewals = [
                SupportMeasure(
                    case_id=r[0],
                    case_number=r[1],
                    applied_on=_date(r[2]),
                    expires_on=_date(r[3]),
                    notified_on=_opt_date(r[4]),
                    start_on=_date(r[5] or r[2]),
                )
                for r in conn.execute(
                    "SELECT s.case_id, k.case_number, s.applied_on, s.expires_on, s.notified_on,"
                    " s.start_on FROM support_measures s JOIN cases k ON k.id = s.case_id"
                    " WHERE s.ended_on IS NULL AND s.expires_on >= ? AND s.expires_on <= ?"
                    " AND NOT EXISTS (SELECT 1 FROM support_measures n"
                    "   WHERE n.case_id = s.case_id AND n.applied_on > s.applied_on)"
                    " ORDER BY s.expires_on",
                    (day, horizon),
                )
                if support_measure.renewal_due(_date(r[5] or r[2]), today)
            ]
            drafts = self._drafts(conn)
        return HomeData(
            today=today,
            consultations=consultations,
            follow_ups_due=follow_ups,
            renewals=renewals,
            drafts=drafts,
        )

    def record_print(self, kind: str, case_id: int | None, destination_id: str | None) -> None:
        """Log a print of a slip or document (audited as ``print``)."""
        with self._write("print", f"case:{case_id}:{kind}") as conn:
            conn.execute(
                "INSERT INTO prints (case_id, kind, destination_id, printed_at, user_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_id, kind, destination_id, _now(), self._user_id()),
            )
