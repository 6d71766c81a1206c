"""The centre's settings, kept in the vault: encrypted, versioned, audited.

At setup the chosen municipality file is checked completely and imported as version 1
(``load_source``, ``insert_initial``). From then on every screen, paper and command
reads the settings from the vault (``session.municipality`` →
``Settings.current()``); an upgrade of the program never changes them. Every change
is a new version (who, when, how, which settings) and one audit entry per setting
changed, naming the setting, never its value (the values of every version stay in the
encrypted ``settings_versions`` table).

A newer shipped file (the bundled file of the same id, whose hash differs from the
one recorded at import) is offered to a supervisor as differences to accept one by
one (``shipped_offer``, ``review_shipped``), never applied silently.

A vault created before the settings moved into the vault has none: the first unlock
after the upgrade imports the bundled file of its recorded municipality id, with an
audit entry saying so (``after_unlock``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from intake_app import __version__
from intake_app.domain import settings_diff
from intake_app.domain.municipality import (
    ID_PATTERN,
    Municipality,
    load_municipality,
    municipality_from_text,
    municipality_path,
)
from intake_app.domain.settings_diff import Difference
from intake_app.domain.settings_file import Data, from_data, to_data, to_toml
from intake_app.domain.tomlfile import ConfigError
from intake_app.store.audit import now_iso
from intake_app.store.connection import Connection, map_error
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.audit import Chain
    from intake_app.store.session import Session

log = logging.getLogger(__name__)

# Audit actions (docs/internal-api.md).
IMPORT = "settings_import"  # a whole file taken in: setup, an old vault, or a file
CHANGED = "settings_changed"  # one per setting changed (object: its path)
EXPORT = "settings_export"
SHIPPED_ACCEPT = "settings_shipped_accept"  # one per item of a newer shipped file taken
SHIPPED_DECLINE = "settings_shipped_decline"  # one per item left as it was
SHIPPED_REVIEWED = "settings_shipped_reviewed"  # the newer shipped file is now the baseline

SOURCES = ("setup", "upgrade", "edit", "import", "shipped")
_ID_RE = re.compile(ID_PATTERN)


class SettingsError(VaultError):
    """A settings change that is refused; ``message`` says why in Japanese."""

    default_message = "設定を変更できませんでした。"


@dataclass(frozen=True)
class ShippedFile:
    """The municipality file bundled with this program, as last compared."""

    municipality_id: str
    sha256: str
    document: str  # the settings of that file, written by settings_file.to_toml


@dataclass(frozen=True)
class SettingsSource:
    """A municipality file checked completely, ready to become the vault's settings."""

    municipality: Municipality
    document: str
    origin: str  # "bundled:<id>" or "file:<name>"
    shipped: ShippedFile | None


@dataclass(frozen=True)
class SettingsVersion:
    version: int
    created_at: str
    user_name: str
    source: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class OfferedItem:
    """One difference between the shipped file as imported and the newer one, with the
    vault's current value (``already``: the vault has the new value already)."""

    difference: Difference
    current: str
    already: bool


@dataclass(frozen=True)
class ShippedOffer:
    municipality_id: str
    sha256: str
    items: list[OfferedItem]


# --- files --------------------------------------------------------------------------


def shipped_file(municipality_id: str) -> ShippedFile | None:
    """The bundled file of ``municipality_id`` in this program, or None (none, or broken)."""
    if not _ID_RE.match(municipality_id):
        return None
    try:
        path = municipality_path(municipality_id)
        if not path.is_file():
            return None
        raw = path.read_bytes()
        city = municipality_from_text(raw.decode("utf-8"), path.name)
    except (ConfigError, OSError, UnicodeDecodeError) as exc:
        log.error("shipped municipality file not read: %s", type(exc).__name__)
        return None
    return ShippedFile(municipality_id, hashlib.sha256(raw).hexdigest(), to_toml(city))


def load_source(value: str | Path | Municipality | SettingsSource) -> SettingsSource:
    """The municipality to import, checked completely before anything is created.

    ``value``: the id of a bundled file (``warabi``), the path of a ``.toml`` file, or a
    loaded ``Municipality``. Anything else (``../../etc/passwd``) is refused, and a bad
    file raises ``ConfigError`` naming the key and its line."""
    if isinstance(value, SettingsSource):
        return value
    if isinstance(value, Municipality):
        city = value
        origin = "given"
    elif isinstance(value, Path) or value.endswith(".toml"):
        city = load_municipality(Path(value))
        origin = "file:" + re.sub(r"[^A-Za-z0-9._-]", "_", Path(value).name)[:40]
    else:
        if not _ID_RE.match(value):
            raise ConfigError(
                f"市区町村設定の名前が正しくありません: {value[:40]}"
                "（半角英小文字の名前か、.toml ファイルの場所を指定してください）"
            )
        city = load_municipality(value)
        origin = f"bundled:{value}"
    document = to_toml(city)
    municipality_from_text(document)  # what is stored must read back
    return SettingsSource(city, document, origin, shipped_file(city.id))


