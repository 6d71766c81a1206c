"""`intake-app verify` as IT runs it: what it saw, the JSON for scripts, one sentence for
a damaged file (never a traceback), and nothing written when there is a problem."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.e2e.test_vault_cli import SUPERVISOR, SUPERVISOR_PASS, _env, cli, files
from tests.unit.store.vault_helpers import data_key_hex, raw_connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    done = cli(data_dir, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
    done = cli(
        data_dir, "demo-data", "--user", SUPERVISOR, "--passphrase-stdin", "--count", "12",
        stdin=SUPERVISOR_PASS,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return data_dir


def verify(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(data_dir, "verify", "--user", SUPERVISOR, "--passphrase-stdin", *extra,
               stdin=SUPERVISOR_PASS)  # fmt: skip


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("エラー: ")]
    assert len(errors) == 1, stderr
    assert stderr.splitlines()[-1] == errors[0]
    return errors[0]


def test_the_summary_says_what_it_saw(vault: Path) -> None:
    done = verify(vault)
    assert done.returncode == 0, done.stderr
    assert "相談 12 件" in done.stdout and "下書き 0 件" in done.stdout
    assert re.search(r"監査ログ \d+ 件", done.stdout)


def test_json_for_scripts(vault: Path) -> None:
    done = verify(vault, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {
        "ok": True,
        "consultations": 12,
        "drafts": 0,
        "audit_entries": result["audit_entries"],
        "problems": [],
    }
    again = json.loads(verify(vault, "--json").stdout)
    assert again["audit_entries"] == result["audit_entries"] + 3  # unlock, verify, lock


def test_json_with_problems_and_nothing_written(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")  # to unwrap the key for the edit
    conn = raw_connection(vault / "vault.db", data_key_hex(vault))
    conn.execute("UPDATE audit_log SET detail = 'edited' WHERE seq = 2")
    conn.close()
    before = files(vault)
    done = verify(vault, "--json")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["ok"] is False and result["consultations"] == 12
    assert any("監査ログの第 2 項目が改ざんされています" in p for p in result["problems"])
    assert "保管庫には何も書き込んでいません" in one_error_line(done.stderr)
    assert files(vault) == before


def test_json_when_the_unlock_is_refused(vault: Path) -> None:
    done = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", "--json",
               stdin="not the passphrase")  # fmt: skip
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["ok"] is False and result["consultations"] is None
    assert "パスフレーズが違います" in result["problems"][0]
    one_error_line(done.stderr)


def test_json_with_a_damaged_page(vault: Path) -> None:
    db = vault / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - 3000] ^= 0x26
    db.write_bytes(bytes(data))
    before = files(vault)
    done = verify(vault, "--json")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["ok"] is False
    assert any("データベースが壊れています" in p for p in result["problems"])
    assert files(vault) == before


def test_the_flipped_byte_that_ended_in_a_traceback(tmp_path: Path) -> None:
    """Issue 14: vault.db offset 12680 XOR 0x26 on a new vault ended in
    ``DatabaseError: database disk image is malformed`` from ``Session.__init__``."""
    data_dir = tmp_path / "data"
    assert cli(data_dir, "init", "--user", SUPERVISOR, "--passphrase-stdin",
               stdin=SUPERVISOR_PASS).returncode == 0  # fmt: skip
    db = data_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[12680] ^= 0x26
    db.write_bytes(bytes(data))
    before = files(data_dir)
    done = verify(data_dir)
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "壊れて" in line or "問題が見つかりました" in line
    assert files(data_dir) == before


def test_a_kdf_memory_of_4_gib_minus_1_kib_is_a_damaged_header(vault: Path) -> None:
    """Issue 14: ``memory_kib`` 2^32-1 crashed verify with a HashingError."""
    keys = json.loads((vault / "vault.keys").read_text("utf-8"))
    keys["slots"][0]["kdf"]["memory_kib"] = 2**32 - 1
    (vault / "vault.keys").write_text(json.dumps(keys), "utf-8")
    done = verify(vault)
    assert done.returncode == 1
    assert "鍵ファイル（vault.keys）が壊れています" in one_error_line(done.stderr)


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store import Vault
    from intake_app.store.synthetic import generate
    session = Vault.open(sys.argv[1], "sato", "blue kettle under the stairs")
    for item in generate(5, seed=2, min_gap=1):
        session.records.save_intake(item.intake)
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_a_deleted_wal_is_named_by_verify_and_by_the_next_unlock(vault: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(vault)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    (vault / "vault.db-wal").unlink()
    before = files(vault)
    done = verify(vault, "--json")
    assert done.returncode == 1
    problems = json.loads(done.stdout)["problems"]
    assert any("最後の" in p and "件の保存が見つかりません" in p for p in problems)
    writes = re.search(r"記録の書き込み (\d+) 件", " ".join(problems))
    assert writes is not None and int(writes.group(1)) >= 5  # the killed writer's saves
    again = cli(vault, "passwd", "--user", SUPERVISOR, "--passphrase-stdin",
                stdin=f"{SUPERVISOR_PASS}\nan entirely new passphrase\n")  # fmt: skip
    assert again.returncode == 1
    assert "件の保存が見つかりません" in one_error_line(again.stderr)
    assert files(vault) == before
