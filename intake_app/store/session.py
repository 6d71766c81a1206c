"""The session: an unlocked vault and its user. Every read and write passes through it.

``Vault.open`` returns a ``Session``. It holds the open SQLCipher connection, the
data key, the header and the audit chain: ``transaction`` / ``read`` write the
audit entry in the same transaction as the change or the read, ``close`` (the lock)
zeroes the key. It reaches the records (``records``), the user accounts (``users``)
and the statistics (``stats``), and does the supervisor's vault work: verify,
backup, restore, rekey and deleting old copies.

Every commit advances the commit counter in the database (same transaction) and
then writes it into the header, fsync'd, before the call returns (``checks``
explains why a lost save is then always detected). Draft updates as the counselor
types are the exception: their header write waits up to ``HEAD_SYNC_INTERVAL_S``.

``start_check`` runs the check after unlock in a worker (``background``); when it
finds a problem every write is refused (``WritesStopped``) until a restore.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlcipher3

from intake_app import fileio
from intake_app.domain.municipality import Municipality
from intake_app.store import audit as audit_mod
from intake_app.store import checks, copies, keyslots, migrations
from intake_app.store import header as header_mod
from intake_app.store import settings as settings_mod
from intake_app.store.background import BackgroundCheck, CheckOutcome, CheckStatus
from intake_app.store.checks import RECOVERY_ACTOR, Unlocked, VerifyReport
from intake_app.store.connection import (
    DB_NAME,
    Connection,
    key_pragma,
    map_error,
    open_shared_reader,
)
from intake_app.store.errors import (
    PermissionDenied,
    Throttled,
    VaultCorrupted,
    VaultError,
    VaultIOError,
    WritesStopped,
    WrongPassphrase,
)
from intake_app.store.header import HEADER_NAME, NEW_HEADER_NAME, Commits, Header, Slot, zero
from intake_app.store.lock import InstanceLock
from intake_app.store.official_returns import Returns
from intake_app.store.records import Records
from intake_app.store.stats import Stats
from intake_app.store.tracking import Tracking
from intake_app.store.training import is_training_vault
from intake_app.store.users import SUPERVISOR, Users

log = logging.getLogger(__name__)

HEAD_SYNC_INTERVAL_S = 2.0
# What a commit was, for the commit counter and the header write after it.
WRITE = "write"  # changed the records (or an audit-only entry: print, lock …): fsync'd
READ = "read"  # an audited read: fsync'd too, its audit entry is what T4 relies on
QUIET = "quiet"  # a draft update as the counselor types: header at most every 2 s

__all__ = ["RECOVERY_ACTOR", "Session", "VerifyReport"]


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
        unlocked: Unlocked,
    ) -> None:
        """Internal: use ``Vault.open``, which has checked everything in ``unlocked``
        (``checks.inspect``) on a connection that could not write."""
        self.data_dir = data_dir
        self._header = header
        self._key = key
        self._conn: Connection | None = conn
        self._lock = lock
        self._slot = slot
        self._mutex = threading.RLock()
        self._records: Records | None = None
        self._stats: Stats | None = None
        self._users: Users | None = None
        self._settings: settings_mod.Settings | None = None
        self._header_dirty = False
        self._header_saved_at = 0.0
        self._stopped: list[str] | None = None  # the problems that stopped every write
        self._check_job: BackgroundCheck | None = None
        self._check_after_crash = False
        self._last_status: CheckStatus | None = None
        self.last_check: CheckOutcome | None = None  # the finished check's figures
        # What the unlock repaired and the user must be told (Japanese sentences)
        self.notices: list[str] = []
        self.municipality_id = unlocked.municipality
        self._chain_key = unlocked.chain_key
        self._signer = unlocked.signer
        self._signing_public = signing_public
        self._chain = audit_mod.Chain(unlocked.chain_key, unlocked.chain_seq, unlocked.chain_mac)
        self._commits = unlocked.commits
        self.user = unlocked.user
        self._user_id: int | None = unlocked.user_id

    def _migrate_if_needed(self, conn: Connection) -> None:
        version = migrations.check_not_newer(conn)
        db_path, header_path = self.data_dir / DB_NAME, self.data_dir / HEADER_NAME
        if version > 0 and version < migrations.latest_version():
            migrations.migrate(conn, db_path, header_path)

    def _after_unlock(self, *, throttle_problem: str = "", audit_unlock: bool = True) -> None:
        """The unlock's writes: the ``unlock`` entry, failures since the last unlock,
        an edited failures block (``throttle_edited``), the accepted slot list."""
        if not audit_unlock:
            return
        failures = self._header.clear_failures(self.user.name)
        allowed = keyslots.allowed_slot_digests(self._require())
        current = self._header.slots_digest()
        with self.transaction("unlock") as c:
            if allowed != [current]:
                keyslots.set_slot_digests(c, [current])  # older headers stop working from now on
            if throttle_problem:
                self._chain_append_extra(c, "throttle_edited", None, throttle_problem)
            if failures is not None and failures.count > 0:
                self._chain_append_extra(c, "unlock_failures", None, str(failures.count))
            c.execute(
                "UPDATE users SET last_login_at = ? WHERE id = ?",
                (audit_mod.now_iso(), self._user_id),
            )
        settings_mod.after_unlock(self)

    def _abandon(self) -> None:
        """Close after a failed unlock, writing nothing more (no checkpoint either)."""
        self._close_connection(checkpoint=False)
        zero(self._key)
        self._lock.release()

    def _close_connection(self, *, checkpoint: bool) -> None:
        """Close the read-write connection. Without ``checkpoint`` a read-only reader is
        held open meanwhile: SQLite folds the WAL into the database on closing only
        when no other connection has the file open, so nothing is written."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        guard: Connection | None = None
        if not checkpoint:
            try:
                guard = open_shared_reader(self.data_dir / DB_NAME, self._key)
            except Exception as exc:  # closing must go on; the log says why
                log.error("no reader to hold the WAL while closing: %s", type(exc).__name__)
        try:
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
        finally:
            if guard is not None:
                with contextlib.suppress(sqlcipher3.Error):
                    guard.close()

    # -- state ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def _require(self) -> Connection:
        if self._conn is None:
            raise VaultError("保管庫はロックされています。もう一度ログインしてください。")
        return self._conn

    @property
    def writes_stopped(self) -> bool:
        """The check after unlock found a problem: every write is refused."""
        return self._stopped is not None

    def _refuse_if_stopped(self) -> None:
        if self._stopped is not None:
            raise WritesStopped()

    # -- the check after unlock -----------------------------------------------------

    def start_check(self, *, after_crash: bool = False) -> None:
        """Start the check after unlock in a worker thread (see ``background``).

        ``after_crash`` adds ``integrity_check``; if this session ends before the
        check has passed, the next unlock checks again."""
        with self._mutex:
            self._require()
            if self._check_job is not None:
                return
            self._check_after_crash = after_crash
            self._check_job = BackgroundCheck(
                self.data_dir / DB_NAME,
                self._key,
                self._chain_key,
                self._header.verified,
                after_crash=after_crash,
                confirm=self._confirm_locked,
                on_done=self._check_finished,
            ).start()

    def check_status(self) -> CheckStatus | None:
        """The check's progress line (None when no check was started)."""
        job = self._check_job
        if job is not None:
            return job.status()
        return self._last_status

    def check_problems(self) -> list[str]:
        """What the check found (empty while it runs or when all was well)."""
        return list(self._stopped or [])

    def wait_check(self, timeout: float | None = None) -> CheckStatus | None:
        """Block until the check has ended (tests, the command line, benchmarks)."""
        job = self._check_job
        if job is not None:
            job.join(timeout)
        return self.check_status()

    def _stop_check(self) -> None:
        """Cancel the check and wait for its worker (before a rekey rewrites every page).

        Must not be called with the session's lock held: the worker takes it to
        report."""
        job = self._check_job
        if job is None:
            return
        job.cancel()
        job.join()

    def _confirm_locked(self, again: Callable[[], list[object]]) -> list[object]:
        """Run ``again`` while no commit (and so no checkpoint) can happen."""
        with self._mutex:
            return again()

    def _check_finished(self, outcome: CheckOutcome) -> None:
        """From the worker: stop every write on a problem, else move the header's mark."""
        self.last_check = outcome
        with self._mutex:
            if self._conn is None:
                return
            if outcome.problems:
                self._stopped = list(outcome.problems)
                log.error("check after unlock found %d problem(s)", len(outcome.problems))
                if self._check_after_crash:
                    self._lock.mark_unclean_shutdown()
                return
            if outcome.cancelled:
                return
            self._header.verified = dict(outcome.mark)
            try:
                self.audit("vault_check", detail="ok")
                if self._check_after_crash:
                    self.audit("integrity_check_after_crash", detail="ok")
            except VaultError as exc:
                log.error("check result not recorded: %s", type(exc).__name__)
            self._check_after_crash = False

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
        """Intakes, cases, drafts, search and home (``intake_app.store.records``)."""
        if self._records is None:
            self._records = Records(self)
        return self._records

    @property
    def official_returns(self) -> Returns:
        """The official return, exact counts (``store.official_returns``, supervisors only)."""
        return Returns(self)

    @property
    def tracking(self) -> Tracking:
        """What a case follows: 支援措置 checklist, 追及, court, 一時保護 (``store.tracking``)."""
        return Tracking(self)

    @property
    def settings(self) -> settings_mod.Settings:
        """The centre's settings kept in the vault (``intake_app.store.settings``)."""
        if self._settings is None:
            self._settings = settings_mod.Settings(self)
        return self._settings

    @property
    def municipality(self) -> Municipality:
        """The settings in force, from the vault (never the bundled file after setup)."""
        return self.settings.current()

    @property
    def display_name(self) -> str:
        """The logged-in user's 氏名 as papers print it ("" when not set yet)."""
        return self.user.display_name

    @property
    def stats(self) -> Stats:
        """``intake_app.store.stats.Stats(self)`` (supervisors only)."""
        if self._stats is None:
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
            wait, repaired = self._header.check_throttle(self.user.name)
            if repaired:
                self._save_header()
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
                if self._stopped is None:
                    self.audit("reauth_failed")
                raise
            key = slot.unseal(self._header.vault_id, private, pinned)
            try:
                if not secrets.compare_digest(bytes(key), bytes(self._key)):
                    raise VaultCorrupted("利用者の登録の鍵が保管庫の鍵と一致しません。")
            finally:
                zero(key)
            self._header.clear_failures(self.user.name)
            if self._stopped is None:
                self.audit("reauth")
            else:  # a supervisor opens the area to restore: nothing can be recorded
                self._save_header()

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
        self,
        action: str,
        object_id: object = None,
        *,
        detail: str | None = None,
        kind: str = WRITE,
    ) -> Iterator[Connection]:
        """``BEGIN IMMEDIATE``; yield the connection; append the audit entry; advance the
        commit counter; ``COMMIT``; write the counter into the header (fsync'd).

        On any error the transaction is rolled back and known SQLite failures are
        raised as ``VaultError`` subclasses (``DiskFull`` for a full disk).
        ``detail`` is a short non-personal note (a count, a role), never content.
        After the check found a problem, ``WritesStopped`` before anything.
        """
        with self._mutex:
            conn = self._require()
            self._refuse_if_stopped()
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
                commits = self._next_commits(kind)
                checks.write_commits(conn, commits)
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
            self._commits = commits
            self._after_commit(kind)

    def _next_commits(self, kind: str) -> Commits:
        return Commits(self._commits.n + 1, self._commits.writes + (1 if kind == WRITE else 0))

    def _after_commit(self, kind: str) -> None:
        """The header gets the new counter before the caller hears "saved".

        The header file is written whole and fsync'd before it replaces the old one;
        the folder is not fsync'd here (``quiet``): a crash of the program keeps the
        rename, and a power cut that loses it leaves the header behind the database,
        the safe direction (the WAL frames of the acknowledged saves were fsync'd by
        the commit). A failed header write leaves the database ahead of the header,
        which is safe too (the next commit tries again)."""
        if kind == QUIET and time.monotonic() - self._header_saved_at < HEAD_SYNC_INTERVAL_S:
            self._header_dirty = True
            return
        try:
            self._save_header(quiet=True)
        except VaultError as exc:
            self._header_dirty = True
            log.error("header not written after a commit: %s", type(exc).__name__)

    @contextlib.contextmanager
    def read(self, action: str, object_id: object = None) -> Iterator[Connection]:
        """Like ``transaction`` for reads: the read and its audit entry commit together."""
        with self.transaction(action, object_id, kind=READ) as conn:
            yield conn

    @contextlib.contextmanager
    def draft_transaction(self) -> Iterator[Connection]:
        """The one write without its own audit entry: updating an existing draft.

        Only ``Records.save_draft`` uses it (the wizard saves as the counselor types);
        creating, resuming and deleting a draft are audited through ``transaction``.
        """
        with self._mutex:
            conn = self._require()
            self._refuse_if_stopped()
            if conn.in_transaction:
                raise VaultError("内部エラー: 取引が入れ子になっています。")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.Error as exc:
                raise map_error(exc) from exc
            try:
                yield conn
                commits = self._next_commits(QUIET)
                checks.write_commits(conn, commits)
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
            self._commits = commits
            self._after_commit(QUIET)

    @contextlib.contextmanager
    def unaudited(self) -> Iterator[Connection]:
        """The connection, under the session's lock, for a metadata read or a maintenance
        statement that writes no audit entry of its own (retention's checks, VACUUM and
        checkpoint, the backup reminder's read of the audit log)."""
        with self._mutex:
            conn = self._require()
            self._refuse_if_stopped()
            yield conn

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
                seq=r["seq"],
                at=r["at"],
                user_id=r["user_id"],
                user_name=r["user_name"],
                action=r["action"],
                object_id=r["object_id"],
                detail=r["detail"],
                mac=bytes(r["mac"]),
            )
            for r in rows
        ]

    def _save_header(self, *, quiet: bool = False) -> None:
        """Sign and write the header with the current audit head and commit counter.

        Written after every commit (``_after_commit``), at unlock, lock, user changes
        and backups. ``quiet`` (after a commit) skips the fsync of the folder. A
        header behind the database is accepted at unlock (the crash came between the
        commit and this write); one ahead of it means saves were lost.
        """
        self._header.audit_head = self._chain.head()
        self._header.commits = self._commits
        self._header.sign(self._key, self._signer)
        header_mod.save(self._header, self.data_dir / HEADER_NAME, durable_rename=not quiet)
        self._header_dirty = False
        self._header_saved_at = time.monotonic()

    # -- checks ---------------------------------------------------------------------

    def _check(self) -> VerifyReport:
        return checks.full_report(self._require(), self._header, self._chain_key)

    def verify(self) -> VerifyReport:
        """Keyslots, ``cipher_integrity_check``, ``integrity_check`` and the audit chain."""
        with self._mutex:
            self._refuse_if_stopped()
            report = self._check()
            self.audit("verify", detail="ok" if report.ok else "problems")
            return report

    # -- kept copies -----------------------------------------------------------------

    def kept_copies(self) -> list[Path]:
        """Old copies of this vault kept in the data folder (see ``copies.find_kept_copies``).

        Callers show ``kept_copies_notice`` after disabling a user, resetting a
        passphrase or a rekey, since those copies still open with the old keys.
        """
        return copies.find_kept_copies(self.data_dir)

    def prune_copies(self) -> list[Path]:
        """Overwrite, then delete every kept copy (supervisors only); audited.

        Each path is checked first: inside the data folder, not a link, and not
        the same file as the live ``vault.db``/``vault.keys``.
        """
        self.require_supervisor()
        with self._mutex:
            self._require()
            kept = self.kept_copies()
            files = copies.prune_files(self.data_dir, kept)
            try:
                copies.delete_copies(self.data_dir, kept, files)
            except OSError as exc:
                self.audit("prune_copies_failed", detail=str(len(kept)))
                raise VaultIOError(
                    f"古いコピーを削除できませんでした。残りは手で確かめてください: {exc.filename}"
                ) from exc
            self.audit("prune_copies", detail=str(len(kept)))
            return kept

    # -- backup, restore, rekey --------------------------------------------------------

    def backup(self, dest: Path) -> Path:
        """An encrypted copy (same data key) plus the header in the folder ``dest``.

        Written under temporary names, then checked with both integrity checks, the
        audit chain and the header MAC before it gets its final names.
        """
        self.require_supervisor()
        dest = copies.check_backup_dest(dest)
        with self._mutex:
            conn = self._require()
            self._refuse_if_stopped()
            self._save_header()  # the copied header's audit head matches the copy
            copies.write_backup(conn, self._key, self._header, dest)
            self.audit("backup")
        return dest

    def restore(self, src: Path) -> Path:
        """Replace this vault with the backup in ``src`` (same data key); closes the session.

        Returns the folder where the replaced vault was kept. A backup taken before
        a rekey needs ``Vault.restore`` with a passphrase valid in the backup.
        """
        self.require_supervisor()
        src_header = copies.load_backup_header(Path(src))
        if not secrets.compare_digest(src_header.compute_mac(self._key), src_header.mac):
            raise VaultError(
                "このバックアップは今の鍵では開けません（鍵の更新より前のものか、"
                f"{copies.BACKUP_KEYS}が改ざんされています）。"
                "鍵の更新より前のものなら、intake-app restore でバックアップ当時の"
                "パスフレーズを使ってください。"
            )
        src_header.verify(self._key, self._signing_public, what=copies.BACKUP_KEYS)
        for slot in src_header.slots:
            try:
                slot.check_signature(src_header.vault_id, self._signing_public)
            except VaultCorrupted as exc:
                raise VaultCorrupted(
                    f"{copies.BACKUP_KEYS}の利用者の登録にこの保管庫の署名がありません。復元しませんでした。"
                ) from exc
        key = bytearray(self._key)
        actor = self.user.name
        lock = InstanceLock(self.data_dir).acquire()  # held while the session closes
        try:
            self.close()
            return copies.restore_with_key(self.data_dir, Path(src), src_header, key, actor)
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
        self._refuse_if_stopped()
        self._stop_check()  # the check reads pages with the old key: not while they change
        with self._mutex:
            conn = self._require()
            self._refuse_if_stopped()
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
                    commits=self._commits,
                    verified=dict(self._header.verified),
                    throttle=header_mod.Throttle(
                        users={
                            n: header_mod.Failures(f.count, f.last)
                            for n, f in self._header.throttle.users.items()
                        }
                    ),
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
        """Lock: audit entry, header, close the database, zero the key. Idempotent.

        After the check found a problem nothing is written: no entry, no header, and
        the WAL is not folded into the database (it stays as it was for the restore)."""
        job = self._check_job
        if job is not None:
            job.cancel()  # not joined: its report finds the session closed
        with self._mutex:
            if self._conn is None:
                return
            if job is not None and not job.done and self._check_after_crash:
                self._lock.mark_unclean_shutdown()  # the next unlock checks again
            stopped = self._stopped is not None
            try:
                if not stopped:
                    with contextlib.suppress(VaultError):
                        self.audit("lock")
                    with contextlib.suppress(VaultError):
                        if self._header_dirty or self._header.audit_head != self._chain.head():
                            self._save_header()
            finally:
                if job is not None:
                    self._last_status = job.status()
                self._check_job = None
                self._close_connection(checkpoint=not stopped)
                zero(self._key)
                self._records = None
                self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
