"""The audit log read a page at a time with the supervisor's filters (store.audit_log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from intake_app.store import audit_log, retention
from intake_app.store.audit import AuditEntry, now_iso
from intake_app.store.errors import PermissionDenied
from tests.unit.store.records_support import USER, create_vault, open_vault


@pytest.fixture
def vault(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    create_vault(tmp_path / "data", monkeypatch)
    session = open_vault(tmp_path / "data")
    for n in (1, 2, 12, 120):
        session.audit("case.open", f"case:{n}")
    session.audit("print", "case:12:slip")
    session.audit("print", "case:120:slip")
    for _ in range(25):
        session.audit("search")
    yield session
    session.close()


def _all(session: Any, flt: audit_log.AuditFilter, limit: int) -> list[list[AuditEntry]]:
    pages, cursor = [], None
    while True:
        page = audit_log.page(session, flt, cursor, limit)
        pages.append(page.entries)
        if page.older is None:
            return pages
        cursor = page.older


def _today() -> audit_log.AuditFilter:
    today = dt.date.today()
    return audit_log.AuditFilter(today - dt.timedelta(days=1), today)


def test_pages_walk_the_whole_period_newest_first_each_entry_once(vault: Any) -> None:
    with vault.read("test.inspect") as conn:
        stored = [r[0] for r in conn.execute("SELECT seq FROM audit_log ORDER BY seq DESC")]
    pages = _all(vault, _today(), 7)
    seen = [e.seq for page in pages for e in page]
    # the newest is the entry of that inspecting read; the reads of the pages are
    # audited after each page, so a page never shows its own read
    assert seen == [stored[0] + 1, *stored]
    assert all(len(page) == 7 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 7


def test_filters_user_action_and_object_with_its_parts(vault: Any) -> None:
    flt = _today()
    only = audit_log.page(vault, audit_log.AuditFilter(flt.start, flt.end, action="print"))
    assert {e.object_id for e in only.entries} == {"case:12:slip", "case:120:slip"}
    mine = audit_log.page(vault, audit_log.AuditFilter(flt.start, flt.end, user_name=USER))
    assert mine.entries and {e.user_name for e in mine.entries} == {USER}
    nobody = audit_log.page(vault, audit_log.AuditFilter(flt.start, flt.end, user_name="x"))
    assert nobody.entries == [] and nobody.older is None
    case = audit_log.page(vault, audit_log.AuditFilter(flt.start, flt.end, object_id="case:12"))
    # case:12 and its print, never case:120 or case:1
    assert [e.object_id for e in case.entries] == ["case:12:slip", "case:12"]


def test_the_period_is_whole_local_days(vault: Any) -> None:
    today = dt.date.today()
    yesterday = audit_log.AuditFilter(today - dt.timedelta(days=2), today - dt.timedelta(days=1))
    assert audit_log.page(vault, yesterday).entries == []
    low, high = _today().bounds()
    assert low < now_iso() < high
    start = dt.datetime.fromisoformat(low).astimezone()
    assert (start.hour, start.minute, start.date()) == (0, 0, today - dt.timedelta(days=1))


def test_filter_choices_and_export(vault: Any) -> None:
    users, actions = audit_log.filter_choices(vault)
    assert users == [USER]
    assert {"case.open", "print", "search", "unlock", "vault_create"} <= set(actions)
    assert actions == sorted(actions)
    everything = audit_log.all_entries(vault, _today())
    assert len({e.seq for e in everything}) == len(everything) > 30


def test_counselors_cannot_read_the_log(vault: Any, tmp_path: Any) -> None:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    vault.users.add("kato", "counselor", "ひまわり畑の向こうの小さな駅", kdf=kdf.KdfParams(1024, 1))
    vault.close()
    with Vault.open(tmp_path / "data", "kato", "ひまわり畑の向こうの小さな駅") as counselor:
        for read in (
            lambda: audit_log.page(counselor, _today()),
            lambda: audit_log.filter_choices(counselor),
            lambda: audit_log.all_entries(counselor, _today()),
            lambda: retention.eligible_page(counselor, dt.date.today()),
        ):
            with pytest.raises(PermissionDenied):
                read()


def test_retention_pages_follow_the_eligible_list(vault: Any) -> None:
    from intake_app.store import synthetic

    items = [i.intake for i in synthetic.generate(9, seed=2, follow_up_rate=0.0)]
    saved = vault.records.save_intakes([(i, None) for i in items])
    for n, s in enumerate(saved):
        vault.records.close_case(s.case_id, "支援終了", on=dt.date(2015, 1 + n % 3, 1))
    today = dt.date(2026, 1, 1)
    everything = retention.eligible(vault, today)
    pages, after = [], None
    while True:
        page = retention.eligible_page(vault, today, after, limit=4)
        assert page.total == len(everything) == 9
        pages.append(page.candidates)
        if not page.more:
            break
        after = page.candidates[-1]
    assert [c for p in pages for c in p] == everything
    assert [len(p) for p in pages] == [4, 4, 1]
