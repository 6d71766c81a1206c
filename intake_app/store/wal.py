"""A damaged WAL whose every frame is already in ``vault.db``: set it aside, lose nothing.

SQLite copies the WAL's frames into the database file at a checkpoint and starts the
WAL afresh only at the next write. If the program dies in between (or during the
checkpoint's last steps) and a frame of the WAL is damaged afterwards, SQLite's
recovery stops at that frame and lays the *older* pages before it over a database
file that already holds the newer ones: the vault reads as damaged, although the
database file alone holds every save.

``checkpointed`` tells that case from the others by the WAL index the crash left
behind (``vault.db-shm``): its header (both copies equal, checksum valid, the WAL's
salt) says the checkpoint finished with every committed frame (``nBackfill ==
mxFrame``). The caller then proves the database file alone with the unlock's own
checks (the commit counter at least the header's, the audit head in the chain,
signed by the header) before ``set_aside`` renames the WAL (kept, still encrypted,
for an IT person to look at) and removes the stale index. The check after a crash
then reads every page and B-tree of the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import struct
import sys
from pathlib import Path

from intake_app import fileio

HEADER_BYTES = 48  # one copy of the WAL index header (WalIndexHdr)
CHECKSUMMED = 40  # the header bytes its checksum covers
NBACKFILL_AT = 96  # WalCkptInfo.nBackfill, right after the two header copies
WAL_SALT = slice(16, 24)  # in the WAL file's own header
ASIDE_SUFFIX = ".damaged-"

WAL_ASIDE_NOTICE = (
    "データベースの一時ファイル（vault.db-wal）が壊れていましたが、それまでの保存はすべて"
    "データベース本体（vault.db）に入っていたので、本体だけで開きました。何も失われて"
    "いません。壊れた一時ファイルは {name} として同じフォルダに残してあります"
    "（暗号化されたままです）。情報システムの担当者に知らせてください。"
)
WAL_ASIDE_PENDING = (
    "データベースの一時ファイル（vault.db-wal）が壊れています。それまでの保存はすべて"
    "データベース本体（vault.db）に入っています（検査済み）。次に開くとき、壊れた一時"
    "ファイルを別の名前で残して本体だけで開きます。"
)


def _checksum(data: bytes) -> tuple[int, int]:
    """SQLite's WAL checksum (``walChecksumBytes``) in the machine's byte order."""
    order = "<" if sys.byteorder == "little" else ">"
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    s1 = s2 = 0
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2


def checkpointed(db_path: Path) -> bool:
    """The WAL index left beside ``db_path`` says every committed frame of the WAL was
    copied into the database file (``False`` when anything is missing or unclear)."""
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    try:
        with open(shm, "rb") as f:
            index = f.read(NBACKFILL_AT + 4)
        with open(wal, "rb") as f:
            wal_header = f.read(32)
    except OSError:
        return False
    if len(index) < NBACKFILL_AT + 4 or len(wal_header) < 32:
        return False
    first, second = index[:HEADER_BYTES], index[HEADER_BYTES : 2 * HEADER_BYTES]
    if first != second or first[12] != 1:  # both copies written, isInit
        return False
    order = "<" if sys.byteorder == "little" else ">"
    stored = struct.unpack(f"{order}2I", first[CHECKSUMMED:HEADER_BYTES])
    if _checksum(first[:CHECKSUMMED]) != stored:
        return False
    (max_frame,) = struct.unpack(f"{order}I", first[16:20])
    (backfilled,) = struct.unpack(f"{order}I", index[NBACKFILL_AT : NBACKFILL_AT + 4])
    same_wal = first[32:40] == wal_header[WAL_SALT]
    return same_wal and max_frame > 0 and backfilled == max_frame


def set_aside(db_path: Path) -> str:
    """Rename the WAL to ``vault.db-wal.damaged-<UTC time>`` and remove the stale index;
    returns the new name. ``OSError`` when the folder cannot be changed."""
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = wal.with_name(wal.name + ASIDE_SUFFIX + stamp)
    n = 1
    while target.exists():
        n += 1
        target = wal.with_name(f"{wal.name}{ASIDE_SUFFIX}{stamp}-{n}")
    os.replace(wal, target)
    with contextlib.suppress(FileNotFoundError):
        shm.unlink()
    fileio.fsync_dir(db_path.parent)
    return target.name
