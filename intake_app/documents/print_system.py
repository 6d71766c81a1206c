"""The print system outside the program (no Qt): one neutral job name, the PDF handed to
CUPS as it is (on standard input, no file of ours), and what the local CUPS keeps.

Every job carries ``NEUTRAL_JOB_NAME``, never a paper's title: print systems keep job
names in their history and office printers show them on their panel and web page.
CUPS accepts PDF, so on Linux (and macOS) the document's own bytes go to ``lp``; the
Qt side (``intake_app.gui.print_job``) renders pages only where that is not possible.

``print_system_warnings()`` reads the local ``/etc/cups/cupsd.conf`` (read-only) and
returns Japanese warnings when CUPS keeps printed documents or their job history;
``cups_warnings(text)`` is the pure function behind it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from intake_app.domain.errors import UserError

NEUTRAL_JOB_NAME = "相談記録システム 書類"
CUPSD_CONF = Path("/etc/cups/cupsd.conf")
LP_TIMEOUT_S = 60

# sides values of IPP / CUPS
ONE_SIDED = "one-sided"
LONG_EDGE = "two-sided-long-edge"
SHORT_EDGE = "two-sided-short-edge"

# options we set ourselves; the same keys coming from the print dialog are ignored
_OWN_OPTIONS = frozenset(
    {
        "copies",
        "page-ranges",
        "sides",
        "media",
        "collate",
        "job-name",
        "document-name",
        "print-scaling",
        "fit-to-page",
        "scaling",
        "print-color-mode",
        "outputorder",
        "document-format",
    }
)
_OPTION_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")


class PrintSystemError(UserError):
    """The print system refused or failed; ``message`` is one Japanese sentence."""


@dataclass(frozen=True)
class PrintOptions:
    """What the print dialog chose, in the print system's terms."""

    printer: str
    copies: int = 1
    page_ranges: tuple[tuple[int, int], ...] = ()  # 1-based, inclusive; () = every page
    sides: str | None = None  # ONE_SIDED, LONG_EDGE, SHORT_EDGE or None (the printer's default)
    media: str | None = "A4"
    collate: bool = True
    monochrome: bool = False
    reverse: bool = False
    extra: tuple[tuple[str, str], ...] = field(default=())  # other CUPS options of the dialog


def page_ranges(pages: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """``[1, 2, 4]`` → ``((1, 2), (4, 4))`` (sorted, duplicates dropped)."""
    out: list[tuple[int, int]] = []
    for page in sorted(set(pages)):
        if out and out[-1][1] == page - 1:
            out[-1] = (out[-1][0], page)
        else:
            out.append((page, page))
    return tuple(out)


def format_ranges(ranges: Sequence[tuple[int, int]]) -> str:
    """``((1, 2), (4, 4))`` → ``"1-2,4"``."""
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def lp_command(options: PrintOptions, *, lp: str = "lp") -> list[str]:
    """The ``lp`` arguments for one job; the PDF itself is read from standard input."""
    args = [lp, "-d", options.printer, "-t", NEUTRAL_JOB_NAME, "-n", str(max(1, options.copies))]
    if options.page_ranges:
        args += ["-P", format_ranges(options.page_ranges)]
    opts: list[tuple[str, str]] = [
        ("document-format", "application/pdf"),
        # 100 %: the paper's own margins; a printer that cannot reach an edge clips it
        ("print-scaling", "none"),
    ]
    if options.media:
        opts.append(("media", options.media))
    if options.sides:
        opts.append(("sides", options.sides))
    if options.copies > 1:
        opts.append(("collate", "true" if options.collate else "false"))
    if options.monochrome:
        opts.append(("print-color-mode", "monochrome"))
    if options.reverse:
        opts.append(("outputorder", "reverse"))
    for key, value in options.extra:
        if key.lower() in _OWN_OPTIONS or not _OPTION_KEY.match(key):
            continue
        opts.append((key, value))
    for key, value in opts:
        clean = value.replace("\\", "").replace('"', "").replace("'", "")
        args += ["-o", f'{key}="{clean}"' if re.search(r"\s", clean) else f"{key}={clean}"]
    return args


def cups_available() -> bool:
    """True where jobs can be handed to CUPS with ``lp`` (not on Windows)."""
    return sys.platform != "win32" and shutil.which("lp") is not None


def submit_to_cups(pdf: bytes, options: PrintOptions) -> str:
    """Hand ``pdf`` to CUPS on ``lp``'s standard input; return the job id (``queue-12``).

    Nothing is written to a file by the program; CUPS itself spools the job (see
    ``print_system_warnings`` for what it keeps afterwards).
    """
    lp = shutil.which("lp")
    if lp is None:
        raise PrintSystemError("印刷システム（CUPS の lp コマンド）が見つかりません。")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            lp_command(options, lp=lp),
            input=pdf,
            capture_output=True,
            timeout=LP_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PrintSystemError(
            "印刷システムが応答しません。プリンターの状態を確認してください。"
        ) from exc
    except OSError as exc:
        raise PrintSystemError(f"印刷を始められませんでした（{exc.strerror}）。") from exc
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1][:200] if reason else f"終了コード {done.returncode}"
        raise PrintSystemError(f"プリンター「{options.printer}」に送れませんでした（{detail}）。")
    found = re.search(r"request id is (\S+)", out)
    return found.group(1) if found else ""


