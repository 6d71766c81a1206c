"""Synthetic data and the demo-data command."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.japanese import fiscal_year
from intake_app.store.synthetic import SURNAMES, generate
from tests.unit.store.records_support import (
    PASSPHRASE,
    USER,
    create_vault,
    open_vault,
    query,
    vault,
)

__all__ = ["vault"]
ROOT = Path(__file__).resolve().parents[3]


def test_generator_is_varied_reproducible_and_refers_only_backwards() -> None:
    items = list(generate(3000, seed=5, min_gap=200))
    again = list(generate(3000, seed=5, min_gap=200))
    assert [i.intake.client.name for i in again] == [i.intake.client.name for i in items]
    surnames = {i.intake.client.name.split(" ")[0] for i in items if i.intake.client.name}
    assert surnames == {s for s, _ in SURNAMES}
    years = {fiscal_year(i.intake.consultation.started_at.date()) for i in items}  # type: ignore[union-attr]
    assert len(years) == 5
    assert {i.intake.consultation.channel for i in items} == {
        "phone",
        "visit",
        "mail",
        "sns",
        "accompanied",
        "other",
    }
    violence = collections.Counter(t for i in items for t in i.intake.violence.types)
    assert set(violence) == {
        "physical",
        "psychological",
        "sexual",
        "economic",
        "social",
        "using_children",
    }
    assert sum(1 for i in items if i.intake.household.children) > 1000
    assert sum(1 for i in items if i.intake.referrals) > 1000
    assert any(i.intake.client.aliases for i in items)
    assert any(i.intake.client.anonymous for i in items)
    assert any(i.intake.client.gender == "male" for i in items)
    follow_ups = [i for i in items if i.follow_up_of is not None]
    assert len(follow_ups) > 300
    assert all(i.index - i.follow_up_of >= 200 for i in follow_ups)  # type: ignore[operator]
    kana = {i.intake.client.kana.split(" ")[0] for i in items if i.intake.client.kana}
    assert kana == {k for _, k in SURNAMES}


def test_fill_links_follow_ups_to_their_cases(vault: Any) -> None:
    from intake_app.commands.demo import fill

    assert fill(vault, 1200, seed=3) == 1200
    (total,) = query(vault, "SELECT count(*) FROM consultations")
    (cases,) = query(vault, "SELECT count(*) FROM cases")
    assert total == (1200,)
    assert cases[0] < 1200  # some consultations are follow-ups of an existing case
    multi = query(
        vault, "SELECT case_id FROM consultations GROUP BY case_id HAVING count(*) > 1 LIMIT 1"
    )
    view = vault.records.open_case(multi[0][0])
    assert len(view.risk_history) >= 2
    assert vault.records.search("さとう")


@pytest.mark.slow
def test_a_killed_demo_data_run_leaves_a_valid_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "intake_app",
            "--data-dir",
            str(data_dir),
            "demo-data",
            "--user",
            USER,
            "--passphrase-stdin",
            "--count",
            "100000",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(PASSPHRASE + "\n")
    proc.stdin.close()
    db = data_dir / "vault.db-wal"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until at least one batch is being written
        if db.exists() and db.stat().st_size > 2_000_000:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    session = open_vault(data_dir)
    try:
        report = session.verify()
        assert report.ok, report.problems
        (count,) = query(session, "SELECT count(*) FROM consultations")
        assert count[0] > 0 and count[0] % 500 == 0  # whole batches only
        (orphans,) = query(
            session,
            "SELECT count(*) FROM consultations c LEFT JOIN consultation_details d"
            " ON d.consultation_id = c.id WHERE d.consultation_id IS NULL",
        )
        assert orphans == (0,)
    finally:
        session.close()


def test_demo_data_refuses_a_wrong_passphrase_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake_app",
            "--data-dir",
            str(data_dir),
            "demo-data",
            "--user",
            USER,
            "--passphrase-stdin",
            "--count",
            "10",
        ],
        input="まちがったパスフレーズです\n",
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "パスフレーズ" in done.stderr
    session = open_vault(data_dir)
    try:
        assert query(session, "SELECT count(*) FROM consultations") == [(0,)]
    finally:
        session.close()
