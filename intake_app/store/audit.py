"""The audit chain: HMAC-SHA256 over each entry's fields and the previous entry's MAC.

The MAC key comes from HKDF over a random 32-byte chain secret kept in the
encrypted ``meta`` table (so it is as secret as the data key, and a rekey does not
have to rewrite the whole chain). The chain's head (last seq and MAC) is also kept
in the header file, under the header's own MAC, so deleting the newest entries is
detected as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from intake_app.store.connection import Connection, read_meta
from intake_app.store.errors import VaultCorrupted
from intake_app.store.header import hkdf

GENESIS_INFO = b"intake-app audit genesis v1"
AUDIT_SECRET = "audit_secret"  # noqa: S105 - the meta key that holds the chain secret


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: int | None
    user_name: str
    action: str
    object_id: str | None
    detail: str | None
    mac: bytes


@dataclass(frozen=True)
class ChainReport:
    """Result of ``verify_chain``: ``first_bad`` is the seq of the first bad entry."""

    ok: bool
    entries: int
    first_bad: int | None = None
    problem: str = ""


def chain_key(secret: bytes, vault_id: str) -> bytes:
    return hkdf(secret, b"intake-app audit chain v1", salt=vault_id.encode())


def stored_chain_key(conn: Connection, vault_id: str) -> bytes:
    """The chain's MAC key from the secret in the vault's ``meta`` table."""
    secret = read_meta(conn, AUDIT_SECRET)
    try:
        raw = bytes.fromhex(secret or "")
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise VaultCorrupted("監査ログの鍵情報がないか壊れています。")
    return chain_key(raw, vault_id)


def genesis(key: bytes) -> bytes:
    return hmac.new(key, GENESIS_INFO, hashlib.sha256).digest()


def entry_mac(
    key: bytes,
    prev: bytes,
    seq: int,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    object_id: str | None,
    detail: str | None,
) -> bytes:
    body = json.dumps(
        [seq, at, user_id, user_name, action, object_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return hmac.new(key, prev + body, hashlib.sha256).digest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Chain:
    """The in-memory tail of the chain for one open session."""

    def __init__(self, key: bytes, last_seq: int, last_mac: bytes) -> None:
        self._key = key
        self.last_seq = last_seq
        self.last_mac = last_mac
        self._tx_seq = last_seq
        self._tx_mac = last_mac

    @classmethod
    def load(cls, conn: Connection, key: bytes) -> Chain:
        row = conn.execute("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return cls(key, 0, genesis(key))
        return cls(key, int(row[0]), bytes(row[1]))

    def tail_is_valid(self, conn: Connection) -> bool:
        """Recompute the newest entry's MAC (O(1), done at every unlock)."""
        if self.last_seq == 0:
            return True
        rows = conn.execute(
            "SELECT seq, at, user_id, user_name, action, object_id, detail, mac "
            "FROM audit_log ORDER BY seq DESC LIMIT 2"
        ).fetchall()
        last = rows[0]
        prev = bytes(rows[1][7]) if len(rows) > 1 else genesis(self._key)
        if len(rows) > 1 and int(rows[1][0]) != int(last[0]) - 1:
            return False
        expected = entry_mac(self._key, prev, *last[:7])
        return hmac.compare_digest(expected, bytes(last[7]))

    def begin(self) -> None:
        """Start a transaction's run of entries from the committed tail."""
        self._tx_seq = self.last_seq
        self._tx_mac = self.last_mac

    def append(
        self,
        conn: Connection,
        user_id: int | None,
        user_name: str,
        action: str,
        object_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Insert the next entry inside the caller's transaction (after ``begin``)."""
        seq = self._tx_seq + 1
        at = now_iso()
        mac = entry_mac(
            self._key, self._tx_mac, seq, at, user_id, user_name, action, object_id, detail
        )
        conn.execute(
            "INSERT INTO audit_log (seq, at, user_id, user_name, action, object_id, detail, mac)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, user_id, user_name, action, object_id, detail, mac),
        )
        self._tx_seq = seq
        self._tx_mac = mac

    def commit(self) -> None:
        """The transaction committed: its entries become the tail."""
        self.last_seq = self._tx_seq
        self.last_mac = self._tx_mac

    def rollback(self) -> None:
        self.begin()

    def head(self) -> dict[str, Any]:
        return {"seq": self.last_seq, "mac": self.last_mac.hex()}


def verify_chain(conn: Connection, key: bytes, head: dict[str, Any] | None) -> ChainReport:
    """Walk the whole chain; name the first entry that is edited, missing or out of order.

    ``head`` is the header's copy of the newest (seq, MAC): entries deleted from the
    end are reported as missing from the first one after the last remaining entry.
    """
    prev = genesis(key)
    expected_seq = 1
    count = 0
    head_seq = int(head.get("seq", 0)) if head else 0
    head_mac = str(head.get("mac", "")) if head else ""
    head_seen = head_seq == 0
    cursor = conn.execute(
        "SELECT seq, at, user_id, user_name, action, object_id, detail, mac "
        "FROM audit_log ORDER BY seq"
    )
    for row in cursor:
        seq = int(row[0])
        if seq != expected_seq:
            return ChainReport(
                False,
                count,
                expected_seq,
                f"監査ログの第 {expected_seq} 項目が欠けています"
                "（削除されたか並べ替えられています）。",
            )
        mac = bytes(row[7])
        if not hmac.compare_digest(entry_mac(key, prev, *row[:7]), mac):
            return ChainReport(
                False,
                count,
                seq,
                f"監査ログの第 {seq} 項目が改ざんされています"
                "（内容・順序・前の項目とのつながりが合いません）。",
            )
        if seq == head_seq:
            if mac.hex() != head_mac:
                return ChainReport(
                    False,
                    count,
                    seq,
                    f"監査ログの第 {seq} 項目が鍵ファイルに記録された先頭と一致しません。",
                )
            head_seen = True
        prev = mac
        expected_seq += 1
        count += 1
    if not head_seen:
        return ChainReport(
            False,
            count,
            expected_seq,
            f"監査ログの第 {expected_seq} 項目以降（第 {head_seq} 項目まで）が削除されています。",
        )
    return ChainReport(True, count)


def verify_since(
    conn: Connection,
    key: bytes,
    mark: dict[str, Any],
    *,
    chunk: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
    stopped: Callable[[], bool] | None = None,
) -> tuple[ChainReport, dict[str, Any]]:
    """Verify the entries after ``mark`` (the newest entry an earlier check verified).

    The entry at ``mark`` must still carry the MAC remembered for it; every later
    one must follow without a gap and chain on. Reads in chunks of ``chunk`` entries
    (each its own short read), so a long walk never holds one snapshot open.
    Returns the report and the new mark (the last entry verified).
    ``progress(done, total)`` after each chunk; ``stopped()`` ends the walk early
    (the report is then ok for what was walked).
    """
    seq = int(mark.get("seq", 0))
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()
    end = int(row[0])
    if seq == 0:
        prev = genesis(key)
    else:
        row = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        if row is None or bytes(row[0]).hex() != mark.get("mac"):
            return (
                ChainReport(
                    False,
                    0,
                    seq,
                    f"監査ログの第 {seq} 項目（前回の検査で確かめた項目）が"
                    "消されているか書き換えられています。",
                ),
                mark,
            )
        prev = bytes(row[0])
    total = max(0, end - seq)
    done = 0
    last = {"seq": seq, "mac": prev.hex() if seq else ""}
    expected = seq + 1

    def bad(problem: str) -> tuple[ChainReport, dict[str, Any]]:
        return ChainReport(False, done, expected, problem), last

    missing = "監査ログの第 {} 項目が欠けています（削除されたか並べ替えられています）。"
    while expected <= end:
        if stopped is not None and stopped():
            break
        rows = conn.execute(
            "SELECT seq, at, user_id, user_name, action, object_id, detail, mac "
            "FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (expected, min(end, expected + chunk - 1)),
        ).fetchall()
        if not rows:
            return bad(missing.format(expected))
        for r in rows:
            if int(r[0]) != expected:
                return bad(missing.format(expected))
            mac = bytes(r[7])
            if not hmac.compare_digest(entry_mac(key, prev, *r[:7]), mac):
                return bad(
                    f"監査ログの第 {expected} 項目が改ざんされています"
                    "（内容・順序・前の項目とのつながりが合いません）。"
                )
            prev = mac
            last = {"seq": expected, "mac": mac.hex()}
            expected += 1
            done += 1
        if progress is not None:
            progress(done, total)
    return ChainReport(True, done), last