# --- the tables ---------------------------------------------------------------------


def has_tables(conn: Connection) -> bool:
    """Whether the vault's schema has the settings tables (migration 0003)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings_versions'"
    ).fetchone()
    return row is not None


def _latest(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT version, document FROM settings_versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _insert_version(
    conn: Connection,
    user_id: int | None,
    user_name: str,
    source: str,
    changes: Iterable[str],
    document: str,
) -> int:
    row = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM settings_versions").fetchone()
    version = int(row[0])
    conn.execute(
        "INSERT INTO settings_versions"
        " (version, created_at, user_id, user_name, source, changes, document)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            version,
            now_iso(),
            user_id,
            user_name,
            source,
            json.dumps(list(changes), ensure_ascii=False),
            document,
        ),
    )
    return version


def _record_shipped(conn: Connection, shipped: ShippedFile | None) -> None:
    if shipped is None:
        return
    conn.execute(
        "INSERT OR REPLACE INTO settings_shipped"
        " (municipality_id, sha256, document, program_version, recorded_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (shipped.municipality_id, shipped.sha256, shipped.document, __version__, now_iso()),
    )


def insert_initial(
    conn: Connection, chain: Chain, user_id: int, user_name: str, source: SettingsSource
) -> None:
    """Version 1 at setup, inside ``Vault.create``'s transaction (audited ``settings_import``)."""
    if not has_tables(conn):  # a program limited to older migrations (test fixtures)
        return
    version = _insert_version(conn, user_id, user_name, "setup", [], source.document)
    _record_shipped(conn, source.shipped)
    chain.append(
        conn, user_id, user_name, IMPORT, f"settings:v{version}", f"source=setup;{source.origin}"
    )


def after_unlock(session: Session) -> None:
    """At every unlock: a vault without settings imports the bundled file of its recorded
    municipality id (an old vault, first unlock after the upgrade: whoever unlocks, since
    every screen needs the settings and the bundled file is what the program used until
    now); a newer shipped file that changes no setting becomes the baseline quietly
    (audited). Failures are logged by type and leave the vault as it was."""
    try:
        with session._mutex:
            conn = session._require()
            if not has_tables(conn):
                return
            latest = _latest(conn)
        if latest is None:
            _import_bundled(session)
        else:
            _note_unchanged_shipped(session)
    except (ConfigError, VaultError, sqlcipher3.Error) as exc:
        log.error("settings not imported at unlock: %s", type(exc).__name__)


def _import_bundled(session: Session) -> None:
    source = load_source(session.municipality_id)
    with session.transaction(
        IMPORT, "settings:v1", detail=f"source=upgrade;{source.origin}"
    ) as conn:
        if _latest(conn) is not None:
            return
        _insert_version(
            conn, session.user.id or None, session.user.name, "upgrade", [], source.document
        )
        _record_shipped(conn, source.shipped)
    session.settings.forget()


def _note_unchanged_shipped(session: Session) -> None:
    settings = session.settings
    offer = settings.shipped_offer()
    if offer is not None and not offer.items:
        shipped = shipped_file(offer.municipality_id)
        with session.transaction(
            SHIPPED_REVIEWED, f"shipped:{offer.municipality_id}", detail="no-change"
        ) as conn:
            _record_shipped(conn, shipped)
        settings.forget()


# --- the session's settings ---------------------------------------------------------


