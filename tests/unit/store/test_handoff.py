"""Hand-off packages between two real vaults: the round trip, what is audited, and
what leaks (nothing)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from intake_app.domain.handoff_content import MINIMUM_FIELDS
from intake_app.domain.handoff_format import HandoffError, decode_card
from intake_app.store import handoff
from intake_app.store.errors import PermissionDenied
from tests.unit.store.handoff_support import (
    CANARY_ASCII,
    CANARY_JA,
    COUNSELOR,
    COUNSELOR_PASS,
    Centre,
    World,
    audit_rows,
    exchange_cards,
    find_canaries,
    make_vault,
    open_vault,
)


def test_round_trip_creates_a_marked_case_with_the_history_read_only(world: World) -> None:
    sent = world.send(extra_fields=["consultation.content", "relationship.perpetrator_name"])
    assert sent.path.name.startswith("handoff-") and sent.path.suffix == ".ihp"
    assert CANARY_JA not in sent.path.name and "花子" not in sent.path.name
    checked = handoff.check_file(world.b.session, sent.path)
    assert checked.package_id == sent.package_id
    assert checked.sender.fingerprint == world.a.fingerprint
    assert checked.payload.receiver.fingerprint == world.b.fingerprint
    assert checked.payload.consent_method == "verbal"
    assert set(MINIMUM_FIELDS) <= set(checked.payload.fields)
    accepted = handoff.accept(world.b.session, checked)

    b = world.b.session
    record = handoff.received_record(b, accepted.case_id)
    assert record is not None
    assert record.marker.startswith("他市区町村から引継ぎ（蕨市配偶者暴力相談支援センター、")
    assert len(record.content["consultations"]) == 2
    assert record.content["consultations"][0]["risk"]["reasons"]  # with its reasons
    # searchable by name and kana; the perpetrator's name answers the 追及 check
    hits = b.records.search("かなりあ")
    assert [h.case_number for h in hits] == [accepted.case_number]
    assert hits[0].do_not_disclose  # 追及注意 came along
    assert [p.case_id for p in b.records.search_perpetrator(f"{'KANA鶯7734'} 太郎")] == [
        accepted.case_id
    ]
    # the first consultation here starts from what the package brought
    seed = b.records.latest_intake(accepted.case_id)
    assert seed.client.name.startswith(CANARY_JA)
    assert seed.household.children[0].name.startswith(CANARY_JA)
    # the other centre's consultations are never this centre's statistics
    with b.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] == 0
    view = b.records.open_case(accepted.case_id)
    assert view.consultations == [] and view.banner


def test_minimum_fields_only_unless_ticked(world: World) -> None:
    sent = world.send()
    content = handoff.check_file(world.b.session, sent.path).payload.content
    assert "address" not in content["client"]
    assert "current_whereabouts" not in content["client"]
    assert "relationship" not in content
    assert all("content" not in c for c in content["consultations"])
    assert "school" not in content["children"][0]
    assert content["client"]["safe_contact"]["email"].startswith(CANARY_ASCII)


def test_every_step_is_audited_without_content(world: World) -> None:
    sent = world.send(extra_fields=["consultation.content", "client.current_whereabouts"])
    checked = handoff.check_file(world.b.session, sent.path)
    accepted = handoff.accept(world.b.session, checked)
    handoff.received_record(world.b.session, accepted.case_id)
    a_rows = audit_rows(world.a.session)
    b_rows = audit_rows(world.b.session)
    actions_a = [r[0] for r in a_rows]
    actions_b = [r[0] for r in b_rows]
    for action in ("handoff_key_create", "handoff_card_export", "handoff_centre_add"):
        assert action in actions_a and action in actions_b
    send = next(r for r in a_rows if r[0] == "handoff_send")
    assert send[1] == f"case:{world.case_id}"
    assert f"package={sent.package_id}" in (send[2] or "")
    assert f"to={world.b.fingerprint}" in (send[2] or "")
    assert "fields=client.name," in (send[2] or "") and "consent=verbal" in (send[2] or "")
    accept = next(r for r in b_rows if r[0] == "handoff_accept")
    assert accept[1] == f"case:{accepted.case_id}"
    assert f"from={world.a.fingerprint}" in (accept[2] or "")
    assert ("case.handoff_history", f"case:{accepted.case_id}") in [(r[0], r[1]) for r in b_rows]
    text = json.dumps(a_rows + b_rows, ensure_ascii=False).encode("utf-8")
    assert find_canaries(text) == []
    with world.a.session.unaudited() as conn:
        sent_rows = [tuple(r) for r in conn.execute("SELECT * FROM handoff_sent").fetchall()]
    assert len(sent_rows) == 1
    assert find_canaries(json.dumps(sent_rows, ensure_ascii=False, default=str).encode()) == []


def test_decline_records_only_the_decision(world: World) -> None:
    sent = world.send()
    checked = handoff.check_file(world.b.session, sent.path)
    handoff.decline(world.b.session, checked)
    b = world.b.session
    with b.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM handoff_records").fetchone()[0] == 0
        rows = conn.execute("SELECT decision, case_id FROM handoff_received").fetchall()
    assert [tuple(r) for r in rows] == [("declined", None)]
    decline = [r for r in audit_rows(b) if r[0] == "handoff_decline"]
    assert decline == [
        ("handoff_decline", f"handoff:{sent.package_id}", f"from={world.a.fingerprint}")
    ]
    with pytest.raises(HandoffError) as err:
        handoff.check_file(b, sent.path)
    assert err.value.reason == "replayed" and "辞退済み" in err.value.message


def test_the_sending_vault_keeps_no_copy_and_leaves_no_temp_file(world: World) -> None:
    before = set(os.listdir(world.a.data_dir))
    sent = world.send(extra_fields=["consultation.content"])
    assert sorted(p.name for p in sent.path.parent.iterdir()) == [sent.path.name]
    assert set(os.listdir(world.a.data_dir)) <= before | {"vault.db-wal", "vault.db-shm"}
    with world.a.session.unaudited() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("handoff"):
                for row in conn.execute(f"SELECT * FROM {table}"):
                    for value in row:
                        assert not (isinstance(value, bytes) and sent.package_id.encode() in value)
    if os.name == "posix":
        assert sent.path.stat().st_mode & 0o777 == 0o600


def test_the_package_holds_no_plaintext_and_the_scanner_catches_a_plain_blob(
    world: World,
) -> None:
    sent = world.send(
        extra_fields=["consultation.content", "client.current_whereabouts", "client.aliases"]
    )
    data = sent.path.read_bytes()
    assert find_canaries(data) == []
    for word in ("花子", "さくら", "知人宅", "蕨市", "センター"):
        assert word.encode("utf-8") not in data
    # negative control: the same payload, not sealed, is caught by the same scanner
    checked = handoff.check_file(world.b.session, sent.path)
    assert find_canaries(checked.payload_bytes) != []
    assert find_canaries(checked.payload_bytes.decode("utf-8").encode("utf-16-le")) != []


def test_consent_is_required_and_must_not_be_in_the_future(world: World) -> None:
    usb = world.tmp / "usb"
    with pytest.raises(HandoffError, match="未来"):
        world.send(consent=handoff.Consent("verbal", dt.datetime.now() + dt.timedelta(days=1)))
    with pytest.raises(HandoffError, match="同意の方法"):
        world.send(consent=handoff.Consent("nodded", dt.datetime.now()))
    with pytest.raises(TypeError):
        handoff.send_case(  # type: ignore[call-arg]
            world.a.session,
            world.case_id,
            to=world.b.fingerprint,
            out=usb,
            municipality=world.municipality,
        )
    assert list(usb.iterdir()) == []
    assert "handoff_send" not in [r[0] for r in audit_rows(world.a.session)]


def test_sending_to_an_unknown_centre_or_over_a_file_is_refused(world: World) -> None:
    usb = world.tmp / "usb"
    usb.mkdir()
    with pytest.raises(HandoffError) as err:
        world.send(to="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert err.value.reason == "unknown_centre"
    (usb / "taken.ihp").write_bytes(b"x")
    with pytest.raises(Exception, match="上書きしません"):
        world.send(out=usb / "taken.ihp")
    assert (usb / "taken.ihp").read_bytes() == b"x"


def test_a_failed_commit_leaves_no_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit entry is written after the file: if it fails, the file goes too."""
    session = world.a.session

    def refuse(*args: object) -> None:
        raise RuntimeError("the audit entry could not be written")

    monkeypatch.setattr(session, "_chain_append_extra", refuse)
    with pytest.raises(RuntimeError):
        world.send()
    monkeypatch.undo()
    assert list((world.tmp / "usb").iterdir()) == []
    with session.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM handoff_sent").fetchone()[0] == 0


