"""Single-instance lock: one process at a time opens a data folder.

An OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on ``vault.lock``
is released by the kernel when the holder dies, so a lock file left by a killed
process never blocks the next start. The file also names the holder (program,
process id, start time) so a second instance can say who has the vault. The lock
is re-entrant within one process (the GUI holds it for its lifetime and opens and
closes sessions inside it).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from intake_app.store.errors import VaultInUse, VaultIOError

LOCK_NAME = "vault.lock"
_INFO_SIZE = 1024  # the holder description lives before this offset; the OS lock after it

_registry_guard = threading.Lock()
_held: dict[str, tuple[IO[bytes], int]] = {}
_unclean: set[str] = set()


def _key(data_dir: Path) -> str:
    return os.path.normcase(str(Path(data_dir).resolve()))


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        handle.seek(_INFO_SIZE)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        handle.seek(_INFO_SIZE)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def not_a_regular_file(path: Path) -> VaultIOError:
    return VaultIOError(
        f"ロックファイルが通常のファイルではありません（リンクやフォルダです）。"
        f"データフォルダを確かめてください: {path}"
    )


def _open_lock_file(path: Path) -> int:
    """``vault.lock`` opened read-write, never through a link, only as a regular file."""
    if not _NOFOLLOW and path.is_symlink():  # pragma: no cover - Windows
        raise not_a_regular_file(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            raise not_a_regular_file(path) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise not_a_regular_file(path)
    return fd


def read_holder(data_dir: Path) -> dict[str, Any]:
    """What the lock file says about its holder (may be stale or empty)."""
    path = Path(data_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return {}
            raw = f.read(_INFO_SIZE).rstrip(b"\0 \n")
        value = json.loads(raw.decode("utf-8")) if raw else {}
    except (OSError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def describe_holder(info: dict[str, Any]) -> str:
    if not info:
        return "別のプログラム"
    program = info.get("program", "intake-app")
    pid = info.get("pid", "?")
    started = info.get("started", "")
    return f"{program}（プロセス番号 {pid}、{started} 開始）"


class InstanceLock:
    """The data folder's lock; ``acquire()`` raises ``VaultInUse`` naming the holder."""

    def __init__(self, data_dir: Path, program: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.program = program or _program_name()
        self._acquired = False

    def acquire(self) -> InstanceLock:
        if self._acquired:
            return self
        key = _key(self.data_dir)
        with _registry_guard:
            if key in _held:
                handle, count = _held[key]
                _held[key] = (handle, count + 1)
                self._acquired = True
                return self
            path = self.data_dir / LOCK_NAME
            try:
                self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd = _open_lock_file(path)
            except OSError as exc:
                raise VaultIOError(
                    f"データフォルダにロックファイルを作れませんでした（{exc.strerror}）: {path}"
                ) from exc
            handle = os.fdopen(fd, "r+b", buffering=0)
            if not _try_lock(handle):
                handle.close()
                holder = describe_holder(read_holder(self.data_dir))
                raise VaultInUse(
                    f"保管庫は {holder} が使用中です。そのプログラムを終了してから"
                    "もう一度試してください。"
                )
            if read_holder(self.data_dir):
                # The previous holder never released the lock: it crashed or was killed.
                _unclean.add(key)
            info = {
                "program": self.program,
                "pid": os.getpid(),
                "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            raw = json.dumps(info, ensure_ascii=False).encode("utf-8")[: _INFO_SIZE - 1]
            handle.seek(0)
            handle.write(raw.ljust(_INFO_SIZE - 1, b" ") + b"\n")
            os.fsync(handle.fileno())
            _held[key] = (handle, 1)
            self._acquired = True
            return self

    def release(self) -> None:
        if not self._acquired:
            return
        self._acquired = False
        key = _key(self.data_dir)
        with _registry_guard:
            entry = _held.get(key)
            if entry is None:
                return
            handle, count = entry
            if count > 1:
                _held[key] = (handle, count - 1)
                return
            del _held[key]
            # A clean exit blanks the holder; a crash flag nobody has acted on yet
            # (the vault was never unlocked) is kept for the next program.
            mark = b'{"unclean_shutdown": true}' if key in _unclean else b""
            _unclean.discard(key)
            try:
                handle.seek(0)
                handle.write(mark.ljust(_INFO_SIZE - 1, b" ") + b"\n")
                _unlock(handle)
            finally:
                handle.close()

    def take_unclean_shutdown(self) -> bool:
        """True once if the program that held this folder before did not exit cleanly."""
        key = _key(self.data_dir)
        with _registry_guard:
            if key in _unclean:
                _unclean.discard(key)
                return True
        return False

    def mark_unclean_shutdown(self) -> None:
        """Keep the crash flag (the check after a crash did not complete)."""
        with _registry_guard:
            _unclean.add(_key(self.data_dir))

    @property
    def held(self) -> bool:
        return self._acquired

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


_program = "intake-app"


def set_program_name(name: str) -> None:
    """How this process introduces itself to a second instance (e.g. "intake-app verify")."""
    global _program
    _program = name


def _program_name() -> str:
    return _program
