"""`manual --out FILE`: the 操作マニュアル as a PDF (``documents.manual``).

No vault is opened: the manual is the same for every centre and holds no personal data.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from intake_app.commands.common import CommandError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    p = sub.add_parser(
        "manual",
        help="操作マニュアルをPDFで書き出す",
        description=(
            "相談員・管理者・情報システム担当者のための操作マニュアル（画面の写真入り）を、"
            "PDFファイル FILE に書き出します。保管庫は開きません。"
        ),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="書き出すPDFファイル")
    p.set_defaults(handler=_manual)


def _manual(args: argparse.Namespace) -> int:
    from intake_app import __version__
    from intake_app.documents.manual import build_pdf
    from intake_app.fileio import write_private

    out: Path = args.out
    if out.is_dir():
        raise CommandError(f"{out} はフォルダです。書き出すPDFのファイル名を指定してください。")
    if not out.parent.is_dir():
        raise CommandError(f"書き出し先のフォルダ {out.parent} がありません。")
    data = build_pdf(version=__version__)
    try:
        write_private(out, data)
    except OSError as exc:
        raise CommandError(
            f"{out} に書き出せませんでした（{exc.strerror or type(exc).__name__}）。"
        ) from exc
    print(f"操作マニュアルを書き出しました: {out}（{len(data):,} バイト）")
    return 0
