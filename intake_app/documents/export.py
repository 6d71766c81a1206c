"""The one way a document reaches the disk: an explicit export, owner-only and atomic.

Temp file in the target folder, owner-only permissions before the first byte,
fsync, then ``os.replace``: a crash leaves the old file or the new one, never a
half-written PDF, and no other account can read it at any moment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from intake_app.documents.errors import DocumentError


def write_private(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically with mode 0600; return the final path."""
    target = Path(path)
    directory = target.parent
    tmp = directory / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o600)
    except OSError as exc:
        raise DocumentError(f"保存できませんでした（{directory}）: {exc.strerror}") from exc
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # whatever the umask, before any byte is written
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise DocumentError(f"保存できませんでした（{target.name}）: {exc.strerror}") from exc
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    return target
