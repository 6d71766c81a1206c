"""Copies of the vault: backups, restoring one, and the old copies kept in the data folder.

- A backup is a folder with ``vault.db`` (same data key) and ``vault.keys``, written
  under temporary names and checked before it gets its final names (``write_backup``).
- A restore stages and checks a copy of the backup before anything in the data folder
  changes, then moves the current vault to ``replaced-<time>/`` (``restore_with_key``).
- Old copies (``replaced-*/`` and the ``backups/vault-vNNNN-*`` taken before schema
  upgrades) keep every keyslot of their time: ``find_kept_copies`` lists them,
  ``kept_copies_notice`` says so to the supervisor, ``prune_files`` and ``delete_copies``
  overwrite and delete them.

``Vault.restore`` and ``Session.backup`` / ``restore`` / ``prune_copies`` call these.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from pathlib import Path

import sqlcipher3

from intake_app import fileio
from intake_app.store import audit as audit_mod
from intake_app.store import checks, keyslots, migrations
from intake_app.store import header as header_mod
from intake_app.store.connection import (
    DB_NAME,
    Connection,
    integrity_problems,
    map_error,
    open_connection,
    read_error,
    read_meta,
)
from intake_app.store.errors import VaultCorrupted, VaultError, VaultIOError, VaultNotFound
from intake_app.store.header import HEADER_NAME, NEW_HEADER_NAME, Header

BACKUP_KEYS = "バックアップの鍵ファイル（vault.keys）"
KEPT_PREFIX = "replaced-"


# -- backups ---------------------------------------------------------------------------


def check_backup_dest(dest: Path) -> Path:
    """``VaultError`` unless ``dest`` is a new or empty folder (checked before any unlock)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise VaultError(f"バックアップ先は新しいフォルダか空のフォルダにしてください: {dest}")
    return dest


def write_backup(conn: Connection, key: bytearray, header: Header, dest: Path) -> None:
    """An encrypted copy of ``conn`` (same data key) plus ``header`` in the folder ``dest``.

    Written under temporary names, then checked with both integrity checks, the
    audit chain and the header MAC before it gets its final names. On any failure
    nothing is left in ``dest`` (nor ``dest`` itself when this made it).
    """
    created = not dest.exists()
    try:
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = dest / (DB_NAME + ".partial")
        fileio.create_private_file(partial)
        target = open_connection(partial, key, create=True)
        try:
            conn.backup(target)
        finally:
            target.close()
        verify_copy(partial, key, header)
        os.replace(partial, dest / DB_NAME)
        header_mod.save(header, dest / HEADER_NAME)
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


def load_backup_header(src: Path) -> Header:
    """The ``vault.keys`` of the backup folder ``src`` (which must hold ``vault.db`` too)."""
    if not (src / HEADER_NAME).exists() or not (src / DB_NAME).exists():
        raise VaultNotFound(f"バックアップのフォルダに vault.db と vault.keys がありません: {src}")
    try:
        return Header.load(src / HEADER_NAME)
    except VaultCorrupted as exc:
        raise VaultCorrupted(f"{BACKUP_KEYS}が壊れています: {src}") from exc


def verify_copy(db_path: Path, key: bytearray, header: Header) -> None:
    """Both integrity checks, the audit chain against ``header`` and the vault id."""
    try:
        conn = open_connection(db_path, key)
    except VaultError as exc:
        raise VaultCorrupted(f"バックアップを開けません: {exc.message}") from exc
    try:
        problems = integrity_problems(conn)
        migrations.check_not_newer(conn)
        if read_meta(conn, "vault_id") != header.vault_id:
            problems.append("鍵ファイルとデータベースが別の保管庫のものです。")
        else:
            report = audit_mod.verify_chain(
                conn, audit_mod.stored_chain_key(conn, header.vault_id), header.audit_head
            )
            if not report.ok:
                problems.append(report.problem)
            last = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()
            missing = checks.missing_saves(header, checks.read_commits(conn), int(last[0]))
            if missing:
                problems.append(missing)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlcipher3.Error as exc:
        problems = [read_error(exc)]
    except VaultCorrupted as exc:
        problems = [exc.message]
    finally:
        conn.close()
    if problems:
        raise VaultCorrupted("バックアップの検査で問題が見つかりました: " + " / ".join(problems))


# -- restore ---------------------------------------------------------------------------


def restore_with_key(
    data_dir: Path, src: Path, src_header: Header, key: bytearray, actor: str
) -> Path:
    """Stage and verify a copy of ``src``, move the current vault aside, install the copy.

    The caller holds the instance lock. Nothing in ``data_dir`` changes until the
    staged copy has passed every check. Returns the ``replaced-…`` folder.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    staging = data_dir / f".restore-{stamp}-{secrets.token_hex(3)}"
    kept = data_dir / f"{KEPT_PREFIX}{stamp}"
    n = 1
    while kept.exists():  # two restores in the same second
        n += 1
        kept = data_dir / f"{KEPT_PREFIX}{stamp}-{n}"
    try:
        staging.mkdir(mode=0o700)
        shutil.copyfile(src / DB_NAME, staging / DB_NAME)
        (staging / DB_NAME).chmod(0o600)
        verify_copy(staging / DB_NAME, key, src_header)
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
        chain = audit_mod.Chain.load(conn, audit_mod.stored_chain_key(conn, src_header.vault_id))
        chain.begin()
        conn.execute("BEGIN IMMEDIATE")
        chain.append(conn, None, actor, "restore", None, stamp)
        conn.execute("COMMIT")
        chain.commit()
        src_header.audit_head = chain.head()
        src_header.sign(key, keyslots.signer(conn))
        header_mod.save(src_header, data_dir / HEADER_NAME)
    except sqlcipher3.Error as exc:
        raise map_error(exc) from exc
    finally:
        conn.close()
    return kept


# -- old copies --------------------------------------------------------------------------


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


def prune_files(data_dir: Path, copies: list[Path]) -> list[Path]:
    """The regular files of ``copies`` to overwrite; ``VaultError`` before anything is
    touched for a link, a path leading outside ``data_dir`` or a file of the live vault."""
    root = data_dir.resolve()
    live = [data_dir / name for name in (DB_NAME, HEADER_NAME)]
    live += [data_dir / (DB_NAME + s) for s in ("-wal", "-shm")]
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
    return files


def delete_copies(data_dir: Path, copies: list[Path], files: list[Path]) -> None:
    """Overwrite ``files`` with zeros, delete them, then the emptied folders of ``copies``.

    ``OSError`` on the first failure (what is left must be checked by hand).
    """
    for path in files:
        overwrite_and_delete(path)
    for copy in copies:
        if copy.is_dir():
            for sub in sorted(copy.rglob("*"), reverse=True):
                sub.rmdir()
            copy.rmdir()
    fileio.fsync_dir(data_dir)


def overwrite_and_delete(path: Path) -> None:
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
