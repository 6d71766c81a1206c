"""The vault: create, unlock, and the session every read and write passes through.

Files in the data folder:

- ``vault.db`` (+ ``-wal``, ``-shm``): the SQLCipher database, raw 256-bit data key.
- ``vault.keys``: keyslots, failed-unlock counters, the audit head (see ``header``).
- ``vault.lock``: the single-instance lock (see ``lock``).
- ``backups/``: copies taken before schema migrations.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import dataclasses
import json
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from intake_app import fileio
from intake_app.store import audit as audit_mod
from intake_app.store import header as header_mod
from intake_app.store import kdf as kdf_mod
from intake_app.store import migrations
from intake_app.store.connection import (
    Connection,
    integrity_problems,
    key_pragma,
    map_error,
    open_connection,
    read_error,
)
from intake_app.store.errors import (
    PermissionDenied,
    Throttled,
    UserError,
    VaultCorrupted,
    VaultError,
    VaultExists,
    VaultIOError,
    VaultNotFound,
    WrongPassphrase,
)
from intake_app.store.header import HEADER_NAME, NEW_HEADER_NAME, Header, Slot, zero
from intake_app.store.lock import LOCK_NAME, InstanceLock
from intake_app.store.policy import check_passphrase, check_user_name, normalize

if TYPE_CHECKING:
    from intake_app.store.records import Records
    from intake_app.store.stats import Stats

DB_NAME = "vault.db"
HEAD_SYNC_INTERVAL_S = 2.0
ROLES = ("counselor", "supervisor")
SUPERVISOR = "supervisor"
COUNSELOR = "counselor"
RECOVERY_ACTOR = "回復キー"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class User:
    """The logged-in user of a session."""

    id: int
    name: str
    role: str
    display_name: str = ""

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    display_name: str
    disabled: bool
    created_at: str
    last_login_at: str | None
    has_slot: bool


@dataclass(frozen=True)
class VerifyReport:
    """``intake-app verify``: ``problems`` are Japanese sentences; empty means all passed."""

    problems: list[str]
    audit_entries: int
    audit_first_bad: int | None
    slots: int

    @property
    def ok(self) -> bool:
        return not self.problems


# -- recovery key ----------------------------------------------------------------------


def new_recovery_key() -> str:
    """160 random bits as 8 groups of 4 base32 characters, e.g. ``ABCD-EFGH-…``."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_recovery_key(text: str) -> str:
    """Accept lower case, spaces and the digits people misread for letters."""
    cleaned = normalize(text).upper().translate(str.maketrans("018", "OIB"))
    cleaned = "".join(ch for ch in cleaned if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


# -- helpers ---------------------------------------------------------------------------


def _paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / DB_NAME, data_dir / HEADER_NAME


def _user_slot(
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


def _recovery_slot(
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


def _load_header(data_dir: Path) -> Header:
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


def _remove_made(made: list[Path], lock_path: Path, lock_existed: bool) -> None:
    """Undo what a failed ``create`` made: its lock file, then its empty new folders."""
    if not lock_existed:
        with contextlib.suppress(OSError):
            lock_path.unlink()
    for folder in made:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def check_backup_dest(dest: Path) -> Path:
    """``VaultError`` unless ``dest`` is a new or empty folder (checked before any unlock)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise VaultError(f"バックアップ先は新しいフォルダか空のフォルダにしてください: {dest}")
    return dest


KEPT_PREFIX = "replaced-"


def find_kept_copies(data_dir: Path) -> list[Path]:
    """Old vault copies in ``data_dir``: ``replaced-*/`` (restore) and the
    ``backups/vault-vNNNN-*`` database/header pairs (migrations), oldest name first.

    They hold every keyslot of their time, so a disabled user or an old passphrase
    still opens them. Symbolic links are never listed.
    """
    data_dir = Path(data_dir)
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for path in sorted(data_dir.glob(KEPT_PREFIX + "*")):
            if path.is_dir() and not path.is_symlink():
                found.append(path)
    folder = data_dir / migrations.BACKUP_DIR_NAME
    if folder.is_dir() and not folder.is_symlink():
        with contextlib.suppress(OSError):
            for path in sorted(folder.glob("vault-v*")):
                if path.suffix in (".db", ".keys") and path.is_file() and not path.is_symlink():
                    found.append(path)
    return found


def kept_copies_notice(copies: list[Path]) -> str:
    """The Japanese notice shown after a user is disabled, a passphrase reset or a rekey."""
    names = "、".join(str(p) for p in copies)
    return (
        f"古いコピーが残っています（無効にした利用者の鍵でも開けます）: {names} "
        "不要になったら安全に削除してください（intake-app prune-copies）。"
    )


def _overwrite_and_delete(path: Path) -> None:
    """Overwrite a regular file with zeros (fsync'd), then delete it."""
    size = path.stat().st_size
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        block = bytes(1 << 16)
        left = size
        while left > 0:
            left -= os.write(fd, block[: min(left, len(block))])
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _meta(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


TRAINING = "training"  # meta key: "1" on a training vault (demo data allowed, marked in the GUI)


class RealRecordsPresent(VaultError):
    default_message = (
        "この保管庫には実際の相談記録があります。"
        "練習用のデータは、新しく作った練習用の保管庫にだけ入れられます。"
    )


def is_training_vault(conn: Connection) -> bool:
    """Whether the vault behind ``conn`` is marked as a training vault."""
    return _meta(conn, TRAINING) == "1"


def check_training_allowed(conn: Connection) -> None:
    """Refuse (``RealRecordsPresent``) synthetic data on a vault with real work in it.

    Allowed on a training vault, or on a vault with no consultation and no draft.
    Reads only: usable as ``Vault.open(..., precheck=check_training_allowed)``.
    """
    if is_training_vault(conn):
        return
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM consultations) OR EXISTS (SELECT 1 FROM drafts)"
    ).fetchone()
    if row is not None and int(row[0]):
        raise RealRecordsPresent()


def mark_training(conn: Connection) -> None:
    """Inside an open write transaction: check as above, then mark the vault as training."""
    check_training_allowed(conn)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (TRAINING,))


SLOT_DIGESTS = "slot_digests"


def _allowed_slot_digests(conn: Connection) -> list[str] | None:
    raw = _meta(conn, SLOT_DIGESTS)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise VaultCorrupted("保管庫の鍵スロット情報が壊れています。") from exc
    return [str(v) for v in value] if isinstance(value, list) else []


def _set_slot_digests(conn: Connection, digests: list[str]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (SLOT_DIGESTS, json.dumps(list(dict.fromkeys(digests)))),
    )


SIGNING_KEY = "signing_key"
BACKUP_KEYS = "バックアップの鍵ファイル（vault.keys）"


def _signer(conn: Connection, signing_public: bytes | None = None) -> Ed25519PrivateKey:
    """The vault signing key from ``meta``; must match the key pinned in the user's slot."""
    raw = _meta(conn, SIGNING_KEY)
    try:
        signer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(raw or ""))
    except ValueError as exc:
        raise VaultCorrupted("保管庫の署名鍵がありません（データベースが壊れています）。") from exc
    if signing_public is not None and not secrets.compare_digest(
        header_mod.raw_signing_public(signer), signing_public
    ):
        raise VaultCorrupted(
            "データベースが鍵スロットの保管庫のものではありません（差し替えられています）。"
        )
    return signer


def _chain_key(conn: Connection, vault_id: str) -> bytes:
    secret = _meta(conn, "audit_secret")
    if secret is None:
        raise VaultCorrupted("監査ログの鍵情報がありません。")
    return audit_mod.chain_key(bytes.fromhex(secret), vault_id)


def _open_user_blob(
    data_dir: Path, header: Header, user: str, passphrase: str
) -> tuple[Slot, X25519PrivateKey, bytes]:
    """Throttle check, KDF and unwrap; a wrong passphrase is counted.

    Returns the slot, its X25519 private key and the vault signing public key
    pinned in the passphrase-wrapped plaintext.
    """
    wait = header.throttle_wait(user)
    if wait > 0:
        raise Throttled(wait)
    slot = header.user_slot(user)
    if slot is None:
        _dummy_derivation(header, passphrase)
        raise WrongPassphrase()
    try:
        private, signing_public = slot.open_blob(header.vault_id, passphrase)
    except WrongPassphrase:
        header.record_failure(slot.user)
        header_mod.save(header, data_dir / HEADER_NAME)
        raise
    return slot, private, signing_public


def _dummy_derivation(header: Header, passphrase: str) -> None:
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


def _unseal_verified(
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


def _unlock_slot(
    data_dir: Path, header: Header, user: str, passphrase: str
) -> tuple[Slot, X25519PrivateKey, bytearray, bytes]:
    """Throttle check, KDF, unwrap, signature and header MAC; a wrong passphrase is counted."""
    slot, private, signing_public = _open_user_blob(data_dir, header, user, passphrase)
    key = _unseal_verified(header, slot, private, signing_public)
    return slot, private, key, signing_public


def _connect(
    data_dir: Path,
    header: Header,
    key: bytearray,
    slot: Slot,
    private: X25519PrivateKey,
    signing_public: bytes,
) -> tuple[Connection, Header, bytearray]:
    """Open the database; finish a rekey interrupted after the database switched keys.

    See ``Session.rekey`` for why trying ``vault.keys`` first and ``vault.keys.new``
    second is always safe.
    """
    db_path, header_path = _paths(data_dir)
    new_path = data_dir / NEW_HEADER_NAME
    try:
        conn = open_connection(db_path, key)
    except VaultCorrupted:
        if not new_path.exists():
            raise
        new = Header.load(new_path)
        new_slot = next(
            (s for s in new.slots if s.kind == slot.kind and s.user_id == slot.user_id), None
        )
        if new_slot is None or new_slot.public != slot.public:
            raise
        new_key = new_slot.unseal(new.vault_id, private, signing_public)
        try:
            new.verify(new_key, signing_public)
            conn = open_connection(db_path, new_key)
        except VaultError:
            zero(new_key)
            raise
        os.replace(new_path, header_path)
        fileio.fsync_dir(data_dir)
        zero(key)
        return conn, new, new_key
    if new_path.exists():
        # A rekey that never reached the database: its header is of no use.
        with contextlib.suppress(OSError):
            new_path.unlink()
    return conn, header, key


def _load_backup_header(src: Path) -> Header:
    if not (src / HEADER_NAME).exists() or not (src / DB_NAME).exists():
        raise VaultNotFound(f"バックアップのフォルダに vault.db と vault.keys がありません: {src}")
    try:
        return Header.load(src / HEADER_NAME)
    except VaultCorrupted as exc:
        raise VaultCorrupted(f"{BACKUP_KEYS}が壊れています: {src}") from exc


def _verify_copy(db_path: Path, key: bytearray, header: Header) -> None:
    """Both integrity checks, the audit chain against ``header`` and the vault id."""
    try:
        conn = open_connection(db_path, key)
    except VaultError as exc:
        raise VaultCorrupted(f"バックアップを開けません: {exc.message}") from exc
    try:
        problems = integrity_problems(conn)
        migrations.check_not_newer(conn)
        if _meta(conn, "vault_id") != header.vault_id:
            problems.append("鍵ファイルとデータベースが別の保管庫のものです。")
        else:
            report = audit_mod.verify_chain(
                conn, _chain_key(conn, header.vault_id), header.audit_head
            )
            if not report.ok:
                problems.append(report.problem)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlcipher3.Error as exc:
        problems = [read_error(exc)]
    finally:
        conn.close()
    if problems:
        raise VaultCorrupted("バックアップの検査で問題が見つかりました: " + " / ".join(problems))


def _restore_with_key(
    data_dir: Path, src: Path, src_header: Header, key: bytearray, actor: str
) -> Path:
    """Stage and verify a copy of ``src``, move the current vault aside, install the copy.

    The caller holds the instance lock. Nothing in ``data_dir`` changes until the
    staged copy has passed every check.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    staging = data_dir / f".restore-{stamp}-{secrets.token_hex(3)}"
    kept = data_dir / f"replaced-{stamp}"
    n = 1
    while kept.exists():  # two restores in the same second
        n += 1
        kept = data_dir / f"replaced-{stamp}-{n}"
    try:
        staging.mkdir(mode=0o700)
        shutil.copyfile(src / DB_NAME, staging / DB_NAME)
        (staging / DB_NAME).chmod(0o600)
        _verify_copy(staging / DB_NAME, key, src_header)
        kept.mkdir(mode=0o700)
        for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", HEADER_NAME, NEW_HEADER_NAME):
            if (data_dir / name).exists():
                os.replace(data_dir / name, kept / name)
        os.replace(staging / DB_NAME, data_dir / DB_NAME)
        header_mod.save(src_header, data_dir / HEADER_NAME)
        fileio.fsync_dir(data_dir)
    except OSError as exc:
        raise VaultIOError(f"復元中にファイルを書き込めませんでした（{exc.strerror}）。") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    conn = open_connection(data_dir / DB_NAME, key)
    try:
        chain = audit_mod.Chain.load(conn, _chain_key(conn, src_header.vault_id))
        chain.begin()
        conn.execute("BEGIN IMMEDIATE")
        chain.append(conn, None, actor, "restore", None, stamp)
        conn.execute("COMMIT")
        chain.commit()
        src_header.audit_head = chain.head()
        src_header.sign(key, _signer(conn))
        header_mod.save(src_header, data_dir / HEADER_NAME)
    except sqlcipher3.Error as exc:
        raise map_error(exc) from exc
    finally:
        conn.close()
    return kept


# -- the vault -------------------------------------------------------------------------


class Vault:
    """Entry points that work on a data folder; they return a ``Session``."""

    @staticmethod
    def exists(data_dir: Path) -> bool:
        data_dir = Path(data_dir)
        return (data_dir / HEADER_NAME).exists() or (data_dir / DB_NAME).exists()

    @staticmethod
    def throttle_wait(data_dir: Path, user: str) -> float:
        """Seconds ``user`` must still wait after repeated failed unlocks (0 if none)."""
        try:
            header = _load_header(Path(data_dir))
        except VaultError:
            return 0.0
        return header.throttle_wait(user)

    @staticmethod
    def create(
        data_dir: Path,
        user: str,
        passphrase: str,
        *,
        municipality: str = "warabi",
        progress: Progress | None = None,
        kdf: kdf_mod.KdfParams | None = None,
    ) -> str:
        """Create a new vault whose first user is a supervisor; returns the recovery key.

        ``kdf`` overrides the calibrated Argon2id parameters; values below the floor
        are refused unless ``INTAKE_APP_TEST_FAST_KDF=1`` is set (tests only).
        """
        data_dir = Path(data_dir)
        name = check_user_name(user)
        secret = check_passphrase(passphrase)
        if Vault.exists(data_dir):
            raise VaultExists()
        params = kdf if kdf is not None else kdf_mod.calibrate(progress=progress)
        kdf_mod.require_floor(params)
        made = [p for p in (data_dir, *data_dir.parents) if not p.exists()]
        lock_path = data_dir / LOCK_NAME
        lock_existed = lock_path.exists()
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultIOError(f"データフォルダを作れませんでした: {data_dir}") from exc
        try:
            lock = InstanceLock(data_dir).acquire()
        except BaseException:
            _remove_made(made, lock_path, lock_existed)
            raise
        failed = False
        key = bytearray(secrets.token_bytes(32))
        signer = Ed25519PrivateKey.generate()
        db_path, header_path = _paths(data_dir)
        conn: Connection | None = None
        try:
            if Vault.exists(data_dir):
                raise VaultExists()
            vault_id = secrets.token_hex(16)
            if progress:
                progress("鍵スロットを作成しています…")
            user_id = 1
            recovery_key = new_recovery_key()
            header = Header(vault_id=vault_id, municipality=municipality)
            header.slots.append(
                _user_slot(vault_id, key, signer, params, user_id, name, SUPERVISOR, secret)
            )
            header.slots.append(_recovery_slot(vault_id, key, signer, params, recovery_key))
            if progress:
                progress("保管庫を作成しています…")
            _create_private_file(db_path)
            conn = open_connection(db_path, key, create=True)
            migrations.migrate(conn, db_path, header_path, backup=False)
            audit_secret = secrets.token_bytes(32)
            now = audit_mod.now_iso()
            chain_key = audit_mod.chain_key(audit_secret, vault_id)
            chain = audit_mod.Chain(chain_key, 0, audit_mod.genesis(chain_key))
            chain.begin()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("vault_id", vault_id),
                    ("municipality", municipality),
                    ("created_at", now),
                    ("audit_secret", audit_secret.hex()),
                    (SIGNING_KEY, header_mod.raw_signing_private(signer).hex()),
                ],
            )
            _set_slot_digests(conn, [header.slots_digest()])
            conn.execute(
                "INSERT INTO users (id, name, role, created_at, passphrase_changed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, name, SUPERVISOR, now, now),
            )
            chain.append(conn, user_id, name, "vault_create")
            chain.append(conn, user_id, name, "user_add", str(user_id), SUPERVISOR)
            conn.execute("COMMIT")
            chain.commit()
            header.audit_head = chain.head()
            header.sign(key, signer)
            header_mod.save(header, header_path)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return recovery_key
        except BaseException as exc:
            failed = True
            if conn is not None:
                conn.close()
                conn = None
            if not (data_dir / HEADER_NAME).exists():
                # Without its header the new database can never be opened: remove it so
                # that setup can simply be run again.
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        (data_dir / (DB_NAME + suffix)).unlink()
            if isinstance(exc, sqlcipher3.Error):
                raise map_error(exc) from exc
            raise
        finally:
            if conn is not None:
                conn.close()
            zero(key)
            lock.release()
            if failed and not Vault.exists(data_dir):
                # A failed setup leaves no new folder and no lock file behind.
                _remove_made(made, lock_path, lock_existed)

    @staticmethod
    def open(
        data_dir: Path,
        user: str,
        passphrase: str,
        *,
        check_integrity: bool = False,
        require_supervisor: bool = False,
        precheck: Callable[[Connection], None] | None = None,
    ) -> Session:
        """Unlock with ``user``'s passphrase and return the session.

        Refusals (wrong passphrase, throttled, in use, too new, corrupted) write
        nothing, except that a wrong passphrase increments the user's failure
        counter in the header, which throttling after 5 failures needs. With
        ``check_integrity`` both integrity checks and the whole audit chain are
        verified before anything is written (also done automatically at the first
        unlock after the previous program crashed); with ``require_supervisor`` a
        counselor is refused (``PermissionDenied``) before anything is written.
        ``precheck(conn)`` runs after the keys are proven and before the unlock is
        recorded: whatever it raises is raised with nothing written (the CLI uses it
        to refuse e.g. an existing user name without unlock and lock entries).
        """
        data_dir = Path(data_dir)
        if not Vault.exists(data_dir):
            raise VaultNotFound()
        lock = InstanceLock(data_dir).acquire()
        try:
            header = _load_header(data_dir)
            slot, private, key, pinned = _unlock_slot(data_dir, header, user, passphrase)
            if require_supervisor and slot.role != SUPERVISOR:
                zero(key)
                raise PermissionDenied()
            try:
                conn, header, key = _connect(data_dir, header, key, slot, private, pinned)
            except BaseException:
                zero(key)
                raise
            try:
                session = Session(data_dir, header, key, conn, slot, lock, pinned)
            except BaseException:
                conn.close()
                zero(key)
                raise
        except BaseException:
            lock.release()
            raise
        if precheck is not None:
            try:
                with session._mutex:
                    precheck(session._require())
            except BaseException as exc:
                session._abandon()
                if isinstance(exc, sqlcipher3.Error):
                    raise map_error(exc) from exc
                raise
        after_crash = lock.take_unclean_shutdown()
        try:
            session._after_unlock(check_integrity=check_integrity or after_crash)
            if after_crash:
                session.audit("integrity_check_after_crash", detail="ok")
        except BaseException:
            if after_crash:
                lock.mark_unclean_shutdown()
            session._abandon()
            raise
        return session

    @staticmethod
    def verify(data_dir: Path, user: str, passphrase: str) -> VerifyReport:
        """``intake-app verify``: unlock read-only and report every problem found.

        Unlike ``open(check_integrity=True)``, a vault whose audit chain was cut or
        edited is still opened (read-only) so that the report names the first bad
        entry. When there is any problem, nothing is written (no unlock, verify or
        lock entry, no header change, no migration); a clean vault gets the usual
        unlock, verify and lock entries. Wrong passphrases are counted as usual.
        """
        data_dir = Path(data_dir)
        if not Vault.exists(data_dir):
            raise VaultNotFound()
        lock = InstanceLock(data_dir).acquire()
        try:
            header = _load_header(data_dir)
            slot, private, key, pinned = _unlock_slot(data_dir, header, user, passphrase)
            try:
                conn, header, key = _connect(data_dir, header, key, slot, private, pinned)
            except BaseException:
                zero(key)
                raise
            try:
                session = Session(data_dir, header, key, conn, slot, lock, pinned, migrate=False)
            except BaseException:
                conn.close()
                zero(key)
                raise
        except BaseException:
            lock.release()
            raise
        after_crash = lock.take_unclean_shutdown()
        try:
            with session._mutex:
                report = session._check()
            if not report.ok:
                if after_crash:
                    lock.mark_unclean_shutdown()
                session._abandon()
                return report
            session._migrate_if_needed(session._require())
            session._after_unlock(check_integrity=False)
            if after_crash:
                session.audit("integrity_check_after_crash", detail="ok")
            session.audit("verify", detail="ok")
        except BaseException:
            if after_crash:
                lock.mark_unclean_shutdown()
            session._abandon()
            raise
        session.close()
        return report

    @staticmethod
    def restore(
        data_dir: Path,
        src: Path,
        user: str,
        passphrase: str,
        *,
        notice: Callable[[str], None] | None = None,
    ) -> Path | None:
        """Verify the backup in ``src``, then replace the vault; returns where the old one is.

        The passphrase is checked against the current vault when its header can be
        read (``user`` must be a supervisor there). The backup's sealed data key
        must then be signed by the vault signing key pinned in that user's current
        slot (the key is carried across rekeys), so a doctored backup is refused.
        Only when there is no readable current vault is the backup's own slot
        trusted, and ``notice`` is told so.
        """
        data_dir, src = Path(data_dir), Path(src)
        src_header = _load_backup_header(src)
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultIOError(f"データフォルダを作れませんでした: {data_dir}") from exc
        lock = InstanceLock(data_dir).acquire()
        key: bytearray | None = None
        try:
            try:
                current: Header | None = _load_header(data_dir)
            except (VaultNotFound, VaultCorrupted):
                current = None
            pinned: bytes | None = None
            if current is not None:
                try:
                    current_slot, private, pinned = _open_user_blob(
                        data_dir, current, user, passphrase
                    )
                except VaultCorrupted:
                    current = None  # the user's slot itself is damaged: nothing is pinned
            if current is not None and pinned is not None:
                if current_slot.role != SUPERVISOR:
                    raise PermissionDenied()
                try:
                    key = _unseal_verified(current, current_slot, private, pinned)
                except VaultCorrupted:
                    key = None  # a damaged vault is what restore is for
                if key is not None:
                    try:
                        src_header.verify(key, pinned, what=BACKUP_KEYS)
                    except VaultCorrupted:
                        zero(key)
                        key = None  # e.g. a backup from before a rekey
            if key is None:
                src_slot = src_header.user_slot(user)
                if src_slot is None:
                    _dummy_derivation(src_header, passphrase)
                    raise WrongPassphrase("バックアップにこの利用者の鍵スロットがありません。")
                src_private, src_pinned = src_slot.open_blob(src_header.vault_id, passphrase)
                if pinned is None:
                    if notice is not None:
                        notice(
                            "今のデータフォルダに読める保管庫（この利用者の鍵スロット）が"
                            "ないため、バックアップ自身の鍵スロットを信頼して復元します。信頼できる保管場所のバックアップで"
                            "あることを確かめてください。"
                        )
                    pinned = src_pinned
                elif not secrets.compare_digest(src_pinned, pinned):
                    raise VaultCorrupted(
                        f"{BACKUP_KEYS}はこの保管庫の署名鍵で署名されていません"
                        "（別の保管庫のものか、差し替えられています）。復元しませんでした。"
                    )
                if src_slot.role != SUPERVISOR:
                    raise PermissionDenied()
                try:
                    key = _unseal_verified(src_header, src_slot, src_private, pinned, BACKUP_KEYS)
                except VaultCorrupted as exc:
                    raise VaultCorrupted(
                        f"{BACKUP_KEYS}の鍵スロットのデータ鍵にこの保管庫の署名がないか、"
                        "鍵ファイルが改ざんされています。復元しませんでした。"
                    ) from exc
            kept = _restore_with_key(data_dir, src, src_header, key, normalize(user))
            if any(kept.iterdir()):
                return kept
            kept.rmdir()
            return None
        finally:
            if key is not None:
                zero(key)
            lock.release()

    @staticmethod
    def recover(data_dir: Path, recovery_key: str, user: str, new_passphrase: str) -> None:
        """Set a new passphrase for ``user`` with the recovery key (lost passphrase)."""
        data_dir = Path(data_dir)
        secret = check_passphrase(new_passphrase)
        if not Vault.exists(data_dir):
            raise VaultNotFound()
        lock = InstanceLock(data_dir).acquire()
        try:
            header = _load_header(data_dir)
            _, header_path = _paths(data_dir)
            wait = header.throttle_wait(header_mod.RECOVERY_SLOT_NAME)
            if wait > 0:
                raise Throttled(wait)
            slot = header.recovery_slot()
            if slot is None:
                raise VaultCorrupted("回復キーの鍵スロットがありません。")
            try:
                private, pinned = slot.open_blob(
                    header.vault_id, normalize_recovery_key(recovery_key)
                )
            except WrongPassphrase as exc:
                header.record_failure(header_mod.RECOVERY_SLOT_NAME)
                header_mod.save(header, header_path)
                raise WrongPassphrase("回復キーが違います。") from exc
            key = _unseal_verified(header, slot, private, pinned)
            try:
                conn, header, key = _connect(data_dir, header, key, slot, private, pinned)
            except BaseException:
                zero(key)
                raise
            session = Session(data_dir, header, key, conn, slot, lock, pinned)
        except BaseException:
            lock.release()
            raise
        try:
            session._after_unlock(check_integrity=False, audit_unlock=False)
            session._header.clear_failures(header_mod.RECOVERY_SLOT_NAME)
            session.users._set_passphrase(user, secret, action="passphrase_recovered")
        finally:
            session.close()


# -- the session -----------------------------------------------------------------------


class Session:
    """An unlocked vault and its user. Every read and write passes through it."""

    def __init__(
        self,
        data_dir: Path,
        header: Header,
        key: bytearray,
        conn: Connection,
        slot: Slot,
        lock: InstanceLock,
        signing_public: bytes,
        *,
        migrate: bool = True,
    ) -> None:
        """Internal: use ``Vault.open``. Checks the schema version, vault id, signing key, user."""
        self.data_dir = data_dir
        self._header = header
        self._key = key
        self._conn: Connection | None = conn
        self._lock = lock
        self._mutex = threading.RLock()
        self._records: Records | None = None
        self._stats: Stats | None = None
        self._users: Users | None = None
        self._header_dirty = False
        self._header_saved_at = 0.0
        try:
            migrations.check_not_newer(conn)
            if migrate:
                self._migrate_if_needed(conn)
            vault_id = _meta(conn, "vault_id")
            if vault_id != header.vault_id:
                raise VaultCorrupted("鍵ファイルとデータベースが別の保管庫のものです。")
            self.municipality = _meta(conn, "municipality") or header.municipality
            self._chain_key = _chain_key(conn, vault_id)
            self._signer = _signer(conn, signing_public)
            self._signing_public = signing_public
        except sqlcipher3.Error as exc:
            raise map_error(exc) from exc
        self._chain = audit_mod.Chain.load(conn, self._chain_key)
        if slot.kind == "recovery":
            self.user = User(0, RECOVERY_ACTOR, "recovery")
            self._user_id: int | None = None
        else:
            row = conn.execute(
                "SELECT id, name, role, display_name, disabled FROM users WHERE id = ?",
                (slot.user_id,),
            ).fetchone()
            if row is None or str(row[1]) != slot.user or str(row[2]) != slot.role:
                raise VaultCorrupted("鍵スロットと利用者の登録内容が一致しません。")
            if int(row[4]):
                raise PermissionDenied("この利用者は無効にされています。")
            self.user = User(int(row[0]), str(row[1]), str(row[2]), str(row[3]))
            self._user_id = self.user.id

    def _migrate_if_needed(self, conn: Connection) -> None:
        version = migrations.check_not_newer(conn)
        db_path, header_path = _paths(self.data_dir)
        if version > 0 and version < migrations.latest_version():
            migrations.migrate(conn, db_path, header_path)

    def _after_unlock(self, *, check_integrity: bool, audit_unlock: bool = True) -> None:
        conn = self._require()
        if not self._chain.tail_is_valid(conn) or not self._head_in_chain(conn):
            raise VaultCorrupted(
                "監査ログが改ざんされているか、新しい記録が削除されています。"
                "「intake-app verify」で確認してください。"
            )
        allowed = _allowed_slot_digests(conn)
        current = self._header.slots_digest()
        if allowed is not None and current not in allowed:
            raise VaultCorrupted(
                "鍵ファイル（vault.keys）が古い版に戻されています。"
                "正しい鍵ファイルを戻すか、バックアップから復元してください。"
            )
        if check_integrity:
            report = self._check()
            if not report.ok:
                raise VaultCorrupted(
                    "保管庫の検査で問題が見つかりました: " + " / ".join(report.problems)
                )
        if not audit_unlock:
            return
        failures = self._header.failures.get(self.user.name)
        with self.transaction("unlock") as c:
            if allowed != [current]:
                _set_slot_digests(c, [current])  # older headers stop working from now on
            if failures is not None and failures.count > 0:
                self._chain_append_extra(c, "unlock_failures", None, str(failures.count))
            c.execute(
                "UPDATE users SET last_login_at = ? WHERE id = ?",
                (audit_mod.now_iso(), self._user_id),
            )
        if failures is not None:
            self._header.clear_failures(self.user.name)
            self._save_header()

    def _head_in_chain(self, conn: Connection) -> bool:
        head = self._header.audit_head
        seq = int(head.get("seq", 0))
        if seq == 0:
            return True
        if seq > self._chain.last_seq:
            return False
        row = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        return row is not None and bytes(row[0]).hex() == head.get("mac")

    def _abandon(self) -> None:
        """Close after a failed unlock, writing nothing more."""
        with contextlib.suppress(Exception):
            if self._conn is not None:
                self._conn.close()
        self._conn = None
        zero(self._key)
        self._lock.release()

    # -- state ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def _require(self) -> Connection:
        if self._conn is None:
            raise VaultError("保管庫はロックされています。もう一度ログインしてください。")
        return self._conn

    def require_supervisor(self) -> None:
        if self.user.role not in (SUPERVISOR, "recovery"):
            raise PermissionDenied()

    def is_training(self) -> bool:
        """A training vault (``demo-data`` was run on it): the GUI shows a permanent marker."""
        with self._mutex:
            try:
                return is_training_vault(self._require())
            except sqlcipher3.Error as exc:
                raise map_error(exc) from exc

    @property
    def records(self) -> Records:
        if self._records is None:
            from intake_app.store.records import Records

            self._records = Records(self)
        return self._records

    @property
    def stats(self) -> Stats:
        """``intake_app.store.stats.Stats(self)`` (supervisors only)."""
        if self._stats is None:
            from intake_app.store.stats import Stats

            self._stats = Stats(self)
        return self._stats

    def confirm_passphrase(self, passphrase: str) -> None:
        """Re-authentication (supervisor area): checks this user's slot, audited ``reauth``.

        A wrong passphrase counts as a failed unlock (throttling included).
        """
        with self._mutex:
            self._require()
            if self._user_id is None:
                raise PermissionDenied()
            wait = self._header.throttle_wait(self.user.name)
            if wait > 0:
                raise Throttled(wait)
            slot = self._header.user_slot(self.user.name)
            if slot is None:
                raise WrongPassphrase()
            try:
                private, pinned = slot.open_blob(self._header.vault_id, passphrase)
            except WrongPassphrase:
                self._header.record_failure(self.user.name)
                self._save_header()
                self.audit("reauth_failed")
                raise
            key = slot.unseal(self._header.vault_id, private, pinned)
            try:
                if not secrets.compare_digest(bytes(key), bytes(self._key)):
                    raise VaultCorrupted("鍵スロットの鍵が保管庫の鍵と一致しません。")
            finally:
                zero(key)
            self._header.clear_failures(self.user.name)
            self.audit("reauth")

    @property
    def users(self) -> Users:
        if self._users is None:
            self._users = Users(self)
        return self._users

    # -- transactions and the audit log ---------------------------------------------

    def _chain_append_extra(
        self, conn: Connection, action: str, object_id: str | None, detail: str | None
    ) -> None:
        self._chain.append(conn, self._user_id, self.user.name, action, object_id, detail)

    @contextlib.contextmanager
    def transaction(
        self, action: str, object_id: object = None, *, detail: str | None = None
    ) -> Iterator[Connection]:
        """``BEGIN IMMEDIATE``; yield the connection; append the audit entry; ``COMMIT``.

        On any error the transaction is rolled back and known SQLite failures are
        raised as ``VaultError`` subclasses (``DiskFull`` for a full disk).
        ``detail`` is a short non-personal note (a count, a role), never content.
        """
        with self._mutex:
            conn = self._require()
            if conn.in_transaction:
                raise VaultError("内部エラー: 取引が入れ子になっています。")
            self._chain.begin()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.Error as exc:
                raise map_error(exc) from exc
            try:
                yield conn
                oid = None if object_id is None else str(object_id)
                self._chain_append_extra(conn, action, oid, detail)
                conn.execute("COMMIT")
            except BaseException as exc:
                self._chain.rollback()
                if conn.in_transaction:
                    with contextlib.suppress(sqlcipher3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlcipher3.Error):
                    mapped = map_error(exc)
                    if mapped is not exc:
                        raise mapped from exc
                raise
            self._chain.commit()
            if time.monotonic() - self._header_saved_at >= HEAD_SYNC_INTERVAL_S:
                self._save_header(quiet=True)
            else:
                self._header_dirty = True

    @contextlib.contextmanager
    def read(self, action: str, object_id: object = None) -> Iterator[Connection]:
        """Like ``transaction`` for reads: the read and its audit entry commit together."""
        with self.transaction(action, object_id) as conn:
            yield conn

    @contextlib.contextmanager
    def draft_transaction(self) -> Iterator[Connection]:
        """The one write without its own audit entry: updating an existing draft.

        Only ``Records.save_draft`` uses it (the wizard saves as the counselor types);
        creating, resuming and deleting a draft are audited through ``transaction``.
        """
        with self._mutex:
            conn = self._require()
            if conn.in_transaction:
                raise VaultError("内部エラー: 取引が入れ子になっています。")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.Error as exc:
                raise map_error(exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlcipher3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlcipher3.Error):
                    mapped = map_error(exc)
                    if mapped is not exc:
                        raise mapped from exc
                raise

    @contextlib.contextmanager
    def unaudited(self) -> Iterator[Connection]:
        """The connection, under the session's lock, for a metadata read or a maintenance
        statement that writes no audit entry of its own (retention's checks, VACUUM and
        checkpoint, the backup reminder's read of the audit log)."""
        with self._mutex:
            yield self._require()

    def audit(self, action: str, object_id: object = None, detail: str | None = None) -> None:
        """A standalone audit entry (print, export, lock …)."""
        with self.transaction(action, object_id, detail=detail):
            pass

    def audit_entries(self, limit: int = 1000, offset: int = 0) -> list[audit_mod.AuditEntry]:
        """Newest first; supervisors only (reading the log is itself audited)."""
        self.require_supervisor()
        with self.read("audit_log_view") as conn:
            rows = conn.execute(
                "SELECT seq, at, user_id, user_name, action, object_id, detail, mac "
                "FROM audit_log ORDER BY seq DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [
            audit_mod.AuditEntry(
                int(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]), r[5], r[6], bytes(r[7])
            )
            for r in rows
        ]

    def _save_header(self, *, quiet: bool = False) -> None:
        """Sign and write the header with the current audit head.

        After a commit (``quiet``) the head is copied at most every
        ``HEAD_SYNC_INTERVAL_S`` (an fsync'd header write costs about as much as the
        commit itself), and always at unlock, lock, user changes and backups. A
        failed write is retried later. A head that lags the database is accepted at
        unlock (the entries after it are still MAC-chained); a head beyond the
        database's newest entry means entries were deleted.
        """
        self._header.audit_head = self._chain.head()
        self._header.sign(self._key, self._signer)
        try:
            header_mod.save(self._header, self.data_dir / HEADER_NAME, durable_rename=not quiet)
            self._header_dirty = False
            self._header_saved_at = time.monotonic()
        except VaultIOError:
            self._header_dirty = True
            if not quiet:
                raise

    # -- checks ---------------------------------------------------------------------

    def _check(self) -> VerifyReport:
        conn = self._require()
        problems = integrity_problems(conn)
        try:
            chain = audit_mod.verify_chain(conn, self._chain_key, self._header.audit_head)
        except sqlcipher3.Error as exc:
            chain = audit_mod.ChainReport(
                False, 0, None, "監査ログを読めません: " + read_error(exc)
            )
        if not chain.ok:
            problems.append(chain.problem)
        try:
            allowed = _allowed_slot_digests(conn)
        except (VaultCorrupted, sqlcipher3.Error):
            allowed = []
        if allowed is not None and self._header.slots_digest() not in allowed:
            problems.append(
                "鍵ファイル（vault.keys）が古い版に戻されているか、保管庫の鍵スロット情報が"
                "壊れています。"
            )
        problems += self._slot_problems(conn)
        return VerifyReport(problems, chain.entries, chain.first_bad, len(self._header.slots))

    def _slot_problems(self, conn: Connection) -> list[str]:
        """Slots are authentic (header MAC, checked at unlock); check them against users."""
        problems: list[str] = []
        try:
            users = {
                int(r[0]): (str(r[1]), str(r[2]), bool(r[3]))
                for r in conn.execute("SELECT id, name, role, disabled FROM users")
            }
        except sqlcipher3.Error as exc:
            return ["利用者の一覧を読めません: " + read_error(exc)]
        with_slot: set[int] = set()
        for slot in self._header.slots:
            if not slot.kdf.meets_floor() and not kdf_mod.fast_kdf_allowed():
                problems.append(
                    f"鍵スロット「{slot.user}」の鍵導出設定が安全基準を下回っています。"
                )
            if slot.kind != "user":
                continue
            with_slot.add(slot.user_id)
            user = users.get(slot.user_id)
            if user is None or user[0] != slot.user or user[1] != slot.role:
                problems.append(f"鍵スロット「{slot.user}」が利用者の登録内容と一致しません。")
            elif user[2]:
                problems.append(f"無効にした利用者「{slot.user}」の鍵スロットが残っています。")
        for user_id, (name, _, disabled) in users.items():
            if not disabled and user_id not in with_slot:
                problems.append(
                    f"利用者「{name}」には鍵スロットがありません（パスフレーズを再設定してください）。"
                )
        if self._header.recovery_slot() is None:
            problems.append("回復キーの鍵スロットがありません。")
        return problems

    def verify(self) -> VerifyReport:
        """Keyslots, ``cipher_integrity_check``, ``integrity_check`` and the audit chain."""
        with self._mutex:
            report = self._check()
            self.audit("verify", detail="ok" if report.ok else "problems")
            return report

    # -- kept copies -----------------------------------------------------------------

    def kept_copies(self) -> list[Path]:
        """Old copies of this vault kept in the data folder (see ``find_kept_copies``).

        Callers show ``kept_copies_notice`` after disabling a user, resetting a
        passphrase or a rekey, since those copies still open with the old keys.
        """
        return find_kept_copies(self.data_dir)

    def prune_copies(self) -> list[Path]:
        """Overwrite, then delete every kept copy (supervisors only); audited.

        Each path is checked first: inside the data folder, not a link, and not
        the same file as the live ``vault.db``/``vault.keys``.
        """
        self.require_supervisor()
        with self._mutex:
            self._require()
            root = self.data_dir.resolve()
            live = [self.data_dir / name for name in (DB_NAME, HEADER_NAME)]
            live += [self.data_dir / (DB_NAME + s) for s in ("-wal", "-shm")]
            copies = self.kept_copies()
            files: list[Path] = []
            for copy in copies:
                members = sorted(copy.rglob("*")) if copy.is_dir() else []
                for path in [copy, *members]:
                    if path.is_symlink() or root not in path.resolve().parents:
                        raise VaultError(f"保管庫の外を指すため削除しません: {path}")
                    if path.is_file():
                        if any(f.exists() and os.path.samefile(f, path) for f in live):
                            raise VaultError(f"使用中の保管庫のファイルなので削除しません: {path}")
                        files.append(path)
            try:
                for path in files:
                    _overwrite_and_delete(path)
                for copy in copies:
                    if copy.is_dir():
                        for sub in sorted(copy.rglob("*"), reverse=True):
                            sub.rmdir()
                        copy.rmdir()
                fileio.fsync_dir(self.data_dir)
            except OSError as exc:
                self.audit("prune_copies_failed", detail=str(len(copies)))
                raise VaultIOError(
                    f"古いコピーを削除できませんでした。残りは手で確かめてください: {exc.filename}"
                ) from exc
            self.audit("prune_copies", detail=str(len(copies)))
            return copies

    # -- backup, restore, rekey --------------------------------------------------------

    def backup(self, dest: Path) -> Path:
        """An encrypted copy (same data key) plus the header in the folder ``dest``.

        Written under temporary names, then checked with both integrity checks, the
        audit chain and the header MAC before it gets its final names.
        """
        self.require_supervisor()
        dest = check_backup_dest(dest)
        with self._mutex:
            conn = self._require()
            self._save_header()  # the copied header's audit head matches the copy
            created = not dest.exists()
            try:
                dest.mkdir(mode=0o700, parents=True, exist_ok=True)
                partial = dest / (DB_NAME + ".partial")
                _create_private_file(partial)
                target = open_connection(partial, self._key, create=True)
                try:
                    conn.backup(target)
                finally:
                    target.close()
                _verify_copy(partial, self._key, self._header)
                os.replace(partial, dest / DB_NAME)
                header_mod.save(self._header, dest / HEADER_NAME)
                fileio.fsync_dir(dest)
            except BaseException as exc:
                for name in (DB_NAME + ".partial", DB_NAME, HEADER_NAME):
                    for suffix in ("", "-wal", "-shm"):
                        with contextlib.suppress(OSError):
                            (dest / (name + suffix)).unlink()
                if created:
                    with contextlib.suppress(OSError):
                        dest.rmdir()
                if isinstance(exc, sqlcipher3.Error):
                    raise map_error(exc) from exc
                if isinstance(exc, OSError):
                    raise VaultIOError(f"バックアップを書き込めませんでした: {dest}") from exc
                raise
            self.audit("backup")
        return dest

    def restore(self, src: Path) -> Path:
        """Replace this vault with the backup in ``src`` (same data key); closes the session.

        Returns the folder where the replaced vault was kept. A backup taken before
        a rekey needs ``Vault.restore`` with a passphrase valid in the backup.
        """
        self.require_supervisor()
        src_header = _load_backup_header(Path(src))
        if not secrets.compare_digest(src_header.compute_mac(self._key), src_header.mac):
            raise VaultError(
                "このバックアップは今の鍵では開けません（鍵の更新より前のものか、"
                f"{BACKUP_KEYS}が改ざんされています）。"
                "鍵の更新より前のものなら、intake-app restore でバックアップ当時の"
                "パスフレーズを使ってください。"
            )
        src_header.verify(self._key, self._signing_public, what=BACKUP_KEYS)
        for slot in src_header.slots:
            try:
                slot.check_signature(src_header.vault_id, self._signing_public)
            except VaultCorrupted as exc:
                raise VaultCorrupted(
                    f"{BACKUP_KEYS}の鍵スロットにこの保管庫の署名がありません。復元しませんでした。"
                ) from exc
        key = bytearray(self._key)
        actor = self.user.name
        lock = InstanceLock(self.data_dir).acquire()  # held while the session closes
        try:
            self.close()
            return _restore_with_key(self.data_dir, Path(src), src_header, key, actor)
        finally:
            zero(key)
            lock.release()

    def rekey(self) -> int:
        """New random data key: ``PRAGMA rekey`` and every slot re-sealed. Returns slot count.

        Crash safety. The new header (slots re-sealed to their public keys, MAC'd
        with the new key) is written completely as ``vault.keys.new`` before the
        database changes. ``PRAGMA rekey`` rewrites every page in one transaction,
        so at any instant the database is wholly under the old key or wholly under
        the new one. Unlock always tries ``vault.keys`` first: if the database
        opens, the rekey never committed and ``vault.keys.new`` is deleted; if it
        does not open and ``vault.keys.new`` exists, the same user's slot there
        (same public key, so the same passphrase, no second KDF) gives the new key,
        the database is opened with it, and ``vault.keys.new`` is renamed over
        ``vault.keys`` (an atomic rename) to finish the switch. A crash at any point
        therefore leaves a vault that one of the two headers opens, and the first
        successful unlock completes or discards the rekey.
        """
        self.require_supervisor()
        with self._mutex:
            conn = self._require()
            header_path = self.data_dir / HEADER_NAME
            new_path = self.data_dir / NEW_HEADER_NAME
            new_key = bytearray(secrets.token_bytes(32))
            try:
                new_header = Header(
                    vault_id=self._header.vault_id,
                    municipality=self._header.municipality,
                    generation=self._header.generation + 1,
                    slots=[dataclasses.replace(slot) for slot in self._header.slots],
                    audit_head=self._chain.head(),
                    failures=dict(self._header.failures),
                )
                for slot in new_header.slots:
                    slot.seal(new_header.vault_id, new_key, self._signer)
                new_header.sign(new_key, self._signer)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                header_mod.save(new_header, new_path)
                conn.execute(key_pragma(new_key, "rekey"))
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except BaseException as exc:
                zero(new_key)
                if isinstance(exc, sqlcipher3.Error):
                    raise map_error(exc) from exc
                raise
            try:
                os.replace(new_path, header_path)
                fileio.fsync_dir(self.data_dir)
            finally:
                zero(self._key)
                self._key = new_key
                self._header = new_header
            self.audit("rekey", detail=str(len(new_header.slots)))
            return len(new_header.slots)

    # -- lock -----------------------------------------------------------------------

    def close(self) -> None:
        """Lock: audit entry, header head, close the database, zero the key. Idempotent."""
        with self._mutex:
            if self._conn is None:
                return
            try:
                with contextlib.suppress(VaultError):
                    self.audit("lock")
                with contextlib.suppress(VaultError):
                    if self._header_dirty or self._header.audit_head != self._chain.head():
                        self._save_header()
            finally:
                conn, self._conn = self._conn, None
                with contextlib.suppress(sqlcipher3.Error):
                    conn.close()
                zero(self._key)
                self._records = None
                self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- users -----------------------------------------------------------------------------


class Users:
    """User management through a session; changing others needs a supervisor."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def list(self) -> list[UserInfo]:
        self._s.require_supervisor()
        with self._s.read("user_list") as conn:
            rows = conn.execute(
                "SELECT id, name, role, display_name, disabled, created_at, last_login_at "
                "FROM users ORDER BY id"
            ).fetchall()
        slot_ids = {s.user_id for s in self._s._header.slots if s.kind == "user"}
        return [
            UserInfo(
                int(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                bool(r[4]),
                str(r[5]),
                None if r[6] is None else str(r[6]),
                int(r[0]) in slot_ids,
            )
            for r in rows
        ]

    def _change_slots(
        self,
        action: str,
        object_id: object,
        detail: str | None,
        change_db: Callable[[Connection], None],
        new_slots: builtins.list[Slot],
    ) -> None:
        """Commit the database change, then write the header with ``new_slots``.

        The transaction records the digests of both the old and the new slots as
        allowed, so a crash between the commit and the header write leaves a vault
        that still opens (with the old header); once the new header is on disk only
        its digest stays allowed (or, after a crash, the digest of the header the
        next unlock finds).
        """
        s = self._s
        old_slots = list(s._header.slots)
        before = s._header.slots_digest()
        s._header.slots = new_slots
        after = s._header.slots_digest()
        s._header.slots = old_slots
        with s.transaction(action, object_id, detail=detail) as conn:
            change_db(conn)
            _set_slot_digests(conn, [before, after])
        s._header.slots = new_slots
        try:
            s._save_header()
        except BaseException:
            s._header.slots = old_slots
            raise
        with contextlib.suppress(VaultError), s.draft_transaction() as conn:
            _set_slot_digests(conn, [after])  # the old header is refused from now on

    def add(
        self,
        name: str,
        role: str,
        passphrase: str,
        *,
        display_name: str = "",
        kdf: kdf_mod.KdfParams | None = None,
    ) -> UserInfo:
        s = self._s
        s.require_supervisor()
        name = check_user_name(name)
        if role not in ROLES:
            raise UserError("役割は counselor（相談員）か supervisor（管理者）にしてください。")
        secret = check_passphrase(passphrase)
        params = kdf if kdf is not None else kdf_mod.calibrate()
        with s._mutex:
            conn = s._require()
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UserError(f"利用者「{name}」は既に登録されています。")
            now = audit_mod.now_iso()
            user_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM users").fetchone()[0])
            slot = _user_slot(
                s._header.vault_id, s._key, s._signer, params, user_id, name, role, secret
            )

            def insert(c: Connection) -> None:
                c.execute(
                    "INSERT INTO users (id, name, display_name, role, created_at,"
                    " passphrase_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (user_id, name, display_name, role, now, now),
                )

            self._change_slots("user_add", user_id, role, insert, [*s._header.slots, slot])
        return UserInfo(user_id, name, role, display_name, False, now, None, True)

    def _row(self, name: str) -> tuple[int, str, str, bool]:
        conn = self._s._require()
        row = conn.execute(
            "SELECT id, name, role, disabled FROM users WHERE name = ?", (normalize(name),)
        ).fetchone()
        if row is None:
            raise UserError(f"利用者「{name}」は登録されていません。")
        return int(row[0]), str(row[1]), str(row[2]), bool(row[3])

    def disable(self, name: str) -> None:
        """Remove the user's slot and mark them disabled (their records stay)."""
        s = self._s
        s.require_supervisor()
        with s._mutex:
            user_id, name, role, _ = self._row(name)
            if user_id == s.user.id:
                raise UserError("自分自身は無効にできません。")
            if role == SUPERVISOR:
                others = (
                    s._require()
                    .execute(
                        "SELECT count(*) FROM users WHERE role = ? AND disabled = 0 AND id != ?",
                        (SUPERVISOR, user_id),
                    )
                    .fetchone()[0]
                )
                if int(others) == 0:
                    raise UserError("最後の管理者は無効にできません。")

            def mark(c: Connection) -> None:
                c.execute(
                    "UPDATE users SET disabled = 1, disabled_at = ? WHERE id = ?",
                    (audit_mod.now_iso(), user_id),
                )

            remaining = [
                slot
                for slot in s._header.slots
                if not (slot.kind == "user" and slot.user_id == user_id)
            ]
            self._change_slots("user_disable", user_id, None, mark, remaining)

    def reset_passphrase(
        self, name: str, new_passphrase: str, *, kdf: kdf_mod.KdfParams | None = None
    ) -> None:
        """A new slot for ``name`` with freshly calibrated parameters (also re-enables)."""
        s = self._s
        if normalize(name) != s.user.name:
            s.require_supervisor()
        secret = check_passphrase(new_passphrase)
        self._set_passphrase(name, secret, action="passphrase_reset", kdf=kdf)

    def change_own(self, new_passphrase: str, *, kdf: kdf_mod.KdfParams | None = None) -> None:
        secret = check_passphrase(new_passphrase)
        self._set_passphrase(self._s.user.name, secret, action="passphrase_change", kdf=kdf)

    def _set_passphrase(
        self, name: str, secret: str, *, action: str, kdf: kdf_mod.KdfParams | None = None
    ) -> None:
        s = self._s
        params = kdf if kdf is not None else kdf_mod.calibrate()
        with s._mutex:
            user_id, name, role, _ = self._row(name)
            slot = _user_slot(
                s._header.vault_id, s._key, s._signer, params, user_id, name, role, secret
            )

            def update(c: Connection) -> None:
                c.execute(
                    "UPDATE users SET passphrase_changed_at = ?, disabled = 0, disabled_at = NULL"
                    " WHERE id = ?",
                    (audit_mod.now_iso(), user_id),
                )

            others = [
                old
                for old in s._header.slots
                if not (old.kind == "user" and old.user_id == user_id)
            ]
            failures = s._header.failures.get(name)
            detail = f"failures={failures.count}" if failures and failures.count else None
            self._change_slots(action, user_id, detail, update, [*others, slot])
            s._header.clear_failures(name)

    def regenerate_recovery_key(self, *, kdf: kdf_mod.KdfParams | None = None) -> str:
        """A new recovery key; the old one stops working. Shown once to the supervisor."""
        s = self._s
        s.require_supervisor()
        params = kdf if kdf is not None else kdf_mod.calibrate()
        recovery_key = new_recovery_key()
        with s._mutex:
            slot = _recovery_slot(s._header.vault_id, s._key, s._signer, params, recovery_key)
            others = [old for old in s._header.slots if old.kind != "recovery"]
            self._change_slots(
                "recovery_key_regenerate", None, None, lambda c: None, [*others, slot]
            )
        return recovery_key
