"""`intake-app handoff …` and `intake-app cases`: hand-off packages for IT staff and tests.

Every refusal is checked before the unlock is recorded where it can be (a wrong
fingerprint, an unknown case or centre, a package that fails any check), so it leaves
the vault's files as they were, and is one Japanese sentence on standard error with
exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.common import (
    EXIT_USAGE,
    CommandError,
    PassphraseReader,
    add_passphrase_stdin,
)
from intake_app.domain.errors import UserError

CONSENT_WORDS = {"verbal": "verbal", "written": "written", "口頭": "verbal", "書面": "written"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``handoff`` (with its own subcommands) and ``cases`` to ``sub``."""
    parser = sub.add_parser(
        "handoff",
        help="他のセンター（または同じセンターの別のPC）へのケースの引継ぎ",
        description=(
            "ケースを暗号化・署名した引継ぎファイルにして、USBメモリなどで渡します。"
            "受け取れるのは宛先のセンターだけです。"
        ),
    )
    hs = parser.add_subparsers(dest="handoff_command", metavar="SUBCOMMAND", required=True)

    p = hs.add_parser(
        "export-card",
        help="このセンターの公開カードを書き出す（管理者のみ。最後の行が確認番号）",
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("--out", type=Path, required=True, help="書き出す公開カードのファイル")
    p.set_defaults(handler=_export_card)

    p = hs.add_parser(
        "import-card",
        help="他のセンターの公開カードを取り込む（管理者のみ。電話で確かめた確認番号が必要）",
    )
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("card", type=Path, metavar="CARD", help="公開カードのファイル")
    p.add_argument("--fingerprint", required=True, help="相手のセンターが電話で読み上げた確認番号")
    p.add_argument("--label", default="", help="見分けるためのメモ（例: 相談室のPC）")
    p.set_defaults(handler=_import_card)

    p = hs.add_parser("remove-card", help="登録したセンターを外す（管理者のみ）")
    p.add_argument("--user", required=True, help="管理者のログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("--fingerprint", required=True, help="外すセンターの確認番号")
    p.set_defaults(handler=_remove_card)

    p = hs.add_parser("centres", help="登録したセンターの一覧（確認番号つき）")
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.set_defaults(handler=_centres)

    p = hs.add_parser(
        "send",
        help="ケースを引継ぎファイルにする（本人の同意が必要。ファイルは宛先のセンターだけが開けます）",
    )
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("--case", required=True, help="ケース番号（例: 2026-0001）")
    p.add_argument("--to", required=True, help="宛先のセンターの確認番号")
    p.add_argument(
        "--consent-method",
        required=True,
        choices=sorted(CONSENT_WORDS),
        help="本人の同意の方法（verbal = 口頭、written = 書面）",
    )
    p.add_argument("--consent-at", required=True, help="同意を得た日時（例: 2026-11-25T10:30）")
    p.add_argument("--out", type=Path, required=True, help="書き出すファイル（またはフォルダ）")
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="ID",
        help="最小限の項目に加えて送る項目（繰り返し指定可。例: consultation.content）",
    )
    p.set_defaults(handler=_send)

    p = hs.add_parser(
        "receive", help="引継ぎファイルを検査し、受け取る（--accept）か辞退する（--decline）"
    )
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("file", type=Path, metavar="FILE", help="引継ぎファイル")
    choice = p.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", action="store_true", help="受け取って新しいケースを作る")
    choice.add_argument("--decline", action="store_true", help="辞退する（辞退したことだけを記録）")
    p.set_defaults(handler=_receive)

    p = sub.add_parser("cases", help="ケース番号と状態の一覧（検索と同じく監査ログに記録）")
    p.add_argument("--user", required=True, help="ログイン名")
    add_passphrase_stdin(p, "パスフレーズ")
    p.add_argument("--json", action="store_true", help="JSON で出力する")
    p.set_defaults(handler=_cases)


# -- helpers ---------------------------------------------------------------------------------


def _prepare(args: argparse.Namespace, name: str) -> str:
    from intake_app.store.lock import set_program_name

    set_program_name(f"intake-app {name}")
    return PassphraseReader(args.passphrase_stdin).read("パスフレーズ")


def _open(args: argparse.Namespace, passphrase: str, **kwargs: Any) -> Any:
    from intake_app.store.vault import Vault

    try:
        return Vault.open(args.data_dir, args.user, passphrase, **kwargs)
    except UserError as exc:  # the vault's refusals and a hand-off precheck's
        raise CommandError(exc.message) from exc


def _guard(action: Any) -> Any:
    """Known failures as one Japanese sentence (``CommandError``)."""
    try:
        return action()
    except UserError as exc:
        raise CommandError(exc.message) from exc


def _municipality(session: Any) -> Any:
    from intake_app.store.stats import municipality_of

    return municipality_of(session)


# -- commands --------------------------------------------------------------------------------


def _export_card(args: argparse.Namespace) -> int:
    from intake_app.store import handoff

    if not args.out.parent.is_dir():
        raise CommandError(f"出力先のフォルダがありません: {args.out.parent}", EXIT_USAGE)
    if args.out.exists():
        raise CommandError(f"出力先に同じ名前のファイルがあります（上書きしません）: {args.out}")
    passphrase = _prepare(args, "handoff export-card")
    session = _open(args, passphrase, require_supervisor=True)
    try:
        exported = _guard(lambda: handoff.export_card(session, _municipality(session), args.out))
    finally:
        session.close()
    card = exported.card
    print(f"公開カードを書き出しました: {exported.path}")
    print(f"センター: {card.centre}（{card.municipality}）")
    print("確認番号（相手のセンターに電話で読み上げてください）:")
    print(exported.fingerprint)
    return 0


def _import_card(args: argparse.Namespace) -> int:
    from intake_app.domain.handoff_format import HandoffError, parse_fingerprint
    from intake_app.store import handoff

    try:  # everything about the card is checked before the unlock: a refusal writes nothing
        card = handoff.read_card_file(args.card)
        if parse_fingerprint(args.fingerprint) != card.fingerprint_raw:
            raise HandoffError("fingerprint_mismatch")
    except HandoffError as exc:
        raise CommandError(exc.message) from exc
    passphrase = _prepare(args, "handoff import-card")

    def not_own(conn: Any) -> None:
        from intake_app.store.handoff.centres import vault_signing_public

        if vault_signing_public(conn) == card.signing_public:
            raise HandoffError("own_card")

    session = _open(args, passphrase, require_supervisor=True, precheck=not_own)
    try:
        known = _guard(
            lambda: handoff.import_card(
                session, card, typed_fingerprint=args.fingerprint, label=args.label
            )
        )
    finally:
        session.close()
    print(f"センターを登録しました: {known.display_name}（{known.municipality}）", file=sys.stderr)
    print(known.fingerprint)
    return 0


def _remove_card(args: argparse.Namespace) -> int:
    from intake_app.domain.handoff_format import HandoffError, normalize_fingerprint
    from intake_app.store import handoff
    from intake_app.store.handoff.centres import find_centre

    try:
        fp = normalize_fingerprint(args.fingerprint)
    except HandoffError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    passphrase = _prepare(args, "handoff remove-card")

    def known(conn: Any) -> None:
        if find_centre(conn, fp) is None:
            raise HandoffError("unknown_centre")

    session = _open(args, passphrase, require_supervisor=True, precheck=known)
    try:
        _guard(lambda: handoff.remove_centre(session, fp))
    finally:
        session.close()
    print(f"センターの登録を外しました: {fp}", file=sys.stderr)
    return 0


def _centres(args: argparse.Namespace) -> int:
    from intake_app.store import handoff

    passphrase = _prepare(args, "handoff centres")
    session = _open(args, passphrase)
    try:
        own = _guard(lambda: handoff.identity(session))
        centres = _guard(lambda: handoff.known_centres(session))
    finally:
        session.close()
    if own is not None:
        print(f"このセンター\t{own.fingerprint}")
    for centre in centres:
        print(f"{centre.display_name}（{centre.municipality}）\t{centre.fingerprint}")
    return 0


def _send(args: argparse.Namespace) -> int:
    from intake_app.domain.handoff_content import choose_fields
    from intake_app.domain.handoff_format import HandoffError, normalize_fingerprint
    from intake_app.store import handoff
    from intake_app.store.handoff.centres import find_centre

    try:  # the request itself is checked before the unlock
        to = normalize_fingerprint(args.to)
        consent_at = handoff.parse_consent_at(args.consent_at)
        choose_fields(args.field)
    except HandoffError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    out: Path = args.out
    target = out if out.is_dir() else out.parent
    if not target.is_dir():
        raise CommandError(f"出力先のフォルダがありません: {target}", EXIT_USAGE)
    if out.exists() and not out.is_dir():
        raise CommandError(f"出力先に同じ名前のファイルがあります（上書きしません）: {out}")
    passphrase = _prepare(args, "handoff send")
    found: dict[str, int] = {}

    def case_and_centre(conn: Any) -> None:
        row = conn.execute("SELECT id FROM cases WHERE case_number = ?", (args.case,)).fetchone()
        if row is None:
            raise HandoffError("malformed", message=f"ケース番号 {args.case} はありません。")
        if find_centre(conn, to) is None:
            raise HandoffError("unknown_centre")
        found["case_id"] = int(row[0])

    session = _open(args, passphrase, precheck=case_and_centre)
    try:
        sent = _guard(
            lambda: handoff.send_case(
                session,
                found["case_id"],
                to=to,
                consent=handoff.Consent(CONSENT_WORDS[args.consent_method], consent_at),
                out=out,
                municipality=_municipality(session),
                extra_fields=args.field,
            )
        )
    finally:
        session.close()
    print(
        f"引継ぎファイルを書き出しました（{sent.receiver.display_name} だけが開けます。"
        f"パッケージ番号 {sent.package_id}）。",
        file=sys.stderr,
    )
    print(sent.path)
    return 0


def _receive(args: argparse.Namespace) -> int:
    from intake_app.domain.handoff_format import HandoffError
    from intake_app.store import handoff

    try:  # read (size-limited) before the unlock
        data = handoff.read_package_file(args.file)
    except HandoffError as exc:
        raise CommandError(exc.message) from exc
    passphrase = _prepare(args, "handoff receive")
    checked: dict[str, Any] = {}

    def check(conn: Any) -> None:
        checked["package"] = handoff.check_package(conn, data)

    session = _open(args, passphrase, precheck=check)
    package = checked["package"]
    try:
        if args.accept:
            accepted = _guard(lambda: handoff.accept(session, package))
        else:
            _guard(lambda: handoff.decline(session, package))
    finally:
        session.close()
    sender = package.sender.display_name
    if args.decline:
        print(f"{sender} からの引継ぎファイルを辞退しました。", file=sys.stderr)
        return 0
    print(f"{sender} からの引継ぎを受け取り、新しいケースを作りました。", file=sys.stderr)
    print(accepted.case_number)
    return 0


def _cases(args: argparse.Namespace) -> int:
    from intake_app.store import handoff

    passphrase = _prepare(args, "cases")
    session = _open(args, passphrase)
    try:
        cases = _guard(lambda: handoff.list_cases(session))
    finally:
        session.close()
    if args.json:
        rows = [
            {"case_number": c.case_number, "status": c.status, "handed_over": c.handed_over}
            for c in cases
        ]
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for c in cases:
            print(f"{c.case_number}\t{c.status}")
    return 0
