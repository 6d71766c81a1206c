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
import dataclasses
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from intake_app import fileio
from intake_app.domain.municipality import Municipality
from intake_app.store import audit as audit_mod
from intake_app.store import checks, copies, keyslots, migrations, wal
from intake_app.store import header as header_mod
from intake_app.store import kdf as kdf_mod
from intake_app.store import settings as settings_mod
from intake_app.store.checks import Unlocked
from intake_app.store.connection import (
    DB_NAME,
    Connection,
    checking_connection,
    integrity_problems,
    map_error,
    open_connection,
)
from intake_app.store.errors import (
    PermissionDenied,
    VaultCorrupted,
    VaultError,
    VaultExists,
    VaultIOError,
    VaultNotFound,
    WrongPassphrase,
)
from intake_app.store.header import HEADER_NAME, NEW_HEADER_NAME, Header, Slot, zero
from intake_app.store.lock import LOCK_NAME, InstanceLock
from intake_app.store.policy import (
    check_display_name,
    check_passphrase,
    check_user_name,
    normalize,
)
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


def _checking(
    stack: contextlib.ExitStack[bool | None],
    data_dir: Path,
    header: Header,
    key: bytearray,
    slot: Slot,
    private: X25519PrivateKey,
    signing_public: bytes,
) -> tuple[Connection, Header, bytearray, bool]:
    """A connection that cannot write (``checking_connection``), with the key that opens
    the database; ``True`` last when that key is the one of an interrupted rekey.

    See ``Session.rekey`` for why trying ``vault.keys`` first and ``vault.keys.new``
    second is always safe. Nothing is renamed or deleted here: ``_writable`` does that
    once every check has passed.
    """
    db_path = data_dir / DB_NAME
    new_path = data_dir / NEW_HEADER_NAME
    try:
        return stack.enter_context(checking_connection(db_path, key)), header, key, False
    except VaultCorrupted:
        if not new_path.exists():
            raise
    new = Header.load(new_path)
    new_slot = next(
        (s for s in new.slots if s.kind == slot.kind and s.user_id == slot.user_id), None
    )
    if new_slot is None or new_slot.public != slot.public:
        raise VaultCorrupted(
            "データベースが壊れているか、鍵が合いません（別の保管庫の鍵ファイルの可能性があります）。"
        )
    new_key = new_slot.unseal(new.vault_id, private, signing_public)
    try:
        new.verify(new_key, signing_public)
        conn = stack.enter_context(checking_connection(db_path, new_key))
    except BaseException:
        zero(new_key)
        raise
    zero(key)
    return conn, new, new_key, True


def _inspected(
    data_dir: Path,
    header: Header,
    key: bytearray,
    slot: Slot,
    private: X25519PrivateKey,
    signing_public: bytes,
    *,
    precheck: Callable[[Connection], None] | None = None,
    full: bool = False,
) -> tuple[Header, bytearray, Unlocked, bool]:
    """Every check before the unlock writes, on a connection that cannot write: a refusal
    leaves ``vault.db``, ``-wal``, ``-shm`` and ``vault.keys`` as they were."""
    with contextlib.ExitStack() as stack:
        conn, header, key, switched = _checking(
            stack, data_dir, header, key, slot, private, signing_public
        )
        try:
            unlocked = checks.inspect(conn, header, slot, signing_public)
            unlocked = dataclasses.replace(unlocked, throttle_problem=header.throttle_problem(key))
            if precheck is not None:
                precheck(conn)
            if full and not switched:
                _full_check(conn, header, unlocked.chain_key)
        except BaseException as exc:
            if switched:
                zero(key)
            if isinstance(exc, sqlcipher3.Error):
                raise map_error(exc) from exc
            raise
    return header, key, unlocked, switched


def _full_check(conn: Connection, header: Header, chain_key: bytes) -> None:
    report = checks.full_report(conn, header, chain_key)
    if not report.ok:
        raise VaultCorrupted("保管庫の検査で問題が見つかりました: " + " / ".join(report.problems))


