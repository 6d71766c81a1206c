"""Training vaults: the mark that allows invented consultations (``demo-data``).

A vault is marked as a training vault (meta key ``training = "1"``) in the same
transaction as its first batch of synthetic consultations. Only a new vault (no
consultation, no draft) or one already marked may get one, so invented people
never mix with real ones; the GUI shows 「練習用の保管庫」 on a marked vault.
"""

from __future__ import annotations

from intake_app.store.connection import Connection, read_meta
from intake_app.store.errors import VaultError

TRAINING = "training"  # meta key: "1" on a training vault (demo data allowed, marked in the GUI)


class RealRecordsPresent(VaultError):
    default_message = (
        "この保管庫には実際の相談記録があります。"
        "練習用のデータは、新しく作った練習用の保管庫にだけ入れられます。"
    )


def is_training_vault(conn: Connection) -> bool:
    """Whether the vault behind ``conn`` is marked as a training vault."""
    return read_meta(conn, TRAINING) == "1"


def check_training_allowed(conn: Connection) -> None:
    """Refuse (``RealRecordsPresent``) synthetic data on a vault with real work in it.

    Allowed on a training vault, or on a vault with no consultation and no draft.
    Reads only: usable as ``Vault.open(..., precheck=check_training_allowed)``.
    """
    if is_training_vault(conn):
        return
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM consultations) OR EXISTS (SELECT 1 FROM drafts)"
    ).fetchone()
    if row is not None and int(row[0]):
        raise RealRecordsPresent()


def mark_training(conn: Connection) -> None:
    """Inside an open write transaction: check as above, then mark the vault as training."""
    check_training_allowed(conn)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (TRAINING,))
