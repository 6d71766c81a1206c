"""security.md test 10: editing, deleting, reordering or truncating audit entries is detected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from intake_app.store import Session, Vault, VaultCorrupted
from intake_app.store.connection import Connection
from tests.unit.store.vault_helpers import (
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    data_key_hex,
    make_vault,
    raw_connection,
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture()
def session(tmp_path: Path) -> Session:
    make_vault(tmp_path, counselor=False)
    s = Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    for i in range(10):
        s.audit("case_open", f"case:{i}")
    return s


def _raw(session: Session) -> Connection:
    """The connection itself, as someone holding the key and an SQL shell would use it."""
    conn = session._conn
    assert conn is not None
    return conn


def test_untouched_chain_verifies(session: Session) -> None:
    report = session.verify()
    assert report.ok, report.problems
    assert report.audit_first_bad is None
    assert report.audit_entries >= 13
    session.close()


TAMPERS: dict[str, tuple[Callable[[Connection], None], int]] = {
    "edit-action": (
        lambda c: c.execute("UPDATE audit_log SET action = 'print' WHERE seq = 6"),
        6,
    ),
    "edit-object": (
        lambda c: c.execute("UPDATE audit_log SET object_id = 'case:99' WHERE seq = 7"),
        7,
    ),
    "edit-time": (
        lambda c: c.execute("UPDATE audit_log SET at = '2020-01-01T00:00:00' WHERE seq = 5"),
        5,
    ),
    "edit-user": (
        lambda c: c.execute("UPDATE audit_log SET user_name = 'suzuki' WHERE seq = 4"),
        4,
    ),
    "delete-middle": (lambda c: c.execute("DELETE FROM audit_log WHERE seq = 8"), 8),
    "reorder-swap-seq": (
        lambda c: c.executescript(
            "UPDATE audit_log SET seq = -1 WHERE seq = 5;"
            "UPDATE audit_log SET seq = 5 WHERE seq = 6;"
            "UPDATE audit_log SET seq = 6 WHERE seq = -1;"
        ),
        5,
    ),
    "reorder-swap-content": (
        lambda c: c.executescript(
            "UPDATE audit_log SET object_id = 'tmp' WHERE seq = 9;"
            "UPDATE audit_log SET object_id = (SELECT object_id FROM audit_log WHERE seq = 10)"
            " WHERE seq = 9;"
            "UPDATE audit_log SET object_id = 'case:5' WHERE seq = 10;"
        ),
        9,
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_detected_and_first_bad_entry_named(session: Session, name: str) -> None:
    tamper, first_bad = TAMPERS[name]
    tamper(_raw(session))
    report = session.verify()
    assert not report.ok
    assert report.audit_first_bad == first_bad
    assert any(f"第 {first_bad} 項目" in p for p in report.problems)
    session.close()


def test_truncation_of_newest_entries_detected(session: Session, tmp_path: Path) -> None:
    session.close()  # the header now holds the head of the chain
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as s:
        head = s._header.audit_head["seq"]
        _raw(s).execute("DELETE FROM audit_log WHERE seq > ?", (head - 3,))
        report = s.verify()
        assert not report.ok
        assert report.audit_first_bad == head - 2
        assert any("削除" in p for p in report.problems)
        s._abandon()  # close without writing a "lock" entry over the gap
    with pytest.raises(VaultCorrupted, match="監査ログ"):
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)


def test_edit_of_newest_entry_refused_at_unlock(session: Session, tmp_path: Path) -> None:
    session.close()
    # The newest entry edited behind the program's back, with the key.
    raw = raw_connection(tmp_path / "vault.db", data_key_hex(tmp_path))
    raw.execute(
        "UPDATE audit_log SET action = 'nothing' WHERE seq = (SELECT max(seq) FROM audit_log)"
    )
    raw.close()
    with pytest.raises(VaultCorrupted, match="監査ログ"):
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
