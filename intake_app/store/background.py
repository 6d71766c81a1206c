"""The check after unlock: in a worker thread, on its own read-only connection.

A full check in front of the counselor would cost seconds at 100,000 consultations
and about a minute at 1,000,000, so the unlock makes only the O(1) checks
(``checks.inspect``) and this runs afterwards while the program is in use:

1. ``PRAGMA cipher_integrity_check``: every page's HMAC (any change to the file made
   without the key: a damaged middle or last page, bytes edited by hand);
2. after a crash only, ``PRAGMA quick_check`` (the B-trees: every page's structure,
   the order of the keys, the free list, page use, NOT NULL and CHECK constraints).
   It is O(N); ``integrity_check`` also matches every index entry against its row,
   O(N log N) with random reads: 5.5 min at a million consultations with 20 million
   audit entries, against 50 s for ``quick_check`` (30 s more for the page check).
   A crash damages pages, which steps 1 and 2 find; ``intake-app verify`` and an
   unlock with ``check_integrity`` still run the full ``integrity_check``;
3. the audit chain from the newest entry the previous check verified (remembered in
   the header, ``Header.verified``) to the end: incremental, so at most the entries
   since the last unlock.

SQLCipher connections belong to one thread: this one is opened, used and closed in
the worker. It is ``mode=ro`` and cannot write or checkpoint. ``cipher_integrity_check``
reads the database file itself while the program's connection may be copying WAL
frames into it (a checkpoint); a page read in the middle of such a write could look
damaged, so a problem is confirmed by a second run while the session holds its lock
(no commit, hence no checkpoint, can happen meanwhile) before it counts.

The result goes to ``on_done`` (the session): a problem stops every write of the
session (``WritesStopped``); success moves the header's mark and is audited.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from intake_app.domain.errors import UserError
from intake_app.store import audit as audit_mod
from intake_app.store.connection import (
    DAMAGED_DB,
    Connection,
    error_code,
    open_shared_reader,
    read_error,
)
from intake_app.store.header import zero

log = logging.getLogger(__name__)

Confirm = Callable[[Callable[[], list[Any]]], list[Any]]


@dataclass(frozen=True)
class CheckStatus:
    """What the status bar shows: ``state`` is ``running``, ``ok``, ``problem`` or
    ``cancelled``; ``text`` one Japanese line; ``fraction`` 0–1 where measurable."""

    state: str
    text: str
    fraction: float | None = None
    problems: tuple[str, ...] = ()


@dataclass
class CheckOutcome:
    problems: list[str] = field(default_factory=list)
    mark: dict[str, Any] = field(default_factory=dict)
    after_crash: bool = False
    cancelled: bool = False
    seconds: float = 0.0
    pages_s: float = 0.0


class BackgroundCheck:
    """One check of the open vault; ``start()``, then ``status()`` until it is done."""

    def __init__(
        self,
        db_path: Path,
        key: bytearray,
        chain_key: bytes,
        mark: dict[str, Any],
        *,
        after_crash: bool,
        confirm: Confirm,
        on_done: Callable[[CheckOutcome], None],
    ) -> None:
        self._db_path = db_path
        self._key = bytearray(key)  # zeroed as soon as the worker's connection has it
        self._chain_key = chain_key
        self._mark = dict(mark)
        self._after_crash = after_crash
        self._confirm = confirm
        self._on_done = on_done
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._steps = 3 if after_crash else 2
        self._status = CheckStatus("running", self._line(1, "開始しています"), 0.0)
        self._thread = threading.Thread(target=self._run, name="intake-vault-check", daemon=True)

    # -- control -------------------------------------------------------------------

    def start(self) -> BackgroundCheck:
        self._thread.start()
        return self

    def status(self) -> CheckStatus:
        with self._lock:
            return self._status

    def cancel(self) -> None:
        """Stop as soon as the current step allows (the page check runs to its end)."""
        self._stop.set()
        with self._lock:
            conn = self._conn
        if conn is not None:
            try:
                conn.interrupt()
            except sqlcipher3.Error:  # pragma: no cover - already closed
                pass

    def join(self, timeout: float | None = None) -> bool:
        """True when the worker has finished."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive() and self._status.state != "running"

    # -- the worker ----------------------------------------------------------------

    def _line(self, step: int, what: str) -> str:
        return f"保管庫を検査しています（{step}/{self._steps} {what}）…"

    def _set(self, status: CheckStatus) -> None:
        with self._lock:
            self._status = status

    def _run(self) -> None:
        outcome = CheckOutcome(mark=dict(self._mark), after_crash=self._after_crash)
        started = time.monotonic()
        try:
            conn = open_shared_reader(self._db_path, self._key)
        except Exception as exc:  # a vault the worker cannot open is a problem to report
            zero(self._key)
            message = exc.message if isinstance(exc, UserError) else ""
            outcome.problems.append(message or read_error(exc))
            self._finish(outcome, started)
            return
        zero(self._key)
        with self._lock:
            self._conn = conn
        try:
            self._check(conn, outcome)
        except sqlcipher3.Error as exc:
            if self._stop.is_set():
                outcome.cancelled = True
            else:
                outcome.problems.append(read_error(exc))
        finally:
            with self._lock:
                self._conn = None
            conn.close()
        self._finish(outcome, started)

    def _finish(self, outcome: CheckOutcome, started: float) -> None:
        outcome.seconds = time.monotonic() - started
        if self._stop.is_set() and not outcome.problems:
            outcome.cancelled = True
        if outcome.problems:
            status = CheckStatus(
                "problem",
                "保管庫に異常が見つかりました。保存を止めています。",
                1.0,
                tuple(outcome.problems),
            )
        elif outcome.cancelled:
            status = CheckStatus("cancelled", "保管庫の検査を中断しました。", None)
        else:
            status = CheckStatus(
                "ok", f"保管庫の検査: 異常なし（{time.strftime('%H:%M')} 完了）", 1.0
            )
        try:
            self._on_done(outcome)
        except Exception as exc:  # the status must still say how the check ended
            log.error("check result not applied: %s", type(exc).__name__)
        self._set(status)

    def _check(self, conn: Connection, outcome: CheckOutcome) -> None:
        # 1: every page's HMAC
        try:
            size_mb = os.stat(self._db_path).st_size // 1_000_000
        except OSError:
            size_mb = 0
        self._set(CheckStatus("running", self._line(1, f"ページの改ざん検査、{size_mb:,} MB"), 0.0))
        t0 = time.monotonic()
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if rows and not self._stop.is_set():
            log.info("page check: %d lines, confirming", len(rows))
            rows = self._confirm(lambda: conn.execute("PRAGMA cipher_integrity_check").fetchall())
        outcome.pages_s = time.monotonic() - t0
        if rows:
            for row in rows[:20]:
                log.debug("page check: %s", str(row[0])[:200])
            outcome.problems.append(DAMAGED_DB.format(len(rows)))
            return
        step = 2
        # 2: after a crash, the B-trees
        if self._after_crash and not self._stop.is_set():
            self._set(
                CheckStatus("running", self._line(step, "前回の異常終了後のデータベース構造"), None)
            )
            conn.set_progress_handler(lambda: 1 if self._stop.is_set() else 0, 20_000)
            try:
                found = [
                    str(r[0])
                    for r in conn.execute("PRAGMA quick_check").fetchall()
                    if str(r[0]).lower() != "ok"
                ]
            finally:
                conn.set_progress_handler(None, 0)
            if found:
                for line in found[:20]:
                    log.debug("integrity check: %s", line[:200])
                outcome.problems.append(DAMAGED_DB.format(len(found)))
                return
            step += 1
        # 3: the audit chain since the last verified entry
        if self._stop.is_set():
            return

        def progress(done: int, total: int) -> None:
            self._set(
                CheckStatus(
                    "running",
                    self._line(step, f"監査ログ {done:,} / {total:,} 件"),
                    done / total if total else 1.0,
                )
            )

        progress(0, 0)
        report, mark = audit_mod.verify_since(
            conn, self._chain_key, self._mark, progress=progress, stopped=self._stop.is_set
        )
        if not report.ok:
            outcome.problems.append(report.problem)
        else:
            outcome.mark = mark


def describe_error(exc: BaseException) -> str:  # pragma: no cover - logging aid
    return f"sqlite code {error_code(exc)}"
