"""Query plans that keep the supervisor's screens fast on a decade of records.

Every query of the year's statistics, the list of fiscal years, the audit tab's pages
(each filter, first and later pages) and the retention list is captured as it runs on
a real vault and explained (EXPLAIN QUERY PLAN): none may sort in a temporary B-tree
(under ``cipher_memory_security`` each sorted row costs a wiped allocation) and none
may scan a whole table or index of the records or of the audit log. Timings are the
benchmarks' business (bench/stats.py, bench/audit.py); the plans are checked here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.store import audit_log, retention, synthetic
from intake_app.store.stats import fiscal_years, year_stats
from tests.unit.store.records_support import create_vault, open_vault

BIG_TABLES = ("consultations", "violence", "referrals", "audit_log", "cases", "needs")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans") / "data"
    with pytest.MonkeyPatch.context() as mp:
        create_vault(folder, mp)
        session = open_vault(folder)
        try:
            items = synthetic.generate(120, seed=3, follow_up_rate=0.0)
            saved = session.records.save_intakes([(i.intake, None) for i in items])
            session.records.close_case(saved[0].case_id, "支援終了", on=dt.date(2015, 5, 1))
            session.records.open_case(saved[1].case_id)
        finally:
            session.close()
    return folder


@pytest.fixture
def session(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    s = open_vault(data_dir)
    yield s
    s.close()


def plans_of(session: Any, run: Callable[[Any], object]) -> dict[str, list[str]]:
    """The plan of every SELECT that ``run(conn)`` executes (parameters expanded)."""
    statements: list[str] = []
    with session.read("test.plans") as conn:
        conn.set_trace_callback(statements.append)
        try:
            run(conn)
        finally:
            conn.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert selects, "the queries ran"
        return {
            sql: [str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
            for sql in selects
        }


def assert_streamed(plans: dict[str, list[str]]) -> None:
    for sql, plan in plans.items():
        assert not [p for p in plan if "TEMP B-TREE" in p], (sql, plan)
        scans = [p for p in plan if p.startswith("SCAN") and p.split()[1] in BIG_TABLES]
        assert not scans, (sql, plan)


def test_year_statistics_stream_every_group_from_an_index(session: Any) -> None:
    year = dt.date.today().year - 1
    plans = plans_of(session, lambda conn: year_stats(conn, year))
    assert len(plans) >= 10  # total, five breakdowns, violence, indicators, 申立て, referrals, 図1
    assert_streamed(plans)
    by_index = " ".join(" ".join(p) for p in plans.values())
    for index in (
        "consultations_channel_month",
        "consultations_relationship_month",
        "consultations_age_group_month",
        "consultations_gender_month",
        "referrals_stats_month",
        "consultations_po_intention_month",
    ):
        assert index in by_index, index


def test_fiscal_years_are_index_lookups_not_a_scan(session: Any) -> None:
    plans = plans_of(session, fiscal_years)
    assert_streamed(plans)
    (plan,) = plans.values()
    assert any("SEARCH consultations" in p and "fiscal_year<?" in p for p in plan), plan
    with session.read("test.years") as conn:
        years = fiscal_years(conn)
        distinct = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT fiscal_year FROM consultations ORDER BY 1 DESC"
            ).fetchall()
        ]
    assert years == distinct and len(years) >= 2


FILTERS = {
    "dates": {},
    "user": {"user_name": "tanaka"},
    "action": {"action": "case.open"},
    "user and action": {"user_name": "tanaka", "action": "intake.save_batch"},
    "object": {"object_id": "case:2"},
}


@pytest.mark.parametrize("name", FILTERS)
def test_audit_pages_are_index_ranges_in_time_order(session: Any, name: str) -> None:
    today = dt.date.today()
    flt = audit_log.AuditFilter(today - dt.timedelta(days=3650), today, **FILTERS[name])
    cursor = audit_log.Cursor(dt.datetime.now(dt.UTC).isoformat(), 10**9)

    def pages(conn: Any) -> None:
        audit_log.read_page(conn, flt)
        audit_log.read_page(conn, flt, cursor)

    plans = plans_of(session, pages)
    if name == "object":
        # one object's entries and its parts' (case:2, case:2:slip …): the history of one
        # case, a few hundred entries at most, merged and sorted by time
        plans = {
            sql: [p for p in plan if p != "USE TEMP B-TREE FOR ORDER BY"]
            for sql, plan in plans.items()
        }
        assert all(
            sum("USING INDEX audit_log_object_at" in p for p in plan) == 2
            for plan in plans.values()
        ), plans
    assert_streamed(plans)
    for sql, plan in plans.items():
        assert any("audit_log_" in p for p in plan), (sql, plan)


def test_audit_filter_choices_jump_through_the_indexes(session: Any) -> None:
    plans = plans_of(
        session,
        lambda conn: (
            audit_log.distinct_values(conn, "user_name"),
            audit_log.distinct_values(conn, "action"),
        ),
    )
    assert_streamed(plans)


def test_retention_pages_read_the_closed_cases_index(session: Any) -> None:
    first = retention.Candidate(1, "2015-0001", dt.date(2015, 5, 1))

    def pages(conn: Any) -> None:
        limit = "2021-01-01"
        conn.execute(retention._PAGE_SQL, (limit, "", "", 0, 101)).fetchall()
        conn.execute(
            retention._PAGE_SQL, (limit, "2015-05-01", "2015-05-01", first.case_id, 101)
        ).fetchall()
        conn.execute(retention._COUNT_SQL, (limit,)).fetchall()

    plans = plans_of(session, pages)
    assert_streamed(plans)
    assert all(any("cases_status_closed" in p for p in plan) for plan in plans.values()), plans


def test_year_counts_follow_every_insert_and_deletion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """図1 reads consultation_year_counts, which triggers keep equal to the table."""
    create_vault(tmp_path / "data", monkeypatch)
    session = open_vault(tmp_path / "data")

    def counted() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        with session.read("test.counts") as conn:
            kept = conn.execute(
                "SELECT fiscal_year, kind, count FROM consultation_year_counts"
                " WHERE count > 0 ORDER BY 1, 2"
            ).fetchall()
            actual = conn.execute(
                "SELECT fiscal_year, kind, count(*) FROM consultations GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
        return [tuple(r) for r in kept], [tuple(r) for r in actual]

    try:
        items = [i.intake for i in synthetic.generate(60, seed=4, follow_up_rate=0.0)]
        saved = session.records.save_intakes([(i, None) for i in items])
        kept, actual = counted()
        assert kept == actual and sum(r[2] for r in kept) == 60
        for s in saved[:7]:
            session.records.close_case(s.case_id, "支援終了", on=dt.date(2015, 5, 1))
        assert retention.destroy(session, [s.case_id for s in saved[:7]], dt.date(2026, 1, 1)) == 7
        kept, actual = counted()
        assert kept == actual and sum(r[2] for r in kept) == 53
    finally:
        session.close()
