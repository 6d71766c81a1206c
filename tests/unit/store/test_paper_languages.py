"""A supervisor marks a language's translations reviewed: kept in the vault, audited,
read back by the papers; a counselor cannot; a changed text is unreviewed again."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain import paper_texts
from intake_app.domain.paper_texts import review_of
from intake_app.store import paper_languages
from intake_app.store.errors import PermissionDenied
from tests.unit.store.records_support import (
    PASSPHRASE,
    USER,
    audit_entries,
    create_vault,
    open_vault,
    query,
)

DAY = dt.date(2026, 12, 1)


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    create_vault(tmp_path / "data", monkeypatch)
    s = open_vault(tmp_path / "data")
    yield s
    s.close()


def test_marking_a_language_reviewed_is_kept_audited_and_read_by_the_papers(
    vault: Any, tmp_path: Path
) -> None:
    assert paper_languages.centre_reviews(vault) == {}
    assert not review_of("safety_plan", "vi", {}).reviewed
    paper_languages.mark_reviewed(vault, "vi", "  ベトナム語通訳  見本 ", DAY)
    marks = paper_languages.centre_reviews(vault)
    assert set(marks) == {"vi"}
    assert marks["vi"].reviewed_by == "ベトナム語通訳 見本" and marks["vi"].reviewed_on == DAY
    state = review_of("safety_plan", "vi", marks)
    assert state.reviewed and state.by_centre
    assert not review_of("safety_plan", "en", marks).reviewed
    assert audit_entries(vault)[-1] == (paper_languages.REVIEWED, "language:vi")
    detail = query(vault, "SELECT detail FROM audit_log ORDER BY rowid DESC LIMIT 1")
    assert "見本" not in str(detail)  # who checked it stays in the settings, not the log
    # kept in the (encrypted) vault across sessions
    vault.close()
    again = open_vault(tmp_path / "data")
    try:
        assert set(paper_languages.centre_reviews(again)) == {"vi"}
        assert paper_languages.withdraw_review(again, "vi") is True
        assert paper_languages.centre_reviews(again) == {}
        assert audit_entries(again)[-1] == (paper_languages.WITHDRAWN, "language:vi")
        assert paper_languages.withdraw_review(again, "vi") is False  # nothing to withdraw
    finally:
        again.close()


def test_marking_again_replaces_the_mark(vault: Any) -> None:
    paper_languages.mark_reviewed(vault, "ko", "A", DAY)
    paper_languages.mark_reviewed(vault, "ko", "B", DAY + dt.timedelta(days=1))
    assert paper_languages.centre_reviews(vault)["ko"].reviewed_by == "B"


def test_a_text_changed_by_a_later_version_is_unreviewed_again(
    vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper_languages.mark_reviewed(vault, "en", "A", DAY)
    marks = paper_languages.centre_reviews(vault)
    assert review_of("contacts", "en", marks).reviewed
    shipped = paper_texts.load("contacts", "en")
    changed = dataclasses.replace(shipped, digest="f" * 64)
    real = paper_texts.load
    monkeypatch.setattr(
        paper_texts,
        "load",
        lambda paper, code: changed if (paper, code) == ("contacts", "en") else real(paper, code),
    )
    assert not review_of("contacts", "en", marks).reviewed


@pytest.mark.parametrize(
    ("code", "who", "day", "words"),
    [
        ("xx", "A", DAY, "書類の言語にありません"),
        ("ja", "A", DAY, "書類の言語にありません"),
        ("en", "  ", DAY, "名前を入力"),
        ("en", "あ" * 101, DAY, "100文字以内"),
        ("en", "A", dt.date.today() + dt.timedelta(days=1), "未来"),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_written(
    vault: Any, code: str, who: str, day: dt.date, words: str
) -> None:
    before = audit_entries(vault)
    with pytest.raises(paper_languages.ReviewError) as refused:
        paper_languages.mark_reviewed(vault, code, who, day)
    assert words in refused.value.message
    assert paper_languages.centre_reviews(vault) == {}
    assert audit_entries(vault) == before


def test_an_unreadable_mark_counts_as_none(vault: Any) -> None:
    with vault.transaction("test.write") as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('paper_review.en', '{')")
        conn.execute("INSERT INTO settings (key, value) VALUES ('paper_review_other', 'x')")
    assert paper_languages.centre_reviews(vault) == {}


def test_a_counselor_cannot_mark_or_withdraw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    data_dir = tmp_path / "data"
    create_vault(data_dir, monkeypatch)
    with Vault.open(data_dir, USER, PASSPHRASE) as supervisor:
        supervisor.users.add(
            "kato", "counselor", "ひまわり畑の向こうの小さな駅", kdf=kdf.KdfParams(1024, 1)
        )
        paper_languages.mark_reviewed(supervisor, "tr", "A", DAY)
    with Vault.open(data_dir, "kato", "ひまわり畑の向こうの小さな駅") as counselor:
        assert set(paper_languages.centre_reviews(counselor)) == {"tr"}  # the papers read it
        with pytest.raises(PermissionDenied):
            paper_languages.mark_reviewed(counselor, "tr", "B", DAY)
        with pytest.raises(PermissionDenied):
            paper_languages.withdraw_review(counselor, "tr")
