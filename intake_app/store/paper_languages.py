"""The centre's review of the client papers' translations, kept in the vault.

The program ships each language's texts unreviewed (or reviewed where its file says
so). After the centre's interpreter has checked a language, a supervisor marks it
reviewed: who checked it (the interpreter or the organisation) and when. The mark
is stored in the vault's ``settings`` table (key ``paper_review.<code>``, the
``domain.paper_texts.CentreReview`` as JSON, with the digest of every text it
covered, so a text changed by a later program version is unreviewed again) and
written with one audit entry (``paper_language_reviewed`` / ``…_review_withdrawn``,
object ``language:<code>``; never who checked it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from intake_app.domain.languages import CODES
from intake_app.domain.paper_texts import CentreReview, centre_review
from intake_app.store.errors import VaultError

if TYPE_CHECKING:
    from intake_app.store.session import Session

REVIEWED = "paper_language_reviewed"
WITHDRAWN = "paper_language_review_withdrawn"
KEY_PREFIX = "paper_review."
MAX_REVIEWER = 100


class ReviewError(VaultError):
    """A review mark that is refused; ``message`` says why in Japanese."""

    default_message = "翻訳の確認を記録できませんでした。"


def object_id(code: str) -> str:
    return f"language:{code}"


def centre_reviews(session: Session) -> dict[str, CentreReview]:
    """The centre's review marks by language code (an unaudited settings read: it holds
    no personal data). A mark that cannot be read counts as none."""
    with session.unaudited() as conn:
        rows = conn.execute(
            "SELECT key, value FROM settings WHERE key >= ? AND key < ?",
            (KEY_PREFIX, KEY_PREFIX[:-1] + "/"),
        ).fetchall()
    found: dict[str, CentreReview] = {}
    for key, value in rows:
        mark = CentreReview.from_json(str(value))
        if mark is not None and mark.code == str(key).removeprefix(KEY_PREFIX):
            found[mark.code] = mark
    return found


def _check(session: Session, code: str) -> None:
    session.require_supervisor()
    if code not in CODES:
        raise ReviewError(f"「{code}」は書類の言語にありません。")


def mark_reviewed(session: Session, code: str, reviewed_by: str, reviewed_on: dt.date) -> None:
    """Record that ``reviewed_by`` (the interpreter or organisation) checked every text
    of ``code`` on ``reviewed_on`` (supervisors only; audited)."""
    _check(session, code)
    who = " ".join(reviewed_by.split())
    if not who:
        raise ReviewError("確認した人（通訳者・団体）の名前を入力してください。")
    if len(who) > MAX_REVIEWER:
        raise ReviewError(f"確認した人の名前は{MAX_REVIEWER}文字以内にしてください。")
    if reviewed_on > dt.date.today():
        raise ReviewError("確認した日に未来の日付は使えません。")
    mark = centre_review(code, who, reviewed_on)
    with session.transaction(REVIEWED, object_id(code)) as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (KEY_PREFIX + code, mark.to_json()),
        )


def withdraw_review(session: Session, code: str) -> bool:
    """Remove the centre's mark for ``code`` (supervisors only; audited when there was
    one). Returns whether there was a mark."""
    _check(session, code)
    if code not in centre_reviews(session):
        return False
    with session.transaction(WITHDRAWN, object_id(code)) as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (KEY_PREFIX + code,))
    return True