class Settings:
    """``session.settings``: the vault's settings for every screen, paper and command."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._cached: tuple[int, Municipality] | None = None
        self._offer: tuple[ShippedOffer | None] | None = None

    def forget(self) -> None:
        self._cached = None
        self._offer = None

    def _read(self, conn: Connection) -> tuple[int, Municipality]:
        latest = _latest(conn) if has_tables(conn) else None
        if latest is None:
            # Not imported (a read-only verify of an old vault): the bundled file, in
            # memory only; the next unlock imports it.
            return 0, load_municipality(self._s.municipality_id)
        version, document = latest
        return version, municipality_from_text(document, f"設定 第{version}版")

    def current(self) -> Municipality:
        """The settings in force (read once per session and after each change; no audit
        entry: they hold no personal data)."""
        if self._cached is None:
            with self._s._mutex:
                try:
                    self._cached = self._read(self._s._require())
                except sqlcipher3.Error as exc:
                    raise map_error(exc) from exc
        return self._cached[1]

    def version(self) -> int:
        """The number of the version in force (0: not imported yet)."""
        self.current()
        assert self._cached is not None
        return self._cached[0]

    def data(self) -> Data:
        """The settings in the file's structure, a fresh copy to edit."""
        return to_data(self.current())

    def history(self) -> list[SettingsVersion]:
        """Every version, newest first (supervisor; audited ``settings_history``)."""
        self._s.require_supervisor()
        with self._s.read("settings_history") as conn:
            rows = conn.execute(
                "SELECT version, created_at, user_name, source, changes"
                " FROM settings_versions ORDER BY version DESC"
            ).fetchall()
        return [
            SettingsVersion(int(r[0]), str(r[1]), str(r[2]), str(r[3]), tuple(json.loads(r[4])))
            for r in rows
        ]

    def referenced_destinations(self) -> set[str]:
        """Destination ids that saved referrals or prints name (never to be deleted)."""
        with self._s._mutex:
            conn = self._s._require()
            return _referenced(conn)

    # -- changing ---------------------------------------------------------------------

    def save(self, data: Data, *, source: str = "edit") -> list[Difference]:
        """Make ``data`` the settings in force (supervisor).

        Checked by the file loader first (``ConfigError`` naming the key). Refused: a
        different municipality id, or a destination that saved referrals name left out
        (disable it instead). No difference: nothing is written. Otherwise a new version
        and one ``settings_changed`` entry per setting, naming it (never its value)."""
        self._s.require_supervisor()
        if source not in SOURCES:
            raise ValueError(source)
        city = from_data(data)
        document = to_toml(city)
        return self._commit(city, document, source, detail=None)

    def import_text(self, text: str, name: str = "settings.toml") -> list[Difference]:
        """A municipality file from outside (IT, another centre): checked completely, then
        saved as ``save`` does (audited ``settings_import`` and each setting changed;
        the file's name is not recorded)."""
        self._s.require_supervisor()
        city = municipality_from_text(text, name)
        return self._commit(city, to_toml(city), "import", detail="source=file")

    def _commit(
        self, city: Municipality, document: str, source: str, *, detail: str | None
    ) -> list[Difference]:
        current = self.current()
        if city.id != current.id:
            raise SettingsError(
                f"このファイルは別の市区町村（{city.id}）の設定です。"
                f"この保管庫は「{current.id}」の設定だけを受け付けます。何も変更していません。"
            )
        found = settings_diff.differences(to_data(current), to_data(city))
        if not found:
            return []
        s = self._s
        user_id = s.user.id or None
        with s._mutex:
            version = self._next_version()
            if detail is None:  # an edit: the last setting's entry closes the transaction
                action, object_id, extra = CHANGED, found[-1].path, found[:-1]
            else:
                action, object_id, extra = IMPORT, f"settings:v{version}", found
            with s.transaction(action, object_id, detail=detail or f"v{version}") as c:
                _refuse_dropping_referenced(c, current, city)
                for item in extra:
                    s._chain_append_extra(c, CHANGED, item.path, f"v{version}")
                _insert_version(c, user_id, s.user.name, source, [d.path for d in found], document)
        self.forget()
        return found

    def _next_version(self) -> int:
        conn = self._s._require()
        if not has_tables(conn):
            raise SettingsError("この保管庫はまだ設定を保存できません。")
        return (_latest(conn) or (0, ""))[0] + 1

    def export_text(self, *, destination: str = "file") -> str:
        """The settings as a municipality file (supervisor; audited ``settings_export``)."""
        self._s.require_supervisor()
        city = self.current()
        version = self.version()
        text = to_toml(
            city,
            header=(
                f"市区町村設定（相談記録システム）: {city.name}\n"
                f"保管庫の設定 第{version}版を {dt.date.today().isoformat()} に書き出しました。\n"
                "読み込むと、内容をすべて確かめてから取り込みます。"
            ),
        )
        self._s.audit(EXPORT, f"settings:v{version}", detail=f"to={destination}")
        return text

    # -- a newer shipped file -----------------------------------------------------------

    def shipped_offer(self) -> ShippedOffer | None:
        """The differences between the shipped file as recorded and this program's
        shipped file, when its hash changed; None when there is nothing newer. Worked
        out once per session and change (the home screen asks on every refresh)."""
        if self._offer is None:
            self._offer = (self._shipped_offer(),)
        return self._offer[0]

    def _shipped_offer(self) -> ShippedOffer | None:
        current = self.current()
        shipped = shipped_file(current.id)
        if shipped is None:
            return None
        with self._s._mutex:
            conn = self._s._require()
            if not has_tables(conn):
                return None
            row = conn.execute(
                "SELECT sha256, document FROM settings_shipped WHERE municipality_id = ?",
                (current.id,),
            ).fetchone()
        if row is not None and str(row[0]) == shipped.sha256:
            return None
        if row is None:
            base = self._first_version_data(current)
        else:
            base = to_data(municipality_from_text(str(row[1]), "配布時の設定"))
        new = to_data(municipality_from_text(shipped.document, "新しい配布ファイル"))
        now = to_data(current)
        items = []
        for item in settings_diff.differences(base, new):
            taken = settings_diff.apply(now, new, [item.path])
            items.append(
                OfferedItem(
                    item,
                    settings_diff.value_text(now, item.path),
                    already=not settings_diff.differences(now, taken),
                )
            )
        return ShippedOffer(current.id, shipped.sha256, [i for i in items if not i.already])

    def _first_version_data(self, current: Municipality) -> Data:
        with self._s._mutex:
            row = (
                self._s._require()
                .execute("SELECT document FROM settings_versions ORDER BY version LIMIT 1")
                .fetchone()
            )
        if row is None:
            return to_data(current)
        return to_data(municipality_from_text(str(row[0]), "設定 第1版"))

    def review_shipped(self, accepted: Iterable[str]) -> list[Difference]:
        """Take the ``accepted`` items of the newer shipped file; every other offered item
        keeps the vault's value. Audited per item (``settings_shipped_accept`` /
        ``settings_shipped_decline``); the newer file becomes the baseline."""
        self._s.require_supervisor()
        offer = self.shipped_offer()
        if offer is None:
            return []
        shipped = shipped_file(offer.municipality_id)
        if shipped is None or shipped.sha256 != offer.sha256:
            raise SettingsError("配布された設定ファイルを読めませんでした。何も変更していません。")
        wanted = set(accepted)
        offered = [i.difference.path for i in offer.items]
        unknown = wanted - set(offered)
        if unknown:
            raise SettingsError("一覧にない項目は取り込めません。何も変更していません。")
        current = self.current()
        new = to_data(municipality_from_text(shipped.document, "新しい配布ファイル"))
        taken = settings_diff.apply(to_data(current), new, [p for p in offered if p in wanted])
        city = from_data(taken, "配布ファイルから取り込む設定")
        found = settings_diff.differences(to_data(current), to_data(city))
        with self._s._mutex:
            version = self._next_version()
            self._review(offer, shipped, current, city, found, wanted, version)
        self.forget()
        return found

    def _review(
        self,
        offer: ShippedOffer,
        shipped: ShippedFile,
        current: Municipality,
        city: Municipality,
        found: list[Difference],
        wanted: set[str],
        version: int,
    ) -> None:
        s = self._s
        offered = [i.difference.path for i in offer.items]
        with s.transaction(
            SHIPPED_REVIEWED, f"shipped:{offer.municipality_id}", detail=offer.sha256[:16]
        ) as c:
            for path in offered:
                s._chain_append_extra(
                    c,
                    SHIPPED_ACCEPT if path in wanted else SHIPPED_DECLINE,
                    path,
                    f"v{version}" if path in wanted else None,
                )
            if found:
                _refuse_dropping_referenced(c, current, city)
                for item in found:
                    s._chain_append_extra(c, CHANGED, item.path, f"v{version}")
                _insert_version(
                    c,
                    s.user.id or None,
                    s.user.name,
                    "shipped",
                    [d.path for d in found],
                    to_toml(city),
                )
            _record_shipped(c, shipped)

    # -- 文書番号 -----------------------------------------------------------------------

    def next_document_number(self, kind: str, *, today: dt.date | None = None) -> str:
        """The next 文書番号 of this fiscal year for a paper of ``kind`` (audited)."""
        from intake_app.store.document_numbers import next_document_number

        return next_document_number(self._s, kind, today=today)


def _referenced(conn: Connection) -> set[str]:
    rows = conn.execute(
        "SELECT destination_id FROM referrals UNION "
        "SELECT destination_id FROM prints WHERE destination_id IS NOT NULL"
    ).fetchall()
    return {str(r[0]) for r in rows}


def _refuse_dropping_referenced(conn: Connection, old: Municipality, new: Municipality) -> None:
    kept = {d.id for d in new.destinations}
    dropped = [d for d in old.destinations if d.id not in kept]
    if not dropped:
        return
    named = _referenced(conn)
    for dest in dropped:
        if dest.id in named:
            raise SettingsError(
                f"連絡先「{dest.name}」は保存された紹介が使っているため削除できません。"
                "使わない場合は「使用停止」にしてください。何も変更していません。"
            )
