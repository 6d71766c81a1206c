"""The keyslot header file (``vault.keys``) beside the database.

Each slot holds an X25519 key pair: the private key is wrapped with AES-256-GCM
under the Argon2id key of the slot's passphrase, and the data key is sealed to the
public key (X25519 + HKDF + AES-256-GCM). Unlocking needs the passphrase;
re-sealing a new data key (rekey) needs only the public key, so every slot is
re-wrapped without asking every user for their passphrase. The associated data of
both wraps binds the format version, vault id, slot kind, user id, user name, role,
KDF parameters and public key, so a slot cannot be moved to another user, given
another role or weakened in place.

Because the public key is in the header, anyone who can write the header could
seal a data key of their own choosing to it. So every sealed data key (and the
header body) is signed with the vault's Ed25519 signing key, whose private half
lives only inside the encrypted database, and the signing key's public half is
pinned inside each slot's passphrase-wrapped plaintext (next to the X25519
private key). Unlocking refuses a sealed key whose signature does not verify
under the public key recovered from the user's own passphrase-wrapped blob.

The whole header, except the failed-unlock counters (written when no key is
available), is covered by an HMAC keyed from the data key and signed: removing a
slot, rolling back the audit head or the commit counter (``Commits``, written after
every commit; see ``checks``) is detected after unlock. The failed-unlock counters
(``Throttle``) carry a keyed copy of their own, so an edit is found at the next
unlock and, until then, a missing or unreadable block counts as the worst case.
Parsing is strict (types, ranges, no NaN), and the KDF parameters have a ceiling.
The file is written atomically (temp file with mode 0600, fsync, rename; the folder
fsync'd too except after an ordinary commit).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake_app import fileio
from intake_app.fileio import fsync_dir
from intake_app.store import kdf as kdf_mod
from intake_app.store.errors import VaultCorrupted, VaultIOError, WrongPassphrase
from intake_app.store.policy import normalize

FORMAT = "intake-app-vault-keys"
FORMAT_VERSION = 3
HEADER_NAME = "vault.keys"
NEW_HEADER_NAME = "vault.keys.new"
RECOVERY_SLOT_NAME = "#recovery"

THROTTLE_FREE_FAILURES = 5
THROTTLE_MAX_S = 300.0
THROTTLE_FIRST_S = 30.0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise VaultCorrupted("鍵ファイルの内容が読めません。")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise VaultCorrupted("鍵ファイルの内容が読めません。") from exc


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def hkdf(key: bytes | bytearray, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(bytes(key))


def _raw_public(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(private: X25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


SUBSTITUTED_KEY = (
    "鍵ファイル（vault.keys）に、この保管庫の署名のない暗号の鍵が入っています"
    "（保管庫のファイルが差し替えられた可能性があります）。この保管庫は開きません。"
    "正しいファイルを戻すか、信頼できるバックアップから復元してください。"
)


def raw_signing_public(signer: Ed25519PrivateKey) -> bytes:
    return signer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def raw_signing_private(signer: Ed25519PrivateKey) -> bytes:
    return signer.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class Slot:
    """One keyslot: a user's (or the recovery key's) way to the data key."""

    kind: str  # "user" or "recovery"
    user_id: int
    user: str
    role: str
    kdf: kdf_mod.KdfParams
    salt: bytes
    public: bytes
    private_nonce: bytes
    private_ct: bytes
    ephemeral: bytes = b""
    key_nonce: bytes = b""
    key_ct: bytes = b""
    key_sig: bytes = b""

    def associated_data(self, vault_id: str) -> bytes:
        return canonical(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "vault_id": vault_id,
                "kind": self.kind,
                "user_id": self.user_id,
                "user": self.user,
                "role": self.role,
                "kdf": self.kdf.to_json(),
                "public": _b64(self.public),
            }
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "user_id": self.user_id,
            "user": self.user,
            "role": self.role,
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "public": _b64(self.public),
            "private_nonce": _b64(self.private_nonce),
            "private_ct": _b64(self.private_ct),
            "ephemeral": _b64(self.ephemeral),
            "key_nonce": _b64(self.key_nonce),
            "key_ct": _b64(self.key_ct),
            "key_sig": _b64(self.key_sig),
        }

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        if not isinstance(data, dict):
            raise VaultCorrupted("鍵ファイルの利用者の登録が読めません。")
        try:
            if data["kind"] not in ("user", "recovery"):
                raise ValueError("unknown slot kind")
            return cls(
                kind=data["kind"],
                user_id=_whole(data["user_id"], 0, 2**31),
                user=_text(data["user"], 256),
                role=_text(data["role"], 64),
                kdf=kdf_mod.KdfParams.from_json(data["kdf"]),
                salt=_unb64(data["salt"]),
                public=_unb64(data["public"]),
                private_nonce=_unb64(data["private_nonce"]),
                private_ct=_unb64(data["private_ct"]),
                ephemeral=_unb64(data["ephemeral"]),
                key_nonce=_unb64(data["key_nonce"]),
                key_ct=_unb64(data["key_ct"]),
                key_sig=_unb64(data["key_sig"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultCorrupted("鍵ファイルの利用者の登録が読めません。") from exc

    # -- wrapping -----------------------------------------------------------------

    @classmethod
    def new(
        cls,
        *,
        vault_id: str,
        kind: str,
        user_id: int,
        user: str,
        role: str,
        secret: str,
        params: kdf_mod.KdfParams,
        data_key: bytearray,
        signer: Ed25519PrivateKey,
    ) -> Slot:
        """A fresh slot for ``secret`` (a passphrase or the recovery key).

        The vault's signing public key is pinned inside the passphrase-wrapped
        plaintext; the sealed data key is signed with ``signer``.
        """
        kdf_mod.require_floor(params)
        private = X25519PrivateKey.generate()
        slot = cls(
            kind=kind,
            user_id=user_id,
            user=user,
            role=role,
            kdf=params,
            salt=secrets.token_bytes(16),
            public=_raw_public(private.public_key()),
            private_nonce=b"",
            private_ct=b"",
        )
        kek = kdf_mod.derive(normalize(secret).encode("utf-8"), slot.salt, params)
        slot.private_nonce = secrets.token_bytes(12)
        slot.private_ct = AESGCM(kek).encrypt(
            slot.private_nonce,
            _raw_private(private) + raw_signing_public(signer),
            slot.associated_data(vault_id),
        )
        slot.seal(vault_id, data_key, signer)
        return slot

    def _wrap_key(self, shared: bytes, vault_id: str) -> bytes:
        return hkdf(shared, b"intake-app slot data key v1" + self.ephemeral, salt=vault_id.encode())

    def sealed_message(self, vault_id: str) -> bytes:
        """What the vault signing key signs: the sealed data key and the slot it is for."""
        return b"intake-app sealed data key v1\0" + canonical(
            {
                "ad": _b64(self.associated_data(vault_id)),
                "ephemeral": _b64(self.ephemeral),
                "key_nonce": _b64(self.key_nonce),
                "key_ct": _b64(self.key_ct),
            }
        )

    def seal(self, vault_id: str, data_key: bytearray, signer: Ed25519PrivateKey) -> None:
        """(Re-)seal ``data_key`` to this slot's public key and sign it; no passphrase needed."""
        ephemeral = X25519PrivateKey.generate()
        self.ephemeral = _raw_public(ephemeral.public_key())
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.public))
        self.key_nonce = secrets.token_bytes(12)
        self.key_ct = AESGCM(self._wrap_key(shared, vault_id)).encrypt(
            self.key_nonce, bytes(data_key), self.associated_data(vault_id) + self.ephemeral
        )
        self.key_sig = signer.sign(self.sealed_message(vault_id))

    def open_blob(self, vault_id: str, secret: str) -> tuple[X25519PrivateKey, bytes]:
        """The slot's private key and the pinned signing public key, or ``WrongPassphrase``."""
        kdf_mod.require_floor(self.kdf)
        kek = kdf_mod.derive(normalize(secret).encode("utf-8"), self.salt, self.kdf)
        try:
            raw = AESGCM(kek).decrypt(
                self.private_nonce, self.private_ct, self.associated_data(vault_id)
            )
        except (InvalidTag, ValueError) as exc:
            raise WrongPassphrase() from exc
        if len(raw) != 64:
            raise VaultCorrupted("鍵ファイルの利用者の登録が壊れています。")
        private = X25519PrivateKey.from_private_bytes(raw[:32])
        if not hmac.compare_digest(_raw_public(private.public_key()), self.public):
            raise VaultCorrupted("鍵ファイルの利用者の登録が改ざんされています。")
        return private, raw[32:]

    def open_private(self, vault_id: str, secret: str) -> X25519PrivateKey:
        """The slot's private key, or ``WrongPassphrase`` (wrong secret or tampered slot)."""
        return self.open_blob(vault_id, secret)[0]

    def check_signature(self, vault_id: str, signing_public: bytes) -> None:
        """``VaultCorrupted`` unless the sealed data key is signed by the pinned vault key."""
        if not verify_signature(signing_public, self.key_sig, self.sealed_message(vault_id)):
            raise VaultCorrupted(SUBSTITUTED_KEY)

    def unseal(
        self, vault_id: str, private: X25519PrivateKey, signing_public: bytes | None = None
    ) -> bytearray:
        """The data key sealed in this slot, opened with the slot's private key.

        With ``signing_public`` (the key pinned in the passphrase-wrapped blob) the
        sealed key's signature is checked first; the program always passes it.
        """
        if signing_public is not None:
            self.check_signature(vault_id, signing_public)
        try:
            shared = private.exchange(X25519PublicKey.from_public_bytes(self.ephemeral))
            key = AESGCM(self._wrap_key(shared, vault_id)).decrypt(
                self.key_nonce, self.key_ct, self.associated_data(vault_id) + self.ephemeral
            )
        except (InvalidTag, ValueError) as exc:
            raise VaultCorrupted(
                "鍵ファイルの利用者の登録が改ざんされているか壊れています。"
            ) from exc
        if len(key) != 32:
            raise VaultCorrupted("鍵ファイルの利用者の登録が壊れています。")
        return bytearray(key)


