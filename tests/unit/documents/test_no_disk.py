"""Building documents opens no file outside the program and its resources (T6)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from intake_app import documents, paths
from intake_app.documents.samples import render_all, synthetic_case
from tests.unit.documents.helpers import MUNICIPALITY, TODAY

_ALLOWED = tuple(
    str(Path(p).resolve())
    for p in {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        paths.resource(),
        paths.root() / "intake_app",
    }
)
_opened: list[str] | None = None
_hooked = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if (
        _opened is not None
        and event == "open"
        and args
        and isinstance(args[0], (str, bytes, os.PathLike))
    ):
        _opened.append(os.fsdecode(args[0]))  # type: ignore[arg-type]


@contextmanager
def record_opens() -> Iterator[list[str]]:
    """Collect the paths opened meanwhile (an audit hook cannot be removed: it idles after)."""
    global _opened, _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def outside(opened: list[str]) -> list[str]:
    return [p for p in opened if not str(Path(p).resolve()).startswith(_ALLOWED)]


def test_building_every_document_touches_no_file() -> None:
    with record_opens() as opened:
        samples = render_all(MUNICIPALITY, TODAY)
        documents.court_report(synthetic_case(TODAY), MUNICIPALITY, today=TODAY)
    assert len(samples) >= 8
    assert outside(opened) == []


def test_the_hook_does_see_a_file_being_opened(tmp_path: Path) -> None:
    """Negative control: a real open() outside is caught."""
    with record_opens() as opened:
        (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert outside(opened) == [str(tmp_path / "x.pdf")]
