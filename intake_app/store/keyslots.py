"""Keyslots: who can unlock the vault, and how a passphrase becomes the data key.

The header file (``vault.keys``, format in ``header``) holds one slot per user plus
the recovery slot. A passphrase (or the recovery key) opens its slot's X25519 key
and the vault's Ed25519 signing public key pinned with it; the slot's sealed data
key and the whole header must be signed by that signing key, whose private half is
only in the encrypted ``meta`` table. The database also keeps the digests of the
slot lists it accepts, so an old copy of ``vault.keys`` put back is refused.

Used by ``vault`` (create, open, restore, recover), ``session`` (re-authentication,
checks) and ``users`` (new and changed slots).
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from intake_app.store import header as header_mod
from intake_app.store import kdf as kdf_mod
from intake_app.store.connection import DB_NAME, Connection, read_meta
from intake_app.store.errors import Throttled, VaultCorrupted, VaultNotFound, WrongPassphrase
from intake_app.store.header import HEADER_NAME, Header, Slot, zero
from intake_app.store.policy import normalize

SIGNING_KEY = "signing_key"  # meta key: the vault's Ed25519 private key (hex)
SLOT_DIGESTS = "slot_digests"  # meta key: JSON list of the accepted slot-list digests


# -- the recovery key ------------------------------------------------------------------


def new_recovery_key() -> str:
    """160 random bits as 8 groups of 4 base32 characters, e.g. ``ABCD-EFGH-…``."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_recovery_key(text: str) -> str:
    """Accept lower case, spaces and the digits people misread for letters."""
    cleaned = normalize(text).upper().translate(str.maketrans("018", "OIB"))
    cleaned = "".join(ch for ch in cleaned if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


# -- new slots ---------------------------------------------------------------------------


def user_slot(
    vault_id: str,
    key: bytearray,
    signer: Ed25519PrivateKey,
    params: kdf_mod.KdfParams,
    user_id: int,
    name: str,
    role: str,
    secret: str,
) -> Slot:
    """A user's keyslot: the data key sealed to it, signed by the vault."""
    return Slot.new(
        vault_id=vault_id,
        kind="user",
        user_id=user_id,
        user=name,
        role=role,
        secret=secret,
        params=params,
        data_key=key,
        signer=signer,
    )


def recovery_slot(
    vault_id: str,
    key: bytearray,
    signer: Ed25519PrivateKey,
    params: kdf_mod.KdfParams,
    recovery_key: str,
) -> Slot:
    """The recovery keyslot, opened with the printed recovery key."""
    return Slot.new(
        vault_id=vault_id,
        kind="recovery",
        user_id=0,
        user=header_mod.RECOVERY_SLOT_NAME,
        role="recovery",
        secret=recovery_key,
        params=params,
        data_key=key,
        signer=signer,
    )


# -- the header and what the database pins ----------------------------------------------


def load_header(data_dir: Path) -> Header:
    """The data folder's ``vault.keys``; ``VaultNotFound`` when there is no vault at all."""
    path = data_dir / HEADER_NAME
    if not path.exists():
        if (data_dir / DB_NAME).exists():
            raise VaultCorrupted(
                "鍵ファイル（vault.keys）がありません。バックアップから復元してください。"
            )
        raise VaultNotFound()
    try:
        return Header.load(path)
    except FileNotFoundError as exc:
        raise VaultNotFound() from exc


def allowed_slot_digests(conn: Connection) -> list[str] | None:
    """The slot-list digests the database accepts (None on a vault from before the list)."""
    raw = read_meta(conn, SLOT_DIGESTS)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise VaultCorrupted("保管庫の利用者の登録情報が壊れています。") from exc
    return [str(v) for v in value] if isinstance(value, list) else []


def set_slot_digests(conn: Connection, digests: list[str]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (SLOT_DIGESTS, json.dumps(list(dict.fromkeys(digests)))),
    )


def signer(conn: Connection, signing_public: bytes | None = None) -> Ed25519PrivateKey:
    """The vault signing key from ``meta``; must match the key pinned in the user's slot."""
    raw = read_meta(conn, SIGNING_KEY)
    try:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(raw or ""))
    except ValueError as exc:
        raise VaultCorrupted(
            "保管庫の署名の鍵がありません（データベースが壊れています）。"
        ) from exc
    if signing_public is not None and not secrets.compare_digest(
        header_mod.raw_signing_public(key), signing_public
    ):
        raise VaultCorrupted(
            "データベースが鍵ファイルの保管庫のものではありません（差し替えられています）。"
        )
    return key


