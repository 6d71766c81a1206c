"""The migration that adds the 支援措置's notified date and start (rules.md §9.11) and the
protection-order state (判断待ち, §8.8): a vault saved before it keeps its rows, and every
row it had counts the year from the application date, as it was saved."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from intake_app import paths
from intake_app.store import Vault
from intake_app.store import migrations as migrations_mod
from tests.unit.store.test_records import TODAY, make_intake
from tests.unit.store.vault_helpers import FAST_ENV, SUPERVISOR, SUPERVISOR_PASS, make_vault

NAME = "_decision_dates.sql"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def test_rows_saved_before_keep_their_year_and_have_no_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = paths.migrations_dir()
    (migration,) = [m for m in migrations_mod.available(real) if m.path.name.endswith(NAME)]
    before = tmp_path / "before"
    before.mkdir()
    for m in migrations_mod.available(real):
        if m.version < migration.version:
            shutil.copy(m.path, before / m.path.name)
    monkeypatch.setattr(paths, "migrations_dir", lambda: before)
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    applied = TODAY - dt.timedelta(days=100)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("test.old_rows") as conn:
            conn.execute(
                "INSERT INTO clients (name, kana, name_norm, kana_norm, phone_digits,"
                " anonymous, created_at, updated_at) VALUES ('', '', '', '', '', 1, '', '')"
            )
            conn.execute(
                "INSERT INTO cases (case_number, client_id, do_not_disclose, counter_note,"
                " opened_on, last_consulted_on, updated_at) VALUES ('old-1', 1, 0, '',"
                " ?, ?, '')",
                (applied.isoformat(), applied.isoformat()),
            )
            conn.execute(
                "INSERT INTO support_measures (case_id, applied_on, expires_on)"
                " VALUES (1, ?, '2027-01-01')",
                (applied.isoformat(),),
            )

    monkeypatch.setattr(paths, "migrations_dir", lambda: real)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.read("test.inspect") as conn:
            row = conn.execute(
                "SELECT applied_on, notified_on, start_on, expires_on FROM support_measures"
            ).fetchone()
        assert tuple(row) == (applied.isoformat(), None, applied.isoformat(), "2027-01-01")
        # a new save keeps the protection-order state next to the old columns
        saved = session.records.save_intake(make_intake(day=TODAY))
        decisions = session.records.open_case(saved.case_id, today=TODAY).decisions
        assert [d.po_state for d in decisions] == ["pending"]
        with session.read("test.inspect") as conn, pytest.raises(Exception, match="CHECK"):
            conn.execute(
                "UPDATE protection_order_advice SET state = 'maybe'"
            )  # only the three states
