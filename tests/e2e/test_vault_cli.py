"""The vault commands of `intake-app` as an operator runs them (subprocesses)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR, SUPERVISOR_PASS = "sato", "blue kettle under the stairs"
COUNSELOR, COUNSELOR_PASS = "suzuki", "いつもの道に咲く花を数える"
RECOVERY = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")


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
    done = cli(
        data_dir,
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
    assert done.returncode == 0, done.stderr
    return data_dir


def test_init_prints_the_recovery_key_once(tmp_path: Path) -> None:
    done = cli(
        tmp_path / "d", "init", "--user", "sato", "--passphrase-stdin", stdin=SUPERVISOR_PASS
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and RECOVERY.match(lines[0])
    assert "回復キー" in done.stderr
    assert SUPERVISOR_PASS not in done.stdout + done.stderr
    again = cli(
        tmp_path / "d", "init", "--user", "sato", "--passphrase-stdin", stdin=SUPERVISOR_PASS
    )
    assert again.returncode != 0 and "既に保管庫があります" in again.stderr
    assert not RECOVERY.search(again.stdout)


def test_administration_round_trip(vault: Path, tmp_path: Path) -> None:
    ok = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert ok.returncode == 0, ok.stderr
    assert "壊れた所はなく" in ok.stdout and "監査ログ" in ok.stdout

    done = cli(
        vault,
        "passwd",
        "--user",
        COUNSELOR,
        "--passphrase-stdin",
        stdin=f"{COUNSELOR_PASS}\nthe counselor's new phrase\n",
    )
    assert done.returncode == 0, done.stderr
    counselor = ("verify", "--user", COUNSELOR, "--passphrase-stdin")
    assert cli(vault, *counselor, stdin=COUNSELOR_PASS).returncode != 0
    assert cli(vault, *counselor, stdin="the counselor's new phrase").returncode == 0

    backup = tmp_path / "backup"
    done = cli(
        vault,
        "backup",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        str(backup),
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in backup.iterdir()) == ["vault.db", "vault.keys"]

    done = cli(vault, "rekey", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
    assert cli(vault, *counselor, stdin="the counselor's new phrase").returncode == 0

    done = cli(
        vault,
        "restore",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        str(backup),
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode == 0, done.stderr
    kept = [p for p in vault.iterdir() if p.name.startswith("replaced-")]
    assert len(kept) == 1 and (kept[0] / "vault.db").exists()
    ok = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert ok.returncode == 0, ok.stderr


def test_wrong_passphrase_message_and_database_untouched(vault: Path) -> None:
    before = files(vault)
    done = cli(
        vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin="not my passphrase"
    )
    assert done.returncode != 0
    assert "パスフレーズが違います" in done.stderr
    after = files(vault)
    assert after["vault.db"] == before["vault.db"]
    assert set(after) == set(before)


def test_counselor_refused_supervisor_commands_and_nothing_written(
    vault: Path, tmp_path: Path
) -> None:
    before = files(vault)
    for args in (
        ("backup", "--user", COUNSELOR, "--passphrase-stdin", str(tmp_path / "b")),
        ("rekey", "--user", COUNSELOR, "--passphrase-stdin"),
    ):
        done = cli(vault, *args, stdin=COUNSELOR_PASS)
        assert done.returncode != 0
        assert "管理者" in done.stderr
    assert files(vault) == before
    assert not (tmp_path / "b").exists()


def test_corrupted_database_named_and_untouched(vault: Path) -> None:
    db = vault / "vault.db"
    raw = bytearray(db.read_bytes())
    raw[len(raw) - 200] ^= 0xFF
    db.write_bytes(bytes(raw))
    before = files(vault)
    done = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode != 0
    assert "問題" in done.stderr
    assert files(vault) == before


def test_corrupted_header_named_and_untouched(vault: Path) -> None:
    (vault / "vault.keys").write_bytes(b"\xff" + (vault / "vault.keys").read_bytes()[1:])
    before = files(vault)
    done = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode != 0
    assert "vault.keys" in done.stderr and "壊れて" in done.stderr
    assert files(vault) == before


def test_newer_vault_refused_and_untouched(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.unit.store.vault_helpers import data_key_hex, raw_connection

    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    conn = raw_connection(vault / "vault.db", data_key_hex(vault))
    conn.execute("PRAGMA user_version = 9999")
    conn.close()
    before = files(vault)
    done = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode != 0
    assert "新しい版" in done.stderr
    assert files(vault) == before


HOLDER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store.lock import InstanceLock, set_program_name
    set_program_name("intake-app 画面")
    InstanceLock(sys.argv[1]).acquire()
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_locked_by_another_process_named_and_untouched(vault: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault)], env=_env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = files(vault)
        done = cli(
            vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS
        )
        assert done.returncode != 0
        assert "使用中" in done.stderr and "intake-app 画面" in done.stderr
        assert str(holder.pid) in done.stderr
        assert files(vault) == before
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_passphrases_never_from_the_command_line(vault: Path) -> None:
    done = cli(vault, "verify", "--user", SUPERVISOR, SUPERVISOR_PASS)
    assert done.returncode != 0  # no positional passphrase exists
    done = cli(vault, "verify", "--user", SUPERVISOR)  # no TTY, no --passphrase-stdin
    assert done.returncode != 0 and "--passphrase-stdin" in done.stderr
    done = cli(
        vault,
        "add-user",
        "--user",
        SUPERVISOR,
        "--new-user",
        "x1",
        "--role",
        "counselor",
        "--passphrase-stdin",
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert done.returncode != 0 and "標準入力にパスフレーズがありません" in done.stderr


def test_weak_new_passphrase_refused_before_anything_is_written(vault: Path) -> None:
    before = files(vault)
    done = cli(
        vault,
        "add-user",
        "--user",
        SUPERVISOR,
        "--new-user",
        "tanaka",
        "--role",
        "counselor",
        "--passphrase-stdin",
        stdin=f"{SUPERVISOR_PASS}\npassword1234\n",
    )
    assert done.returncode != 0 and "よく使われる" in done.stderr
    assert files(vault) == before


def test_recover_with_the_printed_recovery_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    init = cli(data_dir, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    recovery = init.stdout.strip()
    done = cli(
        data_dir,
        "recover",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        stdin=f"{recovery}\na phrase after recovery\n",
    )
    assert done.returncode == 0, done.stderr
    ok = cli(
        data_dir,
        "verify",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        stdin="a phrase after recovery",
    )
    assert ok.returncode == 0, ok.stderr


def _tamper_newest_audit_entry(data_dir: Path, sql: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run ``sql`` (with ``?`` = the newest seq) on the audit log; returns that seq."""
    from tests.unit.store.vault_helpers import data_key_hex, raw_connection

    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir))
    try:
        newest = int(conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0])
        conn.execute(sql, (newest,))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    return newest


