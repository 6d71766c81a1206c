"""`print-sample`: one sample of every document kind from a synthetic case.

For printer set-up and training: the case is fictitious (見本), but the command
still unlocks the vault as a named user, so the installation's municipality file
is used and every sample written is an audit entry like any print.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from intake_app.commands.common import CommandError, PassphraseReader, add_passphrase_stdin


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    p = sub.add_parser(
        "print-sample",
        help="見本の事例から、すべての種類の帳票をPDFで書き出す（プリンター設定・研修用）",
        description=(
            "架空の事例（見本）から、連絡票（連絡先ごと）、一時保護依頼票、保護命令の案内"
            "（持ち歩き用を含む）、裁判所への書面、支援措置の意見、児童通告の記録、"
            "くらしのメモを DIR に書き出します。書き出しは監査ログに記録されます。"
        ),
    )
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="書き出し先のフォルダ")
    p.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        help="帳票の日付（YYYY-MM-DD、省略時は今日）",
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
    stem = file_name.removesuffix(".pdf")
    kind, _, destination = stem.partition("-")
    return kind, destination or None


def _print_sample(args: argparse.Namespace) -> int:
    from intake_app.documents import DocumentError
    from intake_app.documents.export import write_private
    from intake_app.documents.samples import render_all
    from intake_app.store import VaultError

    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    out: Path = args.out
    try:
        session = _open_session(args.data_dir, args.user, passphrase)
    except VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        try:
            out.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(
                f"書き出し先のフォルダを作れません: {out}（{exc.strerror}）"
            ) from exc
        if not os.access(out, os.W_OK):
            raise CommandError(f"書き出し先のフォルダに書き込めません: {out}")
        today = args.date or dt.date.today()
        try:
            samples = render_all(_municipality(session), today)
            for name, data in samples.items():
                write_private(out / name, data)
                kind, destination = _kind_and_destination(name)
                session.records.record_print(kind, None, destination)
                print(out / name)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        except VaultError as exc:
            raise CommandError(exc.message) from exc
    finally:
        session.close()
    print(f"{len(samples)}件の見本を書き出しました（架空の事例です）。")
    return 0
