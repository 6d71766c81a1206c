"""The explicit PDF export: owner-only from the first byte, atomic, no debris."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from intake_app.documents import DocumentError
from intake_app.documents.export import write_private

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@posix_only
def test_written_file_is_0600_even_with_a_lax_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        target = write_private(tmp_path / "slip.pdf", b"%PDF-1.4 data")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF-1.4 data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slip.pdf"]


@posix_only
def test_temp_file_is_private_before_any_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_write = os.write

    def spy(fd: int, data: bytes | memoryview) -> int:
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    old = os.umask(0)
    try:
        write_private(tmp_path / "a.pdf", b"x" * 10)
    finally:
        os.umask(old)
    assert modes and set(modes) == {0o600}


def test_replace_failure_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(DocumentError) as err:
        write_private(target, b"new")
    assert "保存できませんでした" in err.value.message
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_overwrites_atomically(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    write_private(target, b"new")
    assert target.read_bytes() == b"new"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError):
        write_private(tmp_path / "none" / "a.pdf", b"x")
