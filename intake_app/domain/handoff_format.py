"""Hand-off files: the centre card, the package frame, the signed payload. Pure Python.

No cryptography happens here (the store seals, opens, signs and verifies); this module
only encodes and decodes, so every byte a file may hold is checked in one place and
every refusal is one Japanese sentence (``HandoffError.message``).

Package file (``.ihp``), all integers big-endian::

    magic      8 bytes  b"\\x89IAHO\\r\\n\\x1a"   (a text-mode copy or a foreign file breaks it)
    version    2 bytes  FORMAT_VERSION         (a newer one is refused before anything else)
    receiver  20 bytes  the receiving centre's raw fingerprint (routing hint, checked again
                        inside the signed payload)
    length     4 bytes  length of the sealed box that follows
    sealed     length   libsodium sealed box to the receiver's X25519 key of
                        sodium_pad(envelope, PAD_BLOCK)
    (nothing may follow)

    envelope = sender's raw fingerprint (20 bytes) || u32 len(payload) || payload (UTF-8
               JSON) || Ed25519 signature (64 bytes) over SIGNATURE_CONTEXT || payload,
               by the sender's vault signing key

Centre card (``.ihc``): UTF-8 JSON with ``format``, ``version``, ``centre``,
``municipality``, ``municipality_id``, ``signing_key`` and ``box_key`` (base64 of the raw
Ed25519 and X25519 public keys), ``created_at`` and ``signature`` (Ed25519 by the card's
own signing key over ``Card.signed_bytes()``, a length-prefixed encoding, never JSON).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.errors import UserError

FORMAT_VERSION = 1
CARD_FORMAT = "intake-app-centre-card"
PAYLOAD_FORMAT = "intake-app-handoff"
PACKAGE_MAGIC = b"\x89IAHO\r\n\x1a"
PACKAGE_SUFFIX = ".ihp"
CARD_SUFFIX = ".ihc"
_HEADER = struct.Struct(">8sH20sI")
HEADER_SIZE = _HEADER.size
FINGERPRINT_BYTES = 20
KEY_BYTES = 32
SIGNATURE_BYTES = 64
MAX_PACKAGE_BYTES = 32 * 1024 * 1024  # refused before anything is read past the size
MAX_CARD_BYTES = 16 * 1024
PAD_BLOCK = 16 * 1024  # the sealed plaintext is padded to a multiple (hides small sizes)
SIGNATURE_CONTEXT = b"intake-app handoff package v1\x00"
CARD_CONTEXT = b"intake-app centre card v1\x00"
_FINGERPRINT_CONTEXT = b"intake-app centre fingerprint v1\x00"
_MAX_TEXT = 200  # centre and municipality names on a card

# -- refusals: one Japanese sentence each ------------------------------------------------

MESSAGES: dict[str, str] = {
    "foreign": "このファイルは引継ぎファイルではありません。",
    "truncated": (
        "引継ぎファイルが途中で切れています（コピーが最後まで終わっていない可能性があります）。"
    ),
    "tampered": "引継ぎファイルが改ざんされているか壊れているため、開けません。",
    "newer": (
        "この引継ぎファイルは新しい版のプログラムで作られているため、"
        "プログラムを更新してから受け取ってください。"
    ),
    "too_large": "引継ぎファイルが大きすぎるため、読み込みませんでした（上限 {} MB）。",
    "wrong_receiver": "この引継ぎファイルは別のセンター宛てのため、このセンターでは開けません。",
    "unknown_sender": (
        "送り主のセンターが登録されていないため、受け取れません"
        "（先にそのセンターの公開カードを取り込んでください）。"
    ),
    "forged": (
        "送り主として書かれたセンターの署名と一致しないため、受け取れません"
        "（なりすましか改ざんの可能性があります）。"
    ),
    "replayed": "この引継ぎファイルは既に{}済みのため、もう一度は受け取れません。",
    "malformed": "引継ぎファイルの中身の形式が正しくないため、受け取れません。",
    "unreadable": "引継ぎファイルを読めませんでした（{}）。",
    "card_foreign": "このファイルはセンターの公開カードではありません。",
    "card_tampered": (
        "公開カードの署名が合わないため、取り込めません（改ざんされているか壊れています）。"
    ),
    "card_newer": (
        "この公開カードは新しい版のプログラムで作られているため、"
        "プログラムを更新してから取り込んでください。"
    ),
    "card_too_large": "公開カードのファイルが大きすぎるため、読み込みませんでした。",
    "card_unreadable": "公開カードのファイルを読めませんでした（{}）。",
    "fingerprint_format": (
        "確認番号の形が正しくありません（4文字ずつ8組、例: ABCD-EFGH-…、英字と2〜7の数字）。"
    ),
    "fingerprint_mismatch": (
        "確認番号が公開カードと一致しないため、取り込みませんでした"
        "（電話で読み上げてもらった番号をもう一度確かめてください）。"
    ),
    "own_card": "これはこのセンター自身の公開カードのため、取り込む必要はありません。",
    "unknown_centre": "この確認番号のセンターは登録されていません。",
}


class HandoffError(UserError, ValueError):
    """A refused card, package or request: ``reason`` (a code) and one Japanese sentence."""

    def __init__(self, reason: str, *args: object, message: str | None = None) -> None:
        self.reason = reason
        super().__init__(message or MESSAGES[reason].format(*args))


# -- fingerprints --------------------------------------------------------------------------


def fingerprint_bytes(signing_public: bytes, box_public: bytes) -> bytes:
    """The raw 160-bit fingerprint of a centre: SHA-256 over both public keys."""
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + signing_public + box_public).digest()
    return digest[:FINGERPRINT_BYTES]


def format_fingerprint(raw: bytes) -> str:
    """8 groups of 4 base32 characters, like the recovery key: ``ABCD-EFGH-…``."""
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def fingerprint(signing_public: bytes, box_public: bytes) -> str:
    return format_fingerprint(fingerprint_bytes(signing_public, box_public))


def parse_fingerprint(text: str) -> bytes:
    """The raw fingerprint from what a person typed: any case, spaces or hyphens, and
    0/1/8 read as O/I/B (base32 has no 0, 1 or 8)."""
    cleaned = unicodedata.normalize("NFKC", text).upper().translate(str.maketrans("018", "OIB"))
    cleaned = "".join(ch for ch in cleaned if ch.isalnum())
    if len(cleaned) != 32 or not re.fullmatch(r"[A-Z2-7]{32}", cleaned):
        raise HandoffError("fingerprint_format")
    return base64.b32decode(cleaned)


def normalize_fingerprint(text: str) -> str:
    return format_fingerprint(parse_fingerprint(text))


# -- small helpers -------------------------------------------------------------------------


def _lp(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, size: int, reason: str) -> bytes:
    if not isinstance(value, str):
        raise HandoffError(reason)
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise HandoffError(reason) from exc
    if len(raw) != size or base64.b64encode(raw).decode("ascii") != value:
        raise HandoffError(reason)  # only the canonical spelling: no two files for one key
    return raw


def _clean_text(value: object, reason: str, *, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise HandoffError(reason)
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise HandoffError(reason)
    return value


def _json_object(data: bytes, reason: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise HandoffError(reason) from exc
    if not isinstance(value, dict):
        raise HandoffError(reason)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _version(value: object, newer: str, bad: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise HandoffError(bad)
    if value > FORMAT_VERSION:
        raise HandoffError(newer)
    return value


# -- the centre card -------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A centre's public card: who it is and its two public keys, self-signed."""

    centre: str
    municipality: str
    municipality_id: str
    signing_public: bytes
    box_public: bytes
    created_at: str
    signature: bytes = b""
    version: int = FORMAT_VERSION

    def signed_bytes(self) -> bytes:
        """What the card's signature covers: every field, length-prefixed."""
        return CARD_CONTEXT + b"".join(
            _lp(part)
            for part in (
                str(self.version).encode(),
                self.centre.encode("utf-8"),
                self.municipality.encode("utf-8"),
                self.municipality_id.encode("utf-8"),
                self.signing_public,
                self.box_public,
                self.created_at.encode("utf-8"),
            )
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.box_public)

    @property
    def fingerprint_raw(self) -> bytes:
        return fingerprint_bytes(self.signing_public, self.box_public)


