"""Retention: exactly the closed cases past the period are destroyed, the audit keeps
only the case number and the date, and the chain still verifies afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.model import (
    Client,
    ConsultationInfo,
    Intake,
    Referral,
    Relationship,
    Violence,
)
from intake_app.store import retention
from intake_app.store.errors import PermissionDenied
from tests.unit.store.records_support import create_vault, open_vault, query

TODAY = dt.date(2026, 11, 25)


def intake(name: str, day: dt.date) -> Intake:
    return Intake(
        consultation=ConsultationInfo(
            kind="dv",
            started_at=dt.datetime.combine(day, dt.time(10)),
            channel="visit",
            counselor="相談員A",
        ),
        client=Client(name=name, kana="かな", age_group="30s", gender="female"),
        relationship=Relationship(type="legal_spouse", perpetrator_name="加害 太郎"),
        violence=Violence(types={"physical": "repeated"}),
        referrals=[
            Referral(
                destination_id="police",
                consent=True,
                consent_method="verbal",
                consent_at=dt.datetime.combine(day, dt.time(10)),
            )
        ],
    )


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    s = open_vault(data_dir)
    yield s
    s.close()


def make_cases(session: Any) -> dict[str, int]:
    """Cases closed at various dates around the five-year limit (2021-11-25)."""
    plan = {
        "old": dt.date(2019, 6, 1),  # closed 6+ years ago → eligible
        "just_over": dt.date(2021, 11, 24),  # one day past the limit → eligible
        "on_limit": dt.date(2021, 11, 25),  # exactly five years → kept
        "recent": dt.date(2024, 3, 1),  # kept
        "open": None,  # never closed → kept
    }
    ids = {}
    for label, closed in plan.items():
        saved = session.records.save_intake(intake(f"利用者{label}", dt.date(2019, 4, 10)))
        if closed is not None:
            session.records.close_case(saved.case_id, "支援終了", on=closed)
        ids[label] = saved.case_id
    return ids


def test_lists_and_destroys_exactly_the_eligible_cases(vault: Any) -> None:
    ids = make_cases(vault)
    listed = retention.eligible(vault, TODAY)
    assert [c.case_id for c in listed] == [ids["old"], ids["just_over"]]
    numbers = {c.case_id: c.case_number for c in listed}

    deleted = retention.destroy(vault, [c.case_id for c in listed], TODAY)
    assert deleted == 2
    # VACUUM and a truncating checkpoint: no old page image left in the WAL, no free page
    assert (vault.data_dir / "vault.db-wal").stat().st_size == 0
    assert query(vault, "PRAGMA freelist_count") == [(0,)]
    remaining = {r[0] for r in query(vault, "SELECT id FROM cases")}
    assert remaining == {ids["on_limit"], ids["recent"], ids["open"]}
    # everything hanging off the destroyed cases is gone, the rest is intact
    assert query(vault, "SELECT count(*) FROM consultations")[0][0] == 3
    assert query(vault, "SELECT count(*) FROM consultation_details")[0][0] == 3
    assert query(vault, "SELECT count(*) FROM violence")[0][0] == 3
    assert query(vault, "SELECT count(*) FROM referrals")[0][0] == 3
    assert query(vault, "SELECT count(*) FROM perpetrators")[0][0] == 3
    names = {r[0] for r in query(vault, "SELECT name FROM clients")}
    assert names == {"利用者on_limit", "利用者recent", "利用者open"}

    entries = query(
        vault,
        "SELECT object_id, detail FROM audit_log WHERE action = ? ORDER BY seq",
        (retention.DESTROY_ACTION,),
    )
    assert sorted(entries) == sorted((numbers[i], TODAY.isoformat()) for i in numbers)
    report = vault.verify()
    assert report.ok, report.problems
    assert retention.eligible(vault, TODAY) == []


def test_refuses_a_case_that_is_not_eligible(vault: Any) -> None:
    ids = make_cases(vault)
    with pytest.raises(retention.RetentionError):
        retention.destroy(vault, [ids["old"], ids["recent"]], TODAY)
    with pytest.raises(retention.RetentionError):
        retention.destroy(vault, [ids["open"]], TODAY)
    assert len(query(vault, "SELECT id FROM cases")) == 5  # a refusal deletes nothing
    assert query(vault, "SELECT count(*) FROM audit_log WHERE action = 'case_destroyed'") == [(0,)]


def test_the_period_comes_from_the_municipality_and_can_be_given(vault: Any) -> None:
    ids = make_cases(vault)
    assert retention.retention_years(vault) == 5
    three = [c.case_id for c in retention.eligible(vault, TODAY, years=2)]
    assert three == [ids["old"], ids["just_over"], ids["on_limit"], ids["recent"]]


def test_refuses_without_secure_delete(vault: Any) -> None:
    ids = make_cases(vault)
    with vault.read("test.setup") as conn:
        conn.execute("PRAGMA secure_delete = OFF")
    with pytest.raises(retention.RetentionError):
        retention.destroy(vault, [ids["old"]], TODAY)
    assert len(query(vault, "SELECT id FROM cases")) == 5


def test_a_counselor_cannot_list_or_destroy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    with open_vault(data_dir) as admin:
        ids = make_cases(admin)
        admin.users.add(
            "kato", "counselor", "ひまわり畑の向こうの小さな駅", kdf=kdf.KdfParams(1024, 1)
        )
    with Vault.open(data_dir, "kato", "ひまわり畑の向こうの小さな駅") as counselor:
        with pytest.raises(PermissionDenied):
            retention.eligible(counselor, TODAY)
        with pytest.raises(PermissionDenied):
            retention.destroy(counselor, [ids["old"]], TODAY)
    with open_vault(data_dir) as admin:
        assert len(query(admin, "SELECT id FROM cases")) == 5


def test_backup_reminder(vault: Any, tmp_path: Path) -> None:
    assert retention.backup_overdue(vault, TODAY)  # never backed up
    vault.backup(tmp_path / "backup1")
    today = dt.date.today()
    assert retention.last_backup_on(vault) == today
    assert not retention.backup_overdue(vault, today)
    assert not retention.backup_overdue(vault, today + dt.timedelta(days=7))
    assert retention.backup_overdue(vault, today + dt.timedelta(days=8))
    assert retention.backup_overdue(vault, today + dt.timedelta(days=3), days=2)
