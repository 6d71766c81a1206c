"""Every bad package is refused with one Japanese sentence naming the problem, and the
receiving vault's files (vault.db, -wal, -shm, vault.keys) stay byte-identical: through
an open session (the program) and through an unlock with the check as its precheck
(the command line). Fuzzing flips bytes across the whole package and the whole card."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import secrets
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from intake_app.domain import handoff_format as fmt
from intake_app.domain.handoff_format import HandoffError
from intake_app.store import handoff
from intake_app.store.handoff import crypto
from intake_app.store.handoff.centres import read_identity
from tests.unit.store.handoff_support import (
    Centre,
    World,
    exchange_cards,
    file_state,
    make_vault,
    open_vault,
)


def one_sentence(message: str) -> bool:
    return message.endswith("。") and message.count("。") == 1 and "\n" not in message


def identity_of(centre: Centre) -> handoff.Identity:
    with centre.session.unaudited() as conn:
        ident = read_identity(conn)
    assert ident is not None
    return ident


def opened(world: World, data: bytes) -> tuple[bytes, bytes, bytes]:
    """(sender, payload, signature) of a package made for B, opened with B's key."""
    ident = identity_of(world.b)
    frame = fmt.read_frame(data)
    return fmt.open_envelope(crypto.unseal(ident.box_private, frame.sealed))


def craft(
    payload: bytes,
    *,
    signer: object,
    sender_raw: bytes,
    receiver: handoff.Identity,
    version: int = fmt.FORMAT_VERSION,
) -> bytes:
    """A package built by hand (a forger, a newer program)."""
    signature = crypto.sign(signer, fmt.signed_message(payload))  # type: ignore[arg-type]
    sealed = crypto.seal(receiver.box_public, fmt.envelope(sender_raw, payload, signature))
    head = struct.pack(
        ">8sH20sI", fmt.PACKAGE_MAGIC, version, receiver.fingerprint_raw, len(sealed)
    )
    return head + sealed


def third_centre(world: World, monkeypatch: pytest.MonkeyPatch, name: str = "c") -> Centre:
    make_vault(world.tmp / name, monkeypatch)
    return Centre(name, world.tmp / name, open_vault(world.tmp / name))


def refused(world: World, data: bytes) -> HandoffError:
    """Refused through B's open session and through an unlock of B's closed vault,
    with every file of B byte-identical afterwards; returns the error."""
    b = world.b
    # The receive screen lists the known centres when it opens (a read). The first read
    # after a commit takes one of SQLite's reader slots in -shm (shared memory, not
    # vault content); from then on a read changes no byte of any file.
    handoff.known_centres(b.session)
    before = file_state(b.data_dir)
    with pytest.raises(HandoffError) as first:
        with b.session.unaudited() as conn:
            handoff.check_package(conn, data)
    assert file_state(b.data_dir) == before
    assert one_sentence(first.value.message), first.value.message
    b.session.close()
    closed = file_state(b.data_dir)
    assert closed["vault.db-wal"] is None  # a closed vault: database and header only
    with pytest.raises(HandoffError) as second:
        open_vault(b.data_dir, precheck=lambda conn: handoff.check_package(conn, data))
    assert file_state(b.data_dir) == closed
    assert second.value.reason == first.value.reason
    b.session = open_vault(b.data_dir)
    return first.value


def test_a_tampered_package(world: World) -> None:
    data = bytearray(world.send().path.read_bytes())
    data[len(data) // 2] ^= 0x01
    assert refused(world, bytes(data)).reason == "tampered"


def test_trailing_bytes(world: World) -> None:
    data = world.send().path.read_bytes() + b"\x00"
    assert refused(world, data).reason == "tampered"


@pytest.mark.parametrize("keep", [3, 9, fmt.HEADER_SIZE - 1, fmt.HEADER_SIZE + 10, -1])
def test_a_truncated_package(world: World, keep: int) -> None:
    data = world.send().path.read_bytes()
    error = refused(world, data[:keep])
    assert error.reason == "truncated"
    assert "途中で切れて" in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(200),
        b"PK\x03\x04" + bytes(100),
        "引継ぎファイルのふり".encode(),
    ],
)
def test_a_foreign_file(world: World, data: bytes) -> None:
    assert refused(world, data).reason == "foreign"


