"""Safety behaviour of the intake wizard, on real widgets with an injected session."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    fill_minimum,
    load_font,
    municipality,
    open_session,
    past,
    shot,
    type_japanese,
)


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


@pytest.fixture
def make_wizard(qtbot, session):
    load_font()

    def make(**kwargs):
        w = IntakeWizard(session, municipality(session), **kwargs)
        qtbot.addWidget(w)
        w.resize(1200, 850)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def add_witnessing_child(wizard):
    household = wizard.pages[3]
    wizard.go_to(3)
    household.add_child.click()
    box = household.child_boxes[0]
    box.age.setText("7")
    box.lives_with.setValue(True)
    box.witnessed.setValue(True)
    return household


def test_urgent_banner_persists_across_every_step(make_wizard):
    wizard = make_wizard()
    assert not wizard.urgent_visible()
    wizard.pages[0].perpetrator_nearby.setValue(True)
    for step in range(11):
        wizard.go_to(step)
        assert wizard.current_step() == step
        assert wizard.urgent_visible(), f"banner gone on step {step}"
        assert "110番" in wizard.banner.text()
        assert "119番" in wizard.banner.text()
        assert "安全な部屋" in wizard.banner.text()
    shot(wizard, "intake_banner_on_summary")
    wizard.go_to(0)
    wizard.pages[0].perpetrator_nearby.setValue(False)
    assert not wizard.urgent_visible()
    wizard.pages[0].children_safe.setValue(False)
    wizard.go_to(7)
    assert wizard.urgent_visible()
    assert "子どもが安全ではない" in wizard.banner.text()


def test_child_notification_cannot_be_skipped(make_wizard, session):
    wizard = make_wizard()
    fill_minimum(wizard)
    household = add_witnessing_child(wizard)
    assert household.notice.isVisible()
    assert "児童虐待防止法第6条" in household.notice_text.text()
    shot(wizard, "intake_child_notification_required")

    wizard.go_to(10)
    assert wizard.save() is False
    assert wizard.current_step() == 3, "the counselor is taken to the notification"
    errors = [
        form.errors[household.notified_to]
        for form in household.forms
        if household.notified_to in form.errors
    ]
    assert errors and errors[0].isVisible()
    assert "通告先を入力してください" in errors[0].text()
    assert session.records.search("山田") == []
    shot(wizard, "intake_child_notification_blocking")

    household.notified_to.setEditText("子ども未来課")
    household.notified_at.setText(past())
    household.method.setValue("電話")
    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    assert saved.household.child_notification.notified_to == "子ども未来課"


def test_notification_recorded_only_partly_still_blocks(make_wizard):
    wizard = make_wizard()
    fill_minimum(wizard)
    household = add_witnessing_child(wizard)
    household.notified_to.setEditText("児童相談所")
    assert wizard.save() is False
    messages = [m for step, m in wizard.problems() if step == 3]
    assert any("日時" in m for m in messages)
    assert any("方法" in m for m in messages)


def test_raising_the_risk_level_needs_a_reason(make_wizard):
    wizard = make_wizard()
    fill_minimum(wizard)
    risk = wizard.pages[5]
    wizard.go_to(5)
    risk.judgement.setValue("high")
    assert wizard.save() is False
    assert wizard.current_step() == 5
    assert any("理由" in m for _s, m in wizard.problems())
    risk.judgement_reason.setFocus()
    type_japanese(risk.judgement_reason, "加害者が本人の避難先を探している")
    assert "加害者が本人の避難先を探している" in risk.result.text()
    assert "高" in risk.result.text()
    assert wizard.save() is True


def test_field_validation_shows_japanese_message_at_the_field(make_wizard):
    wizard = make_wizard()
    client = wizard.pages[2]
    wizard.go_to(2)
    client.kana.setText("yamada")
    client.dob.setText("1990-02-30")
    client.email.setText("not-an-address")
    wizard.save()
    assert wizard.current_step() == 1  # the first problem: 相談方法
    wizard.go_to(2)
    form = client.forms[0]
    assert form.errors[client.name].text().startswith("氏名: 氏名を入力するか")
    assert "ひらがな" in form.errors[client.kana].text()
    assert form.errors[client.dob].text() == "存在しない日付です"
    contact_form = client.forms[1]
    assert "メールアドレス" in contact_form.errors[client.email].text()
    shot(wizard, "intake_field_errors")


def test_anonymous_consultation_saves_without_a_name(make_wizard, session):
    wizard = make_wizard()
    fill_minimum(wizard)
    client = wizard.pages[2]
    client.name.setText("")
    client.anonymous.setChecked(True)
    assert not client.name.isEnabled()
    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    assert saved.client.anonymous is True
    assert saved.client.name == ""


def test_whereabouts_is_marked_sensitive(make_wizard):
    wizard = make_wizard()
    client = wizard.pages[2]
    where = client.forms[2]
    assert client.whereabouts in where.sensitive and client.address in where.sensitive
    assert client.name not in client.forms[0].sensitive
    notes = [lab.text() for lab in where.findChildren(QLabel, "sensitiveNote")]
    assert len(notes) == 2 and all("機微情報" in t for t in notes)


def test_unknown_is_offered_everywhere_a_client_may_not_answer(make_wizard):
    wizard = make_wizard()
    from intake_app.gui.intake.widgets import TriCombo

    combos = [c for page in wizard.pages for c in page.findChildren(TriCombo)]
    assert len(combos) > 30
    assert all(c.itemText(0) == "不明・回答なし" and c.value() is None for c in combos)


def test_typing_keeps_a_debounced_encrypted_draft(make_wizard, session, qtbot):
    wizard = make_wizard()
    wizard.go_to(2)
    wizard.pages[2].name.setFocus()
    type_japanese(wizard.pages[2].name, "佐藤 陽子")
    assert session.records.list_drafts() == [], "not on every keystroke"
    qtbot.waitUntil(lambda: len(session.records.list_drafts()) == 1, timeout=3000)
    draft = session.records.list_drafts()[0]
    assert draft.client_name == "佐藤 陽子"
    assert draft.step == 2


def test_lock_path_keeps_the_draft_and_rebuilds_it(make_wizard, session):
    wizard = make_wizard()
    assert wizard.save_draft_now() is None, "nothing entered: no draft"
    wizard.go_to(4)
    wizard.pages[4].perp_name.setFocus()
    type_japanese(wizard.pages[4].perp_name, "佐藤 一郎")
    wizard.pages[0].safe_now.setValue(False)
    wizard.go_to(4)
    draft_id = wizard.save_draft_now()  # what the lock path calls, mid-edit
    assert draft_id is not None
    wizard.deleteLater()

    again = make_wizard(draft_id=draft_id)
    assert again.current_step() == 4
    assert again.pages[4].perp_name.text() == "佐藤 一郎"
    assert again.urgent_visible(), "the banner comes back with the draft"
    again.pages[4].perp_kana.setText("さとう いちろう")
    assert again.save_draft_now() == draft_id, "the same draft is updated"
    assert len(session.records.list_drafts()) == 1


def test_saving_writes_one_consultation_and_removes_the_draft(make_wizard, session):
    wizard = make_wizard()
    fill_minimum(wizard)
    wizard.pages[1].content.setPlainText("夫からの暴力について来所相談")
    draft_id = wizard.save_draft_now()
    assert draft_id is not None
    with_signal = []
    wizard.finished.connect(with_signal.append)
    wizard.go_to(10)
    wizard.pages[10].save.click()
    assert with_signal == [True]
    assert session.records.list_drafts() == []
    case = session.records.open_case(wizard.saved_case_id)
    assert len(case.consultations) == 1


def test_summary_puts_urgent_items_first(make_wizard):
    wizard = make_wizard()
    fill_minimum(wizard)
    wizard.pages[5].items["R01"].setValue(True)
    wizard.pages[5].items["R03"].setValue(True)
    wizard.pages[9].dnd.setChecked(True)
    wizard.go_to(10)
    text = wizard.pages[10].view.toPlainText()
    assert text.index("緊急・重要") < text.index("相談")
    assert "リスク: 緊急" in text
    assert text.index("追及注意") < text.index("本人")


def test_every_recommendation_shows_its_rule(make_wizard):
    wizard = make_wizard()
    fill_minimum(wizard)
    wizard.pages[5].items["R01"].setValue(True)
    for step in (5, 6, 7):
        wizard.go_to(step)
    assert "根拠" in wizard.pages[5].result.text()
    assert "根拠" in wizard.pages[6].advice.text()
    assert "根拠" in wizard.pages[7].advice.text()


def test_step_shortcuts(make_wizard, qtbot):
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.keyClick(wizard.pages[0].safe_now, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_step() == 7
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert wizard.current_step() == 6
    wizard.step_list.setFocus()
    qtbot.keyClick(wizard.step_list, Qt.Key.Key_Down)
    qtbot.keyClick(wizard.step_list, Qt.Key.Key_Down)
    assert wizard.current_step() == 8
    assert wizard.step_list.hasFocus(), "browsing the list keeps the focus in the list"
    qtbot.keyClick(wizard.step_list, Qt.Key.Key_Return)
    assert wizard.focusWidget() is wizard.pages[8].first_input()


def test_a_wrongly_typed_date_is_flagged_while_typing(make_wizard):
    wizard = make_wizard()
    client = wizard.pages[2]
    wizard.go_to(2)
    client.dob.setText("1990-13-01")
    err = client.forms[0].errors[client.dob]
    assert err.isVisibleTo(wizard) and err.text() == "存在しない日付です"
    assert not client.forms[0].errors[client.name].text(), "no nagging before a save attempt"
    client.dob.setText("1990-12-01")
    assert not err.isVisibleTo(wizard)


def test_ctrl_s_saves_or_shows_what_is_missing(make_wizard, qtbot, session):
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    wizard.go_to(9)
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wizard.current_step() == 1, "taken to the first problem"
    assert "保存できません" in wizard.status.text()
    fill_minimum(wizard)
    with qtbot.waitSignal(wizard.finished, timeout=2000) as finished:
        qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert finished.args == [True]


def test_typing_the_notification_destination_is_kept_in_the_draft(make_wizard, session, qtbot):
    wizard = make_wizard()
    household = add_witnessing_child(wizard)
    household.notified_to.setFocus()
    type_japanese(household.notified_to, "児童相談所")
    qtbot.waitUntil(lambda: wizard.draft_id is not None, timeout=3000)
    qtbot.waitUntil(lambda: not wizard._draft_timer.isActive(), timeout=3000)
    draft = session.records.load_draft(wizard.draft_id)
    assert draft.data["household"]["child_notification"]["notified_to"] == "児童相談所"


def test_referrals_need_consent_except_the_child_notification(make_wizard, session):
    wizard = make_wizard()
    fill_minimum(wizard)
    household = add_witnessing_child(wizard)
    household.notified_to.setEditText("子ども未来課")
    household.notified_at.setText(past())
    household.method.setValue("電話")
    needs = wizard.pages[8]
    child_dest = next(d for d, r in needs.rows.items() if r.dest.kind == "child_department")
    other = next(d for d, r in needs.rows.items() if r.dest.kind == "legal")
    needs.rows[child_dest].selected.setChecked(True)
    needs.rows[other].selected.setChecked(True)
    wizard.go_to(8)
    assert wizard.save() is False
    messages = [m for step, m in wizard.problems() if step == 8]
    legal = "紹介2件目（法律相談（市の弁護士・司法書士相談））の"
    assert messages == [legal + "本人の同意: 同意を得てから紹介してください"], messages
    assert "同意は不要" in needs.rows[child_dest].reasons.text()
    needs.rows[other].consent.setChecked(True)
    needs.rows[other].method.setValue("verbal")
    assert wizard.save() is False, "consent is recorded with its time (rules.md §7)"
    row = needs.rows[other]
    assert row.form.errors[row.consent_at].text() == (
        legal + "同意の日時: 同意を得た日時を記録してください"
    )
    assert wizard.focusWidget() is row.consent_at
    row.consent_at.setText(past())
    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    by_id = {r.destination_id: r for r in saved.referrals}
    assert by_id[child_dest].mandatory is True and by_id[child_dest].consent is False
    assert by_id[other].consent is True and by_id[other].consent_method == "verbal"


def test_a_full_disk_says_so_and_keeps_the_draft(make_wizard, session, monkeypatch):
    from intake_app.store.errors import DiskFull

    wizard = make_wizard()
    fill_minimum(wizard)

    def full(*args, **kwargs):
        raise DiskFull()

    monkeypatch.setattr(session.records, "save_intake", full)
    assert wizard.save() is False
    assert "ディスクの空き" in wizard.status.text()
    assert wizard.error_box is not None and wizard.error_box.isVisible()
    assert "ディスクの空き" in wizard.error_box.text()
    drafts = session.records.list_drafts()
    assert [d.client_name for d in drafts] == ["山田 花子"], "the answers stay as a draft"
    wizard.error_box.close()


def test_a_draft_that_is_gone_starts_a_new_intake(make_wizard, session):
    wizard = make_wizard()
    wizard.pages[2].name.setText("消える 下書き")
    draft_id = wizard.save_draft_now()
    session.records.delete_draft(draft_id)
    again = make_wizard(draft_id=draft_id)
    assert again.pages[2].name.text() == ""
    assert "下書きが見つからなかった" in again.status.text()


def test_risk_step_points_at_items_earlier_answers_suggest(make_wizard):
    wizard = make_wizard()
    wizard.pages[0].injury.setValue(True)
    wizard.pages[4].tracking.setValue(True)
    wizard.go_to(5)
    risk = wizard.pages[5]
    assert risk.hints.isVisibleTo(wizard)
    assert "R14（けが）" in risk.hints.text() and "R08" in risk.hints.text()
    assert risk.items["R14"].value() is None, "a hint, not an answer"
    risk.items["R14"].setValue(True)
    assert "R14" not in risk.hints.text()


def test_a_recorded_notification_survives_resuming_the_draft(make_wizard):
    wizard = make_wizard()
    household = add_witnessing_child(wizard)
    household.notified_to.setEditText("埼玉県南児童相談所")
    household.notified_at.setText(past())
    household.method.setValue("書面")
    draft_id = wizard.save_draft_now()
    again = make_wizard(draft_id=draft_id)
    again.go_to(3)
    h = again.pages[3]
    assert h.notice.isVisible()
    assert h.notified_to.currentText() == "埼玉県南児童相談所"
    assert h.method.value() == "書面"
    assert not [m for step, m in again.problems() if step == 3]
    assert again.save_draft_now() == draft_id
    assert again.intake.household.child_notification.notified_to == "埼玉県南児童相談所"
