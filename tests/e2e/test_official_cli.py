"""`intake-app stats --official` as a supervisor runs it: exact counts, the notice first,
the export audited; a counselor is refused and --suppress-below is not accepted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest

from intake_app.store import Vault
from tests.e2e.test_vault_cli import COUNSELOR, COUNSELOR_PASS, SUPERVISOR, SUPERVISOR_PASS, cli
from tests.unit.store.test_records import make_intake

FY = 2026


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("official-cli") / "data"
    done = cli(folder, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode == 0, done.stderr
    added = cli(
        folder,
        *("add-user", "--user", SUPERVISOR, "--new-user", COUNSELOR),
        *("--role", "counselor", "--passphrase-stdin"),
        stdin=f"{SUPERVISOR_PASS}\n{COUNSELOR_PASS}\n",
    )
    assert added.returncode == 0, added.stderr
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
        with Vault.open(folder, SUPERVISOR, SUPERVISOR_PASS) as s:
            intake = make_intake(day=dt.date(2026, 6, 1))
            intake.consultation.channel = "phone"
            intake.consultation.main_complaint = "stalking"
            s.records.save_intake(intake)
    return folder


def official(data_dir: Path, user: str, password: str, *extra: str):
    return cli(
        data_dir,
        *("stats", "--official", "--user", user, "--passphrase-stdin"),
        *("--fiscal-year", str(FY), *extra),
        stdin=password + "\n",
    )


def test_a_supervisor_writes_the_exact_csv_after_the_notice(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "official.csv"
    done = official(data_dir, SUPERVISOR, SUPERVISOR_PASS, "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "秘匿処理をしていない正確な件数" in done.stderr
    assert "取扱注意" in done.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][0] == "取扱注意"
    assert ["電話", "1", "0"] in rows  # a single consultation is not hidden
    assert ["ストーカー", "1", "1"] in rows
    assert "山田" not in out.read_text(encoding="utf-8-sig")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
        with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as s:
            actions = [(e.action, e.object_id) for e in s.audit_entries()]
    assert ("official_return_export", f"FY{FY}:csv") in actions


def test_a_supervisor_gets_the_pdf_on_stdout(data_dir: Path) -> None:
    import subprocess
    import sys

    from tests.e2e.test_vault_cli import ROOT, _env

    done = subprocess.run(
        [
            *(sys.executable, "-m", "intake_app", "--data-dir", str(data_dir)),
            *("stats", "--official", "--user", SUPERVISOR, "--passphrase-stdin"),
            *("--fiscal-year", str(FY), "--format", "pdf"),
        ],
        input=(SUPERVISOR_PASS + "\n").encode(),
        capture_output=True,
        env=_env(),
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"%PDF")


def test_a_counselor_is_refused_and_suppression_is_not_an_option(data_dir: Path) -> None:
    refused = official(data_dir, COUNSELOR, COUNSELOR_PASS, "--format", "csv")
    assert refused.returncode != 0
    assert "管理者（スーパーバイザー）だけ" in refused.stderr
    assert refused.stdout == ""
    mixed = official(
        data_dir, SUPERVISOR, SUPERVISOR_PASS, "--format", "csv", "--suppress-below", "5"
    )
    assert mixed.returncode != 0 and "--suppress-below は指定できません" in mixed.stderr
