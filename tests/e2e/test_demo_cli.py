"""`intake-app demo-data` as an operator runs it: supervisors only, training vaults only."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR, SUPERVISOR_PASS = "sato", "blue kettle under the stairs"
COUNSELOR, COUNSELOR_PASS = "suzuki", "いつもの道に咲く花を数える"
FAST_KDF_ENV = "INTAKE_APP_TEST_FAST_KDF"
REFUSED = (
    "この保管庫には実際の相談記録があります。"
    "練習用のデータは、新しく作った練習用の保管庫にだけ入れられます。"
)


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), INTAKE_APP_TEST_FAST_KDF="1")
    env.pop("INTAKE_APP_DATA_DIR", None)
    return env


def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def demo(
    data_dir: Path, user: str, passphrase: str, count: int
) -> subprocess.CompletedProcess[str]:
    return cli(
        data_dir,
        "demo-data",
        "--user",
        user,
        "--passphrase-stdin",
        "--count",
        str(count),
        stdin=passphrase + "\n",
    )


def files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "vault.lock"
    }


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    done = cli(data_dir, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
    return data_dir


def _session(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from intake_app.store.vault import Vault

    monkeypatch.setenv(FAST_KDF_ENV, "1")
    return Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)


def test_a_counselor_is_refused_in_japanese_and_no_file_is_touched(vault: Path) -> None:
    added = cli(
        vault,
        "add-user",
        "--user",
        SUPERVISOR,
        "--new-user",
        COUNSELOR,
        "--role",
        "counselor",
        "--passphrase-stdin",
        stdin=f"{SUPERVISOR_PASS}\n{COUNSELOR_PASS}\n",
    )
    assert added.returncode == 0, added.stderr
    before = files(vault)
    done = demo(vault, COUNSELOR, COUNSELOR_PASS, 10)
    assert done.returncode == 1
    assert "管理者" in done.stderr and "Traceback" not in done.stderr
    assert files(vault) == before


def test_a_vault_with_a_real_consultation_is_refused_and_unchanged(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store.synthetic import generate

    session = _session(vault, monkeypatch)
    try:
        session.records.save_intake(next(generate(1, seed=4)).intake)
    finally:
        session.close()
    before = files(vault)
    done = demo(vault, SUPERVISOR, SUPERVISOR_PASS, 10)
    assert done.returncode == 1
    assert REFUSED in done.stderr
    assert files(vault) == before  # not even the unlock is recorded
    session = _session(vault, monkeypatch)
    try:
        assert session.is_training() is False
        with session.read("test.inspect") as conn:
            assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] == 1
    finally:
        session.close()


def test_two_runs_right_after_init_fill_a_training_vault(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store.synthetic import generate

    first = demo(vault, SUPERVISOR, SUPERVISOR_PASS, 40)
    assert first.returncode == 0, first.stderr
    assert "40 件" in first.stderr
    second = demo(vault, SUPERVISOR, SUPERVISOR_PASS, 25)
    assert second.returncode == 0, second.stderr
    session = _session(vault, monkeypatch)
    try:
        assert session.is_training() is True
        with session.read("test.inspect") as conn:
            assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] == 65
            marks = conn.execute("SELECT value FROM meta WHERE key = 'training'").fetchall()
        assert [tuple(m) for m in marks] == [("1",)]
        # a consultation entered in a training vault (a training exercise) keeps it one
        session.records.save_intake(next(generate(1, seed=8)).intake)
    finally:
        session.close()
    third = demo(vault, SUPERVISOR, SUPERVISOR_PASS, 5)
    assert third.returncode == 0, third.stderr
