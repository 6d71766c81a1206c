"""`intake-app stats`: one fiscal year's figures as CSV or PDF, supervisors only.

Only aggregates leave the vault, after small-cell suppression (counts below
``--suppress-below``, default 3, are shown as ``<3``). The export is audited.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.common import (
    EXIT_USAGE,
    CommandError,
    PassphraseReader,
    add_passphrase_stdin,
)
from intake_app.domain.statistics.suppression import DEFAULT_MIN_COUNT


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    parser = sub.add_parser(
        "stats",
        help="年度の相談統計を CSV または PDF で出力する（管理者のみ）",
        description=(
            "年度（4月〜翌年3月）の相談統計を出力します。集計値のみで、"
            "1〜2件の欄は「<3」と表示されます。管理者（スーパーバイザー）だけが使えます。"
        ),
    )
    parser.add_argument("--user", required=True, help="利用者名（管理者）")
    add_passphrase_stdin(parser, "利用者のパスフレーズ")
    parser.add_argument(
        "--fiscal-year",
        type=int,
        required=True,
        help="年度（開始年、例: 2025 = 2025年4月〜2026年3月）",
    )
    parser.add_argument("--format", choices=("csv", "pdf"), required=True, help="出力形式")
    parser.add_argument("--out", type=Path, default=None, help="出力先ファイル（省略時は標準出力）")
    parser.add_argument(
        "--suppress-below",
        type=int,
        default=None,
        help=f"この件数未満の欄を秘匿する（既定 {DEFAULT_MIN_COUNT}: 1〜2件を「<3」と表示）",
    )
    parser.add_argument(
        "--official",
        action="store_true",
        help=(
            "報告用集計（rules.md §10）: 行政機関への報告のための秘匿処理をしない正確な件数。"
            "取扱注意"
        ),
    )
    parser.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    from intake_app.documents.errors import DocumentError
    from intake_app.documents.export import write_private
    from intake_app.documents.stats_csv import to_csv
    from intake_app.documents.stats_report import render_stats_report
    from intake_app.domain.statistics.publication import publish
    from intake_app.store.errors import VaultError
    from intake_app.store.lock import set_program_name
    from intake_app.store.vault import Vault

    if not 2000 <= args.fiscal_year <= 2200:
        raise CommandError("年度は西暦の開始年で指定してください（例: 2025）。", EXIT_USAGE)
    if args.official:
        if args.suppress_below is not None:
            raise CommandError(
                "報告用集計（--official）は秘匿処理をしないため、"
                "--suppress-below は指定できません。",
                EXIT_USAGE,
            )
        return _official(args)
    if args.suppress_below is None:
        args.suppress_below = DEFAULT_MIN_COUNT
    if args.suppress_below < 3:
        raise CommandError(
            "--suppress-below は 3 以上にしてください（2 では「<2」が 1件と分かってしまいます）。",
            EXIT_USAGE,
        )
    if args.out is not None and not args.out.parent.is_dir():
        raise CommandError(f"出力先のフォルダがありません: {args.out.parent}", EXIT_USAGE)
    set_program_name(f"intake-app {args.command}")
    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    try:
        session = Vault.open(args.data_dir, args.user, passphrase)
    except VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        if session.user.role != "supervisor":
            with contextlib.suppress(VaultError):
                session.audit("stats_denied", f"FY{args.fiscal_year}")
            raise CommandError("統計の出力は管理者（スーパーバイザー）だけができます。")
        try:
            stats = session.stats.year(args.fiscal_year)
            published = publish(stats, args.suppress_below)
            if args.format == "csv":
                data = to_csv(published)
            else:
                data = render_stats_report(published, centre=session.stats.centre_name())
            session.stats.record_export(args.fiscal_year, args.format, args.suppress_below)
        except VaultError as exc:
            raise CommandError(exc.message) from exc
    finally:
        session.close()
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            write_private(args.out, data)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        total = published.cell("total", "all", "year")
        print(
            f"{args.fiscal_year}年度の統計（相談件数 {total} 件）を {args.out} に出力しました。",
            file=sys.stderr,
        )
    return 0


def _official(args: argparse.Namespace) -> int:
    """The official return: exact counts for government offices, supervisors only; the
    notice that nothing is suppressed is printed before the file is written."""
    from intake_app.documents.errors import DocumentError
    from intake_app.documents.export import write_private
    from intake_app.documents.official_return import official_csv, render_official_return
    from intake_app.domain.statistics.official import EXACT_NOTICE
    from intake_app.store.errors import PermissionDenied, VaultError
    from intake_app.store.lock import set_program_name
    from intake_app.store.vault import Vault

    if args.out is not None and not args.out.parent.is_dir():
        raise CommandError(f"出力先のフォルダがありません: {args.out.parent}", EXIT_USAGE)
    set_program_name(f"intake-app {args.command}")
    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    try:
        session = Vault.open(args.data_dir, args.user, passphrase)
    except VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        if session.user.role != "supervisor":
            with contextlib.suppress(VaultError):
                session.audit("official_return_denied", f"FY{args.fiscal_year}")
            raise CommandError("報告用集計の出力は管理者（スーパーバイザー）だけができます。")
        returns = session.official_returns
        try:
            result = returns.year(args.fiscal_year)
            centre = returns.centre_name()
            if args.format == "csv":
                data = official_csv(result, centre=centre)
            else:
                data = render_official_return(result, centre=centre)
            print(EXACT_NOTICE, file=sys.stderr)
            returns.record_export(args.fiscal_year, args.format)
        except PermissionDenied as exc:
            raise CommandError(
                "報告用集計の出力は管理者（スーパーバイザー）だけができます。"
            ) from exc
        except VaultError as exc:
            raise CommandError(exc.message) from exc
    finally:
        session.close()
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            write_private(args.out, data)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        total = result.cell("persons", "total", 1)
        print(
            f"{args.fiscal_year}年度の報告用集計（延べ件数 {total} 件、秘匿処理なし・取扱注意）を"
            f" {args.out} に出力しました。",
            file=sys.stderr,
        )
    return 0