# --- what the print system keeps -------------------------------------------------------


def _directives(conf_text: str) -> dict[str, str]:
    """Top-level ``Key value`` lines of cupsd.conf (the last one wins, like cupsd)."""
    found: dict[str, str] = {}
    depth = 0
    for raw in conf_text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("</"):
            depth = max(0, depth - 1)
            continue
        if line.startswith("<"):
            depth += 1
            continue
        if depth:
            continue
        key, _, value = line.partition(" ")
        found[key.lower()] = value.strip()
    return found


def _kept(value: str | None, default_kept: bool) -> bool:
    """Whether a ``Preserve…`` value keeps anything (Yes, a number of seconds, or absent)."""
    if value is None:
        return default_kept
    v = value.strip().lower()
    if v in ("no", "off", "false", "0"):
        return False
    return True


def cups_warnings(conf_text: str, *, path: str = str(CUPSD_CONF)) -> list[str]:
    """Japanese warnings for a cupsd.conf text: documents or job history kept after printing.

    CUPS keeps a printed document's file for a day (``PreserveJobFiles`` default
    ``86400``) and the job history (user, time, job name) indefinitely
    (``PreserveJobHistory`` default ``Yes``); both are outside the encrypted vault.
    """
    conf = _directives(conf_text)
    warnings: list[str] = []
    files = conf.get("preservejobfiles")
    if _kept(files, default_kept=True):
        shown = files if files is not None else "未設定（既定では1日）"
        warnings.append(
            "印刷システム（CUPS）が、印刷した書類のファイルを印刷後も残す設定です"
            f"（PreserveJobFiles: {shown}）。書類の内容が暗号化されずに残ります。"
            f"{path} に「PreserveJobFiles No」と書き、CUPS を再起動してください。"
        )
    history = conf.get("preservejobhistory")
    if _kept(history, default_kept=True):
        shown = history if history is not None else "未設定（既定では残す）"
        warnings.append(
            "印刷システム（CUPS）が、印刷の履歴（日時・利用者・ジョブ名）を残す設定です"
            f"（PreserveJobHistory: {shown}）。"
            f"{path} に「PreserveJobHistory No」と書き、CUPS を再起動してください。"
        )
    return warnings


WINDOWS_REMINDER = (
    "Windows の印刷スプーラーの設定を確認してください: 各プリンターの「プロパティ」→"
    "「詳細設定」で「印刷後ドキュメントを残す」をオフにし、スプール フォルダーは"
    "暗号化されたディスク（BitLocker）に置いてください。"
)


def print_system_warnings(
    *, platform: str | None = None, conf_path: Path = CUPSD_CONF
) -> list[str]:
    """The warnings for this PC's print system (reads cupsd.conf only, never writes).

    Linux and macOS: ``cups_warnings`` of the local cupsd.conf (none when CUPS is
    not installed); a configuration that cannot be read is said so. Windows: the
    spooler's settings cannot be checked here, so the reminder to confirm them.
    """
    system = platform or sys.platform
    if system == "win32":
        return [WINDOWS_REMINDER]
    try:
        text = conf_path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError:
        return [
            f"印刷システムの設定（{conf_path}）を読めませんでした。印刷した書類や印刷の履歴を"
            "残さない設定（PreserveJobFiles No、PreserveJobHistory No）になっているか、"
            "管理者が確認してください。"
        ]
    return cups_warnings(text, path=str(conf_path))