def test_a_card_given_as_a_package(world: World) -> None:
    data = world.a.card_path.read_bytes()  # type: ignore[union-attr]
    assert refused(world, data).reason == "foreign"


def test_a_package_from_an_unknown_centre(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    c = third_centre(world, monkeypatch)
    try:
        exchange_cards(world.tmp, c, world.a, world.municipality)  # C and A know each other
        c.card_path = None
        card_b = handoff.read_card_file(world.b.card_path)  # type: ignore[arg-type]
        handoff.import_card(c.session, card_b, compared=True)  # C knows B; B not C
        saved = c.session.records.save_intake(world.a.session.records.latest_intake(world.case_id))
        (world.tmp / "usb").mkdir(exist_ok=True)
        sent = handoff.send_case(
            c.session,
            saved.case_id,
            to=world.b.fingerprint,
            consent=handoff.Consent("written", dt.datetime.now()),
            out=world.tmp / "usb",
            municipality=world.municipality,
        )
        error = refused(world, sent.path.read_bytes())
        assert error.reason == "unknown_sender"
        assert "公開カード" in error.message
    finally:
        c.session.close()


def test_a_package_for_another_centre(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    c = third_centre(world, monkeypatch)
    try:
        exchange_cards(world.tmp, world.a, c, world.municipality)
        data = world.send(to=c.fingerprint).path.read_bytes()
        assert refused(world, data).reason == "wrong_receiver"
    finally:
        c.session.close()


def test_a_package_resealed_by_its_receiver_to_a_third_centre(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B opens A's package and seals the signed payload to C, as if A had sent it to C:
    the receiver named under A's signature is B, so C refuses it."""
    c = third_centre(world, monkeypatch)
    try:
        exchange_cards(world.tmp, world.a, c, world.municipality)
        sender_raw, payload, signature = opened(world, world.send().path.read_bytes())
        c_ident = identity_of(c)
        sealed = crypto.seal(c_ident.box_public, fmt.envelope(sender_raw, payload, signature))
        forwarded = fmt.frame_package(c_ident.fingerprint_raw, sealed)
        with pytest.raises(HandoffError) as err, c.session.unaudited() as conn:
            handoff.check_package(conn, forwarded)
        assert err.value.reason == "wrong_receiver"
    finally:
        c.session.close()


def test_a_centre_posing_as_another(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """C, known to B, writes a package naming A as its sender: refused either way."""
    c = third_centre(world, monkeypatch)
    try:
        exchange_cards(world.tmp, c, world.b, world.municipality)
        _, payload, _ = opened(world, world.send().path.read_bytes())
        b_ident = identity_of(world.b)
        a_raw = identity_of(world.a).fingerprint_raw
        c_raw = identity_of(c).fingerprint_raw
        c_signer = c.session._signer
        as_a = craft(payload, signer=c_signer, sender_raw=a_raw, receiver=b_ident)
        assert refused(world, as_a).reason == "forged"
        as_c_naming_a = craft(payload, signer=c_signer, sender_raw=c_raw, receiver=b_ident)
        error = refused(world, as_c_naming_a)
        assert error.reason == "forged" and "なりすまし" in error.message
    finally:
        c.session.close()


def test_a_replayed_package(world: World) -> None:
    data = world.send().path.read_bytes()
    b = world.b.session
    with b.unaudited() as conn:
        checked = handoff.check_package(conn, data)
    handoff.accept(b, checked)
    error = refused(world, data)
    assert error.reason == "replayed" and "受け取り済み" in error.message
    with pytest.raises(HandoffError):  # a second click on 受け取る is refused too
        handoff.accept(world.b.session, checked)
    with world.b.session.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_a_newer_frame_format(world: World) -> None:
    data = bytearray(world.send().path.read_bytes())
    struct.pack_into(">H", data, len(fmt.PACKAGE_MAGIC), fmt.FORMAT_VERSION + 1)
    error = refused(world, bytes(data))
    assert error.reason == "newer" and "新しい版" in error.message


def test_a_newer_payload_format(world: World) -> None:
    sender_raw, payload, _ = opened(world, world.send().path.read_bytes())
    newer = payload.replace(b'"version":1', b'"version":2')
    assert newer != payload
    data = craft(
        newer,
        signer=world.a.session._signer,
        sender_raw=sender_raw,
        receiver=identity_of(world.b),
    )
    assert refused(world, data).reason == "newer"


def test_a_malformed_but_signed_payload(world: World) -> None:
    sender_raw, payload, _ = opened(world, world.send().path.read_bytes())
    for bad in (
        payload.replace(b'"case_number"', b'"case_secret"'),
        payload.replace(b'"fields":["client.name",', b'"fields":['),  # name sent unchosen
        b"[]",
        b"\xff\xfe",
    ):
        data = craft(
            bad,
            signer=world.a.session._signer,
            sender_raw=sender_raw,
            receiver=identity_of(world.b),
        )
        assert refused(world, data).reason == "malformed"


def test_a_receiver_without_keys_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault(tmp_path / "new", monkeypatch)
    data = fmt.frame_package(secrets.token_bytes(20), secrets.token_bytes(200))
    with open_vault(tmp_path / "new") as s, s.unaudited() as conn:
        with pytest.raises(HandoffError) as err:
            handoff.check_package(conn, data)
        assert err.value.reason == "wrong_receiver"
        assert conn.execute("SELECT count(*) FROM handoff_identity").fetchone()[0] == 0


def test_a_huge_file_is_refused_before_it_is_read(world: World) -> None:
    big = world.tmp / "huge.ihp"
    with open(big, "wb") as f:
        f.truncate(fmt.MAX_PACKAGE_BYTES + 1)  # sparse: nothing to read anyway
    with pytest.raises(HandoffError) as err:
        handoff.read_package_file(big)
    assert err.value.reason == "too_large" and one_sentence(err.value.message)
    with pytest.raises(HandoffError) as err:
        handoff.read_package_file(world.tmp)  # a folder
    assert err.value.reason == "unreadable"
    with pytest.raises(HandoffError) as err:
        handoff.read_package_file(world.tmp / "missing.ihp")
    assert err.value.reason == "unreadable" and one_sentence(err.value.message)


def _fuzz(data: bytes, check: Callable[[bytes], object], positions: list[int]) -> set[str]:
    reasons: set[str] = set()
    rng = random.Random(21)
    for i in positions:
        for mask in (0x01, 0x80, rng.randrange(1, 256)):
            flipped = bytearray(data)
            flipped[i] ^= mask
            with pytest.raises(HandoffError) as err:
                check(bytes(flipped))
            assert one_sentence(err.value.message), err.value.message
            reasons.add(err.value.reason)
    return reasons


def test_fuzz_flipping_bytes_across_the_whole_package(world: World) -> None:
    data = world.send(extra_fields=["consultation.content"]).path.read_bytes()

    def check(candidate: bytes) -> object:
        with world.b.session.unaudited() as conn:
            return handoff.check_package(conn, candidate)

    handoff.known_centres(world.b.session)  # as the receive screen does (see ``refused``)
    before = file_state(world.b.data_dir)
    # every byte of the frame, then a byte in every 11 of the sealed box, and its end
    positions = sorted(
        {
            *range(fmt.HEADER_SIZE),
            *range(fmt.HEADER_SIZE, len(data), 11),
            *range(len(data) - 32, len(data)),
        }
    )
    reasons = _fuzz(data, check, positions)
    assert {"foreign", "tampered", "wrong_receiver"} <= reasons
    assert file_state(world.b.data_dir) == before
    assert check(data)  # the untouched file still passes


def test_fuzz_flipping_bytes_across_the_whole_card(world: World) -> None:
    data = world.a.card_path.read_bytes()  # type: ignore[union-attr]
    reasons = _fuzz(data, handoff.check_card, list(range(len(data))))
    assert reasons <= {"card_foreign", "card_tampered", "card_newer"}
    assert handoff.check_card(data).fingerprint == world.a.fingerprint
    assert dataclasses.is_dataclass(handoff.check_card(data))
