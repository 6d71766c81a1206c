"""The session: an unlocked vault and its user. Every read and write passes through it.

``Vault.open`` returns a ``Session``. It holds the open SQLCipher connection, the
data key, the header and the audit chain: ``transaction`` / ``read`` write the
audit entry in the same transaction as the change or the read, ``close`` (the lock)
zeroes the key. It reaches the records (``records``), the user accounts (``users``)
and the statistics (``stats``), and does the supervisor's vault work: verify,
backup, restore, rekey and deleting old copies.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from intake_app import fileio
from intake_app.domain.municipality import Municipality
from intake_app.store import audit as audit_mod
from intake_app.store import copies, keyslots, migrations
from intake_app.store import header as header_mod
from intake_app.store import settings as settings_mod
from intake_app.store.connection import (
    DB_NAME,
    Connection,
    integrity_problems,
    key_pragma,
    map_error,
    read_error,
    read_meta,
)
from intake_app.store.errors import (
    PermissionDenied,
    Throttled,
    VaultCorrupted,
    VaultError,
    VaultIOError,
    WrongPassphrase,
)
from intake_app.store.header import HEADER_NAME, NEW_HEADER_NAME, Header, Slot, zero
from intake_app.store.lock import InstanceLock
from intake_app.store.official_returns import Returns
from intake_app.store.records import Records
from intake_app.store.stats import Stats
from intake_app.store.tracking import Tracking
from intake_app.store.training import is_training_vault
from intake_app.store.users import SUPERVISOR, User, Users

HEAD_SYNC_INTERVAL_S = 2.0
RECOVERY_ACTOR = "回復キー"


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
        self._settings: settings_mod.Settings | None = None
        self._header_dirty = False
        self._header_saved_at = 0.0
        try:
            migrations.check_not_newer(conn)
            if migrate:
                self._migrate_if_needed(conn)
            vault_id = read_meta(conn, "vault_id")
            if vault_id != header.vault_id:
                raise VaultCorrupted("鍵ファイルとデータベースが別の保管庫のものです。")
            self.municipality_id = read_meta(conn, "municipality") or header.municipality
            self._chain_key = audit_mod.stored_chain_key(conn, vault_id)
            self._signer = keyslots.signer(conn, signing_public)
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
            if row is None or row["name"] != slot.user or row["role"] != slot.role:
                raise VaultCorrupted("鍵スロットと利用者の登録内容が一致しません。")
            if row["disabled"]:
                raise PermissionDenied("この利用者は無効にされています。")
            self.user = User(row["id"], row["name"], row["role"], row["display_name"])
            self._user_id = self.user.id

    def _migrate_if_needed(self, conn: Connection) -> None:
        version = migrations.check_not_newer(conn)
        db_path, header_path = self.data_dir / DB_NAME, self.data_dir / HEADER_NAME
        if version > 0 and version < migrations.latest_version():
            migrations.migrate(conn, db_path, header_path)

    def _after_unlock(self, *, check_integrity: bool, audit_unlock: bool = True) -> None:
        conn = self._require()
        if not self._chain.tail_is_valid(conn) or not self._head_in_chain(conn):
            raise VaultCorrupted(
                "監査ログが改ざんされているか、新しい記録が削除されています。"
                "「intake-app verify」で確認してください。"
            )
        allowed = keyslots.allowed_slot_digests(conn)
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
                keyslots.set_slot_digests(c, [current])  # older headers stop working from now on
            if failures is not None and failures.count > 0:
                self._chain_append_extra(c, "unlock_failures", None, str(failures.count))
            c.execute(
                "UPDATE users SET last_login_at = ? WHERE id = ?",
                (audit_mod.now_iso(), self._user_id),
            )
        if failures is not None:
            self._header.clear_failures(self.user.name)
            self._save_header()
        settings_mod.after_unlock(self)

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
            allowed = keyslots.allowed_slot_digests(conn)
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
        try:
            users = {
                r["id"]: (r["name"], r["role"], bool(r["disabled"]))
                for r in conn.execute("SELECT id, name, role, disabled FROM users")
            }
        except sqlcipher3.Error as exc:
            return ["利用者の一覧を読めません: " + read_error(exc)]
        return keyslots.slot_problems(self._header, users)

    def verify(self) -> VerifyReport:
        """Keyslots, ``cipher_integrity_check``, ``integrity_check`` and the audit chain."""
        with self._mutex:
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
                    f"{copies.BACKUP_KEYS}の鍵スロットにこの保管庫の署名がありません。復元しませんでした。"
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