def encode_card(card: Card) -> bytes:
    body = {
        "format": CARD_FORMAT,
        "version": card.version,
        "centre": card.centre,
        "municipality": card.municipality,
        "municipality_id": card.municipality_id,
        "signing_key": _b64(card.signing_public),
        "box_key": _b64(card.box_public),
        "created_at": card.created_at,
        "fingerprint": card.fingerprint,  # for people; must equal the one computed from the keys
        "signature": _b64(card.signature),
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def decode_card(data: bytes) -> Card:
    """Parse a card file's bytes (the signature is checked by the store)."""
    if len(data) > MAX_CARD_BYTES:
        raise HandoffError("card_too_large")
    body = _json_object(data, "card_foreign")
    if body.get("format") != CARD_FORMAT:
        raise HandoffError("card_foreign")
    version = _version(body.get("version"), "card_newer", "card_tampered")
    expected = {
        "format",
        "version",
        "centre",
        "municipality",
        "municipality_id",
        "signing_key",
        "box_key",
        "created_at",
        "fingerprint",
        "signature",
    }
    if set(body) != expected:
        raise HandoffError("card_tampered")
    created_at = _clean_text(body["created_at"], "card_tampered", limit=40)
    _iso_datetime(created_at, "card_tampered")
    card = Card(
        centre=_clean_text(body["centre"], "card_tampered"),
        municipality=_clean_text(body["municipality"], "card_tampered"),
        municipality_id=_clean_text(body["municipality_id"], "card_tampered", limit=64),
        signing_public=_unb64(body["signing_key"], KEY_BYTES, "card_tampered"),
        box_public=_unb64(body["box_key"], KEY_BYTES, "card_tampered"),
        created_at=created_at,
        signature=_unb64(body["signature"], SIGNATURE_BYTES, "card_tampered"),
        version=version,
    )
    if body["fingerprint"] != card.fingerprint:  # the printed copy must tell the truth too
        raise HandoffError("card_tampered")
    return card


def _iso_datetime(text: str, reason: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise HandoffError(reason) from exc


# -- the package frame -----------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    version: int
    receiver: bytes  # raw fingerprint
    sealed: bytes


def frame_package(receiver: bytes, sealed: bytes) -> bytes:
    if len(receiver) != FINGERPRINT_BYTES:
        raise ValueError("receiver fingerprint must be 20 bytes")
    return _HEADER.pack(PACKAGE_MAGIC, FORMAT_VERSION, receiver, len(sealed)) + sealed


def read_frame(data: bytes) -> Frame:
    """Split a package file; refuses foreign, newer, truncated and over-long files."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise HandoffError("too_large", MAX_PACKAGE_BYTES // (1024 * 1024))
    head = data[: len(PACKAGE_MAGIC)]
    if head != PACKAGE_MAGIC[: len(head)]:
        raise HandoffError("foreign")
    if len(data) < len(PACKAGE_MAGIC) + 2:
        raise HandoffError("truncated")
    (version,) = struct.unpack_from(">H", data, len(PACKAGE_MAGIC))
    if version > FORMAT_VERSION:
        raise HandoffError("newer")
    if version < 1:
        raise HandoffError("tampered")
    if len(data) < HEADER_SIZE:
        raise HandoffError("truncated")
    _, _, receiver, length = _HEADER.unpack_from(data)
    sealed = data[HEADER_SIZE:]
    if len(sealed) < length:
        raise HandoffError("truncated")
    if len(sealed) > length:
        raise HandoffError("tampered")
    return Frame(version, receiver, sealed)


def envelope(sender: bytes, payload: bytes, signature: bytes) -> bytes:
    """The sealed plaintext: the sender's raw fingerprint (to find its key), the payload,
    and the signature over it."""
    if len(sender) != FINGERPRINT_BYTES or len(signature) != SIGNATURE_BYTES:
        raise ValueError("a 20-byte fingerprint and a 64-byte Ed25519 signature")
    return sender + _lp(payload) + signature


def open_envelope(plain: bytes) -> tuple[bytes, bytes, bytes]:
    """``(sender, payload, signature)`` from the decrypted, unpadded envelope.

    The sender's fingerprint only says which known key to verify with; the payload
    names the sender again under the signature, and the two must agree.
    """
    fixed = FINGERPRINT_BYTES + 4
    if len(plain) < fixed + SIGNATURE_BYTES:
        raise HandoffError("tampered")
    (length,) = struct.unpack_from(">I", plain, FINGERPRINT_BYTES)
    if len(plain) != fixed + length + SIGNATURE_BYTES:
        raise HandoffError("tampered")
    return plain[:FINGERPRINT_BYTES], plain[fixed : fixed + length], plain[fixed + length :]


def signed_message(payload: bytes) -> bytes:
    """What the sender signs: a context label, then the payload bytes as sent."""
    return SIGNATURE_CONTEXT + payload


# -- the signed payload ----------------------------------------------------------------------

_PACKAGE_ID = re.compile(r"[0-9a-f]{32}")
CONSENT_METHODS = ("verbal", "written")


@dataclass(frozen=True)
class Party:
    fingerprint: str
    centre: str
    municipality: str


@dataclass(frozen=True)
class Payload:
    """The signed content of a package: who, to whom, when, with which consent, what."""

    package_id: str
    created_at: str
    sender: Party
    receiver: Party
    consent_method: str
    consent_at: str
    fields: tuple[str, ...]
    content: dict[str, Any] = field(default_factory=dict)
    version: int = FORMAT_VERSION

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)


def _party(value: Party) -> dict[str, str]:
    return {
        "fingerprint": value.fingerprint,
        "centre": value.centre,
        "municipality": value.municipality,
    }


def encode_payload(payload: Payload) -> bytes:
    body = {
        "format": PAYLOAD_FORMAT,
        "version": payload.version,
        "package_id": payload.package_id,
        "created_at": payload.created_at,
        "sender": _party(payload.sender),
        "receiver": _party(payload.receiver),
        "consent": {"method": payload.consent_method, "at": payload.consent_at},
        "fields": list(payload.fields),
        "content": payload.content,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def decode_payload(data: bytes, known_fields: frozenset[str]) -> Payload:
    """Parse a payload whose signature was verified; checks every key and type."""
    body = _json_object(data, "malformed")
    if body.get("format") != PAYLOAD_FORMAT:
        raise HandoffError("malformed")
    version = _version(body.get("version"), "newer", "malformed")
    expected = {
        "format",
        "version",
        "package_id",
        "created_at",
        "sender",
        "receiver",
        "consent",
        "fields",
        "content",
    }
    if set(body) != expected:
        raise HandoffError("malformed")
    package_id = body["package_id"]
    if not isinstance(package_id, str) or not _PACKAGE_ID.fullmatch(package_id):
        raise HandoffError("malformed")
    created_at = _clean_text(body["created_at"], "malformed", limit=40)
    _iso_datetime(created_at, "malformed")
    consent = body["consent"]
    if not isinstance(consent, dict) or set(consent) != {"method", "at"}:
        raise HandoffError("malformed")
    if consent["method"] not in CONSENT_METHODS:
        raise HandoffError("malformed")
    consent_at = _clean_text(consent["at"], "malformed", limit=40)
    _iso_datetime(consent_at, "malformed")
    fields = body["fields"]
    if (
        not isinstance(fields, list)
        or not all(isinstance(f, str) and f in known_fields for f in fields)
        or len(set(fields)) != len(fields)
    ):
        raise HandoffError("malformed")
    content = body["content"]
    if not isinstance(content, dict):
        raise HandoffError("malformed")
    return Payload(
        package_id=package_id,
        created_at=created_at,
        sender=_decode_party(body["sender"]),
        receiver=_decode_party(body["receiver"]),
        consent_method=str(consent["method"]),
        consent_at=consent_at,
        fields=tuple(fields),
        content=content,
        version=version,
    )


def _decode_party(value: object) -> Party:
    if not isinstance(value, dict) or set(value) != {"fingerprint", "centre", "municipality"}:
        raise HandoffError("malformed")
    fp = value["fingerprint"]
    if not isinstance(fp, str):
        raise HandoffError("malformed")
    try:
        fp = normalize_fingerprint(fp)
    except HandoffError as exc:
        raise HandoffError("malformed") from exc
    return Party(
        fingerprint=fp,
        centre=_clean_text(value["centre"], "malformed"),
        municipality=_clean_text(value["municipality"], "malformed"),
    )


def package_file_name(package_id: str) -> str:
    """A neutral file name: nothing about the client, the centres or the date."""
    return f"handoff-{package_id[:12]}{PACKAGE_SUFFIX}"


def card_file_name(fp: str) -> str:
    return f"centre-card-{fp[:4]}{CARD_SUFFIX}"
