"""The SQLCipher connection: raw key first, every security setting asserted."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias, cast

import sqlcipher3

from intake_app.store.errors import (
    DiskFull,
    VaultCorrupted,
    VaultError,
    VaultInUse,
    VaultIOError,
)

log = logging.getLogger(__name__)

# sqlcipher3 mirrors the standard sqlite3 API; its connections are typed as sqlite3's.
# Rows are read by column name (``row["case_number"]``): every connection of the vault
# returns ``sqlcipher3.dbapi2.Row`` (index access still works); the plain-SQLite
# stand-ins of the tests and benchmarks set ``sqlite3.Row``, which reads the same.
Connection: TypeAlias = sqlite3.Connection
Row: TypeAlias = sqlite3.Row

DB_NAME = "vault.db"  # the database file in the data folder (with -wal and -shm)

# Settings read back after opening; the connection is refused if any differs.
REQUIRED_SETTINGS: dict[str, str] = {
    "cipher_memory_security": "1",
    "cipher_log_level": "NONE",
    "temp_store": "2",  # MEMORY: a file temp store would spill sorts in plaintext
    "journal_mode": "wal",
    "synchronous": "2",  # FULL
    "foreign_keys": "1",
    "secure_delete": "1",
}

SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_PROTOCOL = 15
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def key_pragma(data_key: bytearray, pragma: str = "key") -> str:
    # The only way to pass a raw key through the SQL interface; hex digits only.
    return f"PRAGMA {pragma} = \"x'" + bytes(data_key).hex() + "'\""


def open_connection(path: Path, data_key: bytearray, *, create: bool = False) -> Connection:
    """Open ``path`` with ``data_key`` and apply/assert the settings of security.md.

    Nothing is written before the key has been proven right (a read of the schema),
    so a wrong key or a damaged first page leaves the file untouched.
    """
    if not create and not path.exists():
        raise VaultCorrupted(f"データベース {path.name} が見つかりません。")
    try:
        conn = cast(
            Connection,
            sqlcipher3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=5.0
            ),
        )
    except sqlcipher3.Error as exc:
        raise map_error(exc) from exc
    conn.row_factory = sqlcipher3.dbapi2.Row
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher otherwise logs to stderr
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(key_pragma(data_key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        assert_settings(conn)
    except sqlcipher3.Error as exc:
        conn.close()
        raise map_error(exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def sqlite_uri(path: Path, query: str) -> str:
    """A ``file:`` URI for ``path`` (every byte outside a safe set percent-encoded)."""
    text = Path(path).resolve().as_posix()
    drive = ""
    if len(text) > 1 and text[1] == ":":  # Windows: file:///C:/…
        drive, text = "/" + text[:2], text[2:]
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~")
    encoded = "".join(chr(b) if chr(b) in safe else f"%{b:02X}" for b in text.encode("utf-8"))
    return f"file://{drive}{encoded}?{query}"


def _keyed(uri: str, data_key: bytearray, *, same_thread: bool, raw: bool = False) -> Connection:
    """Open ``uri``, key it, read the schema; SQLite errors mapped unless ``raw``."""
    try:
        conn = cast(
            Connection,
            sqlcipher3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=same_thread, timeout=5.0
            ),
        )
    except sqlcipher3.Error as exc:
        if raw:
            raise
        raise map_error(exc) from exc
    conn.row_factory = sqlcipher3.dbapi2.Row
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute(key_pragma(data_key))
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.Error as exc:
        conn.close()
        if raw:
            raise
        raise map_error(exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


WAL_HEADER_SIZE = 32  # a WAL this short holds no frame: the database file says it all


def open_shared_reader(path: Path, data_key: bytearray) -> Connection:
    """A read-only connection beside the program's own (the check after unlock).

    ``mode=ro``: it can neither write the database nor checkpoint; it shares the
    WAL index with the program's connection, which has already built it.
    """
    if not path.exists():
        raise VaultCorrupted(f"データベース {path.name} が見つかりません。")
    return _keyed(sqlite_uri(path, "mode=ro"), data_key, same_thread=True)


@contextlib.contextmanager
def checking_connection(
    path: Path, data_key: bytearray, *, ignore_wal: bool = False
) -> Iterator[Connection]:
    """A connection for the checks made before anything is written.

    Nothing it does can change a byte of ``vault.db``, ``-wal`` or ``-shm``, and it
    can never fold the WAL into the database (closing a read-write connection does
    that, which is why a refusal must not have opened one):

    - no WAL, or one without frames: ``immutable=1`` (the database file alone, no
      lock, no file created);
    - a WAL and its ``-shm``: ``mode=ro&readonly_shm=1`` (the shared-memory file is
      only read; SQLite rebuilds the WAL index in private memory when it cannot
      trust it, e.g. after a crash);
    - a WAL without ``-shm`` (a copied folder), or one SQLite cannot read that way
      (``SQLITE_PROTOCOL``): a private folder beside it with a hard link to (or a
      copy of) ``vault.db`` and a copy of the WAL, opened ``mode=ro`` there and
      deleted afterwards.

    ``ignore_wal``: the database file alone (``immutable=1``), as if there were no WAL
    (``store.wal``: a damaged WAL whose frames are all in the file already).
    """
    if not path.exists():
        raise VaultCorrupted(f"データベース {path.name} が見つかりません。")
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    try:
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError:
        wal_size = 0
    staging: Path | None = None
    conn: Connection | None = None
    try:
        if wal_size <= WAL_HEADER_SIZE or ignore_wal:
            conn = _keyed(sqlite_uri(path, "mode=ro&immutable=1"), data_key, same_thread=True)
        elif shm.exists():
            try:
                conn = _keyed(
                    sqlite_uri(path, "mode=ro&readonly_shm=1"), data_key, same_thread=True, raw=True
                )
            except sqlcipher3.Error as exc:
                if error_code(exc) != SQLITE_PROTOCOL:
                    raise map_error(exc) from exc
                log.debug("read-only WAL index refused (SQLITE_PROTOCOL): using a copy")
        if conn is None:
            staging = _staged(path, wal)
            conn = _keyed(sqlite_uri(staging / path.name, "mode=ro"), data_key, same_thread=True)
        try:
            yield conn
        finally:
            conn.close()
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _staged(path: Path, wal: Path) -> Path:
    """A private folder beside ``path`` with a hard link to it (or a copy) and a copy of
    its WAL, for reading the WAL without touching the vault's own ``-shm``."""
    staging = path.parent / f".check-{secrets.token_hex(6)}"
    try:
        staging.mkdir(mode=0o700)
        try:
            os.link(path, staging / path.name)
        except OSError:
            shutil.copyfile(path, staging / path.name)
        shutil.copyfile(wal, staging / wal.name)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise VaultIOError("検査のためにデータベースを読めませんでした。") from exc
    return staging


