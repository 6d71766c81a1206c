"""`intake-app print-sample`: every kind written owner-only, each one audited."""

from __future__ import annotations

import contextlib
import io
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app import cli, documents
from intake_app.commands import documents as command
from intake_app.store import WrongPassphrase
from tests.unit.documents.helpers import MUNICIPALITY, all_text


class FakeSession:
    municipality = MUNICIPALITY

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str | None]] = []
        self.closed = False

    @contextlib.contextmanager
    def transaction(
        self, action: str, object_id: object = None, *, detail: str | None = None
    ) -> Iterator[Any]:
        yield None
        self.entries.append((action, str(object_id), detail))

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> FakeSession:
    fake = FakeSession()
    seen: dict[str, Any] = {}

    def open_session(data_dir: Path, user: str, passphrase: str) -> FakeSession:
        seen.update(user=user, passphrase=passphrase)
        if passphrase != "correct horse battery":
            raise WrongPassphrase()
        return fake

    monkeypatch.setattr(command, "_open_session", open_session)
    fake.seen = seen  # type: ignore[attr-defined]
    return fake


def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdin: str, *extra: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(
        [
            "--data-dir",
            str(tmp_path / "data"),
            "print-sample",
            "--user",
            "sato",
            "--passphrase-stdin",
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2026-11-25",
            *extra,
        ]
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_writes_every_kind_owner_only_and_audits_each(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    assert run(monkeypatch, tmp_path, "correct horse battery\n") == 0
    out = tmp_path / "out"
    files = sorted(p.name for p in out.iterdir())
    kinds = {name.removesuffix(".pdf").split("-")[0] for name in files}
    assert kinds == set(documents.KINDS)
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        undated = ("protection_order_advice_discreet.pdf", "contacts.pdf")
        if path.name not in undated:
            assert "令和8（2026）年11月25日" in all_text(path.read_bytes()), path.name
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert len(session.entries) == len(files)
    assert {a for a, _, _ in session.entries} == {"export_pdf"}  # files, not prints
    objects = {o: d for _, o, d in session.entries}
    assert objects["sample:referral_slip:police"] == "pages=1/1"
    assert objects["sample:protection_order_advice_discreet"] == "pages=1/1"  # a card
    assert session.closed
    assert session.seen["user"] == "sato"  # type: ignore[attr-defined]
    assert "架空" in capsys.readouterr().out


def test_wrong_passphrase_writes_nothing(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    assert run(monkeypatch, tmp_path, "wrong\n") == 1
    assert not (tmp_path / "out").exists()
    assert session.entries == []
    assert WrongPassphrase().message in capsys.readouterr().err


def test_missing_passphrase_on_stdin_is_a_usage_error(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run(monkeypatch, tmp_path, "") == 2
    assert session.entries == []


def test_real_vault_records_one_print_audit_entry_per_sample(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from intake_app import store
    from intake_app.store import kdf

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    data_dir = tmp_path / "data"
    passphrase = "correct horse battery"
    store.Vault.create(data_dir, "sato", passphrase, kdf=kdf.TEST_FAST)
    assert run(monkeypatch, tmp_path, passphrase + "\n") == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    # the vault's municipality (warabi) decides the destinations and the court
    assert "referral_slip-pref_centre.pdf" in written
    po = (tmp_path / "out" / "protection_order_advice.pdf").read_bytes()
    assert "さいたま地方裁判所" in all_text(po)
    session = store.Vault.open(data_dir, "sato", passphrase)
    try:
        prints = [e for e in session.audit_entries() if e.action == "export_pdf"]
    finally:
        session.close()
    assert len(prints) == len(written)
    assert any("safety_plan" in (e.object_id or "") for e in prints)
    for entry in prints:  # the audit names the kind, never the content
        assert "見本" not in (entry.object_id or "") + (entry.detail or "")


@pytest.mark.parametrize("choice", ["vi", "all"])
def test_language_writes_the_client_papers_beside_the_japanese_ones(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, choice: str
) -> None:
    from intake_app.domain.languages import CODES

    assert run(monkeypatch, tmp_path, "correct horse battery\n", "--language", choice) == 0
    files = {p.name for p in (tmp_path / "out").iterdir()}
    codes = CODES if choice == "all" else ("vi",)
    for kind in documents.CLIENT_KINDS:
        assert f"{kind}.pdf" in files  # today's names for the Japanese samples
        for code in codes:
            assert f"{kind}.{code}.pdf" in files
    assert "safety_plan.vi.pdf" in files and "contacts.vi.pdf" in files
    assert len(files) == len(session.entries)
    objects = {o for _, o, _ in session.entries}
    assert objects <= {f"sample:{k}" for k in documents.KINDS} | {
        o for o in objects if o.startswith("sample:referral_slip:")
    }
    vietnamese = all_text((tmp_path / "out" / "safety_plan.vi.pdf").read_bytes())
    assert "Ghichúcuộcsống" in vietnamese and "くらしのメモ" in vietnamese


def test_an_unknown_language_is_a_usage_error(
    session: FakeSession, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(monkeypatch, tmp_path, "correct horse battery\n", "--language", "xx")
    assert stopped.value.code == 2
    assert session.entries == []
