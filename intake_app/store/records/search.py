"""Search: how clients are indexed when an intake is saved, and how cases are found.

Every client has search terms in ``client_terms``: the normalised name, kana and
aliases/旧姓 (``normalize_kana``: やまだ, ヤマダ and ﾔﾏﾀﾞ are one term), each word of
them, and the phone number's digits. A search is a prefix match of the query on
those terms, or on the case number; exact words come first. The perpetrator check
(追及への対応) is an exact match on the perpetrator's normalised name or kana, so a
partial name reveals nothing. Hits never hold the address or the whereabouts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

from intake_app.domain.japanese import normalize_kana
from intake_app.domain.model import Client
from intake_app.store.connection import Connection
from intake_app.store.records.stored import day

SEARCH_LIMIT = 50  # results shown; a counselor narrows a longer list by typing more
CANDIDATE_LIMIT = 100  # clients looked at per search word
_TERM_END = "\U0010ffff"  # sorts after every character: prefix ranges on a text index
_CASE_NUMBER = re.compile(r"^\d{4}-\d{1,6}$")
_PHONE_CHARS = re.compile(r"[\s\-‐－ー()（）+＋]")


@dataclass(frozen=True)
class SearchHit:
    """One case found by the search. Never holds the address or the whereabouts."""

    case_id: int
    case_number: str
    client_id: int
    name: str
    kana: str
    status: str
    last_consulted_on: dt.date
    latest_risk: str | None
    do_not_disclose: bool
    support_measure: bool


@dataclass(frozen=True)
class PerpetratorHit:
    """A case whose perpetrator matches the searched name (追及への対応)."""

    case_id: int
    case_number: str
    perpetrator_name: str
    perpetrator_kana: str
    do_not_disclose: bool
    support_measure: bool


# -- the index ---------------------------------------------------------------------------


def phone_digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isdigit())


def name_terms(*texts: str) -> set[str]:
    """Search terms of names: the whole normalised text and each space-separated word."""
    out: set[str] = set()
    for text in texts:
        if not text.strip():
            continue
        whole = normalize_kana(text)
        if whole:
            out.add(whole)
        for word in unicodedata.normalize("NFKC", text).split():
            key = normalize_kana(word)
            if key:
                out.add(key)
    return out


def index_client(conn: Connection, client_id: int, client: Client) -> None:
    """Add the client's aliases and (re)write their search terms (old aliases stay)."""
    aliases = [a for a in client.aliases if a.strip()]
    if aliases:
        conn.executemany(
            "INSERT OR IGNORE INTO client_aliases (client_id, alias, alias_norm) VALUES (?, ?, ?)",
            [(client_id, a, normalize_kana(a)) for a in aliases],
        )
    conn.execute("DELETE FROM client_terms WHERE client_id = ?", (client_id,))
    known = conn.execute("SELECT alias FROM client_aliases WHERE client_id = ?", (client_id,))
    terms = name_terms(client.name, client.kana, *aliases, *(r["alias"] for r in known))
    phone = phone_digits(client.safe_contact.phone)
    if phone:
        terms.add(phone)
    if terms:
        conn.executemany(
            "INSERT OR IGNORE INTO client_terms (term, client_id) VALUES (?, ?)",
            [(t, client_id) for t in terms],
        )


# -- cases by client ------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What a search text is looked up as: name/kana/phone terms and a case number."""

    keys: frozenset[str]
    case_number: str

    @staticmethod
    def of(text: str) -> Query | None:
        """None for an empty text (nothing to search, nothing audited)."""
        text = text.strip()
        if not text:
            return None
        keys: set[str] = set()
        key = normalize_kana(text)
        if key:
            keys.add(key)
        compact = _PHONE_CHARS.sub("", unicodedata.normalize("NFKC", text))
        if compact.isdigit():
            keys.add(compact)
        case_number = unicodedata.normalize("NFKC", text).replace(" ", "")
        return Query(frozenset(keys), case_number)


