"""security.md tests 3 and 6 (header side): wrong, swapped and tampered slots,
tampered or corrupted header. Each is refused and nothing is written."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from intake_app.store import (
    PassphrasePolicyError,
    Vault,
    VaultCorrupted,
    VaultError,
    WrongPassphrase,
)
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
    snapshot,
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    make_vault(tmp_path)
    return tmp_path


def _keys(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "vault.keys").read_text(encoding="utf-8"))
    return data


def _write_keys(folder: Path, data: dict[str, Any]) -> None:
    (folder / "vault.keys").write_text(json.dumps(data, indent=1), encoding="utf-8")


def _slot(data: dict[str, Any], user: str) -> dict[str, Any]:
    return next(s for s in data["slots"] if s["user"] == user)


def _without_failures(data: dict[str, Any]) -> dict[str, Any]:
    """The header without the failed-unlock counters written after a wrong passphrase
    (their keyed copy and its MAC stay)."""
    throttle = {k: v for k, v in data["throttle"].items() if k != "users"}
    return {**data, "throttle": throttle}


def _flip(b64: str, index: int = 3) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_wrong_passphrase_refused_and_only_the_counter_written(vault: Path) -> None:
    before_files = snapshot(vault)
    before_keys = _keys(vault)
    with pytest.raises(WrongPassphrase) as info:
        Vault.open(vault, SUPERVISOR, "not the right passphrase")
    assert "パスフレーズが違います" in info.value.message
    after_files = snapshot(vault)
    after_keys = _keys(vault)
    # The database and everything else byte-identical; the header differs only in
    # the failure counter that throttling needs.
    assert {k: v for k, v in after_files.items() if k != "vault.keys"} == {
        k: v for k, v in before_files.items() if k != "vault.keys"
    }
    assert _without_failures(after_keys) == _without_failures(before_keys)
    assert after_keys["throttle"]["users"][SUPERVISOR]["count"] == 1


def test_unknown_user_refused_with_the_same_message_and_nothing_written(vault: Path) -> None:
    before = snapshot(vault)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, "nobody", SUPERVISOR_PASS)
    after = snapshot(vault)
    # Not one byte changes and the typed name is kept nowhere. vault.keys is written
    # again as it was (a known name's failure writes it too, so neither the time nor
    # the file's date tells whether a name exists); the database is not touched.
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert after["vault.db"] == before["vault.db"]
    assert after["vault.keys"][1] > before["vault.keys"][1]
    assert b"nobody" not in (vault / "vault.keys").read_bytes()


def test_swapped_slots_refused(vault: Path) -> None:
    data = _keys(vault)
    sato, suzuki = _slot(data, SUPERVISOR), _slot(data, COUNSELOR)
    # Move the supervisor's slot to the counselor's name and the other way round:
    # the counselor's passphrase must not open the supervisor's slot.
    for field in ("user", "user_id", "role"):
        sato[field], suzuki[field] = suzuki[field], sato[field]
    _write_keys(vault, data)
    before = snapshot(vault)
    db_before = before["vault.db"]
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, SUPERVISOR, COUNSELOR_PASS)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, COUNSELOR, SUPERVISOR_PASS)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert snapshot(vault)["vault.db"] == db_before
    assert _without_failures(_keys(vault)) == _without_failures(data)


def test_role_raised_in_place_refused(vault: Path) -> None:
    data = _keys(vault)
    _slot(data, COUNSELOR)["role"] = "supervisor"
    _write_keys(vault, data)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)


def test_weakened_kdf_parameters_in_place_refused(vault: Path) -> None:
    data = _keys(vault)
    _slot(data, SUPERVISOR)["kdf"]["iterations"] += 1
    _write_keys(vault, data)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)


@pytest.mark.parametrize("field", ["private_ct", "private_nonce", "salt", "public"])
def test_tampered_slot_refused(vault: Path, field: str) -> None:
    data = _keys(vault)
    slot = _slot(data, SUPERVISOR)
    slot[field] = _flip(slot[field])
    _write_keys(vault, data)
    db_before = snapshot(vault)["vault.db"]
    with pytest.raises(VaultError):
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(vault)["vault.db"] == db_before
    assert _without_failures(_keys(vault)) == _without_failures(data)


@pytest.mark.parametrize("field", ["key_ct", "key_nonce", "ephemeral"])
def test_tampered_sealed_key_refused_and_nothing_written(vault: Path, field: str) -> None:
    data = _keys(vault)
    slot = _slot(data, SUPERVISOR)
    slot[field] = _flip(slot[field])
    _write_keys(vault, data)
    before = snapshot(vault)
    with pytest.raises(VaultCorrupted):
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(vault) == before


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda d: d["slots"].remove(_slot(d, COUNSELOR)), id="slot-removed"),
        pytest.param(lambda d: d["audit_head"].update(seq=1), id="audit-head-rolled-back"),
        pytest.param(lambda d: d.update(municipality="other"), id="municipality"),
        pytest.param(lambda d: d.update(generation=d["generation"] + 1), id="generation"),
    ],
)
def test_tampered_header_refused_and_nothing_written(vault: Path, tamper: Any) -> None:
    data = _keys(vault)
    tamper(data)
    _write_keys(vault, data)
    before = snapshot(vault)
    with pytest.raises(VaultCorrupted) as info:
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert "改ざん" in info.value.message
    assert snapshot(vault) == before


def test_header_of_another_vault_refused_and_nothing_written(tmp_path: Path) -> None:
    make_vault(tmp_path / "a", counselor=False)
    make_vault(tmp_path / "b", counselor=False)  # same user and passphrase, other key
    (tmp_path / "a" / "vault.keys").write_bytes((tmp_path / "b" / "vault.keys").read_bytes())
    before = snapshot(tmp_path / "a")
    with pytest.raises(VaultCorrupted):
        Vault.open(tmp_path / "a", SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(tmp_path / "a") == before


@pytest.mark.parametrize("offset", [0, 40, 400, -20, -2])
def test_corrupted_header_bytes_refused_and_files_untouched(vault: Path, offset: int) -> None:
    path = vault / "vault.keys"
    raw = bytearray(path.read_bytes())
    raw[offset] = 0xFF  # not UTF-8: the header cannot be parsed
    path.write_bytes(bytes(raw))
    before = snapshot(vault)
    with pytest.raises(VaultError) as info:
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert info.value.message
    assert snapshot(vault) == before


def test_missing_header_named_in_the_error(vault: Path) -> None:
    (vault / "vault.keys").unlink()
    with pytest.raises(VaultCorrupted, match=r"vault\.keys"):
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)


def test_header_file_is_owner_only(vault: Path) -> None:
    assert (vault / "vault.keys").stat().st_mode & 0o077 == 0
    assert (vault / "vault.db").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "passphrase",
    ["short one", "password1234", "Password 1234", "aaaaaaaaaaaaaaa", "パスワードパスワード"],
)
def test_passphrase_policy(tmp_path: Path, passphrase: str) -> None:
    with pytest.raises(PassphrasePolicyError) as info:
        Vault.create(tmp_path, SUPERVISOR, passphrase)
    assert info.value.message
    assert not (tmp_path / "vault.keys").exists()


def test_passphrase_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "か\u3099らす\u3099の窓の外に雪か\u3099降る"  # が, ず as base + mark
    composed = "がらずの窓の外に雪が降る"
    assert decomposed != composed
    Vault.create(tmp_path, SUPERVISOR, decomposed)
    Vault.open(tmp_path, SUPERVISOR, composed).close()


def test_older_copy_of_the_header_refused_after_a_passphrase_reset(vault: Path) -> None:
    """Putting back yesterday's vault.keys must not revive a passphrase that was reset."""
    old_header = (vault / "vault.keys").read_bytes()
    with Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.reset_passphrase(COUNSELOR, "the leaked one is gone now")
    (vault / "vault.keys").write_bytes(old_header)
    db_before = snapshot(vault)["vault.db"]
    with pytest.raises(VaultCorrupted, match="古い版"):
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert snapshot(vault)["vault.db"] == db_before


