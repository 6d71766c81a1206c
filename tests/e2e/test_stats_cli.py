"""`intake-app stats` as a supervisor runs it, and the refusal a counselor gets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest

from tests.e2e.test_vault_cli import COUNSELOR, COUNSELOR_PASS, SUPERVISOR, SUPERVISOR_PASS, cli


def _fy_now() -> int:
    today = dt.date.today()
    return today.year if today.month >= 4 else today.year - 1


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stats-cli") / "data"
    assert (
        cli(
            folder, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS + "\n"
        ).returncode
        == 0
    )
    added = cli(
        folder,
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
    demo = cli(
        folder,
        "demo-data",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--count",
        "500",
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert demo.returncode == 0, demo.stderr
    return folder


def test_supervisor_exports_suppressed_csv(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    fy = _fy_now() - 1
    done = cli(
        data_dir,
        "stats",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--fiscal-year",
        str(fy),
        "--format",
        "csv",
        "--out",
        str(out),
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][0].startswith("令和") and f"（{fy}年度）" in rows[0][0]
    total = next(r for r in rows if r[:2] == ["相談件数（のべ）", "総数"])
    assert int(total[-1]) > 20
    cells = [c for r in rows[2:] if len(r) > 2 and r[0] != "注" and r[0] != "表" for c in r[2:]]
    assert cells and all(c not in ("1", "2") for c in cells)
    assert any(c == "<3" for c in cells) or all(c.isdigit() for c in cells)
    assert "山" not in out.read_text(encoding="utf-8-sig")  # no names in an aggregate


def test_supervisor_gets_a_pdf_on_stdout(data_dir: Path) -> None:
    import subprocess
    import sys

    from tests.e2e.test_vault_cli import ROOT, _env

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake_app",
            "--data-dir",
            str(data_dir),
            "stats",
            "--user",
            SUPERVISOR,
            "--passphrase-stdin",
            "--fiscal-year",
            str(_fy_now()),
            "--format",
            "pdf",
        ],
        input=(SUPERVISOR_PASS + "\n").encode(),
        capture_output=True,
        env=_env(),
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"%PDF-")


def test_counselor_is_refused_in_japanese(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = cli(
        data_dir,
        "stats",
        "--user",
        COUNSELOR,
        "--passphrase-stdin",
        "--fiscal-year",
        str(_fy_now()),
        "--format",
        "csv",
        "--out",
        str(out),
        stdin=COUNSELOR_PASS + "\n",
    )
    assert done.returncode != 0
    assert "管理者" in done.stderr
    assert not out.exists() and done.stdout == ""


def test_wrong_passphrase_and_bad_year(data_dir: Path) -> None:
    done = cli(
        data_dir,
        "stats",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--fiscal-year",
        "2024",
        "--format",
        "csv",
        stdin="not the passphrase at all\n",
    )
    assert done.returncode != 0 and "パスフレーズ" in done.stderr
    done = cli(
        data_dir,
        "stats",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--fiscal-year",
        "24",
        "--format",
        "csv",
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert done.returncode == 2 and "年度" in done.stderr


@pytest.mark.parametrize("years_back", [0, 1])
def test_no_small_count_can_be_worked_out_from_the_csv(data_dir: Path, years_back: int) -> None:
    """The outsider's interval narrowing over every sum finds no 1 or 2 in the export."""
    from tests.unit.domain.statistics_support import attack, read_csv

    fy = _fy_now() - years_back
    done = cli(
        data_dir,
        "stats",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--fiscal-year",
        str(fy),
        "--format",
        "csv",
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert done.returncode == 0, done.stderr
    data = done.stdout.encode("utf-8")
    grid, year, k = read_csv(data)
    hidden = [k for k, text in grid.items() if not text.isdigit()]
    assert any(grid[k] == "<3" for k in hidden)  # the demo year does have small cells
    bounds = attack(grid, year, k)
    pinned = [k for k in hidden if bounds[k][0] == bounds[k][1] and grid[k] == "<3"]
    assert pinned == []
    # nor a withheld "x" narrowed to a single value of 1 or 2
    assert not [k for k in hidden if bounds[k][0] == bounds[k][1] and 0 < bounds[k][0] < 3]


def test_threshold_below_three_is_refused(data_dir: Path) -> None:
    done = cli(
        data_dir,
        "stats",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        "--fiscal-year",
        str(_fy_now()),
        "--format",
        "csv",
        "--suppress-below",
        "2",
        stdin=SUPERVISOR_PASS + "\n",
    )
    assert done.returncode == 2
    assert "3 以上" in done.stderr and done.stdout == ""
