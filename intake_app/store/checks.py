"""What is checked before anything is written, and the full check of ``verify``.

Both run on a connection that cannot write (``connection.checking_connection``), so
a refusal leaves ``vault.db``, its ``-wal`` and ``-shm`` byte for byte as they were.

- ``inspect`` (every unlock, O(1)): schema version, vault id, signing key, the
  user's row, the commit counter against the header (acknowledged saves missing),
  the newest audit entries against the header's copy, the accepted slot lists.
  A problem raises; the unlock is refused.
- ``full_report`` (``verify``, ``backup``, ``check_integrity``): both integrity
  checks, the whole audit chain, the counter, the slots, and the counts of what
  the vault holds. Problems are collected, never raised.

The commit counter (``meta`` key ``commits``, ``header.Commits``): every transaction
advances it in the database inside the transaction; the header gets the new value
after the commit, fsync'd, before the save is reported done. A database behind the
header has lost acknowledged saves (a damaged or deleted WAL, an older database put
back); one ahead of it lost only the header write of its last, unacknowledged,
transaction (a crash between the two), which is safe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from intake_app.store import audit as audit_mod
from intake_app.store import keyslots, migrations
from intake_app.store.connection import (
    Connection,
    integrity_problems,
    map_error,
    read_error,
    read_meta,
)
from intake_app.store.errors import PermissionDenied, VaultCorrupted, VaultError
from intake_app.store.header import Commits, Header, Slot
from intake_app.store.users import User

COMMITS = "commits"  # meta key: the commit counter, JSON {"n": …, "writes": …}
RECOVERY_ACTOR = "回復キー"

AUDIT_CUT = (
    "監査ログが改ざんされているか、新しい記録が削除されています。"
    "「intake-app verify」で確認してください。"
)
OLD_HEADER = (
    "鍵ファイル（vault.keys）が古い版に戻されています。"
    "正しい鍵ファイルを戻すか、バックアップから復元してください。"
)


class SavesMissing(VaultCorrupted):
    """The database is behind the header's commit counter: acknowledged saves are gone."""

    def __init__(self, message: str, missing: int) -> None:
        super().__init__(message)
        self.missing = missing


class Unreadable(VaultCorrupted):
    """The database could not be read far enough to start the checks (damaged pages)."""


@dataclass(frozen=True)
class VerifyReport:
    """``intake-app verify``: ``problems`` are Japanese sentences; empty means all passed.

    The counts are what the check saw (``None`` where the table could not be read):
    ``audit_entries`` rows of the audit log, ``audit_valid`` of them correctly chained
    before the first bad one (``audit_first_bad``).
    """

    problems: list[str]
    audit_entries: int | None
    audit_first_bad: int | None
    slots: int
    consultations: int | None = None
    drafts: int | None = None
    audit_valid: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "consultations": self.consultations,
            "drafts": self.drafts,
            "audit_entries": self.audit_entries,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class Unlocked:
    """What ``inspect`` read (the session starts from it)."""

    version: int
    municipality: str
    chain_key: bytes
    signer: Ed25519PrivateKey
    user: User
    user_id: int | None
    commits: Commits
    chain_seq: int
    chain_mac: bytes
    throttle_problem: str = ""
    notes: list[str] = field(default_factory=list)


# -- the commit counter ---------------------------------------------------------------


def read_commits(conn: Connection) -> Commits:
    """The database's counter (none yet: zero); ``VaultCorrupted`` when unreadable."""
    raw = read_meta(conn, COMMITS)
    if raw is None:
        return Commits()
    try:
        return Commits.from_json(json.loads(raw))
    except (ValueError, TypeError, RecursionError) as exc:
        raise VaultCorrupted("保管庫の書き込み回数の記録が壊れています。") from exc


def write_commits(conn: Connection, commits: Commits) -> None:
    """Inside the caller's transaction."""
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (COMMITS, json.dumps(commits.to_json(), separators=(",", ":"))),
    )


def missing_saves(header: Header, db: Commits, db_last_seq: int) -> str:
    """The sentence saying which acknowledged saves the database lacks ('' if none)."""
    expected = header.commits
    if db.n >= expected.n:
        return ""
    missing = expected.n - db.n
    writes = max(0, expected.writes - db.writes)
    parts = []
    if writes:
        parts.append(f"記録の書き込み {writes} 件")
    if missing - writes > 0:
        parts.append(f"閲覧や下書きの記録 {missing - writes} 件")
    head = int(header.audit_head.get("seq", 0))
    if head > db_last_seq:
        parts.append(f"監査ログの第 {db_last_seq + 1}〜{head} 項目")
    return (
        f"最後の {missing} 件の保存が見つかりません（" + "、".join(parts) + "）。"
        "データベースの一時ファイル（vault.db-wal）が壊れたか消されたか、データベースが"
        "古いものに置き換えられています。バックアップから復元してください。"
    )


# -- before an unlock writes -----------------------------------------------------------


def _user_of(conn: Connection, slot: Slot) -> tuple[User, int | None]:
    if slot.kind == "recovery":
        return User(0, RECOVERY_ACTOR, "recovery"), None
    row = conn.execute(
        "SELECT id, name, role, display_name, disabled FROM users WHERE id = ?", (slot.user_id,)
    ).fetchone()
    if row is None or row["name"] != slot.user or row["role"] != slot.role:
        raise VaultCorrupted("鍵ファイルとデータベースの利用者の登録が一致しません。")
    if row["disabled"]:
        raise PermissionDenied("この利用者は無効にされています。")
    user = User(row["id"], row["name"], row["role"], row["display_name"])
    return user, user.id


