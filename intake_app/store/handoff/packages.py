"""Sending a case as a hand-off package, and checking, accepting or declining one.

Sending (``send_case``): the chosen parts of the case → the signed payload (package
id, sender, receiver, creation time, consent, field ids, content) → Ed25519 signature
→ padded and sealed to the receiver's X25519 key → one file written atomically, in
the same transaction as the ``handoff_send`` audit entry and the ``handoff_sent`` row
(what, to whom, with which consent; never the content). The vault keeps no copy.

Receiving: ``check_package(conn, data)`` reads only. It refuses, in this order, a
file that is too large, foreign, of a newer format, cut short, addressed to another
centre, changed, from an unknown centre, not signed by the centre it names, of a
malformed content, or already accepted or declined. ``accept`` / ``decline`` run the
same check again inside their write transaction, then record the decision (and, on
accept, the new case with its earlier consultations, read-only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app import fileio
from intake_app.domain.handoff_content import (
    KNOWN_FIELDS,
    SourceConsultation,
    SourceMeasure,
    StoredDecisions,
    StoredRisk,
    build_content,
    check_content,
    choose_fields,
    client_name,
    latest_risk,
    needs_caution,
    seed_intake,
)
from intake_app.domain.handoff_format import (
    CONSENT_METHODS,
    MAX_PACKAGE_BYTES,
    HandoffError,
    Party,
    Payload,
    decode_payload,
    encode_payload,
    envelope,
    format_fingerprint,
    frame_package,
    normalize_fingerprint,
    open_envelope,
    package_file_name,
    parse_fingerprint,
    read_frame,
    signed_message,
)
from intake_app.domain.japanese import fiscal_year, normalize_kana
from intake_app.domain.model import Intake
from intake_app.store.connection import Connection
from intake_app.store.errors import RecordNotFound, VaultError
from intake_app.store.handoff import crypto
from intake_app.store.handoff.centres import (
    KnownCentre,
    centre_names,
    ensure_identity,
    find_centre,
    read_identity,
    read_limited,
    signer_of,
    unaudited,
)
from intake_app.store.intake_blob import unpack_intake

A_SEND = "handoff_send"
A_ACCEPT = "handoff_accept"
A_DECLINE = "handoff_decline"
A_HISTORY = "case.handoff_history"
A_CASE_LIST = "case_list"
CONSENT_FUTURE_SLACK = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Consent:
    """The client's consent to the hand-off: how (口頭 / 書面) and when."""

    method: str
    at: dt.datetime

    def checked(self, now: dt.datetime) -> Consent:
        if self.method not in CONSENT_METHODS:
            raise HandoffError(
                "malformed",
                message="同意の方法は verbal（口頭）か written（書面）にしてください。",
            )
        at = self.at if self.at.tzinfo else self.at.astimezone()
        if at > now + CONSENT_FUTURE_SLACK:
            raise HandoffError(
                "malformed",
                message="同意の日時が未来になっています。同意を得た日時を入れてください。",
            )
        return Consent(self.method, at)


def parse_consent_at(text: str) -> dt.datetime:
    """``2026-11-25T10:30`` (local time) or with an offset; a Japanese refusal otherwise."""
    try:
        return dt.datetime.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError as exc:
        raise HandoffError(
            "malformed", message="同意の日時は 2026-11-25T10:30 のように入れてください。"
        ) from exc


@dataclass(frozen=True)
class SentPackage:
    package_id: str
    path: Path
    receiver: KnownCentre
    fields: tuple[str, ...]
    created_at: str
    client_name: str
    case_number: str
    size: int


@dataclass(frozen=True)
class CheckedPackage:
    """A package that passed every check: what the review screen shows."""

    data: bytes  # the file as read (sealed: nothing readable without this centre's key)
    payload: Payload
    payload_bytes: bytes
    signature: bytes
    sender: KnownCentre

    @property
    def package_id(self) -> str:
        return self.payload.package_id

    @property
    def client_name(self) -> str:
        return client_name(self.payload.content)


@dataclass(frozen=True)
class Accepted:
    case_id: int
    case_number: str
    package_id: str


