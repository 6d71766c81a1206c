"""`print-sample`: one sample of every document kind from a synthetic case.

For printer set-up and training: the case is fictitious (見本), but the command
still unlocks the vault as a named user, so the installation's settings (kept in
the vault) are used. With ``--out DIR`` the samples are written as PDF files (each an audit entry
``export_pdf``); with ``--printer NAME`` each is sent to that printer through the same
print path as the preview's 印刷… (``gui.print_job.print_document``: full size, the
PDF itself to CUPS, the neutral job name), each an audit entry ``print``. With
``--language CODE`` (``all``: every language) the client's papers are also written in
that language beside the Japanese, as ``NAME.CODE.pdf`` (``safety_plan.vi.pdf``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from intake_app.commands.common import CommandError, PassphraseReader, add_passphrase_stdin
from intake_app.domain.languages import CODES as LANGUAGE_CODES


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    p = sub.add_parser(
        "print-sample",
        help="見本の事例から、すべての種類の帳票をPDFで書き出すか印刷する（プリンター設定・研修用）",
        description=(
            "架空の事例（見本）から、連絡票（連絡先ごと）、一時保護依頼票、保護命令の案内"
            "（持ち歩き用を含む）、裁判所への書面、支援措置の意見、児童通告の記録、"
            "くらしのメモ、相談窓口のご案内、紹介と同意についての説明を DIR に書き出すか、"
            "プリンター NAME に印刷します。書き出しと印刷は監査ログに記録されます。"
        ),
    )
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="DIR", help="書き出し先のフォルダ")
    where.add_argument(
        "--printer",
        metavar="NAME",
        help="このプリンターに印刷する（印刷プレビューの「印刷…」と同じ方法、ダイアログなし）",
    )
    p.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        help="帳票の日付（YYYY-MM-DD、省略時は今日）",
    )
    p.add_argument(
        "--language",
        metavar="CODE",
        choices=[*LANGUAGE_CODES, "all"],
        default=None,
        help=(
            "本人に渡す書類を、日本語と並べてこの言語でも作る（NAME.CODE.pdf）: "
            + "、".join(LANGUAGE_CODES)
            + "、all（すべての言語）"
        ),
    )
    p.set_defaults(handler=_print_sample)


def _municipality(session: Any) -> Any:
    from intake_app.domain.municipality import resolve_municipality

    return resolve_municipality(getattr(session, "municipality", None) or "warabi")


def _open_session(data_dir: Path, user: str, passphrase: str) -> Any:
    """Unlock the vault as ``user`` (a VaultError carries the Japanese message)."""
    from intake_app.store import Vault

    return Vault.open(data_dir, user, passphrase)


def _kind_and_destination(file_name: str) -> tuple[str, str | None]:
    """``referral_slip-police.pdf`` → (referral_slip, police); ``safety_plan.vi.pdf`` →
    (safety_plan, None)."""
    stem = file_name.removesuffix(".pdf").partition(".")[0]
    kind, _, destination = stem.partition("-")
    return kind, destination or None


def _languages(choice: str | None) -> list[str]:
    if choice is None:
        return []
    return list(LANGUAGE_CODES) if choice == "all" else [choice]


def _centre_reviews(session: Any) -> Any:
    """The centre's review marks (a vault session), none for anything else."""
    from intake_app.store.paper_languages import centre_reviews

    if not hasattr(session, "unaudited"):
        return {}
    return centre_reviews(session)


def _print_sample(args: argparse.Namespace) -> int:
    from intake_app.documents import DocumentError
    from intake_app.documents.samples import render_all
    from intake_app.store import VaultError

    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    try:
        session = _open_session(args.data_dir, args.user, passphrase)
    except VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        today = args.date or dt.date.today()
        try:
            samples = render_all(
                _municipality(session),
                today,
                _languages(args.language),
                centre_reviews=_centre_reviews(session),
            )
            if args.printer:
                _send_to_printer(session, samples, args.printer)
            else:
                _write_files(session, samples, args.out)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        except VaultError as exc:
            raise CommandError(exc.message) from exc
    finally:
        session.close()
    if args.printer:
        print(
            f"{len(samples)}件の見本をプリンター「{args.printer}」に送りました（架空の事例です）。"
        )
    else:
        print(f"{len(samples)}件の見本を書き出しました（架空の事例です）。")
    return 0


def _write_files(session: Any, samples: dict[str, bytes], out: Path) -> None:
    from intake_app.documents.export import write_private
    from intake_app.store.outputs import (
        EXPORT_PDF,
        Output,
        record_output,
        sample_object_id,
    )

    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"書き出し先のフォルダを作れません: {out}（{exc.strerror}）") from exc
    if not os.access(out, os.W_OK):
        raise CommandError(f"書き出し先のフォルダに書き込めません: {out}")
    for name, data in samples.items():
        write_private(out / name, data)
        kind, destination = _kind_and_destination(name)
        pages = _page_count(data)
        record_output(
            session,
            Output(EXPORT_PDF, f"1-{pages}" if pages > 1 else "1", pages),
            sample_object_id(kind, destination),
        )
        print(out / name)


def _page_count(data: bytes) -> int:
    """Pages of a PDF we built (reportlab writes ``/Type /Page`` once per page)."""
    import re

    return max(1, len(re.findall(rb"/Type\s*/Page(?![s\w])", data)))


def _send_to_printer(session: Any, samples: dict[str, bytes], printer_name: str) -> None:
    """Each sample through the preview's print path, without a dialog; warnings to stderr."""
    import sys

    if sys.platform != "win32":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is shown
    from PySide6.QtWidgets import QApplication

    import intake_app.gui  # noqa: F401  (the PySide6 guard, as in the program)

    app = QApplication.instance() or QApplication([])
    from PySide6.QtPrintSupport import QPrinterInfo

    from intake_app.documents.print_system import PrintSystemError, print_system_warnings
    from intake_app.gui.print_job import LoadedPdf, clipped_edges, new_printer, print_document
    from intake_app.store.outputs import (
        PRINT,
        Output,
        record_output,
        sample_object_id,
        session_user_id,
    )

    available = [str(n) for n in QPrinterInfo.availablePrinterNames()]
    if printer_name not in available:
        known = "、".join(available) or "なし"
        raise CommandError(
            f"プリンター「{printer_name}」が見つかりません（使えるプリンター: {known}）。"
        )
    warned: set[str] = set()
    for name, data in samples.items():
        kind, destination = _kind_and_destination(name)
        pdf = LoadedPdf(data)
        try:
            printer = new_printer(printer_name)
            pages = list(range(1, pdf.page_count() + 1))
            clipped = clipped_edges(pdf.document, pages, printer)
            if clipped and clipped not in warned:
                warned.add(clipped)
                print(f"注意: {clipped}", file=sys.stderr)
            try:
                result = print_document(pdf.document, data, printer, pages)
            except PrintSystemError as exc:
                raise CommandError(exc.message) from exc
            record_output(
                session,
                Output(
                    PRINT,
                    result.pages_text,
                    pdf.page_count(),
                    printer=result.printer,
                    copies=result.copies,
                ),
                sample_object_id(kind, destination),
                kind=kind,
                destination_id=destination,
                user_id=session_user_id(session),
            )
        finally:
            pdf.close()
        print(f"{name}: {result.job_id or printer_name}")
    for warning in print_system_warnings():
        print(f"注意: {warning}", file=sys.stderr)
    del app