def _basics(
    conn: Connection, header: Header, slot: Slot, signing_public: bytes
) -> tuple[int, str, bytes, Ed25519PrivateKey, User, int | None, audit_mod.Chain]:
    version = migrations.check_not_newer(conn)
    vault_id = read_meta(conn, "vault_id")
    if vault_id != header.vault_id:
        raise VaultCorrupted("鍵ファイルとデータベースが別の保管庫のものです。")
    municipality = read_meta(conn, "municipality") or header.municipality
    chain_key = audit_mod.stored_chain_key(conn, vault_id)
    signer = keyslots.signer(conn, signing_public)
    user, user_id = _user_of(conn, slot)
    chain = audit_mod.Chain.load(conn, chain_key)
    return version, municipality, chain_key, signer, user, user_id, chain


def head_in_chain(conn: Connection, header: Header, chain: audit_mod.Chain) -> bool:
    """The header's copy of the newest audit entry is in the database, unchanged."""
    seq = int(header.audit_head.get("seq", 0))
    if seq == 0:
        return True
    if seq > chain.last_seq:
        return False
    row = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return row is not None and bytes(row[0]).hex() == header.audit_head.get("mac")


def inspect(conn: Connection, header: Header, slot: Slot, signing_public: bytes) -> Unlocked:
    """Every check an unlock makes before it writes; a problem raises (nothing written).

    Reads a few rows only: it runs at every unlock, whatever the size of the vault.
    """
    try:
        version, municipality, chain_key, signer, user, user_id, chain = _basics(
            conn, header, slot, signing_public
        )
        commits = read_commits(conn)
        missing = missing_saves(header, commits, chain.last_seq)
        if missing:
            raise SavesMissing(missing, header.commits.n - commits.n)
        if not chain.tail_is_valid(conn) or not head_in_chain(conn, header, chain):
            raise VaultCorrupted(AUDIT_CUT)
        allowed = keyslots.allowed_slot_digests(conn)
        if allowed is not None and header.slots_digest() not in allowed:
            raise VaultCorrupted(OLD_HEADER)
    except sqlcipher3.Error as exc:
        mapped = map_error(exc)
        if isinstance(mapped, VaultError):
            raise mapped from exc
        raise VaultCorrupted(read_error(exc)) from exc
    return Unlocked(
        version=version,
        municipality=municipality,
        chain_key=chain_key,
        signer=signer,
        user=user,
        user_id=user_id,
        commits=commits,
        chain_seq=chain.last_seq,
        chain_mac=chain.last_mac,
    )


# -- the full check --------------------------------------------------------------------


def _count(conn: Connection, table: str) -> int | None:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
    except sqlcipher3.Error:
        return None


def slot_problems(conn: Connection, header: Header) -> list[str]:
    """Slots (authentic: header MAC checked at unlock) against the registered users."""
    try:
        users = {
            r["id"]: (r["name"], r["role"], bool(r["disabled"]))
            for r in conn.execute("SELECT id, name, role, disabled FROM users")
        }
    except sqlcipher3.Error as exc:
        return ["利用者の一覧を読めません: " + read_error(exc)]
    return keyslots.slot_problems(header, users)


def full_report(conn: Connection, header: Header, chain_key: bytes) -> VerifyReport:
    """Keyslots, ``cipher_integrity_check``, ``integrity_check``, the whole audit chain,
    the commit counter and the counts; every problem as a Japanese sentence."""
    problems = integrity_problems(conn)
    try:
        chain = audit_mod.verify_chain(conn, chain_key, header.audit_head)
    except sqlcipher3.Error as exc:
        chain = audit_mod.ChainReport(False, 0, None, "監査ログを読めません: " + read_error(exc))
    audit_total = _count(conn, "audit_log")
    try:
        last = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()
        missing = missing_saves(header, read_commits(conn), int(last[0]))
    except VaultCorrupted as exc:
        missing = exc.message
    except sqlcipher3.Error as exc:
        missing = "書き込み回数の記録を読めません: " + read_error(exc)
    if missing:
        problems.append(missing)
    if not chain.ok:
        problems.append(chain.problem)
    try:
        allowed = keyslots.allowed_slot_digests(conn)
    except (VaultCorrupted, sqlcipher3.Error):
        allowed = []
    if allowed is not None and header.slots_digest() not in allowed:
        problems.append(
            "鍵ファイル（vault.keys）が古い版に戻されているか、保管庫の利用者の登録情報が"
            "壊れています。"
        )
    problems += slot_problems(conn, header)
    return VerifyReport(
        problems=problems,
        audit_entries=audit_total,
        audit_first_bad=chain.first_bad,
        slots=len(header.slots),
        consultations=_count(conn, "consultations"),
        drafts=_count(conn, "drafts"),
        audit_valid=chain.entries,
    )


def verify_basics(
    conn: Connection, header: Header, slot: Slot, signing_public: bytes
) -> tuple[bytes, User]:
    """What ``verify`` needs before its report: refusals (another vault's files, a newer
    version, a disabled user) raise; damage is left to ``full_report``."""
    try:
        _, _, chain_key, _, user, _, _ = _basics(conn, header, slot, signing_public)
    except sqlcipher3.Error as exc:
        raise Unreadable(read_error(exc)) from exc
    return chain_key, user
