"""The vault: create, unlock, verify, restore and recover a data folder's vault.

Files in the data folder:

- ``vault.db`` (+ ``-wal``, ``-shm``): the SQLCipher database, raw 256-bit data key.
- ``vault.keys``: keyslots, failed-unlock counters, the audit head (see ``header``).
- ``vault.lock``: the single-instance lock (see ``lock``).
- ``backups/``: copies taken before schema migrations.

Where the rest lives: ``keyslots`` (passphrase → data key), ``session`` (the
unlocked vault every read and write passes through), ``users`` (accounts),
``copies`` (backups, restore, old copies), ``training`` (the demo-data mark),
``records`` and ``stats`` (the consultations).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from intake_app import fileio
from intake_app.store import audit as audit_mod
from intake_app.store import copies, keyslots, migrations
from intake_app.store import header as header_mod
from intake_app.store import kdf as kdf_mod
from intake_app.store.connection import DB_NAME, Connection, map_error, open_connection
from intake_app.store.errors import (
    PermissionDenied,
    Throttled,
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
from intake_app.store.session import Session, VerifyReport
from intake_app.store.users import SUPERVISOR

Progress = Callable[[str], None]


def _paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / DB_NAME, data_dir / HEADER_NAME


def _remove_made(made: list[Path], lock_path: Path, lock_existed: bool) -> None:
    """Undo what a failed ``create`` made: its lock file, then its empty new folders."""
    if not lock_existed:
        with contextlib.suppress(OSError):
            lock_path.unlink()
    for folder in made:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


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
            header = keyslots.load_header(Path(data_dir))
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
            recovery_key = keyslots.new_recovery_key()
            header = Header(vault_id=vault_id, municipality=municipality)
            header.slots.append(
                keyslots.user_slot(vault_id, key, signer, params, user_id, name, SUPERVISOR, secret)
            )
            header.slots.append(keyslots.recovery_slot(vault_id, key, signer, params, recovery_key))
            if progress:
                progress("保管庫を作成しています…")
            fileio.create_private_file(db_path)
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
                    (audit_mod.AUDIT_SECRET, audit_secret.hex()),
                    (keyslots.SIGNING_KEY, header_mod.raw_signing_private(signer).hex()),
                ],
            )
            keyslots.set_slot_digests(conn, [header.slots_digest()])
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
            header = keyslots.load_header(data_dir)
            slot, private, key, pinned = keyslots.unlock_slot(data_dir, header, user, passphrase)
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
            header = keyslots.load_header(data_dir)
            slot, private, key, pinned = keyslots.unlock_slot(data_dir, header, user, passphrase)
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
        src_header = copies.load_backup_header(src)
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultIOError(f"データフォルダを作れませんでした: {data_dir}") from exc
        lock = InstanceLock(data_dir).acquire()
        key: bytearray | None = None
        try:
            try:
                current: Header | None = keyslots.load_header(data_dir)
            except (VaultNotFound, VaultCorrupted):
                current = None
            pinned: bytes | None = None
            if current is not None:
                try:
                    current_slot, private, pinned = keyslots.open_user_blob(
                        data_dir, current, user, passphrase
                    )
                except VaultCorrupted:
                    current = None  # the user's slot itself is damaged: nothing is pinned
            if current is not None and pinned is not None:
                if current_slot.role != SUPERVISOR:
                    raise PermissionDenied()
                try:
                    key = keyslots.unseal_verified(current, current_slot, private, pinned)
                except VaultCorrupted:
                    key = None  # a damaged vault is what restore is for
                if key is not None:
                    try:
                        src_header.verify(key, pinned, what=copies.BACKUP_KEYS)
                    except VaultCorrupted:
                        zero(key)
                        key = None  # e.g. a backup from before a rekey
            if key is None:
                src_slot = src_header.user_slot(user)
                if src_slot is None:
                    keyslots.dummy_derivation(src_header, passphrase)
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
                        f"{copies.BACKUP_KEYS}はこの保管庫の署名鍵で署名されていません"
                        "（別の保管庫のものか、差し替えられています）。復元しませんでした。"
                    )
                if src_slot.role != SUPERVISOR:
                    raise PermissionDenied()
                try:
                    key = keyslots.unseal_verified(
                        src_header, src_slot, src_private, pinned, copies.BACKUP_KEYS
                    )
                except VaultCorrupted as exc:
                    raise VaultCorrupted(
                        f"{copies.BACKUP_KEYS}の鍵スロットのデータ鍵にこの保管庫の署名がないか、"
                        "鍵ファイルが改ざんされています。復元しませんでした。"
                    ) from exc
            kept = copies.restore_with_key(data_dir, src, src_header, key, normalize(user))
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
            header = keyslots.load_header(data_dir)
            _, header_path = _paths(data_dir)
            wait = header.throttle_wait(header_mod.RECOVERY_SLOT_NAME)
            if wait > 0:
                raise Throttled(wait)
            slot = header.recovery_slot()
            if slot is None:
                raise VaultCorrupted("回復キーの鍵スロットがありません。")
            try:
                private, pinned = slot.open_blob(
                    header.vault_id, keyslots.normalize_recovery_key(recovery_key)
                )
            except WrongPassphrase as exc:
                header.record_failure(header_mod.RECOVERY_SLOT_NAME)
                header_mod.save(header, header_path)
                raise WrongPassphrase("回復キーが違います。") from exc
            key = keyslots.unseal_verified(header, slot, private, pinned)
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
