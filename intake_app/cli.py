"""`intake-app` entry point.

No subcommand opens the GUI. Subcommands serve IT staff and audits; each lives in
a module of ``intake_app.commands`` that registers its own parser, so the store,
rules, documents and statistics commands grow independently.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from intake_app import __version__
from intake_app.commands import COMMAND_MODULES
from intake_app.paths import default_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intake-app",
        description="相談記録システム（オフライン・暗号化）。サブコマンドなしで画面を開きます。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="データフォルダ（省略時は利用者ごとの既定のフォルダ）",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    handler = getattr(args, "handler", None)
    if handler is None:
        from intake_app.gui.app import run_gui  # Qt is imported only for the GUI path

        return run_gui(args.data_dir)
    from intake_app.commands.common import CommandError

    try:
        result = handler(args)
    except CommandError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return exc.code
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