def test_crash_before_the_new_header_is_written_still_opens(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import VaultIOError
    from intake_app.store import header as header_mod

    real_save = header_mod.save
    session = Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)

    def lost_power(*args: Any, **kwargs: Any) -> None:
        raise VaultIOError("書き込めません")

    monkeypatch.setattr(header_mod, "save", lost_power)
    with pytest.raises(VaultIOError):
        session.users.reset_passphrase(COUNSELOR, "never reached the disk")
    monkeypatch.setattr(header_mod, "save", real_save)
    session._abandon()
    Vault.open(vault, COUNSELOR, COUNSELOR_PASS).close()  # the old header is still valid
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, COUNSELOR, "never reached the disk")


def test_unknown_user_runs_the_same_key_derivation_as_a_known_one(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import kdf as kdf_mod

    calls: list[kdf_mod.KdfParams] = []
    real = kdf_mod.derive

    def counting(passphrase: bytes, salt: bytes, params: kdf_mod.KdfParams) -> bytes:
        calls.append(params)
        return real(passphrase, salt, params)

    monkeypatch.setattr(kdf_mod, "derive", counting)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, SUPERVISOR, "not the right passphrase")
    known = list(calls)
    calls.clear()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, "nobody", "not the right passphrase")
    assert known and calls == known  # one derivation with the slot's calibrated parameters


def test_unknown_and_known_names_take_about_as_long(tmp_path: Path) -> None:
    import time

    from intake_app.store import KdfParams

    params = KdfParams(memory_kib=32 * 1024, iterations=2)  # ~50-100 ms: measurable
    Vault.create(tmp_path, SUPERVISOR, SUPERVISOR_PASS, kdf=params)

    def timed(user: str) -> float:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            with pytest.raises(WrongPassphrase):
                Vault.open(tmp_path, user, "not the right passphrase")
            runs.append(time.perf_counter() - start)
        return sorted(runs)[1]

    known, unknown = timed(SUPERVISOR), timed("nobody")
    assert unknown > 0.6 * known, (unknown, known)
