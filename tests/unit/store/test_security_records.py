"""security.md items 1, 4, 5 and 8 for the records, on the real vault."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from intake_app.domain.japanese import normalize_kana
from intake_app.domain.model import Child, ChildNotification, Intake, Referral
from intake_app.store import outcomes
from intake_app.store.errors import DiskFull
from intake_app.store.records import RecordNotFound, write
from intake_app.store.synthetic import generate
from tests.unit.store.fakes import FakeSession
from tests.unit.store.records_support import create_vault, open_vault, query, vault

__all__ = ["vault"]

ROOT = Path(__file__).resolve().parents[3]
ASCII_CANARY = "QZXCANARY7731"
JAPANESE_CANARY = "秘匿カナリア蕨試験"
KANA_CANARY = "ヒトクカナリアワラビ"  # for the fields that must be kana
CANARIES = (ASCII_CANARY, JAPANESE_CANARY, KANA_CANARY)


# --- item 1: no plaintext at rest ----------------------------------------------------------


def fill_text(obj: Any, text: str) -> None:
    """Set every str and list[str] field of a dataclass tree to ``text``."""
    hints = get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        tp = hints[f.name]
        value = getattr(obj, f.name)
        if tp is str or tp == (str | None):
            setattr(obj, f.name, text)
        elif get_origin(tp) is list and get_args(tp) == (str,):
            setattr(obj, f.name, [text, text + "2"])
        elif dataclasses.is_dataclass(value):
            fill_text(value, text)
        elif isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item):
                    fill_text(item, text)


def canary_intake(text: str, day: dt.date = dt.date(2026, 11, 20)) -> Intake:
    intake = Intake()
    intake.consultation.started_at = dt.datetime.combine(day, dt.time(10))
    intake.household.children = [Child(age=4, lives_with_client=True, witnessed_violence=True)]
    intake.household.child_notification = ChildNotification()
    intake.referrals = [Referral(consent=True)]
    intake.risk.answers = {"R01": True}
    intake.risk.judgement = "urgent"
    fill_text(intake, text)
    intake.consultation.kind = "dv"
    intake.risk.checklist_version = "risk-v1"  # a code, not free text
    intake.consultation.channel = "visit"
    intake.consultation.report_source = None  # ids of the settings' lists, not free text
    intake.consultation.main_complaint = "spouse"
    intake.client.safe_contact.phone = "090-7731-0000"
    # checked fields get what the validation accepts, still carrying a canary
    intake.client.kana = KANA_CANARY
    intake.relationship.perpetrator_kana = KANA_CANARY
    intake.household.child_notification.notified_at = intake.consultation.started_at
    intake.client.safe_contact.email = f"{text}@example.jp"
    intake.referrals = [
        Referral(
            destination_id="police",
            purpose=text,
            fields=["client.name"],
            consent=True,
            consent_method="verbal",
            consent_at=intake.consultation.started_at,
        )
    ]
    return intake


def patterns(canaries: Iterable[str] = CANARIES) -> dict[str, bytes]:
    """The bytes to look for: each canary and its search key, in UTF-8 and UTF-16."""
    out: dict[str, bytes] = {}
    for canary in canaries:
        for variant in {canary, normalize_kana(canary)}:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                out[f"{variant}/{encoding}"] = variant.encode(encoding)
    return out


def leaks(
    folder: Path, canaries: Iterable[str] = CANARIES, *, exclude: Iterable[Path] = ()
) -> list[str]:
    """Every (file, pattern) where a canary's bytes appear under ``folder``.

    ``exclude``: files written on purpose (an explicit PDF export), not scanned."""
    found = []
    skip = {p.resolve() for p in exclude}
    wanted = patterns(canaries)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.resolve() in skip:
            continue
        data = path.read_bytes()
        found += [f"{path.name}: {name}" for name, raw in wanted.items() if raw in data]
    return found


def write_canaries_everywhere(session: Any, text: str) -> None:
    r = session.records
    saved = r.save_intake(canary_intake(text))
    r.save_intake(canary_intake(text), case_id=saved.case_id)
    draft = r.save_draft(canary_intake(text), step=3)
    r.save_draft(canary_intake(text + "更新"), step=4, draft_id=draft)
    r.save_draft(canary_intake(text), step=1)
    r.add_follow_up(saved.case_id, dt.date(2026, 12, 1), text)
    r.close_case(saved.case_id, text)
    r.reopen_case(saved.case_id, text)
    r.record_print("referral_slip", saved.case_id, "police")
    assert r.search(text)  # the canary went through the search fields
    assert r.search_perpetrator(text)


def test_scanner_catches_canaries_in_a_plain_sqlite_file(tmp_path: Path) -> None:
    """Negative control: the same writes on plain SQLite are found, in every encoding."""
    plain = FakeSession(tmp_path / "plain.db")
    write_canaries_everywhere(plain, ASCII_CANARY + JAPANESE_CANARY)
    plain.close()
    found = leaks(tmp_path)
    assert any(ASCII_CANARY in f and "utf-8" in f for f in found)
    assert any(JAPANESE_CANARY in f and "utf-8" in f for f in found)
    utf16 = sqlite3.connect(tmp_path / "utf16.db")
    utf16.execute("PRAGMA encoding = 'UTF-16le'")
    utf16.execute("CREATE TABLE t (x TEXT)")
    utf16.execute("INSERT INTO t VALUES (?)", (JAPANESE_CANARY,))
    utf16.commit()
    utf16.close()
    assert f"utf16.db: {JAPANESE_CANARY}/utf-16-le" in leaks(tmp_path)


def test_no_canary_at_rest_mid_transaction_after_commit_checkpoint_and_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    session = open_vault(data_dir)
    text = ASCII_CANARY + JAPANESE_CANARY
    write_canaries_everywhere(session, text)
    assert leaks(data_dir) == []

    # A large transaction spills pages into the WAL before it commits.
    wal = data_dir / "vault.db-wal"
    size_before = wal.stat().st_size if wal.exists() else 0
    with session.transaction("test.bulk") as conn:
        conn.execute("PRAGMA cache_size = 20")
        for i in range(150):
            intake = canary_intake(f"{text}{i}")
            decided = outcomes.evaluate(intake, session.municipality, dt.date.today())
            write.insert_intake(conn, intake, None, decided, session.user.id)
        assert wal.stat().st_size > size_before  # the scan below reads real spilled pages
        assert leaks(data_dir) == []
    assert leaks(data_dir) == []

    from intake_app.store import migrations

    migrations.backup_copy(  # the copy taken before a schema migration
        session._require(), data_dir / "vault.db", data_dir / "vault.keys", version=2
    )
    assert list((data_dir / "backups").iterdir())
    backup = tmp_path / "backup"
    session.backup(backup)  # intake-app backup
    assert sum(p.stat().st_size for p in backup.iterdir()) > 100_000
    assert leaks(backup) == []
    session.close()  # the last connection checkpoints the WAL into the database
    assert (data_dir / "vault.db").stat().st_size > 100_000
    assert leaks(data_dir) == []
    # and the canaries really are in there, readable with the key
    session = open_vault(data_dir)
    try:
        assert len(session.records.search(text)) >= 2
        assert query(session, "SELECT count(*) FROM consultations") == [(152,)]
    finally:
        session.close()


# --- item 4: kill -9 at random moments ---------------------------------------------------------


@pytest.mark.slow
def test_kill_9_rounds_keep_every_acknowledged_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    rng = random.Random(4)
    acked_saves: dict[int, int] = {}
    acked_draft: dict[int, int] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rounds = 20
    for round_no in range(rounds):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.store.records_writer", str(data_dir), str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the writer is up and has written
        assert first.startswith("D "), first
        time.sleep(rng.uniform(0.0, 0.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for line in [first, *proc.stdout.read().splitlines()]:
            kind, a, b = line.split()
            if kind == "S":
                acked_saves[int(a)] = int(b)
            else:
                acked_draft[int(a)] = max(acked_draft.get(int(a), -1), int(b))
        proc.stdout.close()

    session = open_vault(data_dir)
    try:
        report = session.verify()  # cipher_integrity_check, integrity_check, audit chain
        assert report.ok, report.problems
        rows = dict(query(session, "SELECT id, case_id FROM consultations"))
        missing = {cid for cid in acked_saves if rows.get(cid) != acked_saves[cid]}
        assert not missing
        assert len(acked_saves) > rounds  # the rounds really did write
        for draft_id, version in acked_draft.items():
            assert session.records.load_draft(draft_id).data["version"] >= version
        details = query(
            session,
            "SELECT count(*) FROM consultations c"
            " LEFT JOIN consultation_details d ON d.consultation_id = c.id"
            " WHERE d.consultation_id IS NULL",
        )
        assert details == [(0,)]  # no half-written intake
    finally:
        session.close()


# --- item 5: disk full ---------------------------------------------------------------------------


def test_disk_full_fails_the_save_in_japanese_and_keeps_the_draft_and_earlier_saves(
    vault: Any,
) -> None:
    r = vault.records
    earlier = [r.save_intake(item.intake) for item in generate(5, seed=2, min_gap=1)]
    intake = canary_intake("保存できない相談")
    intake.consultation.content = "長い相談内容。" + os.urandom(40_000).hex()  # incompressible
    draft = r.save_draft(intake, step=10)
    with vault.read("test.limit") as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull) as info:
        r.save_intake(intake, draft_id=draft)
    assert "ディスク" in info.value.message and "下書き" in info.value.message
    with vault.read("test.limit") as conn:  # space is freed again
        conn.execute("PRAGMA max_page_count = 1073741823")
    assert r.load_draft(draft).data["consultation"]["content"].startswith("長い相談内容。")
    assert query(vault, "SELECT count(*) FROM consultations") == [(5,)]
    for saved in earlier:
        assert r.open_case(saved.case_id).consultations[0].id == saved.consultation_id
    assert vault.verify().ok
    r.save_intake(intake, draft_id=draft)  # and it saves once there is room
    assert r.list_drafts() == []


# --- item 8: no personal data in logs ----------------------------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


def test_no_canary_in_any_log_output_over_a_whole_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    capture = _Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    text = ASCII_CANARY + JAPANESE_CANARY
    try:
        logging.getLogger("intake_app.test").debug("control %s", "ctl-7731")
        data_dir = tmp_path / "data"
        create_vault(data_dir, monkeypatch)
        session = open_vault(data_dir)
        write_canaries_everywhere(session, text)
        case_id = session.records.search(text)[0].case_id
        session.records.open_case(case_id)
        session.records.latest_intake(case_id)
        session.records.home(dt.date(2026, 11, 20))
        with pytest.raises(ValueError):
            session.records.close_case(case_id, "")
        with session.read("test.limit") as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        big = canary_intake(text)
        big.summary_note = text + os.urandom(40_000).hex()
        with pytest.raises(DiskFull):
            session.records.save_intake(big)
        session.close()
        session = open_vault(data_dir)
        with pytest.raises(RecordNotFound):
            session.records.save_intake(canary_intake(text), case_id=999_999)
        session.close()
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    out, err = capfd.readouterr()
    logged = "\n".join(capture.lines)
    assert "ctl-7731" in logged  # the capture sees every logger
    for canary in (*CANARIES, normalize_kana(JAPANESE_CANARY)):
        assert canary not in logged
        assert canary not in out and canary not in err
