"""Sessions for the records tests: the real vault (fast KDF) and the plain stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.store.fakes import FakeSession

PASSPHRASE = "うちの猫は三毛猫で十二歳"
USER = "tanaka"


def create_vault(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vault with weak Argon2 parameters (allowed only with the test environment flag)."""
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    Vault.create(data_dir, USER, PASSPHRASE, kdf=kdf.KdfParams(memory_kib=1024, iterations=1))


def open_vault(data_dir: Path) -> Any:
    from intake_app.store.vault import Vault

    return Vault.open(data_dir, USER, PASSPHRASE)


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    session = open_vault(data_dir)
    yield session
    session.close()


@pytest.fixture(params=["vault", "plain"])
def session(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Each records test runs on the real vault and on the plain stand-in."""
    if request.param == "plain":
        s: Any = FakeSession()
    else:
        create_vault(tmp_path / "data", monkeypatch)
        s = open_vault(tmp_path / "data")
    yield s
    s.close()


def query(session: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the tables directly (an audited read like any other)."""
    with session.read("test.inspect") as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


IGNORED_ACTIONS = {
    "vault_create",
    "user_add",
    "settings_import",
    "unlock",
    "test.inspect",
    "lock",
}


def audit_entries(session: Any) -> list[tuple[str, str | None]]:
    """(action, object_id) of the audit log, oldest first, without unlock/inspection."""
    rows = query(session, "SELECT action, object_id FROM audit_log ORDER BY rowid")
    return [(a, o) for a, o in rows if a not in IGNORED_ACTIONS]
