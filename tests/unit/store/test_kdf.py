"""Argon2id floor (m = 64 MiB, t = 3): enforced for real vaults, weak only for tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.store import KdfParams, Vault, WeakKdf
from intake_app.store import kdf as kdf_mod
from tests.unit.store.vault_helpers import FAST_ENV, SUPERVISOR, SUPERVISOR_PASS, snapshot

WEAK = KdfParams(memory_kib=1024, iterations=1)


def test_calibration_never_goes_below_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FAST_ENV, raising=False)
    params = kdf_mod.calibrate(target_s=0.001)  # even when asked for almost nothing
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 3
    assert params.algorithm == "argon2id"


def test_weak_parameters_refused_for_a_real_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(FAST_ENV, raising=False)
    with pytest.raises(WeakKdf) as info:
        Vault.create(tmp_path / "v", SUPERVISOR, SUPERVISOR_PASS, kdf=WEAK)
    assert "64 MiB" in info.value.message
    assert not (tmp_path / "v").exists()


def test_the_test_switch_must_be_exactly_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "yes")
    with pytest.raises(WeakKdf):
        Vault.create(tmp_path / "v", SUPERVISOR, SUPERVISOR_PASS, kdf=WEAK)


def test_a_weak_slot_is_refused_without_the_test_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FAST_ENV, "1")
    Vault.create(tmp_path, SUPERVISOR, SUPERVISOR_PASS, kdf=WEAK)
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()
    monkeypatch.delenv(FAST_ENV)
    before = snapshot(tmp_path)
    with pytest.raises(WeakKdf):
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(tmp_path) == before


def test_real_parameters_are_stored_per_slot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.delenv(FAST_ENV, raising=False)
    Vault.create(tmp_path, SUPERVISOR, SUPERVISOR_PASS, kdf=kdf_mod.FLOOR)
    slots = json.loads((tmp_path / "vault.keys").read_text())["slots"]
    assert {s["kind"] for s in slots} == {"user", "recovery"}
    for slot in slots:
        assert slot["kdf"]["memory_kib"] == 65536 and slot["kdf"]["iterations"] == 3
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()
