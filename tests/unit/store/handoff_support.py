"""Two (or three) centres' vaults for the hand-off tests, and the files they exchange."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.municipality import load_municipality
from intake_app.store import handoff

PASSPHRASE = "うちの猫は三毛猫で十二歳"
USER = "tanaka"
COUNSELOR = "suzuki"
COUNSELOR_PASS = "いつもの道に咲く花を数える"
VAULT_FILES = ("vault.db", "vault.db-wal", "vault.db-shm", "vault.keys")

# Canaries written through the case's text fields: ASCII, Japanese and a mix.
CANARY_ASCII = "CANARYzq81handoff"
CANARY_JA = "鳩羽紫苑カナリア"
CANARY_MIX = "KANA鶯7734"


def make_vault(data_dir: Path, monkeypatch: pytest.MonkeyPatch, *, counselor: bool = False) -> None:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    Vault.create(data_dir, USER, PASSPHRASE, kdf=kdf.KdfParams(memory_kib=1024, iterations=1))
    if counselor:
        with Vault.open(data_dir, USER, PASSPHRASE) as s:
            s.users.add(
                COUNSELOR,
                "counselor",
                COUNSELOR_PASS,
                kdf=kdf.KdfParams(memory_kib=1024, iterations=1),
            )


def open_vault(data_dir: Path, user: str = USER, passphrase: str = PASSPHRASE, **kw: Any) -> Any:
    from intake_app.store.vault import Vault

    return Vault.open(data_dir, user, passphrase, **kw)


def canary_case(today: dt.date) -> list[Any]:
    """The documents' fictitious case, with canaries in every kind of text field."""
    from intake_app.documents.samples import synthetic_case

    intakes = synthetic_case(today)
    for it in intakes:
        it.client.name = f"{CANARY_JA} 花子"
        it.client.kana = "かなりあ　はなこ"
        it.client.aliases = [CANARY_MIX]
        it.client.safe_contact.email = f"{CANARY_ASCII}@example.invalid"
        it.client.current_whereabouts = f"{CANARY_JA}の知人宅"
        it.household.children[0].name = f"{CANARY_JA} さくら"
        it.consultation.content = f"相談内容 {CANARY_ASCII} {CANARY_JA}"
        it.relationship.perpetrator_name = f"{CANARY_MIX} 太郎"
        it.address.do_not_disclose = True
        it.address.counter_note = "電話の問い合わせには答えない"
    return intakes


def canaries() -> list[bytes]:
    out: list[bytes] = []
    for text in (CANARY_ASCII, CANARY_JA, CANARY_MIX):
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return out


def find_canaries(data: bytes) -> list[bytes]:
    return [c for c in canaries() if c in data]


def file_state(folder: Path) -> dict[str, str | None]:
    """The vault's files (database, WAL, SHM, header) by content hash; None if absent."""
    state: dict[str, str | None] = {}
    for name in VAULT_FILES:
        path = folder / name
        state[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    return state


@dataclass
class Centre:
    name: str
    data_dir: Path
    session: Any
    fingerprint: str = ""
    card_path: Path | None = None


@dataclass
class World:
    tmp: Path
    a: Centre  # the sender
    b: Centre  # the receiver
    case_id: int
    case_number: str
    municipality: Any

    def send(self, **kw: Any) -> handoff.SentPackage:
        kw.setdefault("to", self.b.fingerprint)
        kw.setdefault("consent", handoff.Consent("verbal", dt.datetime.now()))
        kw.setdefault("out", self.tmp / "usb")
        kw.setdefault("municipality", self.municipality)
        (self.tmp / "usb").mkdir(exist_ok=True)
        return handoff.send_case(self.a.session, self.case_id, **kw)


def exchange_cards(tmp: Path, first: Centre, second: Centre, municipality: Any) -> None:
    """Both centres export their card and import the other's (fingerprint typed)."""
    for c in (first, second):
        if c.card_path is None:
            c.card_path = tmp / f"{c.name}.ihc"
            c.fingerprint = handoff.export_card(c.session, municipality, c.card_path).fingerprint
    handoff.import_card(
        first.session,
        handoff.read_card_file(second.card_path),
        typed_fingerprint=second.fingerprint,
    )
    handoff.import_card(
        second.session, handoff.read_card_file(first.card_path), typed_fingerprint=first.fingerprint
    )


def make_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """Two centres that know each other; A holds a case of two consultations."""
    municipality = load_municipality()
    centres = []
    for name in ("a", "b"):
        make_vault(tmp_path / name, monkeypatch)
        centres.append(Centre(name, tmp_path / name, open_vault(tmp_path / name)))
    a, b = centres
    exchange_cards(tmp_path, a, b, municipality)
    saved = None
    for intake in canary_case(dt.date.today()):
        saved = a.session.records.save_intake(
            intake, case_id=saved.case_id if saved is not None else None
        )
    assert saved is not None
    return World(tmp_path, a, b, saved.case_id, saved.case_number, municipality)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    w = make_world(tmp_path, monkeypatch)
    yield w
    for c in (w.a, w.b):
        c.session.close()


def audit_rows(session: Any) -> list[tuple[str, str | None, str | None]]:
    with session.unaudited() as conn:
        return [
            (str(r[0]), r[1], r[2])
            for r in conn.execute("SELECT action, object_id, detail FROM audit_log ORDER BY seq")
        ]
