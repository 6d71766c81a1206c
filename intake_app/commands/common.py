"""Helpers shared by the subcommands: passphrases, Japanese errors, exit codes."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import NoReturn

from intake_app.domain.errors import UserError

EXIT_FAILURE = 1
EXIT_USAGE = 2
MAX_LINE = 4096  # characters of one passphrase line on standard input


class CommandError(UserError):
    """A failure to report to the operator in Japanese, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def add_passphrase_stdin(parser: argparse.ArgumentParser, order: str) -> None:
    """``--passphrase-stdin``: one line per passphrase, in the documented ``order``."""
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=f"パスフレーズを標準入力から1行ずつ読む（順序: {order}）",
    )


class PassphraseReader:
    """Reads passphrases from stdin lines or a TTY prompt; never from argv."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str) -> str:
        if self.from_stdin:
            line = sys.stdin.readline(MAX_LINE + 1)
            if not line:
                raise CommandError(f"標準入力にパスフレーズがありません（{prompt}）", EXIT_USAGE)
            if len(line) > MAX_LINE and not line.endswith("\n"):
                raise CommandError(
                    f"標準入力の行が長すぎます（{prompt}、{MAX_LINE} 文字まで）", EXIT_USAGE
                )
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError(
                "パスフレーズは端末で入力するか、--passphrase-stdin を指定してください",
                EXIT_USAGE,
            )
        return getpass.getpass(f"{prompt}: ")


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    raise CommandError(message, code)
