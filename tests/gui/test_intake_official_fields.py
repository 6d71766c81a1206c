"""The intake fields the official papers need (issue 17), on the real wizard: typed in
their step, kept in the draft, checked with a Japanese message at the field."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import FAST_KDF_ENV, load_font, municipality, open_session, past


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


def fill_new_fields(wizard):
    household = wizard.pages[3]
    wizard.go_to(3)
    household.add_child.click()
    box = household.child_boxes[0]
    box.age.setText("7")
    box.lives_with.setValue(False)
    box.with_perpetrator.setValue(True)
    box.witnessed.setValue(True)
    box.school.setText("蕨市立見本小学校")
    box.sex.setValue("male")
    box.birth.setText("2019-04-02")
    box.relation.setValue("stepfather")
    box.whereabouts.setText("加害者の自宅")
    household.notified_to.setEditText("子ども未来課")
    household.notified_at.setText(past())
    household.method.setValue("電話")
    household.received_by.setText("子ども未来課　山田")
    violence = wizard.pages[4]
    wizard.go_to(4)
    violence.perp_name.setText("佐藤 一郎")
    violence.perp_birth.setText("1986-07-15")
    violence.perp_age.setText("40")
    violence.perp_address.setText("蕨市中央1-2-3")
    violence.perp_weapons.setText("包丁で脅したことがある")
    violence.perp_vehicle.setText("白の軽自動車")
    shelter = wizard.pages[6]
    wizard.go_to(6)
    shelter.whereabouts_confirmed.setChecked(True)
    shelter.transport.setValue("police")
    shelter.transport_note.setText("蕨警察署の車両で移送")
    shelter.health.setText("高血圧で通院中")
    shelter.medication.setText("降圧剤を3日分所持")
    shelter.money.setText("約2万円")
    shelter.insurance.setValue("employee_dependant")
    shelter.insurance_card.setValue(False)


def test_every_new_field_is_kept_in_the_draft_and_shown_again(make_wizard):
    wizard = make_wizard()
    fill_new_fields(wizard)
    draft_id = wizard.save_draft_now()
    assert draft_id is not None
    again = make_wizard(draft_id=draft_id)
    intake = again.collect()
    child = intake.household.children[0]
    assert (child.sex, child.date_of_birth) == ("male", dt.date(2019, 4, 2))
    assert (child.abuser_relation, child.whereabouts) == ("stepfather", "加害者の自宅")
    assert child.school == "蕨市立見本小学校"
    assert intake.household.child_notification.received_by == "子ども未来課　山田"
    r = intake.relationship
    assert r.perpetrator_date_of_birth == dt.date(1986, 7, 15)
    assert r.perpetrator_age == 40
    assert r.perpetrator_address == "蕨市中央1-2-3"
    assert r.perpetrator_weapons == "包丁で脅したことがある"
    assert r.perpetrator_vehicle == "白の軽自動車"
    s = intake.shelter
    assert s.whereabouts_confirmed is True
    assert (s.transport, s.transport_note) == ("police", "蕨警察署の車両で移送")
    assert (s.health, s.medication, s.money) == ("高血圧で通院中", "降圧剤を3日分所持", "約2万円")
    assert (s.insurance, s.insurance_card) == ("employee_dependant", False)
    box = again.pages[3].child_boxes[0]
    assert box.relation.currentText() == "継父（母の再婚相手）"
    assert again.pages[3].received_by.text() == "子ども未来課　山田"
    assert again.pages[6].insurance.currentText() == "健康保険（被扶養者）"
    assert again.pages[4].perp_vehicle.text() == "白の軽自動車"


def test_a_wrong_date_of_birth_or_age_is_named_at_its_field(make_wizard):
    wizard = make_wizard()
    fill_new_fields(wizard)
    box = wizard.pages[3].child_boxes[0]
    box.birth.setText("2000-01-01")  # 18 or older
    violence = wizard.pages[4]
    violence.perp_birth.setText("2999-01-01")
    violence.perp_age.setText("130")
    wizard.save()
    wizard.go_to(3)
    assert "18歳以上になる日付です" in box.form.errors[box.birth].text()
    wizard.go_to(4)
    form = violence.forms[0]
    assert form.errors[violence.perp_birth].text() == "相手の生年月日: 未来の日付は入力できません"
    assert "0〜120の数字" in form.errors[violence.perp_age].text()