def find_cases(conn: Connection, query: Query, today: dt.date) -> list[SearchHit]:
    """At most ``SEARCH_LIMIT`` cases, most recently consulted first."""
    client_ids: set[int] = set()
    for k in query.keys:
        # exact words first (newest clients first), then longer words with this prefix
        rows = conn.execute(
            "SELECT client_id FROM client_terms WHERE term = ? ORDER BY client_id DESC LIMIT ?",
            (k, CANDIDATE_LIMIT),
        ).fetchall()
        client_ids.update(r["client_id"] for r in rows)
        if len(client_ids) < CANDIDATE_LIMIT:
            rows = conn.execute(
                "SELECT client_id FROM client_terms WHERE term > ? AND term < ? LIMIT ?",
                (k, k + _TERM_END, CANDIDATE_LIMIT),
            ).fetchall()
            client_ids.update(r["client_id"] for r in rows)
    case_ids: set[int] = set()
    if _CASE_NUMBER.match(query.case_number):
        rows = conn.execute(
            "SELECT id FROM cases WHERE case_number >= ? AND case_number < ? LIMIT ?",
            (query.case_number, query.case_number + _TERM_END, SEARCH_LIMIT),
        ).fetchall()
        case_ids.update(r["id"] for r in rows)
    if not client_ids and not case_ids:
        return []
    rows = conn.execute(
        "SELECT k.id, k.case_number, k.client_id, c.name, c.kana, k.status,"
        " k.last_consulted_on, k.latest_risk, k.do_not_disclose,"
        " EXISTS (SELECT 1 FROM support_measures s WHERE s.case_id = k.id"
        "   AND s.ended_on IS NULL AND s.expires_on >= ?) AS support_measure"
        " FROM cases k JOIN clients c ON c.id = k.client_id"
        " WHERE k.client_id IN (SELECT value FROM json_each(?))"
        " OR k.id IN (SELECT value FROM json_each(?))"
        " ORDER BY k.last_consulted_on DESC, k.id DESC LIMIT ?",
        (
            today.isoformat(),
            json.dumps(sorted(client_ids)),
            json.dumps(sorted(case_ids)),
            SEARCH_LIMIT,
        ),
    ).fetchall()
    return [
        SearchHit(
            case_id=r["id"],
            case_number=r["case_number"],
            client_id=r["client_id"],
            name=r["name"],
            kana=r["kana"],
            status=r["status"],
            last_consulted_on=day(r["last_consulted_on"]),
            latest_risk=r["latest_risk"],
            do_not_disclose=bool(r["do_not_disclose"]),
            support_measure=bool(r["support_measure"]),
        )
        for r in rows
    ]


# -- cases by perpetrator ---------------------------------------------------------------


def find_perpetrators(conn: Connection, key: str, today: dt.date) -> list[PerpetratorHit]:
    """Cases whose perpetrator's normalised name or kana is ``key``, one hit per case."""
    rows = conn.execute(
        "SELECT k.id, k.case_number, p.name, p.kana, k.do_not_disclose,"
        " EXISTS (SELECT 1 FROM support_measures s WHERE s.case_id = k.id"
        "   AND s.ended_on IS NULL AND s.expires_on >= ?) AS support_measure"
        " FROM perpetrators p JOIN cases k ON k.id = p.case_id"
        " WHERE p.id IN (SELECT id FROM perpetrators WHERE name_norm = ?"
        "   UNION SELECT id FROM perpetrators WHERE kana_norm = ?)"
        " ORDER BY k.last_consulted_on DESC",
        (today.isoformat(), key, key),
    ).fetchall()
    seen: set[int] = set()
    hits: list[PerpetratorHit] = []
    for r in rows:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        hits.append(
            PerpetratorHit(
                case_id=r["id"],
                case_number=r["case_number"],
                perpetrator_name=r["name"],
                perpetrator_kana=r["kana"],
                do_not_disclose=bool(r["do_not_disclose"]),
                support_measure=bool(r["support_measure"]),
            )
        )
    return hits
