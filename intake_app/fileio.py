"""Owner-only, atomic file writes: the one way the program replaces a file.

Temp file in the target folder, mode 0600 before the first byte (whatever the
umask), fsync, ``os.replace``, then fsync of the folder: a crash leaves the old
file or the new one, never a partial one, and no other account can read it at any
moment. Used for the keyslot header and for explicitly exported documents. No Qt.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

# chmod refused because the file system has no Unix modes (vfat, exFAT, some network
# shares): only tolerated for ``removable`` targets.
_NO_MODES = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EINVAL})


def write_private(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    durable: bool = True,
    removable: bool = False,
) -> Path:
    """Replace ``path`` with ``data`` atomically (0600); ``OSError`` leaves no temp file.

    Without ``durable`` the folder is not fsync'd: after a crash the file is then
    either the old or the new complete version. ``removable``: the target may be a
    USB stick whose file system keeps no owner or mode (FAT, exFAT), where Linux
    refuses the ``chmod``; the file is still created 0600 where the file system can
    hold it, and the write goes on where it cannot (used for encrypted hand-off
    files and public cards only).
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        try:
            if hasattr(os, "fchmod"):
                try:
                    os.fchmod(fd, 0o600)
                except OSError as exc:
                    if not removable or exc.errno not in _NO_MODES:
                        raise
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        with contextlib.suppress(OSError):
            fsync_dir(target.parent)
    return target


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600; ``FileExistsError`` if anything is there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere a no-op)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
