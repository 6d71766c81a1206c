"""`intake-app settings export|import`: the centre's settings as a municipality file, for IT.

Supervisors only. ``export`` writes the settings kept in the vault as a municipality
TOML file (standard output without ``--out``); ``import`` checks a file completely
before the vault is even unlocked, so a bad file changes nothing (exit 1, the key
and its line named), then takes it in as a new version of the settings, one audit
entry per setting changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.common import (
    EXIT_USAGE,
    CommandError,
    PassphraseReader,
    add_passphrase_stdin,
)

MAX_FILE_BYTES = 4_000_000


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``settings`` and its two subcommands to ``sub``."""
    parser = sub.add_parser(
        "settings",
        help="センターの設定を市区町村設定ファイル（TOML）として書き出す・読み込む（管理者のみ）",
        description=(
            "保管庫に保存されたセンターの設定（連絡先、書類の差出人、文書番号の形式など）を"
            "市区町村設定ファイルとして書き出し、または読み込みます。管理者だけが使えます。"
        ),
    )
    actions = parser.add_subparsers(
        dest="settings_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    p = actions.add_parser("export", help="設定を TOML ファイルに書き出す")
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument(
        "--out", type=Path, default=None, help="書き出し先のファイル（省略時は標準出力）"
    )
    p.set_defaults(handler=_export)
    p = actions.add_parser(
        "import",
        help="TOML ファイルの設定を取り込む（すべて検査してから。誤りがあれば何も変えない）",
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("file", type=Path, metavar="FILE", help="市区町村設定ファイル（.toml）")
    p.set_defaults(handler=_import)


def _open(args: argparse.Namespace) -> Any:
    from intake_app.store.lock import set_program_name
    from intake_app.store.vault import Vault

    set_program_name(f"intake-app settings {args.settings_command}")
    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    return Vault.open(args.data_dir, args.user, passphrase, require_supervisor=True)


def _export(args: argparse.Namespace) -> int:
    from intake_app.fileio import write_private
    from intake_app.store.errors import VaultError

    if args.out is not None:
        if not args.out.parent.is_dir():
            raise CommandError(f"書き出し先のフォルダがありません: {args.out.parent}", EXIT_USAGE)
        if args.out.is_dir():
            raise CommandError(
                f"書き出し先はフォルダです。ファイル名を指定してください: {args.out}"
            )
    try:
        session = _open(args)
        try:
            text = session.settings.export_text(
                destination="stdout" if args.out is None else "file"
            )
        finally:
            session.close()
    except VaultError as exc:
        raise CommandError(exc.message) from exc
    data = text.encode("utf-8")
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        write_private(args.out, data)
    except OSError as exc:
        raise CommandError(f"書き出せませんでした: {args.out}（{exc.strerror}）") from exc
    print(f"設定を {args.out} に書き出しました。", file=sys.stderr)
    return 0


def _read(path: Path) -> str:
    try:
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"ファイルが大きすぎます: {path}。何も変更していません。")
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"ファイルが UTF-8 ではありません: {path.name}。何も変更していません。"
        ) from exc
    except OSError as exc:
        raise CommandError(f"ファイルを読めません: {path}（{exc.strerror}）") from exc


def _import(args: argparse.Namespace) -> int:
    from intake_app.domain.municipality import municipality_from_text
    from intake_app.domain.tomlfile import ConfigError
    from intake_app.store.errors import VaultError

    text = _read(args.file)
    try:  # checked completely before the vault is unlocked: a bad file touches nothing
        municipality_from_text(text, args.file.name)
    except ConfigError as exc:
        raise CommandError(f"{exc.message}。何も変更していません。") from exc
    try:
        session = _open(args)
        try:
            changed = session.settings.import_text(text, args.file.name)
            version = session.settings.version()
        finally:
            session.close()
    except (VaultError, ConfigError) as exc:
        raise CommandError(exc.message) from exc
    if not changed:
        print("設定は保管庫と同じです。何も変更していません。", file=sys.stderr)
        return 0
    print(f"設定を取り込みました（第{version}版、{len(changed)}項目）:", file=sys.stderr)
    for item in changed:
        print(f"  {item.label}", file=sys.stderr)
    return 0