@dataclass(frozen=True)
class ReceivedRecord:
    """A case's earlier consultations at the centre that handed it over (read-only)."""

    case_id: int
    package_id: str
    sender: Party
    created_at: str
    received_at: str
    consent_method: str
    consent_at: str
    fields: tuple[str, ...]
    content: dict[str, Any]

    @property
    def marker(self) -> str:
        """「他市区町村から引継ぎ（…センター、日付）」 for the case view."""
        day = self.received_at[:10]
        return f"他市区町村から引継ぎ（{self.sender.centre}、{day}）"


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


# -- sending ---------------------------------------------------------------------------------


def _read_case(
    conn: Connection, case_id: int
) -> tuple[str, list[SourceConsultation], SourceMeasure | None, bool, str]:
    row = conn.execute(
        "SELECT case_number, do_not_disclose, counter_note FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise RecordNotFound("ケース")
    risks = {
        int(r[0]): StoredRisk(
            checklist_version=str(r[1]),
            computed=str(r[2]),
            final=str(r[3]),
            yes_count=int(r[4]),
            red_flags=[str(x) for x in json.loads(r[5])],
            judgement=r[6],
            judgement_reason=r[7],
        )
        for r in conn.execute(
            "SELECT consultation_id, checklist_version, computed, final, yes_count, red_flags,"
            " judgement, judgement_reason FROM risk_assessments WHERE case_id = ?",
            (case_id,),
        )
    }
    decisions = {
        int(r[0]): StoredDecisions(
            shelter_recommendation=r[1],
            shelter_wish=r[2],
            shelter_requested=bool(r[3]),
            po_eligible=None if r[4] is None else bool(r[4]),
            po_orders=[str(o.get("type", "")) for o in json.loads(r[5] or "[]")],
            po_prerequisite=r[6],
            po_intention=r[7],
        )
        for r in conn.execute(
            "SELECT c.id, s.recommendation, s.client_wish, coalesce(s.requested, 0),"
            " c.po_eligible, p.orders, p.prerequisite, p.client_intention"
            " FROM consultations c"
            " LEFT JOIN shelter_decisions s ON s.consultation_id = c.id"
            " LEFT JOIN protection_order_advice p ON p.consultation_id = c.id"
            " WHERE c.case_id = ?",
            (case_id,),
        )
    }
    sources = [
        SourceConsultation(
            consulted_on=dt.date.fromisoformat(r[1]),
            kind=str(r[2]),
            channel=r[3],
            intake=unpack_intake(r[4]),
            risk=risks.get(int(r[0])),
            decisions=decisions.get(int(r[0])),
        )
        for r in conn.execute(
            "SELECT c.id, c.consulted_on, c.kind, c.channel, d.intake FROM consultations c"
            " JOIN consultation_details d ON d.consultation_id = c.id"
            " WHERE c.case_id = ? ORDER BY c.consulted_on, c.id",
            (case_id,),
        )
    ]
    sm = conn.execute(
        "SELECT applied_on, expires_on FROM support_measures WHERE case_id = ?"
        " AND ended_on IS NULL ORDER BY applied_on DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    measure = (
        SourceMeasure(dt.date.fromisoformat(sm[0]), dt.date.fromisoformat(sm[1]))
        if sm is not None
        else None
    )
    return str(row[0]), sources, measure, bool(row[1]), str(row[2] or "")


def _risk_reasons(answers: Any) -> list[str]:
    """The reason lines of a stored assessment (the checklist of its version)."""
    from intake_app.domain.rules.risk import assess, load_checklist

    try:
        checklist = load_checklist(answers.checklist_version)
        result = assess(
            answers.answers, answers.judgement, answers.judgement_reason, checklist=checklist
        )
    except Exception:  # an old or unknown checklist: the levels still go, without reasons
        return []
    return [reason.line() for reason in result.reasons]


def send_case(
    session: Any,
    case_id: int,
    *,
    to: str,
    consent: Consent,
    out: Path,
    municipality: Any,
    extra_fields: tuple[str, ...] | list[str] = (),
    now: dt.datetime | None = None,
) -> SentPackage:
    """Write the case as a package for the known centre ``to`` (a fingerprint).

    ``out``: a folder (the file gets a neutral name, ``handoff-<id>.ihp``) or a file
    path that does not exist yet. Nothing is written without ``consent``. Audited
    ``handoff_send`` (object ``case:<id>``; detail: package id, receiver's fingerprint,
    field ids, consent method), together with the ``handoff_sent`` row; a failure
    leaves neither the file nor the entry.
    """
    now = now or _now()
    consent = consent.checked(now)
    fields = choose_fields(extra_fields)
    receiver_fp = normalize_fingerprint(to)
    out = Path(out)
    package_id = secrets.token_hex(16)
    path = out / package_file_name(package_id) if out.is_dir() else out
    if not path.parent.is_dir():
        raise VaultError(f"出力先のフォルダがありません: {path.parent}")
    if path.exists():
        raise VaultError(f"出力先に同じ名前のファイルがあります（上書きしません）: {path}")
    with unaudited(session) as conn:
        receiver = find_centre(conn, receiver_fp)
    if receiver is None:
        raise HandoffError("unknown_centre")
    ident = ensure_identity(session)
    centre_name, city, _ = centre_names(municipality)
    signer = signer_of(session)
    created_at = _iso(now)
    detail = (
        f"package={package_id}; to={receiver_fp}; fields={','.join(fields)};"
        f" consent={consent.method}"
    )
    written = False
    try:
        with session.transaction(A_SEND, f"case:{case_id}", detail=detail) as conn:
            case_number, sources, measure, dnd, note = _read_case(conn, case_id)
            content = build_content(
                case_number,
                sources,
                fields=fields,
                support_measure=measure,
                do_not_disclose=dnd,
                counter_note=note,
                risk_reasons=_risk_reasons,
            )
            payload = Payload(
                package_id=package_id,
                created_at=created_at,
                sender=Party(ident.fingerprint, centre_name, city),
                receiver=Party(receiver.fingerprint, receiver.centre, receiver.municipality),
                consent_method=consent.method,
                consent_at=_iso(consent.at),
                fields=fields,
                content=content,
            )
            data = encode_payload(payload)
            signature = crypto.sign(signer, signed_message(data))
            sealed = crypto.seal(
                receiver.box_public, envelope(ident.fingerprint_raw, data, signature)
            )
            package = frame_package(parse_fingerprint(receiver.fingerprint), sealed)
            if len(package) > MAX_PACKAGE_BYTES:
                raise HandoffError("too_large", MAX_PACKAGE_BYTES // (1024 * 1024))
            conn.execute(
                "INSERT INTO handoff_sent (package_id, case_id, receiver, receiver_name, fields,"
                " consent_method, consent_at, sent_at, user_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    package_id,
                    case_id,
                    receiver.fingerprint,
                    receiver.display_name,
                    json.dumps(list(fields)),
                    consent.method,
                    _iso(consent.at),
                    created_at,
                    getattr(session.user, "id", None),
                ),
            )
            written = True  # from here on, a failure removes whatever reached the media
            try:
                fileio.write_private(path, package, removable=True)
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise VaultError(
                    f"引継ぎファイルを書き込めませんでした（{reason}）。何も送っていません。"
                ) from exc
    except BaseException:
        if written:  # the commit failed: no file may exist without its audit entry
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return SentPackage(
        package_id=package_id,
        path=path,
        receiver=receiver,
        fields=fields,
        created_at=created_at,
        client_name=client_name(content),
        case_number=case_number,
        size=len(package),
    )


# -- receiving -------------------------------------------------------------------------------


def read_package_file(path: Path) -> bytes:
    """The file's bytes, refused (too large, not a regular file) before reading past the limit."""
    return read_limited(Path(path), MAX_PACKAGE_BYTES, "too_large", "unreadable")


def check_package(conn: Connection, data: bytes) -> CheckedPackage:
    """Every check a package must pass before anything is shown or written. Reads only."""
    frame = read_frame(data)  # size, foreign, newer, truncated, trailing bytes
    ident = read_identity(conn)
    if ident is None or frame.receiver != ident.fingerprint_raw:
        raise HandoffError("wrong_receiver")
    plain = crypto.unseal(ident.box_private, frame.sealed)
    sender_raw, payload_bytes, signature = open_envelope(plain)
    sender_fp = format_fingerprint(sender_raw)
    sender = find_centre(conn, sender_fp)
    if sender is None:
        raise HandoffError("unknown_sender")
    if not crypto.verify(sender.signing_public, signature, signed_message(payload_bytes)):
        raise HandoffError("forged")
    payload = decode_payload(payload_bytes, KNOWN_FIELDS)
    if payload.sender.fingerprint != sender_fp:
        raise HandoffError("forged")  # signed by one known centre, naming another
    if payload.receiver.fingerprint != ident.fingerprint:
        raise HandoffError("wrong_receiver")  # re-sealed to us by the centre it was for
    check_content(payload.content, payload.fields)
    _refuse_replay(conn, payload.package_id)
    return CheckedPackage(data, payload, payload_bytes, signature, sender)


def _refuse_replay(conn: Connection, package_id: str) -> None:
    row = conn.execute(
        "SELECT decision FROM handoff_received WHERE package_id = ?", (package_id,)
    ).fetchone()
    if row is not None:
        raise HandoffError("replayed", "受け取り" if row[0] == "accepted" else "辞退")


def check_file(session: Any, path: Path) -> CheckedPackage:
    """Read and check a package file through an open session; writes nothing."""
    data = read_package_file(path)
    with unaudited(session) as conn:
        return check_package(conn, data)


def _detail(checked: CheckedPackage) -> str:
    return (
        f"package={checked.package_id}; from={checked.sender.fingerprint};"
        f" fields={','.join(checked.payload.fields)}"
    )


def accept(session: Any, checked: CheckedPackage, *, today: dt.date | None = None) -> Accepted:
    """Create the case (marked as handed over, history read-only); audited ``handoff_accept``.

    The package is checked again inside the write transaction (a second program or a
    second click cannot take it twice).
    """
    today = today or dt.date.today()
    target = _Target("case:new")
    with session.transaction(A_ACCEPT, target, detail=_detail(checked)) as conn:
        again = check_package(conn, checked.data)
        if again.package_id != checked.package_id:
            raise HandoffError("tampered")
        case_id, case_number = _open_received_case(conn, again, today, session)
        target.text = f"case:{case_id}"
        _record_received(conn, again, "accepted", case_id, session)
        conn.execute(
            "INSERT INTO handoff_records (case_id, package_id, payload, signature)"
            " VALUES (?, ?, ?, ?)",
            (case_id, again.package_id, again.payload_bytes, again.signature),
        )
    return Accepted(case_id, case_number, checked.package_id)


def decline(session: Any, checked: CheckedPackage) -> None:
    """Record only that the package was declined (so it cannot come back); audited."""
    with session.transaction(
        A_DECLINE, f"handoff:{checked.package_id}", detail=f"from={checked.sender.fingerprint}"
    ) as conn:
        again = check_package(conn, checked.data)
        _record_received(conn, again, "declined", None, session)


class _Target:
    """An audit object id known only inside the transaction (the new case's id)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _record_received(
    conn: Connection, checked: CheckedPackage, decision: str, case_id: int | None, session: Any
) -> None:
    conn.execute(
        "INSERT INTO handoff_received (package_id, sender, sender_name, created_at, received_at,"
        " decision, case_id, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            checked.package_id,
            checked.sender.fingerprint,
            checked.payload.sender.centre,
            checked.payload.created_at,
            _iso(_now()),
            decision,
            case_id,
            getattr(session.user, "id", None),
        ),
    )


def _terms(*texts: str) -> set[str]:
    """Search terms of names, as the records index them (store.records)."""
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


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _next_case_number(conn: Connection, fy: int) -> str:
    """``<fiscal year>-<4 digits>``, counted per fiscal year (as the records number cases)."""
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


def _open_received_case(
    conn: Connection, checked: CheckedPackage, today: dt.date, session: Any
) -> tuple[int, str]:
    """The client (searchable), the case and the perpetrator's name for the 追及 check.

    No consultation row is written: the earlier consultations are the other centre's
    and are never counted in this centre's statistics.
    """
    content = checked.payload.content
    seed = seed_intake(content)
    client = seed.client
    stamp = _iso(_now())
    cur = conn.execute(
        "INSERT INTO clients (name, kana, name_norm, kana_norm, phone_digits, anonymous,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (
            client.name,
            client.kana,
            normalize_kana(client.name),
            normalize_kana(client.kana),
            _digits(client.safe_contact.phone),
            stamp,
            stamp,
        ),
    )
    client_id = int(cur.lastrowid or 0)
    aliases = [a for a in client.aliases if a.strip()]
    conn.executemany(
        "INSERT OR IGNORE INTO client_aliases (client_id, alias, alias_norm) VALUES (?, ?, ?)",
        [(client_id, a, normalize_kana(a)) for a in aliases],
    )
    terms = _terms(client.name, client.kana, *aliases)
    phone = _digits(client.safe_contact.phone)
    if phone:
        terms.add(phone)
    conn.executemany(
        "INSERT OR IGNORE INTO client_terms (term, client_id) VALUES (?, ?)",
        [(t, client_id) for t in sorted(terms)],
    )
    case_number = _next_case_number(conn, fiscal_year(today))
    cur = conn.execute(
        "INSERT INTO cases (case_number, client_id, do_not_disclose, counter_note, opened_on,"
        " last_consulted_on, latest_risk, created_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_number,
            client_id,
            int(needs_caution(content, today)),
            seed.address.counter_note,
            today.isoformat(),
            today.isoformat(),
            latest_risk(content),
            getattr(session.user, "id", None),
            stamp,
        ),
    )
    case_id = int(cur.lastrowid or 0)
    rel = seed.relationship
    if rel.perpetrator_name.strip() or rel.perpetrator_kana.strip():
        conn.execute(
            "INSERT OR IGNORE INTO perpetrators (case_id, name, kana, name_norm, kana_norm)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                case_id,
                rel.perpetrator_name,
                rel.perpetrator_kana,
                normalize_kana(rel.perpetrator_name),
                normalize_kana(rel.perpetrator_kana),
            ),
        )
    return case_id, case_number


# -- the received history of a case ---------------------------------------------------------


def _record_row(conn: Connection, case_id: int) -> Any:
    return conn.execute(
        "SELECT r.package_id, r.payload, h.received_at FROM handoff_records r"
        " JOIN handoff_received h ON h.package_id = r.package_id WHERE r.case_id = ?",
        (case_id,),
    ).fetchone()


def is_received(session: Any, case_id: int) -> bool:
    """Whether the case came from another centre (no personal data: not audited)."""
    with unaudited(session) as conn:
        row = conn.execute("SELECT 1 FROM handoff_records WHERE case_id = ?", (case_id,)).fetchone()
    return row is not None


def received_record(session: Any, case_id: int) -> ReceivedRecord | None:
    """The earlier consultations a handed-over case came with; an audited read
    (``case.handoff_history``) when there are any, None (and no entry) otherwise."""
    if not is_received(session, case_id):
        return None
    with session.read(A_HISTORY, f"case:{case_id}") as conn:
        row = _record_row(conn, case_id)
    if row is None:
        return None
    payload = decode_payload(bytes(row[1]), KNOWN_FIELDS)
    return ReceivedRecord(
        case_id=case_id,
        package_id=str(row[0]),
        sender=payload.sender,
        created_at=payload.created_at,
        received_at=str(row[2]),
        consent_method=payload.consent_method,
        consent_at=payload.consent_at,
        fields=payload.fields,
        content=payload.content,
    )


def received_seed(conn: Connection, case_id: int) -> Intake | None:
    """The first intake of a handed-over case with no consultation here yet (the
    follow-up wizard starts from it), or None for any other case."""
    row = _record_row(conn, case_id)
    if row is None:
        return None
    payload = decode_payload(bytes(row[1]), KNOWN_FIELDS)
    return seed_intake(payload.content)


# -- the case list (CLI) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatus:
    case_number: str
    status: str
    handed_over: bool


def list_cases(session: Any) -> list[CaseStatus]:
    """Every case number with its status, audited like a search (``case_list``)."""
    with session.read(A_CASE_LIST, None) as conn:
        rows = conn.execute(
            "SELECT k.case_number, k.status,"
            " EXISTS (SELECT 1 FROM handoff_records r WHERE r.case_id = k.id)"
            " FROM cases k ORDER BY k.case_number"
        ).fetchall()
    return [CaseStatus(str(r[0]), str(r[1]), bool(r[2])) for r in rows]
