"""The one way a document reaches the disk: an explicit export, owner-only and atomic
(``intake_app.fileio``): a crash leaves the old file or the new one, never a
half-written PDF, and no other account can read it at any moment.
"""

from __future__ import annotations

import os
from pathlib import Path

from intake_app import fileio
from intake_app.documents.errors import DocumentError


def write_private(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically with mode 0600; return the final path."""
    target = Path(path)
    try:
        return fileio.write_private(target, data)
    except OSError as exc:
        raise DocumentError(f"保存できませんでした（{target.name}）: {exc.strerror}") from exc