@dataclass
class Failures:
    """Failed unlocks of one user: how many in a row, and when the latest was (Unix s)."""

    count: int = 0
    last: int = 0


def throttle_delay(count: int) -> float:
    """Seconds to wait after ``count`` consecutive failures: none for the first 4."""
    if count < THROTTLE_FREE_FAILURES:
        return 0.0
    doubling = 2.0 ** min(count - THROTTLE_FREE_FAILURES, 16)
    return min(THROTTLE_MAX_S, THROTTLE_FIRST_S * doubling)


# A failures block that is missing or cannot be read counts as this many failures:
# the longest wait (throttle_delay(9) is the 5 minutes of THROTTLE_MAX_S).
THROTTLE_WORST_COUNT = 9
_MAX_COUNT = 10**9
_MAX_TIME = 2**40
MAX_HEADER_BYTES = 4 * 1024 * 1024


def _whole(value: Any, low: int = 0, high: int = 2**62) -> int:
    """A JSON integer in [low, high]; bools, floats, NaN and strings are refused."""
    if type(value) is not int or not low <= value <= high:
        raise ValueError("not a whole number in range")
    return value


def _text(value: Any, high: int = 4096) -> str:
    if not isinstance(value, str) or len(value) > high:
        raise ValueError("not a short text")
    return value