# -- unlocking ---------------------------------------------------------------------------


def open_user_blob(
    data_dir: Path, header: Header, user: str, passphrase: str
) -> tuple[Slot, X25519PrivateKey, bytes]:
    """Throttle check, KDF and unwrap; a wrong passphrase is counted.

    Returns the slot, its X25519 private key and the vault signing public key
    pinned in the passphrase-wrapped plaintext.
    """
    check_throttle(data_dir, header, user)
    slot = header.user_slot(user)
    if slot is None:
        dummy_derivation(header, passphrase)
        # The same write as a known name's counted failure (the file is fsync'd), so the
        # time does not tell the names apart either; the typed name itself is not kept.
        header_mod.save(header, data_dir / HEADER_NAME)
        raise WrongPassphrase()
    try:
        private, signing_public = slot.open_blob(header.vault_id, passphrase)
    except WrongPassphrase:
        header.record_failure(slot.user)
        header_mod.save(header, data_dir / HEADER_NAME)
        raise
    return slot, private, signing_public


def check_throttle(data_dir: Path, header: Header, user: str) -> None:
    """``Throttled`` while ``user`` must wait; a damaged or edited failures block is
    repaired to the worst case first (written at once: the only write before a key)."""
    wait, repaired = header.check_throttle(user)
    if repaired:
        header_mod.save(header, data_dir / HEADER_NAME)
    if wait > 0:
        raise Throttled(wait)


def dummy_derivation(header: Header, passphrase: str) -> None:
    """Spend the time a real slot's KDF would, so an unknown name is not told by timing.

    Uses the parameters of the vault's first user slot (calibrated on this PC), or
    the recovery slot's, with a random salt; the result is thrown away.
    """
    slots = [s for s in header.slots if s.kind == "user"] or header.slots
    if not slots:
        return
    params = slots[0].kdf
    if not params.meets_floor() and not kdf_mod.fast_kdf_allowed():
        params = kdf_mod.FLOOR
    kdf_mod.derive(normalize(passphrase).encode("utf-8"), secrets.token_bytes(16), params)


def unseal_verified(
    header: Header, slot: Slot, private: X25519PrivateKey, signing_public: bytes, what: str = ""
) -> bytearray:
    """The data key, only if its seal and the header are signed by the pinned vault key."""
    key = slot.unseal(header.vault_id, private, signing_public)
    try:
        header.verify(key, signing_public, what=what)
    except BaseException:
        zero(key)
        raise
    return key


def unlock_slot(
    data_dir: Path, header: Header, user: str, passphrase: str
) -> tuple[Slot, X25519PrivateKey, bytearray, bytes]:
    """Throttle check, KDF, unwrap, signature and header MAC; a wrong passphrase is counted."""
    slot, private, signing_public = open_user_blob(data_dir, header, user, passphrase)
    key = unseal_verified(header, slot, private, signing_public)
    return slot, private, key, signing_public


# -- checks ------------------------------------------------------------------------------


def slot_problems(header: Header, users: dict[int, tuple[str, str, bool]]) -> list[str]:
    """The slots (authentic: header MAC checked at unlock) against the registered users.

    ``users`` maps user id → (name, role, disabled). Japanese sentences; empty when
    every enabled user has exactly their slot and the recovery slot is there.
    """
    problems: list[str] = []
    with_slot: set[int] = set()
    for slot in header.slots:
        if not slot.kdf.meets_floor() and not kdf_mod.fast_kdf_allowed():
            problems.append(
                f"利用者「{slot.user}」の登録の、パスフレーズを確かめる計算が安全基準を下回っています。"
            )
        if slot.kind != "user":
            continue
        with_slot.add(slot.user_id)
        user = users.get(slot.user_id)
        if user is None or user[0] != slot.user or user[1] != slot.role:
            problems.append(
                f"鍵ファイルの「{slot.user}」の登録が、データベースの利用者の登録と一致しません。"
            )
        elif user[2]:
            problems.append(f"無効にした利用者「{slot.user}」の登録が鍵ファイルに残っています。")
    for user_id, (name, _, disabled) in users.items():
        if not disabled and user_id not in with_slot:
            problems.append(
                f"利用者「{name}」の登録が鍵ファイルにありません（パスフレーズを再設定してください）。"
            )
    if header.recovery_slot() is None:
        problems.append("鍵ファイルに回復キーの登録がありません。")
    return problems