def test_cards_import_and_removal(world: World, tmp_path: Path) -> None:
    a, b = world.a.session, world.b.session
    card = handoff.read_card_file(world.a.card_path)  # type: ignore[arg-type]
    with pytest.raises(HandoffError) as err:
        handoff.import_card(b, card, typed_fingerprint=world.b.fingerprint)
    assert err.value.reason == "fingerprint_mismatch"
    with pytest.raises(HandoffError) as err:
        handoff.import_card(b, card)
    assert err.value.reason == "fingerprint_mismatch"
    own = handoff.read_card_file(world.b.card_path)  # type: ignore[arg-type]
    with pytest.raises(HandoffError) as err:
        handoff.import_card(b, own, compared=True)
    assert err.value.reason == "own_card"
    # typed in lower case with spaces and 0/1/8 misread: still the same fingerprint
    sloppy = world.a.fingerprint.lower().replace("-", " ")
    assert handoff.import_card(b, card, typed_fingerprint=sloppy).confirmed_how == "typed"
    handoff.remove_centre(b, world.a.fingerprint)
    assert world.a.fingerprint not in [c.fingerprint for c in handoff.known_centres(b)]
    removed = [r for r in audit_rows(b) if r[0] == "handoff_centre_remove"]
    assert removed == [("handoff_centre_remove", f"centre:{world.a.fingerprint}", None)]
    sent = world.send()
    with pytest.raises(HandoffError) as err:
        handoff.check_file(b, sent.path)
    assert err.value.reason == "unknown_sender"
    assert a.is_open


