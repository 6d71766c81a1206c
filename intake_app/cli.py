"""`intake-app` entry point.

No subcommand opens the GUI. Subcommands serve IT staff and audits; each lives in
a module of ``intake_app.commands`` that registers its own parser, so the store,
rules, documents and statistics commands grow independently.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from intake_app import __version__
from intake_app.commands import COMMAND_MODULES
from intake_app.commands.common import EXIT_USAGE
from intake_app.paths import default_data_dir

_USAGE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "次の指定が必要です: {}"),
    (re.compile(r"unrecognized arguments: (.+)"), "知らない指定です: {}"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        "{}: {} は使えません（{} のどれか）",
    ),
    (
        re.compile(r"argument (\S+): invalid (\w+) value: (.+)"),
        "{}: 値が正しくありません（{}: {}）",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "{}: 値を1つ指定してください"),
    (
        re.compile(r"invalid choice: (.+?) \(choose from (.+)\)"),
        "{} というコマンドはありません（{} のどれか）",
    ),
)


# The last resort of ``main``: a defect, not bad input (the fuzz tests make sure no
# bad input ends here). One sentence, the kind of error only, never its text.
UNEXPECTED = "予期しない問題（{}）が起きたため、中止しました。"


def _japanese_usage_error(message: str) -> str:
    for pattern, template in _USAGE_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Japanese (exit 2, as argparse does)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            f"エラー: {_japanese_usage_error(message)}\n"
            f"使い方は「{self.prog} --help」で確認できます。\n",
        )


def _use_utf8_streams() -> None:
    """Pipes are UTF-8 whatever the system's code page (cp932 on Japanese Windows)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="strict" if stream is sys.stdin else "replace")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    handler = getattr(args, "handler", None)
    if handler is None:
        from intake_app.gui.app import run_gui  # Qt is imported only for the GUI path

        return run_gui(args.data_dir)
    from intake_app.commands.common import EXIT_FAILURE, CommandError
    from intake_app.domain.errors import UserError

    try:
        result = handler(args)
    except CommandError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return exc.code
    except UnicodeDecodeError:
        print("エラー: 標準入力が UTF-8 ではありません。UTF-8 で渡してください。", file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:  # a refusal a command did not turn into its own message
        print(f"エラー: {exc.message}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("エラー: 中断しました。", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # a defect: never a traceback, and no content in the text
        logging.getLogger("intake_app").error("command failed: %s", type(exc).__name__)
        print(f"エラー: {UNEXPECTED.format(type(exc).__name__)}", file=sys.stderr)
        return EXIT_FAILURE
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
