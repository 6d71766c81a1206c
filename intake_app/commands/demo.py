"""`demo-data`: fill a training vault with synthetic consultations (training, benchmarks).

Supervisors only. Reads one passphrase line (the user's) with ``--passphrase-stdin``.
Allowed only on a vault with no consultation and no draft, or on one already marked
as a training vault: the first batch marks the vault (meta ``training = 1``) in its
own transaction, so fake consultations never mix with real ones, and the GUI shows
the vault as 練習用. Commits in batches, so a run that is killed leaves a valid
vault with the batches so far. Then the cases' tracking records are added
(``store.demo_tracking``: 支援措置 places, 追及, the court, 一時保護 outcomes).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from intake_app.commands.common import CommandError, PassphraseReader, add_passphrase_stdin

if TYPE_CHECKING:
    from intake_app.domain.municipality import Municipality
    from intake_app.store.connection import Connection
    from intake_app.store.records import RecordsSession

BATCH = 500


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands to ``sub``."""
    parser = sub.add_parser(
        "demo-data",
        help="研修・性能測定用の架空の相談記録を作成する（管理者のみ・練習用の保管庫だけ）",
        description=(
            "架空の相談記録（実在しない人物）を保管庫に追加します。管理者だけが実行でき、"
            "相談記録のない新しい保管庫か、すでに練習用の保管庫にだけ入れられます。"
            "最初の実行で保管庫は練習用の保管庫になります。"
        ),
    )
    parser.add_argument("--user", required=True, help="ログイン名（管理者）")
    parser.add_argument("--count", type=int, required=True, help="作成する相談の件数")
    parser.add_argument("--seed", type=int, default=1, help="乱数の種（同じ値なら同じデータ）")
    add_passphrase_stdin(parser, "ログインするユーザーのパスフレーズ")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from intake_app.domain.tomlfile import ConfigError
    from intake_app.store import errors
    from intake_app.store.training import check_training_allowed
    from intake_app.store.vault import Vault

    if args.count < 0:
        raise CommandError("--count には 0 以上の数を指定してください", 2)
    passphrase = PassphraseReader(args.passphrase_stdin).read("パスフレーズ")
    try:
        # A counselor, or a vault with real records, is refused before the unlock
        # is recorded: no file is touched.
        session = Vault.open(
            args.data_dir,
            args.user,
            passphrase,
            require_supervisor=True,
            precheck=check_training_allowed,
        )
    except errors.VaultError as exc:
        raise CommandError(exc.message) from exc
    try:
        written = fill(session, args.count, seed=args.seed)
        if written:
            from intake_app.store.demo_tracking import fill_tracking

            fill_tracking(_TrainingSession(session), seed=args.seed)
    except errors.VaultError as exc:
        raise CommandError(exc.message) from exc
    except ConfigError as exc:
        raise CommandError(exc.message) from exc
    finally:
        session.close()
    print(f"架空の相談記録を {written} 件作成しました（練習用の保管庫）。", file=sys.stderr)
    return 0


class _TrainingSession:
    """``session`` whose write transactions also check and set the training mark.

    ``Records`` over it writes each batch and ``training = 1`` in one transaction, and
    refuses (``RealRecordsPresent``, nothing written) a vault with real records.
    """

    def __init__(self, session: RecordsSession) -> None:
        self._session = session
        self.user = session.user
        self.municipality = session.municipality

    @contextmanager
    def transaction(self, action: str, object_id: object = None) -> Iterator[Connection]:
        from intake_app.store.training import mark_training

        with self._session.transaction(action, object_id) as conn:
            mark_training(conn)
            yield conn

    def read(self, action: str, object_id: object = None) -> AbstractContextManager[Connection]:
        return self._session.read(action, object_id)

    def draft_transaction(self) -> AbstractContextManager[Connection]:
        return self._session.draft_transaction()


def municipality_of(session: RecordsSession) -> Municipality:
    """The loaded municipality file of ``session`` (its id, or an already loaded file)."""
    from intake_app.domain.municipality import Municipality, load_municipality

    value = session.municipality
    if isinstance(value, Municipality):
        return value
    return load_municipality(value) if isinstance(value, str) and value else load_municipality()


def fill(session: RecordsSession, count: int, *, seed: int = 1, generator: Any = None) -> int:
    """Save ``count`` synthetic consultations through ``Records`` in batches.

    Every batch's transaction marks the vault as a training vault; a vault holding
    real consultations or drafts and no mark is refused (``RealRecordsPresent``)
    before anything is written. Referral destinations come from the session's
    municipality file.
    """
    from intake_app.store.records import Records

    if generator is None:
        from intake_app.store.synthetic import generate as generator
    records = Records(_TrainingSession(session))
    municipality = municipality_of(session)
    case_of: dict[int, int] = {}
    batch: list[tuple[int, Any, int | None]] = []
    written = 0

    def flush() -> None:
        nonlocal written
        saved = records.save_intakes([(intake, case) for _, intake, case in batch])
        for (index, _, _), result in zip(batch, saved, strict=True):
            case_of[index] = result.case_id
        written += len(batch)
        batch.clear()

    for item in generator(count, seed=seed, min_gap=BATCH, municipality=municipality):
        case_id = case_of.get(item.follow_up_of) if item.follow_up_of is not None else None
        batch.append((item.index, item.intake, case_id))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return written