def test_a_card_file_is_public_and_self_signed(world: World) -> None:
    data = world.a.card_path.read_bytes()  # type: ignore[union-attr]
    card = decode_card(data)
    assert card.centre == "蕨市配偶者暴力相談支援センター" and card.municipality == "蕨市"
    assert card.fingerprint == world.a.fingerprint
    assert json.loads(data)["fingerprint"] == world.a.fingerprint
    assert len(world.a.fingerprint) == 39 and world.a.fingerprint.count("-") == 7


def test_only_supervisors_manage_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intake_app.domain.municipality import load_municipality

    make_vault(tmp_path / "c", monkeypatch, counselor=True)
    with open_vault(tmp_path / "c", COUNSELOR, COUNSELOR_PASS) as s:
        with pytest.raises(PermissionDenied):
            handoff.export_card(s, load_municipality(), tmp_path / "c.ihc")
        assert not (tmp_path / "c.ihc").exists()


def test_two_pcs_of_one_centre_move_a_case(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same mechanism between two PCs of one centre: the label tells them apart."""
    make_vault(world.tmp / "pc2", monkeypatch)
    pc2 = Centre("pc2", world.tmp / "pc2", open_vault(world.tmp / "pc2"))
    try:
        exchange_cards(world.tmp, world.a, pc2, world.municipality)
        handoff.import_card(
            world.a.session,
            handoff.read_card_file(pc2.card_path),  # type: ignore[arg-type]
            compared=True,
            label="相談室2のPC",
        )
        names = [c.display_name for c in handoff.known_centres(world.a.session)]
        assert "蕨市配偶者暴力相談支援センター（相談室2のPC）" in names
        sent = world.send(to=pc2.fingerprint)
        accepted = handoff.accept(pc2.session, handoff.check_file(pc2.session, sent.path))
        assert pc2.session.records.search("かなりあ")[0].case_id == accepted.case_id
        with pytest.raises(HandoffError) as err:  # and it is not for the other centre
            handoff.check_file(world.b.session, sent.path)
        assert err.value.reason == "wrong_receiver"
    finally:
        pc2.session.close()


def test_a_destroyed_case_does_not_come_back(world: World) -> None:
    from intake_app.store import retention

    sent = world.send()
    b = world.b.session
    accepted = handoff.accept(b, handoff.check_file(b, sent.path))
    b.records.close_case(accepted.case_id, "転居先で支援継続", on=dt.date(2000, 1, 1))
    assert retention.destroy(b, [accepted.case_id], dt.date.today()) == 1
    with b.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM handoff_records").fetchone()[0] == 0
    with pytest.raises(HandoffError) as err:
        handoff.check_file(b, sent.path)
    assert err.value.reason == "replayed"


def test_cases_list_is_audited_like_a_search(world: World) -> None:
    cases = handoff.list_cases(world.a.session)
    assert [(c.case_number, c.status) for c in cases] == [(world.case_number, "open")]
    assert ("case_list", None, None) in audit_rows(world.a.session)


def test_removable_media_without_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT and exFAT refuse chmod on Linux: a hand-off file is still written there, a
    vault file never."""
    import errno

    from intake_app import fileio

    def no_modes(fd: int, mode: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchmod", no_modes, raising=False)
    fileio.write_private(tmp_path / "a.ihp", b"sealed", removable=True)
    assert (tmp_path / "a.ihp").read_bytes() == b"sealed"
    with pytest.raises(PermissionError):
        fileio.write_private(tmp_path / "vault.keys", b"secret")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ihp"]
