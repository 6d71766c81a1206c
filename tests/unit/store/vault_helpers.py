"""Helpers for the vault tests: a fast KDF (tests only) and a ready-made vault."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from intake_app.store import Vault

SUPERVISOR = "sato"
SUPERVISOR_PASS = "blue kettle under the stairs"
COUNSELOR = "suzuki"
COUNSELOR_PASS = "いつもの道に咲く花を数える"
FAST_ENV = "INTAKE_APP_TEST_FAST_KDF"


def make_vault(data_dir: Path, *, counselor: bool = True) -> str:
    """A vault with a supervisor (and a counselor); returns the recovery key."""
    recovery = Vault.create(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    if counselor:
        with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
            session.users.add(COUNSELOR, "counselor", COUNSELOR_PASS)
    return recovery


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` (except the lock file) with its hash and mtime."""
    result: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "vault.lock":
            data = path.read_bytes()
            result[str(path.relative_to(folder))] = (
                hashlib.sha256(data).hexdigest(),
                os.stat(path).st_mtime_ns,
            )
    return result


def data_key_hex(folder: Path, user: str = SUPERVISOR, passphrase: str = SUPERVISOR_PASS) -> str:
    """The raw data key, unwrapped from ``user``'s slot (for tests that tamper with SQL)."""
    from intake_app.store.header import Header

    header = Header.load(folder / "vault.keys")
    slot = header.user_slot(user)
    assert slot is not None
    private, pinned = slot.open_blob(header.vault_id, passphrase)
    return bytes(slot.unseal(header.vault_id, private, pinned)).hex()


def raw_connection(db: Path, key_hex: str) -> Any:
    """A bare SQLCipher connection to ``db`` (no program checks, no audit)."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    return conn
