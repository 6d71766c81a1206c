"""Follow-up consultations: pre-filled, only changes asked, risk re-assessed with history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    fill_minimum,
    load_font,
    municipality,
    open_session,
    shot,
)


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


def first_intake(qtbot, session):
    w = IntakeWizard(session, municipality(session))
    qtbot.addWidget(w)
    fill_minimum(w, name="鈴木 恵子")
    w.pages[2].kana.setText("すずき けいこ")
    w.pages[4].rel_type.setValue("legal_spouse")
    w.pages[5].items["R01"].setValue(True)  # one red flag → 高
    w.pages[5].items["R05"].setValue(True)
    assert w.save() is True
    return w.saved_case_id


def test_follow_up_keeps_the_risk_history(qtbot, session):
    load_font()
    case_id = first_intake(qtbot, session)
    assert [r.final for r in session.records.open_case(case_id).risk_history] == ["high"]

    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    wizard.resize(1200, 850)
    wizard.show()
    qtbot.waitExposed(wizard)

    # Pre-filled from the latest state; safety and the contact itself are asked anew.
    assert wizard.pages[2].name.text() == "鈴木 恵子"
    assert wizard.pages[4].rel_type.value() == "legal_spouse"
    assert wizard.pages[0].safe_now.value() is None
    assert wizard.pages[1].channel.value() is None
    assert wizard.pages[5].items["R01"].value() is True

    # Steps that did not change are confirmed in one key press each.
    wizard.go_to(2)
    assert wizard.follow_banner.isVisible()
    assert "前回の回答" in wizard.follow_banner.text()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_step() == 3
    assert "確認済" in wizard.step_list.item(2).text()

    # The risk is re-assessed, and the earlier assessment is shown.
    wizard.go_to(5)
    assert "これまでの評価" in wizard.pages[5].history.text()
    assert "高" in wizard.pages[5].history.text()
    assert "変更あり" not in wizard.step_list.item(5).text()
    wizard.pages[5].items["R02"].setValue(True)  # second red flag → 緊急
    assert "緊急" in wizard.pages[5].result.text()
    assert "変更あり" in wizard.step_list.item(5).text(), "the changed step is marked"
    assert "変更あり" not in wizard.step_list.item(4).text()
    shot(wizard, "intake_follow_up_risk")
    wizard.pages[1].channel.setValue("phone")
    assert wizard.save() is True
    assert wizard.saved_case_id == case_id, "the follow-up is recorded on the same case"

    case = session.records.open_case(case_id)
    assert [r.final for r in case.risk_history] == ["high", "urgent"]
    assert len(case.consultations) == 2
    latest = session.records.latest_intake(case_id)
    assert latest.risk.answers["R02"] is True
    assert latest.client.kana == "すずき けいこ"


def test_follow_up_draft_resumes_as_follow_up(qtbot, session):
    case_id = first_intake(qtbot, session)
    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    wizard.pages[1].content.setPlainText("前回からの変化を確認")
    draft_id = wizard.save_draft_now()
    again = IntakeWizard(session, municipality(session), draft_id=draft_id)
    qtbot.addWidget(again)
    assert again.case_id == case_id
    assert again.follow_up is True
    assert again.pages[1].content.text() == "前回からの変化を確認"


def test_wizard_keys_work_inside_the_main_window(qtbot, session):
    from intake_app.gui.main_window import MainWindow

    case_id = first_intake(qtbot, session)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    wizard = window.open_intake(case_id=case_id)
    assert isinstance(wizard, IntakeWizard)
    wizard.go_to(2)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_step() == 3, "Alt+Y is not taken by the main window"
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert wizard.current_step() == 4
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_step() == 9


def test_phone_follow_up_keeps_the_earlier_visit_as_prior_consultation(qtbot, session):
    case_id = first_intake(qtbot, session)
    assert session.records.latest_intake(case_id).consultation.channel in ("visit", "accompanied")

    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    wizard.pages[1].channel.setValue("phone")
    wizard.pages[7].mind.setValue(True)
    wizard.go_to(7)

    assert wizard.pages[7].earlier.value() is True
    text = wizard.pages[7].advice.text()
    assert "以前の来所相談" in text
    assert "公証人面前宣誓供述書が必要" not in text
    assert wizard.save() is True
    latest = session.records.latest_intake(case_id)
    assert latest.consultation.channel == "phone"
    assert latest.protection_order.earlier_in_person is True


def test_follow_up_marks_only_what_she_changed_and_sums_it_up(qtbot, session):
    case_id = first_intake(qtbot, session)  # 来所: counts as the earlier consultation
    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    # The automatic carry-over (第12条) is not a change she made.
    assert wizard.pages[7].earlier.value() is True
    assert wizard.changed_steps() == set()
    assert all("変更あり" not in wizard.step_list.item(i).text() for i in range(11))

    wizard.go_to(5)
    wizard.pages[5].items["R02"].setValue(True)  # second red flag → 緊急
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert summary.index("前回からの変更") < summary.index("緊急・重要")
    assert "危険度: 前回（risk-v2）「高」 → 今回（risk-v2）「緊急」" in summary
    assert "変更したステップ: 5 リスク評価" in summary
    assert "7 保護命令" not in summary.split("緊急・重要")[0]


def test_follow_up_summary_says_when_nothing_changed(qtbot, session):
    case_id = first_intake(qtbot, session)
    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "危険度: 前回（risk-v2）「高」 → 今回（risk-v2）「高」" in summary
    assert "変更したステップ: なし" in summary


def test_a_follow_up_on_a_pursued_case_starts_with_r19_yes_and_says_why(qtbot, session):
    """Issue 18: the case's 追及 log answers R19 「はい」 (a red flag) with its reason."""
    import datetime as dt

    from intake_app.domain.tracking import PursuitEntry

    case_id = first_intake(qtbot, session)
    asked = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    session.tracking.add_pursuit(case_id, PursuitEntry(asked, "市民課窓口", "名乗らず", "none"))
    wizard = IntakeWizard(session, municipality(session), case_id=case_id)
    qtbot.addWidget(wizard)
    assert wizard.pages[5].items["R19"].value() is True
    wizard.go_to(5)
    assert "追及の記録が1件" in wizard.follow_banner.text()
    assert "R19" in wizard.follow_banner.text()
