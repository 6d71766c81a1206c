"""The hand-off file formats, without any cryptography: fingerprints, cards, frames,
envelopes and payloads, and the one-sentence refusals."""

from __future__ import annotations

import base64
import json
import struct

import pytest

from intake_app.domain import handoff_format as fmt
from intake_app.domain.handoff_content import KNOWN_FIELDS
from intake_app.domain.handoff_format import HandoffError

SIGNING = bytes(range(32))
BOX = bytes(range(32, 64))


def card(**kw: object) -> fmt.Card:
    values: dict[str, object] = {
        "centre": "蕨市配偶者暴力相談支援センター",
        "municipality": "蕨市",
        "municipality_id": "warabi",
        "signing_public": SIGNING,
        "box_public": BOX,
        "created_at": "2026-11-25T10:30:00+09:00",
        "signature": bytes(64),
    }
    values.update(kw)
    return fmt.Card(**values)  # type: ignore[arg-type]


def test_every_refusal_is_one_japanese_sentence() -> None:
    for reason, message in fmt.MESSAGES.items():
        text = message.format("X")
        assert text.endswith("。") and text.count("。") == 1, reason
        assert "\n" not in text


def test_fingerprint_groups_and_forgiving_input() -> None:
    fp = fmt.fingerprint(SIGNING, BOX)
    assert len(fp.split("-")) == 8 and all(len(g) == 4 for g in fp.split("-"))
    assert fmt.fingerprint(SIGNING, BOX) != fmt.fingerprint(BOX, SIGNING)
    sloppy = "  " + fp.lower().replace("-", " ").replace("O", "0").replace("I", "1") + " "
    assert fmt.normalize_fingerprint(sloppy) == fp
    assert fmt.normalize_fingerprint(fp.replace("-", "")) == fp
    assert fmt.parse_fingerprint(fp) == fmt.fingerprint_bytes(SIGNING, BOX)
    for bad in ("", "ABCD", fp + "A", "9" * 32):
        with pytest.raises(HandoffError) as err:
            fmt.parse_fingerprint(bad)
        assert err.value.reason == "fingerprint_format"


def test_card_round_trip_and_what_its_signature_covers() -> None:
    c = card()
    again = fmt.decode_card(fmt.encode_card(c))
    assert again == c and again.fingerprint == c.fingerprint
    assert again.fingerprint_raw == fmt.fingerprint_bytes(SIGNING, BOX)
    base = c.signed_bytes()
    for changed in (
        card(centre="別のセンター"),
        card(municipality="別の市"),
        card(municipality_id="other"),
        card(signing_public=bytes(32)),
        card(box_public=bytes(32)),
        card(created_at="2026-11-26T10:30:00+09:00"),
    ):
        assert changed.signed_bytes() != base
    assert card(signature=bytes([1]) * 64).signed_bytes() == base


def _body() -> dict[str, object]:
    return json.loads(fmt.encode_card(card()))


def _encoded(body: dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b: b.update(format="something-else"), "card_foreign"),
        (lambda b: b.update(version=2), "card_newer"),
        (lambda b: b.update(version=0), "card_tampered"),
        (lambda b: b.update(version=True), "card_tampered"),
        (lambda b: b.update(extra="x"), "card_tampered"),
        (lambda b: b.update(centre=7), "card_tampered"),
        (lambda b: b.update(centre="a" * 300), "card_tampered"),
        (lambda b: b.update(centre="改\n行"), "card_tampered"),
        (lambda b: b.update(created_at="yesterday"), "card_tampered"),
        (lambda b: b.update(signing_key="not base64!"), "card_tampered"),
        (lambda b: b.update(signing_key=base64.b64encode(bytes(31)).decode()), "card_tampered"),
        (lambda b: b.update(box_key=12), "card_tampered"),
        (lambda b: b.update(box_key="ａｂｃ"), "card_tampered"),
        (
            lambda b: b.update(fingerprint="AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"),
            "card_tampered",
        ),
    ],
)
def test_card_refusals(change: object, reason: str) -> None:
    body = _body()
    change(body)  # type: ignore[operator]
    with pytest.raises(HandoffError) as err:
        fmt.decode_card(_encoded(body))
    assert err.value.reason == reason


def test_card_base64_must_be_canonical() -> None:
    body = _body()
    key = str(body["signing_key"])
    last = key[-2]  # the character before "=" carries bits no decoder looks at
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = alphabet[alphabet.index(last) ^ 1]
    body["signing_key"] = key[:-2] + twin + key[-1]
    assert base64.b64decode(body["signing_key"]) == base64.b64decode(key)
    with pytest.raises(HandoffError):
        fmt.decode_card(_encoded(body))


@pytest.mark.parametrize("data", [b"", b"[1]", b"\xff\xfe", b"{", b'{"a": NaN}', b"[" * 10_000])
def test_foreign_cards(data: bytes) -> None:
    with pytest.raises(HandoffError) as err:
        fmt.decode_card(data)
    assert err.value.reason == "card_foreign"