def _hex(value: Any, size: int | None = None) -> bytes:
    raw = bytes.fromhex(_text(value))
    if size is not None and len(raw) != size:
        raise ValueError("wrong length")
    return raw


def _mark(value: Any) -> dict[str, Any]:
    """An audit chain position ``{"seq": n, "mac": hex}`` (seq 0: none yet)."""
    if not isinstance(value, dict) or set(value) - {"seq", "mac"}:
        raise ValueError("not a chain position")
    seq = _whole(value.get("seq", 0))
    mac = _text(value.get("mac", ""), 64)
    if seq and len(_hex(mac)) != 32:
        raise ValueError("wrong chain MAC")
    return {"seq": seq, "mac": mac} if seq else {"seq": 0, "mac": ""}


class _NotANumber:
    """What ``NaN``, ``Infinity`` and ``-Infinity`` read as: a value no field accepts, so
    the field it stands in is refused (a damaged header, or the worst case for the
    failures block) rather than the whole file failing to parse."""


def _strict_json(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"), parse_constant=lambda name: _NotANumber())


@dataclass
class Commits:
    """How many transactions the database must hold (``commit`` in the header).

    Every committed transaction advances ``n`` in the database (meta ``commits``) in
    the same transaction; the header gets the new value after the commit, fsync'd,
    before the save is reported done. At unlock a database behind the header has
    lost acknowledged saves. ``writes`` counts those that changed the records (not
    audited reads, not draft updates), for the message that says what is missing.
    """

    n: int = 0
    writes: int = 0

    def to_json(self) -> dict[str, int]:
        return {"n": self.n, "writes": self.writes}

    @classmethod
    def from_json(cls, value: Any) -> Commits:
        if not isinstance(value, dict) or set(value) != {"n", "writes"}:
            raise ValueError("not a commit counter")
        n, writes = _whole(value["n"]), _whole(value["writes"])
        if writes > n:
            raise ValueError("inconsistent commit counter")
        return cls(n, writes)


@dataclass
class Throttle:
    """The failed-unlock counters (``throttle`` in the header), outside its MAC.

    They are written after a wrong passphrase, when no key is at hand, so they
    cannot be authenticated when written. ``base`` is a copy of ``users`` made at
    the last write that had the data key, with an HMAC (key from the data key) over
    it and the header's commit counter. Until the next successful unlock, a block
    that is missing or unreadable, or counters below ``base``, count as the worst
    case (the longest wait); the next successful unlock checks the HMAC and records
    an edited block in the audit log. A ``last`` in the future (an edit, or the
    clock set back) is clamped to now.
    """

    users: dict[str, Failures] = field(default_factory=dict)
    base: dict[str, Failures] = field(default_factory=dict)
    base_commit: int = -1
    mac: bytes = b""
    damaged: str = ""  # "missing" or "malformed" when the file's block could not be read
    edited: str = ""  # why the block was set to the worst case, until the next unlock says so

    @staticmethod
    def _users_json(users: dict[str, Failures]) -> dict[str, dict[str, int]]:
        return {n: {"count": f.count, "last": f.last} for n, f in sorted(users.items())}

    @staticmethod
    def _users_from(value: Any) -> dict[str, Failures]:
        if not isinstance(value, dict) or len(value) > 10_000:
            raise ValueError("not a table of users")
        users: dict[str, Failures] = {}
        for name, entry in value.items():
            if not isinstance(entry, dict) or set(entry) != {"count", "last"}:
                raise ValueError("not a failure counter")
            users[_text(name, 256)] = Failures(
                _whole(entry["count"], 0, _MAX_COUNT), _whole(entry["last"], 0, _MAX_TIME)
            )
        return users

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "users": self._users_json(self.users),
            "base": {"commit": self.base_commit, "users": self._users_json(self.base)},
            "mac": self.mac.hex(),
        }
        if self.edited:
            data["edited"] = self.edited
        return data

    @classmethod
    def parse(cls, value: Any, present: bool) -> Throttle:
        """Never raises: an unreadable block is kept as ``damaged`` (the worst case)."""
        if not present:
            return cls(damaged="missing")
        try:
            if not isinstance(value, dict) or not (
                {"users", "base", "mac"} <= set(value) <= {"users", "base", "mac", "edited"}
            ):
                raise ValueError("not a throttle block")
            edited = value.get("edited", "")
            if edited not in ("", *EDITED):
                raise ValueError("unknown edit")
            base = value["base"]
            if not isinstance(base, dict) or set(base) != {"commit", "users"}:
                raise ValueError("not a throttle base")
            return cls(
                users=cls._users_from(value["users"]),
                base=cls._users_from(base["users"]),
                base_commit=_whole(base["commit"], -1),
                mac=_hex(value["mac"]),
                edited=edited,
            )
        except (ValueError, TypeError, AttributeError):
            return cls(damaged="malformed")

    def message(self) -> bytes:
        return b"intake-app throttle v1\0" + canonical(
            {"commit": self.base_commit, "users": self._users_json(self.base)}
        )

    def lowered(self) -> bool:
        """A counter below what the last keyed write recorded (only an edit does that)."""
        for name, base in self.base.items():
            now = self.users.get(name)
            if now is None or now.count < base.count or now.last < base.last:
                return True
        return False


