"""This centre's hand-off identity and the centres it knows.

Identity: the vault's Ed25519 signing key (private half in the encrypted ``meta``
table, see ``store.header``) signs; an X25519 key pair made the first time it is
needed (``handoff_identity``, private half only inside the encrypted database)
receives. The public card carries both public keys and is self-signed; its
fingerprint (``domain.handoff_format.fingerprint``) is what two centres read to each
other on the phone. A card is imported only with that fingerprint confirmed (typed,
or compared on screen) and by a supervisor; importing and removing are audited.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from intake_app import fileio
from intake_app.domain.handoff_format import (
    FORMAT_VERSION,
    MAX_CARD_BYTES,
    Card,
    HandoffError,
    decode_card,
    encode_card,
    fingerprint,
    fingerprint_bytes,
    normalize_fingerprint,
    parse_fingerprint,
)
from intake_app.store.connection import Connection
from intake_app.store.errors import VaultCorrupted, VaultError
from intake_app.store.handoff import crypto
from intake_app.store.header import raw_signing_public

SIGNING_KEY = "signing_key"  # meta key of the vault's Ed25519 private key (store.vault)

A_KEY = "handoff_key_create"
A_EXPORT = "handoff_card_export"
A_ADD = "handoff_centre_add"
A_REMOVE = "handoff_centre_remove"


def centre_object(fp: str) -> str:
    """Audit object id of a centre: its fingerprint, never its name."""
    return f"centre:{fp}"


@dataclass(frozen=True)
class Identity:
    box_private: bytes
    box_public: bytes
    signing_public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.box_public)

    @property
    def fingerprint_raw(self) -> bytes:
        return fingerprint_bytes(self.signing_public, self.box_public)


@dataclass(frozen=True)
class KnownCentre:
    fingerprint: str
    centre: str
    municipality: str
    label: str
    signing_public: bytes
    box_public: bytes
    confirmed_how: str
    imported_at: str

    @property
    def display_name(self) -> str:
        """「centre（label）」: two PCs of one centre differ by their label."""
        return f"{self.centre}（{self.label}）" if self.label else self.centre


@dataclass(frozen=True)
class ExportedCard:
    path: Path
    fingerprint: str
    card: Card


# -- raw reads on a connection (no audit: no personal data) ---------------------------------


def vault_signing_public(conn: Connection) -> bytes:
    """The vault signing key's public half, from the private half kept in ``meta``."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SIGNING_KEY,)).fetchone()
    try:
        signer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(str(row[0]) if row else ""))
    except ValueError as exc:
        raise VaultCorrupted(
            "保管庫の署名の鍵がありません（データベースが壊れています）。"
        ) from exc
    return raw_signing_public(signer)


