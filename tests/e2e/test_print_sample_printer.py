"""`print-sample --printer NAME`, end to end against the local cups-pdf test queue:
every sample through the preview's print path, neutral job names, one `print` audit
entry each. Skipped, with the reason, where CUPS is not set up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake_app.documents.print_system import NEUTRAL_JOB_NAME
from tests.printing import measure

ROOT = Path(__file__).resolve().parents[2]
PASS = "blue kettle under the stairs"


def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), INTAKE_APP_TEST_FAST_KDF="1")
    env.pop("INTAKE_APP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=ROOT,
        check=False,
    )


def test_print_sample_sends_every_paper_to_the_printer_and_audits_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = measure.cups_skip_reason(measure.PDF_QUEUE)
    if reason:
        pytest.skip(reason)
    data = tmp_path / "data"
    assert (
        cli(data, "init", "--user", "sato", "--passphrase-stdin", stdin=PASS + "\n").returncode == 0
    )
    done = cli(
        data,
        "print-sample",
        "--user",
        "sato",
        "--passphrase-stdin",
        "--printer",
        measure.PDF_QUEUE,
        "--date",
        "2026-11-25",
        stdin=PASS + "\n",
    )
    assert done.returncode == 0, done.stderr
    jobs = [line.rsplit(": ", 1)[1] for line in done.stdout.splitlines() if ".pdf: " in line]
    assert len(jobs) >= 8 and all(j.startswith(measure.PDF_QUEUE + "-") for j in jobs)
    for job in jobs:
        assert measure.job_attributes(job)["job-name"] == NEUTRAL_JOB_NAME
    for job in (jobs[0], jobs[-1]):
        measure.wait_for_output(job).unlink()
    history = {row.split()[0] for row in measure.completed_job_names()}
    assert jobs[0] in history and jobs[-1] in history  # listed, under the neutral name only
    nothing = cli(
        data,
        "print-sample",
        "--user",
        "sato",
        "--passphrase-stdin",
        "--printer",
        "no-such",
        stdin=PASS + "\n",
    )
    assert nothing.returncode == 1 and "見つかりません" in nothing.stderr
    from intake_app.store import Vault, kdf

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    session = Vault.open(data, "sato", PASS)
    try:
        with session.read("test.inspect") as conn:
            rows = conn.execute(
                "SELECT action, object_id, detail FROM audit_log"
                " WHERE action IN ('print', 'export_pdf') ORDER BY seq"
            ).fetchall()
    finally:
        session.close()
    assert len(rows) == len(jobs)
    assert {r[0] for r in rows} == {"print"}
    assert all(r[1].startswith("sample:") for r in rows)
    assert all(r[2].startswith(f"printer={measure.PDF_QUEUE}; copies=1; pages=1") for r in rows)
