"""Statistics on a real vault, checked against counts made here from the generated
Intake objects (plain Python over the dataclasses, not the statistics SQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.japanese import fiscal_year
from intake_app.domain.model import Intake
from intake_app.domain.statistics.figures import UNKNOWN, month_index
from intake_app.store import outcomes, synthetic
from intake_app.store.errors import PermissionDenied
from tests.unit.store.records_support import create_vault, open_vault

FY = 2023
COUNT = 360


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Intake]]:
    data_dir = tmp_path_factory.mktemp("stats") / "data"
    with pytest.MonkeyPatch.context() as mp:
        create_vault(data_dir, mp)
        intakes = [
            item.intake
            for item in synthetic.generate(
                COUNT, seed=11, first_fiscal_year=2021, years=3, follow_up_rate=0.0
            )
        ]
        session = open_vault(data_dir)
        try:
            session.records.save_intakes([(i, None) for i in intakes])
        finally:
            session.close()
    return data_dir, intakes


@pytest.fixture
def session(filled: tuple[Path, list[Intake]], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    s = open_vault(filled[0])
    yield s
    s.close()


def _day(intake: Intake) -> dt.date:
    assert intake.consultation.started_at is not None
    return intake.consultation.started_at.date()


def expected(intakes: list[Intake], municipality: Any) -> dict[str, Counter[tuple[str, int]]]:
    """(table, row key, fiscal month index) counts for FY, from the dataclasses."""
    out: dict[str, Counter[tuple[str, int]]] = {}

    def add(table: str, key: str | None, m: int) -> None:
        out.setdefault(table, Counter())[(key or UNKNOWN, m)] += 1

    for intake in intakes:
        day = _day(intake)
        if fiscal_year(day) != FY:
            continue
        m = (day.month - 4) % 12
        add("total", "all", m)
        add("kind", intake.consultation.kind, m)
        add("channel", intake.consultation.channel, m)
        add("relationship", intake.relationship.type, m)
        add("age_group", intake.client.age_group, m)
        add("gender", intake.client.gender, m)
        for vtype in intake.violence.types:
            add("violence", vtype, m)
        result = outcomes.evaluate(intake, municipality, day)
        man = intake.client.gender == "male"  # a man's stay is 緊急一時避難 (§9.9)
        if result.shelter_recommendation in ("immediate", "recommend"):
            add(*(("emergency_stay", "men_recommended") if man else ("shelter", "recommended")), m)
        if intake.shelter.requested:
            add(*(("emergency_stay", "men_requested") if man else ("shelter", "requested")), m)
        if result.po_eligible:
            add("protection_order", "eligible", m)
        if intake.protection_order.client_intention == "apply":
            add("protection_order", "apply", m)
        if intake.address.support_measure_applied:
            add("support_measure", "applied", m)
        if result.child_notification_required:
            add("child_notification", "required", m)
        if intake.household.child_notification is not None:
            add("child_notification", "notified", m)
        for referral in intake.referrals:
            add("referral", referral.destination_id, m)
    return out


def test_year_matches_independent_counts(session: Any, filled: tuple[Path, list[Intake]]) -> None:
    intakes = filled[1]
    stats = session.stats.year(FY)
    want = expected(intakes, session.municipality)
    assert stats.total.total == sum(1 for i in intakes if fiscal_year(_day(i)) == FY) > 50
    for table in stats.tables:
        got = Counter(
            {(row.key, m): n for row in table.rows for m, n in enumerate(row.months) if n}
        )
        assert got == want.get(table.key, Counter()), table.key
    # the exclusive tables add up to the total in every month
    for key in ("kind", "channel", "relationship", "age_group", "gender"):
        for m in range(12):
            assert sum(r.months[m] for r in stats.table(key).rows) == stats.total.months[m]
    # a non-trivial fixture: the counted columns are actually exercised
    assert stats.table("violence").row("physical").total > 0
    assert stats.table("referral").rows and stats.table("shelter").row("recommended").total > 0
    men = sum(1 for i in intakes if fiscal_year(_day(i)) == FY and i.client.gender == "male")
    assert men and stats.table("emergency_stay").row("men_recommended").total > 0


def test_series_counts_dv_and_kokoro_per_fiscal_year(
    session: Any, filled: tuple[Path, list[Intake]]
) -> None:
    stats = session.stats.year(FY)
    by_year: Counter[tuple[int, str]] = Counter(
        (fiscal_year(_day(i)), i.consultation.kind) for i in filled[1]
    )
    assert [yc.fiscal_year for yc in stats.series] == [2019, 2020, 2021, 2022, 2023]
    for yc in stats.series:
        assert yc.dv == by_year[(yc.fiscal_year, "dv")]
        assert yc.kokoro == by_year[(yc.fiscal_year, "kokoro")]
        assert yc.other == by_year[(yc.fiscal_year, "other_difficulty")]
    assert stats.series[-1].dv > 0 and stats.series[0].total == 0


def test_month_of_the_fiscal_year() -> None:
    assert month_index(4) == 0 and month_index(3) == 11 and month_index(1) == 9


def test_reading_statistics_is_audited(session: Any) -> None:
    session.stats.year(FY)
    with session.read("test.inspect") as conn:
        rows = conn.execute(
            "SELECT action, object_id FROM audit_log WHERE action = 'stats_view'"
        ).fetchall()
    assert ("stats_view", f"FY{FY}") in [tuple(r) for r in rows]


def test_a_counselor_cannot_read_statistics(
    filled: tuple[Path, list[Intake]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    fast = kdf.KdfParams(memory_kib=1024, iterations=1)
    with open_vault(filled[0]) as admin:
        if "kato" not in [u.name for u in admin.users.list()]:
            admin.users.add("kato", "counselor", "ひまわり畑の向こうの小さな駅", kdf=fast)
    with Vault.open(filled[0], "kato", "ひまわり畑の向こうの小さな駅") as counselor:
        with pytest.raises(PermissionDenied):
            counselor.stats.year(FY)
        with pytest.raises(PermissionDenied):
            counselor.stats.fiscal_years()