def read_meta(conn: Connection, key: str) -> str | None:
    """One value of the encrypted ``meta`` table (vault id, signing key, training mark …)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def read_settings(conn: Connection) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in REQUIRED_SETTINGS:
        row = conn.execute(f"PRAGMA {name}").fetchone()
        values[name] = str(row[0]) if row else ""
    return values


def assert_settings(conn: Connection) -> None:
    actual = read_settings(conn)
    wrong = [n for n, v in REQUIRED_SETTINGS.items() if actual.get(n, "").lower() != v.lower()]
    if wrong:
        raise VaultError(
            "データベースの安全設定を有効にできませんでした（" + ", ".join(wrong) + "）。"
            "このPCでは保管庫を開けません。"
        )


def error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def map_error(exc: BaseException) -> BaseException:
    """A known SQLite failure as a ``VaultError`` with a Japanese message; others unchanged."""
    code = error_code(exc)
    text = str(exc).lower()
    if code == SQLITE_FULL or "database or disk is full" in text:
        return DiskFull()
    if code == SQLITE_CORRUPT or "malformed" in text:
        return VaultCorrupted(
            "データベースが壊れています（読めないページがあります）。バックアップから復元してください。"
        )
    if code == SQLITE_NOTADB or "not a database" in text:
        return VaultCorrupted(
            "データベースが壊れているか、鍵が合いません（別の保管庫の鍵ファイルの可能性があります）。"
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return VaultInUse("データベースが別の処理で使用中です。しばらくしてから試してください。")
    if code == SQLITE_READONLY:
        return VaultIOError("データベースに書き込めません（読み取り専用です）。")
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return VaultIOError("データベースのファイルを読み書きできませんでした。")
    return exc


DAMAGED_DB = "データベースが壊れています（{} か所の不整合）。バックアップから復元してください。"
UNREADABLE_DB = (
    "データベースを最後まで読めません（壊れています）。バックアップから復元してください。"
)
_DEBUG_LINES = 20


def integrity_problems(conn: Connection) -> list[str]:
    """``cipher_integrity_check`` then ``integrity_check``; an empty list means both passed.

    A damaged file can produce hundreds of lines of SQLite text: the user gets one
    Japanese sentence with the count, and the first lines go to the debug log only
    (SQLite names pages, tables and indexes there, never a row's content).
    """
    lines: list[str] = []
    unreadable = False
    try:
        rows: list[Row] = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        lines += [f"cipher_integrity_check: {r[0]}" for r in rows]
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        lines += [f"integrity_check: {r[0]}" for r in rows if str(r[0]).lower() != "ok"]
    except sqlcipher3.DatabaseError as exc:
        unreadable = True
        lines.append(f"read error: sqlite code {error_code(exc)}")
    if not lines:
        return []
    for line in lines[:_DEBUG_LINES]:
        log.debug("integrity check: %s", line[:200])
    if len(lines) > _DEBUG_LINES:
        log.debug("integrity check: %d more lines", len(lines) - _DEBUG_LINES)
    if unreadable and len(lines) == 1:
        return [UNREADABLE_DB]
    return [DAMAGED_DB.format(len(lines) - (1 if unreadable else 0))]


def read_error(exc: BaseException) -> str:
    """A Japanese sentence for an SQLite error met while checking (detail to the debug log)."""
    log.debug("read error during a check: sqlite code %s", error_code(exc))
    mapped = map_error(exc)
    if isinstance(mapped, VaultError):
        return mapped.message
    return UNREADABLE_DB
