"""The six violence types: なかった and 不明・回答なし are different answers."""

from __future__ import annotations

import pytest

from intake_app.domain.model import Intake
from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import FAST_KDF_ENV, fill_minimum, municipality, open_session


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


def test_each_type_offers_not_answered_did_not_happen_and_the_frequencies(qtbot, session):
    wizard = IntakeWizard(session, municipality(session))
    qtbot.addWidget(wizard)
    combo = wizard.pages[4].types["sexual"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "不明・回答なし",
        "なかった",
        "1・2度あった",
        "何度もあった",
    ]
    assert combo.value() is None


def test_did_not_happen_is_kept_apart_from_not_answered(qtbot, session):
    wizard = IntakeWizard(session, municipality(session))
    qtbot.addWidget(wizard)
    fill_minimum(wizard)
    types = wizard.pages[4].types
    types["physical"].setCurrentIndex(3)  # 何度もあった
    types["sexual"].setCurrentIndex(1)  # なかった
    types["economic"].setCurrentIndex(1)  # なかった
    intake = wizard.collect()
    assert intake.violence.types == {"physical": "repeated"}
    assert intake.violence.absent == ["sexual", "economic"]

    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "あった: 身体的暴力（何度もあった）" in summary
    assert "なかった: 性的暴力、経済的暴力" in summary
    assert "不明・回答なし: 精神的暴力、社会的暴力、子どもを利用した暴力" in summary

    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    assert saved.violence.types == {"physical": "repeated"}
    assert saved.violence.absent == ["sexual", "economic"]

    follow = IntakeWizard(session, municipality(session), case_id=wizard.saved_case_id)
    qtbot.addWidget(follow)
    assert follow.pages[4].types["sexual"].currentText() == "なかった"
    assert follow.pages[4].types["psychological"].currentText() == "不明・回答なし"
    assert follow.pages[4].types["physical"].currentText() == "何度もあった"


def test_nothing_answered_reads_not_answered_in_the_summary(qtbot, session):
    wizard = IntakeWizard(session, municipality(session))
    qtbot.addWidget(wizard)
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "不明・回答なし: 身体的暴力" in summary
    assert "なかった:" not in summary
    assert Intake().violence.absent == []
