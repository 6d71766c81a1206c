"""security.md T11: throttling cannot be switched off by editing vault.keys.

Issue 14 found three ways: deleting the ``failures`` block allowed an immediate
unlock (and the failures never reached the audit log), a ``last`` in the future gave a
free attempt each time, and ``float()`` took NaN and Infinity. Now a missing,
unreadable or lowered block is the worst case (the longest wait) until the next
successful unlock, which records the edit in the audit log; a future ``last`` counts
from now; a block forged whole is found by its keyed MAC at the next unlock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intake_app.store import Throttled, Vault, WrongPassphrase
from intake_app.store import header as header_mod
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
)

NOW = 2_000_000_000


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [float(NOW)]
    monkeypatch.setattr(header_mod.time, "time", lambda: now[0])
    return now


@pytest.fixture
def vault(tmp_path: Path, clock: list[float]) -> Path:
    make_vault(tmp_path)
    return tmp_path


def keys(data_dir: Path) -> dict[str, Any]:
    return dict(json.loads((data_dir / "vault.keys").read_text("utf-8")))


def write_keys(data_dir: Path, data: dict[str, Any] | str) -> None:
    text = data if isinstance(data, str) else json.dumps(data, allow_nan=True)
    (data_dir / "vault.keys").write_text(text, "utf-8")


def fail(data_dir: Path, times: int, user: str = COUNSELOR) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassphrase):
            Vault.open(data_dir, user, "a wrong passphrase again")


def audit_of(data_dir: Path, action: str) -> list[str | None]:
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        return [e.detail for e in session.audit_entries() if e.action == action]


def test_deleting_the_block_is_the_worst_case_and_audited(vault: Path, clock: list[float]) -> None:
    fail(vault, 5)
    data = keys(vault)
    del data["throttle"]
    write_keys(vault, data)
    assert Vault.throttle_wait(vault, COUNSELOR) == header_mod.THROTTLE_MAX_S
    with pytest.raises(Throttled) as info:
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert info.value.wait_s == header_mod.THROTTLE_MAX_S
    # every user waits, not only the one who tried, and the wait is anchored in the file
    assert keys(vault)["throttle"]["users"][SUPERVISOR]["count"] >= 9
    clock[0] += 10
    with pytest.raises(Throttled) as info:
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert info.value.wait_s == header_mod.THROTTLE_MAX_S - 10
    clock[0] += header_mod.THROTTLE_MAX_S
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()
    assert audit_of(vault, "throttle_edited") == ["missing"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("count", float("nan")),
        ("count", float("inf")),
        ("count", 1000.0),
        ("count", "5"),
        ("count", 10**30),
        ("last", -1),
        ("last", float("-inf")),
    ],
)
def test_unreadable_counters_are_the_worst_case(vault: Path, field: str, value: Any) -> None:
    fail(vault, 1)
    data = keys(vault)
    data["throttle"]["users"][COUNSELOR][field] = value
    write_keys(vault, data)
    with pytest.raises(Throttled) as info:
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert info.value.wait_s == header_mod.THROTTLE_MAX_S


def test_a_last_failure_in_the_future_counts_from_now(vault: Path, clock: list[float]) -> None:
    data = keys(vault)
    data["throttle"]["users"][COUNSELOR] = {"count": 6, "last": NOW + 10**8}
    write_keys(vault, data)
    with pytest.raises(Throttled) as info:
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert info.value.wait_s == header_mod.throttle_delay(6)  # from now: not free, not forever
    assert keys(vault)["throttle"]["users"][COUNSELOR]["last"] == NOW
    clock[0] += header_mod.throttle_delay(6)
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()


def test_counters_lowered_below_their_keyed_copy(vault: Path, clock: list[float]) -> None:
    fail(vault, 5)
    Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS).close()  # a keyed write: the copy has 5
    assert keys(vault)["throttle"]["base"]["users"][COUNSELOR]["count"] == 5
    data = keys(vault)
    data["throttle"]["users"] = {}
    write_keys(vault, data)
    with pytest.raises(Throttled) as info:
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert info.value.wait_s == header_mod.THROTTLE_MAX_S
    clock[0] += header_mod.THROTTLE_MAX_S
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()
    assert audit_of(vault, "throttle_edited") == ["lowered"]


def test_a_block_forged_whole_is_found_at_the_next_unlock(vault: Path, clock: list[float]) -> None:
    fail(vault, 5)
    data = keys(vault)
    data["throttle"] = {"users": {}, "base": {"commit": data["commits"]["n"], "users": {}},
                        "mac": "00" * 32}  # fmt: skip
    write_keys(vault, data)
    # Without the key the program cannot tell this from the real thing …
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()
    # … but the unlock that has the key records it.
    assert audit_of(vault, "throttle_edited") == ["mac"]


def test_an_old_copy_of_the_block_put_back_is_found(vault: Path, clock: list[float]) -> None:
    old = keys(vault)["throttle"]
    Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS).close()  # the header moves on
    data = keys(vault)
    data["throttle"] = old
    write_keys(vault, data)
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()
    assert audit_of(vault, "throttle_edited") == ["mac"]


def test_an_untouched_block_records_nothing(vault: Path, clock: list[float]) -> None:
    fail(vault, 2)
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()
    assert audit_of(vault, "throttle_edited") == []
    assert audit_of(vault, "unlock_failures") == ["2"]
