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
available), is covered by an HMAC keyed from the data key: removing a slot or
rolling back the audit head is detected after unlock. The file is written
atomically (temp file with mode 0600, fsync, rename, fsync of the folder).
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
FORMAT_VERSION = 2
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
            return cls(
                kind=str(data["kind"]),
                user_id=int(data["user_id"]),
                user=str(data["user"]),
                role=str(data["role"]),
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
    count: int = 0
    last: float = 0.0
    reported: int = 0  # failures already written to the audit log


def throttle_delay(count: int) -> float:
    """Seconds to wait after ``count`` consecutive failures: none for the first 4."""
    if count < THROTTLE_FREE_FAILURES:
        return 0.0
    doubling = 2.0 ** min(count - THROTTLE_FREE_FAILURES, 16)
    return min(THROTTLE_MAX_S, THROTTLE_FIRST_S * doubling)


@dataclass
class Header:
    vault_id: str
    municipality: str
    generation: int = 1
    slots: list[Slot] = field(default_factory=list)
    audit_head: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, Failures] = field(default_factory=dict)
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
            "audit_head": self.audit_head,
        }

    def to_bytes(self) -> bytes:
        data = self._authenticated()
        data["failures"] = {
            name: {"count": f.count, "last": f.last, "reported": f.reported}
            for name, f in sorted(self.failures.items())
        }
        data["mac"] = self.mac.hex()
        data["signature"] = self.signature.hex()
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise VaultCorrupted("鍵ファイル（vault.keys）が壊れています。") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise VaultCorrupted("鍵ファイル（vault.keys）の形式が違います。")
        if data.get("format_version") != FORMAT_VERSION:
            raise VaultCorrupted("鍵ファイル（vault.keys）の版に対応していません。")
        try:
            failures = {
                str(name): Failures(int(f["count"]), float(f["last"]), int(f.get("reported", 0)))
                for name, f in dict(data.get("failures", {})).items()
            }
            header = cls(
                vault_id=str(data["vault_id"]),
                municipality=str(data["municipality"]),
                generation=int(data["generation"]),
                slots=[Slot.from_json(s) for s in data["slots"]],
                audit_head=dict(data["audit_head"]),
                failures=failures,
                mac=bytes.fromhex(str(data["mac"])),
                signature=bytes.fromhex(str(data["signature"])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise VaultCorrupted("鍵ファイル（vault.keys）が壊れています。") from exc
        return header

    @classmethod
    def load(cls, path: Path) -> Header:
        try:
            raw = path.read_bytes()
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
        return b"intake-app header v2\0" + canonical(self._authenticated())

    def sign(self, data_key: bytearray, signer: Ed25519PrivateKey) -> None:
        """MAC (data key) and Ed25519 signature (vault signing key) over the body."""
        self.mac = self.compute_mac(data_key)
        self.signature = signer.sign(self._signed_message())

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

    def throttle_wait(self, user: str, now: float | None = None) -> float:
        """Seconds until ``user`` may try again (0 when allowed).

        A clock that went backwards is not held against the user: the wait would
        otherwise last until the clock catches up.
        """
        f = self.failures.get(normalize(user))
        if f is None:
            return 0.0
        delay = throttle_delay(f.count)
        now = time.time() if now is None else now
        if delay <= 0 or now < f.last:
            return 0.0
        return float(max(0.0, f.last + delay - now))

    def record_failure(self, user: str, now: float | None = None) -> None:
        f = self.failures.setdefault(normalize(user), Failures())
        f.count += 1
        f.last = time.time() if now is None else now

    def clear_failures(self, user: str) -> Failures | None:
        return self.failures.pop(normalize(user), None)


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
