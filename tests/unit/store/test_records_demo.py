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


def _destination_ids(path: Path) -> set[str]:
    from intake_app.domain.municipality import load_municipality

    return {d.id for d in load_municipality(path).destinations}


def test_every_referral_of_a_generated_vault_names_a_destination_of_warabi_toml(
    vault: Any,
) -> None:
    from intake_app.commands.demo import fill

    fill(vault, 600, seed=7)
    used = {row[0] for row in query(vault, "SELECT DISTINCT destination_id FROM referrals")}
    known = _destination_ids(ROOT / "intake_app" / "resources" / "municipality" / "warabi.toml")
    assert len(used) >= 5  # referrals spread over the city's destinations
    assert used <= known, used - known
    (notified,) = query(vault, "SELECT DISTINCT destination_id FROM referrals WHERE mandatory = 1")
    assert notified[0] in known


def test_another_citys_file_gives_its_own_destination_ids(tmp_path: Path) -> None:
    from intake_app.domain.municipality import load_municipality

    text = (ROOT / "intake_app" / "resources" / "municipality" / "warabi.toml").read_text("utf-8")
    for old in ("pref_centre", "kodomo_mirai", "police", "seikatsu_shien"):
        text = text.replace(f'id = "{old}"', f'id = "other_{old}"')
    text = text.replace('"kodomo_mirai"]', '"other_kodomo_mirai"]')  # a 支援措置 place's department
    path = tmp_path / "othertown.toml"
    path.write_text(text.replace('name = "蕨市"', 'name = "架空町"', 1), "utf-8")
    city = load_municipality(path)
    items = list(generate(400, seed=2, min_gap=50, municipality=city))
    used = {r.destination_id for i in items for r in i.intake.referrals}
    assert "other_kodomo_mirai" in used and "other_pref_centre" in used
    assert used <= _destination_ids(path)
    assert all(
        i.intake.client.address.startswith("架空町") for i in items if i.intake.client.address
    )


def test_two_runs_on_a_fresh_vault_add_up_and_mark_it_as_training(vault: Any) -> None:
    from intake_app.commands.demo import fill

    assert vault.is_training() is False
    assert fill(vault, 30, seed=1) == 30
    assert vault.is_training() is True
    assert fill(vault, 20, seed=2) == 20
    assert query(vault, "SELECT count(*) FROM consultations") == [(50,)]
    assert query(vault, "SELECT value FROM meta WHERE key = 'training'") == [("1",)]


def test_a_vault_with_a_real_consultation_is_refused_and_not_marked(vault: Any) -> None:
    from intake_app.commands.demo import fill
    from intake_app.store.training import RealRecordsPresent

    real = next(generate(1, seed=9)).intake
    vault.records.save_intake(real)
    with pytest.raises(RealRecordsPresent) as refused:
        fill(vault, 10, seed=1)
    assert "実際の相談記録があります" in refused.value.message
    assert query(vault, "SELECT count(*) FROM consultations") == [(1,)]
    assert vault.is_training() is False


def test_a_vault_with_only_a_draft_is_refused(vault: Any) -> None:
    from intake_app.commands.demo import fill
    from intake_app.store.training import RealRecordsPresent

    vault.records.save_draft(next(generate(1, seed=9)).intake, step=2)
    with pytest.raises(RealRecordsPresent):
        fill(vault, 10, seed=1)
    assert query(vault, "SELECT count(*) FROM consultations") == [(0,)]


def test_demo_data_fills_what_the_cases_follow_and_the_official_return(vault: Any) -> None:
    """Issue 18: the training vault shows home's 確認・期限 lines, the 通報 and 主訴 of the
    official return, and every kind of tracking record."""
    import datetime as dt

    from intake_app.commands.demo import _TrainingSession, fill
    from intake_app.store.demo_tracking import fill_tracking

    fill(vault, 800, seed=1)
    assert fill_tracking(_TrainingSession(vault), seed=1) > 0
    for table in ("support_measure_checks", "pursuit_entries", "court_requests", "court_orders"):
        assert query(vault, f"SELECT count(*) > 0 FROM {table}") == [(1,)], table
    assert query(
        vault, "SELECT count(*) > 0 FROM support_measure_checks WHERE confirmed_on IS NOT NULL"
    ) == [(1,)]
    assert query(
        vault, "SELECT count(*) > 0 FROM shelter_outcomes WHERE status <> 'requested'"
    ) == [(1,)]
    kinds = {i.kind for i in vault.records.home(dt.date.today()).tracking}
    assert {"measure_unconfirmed", "pursuit_police", "court_report", "order_end"} <= kinds
    assert query(
        vault, "SELECT count(*) > 0 FROM consultations WHERE report_source IS NOT NULL"
    ) == [(1,)]
    assert query(
        vault, "SELECT count(*) > 0 FROM consultations WHERE main_complaint IS NOT NULL"
    ) == [(1,)]
    assert vault.is_training() is True
