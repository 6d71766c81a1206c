"""Helpers for the vault tests: a fast KDF (tests only) and a ready-made vault."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
