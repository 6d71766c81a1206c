"""Schema migrations: ``resources/migrations/NNNN_name.sql`` applied in order by ``user_version``.

Each file runs in one transaction that also sets ``user_version``; an existing
vault is copied to ``backups/`` first. A vault newer than the program is refused
before anything is written.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from intake_app import paths
from intake_app.fileio import fsync_dir
from intake_app.store.connection import Connection, map_error
from intake_app.store.errors import VaultError, VaultTooNew

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BACKUP_DIR_NAME = "backups"


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def available(folder: Path | None = None) -> list[Migration]:
    folder = folder or paths.migrations_dir()
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise VaultError(f"移行ファイルの番号が重複しています: {path.name}")
        found[version] = Migration(version, path)
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise VaultError("移行ファイルの番号が 0001 から連続していません。")
    return [found[v] for v in versions]


def latest_version(folder: Path | None = None) -> int:
    migrations = available(folder)
    return migrations[-1].version if migrations else 0


def current_version(conn: Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0


def check_not_newer(conn: Connection, folder: Path | None = None) -> int:
    """The vault's schema version; ``VaultTooNew`` if this program does not know it."""
    version = current_version(conn)
    latest = latest_version(folder)
    if version > latest:
        raise VaultTooNew(
            f"この保管庫（形式 {version}）はこのプログラム（形式 {latest} まで対応）より"
            "新しい版で作られています。新しい版のプログラムを使ってください。"
            "保管庫は変更していません。"
        )
    return version


def backup_copy(conn: Connection, db_path: Path, header_path: Path, version: int) -> Path:
    """Copy the (checkpointed) encrypted database and its header into ``backups/``."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    folder = db_path.parent / BACKUP_DIR_NAME
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"vault-v{version:04d}-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"vault-v{version:04d}-{stamp}-{n}.db"
    shutil.copyfile(db_path, target)
    target.chmod(0o600)
    if header_path.exists():
        keys = target.with_suffix(".keys")
        shutil.copyfile(header_path, keys)
        keys.chmod(0o600)
    with open(target, "rb+") as f:
        import os

        os.fsync(f.fileno())
    fsync_dir(folder)
    return target


def migrate(
    conn: Connection,
    db_path: Path,
    header_path: Path,
    *,
    folder: Path | None = None,
    backup: bool = True,
) -> list[int]:
    """Bring the schema up to date; returns the versions applied."""
    version = check_not_newer(conn, folder)
    pending = [m for m in available(folder) if m.version > version]
    if not pending:
        return []
    if backup and version > 0:
        backup_copy(conn, db_path, header_path, version)
    applied: list[int] = []
    for migration in pending:
        sql = migration.path.read_text(encoding="utf-8")
        script = (
            "BEGIN IMMEDIATE;\n" + sql + f"\n;PRAGMA user_version = {migration.version};\nCOMMIT;\n"
        )
        try:
            conn.executescript(script)
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            mapped = map_error(exc)
            if mapped is exc:
                raise VaultError(
                    f"データベースの移行 {migration.path.name} に失敗しました。"
                    "保管庫は移行前の状態のままです。"
                ) from exc
            raise mapped from exc
        applied.append(migration.version)
    return applied
