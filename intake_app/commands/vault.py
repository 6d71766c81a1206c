"""Vault administration: init, add-user, passwd, verify, backup, restore, rekey, recover,
prune-copies.

Passphrases come only from a TTY prompt or, with ``--passphrase-stdin``, one line
each in the order given in each command's help. Every failure exits non-zero with
a Japanese message and leaves the files as they were.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.common import CommandError, PassphraseReader, add_passphrase_stdin

if TYPE_CHECKING:
    from intake_app.store.session import Session


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    p = sub.add_parser(
        "init",
        help="新しい保管庫を作り、最初の管理者を登録する（回復キーを一度だけ表示）",
        description="新しい保管庫を作ります。回復キーは一度だけ表示されるので、印刷して金庫に保管してください。",
    )
    p.add_argument("--user", required=True, help="最初の管理者のログイン名")
    p.add_argument(
        "--municipality",
        default="warabi",
        help="自治体の設定: 同梱の設定の名前（既定: warabi）か、"
        "市区町村設定ファイル（.toml）の場所。すべて検査してから保管庫に取り込みます",
    )
    p.add_argument("--display-name", default="", help="最初の管理者の氏名（書類に印刷されます）")
    add_passphrase_stdin(p, "新しいパスフレーズ")
    p.set_defaults(handler=_init)

    p = sub.add_parser("add-user", help="利用者を追加する（管理者のみ）")
    p.add_argument("--user", required=True, help="操作する管理者のログイン名")
    p.add_argument("--new-user", required=True, help="追加する利用者のログイン名")
    p.add_argument("--role", required=True, choices=("counselor", "supervisor"), help="役割")
    p.add_argument(
        "--display-name",
        default="",
        help="追加する利用者の氏名（例: 山田 花子。書類に印刷されます）",
    )
    add_passphrase_stdin(p, "管理者のパスフレーズ、追加する利用者の新しいパスフレーズ")
    p.set_defaults(handler=_add_user)

    p = sub.add_parser("passwd", help="自分のパスフレーズを変える")
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "今のパスフレーズ、新しいパスフレーズ")
    p.set_defaults(handler=_passwd)

    p = sub.add_parser(
        "verify",
        help="鍵ファイル・データベース・監査ログを、壊れていないか・改ざんがないか検査する",
    )
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument(
        "--json",
        action="store_true",
        help='結果を1つのJSONで標準出力に書く（{"ok", "consultations", "drafts", '
        '"audit_entries", "problems"}）',
    )
    p.set_defaults(handler=_verify)

    p = sub.add_parser("backup", help="暗号化したままバックアップを作る（管理者のみ）")
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument(
        "dest", type=Path, metavar="DEST", help="バックアップ先のフォルダ（新規または空）"
    )
    p.set_defaults(handler=_backup)

    p = sub.add_parser(
        "restore",
        help="バックアップから復元する（検査してから置き換え、元の保管庫は横に残す。管理者のみ）",
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("src", type=Path, metavar="SRC", help="バックアップのフォルダ")
    p.set_defaults(handler=_restore)

    p = sub.add_parser(
        "rekey", help="保管庫の暗号の鍵を新しくする（全員のパスフレーズはそのまま。管理者のみ）"
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.set_defaults(handler=_rekey)

    p = sub.add_parser(
        "recover", help="回復キーで利用者のパスフレーズを設定し直す（パスフレーズを忘れたとき）"
    )
    p.add_argument("--user", required=True, help="パスフレーズを設定し直す利用者のログイン名")
    add_passphrase_stdin(p, "回復キー、新しいパスフレーズ")
    p.set_defaults(handler=_recover)

    p = sub.add_parser(
        "prune-copies",
        help="古いコピー（replaced-*/ と backups/vault-v*）を上書きしてから削除する（管理者のみ）",
        description="復元や移行で残した古いコピーは、無効にした利用者や古いパスフレーズでも"
        "開けます。不要になったら、このコマンドで上書きしてから削除してください。",
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.set_defaults(handler=_prune_copies)


# -- helpers ---------------------------------------------------------------------------


def _prepare(args: argparse.Namespace) -> None:
    from intake_app.store.lock import set_program_name

    set_program_name(f"intake-app {args.command}")


def _new_passphrase(reader: PassphraseReader, prompt: str) -> str:
    first = reader.read(prompt)
    if not reader.from_stdin:
        if reader.read(f"{prompt}（確認のためもう一度）") != first:
            raise CommandError("確認のパスフレーズが一致しません。何も変更していません。")
    return first


def _notice_kept_copies(data_dir: Path) -> None:
    from intake_app.store.copies import find_kept_copies, kept_copies_notice

    copies = find_kept_copies(data_dir)
    if copies:
        print(kept_copies_notice(copies), file=sys.stderr)


def _run(action: Callable[[], int]) -> int:
    from intake_app.domain.tomlfile import ConfigError
    from intake_app.store.errors import VaultError

    try:
        return action()
    except (VaultError, ConfigError) as exc:
        raise CommandError(exc.message) from exc


def _open(args: argparse.Namespace, passphrase: str, **kwargs: Any) -> Session:
    from intake_app.store.vault import Vault

    session = Vault.open(args.data_dir, args.user, passphrase, **kwargs)
    for notice in getattr(session, "notices", []):
        print(notice, file=sys.stderr)
    return session


# -- commands --------------------------------------------------------------------------


def _init(args: argparse.Namespace) -> int:
    from intake_app.store.vault import Vault

    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        if Vault.exists(args.data_dir):
            raise CommandError(f"このフォルダには既に保管庫があります: {args.data_dir}")
        from intake_app.store.policy import check_display_name, check_passphrase
        from intake_app.store.settings import load_source

        source = load_source(args.municipality)  # checked before any passphrase is asked
        display_name = check_display_name(args.display_name, required=False)
        passphrase = _new_passphrase(reader, "新しいパスフレーズ")
        check_passphrase(passphrase)
        recovery = Vault.create(
            args.data_dir,
            args.user,
            passphrase,
            municipality=source,
            display_name=display_name,
            progress=lambda text: print(text, file=sys.stderr),
        )
        print(
            f"保管庫を作成しました（市区町村設定: {source.municipality.name}）。", file=sys.stderr
        )
        if not display_name:
            print(
                "注意: 氏名が未設定です。書類には氏名が印刷されるため、"
                "管理者メニューの「利用者」で設定してください。",
                file=sys.stderr,
            )
        print(
            "回復キー（一度だけ表示します。印刷するか書き写して金庫に保管してください。"
            "パスフレーズを忘れたときはこれ以外に戻す方法はありません）:",
            file=sys.stderr,
        )
        print(recovery)
        return 0

    return _run(action)


def _add_user(args: argparse.Namespace) -> int:
    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        from intake_app.store.errors import AccountError
        from intake_app.store.policy import check_display_name, check_passphrase, check_user_name

        display_name = check_display_name(args.display_name, required=False)
        passphrase = reader.read(f"{args.user} のパスフレーズ")
        new_passphrase = _new_passphrase(reader, f"{args.new_user} の新しいパスフレーズ")
        check_passphrase(new_passphrase)
        new_name = check_user_name(args.new_user)

        def not_registered(conn: Any) -> None:
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (new_name,)).fetchone():
                raise AccountError(
                    f"利用者「{new_name}」は既に登録されています。何も変更していません。"
                )

        session = _open(args, passphrase, require_supervisor=True, precheck=not_registered)
        try:
            session.users.add(args.new_user, args.role, new_passphrase, display_name=display_name)
        finally:
            session.close()
        print(f"利用者「{args.new_user}」（{args.role}）を追加しました。", file=sys.stderr)
        return 0

    return _run(action)


def _passwd(args: argparse.Namespace) -> int:
    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        from intake_app.store.policy import check_passphrase

        passphrase = reader.read("今のパスフレーズ")
        new_passphrase = _new_passphrase(reader, "新しいパスフレーズ")
        check_passphrase(new_passphrase)
        session = _open(args, passphrase)
        try:
            session.users.change_own(new_passphrase)
        finally:
            session.close()
        print("パスフレーズを変更しました。", file=sys.stderr)
        _notice_kept_copies(args.data_dir)
        return 0

    return _run(action)


def _count(value: int | None) -> str:
    return "不明" if value is None else f"{value:,} 件"


def _verify(args: argparse.Namespace) -> int:
    from intake_app.store.errors import VaultError
    from intake_app.store.vault import Vault

    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        passphrase = reader.read("パスフレーズ")
        try:
            report = Vault.verify(args.data_dir, args.user, passphrase)
        except VaultError as exc:
            if args.json:  # the script gets its object; the person the sentence
                _print_json(
                    {
                        "ok": False,
                        "consultations": None,
                        "drafts": None,
                        "audit_entries": None,
                        "problems": [exc.message],
                    }
                )
            raise
        seen = (
            f"相談 {_count(report.consultations)}、下書き {_count(report.drafts)}、"
            f"監査ログ {_count(report.audit_entries)}"
        )
        if args.json:
            _print_json(report.to_json())
        if not report.ok:
            for problem in report.problems:
                print(f"問題: {problem}", file=sys.stderr)
            if report.audit_first_bad is not None:
                print(
                    f"監査ログの最初の異常: 第 {report.audit_first_bad} 項目"
                    f"（そこまでの {report.audit_valid} 件は正常）",
                    file=sys.stderr,
                )
            raise CommandError(
                f"検査で問題が見つかりました（{seen}を確認）。保管庫には何も書き込んでいません。"
            )
        if not args.json:
            print(
                f"検査に合格しました: 利用者の登録 {report.slots} 件、{seen}、"
                "データベースに壊れた所はなく、監査ログに改ざんはありません。"
            )
        return 0

    return _run(action)


def _print_json(value: dict[str, object]) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False))


def _backup(args: argparse.Namespace) -> int:
    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        from intake_app.store.copies import check_backup_dest

        check_backup_dest(args.dest)  # before the unlock: a refusal writes nothing
        passphrase = reader.read("パスフレーズ")
        # Both integrity checks and the audit chain before the unlock is recorded:
        # a damaged vault is refused with nothing written.
        session = _open(args, passphrase, require_supervisor=True, check_integrity=True)
        try:
            target = session.backup(args.dest)
        finally:
            session.close()
        print(f"バックアップを作成し、検査しました: {target}")
        return 0

    return _run(action)


def _restore(args: argparse.Namespace) -> int:
    from intake_app.store.vault import Vault

    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        passphrase = reader.read("パスフレーズ")
        kept = Vault.restore(
            args.data_dir,
            args.src,
            args.user,
            passphrase,
            notice=lambda text: print(f"注意: {text}", file=sys.stderr),
        )
        print("バックアップを検査し、復元しました。", file=sys.stderr)
        if kept is not None:
            print(f"元の保管庫は次の場所に残してあります: {kept}")
        return 0

    return _run(action)


def _rekey(args: argparse.Namespace) -> int:
    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        passphrase = reader.read("パスフレーズ")
        # every page is rewritten: a damaged vault is refused first, with nothing written
        session = _open(args, passphrase, require_supervisor=True, check_integrity=True)
        try:
            count = session.rekey()
        finally:
            session.close()
        print(
            f"保管庫の暗号の鍵を新しくし、利用者の登録 {count} 件を更新しました。", file=sys.stderr
        )
        _notice_kept_copies(args.data_dir)
        return 0

    return _run(action)


def _recover(args: argparse.Namespace) -> int:
    from intake_app.store.vault import Vault

    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        from intake_app.store.policy import check_passphrase

        recovery_key = reader.read("回復キー")
        new_passphrase = _new_passphrase(reader, f"{args.user} の新しいパスフレーズ")
        check_passphrase(new_passphrase)
        Vault.recover(args.data_dir, recovery_key, args.user, new_passphrase)
        print(f"「{args.user}」のパスフレーズを設定し直しました。", file=sys.stderr)
        _notice_kept_copies(args.data_dir)
        return 0

    return _run(action)


def _prune_copies(args: argparse.Namespace) -> int:
    _prepare(args)
    reader = PassphraseReader(args.passphrase_stdin)

    def action() -> int:
        passphrase = reader.read("パスフレーズ")
        session = _open(args, passphrase, require_supervisor=True)
        try:
            removed = session.prune_copies()
        finally:
            session.close()
        if not removed:
            print("古いコピーはありません。", file=sys.stderr)
        for path in removed:
            print(f"上書きして削除しました: {path}")
        return 0

    return _run(action)