@pytest.mark.parametrize(
    ("sql", "wording"),
    [
        ("DELETE FROM audit_log WHERE seq = ?", "削除されています"),
        ("UPDATE audit_log SET detail = 'edited' WHERE seq = ?", "改ざんされています"),
    ],
    ids=["newest-deleted", "newest-edited"],
)
def test_verify_names_the_first_bad_entry_when_the_newest_was_cut_and_writes_nothing(
    vault: Path, sql: str, wording: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = _tamper_newest_audit_entry(vault, sql, monkeypatch)
    before = files(vault)
    done = cli(vault, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode != 0
    assert f"監査ログの第 {newest} 項目" in done.stderr and wording in done.stderr
    assert f"最初の異常: 第 {newest} 項目" in done.stderr
    assert "intake-app verify」で確認" not in done.stderr  # not sent round in a circle
    assert files(vault) == before
    # A normal unlock still refuses the damaged vault.
    done = cli(
        vault,
        "backup",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        str(vault.parent / "b"),
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode != 0 and files(vault) == before


def test_add_user_with_an_existing_name_refused_before_unlocking(vault: Path) -> None:
    before = files(vault)
    done = cli(
        vault,
        "add-user",
        "--user",
        SUPERVISOR,
        "--new-user",
        COUNSELOR,
        "--role",
        "counselor",
        "--passphrase-stdin",
        stdin=f"{SUPERVISOR_PASS}\nanother long passphrase here\n",
    )
    assert done.returncode != 0
    assert f"「{COUNSELOR}」は既に登録されています" in done.stderr
    assert files(vault) == before  # no unlock/lock entries, header not re-signed


def test_backup_into_a_non_empty_folder_refused_before_unlocking(
    vault: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me")
    before = files(vault)
    done = cli(
        vault,
        "backup",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        str(dest),
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode != 0 and "空のフォルダ" in done.stderr
    assert files(vault) == before
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_damaged_database_summarised_in_one_japanese_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import Vault

    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    data_dir = tmp_path / "data"
    Vault.create(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("setting_change", "bulk") as conn:
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)",
                [(f"k{i:04d}", "x" * 900) for i in range(400)],
            )
    db = data_dir / "vault.db"
    raw = bytearray(db.read_bytes())
    assert len(raw) // 4096 > 100
    for page in range(30, 35):  # table pages in the middle; the schema still reads
        raw[page * 4096 + 100] ^= 0xFF
    db.write_bytes(bytes(raw))
    before = files(data_dir)
    done = cli(
        data_dir, "verify", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS
    )
    assert done.returncode != 0
    assert re.search(r"データベースが壊れています（\d+ か所の不整合）", done.stderr)
    assert "バックアップから復元してください" in done.stderr
    assert len(done.stderr.splitlines()) <= 3
    assert "integrity_check:" not in done.stderr and "HMAC" not in done.stderr
    dest = tmp_path / "backup"
    done = cli(
        data_dir,
        "backup",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        str(dest),
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode != 0 and len(done.stderr.splitlines()) <= 3
    assert "壊れています" in done.stderr and "integrity_check:" not in done.stderr
    assert not dest.exists()
    assert files(data_dir) == before


def test_kept_copies_reported_after_rekey_and_pruned(vault: Path, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    args = ("--user", SUPERVISOR, "--passphrase-stdin")
    assert cli(vault, "backup", *args, str(dest), stdin=SUPERVISOR_PASS).returncode == 0
    assert cli(vault, "restore", *args, str(dest), stdin=SUPERVISOR_PASS).returncode == 0
    kept = [p for p in vault.iterdir() if p.name.startswith("replaced-")]
    assert len(kept) == 1
    done = cli(vault, "rekey", *args, stdin=SUPERVISOR_PASS)
    assert done.returncode == 0
    assert "古いコピーが残っています（無効にした利用者の鍵でも開けます）" in done.stderr
    assert str(kept[0]) in done.stderr
    done = cli(
        vault,
        "passwd",
        "--user",
        COUNSELOR,
        "--passphrase-stdin",
        stdin=f"{COUNSELOR_PASS}\nan entirely new passphrase\n",
    )
    assert done.returncode == 0 and "古いコピーが残っています" in done.stderr
    done = cli(
        vault,
        "prune-copies",
        "--user",
        COUNSELOR,
        "--passphrase-stdin",
        stdin="an entirely new passphrase",
    )
    assert done.returncode != 0 and kept[0].exists()
    done = cli(vault, "prune-copies", *args, stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
    assert "上書きして削除しました" in done.stdout and not kept[0].exists()
    done = cli(vault, "rekey", *args, stdin=SUPERVISOR_PASS)
    assert done.returncode == 0 and "古いコピー" not in done.stderr
    done = cli(vault, "verify", *args, stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