def read_identity(conn: Connection) -> Identity | None:
    """This centre's receiving key pair, or None when none was made yet."""
    row = conn.execute(
        "SELECT box_private, box_public FROM handoff_identity WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return Identity(bytes(row[0]), bytes(row[1]), vault_signing_public(conn))


def find_centre(conn: Connection, fp: str) -> KnownCentre | None:
    row = conn.execute(
        "SELECT fingerprint, centre_name, municipality, label, signing_public, box_public,"
        " confirmed_how, imported_at FROM handoff_centres WHERE fingerprint = ?",
        (fp,),
    ).fetchone()
    return None if row is None else _centre(row)


def _centre(row: Any) -> KnownCentre:
    return KnownCentre(
        fingerprint=str(row[0]),
        centre=str(row[1]),
        municipality=str(row[2]),
        label=str(row[3]),
        signing_public=bytes(row[4]),
        box_public=bytes(row[5]),
        confirmed_how=str(row[6]),
        imported_at=str(row[7]),
    )


# -- through a session -----------------------------------------------------------------------


def signer_of(session: Any) -> Ed25519PrivateKey:
    """The vault signing key the session proved at unlock (its private half lives only
    in the encrypted ``meta`` table and in the open session)."""
    signer = getattr(session, "_signer", None)
    if not isinstance(signer, Ed25519PrivateKey):
        raise VaultError("保管庫はロックされています。もう一度ログインしてください。")
    return signer


def unaudited(session: Any) -> Any:
    """The session's connection for a read that writes nothing (see ``Session.unaudited``)."""
    return session.unaudited()


def identity(session: Any) -> Identity | None:
    with unaudited(session) as conn:
        return read_identity(conn)


def ensure_identity(session: Any) -> Identity:
    """This centre's receiving key pair, made (and audited) the first time it is needed."""
    found = identity(session)
    if found is not None:
        return found
    private, public = crypto.new_box_key()
    with session.transaction(A_KEY) as conn:
        if read_identity(conn) is None:
            conn.execute(
                "INSERT INTO handoff_identity (id, box_private, box_public, created_at)"
                " VALUES (1, ?, ?, ?)",
                (private, public, _now()),
            )
        made = read_identity(conn)
    assert made is not None
    return made


def known_centres(session: Any) -> list[KnownCentre]:
    """The centres whose cards were imported, by name (no personal data: not audited)."""
    with unaudited(session) as conn:
        rows = conn.execute(
            "SELECT fingerprint, centre_name, municipality, label, signing_public, box_public,"
            " confirmed_how, imported_at FROM handoff_centres ORDER BY centre_name, label,"
            " fingerprint"
        ).fetchall()
    return [_centre(r) for r in rows]


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def centre_names(municipality: Any) -> tuple[str, str, str]:
    """(centre name, city, municipality id) of the loaded ``Municipality``."""
    centre = getattr(municipality, "centre", None)
    name = str(getattr(centre, "name", "") or "")
    city = str(getattr(municipality, "name", "") or "")
    mid = str(getattr(municipality, "id", "") or "")
    if not name:
        raise VaultError("自治体の設定からセンターの名前を読めないため、公開カードを作れません。")
    return name, city, mid


def own_card(session: Any, municipality: Any) -> Card:
    """This centre's public card, signed with the vault signing key."""
    ident = ensure_identity(session)
    name, city, mid = centre_names(municipality)
    card = Card(
        centre=name,
        municipality=city,
        municipality_id=mid,
        signing_public=ident.signing_public,
        box_public=ident.box_public,
        created_at=_now(),
        version=FORMAT_VERSION,
    )
    signature = crypto.sign(signer_of(session), card.signed_bytes())
    return Card(**{**card.__dict__, "signature": signature})


def export_card(session: Any, municipality: Any, out: Path) -> ExportedCard:
    """Write this centre's card to ``out`` (supervisors); audited ``handoff_card_export``."""
    session.require_supervisor()
    out = Path(out)
    if not out.parent.is_dir():
        raise VaultError(f"出力先のフォルダがありません: {out.parent}")
    card = own_card(session, municipality)
    with session.transaction(A_EXPORT, centre_object(card.fingerprint)):
        fileio.write_private(out, encode_card(card), removable=True)
    return ExportedCard(out, card.fingerprint, card)


def read_card_file(path: Path) -> Card:
    """Read and check a card file (size first, then format, then its self-signature)."""
    data = read_limited(Path(path), MAX_CARD_BYTES, "card_too_large", "card_unreadable")
    return check_card(data)


def check_card(data: bytes) -> Card:
    card = decode_card(data)
    if not crypto.verify(card.signing_public, card.signature, card.signed_bytes()):
        raise HandoffError("card_tampered")
    return card


def read_limited(path: Path, limit: int, too_large: str, unreadable: str) -> bytes:
    """A regular file's bytes, refused before reading when it is larger than ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise HandoffError(unreadable, exc.strerror or type(exc).__name__) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise HandoffError(unreadable, "通常のファイルではありません")
        if info.st_size > limit:
            raise HandoffError(too_large, limit // (1024 * 1024))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise HandoffError(too_large, limit // (1024 * 1024))
        return b"".join(chunks)
    except OSError as exc:
        raise HandoffError(unreadable, exc.strerror or type(exc).__name__) from exc
    finally:
        os.close(fd)


def import_card(
    session: Any,
    card: Card,
    *,
    typed_fingerprint: str | None = None,
    compared: bool = False,
    label: str = "",
) -> KnownCentre:
    """Add (or update) a known centre after its fingerprint was confirmed (supervisors).

    ``typed_fingerprint``: what the other centre read out on the phone, typed in; it
    must match the card. ``compared``: the supervisor compared the fingerprint shown on
    screen with the one read out. One of the two is required. Audited
    ``handoff_centre_add`` (object ``centre:<fingerprint>``).
    """
    session.require_supervisor()
    if not crypto.verify(card.signing_public, card.signature, card.signed_bytes()):
        raise HandoffError("card_tampered")
    fp = card.fingerprint
    if typed_fingerprint is not None:
        if parse_fingerprint(typed_fingerprint) != card.fingerprint_raw:
            raise HandoffError("fingerprint_mismatch")
        how = "typed"
    elif compared:
        how = "compared"
    else:
        raise HandoffError(
            "fingerprint_mismatch",
            message="確認番号を電話で確かめてから取り込んでください（入力するか、一致を確認）。",
        )
    label = label.strip()[:60]
    own = identity(session)
    signing_public = own.signing_public if own else None
    if signing_public is None:
        with unaudited(session) as conn:
            signing_public = vault_signing_public(conn)
    if card.signing_public == signing_public:
        raise HandoffError("own_card")
    with session.transaction(A_ADD, centre_object(fp), detail=f"how={how}") as conn:
        conn.execute(
            "INSERT OR REPLACE INTO handoff_centres (fingerprint, centre_name, municipality,"
            " signing_public, box_public, card, label, confirmed_how, confirmed_by, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fp,
                card.centre,
                card.municipality,
                card.signing_public,
                card.box_public,
                encode_card(card),
                label,
                how,
                getattr(session.user, "id", None),
                _now(),
            ),
        )
        found = find_centre(conn, fp)
    assert found is not None
    return found


def remove_centre(session: Any, fp: str) -> None:
    """Forget a known centre (supervisors); audited ``handoff_centre_remove``.

    Packages it sends are refused from then on; what was received stays.
    """
    session.require_supervisor()
    fp = normalize_fingerprint(fp)
    with session.transaction(A_REMOVE, centre_object(fp)) as conn:
        cur = conn.execute("DELETE FROM handoff_centres WHERE fingerprint = ?", (fp,))
        if cur.rowcount != 1:
            raise HandoffError("unknown_centre")