def _writable(
    data_dir: Path,
    header: Header,
    key: bytearray,
    unlocked: Unlocked | None,
    switched: bool,
    full: bool,
) -> Connection:
    """After the checks: finish (or drop) an interrupted rekey, open read-write.

    A rekey that committed in the WAL but was not yet copied into ``vault.db`` leaves
    pages under the old key in the file: the page check (``full``) can only run once
    the WAL has been folded in, so it runs here, after finishing the rekey."""
    db_path, header_path = _paths(data_dir)
    new_path = data_dir / NEW_HEADER_NAME
    if switched:
        os.replace(new_path, header_path)
        fileio.fsync_dir(data_dir)
    elif new_path.exists():
        # A rekey that never reached the database: its header is of no use.
        with contextlib.suppress(OSError):
            new_path.unlink()
    conn = open_connection(db_path, key)
    if switched:
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if full and unlocked is not None:
                _full_check(conn, header, unlocked.chain_key)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlcipher3.Error):
                raise map_error(exc) from exc
            raise
    return conn


def _verify_report(
    conn: Connection, header: Header, slot: Slot, signing_public: bytes
) -> checks.VerifyReport:
    try:
        chain_key, _ = checks.verify_basics(conn, header, slot, signing_public)
    except checks.Unreadable as exc:
        problems = integrity_problems(conn) or [exc.message]
        return checks.VerifyReport(problems, None, None, len(header.slots))
    return checks.full_report(conn, header, chain_key)


def _redundant_wal(
    data_dir: Path, header: Header, key: bytearray, slot: Slot, signing_public: bytes
) -> checks.VerifyReport | None:
    """When the vault cannot be read with its WAL, but the WAL index says every frame was
    already copied into ``vault.db``: the report of the database file alone, if it is
    complete (the unlock's checks, then the full check), else ``None`` (see ``wal``)."""
    db_path = data_dir / DB_NAME
    if (data_dir / NEW_HEADER_NAME).exists() or not wal.checkpointed(db_path):
        return None
    try:
        with checking_connection(db_path, key, ignore_wal=True) as conn:
            checks.inspect(conn, header, slot, signing_public)
            report = _verify_report(conn, header, slot, signing_public)
    except (VaultError, sqlcipher3.Error):
        return None
    return report if report.ok else None


