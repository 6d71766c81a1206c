"""Audit entries for papers leaving the program: ``print`` and ``export_pdf``.

A print and a PDF export are told apart, and each names where the paper went (the
printer), how many copies and which pages, never the paper's content nor a file
path (a file name may hold a client's name). Written through the session's audited
transaction; a print of a case paper also gets its row in ``prints``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from intake_app.store.connection import Connection

PRINT = "print"
EXPORT_PDF = "export_pdf"
ACTIONS = (PRINT, EXPORT_PDF)

RECOVERY_KEY_OBJECT = "recovery_key"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f;=]")
MAX_PRINTER_CHARS = 80


class AuditedSession(Protocol):
    def transaction(
        self, action: str, object_id: object = None, *, detail: str | None = None
    ) -> AbstractContextManager[Connection]: ...


@dataclass(frozen=True)
class Output:
    """One print or export: what the audit entry says about it (no content)."""

    action: str  # PRINT or EXPORT_PDF
    pages: str  # 1-based ranges, e.g. "1-2,4"
    page_count: int  # pages in the document
    printer: str = ""  # the printer's name (PRINT only)
    copies: int = 1


def paper_object_id(kind: str, case_id: int | None) -> str:
    """The object id of a case paper, as before: ``case:<id>:<kind>``."""
    return f"case:{case_id}:{kind}"


def sample_object_id(kind: str, destination_id: str | None = None) -> str:
    """The object id of a sample paper (``print-sample``): ``sample:<kind>[:<destination>]``."""
    return f"sample:{kind}" if destination_id is None else f"sample:{kind}:{destination_id}"


def clean_printer_name(name: str) -> str:
    """A printer name fit for the detail: no control characters, ``;`` or ``=``, bounded."""
    text = _UNSAFE.sub("_", name).strip()
    return text[:MAX_PRINTER_CHARS] or "(名前なし)"


def output_detail(output: Output) -> str:
    """``printer=NAME; copies=N; pages=1-2,4/5`` for a print, ``pages=1-5/5`` for an export."""
    pages = f"pages={output.pages or '-'}/{output.page_count}"
    if output.action == EXPORT_PDF:
        return pages
    return f"printer={clean_printer_name(output.printer)}; copies={max(1, output.copies)}; {pages}"


def record_output(
    session: AuditedSession,
    output: Output,
    object_id: str,
    *,
    kind: str | None = None,
    case_id: int | None = None,
    destination_id: str | None = None,
    user_id: int | None = None,
) -> None:
    """Write the ``print`` / ``export_pdf`` audit entry (and, for a printed paper of
    ``kind``, its ``prints`` row) in one transaction."""
    if output.action not in ACTIONS:
        raise ValueError(output.action)
    with session.transaction(output.action, object_id, detail=output_detail(output)) as conn:
        if output.action == PRINT and kind is not None:
            conn.execute(
                "INSERT INTO prints (case_id, kind, destination_id, printed_at, user_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    case_id,
                    kind,
                    destination_id,
                    dt.datetime.now().isoformat(timespec="seconds"),
                    user_id,
                ),
            )


def session_user_id(session: object) -> int | None:
    """The logged-in user's id, for the ``prints`` row."""
    uid = getattr(getattr(session, "user", None), "id", None)
    return uid if isinstance(uid, int) else None


def paper_recorder(
    session: AuditedSession, kind: str, case_id: int | None, destination_id: str | None = None
) -> Callable[[Output], None]:
    """The ``on_output`` callback of a case paper's preview: one audit entry per output."""

    def record(output: Output) -> None:
        record_output(
            session,
            output,
            paper_object_id(kind, case_id),
            kind=kind,
            case_id=case_id,
            destination_id=destination_id,
            user_id=session_user_id(session),
        )

    return record
