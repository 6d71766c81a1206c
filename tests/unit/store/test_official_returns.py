"""The official return on a real vault: exact counts read from the stored records,
supervisor only, every look and every export audited (rules.md §10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.court import CourtRequest
from intake_app.domain.tracking import OrderNotice
from intake_app.store import Vault
from intake_app.store.errors import PermissionDenied
from tests.unit.store.records_support import audit_entries
from tests.unit.store.test_records import make_intake
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
)

DAY = dt.date(2026, 6, 10)  # fiscal year 2026


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(FAST_ENV, "1")
    folder = tmp_path / "data"
    make_vault(folder)
    with Vault.open(folder, SUPERVISOR, SUPERVISOR_PASS) as s:
        records = s.records
        first = make_intake(day=DAY, support_on=None)
        first.consultation.main_complaint = "spouse"
        case_id = records.save_intake(first).case_id
        again = make_intake(day=DAY + dt.timedelta(days=1))
        again.consultation.channel = "phone"
        again.consultation.main_complaint = "housing"
        again.shelter.requested = True
        records.save_intake(again, case_id=case_id)
        reported = make_intake("佐藤 恵", "サトウ メグミ", phone="090-2222-3333", day=DAY)
        reported.consultation.consulter = "agency"
        reported.consultation.report_source = "medical"
        reported.client.gender = "male"
        records.save_intake(reported)
        last_year = make_intake("鈴木 和子", "スズキ カズコ", phone="090-4444-5555")
        last_year.consultation.started_at = dt.datetime(2026, 3, 31, 10, 0)
        records.save_intake(last_year)
        t = s.tracking
        t.add_court_request(case_id, CourtRequest("さいたま地方裁判所", received_on=DAY), today=DAY)
        t.add_order(case_id, OrderNotice(DAY, DAY, ("approach_ban",)), today=DAY)
    return folder


def test_a_supervisor_reads_exact_counts_and_each_look_is_audited(data_dir: Path) -> None:
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as s:
        result = s.official_returns.year(2026)
        assert result.cell("dv_channels", "visit", 0) == 2
        assert result.cell("dv_channels", "phone", 0) == 1
        assert result.cell("dv_channels", "total", 1) == 1  # one from a man
        assert result.table("persons").row("total").values == (2, 3)  # 実人員, 延べ件数
        assert result.cell("main_complaint", "housing", 1) == 1
        assert result.cell("reports", "medical") == 1
        assert result.cell("court", "requests") == 1
        assert result.cell("court", "orders") == 1
        assert result.cell("shelter", "requested") == 1
        assert s.official_returns.year(2025).cell("persons", "total", 1) == 1
        s.official_returns.record_export(2026, "csv")
        entries = audit_entries(s)
    assert ("official_return_view", "FY2026") in entries
    assert ("official_return_export", "FY2026:csv") in entries


def test_a_counselor_is_refused(data_dir: Path) -> None:
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as s:
        with pytest.raises(PermissionDenied):
            s.official_returns.year(2026)
        with pytest.raises(PermissionDenied):
            s.official_returns.record_export(2026, "pdf")


def test_the_return_reads_the_narrow_index_only(data_dir: Path) -> None:
    """The wide consultation and case rows are not read for the return (covering indexes)."""
    from intake_app.store.official_returns import CONSULTATIONS_SQL

    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as s:
        with s.read("test.inspect") as conn:
            plan: Any = conn.execute("EXPLAIN QUERY PLAN " + CONSULTATIONS_SQL, (2026,)).fetchall()
    details = " ".join(str(r[3]) for r in plan)
    assert "COVERING INDEX consultations_official" in details
    assert "COVERING INDEX cases_id_client" in details
