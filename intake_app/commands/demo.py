"""`demo-data`: fill a vault with synthetic consultations for training and benchmarks.

Reads one passphrase line (the user's) with ``--passphrase-stdin``. Commits in
batches, so a run that is killed leaves a valid vault with the batches so far.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from intake_app.commands.common import CommandError, PassphraseReader, add_passphrase_stdin

BATCH = 500


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    parser = sub.add_parser(
        "demo-data",
        help="研修・性能測定用の架空の相談記録を作成する",
        description="架空の相談記録（実在しない人物）を保管庫に追加します。",
    )
    parser.add_argument("--user", required=True, help="ログイン名")
    parser.add_argument("--count", type=int, required=True, help="作成する相談の件数")
    parser.add_argument("--seed", type=int, default=1, help="乱数の種（同じ値なら同じデータ）")
    add_passphrase_stdin(parser, "ログインするユーザーのパスフレーズ")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from intake_app.store import errors
    from intake_app.store.synthetic import generate
    from intake_app.store.vault import Vault

    if args.count < 0:
        raise CommandError("--count には 0 以上の数を指定してください", 2)
    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    try:
        session = Vault.open(args.data_dir, args.user, passphrase)
    except errors.VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        written = fill(session, args.count, seed=args.seed, generator=generate)
    except errors.VaultError as exc:
        raise CommandError(exc.message) from exc
    finally:
        session.close()
    print(f"架空の相談記録を {written} 件作成しました。", file=sys.stderr)
    return 0


def fill(session: Any, count: int, *, seed: int = 1, generator: Any = None) -> int:
    """Save ``count`` synthetic consultations through ``session.records`` in batches."""
    if generator is None:
        from intake_app.store.synthetic import generate as generator
    case_of: dict[int, int] = {}
    batch: list[tuple[int, Any, int | None]] = []
    written = 0

    def flush() -> None:
        nonlocal written
        saved = session.records.save_intakes([(intake, case) for _, intake, case in batch])
        for (index, _, _), result in zip(batch, saved, strict=True):
            case_of[index] = result.case_id
        written += len(batch)
        batch.clear()

    for item in generator(count, seed=seed, min_gap=BATCH):
        case_id = case_of.get(item.follow_up_of) if item.follow_up_of is not None else None
        batch.append((item.index, item.intake, case_id))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return written
