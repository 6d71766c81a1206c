"""The user accounts: who may unlock, with which role, and changing their keyslots.

``session.users`` is a ``Users`` over the open session. Adding a user, disabling one,
resetting or changing a passphrase and a new recovery key each commit the database
change and then write ``vault.keys`` with the new slot list (``Users._change_slots``
explains why a crash in between is safe). Changing others needs a supervisor.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake_app.store import audit as audit_mod
from intake_app.store import kdf as kdf_mod
from intake_app.store import keyslots
from intake_app.store.connection import Connection
from intake_app.store.errors import AccountError, VaultError
from intake_app.store.header import Slot
from intake_app.store.policy import (
    check_display_name,
    check_passphrase,
    check_user_name,
    normalize,
)

if TYPE_CHECKING:
    from intake_app.store.session import Session

ROLES = ("counselor", "supervisor")
SUPERVISOR = "supervisor"
COUNSELOR = "counselor"


@dataclass(frozen=True)
class User:
    """The logged-in user of a session."""

    id: int
    name: str
    role: str
    display_name: str = ""

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR


@dataclass(frozen=True)
class UserInfo:
    """One row of the users list (supervisor area, ``Users.list``)."""

    id: int
    name: str
    role: str
    display_name: str
    disabled: bool
    created_at: str
    last_login_at: str | None
    has_slot: bool


class Users:
    """User management through a session; changing others needs a supervisor."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def list(self) -> list[UserInfo]:
        self._s.require_supervisor()
        with self._s.read("user_list") as conn:
            rows = conn.execute(
                "SELECT id, name, role, display_name, disabled, created_at, last_login_at "
                "FROM users ORDER BY id"
            ).fetchall()
        slot_ids = {s.user_id for s in self._s._header.slots if s.kind == "user"}
        return [
            UserInfo(
                id=r["id"],
                name=r["name"],
                role=r["role"],
                display_name=r["display_name"],
                disabled=bool(r["disabled"]),
                created_at=r["created_at"],
                last_login_at=r["last_login_at"],
                has_slot=r["id"] in slot_ids,
            )
            for r in rows
        ]

    def _change_slots(
        self,
        action: str,
        object_id: object,
        detail: str | None,
        change_db: Callable[[Connection], None],
        new_slots: builtins.list[Slot],
    ) -> None:
        """Commit the database change, then write the header with ``new_slots``.

        The transaction records the digests of both the old and the new slots as
        allowed, so a crash between the commit and the header write leaves a vault
        that still opens (with the old header); once the new header is on disk only
        its digest stays allowed (or, after a crash, the digest of the header the
        next unlock finds).
        """
        s = self._s
        old_slots = list(s._header.slots)
        before = s._header.slots_digest()
        s._header.slots = new_slots
        after = s._header.slots_digest()
        s._header.slots = old_slots
        with s.transaction(action, object_id, detail=detail) as conn:
            change_db(conn)
            keyslots.set_slot_digests(conn, [before, after])
        s._header.slots = new_slots
        try:
            s._save_header()
        except BaseException:
            s._header.slots = old_slots
            raise
        with contextlib.suppress(VaultError), s.draft_transaction() as conn:
            keyslots.set_slot_digests(conn, [after])  # the old header is refused from now on

    def add(
        self,
        name: str,
        role: str,
        passphrase: str,
        *,
        display_name: str = "",
        kdf: kdf_mod.KdfParams | None = None,
    ) -> UserInfo:
        s = self._s
        s.require_supervisor()
        name = check_user_name(name)
        display_name = check_display_name(display_name, required=False)
        if role not in ROLES:
            raise AccountError(
                "役割は「相談員」（counselor）か「管理者」（supervisor）にしてください。"
            )
        secret = check_passphrase(passphrase)
        params = kdf if kdf is not None else kdf_mod.calibrate()
        with s._mutex:
            conn = s._require()
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"利用者「{name}」は既に登録されています。")
            now = audit_mod.now_iso()
            user_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM users").fetchone()[0])
            slot = keyslots.user_slot(
                s._header.vault_id, s._key, s._signer, params, user_id, name, role, secret
            )

            def insert(c: Connection) -> None:
                c.execute(
                    "INSERT INTO users (id, name, display_name, role, created_at,"
                    " passphrase_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (user_id, name, display_name, role, now, now),
                )

            self._change_slots("user_add", user_id, role, insert, [*s._header.slots, slot])
        return UserInfo(user_id, name, role, display_name, False, now, None, True)

    def set_display_name(self, name: str, display_name: str) -> None:
        """Set ``name``'s 氏名 as papers print it (a supervisor, or the user themself);
        audited ``user_display_name`` (the user's id, never the name)."""
        s = self._s
        if normalize(name) != s.user.name:
            s.require_supervisor()
        shown = check_display_name(display_name, required=True)
        with s._mutex:
            user_id, _, _, _ = self._row(name)
            with s.transaction("user_display_name", user_id) as conn:
                conn.execute("UPDATE users SET display_name = ? WHERE id = ?", (shown, user_id))
            if user_id == s.user.id:
                s.user = dataclasses.replace(s.user, display_name=shown)

    def _row(self, name: str) -> tuple[int, str, str, bool]:
        conn = self._s._require()
        row = conn.execute(
            "SELECT id, name, role, disabled FROM users WHERE name = ?", (normalize(name),)
        ).fetchone()
        if row is None:
            raise AccountError(f"利用者「{name}」は登録されていません。")
        return row["id"], row["name"], row["role"], bool(row["disabled"])

    def disable(self, name: str) -> None:
        """Remove the user's slot and mark them disabled (their records stay)."""
        s = self._s
        s.require_supervisor()
        with s._mutex:
            user_id, name, role, _ = self._row(name)
            if user_id == s.user.id:
                raise AccountError("自分自身は無効にできません。")
            if role == SUPERVISOR:
                others = (
                    s._require()
                    .execute(
                        "SELECT count(*) FROM users WHERE role = ? AND disabled = 0 AND id != ?",
                        (SUPERVISOR, user_id),
                    )
                    .fetchone()[0]
                )
                if int(others) == 0:
                    raise AccountError("最後の管理者は無効にできません。")

            def mark(c: Connection) -> None:
                c.execute(
                    "UPDATE users SET disabled = 1, disabled_at = ? WHERE id = ?",
                    (audit_mod.now_iso(), user_id),
                )

            remaining = [
                slot
                for slot in s._header.slots
                if not (slot.kind == "user" and slot.user_id == user_id)
            ]
            self._change_slots("user_disable", user_id, None, mark, remaining)

    def reset_passphrase(
        self, name: str, new_passphrase: str, *, kdf: kdf_mod.KdfParams | None = None
    ) -> None:
        """A new slot for ``name`` with freshly calibrated parameters (also re-enables)."""
        s = self._s
        if normalize(name) != s.user.name:
            s.require_supervisor()
        secret = check_passphrase(new_passphrase)
        self._set_passphrase(name, secret, action="passphrase_reset", kdf=kdf)

    def change_own(self, new_passphrase: str, *, kdf: kdf_mod.KdfParams | None = None) -> None:
        secret = check_passphrase(new_passphrase)
        self._set_passphrase(self._s.user.name, secret, action="passphrase_change", kdf=kdf)

    def _set_passphrase(
        self, name: str, secret: str, *, action: str, kdf: kdf_mod.KdfParams | None = None
    ) -> None:
        s = self._s
        params = kdf if kdf is not None else kdf_mod.calibrate()
        with s._mutex:
            user_id, name, role, _ = self._row(name)
            slot = keyslots.user_slot(
                s._header.vault_id, s._key, s._signer, params, user_id, name, role, secret
            )

            def update(c: Connection) -> None:
                c.execute(
                    "UPDATE users SET passphrase_changed_at = ?, disabled = 0, disabled_at = NULL"
                    " WHERE id = ?",
                    (audit_mod.now_iso(), user_id),
                )

            others = [
                old
                for old in s._header.slots
                if not (old.kind == "user" and old.user_id == user_id)
            ]
            failures = s._header.failures_of(name)
            detail = f"failures={failures.count}" if failures and failures.count else None
            self._change_slots(action, user_id, detail, update, [*others, slot])
            s._header.clear_failures(name)

    def regenerate_recovery_key(self, *, kdf: kdf_mod.KdfParams | None = None) -> str:
        """A new recovery key; the old one stops working. Shown once to the supervisor."""
        s = self._s
        s.require_supervisor()
        params = kdf if kdf is not None else kdf_mod.calibrate()
        recovery_key = keyslots.new_recovery_key()
        with s._mutex:
            slot = keyslots.recovery_slot(
                s._header.vault_id, s._key, s._signer, params, recovery_key
            )
            others = [old for old in s._header.slots if old.kind != "recovery"]
            self._change_slots(
                "recovery_key_regenerate", None, None, lambda c: None, [*others, slot]
            )
        return recovery_key