def test_a_huge_card_is_not_parsed() -> None:
    with pytest.raises(HandoffError) as err:
        fmt.decode_card(b" " * (fmt.MAX_CARD_BYTES + 1))
    assert err.value.reason == "card_too_large"


def test_frame_round_trip_and_refusals() -> None:
    receiver = bytes(range(20))
    data = fmt.frame_package(receiver, b"sealed-bytes")
    frame = fmt.read_frame(data)
    assert (frame.version, frame.receiver, frame.sealed) == (1, receiver, b"sealed-bytes")
    with pytest.raises(ValueError):
        fmt.frame_package(b"short", b"x")
    cases = {
        b"": "truncated",
        data[:5]: "truncated",
        data[:9]: "truncated",
        data[: fmt.HEADER_SIZE - 1]: "truncated",
        data[:-1]: "truncated",
        data + b"x": "tampered",
        b"GIF89a" + data: "foreign",
        data[:8] + struct.pack(">H", 9) + data[10:]: "newer",
        data[:8] + struct.pack(">H", 0) + data[10:]: "tampered",
    }
    for candidate, reason in cases.items():
        with pytest.raises(HandoffError) as err:
            fmt.read_frame(candidate)
        assert err.value.reason == reason, candidate[:12]
    with pytest.raises(HandoffError) as err:
        fmt.read_frame(bytes(fmt.MAX_PACKAGE_BYTES + 1))
    assert err.value.reason == "too_large" and "32 MB" in err.value.message


def test_envelope_round_trip_and_refusals() -> None:
    sender = bytes(20)
    plain = fmt.envelope(sender, b'{"a":1}', bytes(64))
    assert fmt.open_envelope(plain) == (sender, b'{"a":1}', bytes(64))
    with pytest.raises(ValueError):
        fmt.envelope(sender, b"x", b"short")
    for bad in (plain[:-1], plain + b"x", b"tiny"):
        with pytest.raises(HandoffError) as err:
            fmt.open_envelope(bad)
        assert err.value.reason == "tampered"
    assert fmt.signed_message(b"p") == fmt.SIGNATURE_CONTEXT + b"p"


def party(fp: str = "") -> fmt.Party:
    return fmt.Party(fp or fmt.fingerprint(SIGNING, BOX), "センター", "蕨市")


def payload(**kw: object) -> fmt.Payload:
    values: dict[str, object] = {
        "package_id": "0" * 32,
        "created_at": "2026-11-25T10:30:00+09:00",
        "sender": party(),
        "receiver": party(fmt.fingerprint(BOX, SIGNING)),
        "consent_method": "verbal",
        "consent_at": "2026-11-25T10:00:00+09:00",
        "fields": ("client.name",),
        "content": {"case_number": "2026-0001"},
    }
    values.update(kw)
    return fmt.Payload(**values)  # type: ignore[arg-type]


def test_payload_round_trip() -> None:
    p = payload()
    again = fmt.decode_payload(fmt.encode_payload(p), KNOWN_FIELDS)
    assert again == p
    assert again.created.year == 2026


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b: b.update(format="x"), "malformed"),
        (lambda b: b.update(version=2), "newer"),
        (lambda b: b.update(version="1"), "malformed"),
        (lambda b: b.update(extra=1), "malformed"),
        (lambda b: b.update(package_id="xyz"), "malformed"),
        (lambda b: b.update(created_at="soon"), "malformed"),
        (lambda b: b.update(consent={"method": "verbal"}), "malformed"),
        (lambda b: b.update(consent={"method": "nod", "at": "2026-11-25T10:00"}), "malformed"),
        (lambda b: b.update(consent=[]), "malformed"),
        (lambda b: b.update(fields=["client.secret"]), "malformed"),
        (lambda b: b.update(fields=["client.name", "client.name"]), "malformed"),
        (lambda b: b.update(fields="client.name"), "malformed"),
        (lambda b: b.update(content=[]), "malformed"),
        (
            lambda b: b.update(sender={"fingerprint": "x", "centre": "c", "municipality": "m"}),
            "malformed",
        ),
        (
            lambda b: b.update(sender={"fingerprint": 1, "centre": "c", "municipality": "m"}),
            "malformed",
        ),
        (lambda b: b.update(receiver={"centre": "c"}), "malformed"),
    ],
)
def test_payload_refusals(change: object, reason: str) -> None:
    body = json.loads(fmt.encode_payload(payload()))
    change(body)  # type: ignore[operator]
    with pytest.raises(HandoffError) as err:
        fmt.decode_payload(json.dumps(body).encode(), KNOWN_FIELDS)
    assert err.value.reason == reason


def test_file_names_say_nothing_about_the_client() -> None:
    assert fmt.package_file_name("ab" * 16) == "handoff-abababababab.ihp"
    assert fmt.card_file_name("ABCD-EFGH") == "centre-card-ABCD.ihc"


def test_a_message_can_be_given() -> None:
    err = HandoffError("malformed", message="ほかの文です。")
    assert err.message == "ほかの文です。" and err.reason == "malformed"
