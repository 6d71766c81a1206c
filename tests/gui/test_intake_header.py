"""Which client's intake is open, and the case's do-not-disclose banner, on every step."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    fill_minimum,
    load_font,
    municipality,
    open_session,
    shot,
    type_japanese,
)

VIOLENCE_WORDS = ("暴力", "DV", "加害", "虐待", "避難")


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


def saved_case(qtbot, session, *, name="鈴木 恵子", measure_on=None, do_not_disclose=False):
    w = IntakeWizard(session, municipality(session))
    qtbot.addWidget(w)
    fill_minimum(w, name=name)
    if measure_on is not None:
        w.pages[9].applied.setChecked(True)
        w.pages[9].applied_on.setValue(measure_on)
    w.pages[9].dnd.setChecked(do_not_disclose)
    assert w.save() is True, w.problems()
    return w.saved


def test_header_names_the_new_client_as_she_types_on_every_step(qtbot, session):
    wizard = IntakeWizard(session, municipality(session))
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.header.isVisible()
    assert "新しい相談" in wizard.header.text()
    assert "匿名" in wizard.header.text()

    wizard.go_to(2)
    wizard.pages[2].name.setFocus()
    type_japanese(wizard.pages[2].name, "山田 花子")
    assert "山田 花子" in wizard.header.text()
    for step in (0, 4, 10):
        wizard.go_to(step)
        assert wizard.header.isVisible()
        assert "山田 花子" in wizard.header.text()

    wizard.go_to(2)
    wizard.pages[2].anonymous.setChecked(True)
    assert "山田" not in wizard.header.text()
    assert "匿名" in wizard.header.text()
    assert not any(word in wizard.header.text() for word in VIOLENCE_WORDS)


def test_header_shows_the_case_number_in_a_follow_up(qtbot, session):
    saved = saved_case(qtbot, session)
    wizard = IntakeWizard(session, municipality(session), case_id=saved.case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    assert saved.case_number
    for step in (1, 5):
        wizard.go_to(step)
        assert saved.case_number in wizard.header.text()
        assert "鈴木 恵子" in wizard.header.text()
        assert "新しい相談" not in wizard.header.text()


BANNER = "【支援措置・追及注意】住所・居場所・連絡先・相談の有無を本人以外に伝えないでください。"


def test_follow_up_keeps_the_do_not_disclose_banner_on_every_step(qtbot, session):
    load_font()
    recent = dt.date.today() - dt.timedelta(days=30)
    saved = saved_case(qtbot, session, measure_on=recent, do_not_disclose=True)
    wizard = IntakeWizard(session, municipality(session), case_id=saved.case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    for step in (0, 2, 5, 9, 10):
        wizard.go_to(step)
        assert wizard.protect_banner.isVisible(), step
        assert wizard.protect_banner.text() == BANNER
    wizard.resize(1200, 850)
    wizard.go_to(4)
    qtbot.wait(50)  # the label widths are fitted once the layout has run
    shot(wizard, "intake_follow_up_header_banner")
    # Unticking the flag in this consultation does not hide the case's warning.
    wizard.go_to(9)
    wizard.pages[9].dnd.setChecked(False)
    wizard.go_to(4)
    assert wizard.protect_banner.text() == BANNER


def test_follow_up_banner_says_when_the_support_measure_has_lapsed(qtbot, session):
    lapsed = dt.date.today() - dt.timedelta(days=400)
    saved = saved_case(qtbot, session, measure_on=lapsed)
    wizard = IntakeWizard(session, municipality(session), case_id=saved.case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    for step in (1, 6):
        wizard.go_to(step)
        text = wizard.protect_banner.text()
        assert wizard.protect_banner.isVisible()
        assert "期限切れ" in text
        assert "追及注意" not in text
        assert "本人以外に伝えないでください" in text


def test_no_banner_without_a_measure_or_the_flag(qtbot, session):
    saved = saved_case(qtbot, session, do_not_disclose=True)
    wizard = IntakeWizard(session, municipality(session), case_id=saved.case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.go_to(3)
    assert wizard.protect_banner.text().startswith("【追及注意】")
    assert "支援措置" not in wizard.protect_banner.text()

    plain = saved_case(qtbot, session, name="佐藤 由美")
    other = IntakeWizard(session, municipality(session), case_id=plain.case_id)
    qtbot.addWidget(other)
    other.show()
    assert not other.protect_banner.isVisible()
    fresh = IntakeWizard(session, municipality(session))
    qtbot.addWidget(fresh)
    fresh.show()
    assert not fresh.protect_banner.isVisible()