def _set_wal_aside(
    data_dir: Path, header: Header, key: bytearray, slot: Slot, signing_public: bytes
) -> str:
    """The name the damaged WAL was kept under, or '' when that is not safe (see ``wal``).

    The database file alone passes the unlock's checks and the full check first."""
    if _redundant_wal(data_dir, header, key, slot, signing_public) is None:
        return ""
    try:
        return wal.set_aside(data_dir / DB_NAME)
    except OSError:
        return ""


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
        municipality: str | Path | Municipality | settings_mod.SettingsSource = "warabi",
        display_name: str = "",
        progress: Progress | None = None,
        kdf: kdf_mod.KdfParams | None = None,
    ) -> str:
        """Create a new vault whose first user is a supervisor; returns the recovery key.

        ``municipality`` (a bundled id, a ``.toml`` path or a loaded file) is checked
        completely first (``ConfigError`` naming key and line, nothing created) and
        imported into the vault as its settings (``store.settings``). ``display_name``
        is the supervisor's 氏名 as papers print it. ``kdf`` overrides the calibrated
        Argon2id parameters; values below the floor are refused unless
        ``INTAKE_APP_TEST_FAST_KDF=1`` is set (tests only).
        """
        data_dir = Path(data_dir)
        name = check_user_name(user)
        secret = check_passphrase(passphrase)
        shown_name = check_display_name(display_name, required=False)
        source = settings_mod.load_source(municipality)
        municipality_id = source.municipality.id
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
                progress("利用者の登録を作成しています…")
            user_id = 1
            recovery_key = keyslots.new_recovery_key()
            header = Header(vault_id=vault_id, municipality=municipality_id)
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
                    ("municipality", municipality_id),
                    ("created_at", now),
                    (audit_mod.AUDIT_SECRET, audit_secret.hex()),
                    (keyslots.SIGNING_KEY, header_mod.raw_signing_private(signer).hex()),
                ],
            )
            keyslots.set_slot_digests(conn, [header.slots_digest()])
            conn.execute(
                "INSERT INTO users (id, name, display_name, role, created_at,"
                " passphrase_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, name, shown_name, SUPERVISOR, now, now),
            )
            chain.append(conn, user_id, name, "vault_create")
            chain.append(conn, user_id, name, "user_add", str(user_id), SUPERVISOR)
            settings_mod.insert_initial(conn, chain, user_id, name, source)
            header.commits = header_mod.Commits(1, 1)
            checks.write_commits(conn, header.commits)
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
        background: bool = False,
    ) -> Session:
        """Unlock with ``user``'s passphrase and return the session.

        Every check that can refuse runs first on a connection that cannot write
        (``checks.inspect``: the commit counter, the newest audit entries, the slot
        lists …), so a refusal (wrong passphrase, throttled, in use, too new,
        corrupted, saves missing) changes no byte of ``vault.db``, ``-wal``, ``-shm``
        or ``vault.keys``, except that a wrong passphrase increments the user's
        failure counter in the header, which throttling after 5 failures needs.

        With ``check_integrity`` both integrity checks and the whole audit chain are
        verified there too. After a crash of the previous program the same full check
        runs there, unless ``background`` (the GUI): then the unlock returns at once and
        ``Session.start_check`` checks every page, the B-trees and the audit chain in a
        worker, stopping every write if something is wrong. With
        ``require_supervisor`` a counselor is refused (``PermissionDenied``).
        ``precheck(conn)`` runs on that read-only connection after the keys are proven:
        whatever it raises is raised with nothing written.
        """
        data_dir = Path(data_dir)
        if not Vault.exists(data_dir):
            raise VaultNotFound()
        lock = InstanceLock(data_dir).acquire()
        after_crash = False
        try:
            header = keyslots.load_header(data_dir)
            slot, private, key, pinned = keyslots.unlock_slot(data_dir, header, user, passphrase)
            try:
                if require_supervisor and slot.role != SUPERVISOR:
                    raise PermissionDenied()
                after_crash = lock.take_unclean_shutdown()
                aside = ""

                def inspected(full: bool) -> tuple[Header, bytearray, Unlocked, bool]:
                    return _inspected(
                        data_dir, header, key, slot, private, pinned, precheck=precheck, full=full
                    )

                try:
                    header, key, unlocked, switched = inspected(
                        check_integrity or (after_crash and not background)
                    )
                except VaultCorrupted:
                    aside = _set_wal_aside(data_dir, header, key, slot, pinned)
                    if not aside:
                        raise
                    # the file alone has just passed the full check: not twice in front
                    header, key, unlocked, switched = inspected(False)
                    after_crash = True  # the background check reads it all again (GUI)
                conn = _writable(
                    data_dir,
                    header,
                    key,
                    unlocked,
                    switched,
                    full=check_integrity or (after_crash and not background),
                )
                try:
                    session = Session(data_dir, header, key, conn, slot, lock, pinned, unlocked)
                except BaseException:
                    conn.close()
                    raise
            except BaseException:
                zero(key)
                raise
        except BaseException:
            if after_crash:
                lock.mark_unclean_shutdown()
            lock.release()
            raise
        try:
            session._migrate_if_needed(session._require())
            session._after_unlock(throttle_problem=unlocked.throttle_problem)
            if aside:
                session.audit("wal_set_aside", aside)
                session.notices.append(wal.WAL_ASIDE_NOTICE.format(name=aside))
            if after_crash and not background:
                session.audit("integrity_check_after_crash", detail="ok")
        except BaseException as exc:
            if after_crash:
                lock.mark_unclean_shutdown()
            session._abandon()
            if isinstance(exc, sqlcipher3.Error):
                raise map_error(exc) from exc
            raise
        if background:
            session.start_check(after_crash=after_crash)
        return session

    @staticmethod
    def verify(data_dir: Path, user: str, passphrase: str) -> VerifyReport:
        """``intake-app verify``: unlock and report every problem found.

        The whole check runs on a connection that cannot write. A vault whose audit
        chain was cut or edited, whose newest saves are missing or whose pages are
        damaged is reported (the first bad entry named) and nothing is written: no
        entry, no header change, no migration, no checkpoint. A clean vault gets the
        usual unlock, verify and lock entries. Wrong passphrases are counted as usual.
        """
        data_dir = Path(data_dir)
        if not Vault.exists(data_dir):
            raise VaultNotFound()
        lock = InstanceLock(data_dir).acquire()
        after_crash = False
        try:
            header = keyslots.load_header(data_dir)
            slot, private, key, pinned = keyslots.unlock_slot(data_dir, header, user, passphrase)
            try:
                after_crash = lock.take_unclean_shutdown()
                with contextlib.ExitStack() as stack:
                    try:
                        conn, header, key, switched = _checking(
                            stack, data_dir, header, key, slot, private, pinned
                        )
                    except VaultCorrupted:
                        # unreadable with its WAL: perhaps only the WAL is damaged
                        aside = _redundant_wal(data_dir, header, key, slot, pinned)
                        if aside is None:
                            raise
                        zero(key)
                        if after_crash:
                            lock.mark_unclean_shutdown()
                        lock.release()
                        return dataclasses.replace(aside, problems=[wal.WAL_ASIDE_PENDING])
                    if switched:
                        # An interrupted rekey reached the database: finish it first
                        # (as any unlock would), then check the database it left.
                        stack.close()
                        _writable(data_dir, header, key, None, True, full=False).close()
                        switched = False
                        conn = stack.enter_context(checking_connection(data_dir / DB_NAME, key))
                    try:
                        report = _verify_report(conn, header, slot, pinned)
                        if not report.ok:
                            aside = _redundant_wal(data_dir, header, key, slot, pinned)
                            if aside is not None:
                                report = dataclasses.replace(
                                    aside, problems=[wal.WAL_ASIDE_PENDING]
                                )
                        unlocked = None
                        if report.ok:
                            unlocked = dataclasses.replace(
                                checks.inspect(conn, header, slot, pinned),
                                throttle_problem=header.throttle_problem(key),
                            )
                    except sqlcipher3.Error as exc:
                        raise map_error(exc) from exc
                if unlocked is None:
                    zero(key)
                    if after_crash:
                        lock.mark_unclean_shutdown()
                    lock.release()
                    return report
                conn = _writable(data_dir, header, key, unlocked, switched, full=False)
                try:
                    session = Session(data_dir, header, key, conn, slot, lock, pinned, unlocked)
                except BaseException:
                    conn.close()
                    raise
            except BaseException:
                zero(key)
                raise
        except BaseException:
            if after_crash:
                lock.mark_unclean_shutdown()
            lock.release()
            raise
        try:
            session._migrate_if_needed(session._require())
            session._after_unlock(throttle_problem=unlocked.throttle_problem)
            if after_crash:
                session.audit("integrity_check_after_crash", detail="ok")
            session.audit("verify", detail="ok")
        except BaseException as exc:
            if after_crash:
                lock.mark_unclean_shutdown()
            session._abandon()
            if isinstance(exc, sqlcipher3.Error):
                raise map_error(exc) from exc
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
                    raise WrongPassphrase("バックアップにこの利用者の登録がありません。")
                src_private, src_pinned = src_slot.open_blob(src_header.vault_id, passphrase)
                if pinned is None:
                    if notice is not None:
                        notice(
                            "今のデータフォルダに読める保管庫（この利用者の登録）がないため、"
                            "バックアップにある利用者の登録を信頼して復元します。"
                            "信頼できる保管場所のバックアップであることを確かめてください。"
                        )
                    pinned = src_pinned
                elif not secrets.compare_digest(src_pinned, pinned):
                    raise VaultCorrupted(
                        f"{copies.BACKUP_KEYS}はこの保管庫で署名されていません"
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
                        f"{copies.BACKUP_KEYS}の暗号の鍵にこの保管庫の署名がないか、"
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
            keyslots.check_throttle(data_dir, header, header_mod.RECOVERY_SLOT_NAME)
            slot = header.recovery_slot()
            if slot is None:
                raise VaultCorrupted("鍵ファイルに回復キーの登録がありません。")
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
                header, key, unlocked, switched = _inspected(
                    data_dir, header, key, slot, private, pinned
                )
                conn = _writable(data_dir, header, key, unlocked, switched, full=False)
                try:
                    session = Session(data_dir, header, key, conn, slot, lock, pinned, unlocked)
                except BaseException:
                    conn.close()
                    raise
            except BaseException:
                zero(key)
                raise
        except BaseException:
            lock.release()
            raise
        try:
            session._after_unlock(audit_unlock=False)
            session._header.clear_failures(header_mod.RECOVERY_SLOT_NAME)
            session.users._set_passphrase(user, secret, action="passphrase_recovered")
        finally:
            session.close()