EDITED = ("missing", "malformed", "lowered", "mac")


def _throttle_key(data_key: bytes | bytearray, vault_id: str) -> bytes:
    return hkdf(data_key, b"intake-app throttle mac v1", salt=vault_id.encode())


def now_s() -> int:
    return int(time.time())


@dataclass
class Header:
    vault_id: str
    municipality: str
    generation: int = 1
    slots: list[Slot] = field(default_factory=list)
    audit_head: dict[str, Any] = field(default_factory=dict)
    commits: Commits = field(default_factory=Commits)
    verified: dict[str, Any] = field(default_factory=lambda: {"seq": 0, "mac": ""})
    throttle: Throttle = field(default_factory=Throttle)
    mac: bytes = b""
    signature: bytes = b""

    # -- serialisation --------------------------------------------------------------

    def _authenticated(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "municipality": self.municipality,
            "generation": self.generation,
            "slots": [s.to_json() for s in self.slots],
            "audit_head": self.audit_head or {"seq": 0, "mac": ""},
            "commits": self.commits.to_json(),
            "verified": self.verified,
        }

    def to_bytes(self) -> bytes:
        data = self._authenticated()
        data["throttle"] = self.throttle.to_json()
        data["mac"] = self.mac.hex()
        data["signature"] = self.signature.hex()
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        """Parse strictly: any field of the wrong type or out of range is a damaged file."""
        damaged = "鍵ファイル（vault.keys）が壊れています。"
        if len(raw) > MAX_HEADER_BYTES:
            raise VaultCorrupted(damaged)
        try:
            data = _strict_json(raw)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise VaultCorrupted(damaged) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise VaultCorrupted("鍵ファイル（vault.keys）の形式が違います。")
        if data.get("format_version") != FORMAT_VERSION:
            raise VaultCorrupted("鍵ファイル（vault.keys）の版に対応していません。")
        known = {
            "format",
            "format_version",
            "vault_id",
            "municipality",
            "generation",
            "slots",
            "audit_head",
            "commits",
            "verified",
            "throttle",
            "mac",
            "signature",
        }
        try:
            if set(data) - known:
                raise ValueError("unknown key")
            slots = data["slots"]
            if not isinstance(slots, list) or not 1 <= len(slots) <= 10_000:
                raise ValueError("no slots")
            header = cls(
                vault_id=_text(data["vault_id"], 64),
                municipality=_text(data["municipality"], 256),
                generation=_whole(data["generation"], 1),
                slots=[Slot.from_json(s) for s in slots],
                audit_head=_mark(data["audit_head"]),
                commits=Commits.from_json(data["commits"]),
                verified=_mark(data["verified"]),
                throttle=Throttle.parse(data.get("throttle"), "throttle" in data),
                mac=_hex(data["mac"], 32),
                signature=_hex(data["signature"], 64),
            )
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise VaultCorrupted(damaged) from exc
        return header

    @classmethod
    def load(cls, path: Path) -> Header:
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_HEADER_BYTES + 1)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise VaultIOError("鍵ファイル（vault.keys）を読めませんでした。") from exc
        return cls.from_bytes(raw)

    # -- authentication -------------------------------------------------------------

    def compute_mac(self, data_key: bytearray) -> bytes:
        key = hkdf(data_key, b"intake-app header mac v1", salt=self.vault_id.encode())
        return hmac.new(key, canonical(self._authenticated()), hashlib.sha256).digest()

    def _signed_message(self) -> bytes:
        return b"intake-app header v3\0" + canonical(self._authenticated())

    def sign(self, data_key: bytearray, signer: Ed25519PrivateKey) -> None:
        """MAC (data key) and Ed25519 signature (vault signing key) over the body; the
        failed-unlock counters get their own MAC over a copy (``Throttle.base``)."""
        self.mac = self.compute_mac(data_key)
        self.signature = signer.sign(self._signed_message())
        t = self.throttle
        t.base = {name: Failures(f.count, f.last) for name, f in t.users.items()}
        t.base_commit = self.commits.n
        t.damaged = ""
        t.edited = ""
        t.mac = hmac.new(
            _throttle_key(data_key, self.vault_id), t.message(), hashlib.sha256
        ).digest()

    def verify(self, data_key: bytearray, signing_public: bytes, *, what: str = "") -> None:
        """Check the MAC and the signature; ``what`` names the file in the message.

        ``signing_public`` must come from a passphrase-wrapped slot blob, never from
        the header itself.
        """
        label = what or "鍵ファイル（vault.keys）"
        if not hmac.compare_digest(self.compute_mac(data_key), self.mac):
            raise VaultCorrupted(
                f"{label}が改ざんされています（利用者の登録か監査ログの最新の記録が書き換えられています）。"
            )
        if not verify_signature(signing_public, self.signature, self._signed_message()):
            raise VaultCorrupted(f"{label}に保管庫の署名がありません（差し替えられています）。")

    # -- slots ----------------------------------------------------------------------

    def slots_digest(self) -> str:
        """SHA-256 over what a passphrase change alters in the slots (not the sealed key).

        The database keeps the digests it allows, so putting back an older copy of
        the header (e.g. to revive a passphrase that was reset) is refused.
        """
        static = sorted(
            (
                s.kind,
                s.user_id,
                s.user,
                s.role,
                s.kdf.to_json(),
                _b64(s.salt),
                _b64(s.public),
                _b64(s.private_nonce),
                _b64(s.private_ct),
            )
            for s in self.slots
        )
        return hashlib.sha256(canonical(static)).hexdigest()

    def user_slot(self, user: str) -> Slot | None:
        name = normalize(user)
        for slot in self.slots:
            if slot.kind == "user" and slot.user == name:
                return slot
        return None

    def recovery_slot(self) -> Slot | None:
        for slot in self.slots:
            if slot.kind == "recovery":
                return slot
        return None

    def replace_slot(self, new: Slot) -> None:
        self.slots = [
            s
            for s in self.slots
            if not (s.kind == new.kind and (s.kind == "recovery" or s.user_id == new.user_id))
        ]
        self.slots.append(new)

    def remove_user_slot(self, user_id: int) -> None:
        self.slots = [s for s in self.slots if not (s.kind == "user" and s.user_id == user_id)]

    # -- throttling -----------------------------------------------------------------

    def failures_of(self, user: str) -> Failures | None:
        return self.throttle.users.get(normalize(user))

    def throttle_wait(self, user: str, now: float | None = None) -> float:
        """Seconds until ``user`` may try again (0 when allowed); writes nothing.

        A block that is missing, unreadable or below its keyed copy is the worst
        case; a ``last`` in the future counts from now.
        """
        t = self.throttle
        if t.damaged or t.lowered():
            return THROTTLE_MAX_S
        f = t.users.get(normalize(user))
        if f is None:
            return 0.0
        now_i = now_s() if now is None else int(now)
        last = min(f.last, now_i)
        return float(max(0.0, last + throttle_delay(f.count) - now_i))

    def check_throttle(self, user: str, now: float | None = None) -> tuple[float, bool]:
        """``(seconds to wait, whether the block was repaired and must be written)``.

        Before an attempt. A missing, unreadable or lowered block becomes the worst
        case for every user from now on (so the wait ends 5 minutes later, not never);
        a ``last`` in the future becomes now.
        """
        t = self.throttle
        now_i = now_s() if now is None else int(now)
        if t.damaged or t.lowered():
            t.edited = t.edited or t.damaged or "lowered"
            names = {s.user for s in self.slots} | set(t.users) | set(t.base)
            for name in names:
                count = max(
                    THROTTLE_WORST_COUNT,
                    t.users.get(name, Failures()).count,
                    t.base.get(name, Failures()).count,
                )
                t.users[name] = Failures(count, now_i)
            t.damaged = ""
            return THROTTLE_MAX_S, True
        f = t.users.get(normalize(user))
        if f is None:
            return 0.0, False
        changed = False
        if f.last > now_i:
            f.last = now_i
            changed = True
        return float(max(0, f.last + throttle_delay(f.count) - now_i)), changed

    def record_failure(self, user: str, now: float | None = None) -> None:
        f = self.throttle.users.setdefault(normalize(user), Failures())
        f.count = min(f.count + 1, _MAX_COUNT)
        f.last = max(f.last, now_s() if now is None else int(now))

    def clear_failures(self, user: str) -> Failures | None:
        return self.throttle.users.pop(normalize(user), None)

    def throttle_problem(self, data_key: bytearray) -> str:
        """After a successful unlock, before anything is written: why the failed-unlock
        counters cannot be trusted (``""`` when they can): ``missing``, ``malformed``,
        ``mac`` (edited, or an old copy put back) or ``lowered``."""
        t = self.throttle
        if t.damaged:
            return t.damaged
        if t.edited:
            return t.edited
        expected = hmac.new(
            _throttle_key(data_key, self.vault_id), t.message(), hashlib.sha256
        ).digest()
        if t.base_commit != self.commits.n or not hmac.compare_digest(expected, t.mac):
            return "mac"
        if t.lowered():
            return "lowered"
        return ""


def write_atomic(path: Path, data: bytes, *, durable_rename: bool = True) -> None:
    """Owner-only atomic replace (``intake_app.fileio``), as a ``VaultIOError`` on failure."""
    try:
        fileio.write_private(path, data, durable=False)
    except OSError as exc:
        raise VaultIOError(f"{path.name} を書き込めませんでした（{exc.strerror}）。") from exc
    if durable_rename:
        fsync_dir(path.parent)


def save(header: Header, path: Path, *, durable_rename: bool = True) -> None:
    write_atomic(path, header.to_bytes(), durable_rename=durable_rename)


@contextlib.contextmanager
def zeroing(buffer: bytearray) -> Iterator[bytearray]:
    try:
        yield buffer
    finally:
        zero(buffer)


def zero(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0
