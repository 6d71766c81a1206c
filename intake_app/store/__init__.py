"""The encrypted vault: keyslots, SQLCipher connection, migrations, audit chain, sessions.

No Qt here. ``Vault.open`` returns the ``Session`` every read and write goes through.
"""

from intake_app.domain.errors import UserError
from intake_app.store.checks import SavesMissing
from intake_app.store.errors import (
    AccountError,
    DiskFull,
    PassphrasePolicyError,
    PermissionDenied,
    Throttled,
    VaultCorrupted,
    VaultError,
    VaultExists,
    VaultInUse,
    VaultIOError,
    VaultNotFound,
    VaultTooNew,
    WritesStopped,
    WrongPassphrase,
)
from intake_app.store.kdf import KdfParams, WeakKdf
from intake_app.store.lock import InstanceLock
from intake_app.store.session import Session, VerifyReport
from intake_app.store.users import User, UserInfo, Users
from intake_app.store.vault import Vault

__all__ = [
    "AccountError",
    "DiskFull",
    "InstanceLock",
    "KdfParams",
    "PassphrasePolicyError",
    "PermissionDenied",
    "SavesMissing",
    "Session",
    "Throttled",
    "User",
    "UserError",
    "UserInfo",
    "Users",
    "Vault",
    "VaultCorrupted",
    "VaultError",
    "VaultExists",
    "VaultIOError",
    "VaultInUse",
    "VaultNotFound",
    "VaultTooNew",
    "VerifyReport",
    "WeakKdf",
    "WritesStopped",
    "WrongPassphrase",
]
