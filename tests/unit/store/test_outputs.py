"""print and export_pdf are separate audit actions naming printer, copies and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.store import Vault, kdf
from intake_app.store.outputs import (
    EXPORT_PDF,
    PRINT,
    Output,
    clean_printer_name,
    output_detail,
    paper_recorder,
    record_output,
)


def test_detail_format() -> None:
    assert (
        output_detail(Output(PRINT, "1-2,4", 5, printer="office", copies=2))
        == "printer=office; copies=2; pages=1-2,4/5"
    )
    assert output_detail(Output(EXPORT_PDF, "1-3", 3)) == "pages=1-3/3"
    assert clean_printer_name("a;b=c\nd") == "a_b_c_d"
    assert clean_printer_name("") == "(名前なし)"
    assert len(clean_printer_name("x" * 500)) == 80


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    Vault.create(tmp_path, "sato", "correct horse battery", kdf=kdf.TEST_FAST)
    s = Vault.open(tmp_path, "sato", "correct horse battery")
    yield s
    s.close()


def rows(session, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    with session.read("test.inspect") as conn:
        return [tuple(r) for r in conn.execute(sql)]


def test_a_print_and_an_export_are_told_apart(session) -> None:  # type: ignore[no-untyped-def]
    record = paper_recorder(session, "referral_slip", None, "police")
    record(Output(PRINT, "1", 1, printer="office-laser", copies=3))
    record(Output(EXPORT_PDF, "1", 1))
    entries = rows(
        session,
        "SELECT action, object_id, detail FROM audit_log"
        " WHERE action IN ('print', 'export_pdf') ORDER BY seq",
    )
    assert entries == [
        ("print", "case:None:referral_slip", "printer=office-laser; copies=3; pages=1/1"),
        ("export_pdf", "case:None:referral_slip", "pages=1/1"),
    ]
    prints = rows(session, "SELECT case_id, kind, destination_id, user_id FROM prints")
    assert prints == [(None, "referral_slip", "police", session.user.id)]
    assert session.verify().ok  # the entries are part of the chain


def test_an_unknown_action_writes_nothing(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        record_output(session, Output("print_everything", "1", 1), "x")
    assert rows(session, "SELECT count(*) FROM prints") == [(0,)]
