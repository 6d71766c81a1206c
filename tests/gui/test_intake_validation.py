"""The wizard shows the domain's validation, under the field it concerns, with its limits."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app.domain import validation
from intake_app.domain.model import Referral
from intake_app.gui.intake.steps.base import part_of
from tests.gui.intake_helpers import (
    fill_minimum,
    open_wizard,
    past,
    shot,
)

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
TODAY = dt.date.today().isoformat()


@pytest.fixture
def wizard(qtbot, session):
    """A wizard that would save, with one child and a referral to the legal counsel."""
    w = open_wizard(qtbot, session)
    fill_minimum(w)
    w.go_to(3)
    w.pages[3].add_child.click()
    w.pages[3].child_boxes[0].age.setText("7")
    row = w.pages[8].rows["legal"]
    row.selected.setChecked(True)
    row.consent.setChecked(True)
    row.method.setValue("verbal")
    row.consent_at.setText(past())
    assert w.problems() == []
    return w


def domain_messages(wizard, path):
    intake = wizard.collect()
    found = validation.validate_intake(intake, dt.date.today(), wizard.municipality)
    return [e.message for e in found if e.field == path]


def message_at(page, widget) -> str:
    """The message shown under ``widget`` ('' when none is visible)."""
    label = next(form.errors[widget] for form in page.forms if widget in form.errors)
    return label.text() if label.isVisibleTo(page) else ""


def step_of(wizard, path) -> int:
    return next(i for i, page in enumerate(wizard.pages) if part_of(path) in page.parts)


def child(w):
    return w.pages[3].child_boxes[0]


def legal(w):
    return w.pages[8].rows["legal"]


# (what to do through the widgets, the model path, the widget that must show it)
WRONG = [
    (lambda w: w.pages[1].started_at.setText(TOMORROW + " 09:00"), "consultation.started_at",
     lambda w: w.pages[1].started_at),
    (lambda w: w.pages[1].counselor.setText(""), "consultation.counselor",
     lambda w: w.pages[1].counselor),
    (lambda w: (w.pages[1].consulter.setValue("self"),
                w.pages[1].report_source.setValue("medical")),
     "consultation.report_source", lambda w: w.pages[1].report_source),
    (lambda w: w.pages[2].kana.setText("yamada"), "client.kana", lambda w: w.pages[2].kana),
    (lambda w: w.pages[2].dob.setText(TOMORROW), "client.date_of_birth", lambda w: w.pages[2].dob),
    (lambda w: w.pages[2].phone.setText("048ー123ー4567"), "client.safe_contact.phone",
     lambda w: w.pages[2].phone),
    (lambda w: w.pages[2].email.setText("hanako@"), "client.safe_contact.email",
     lambda w: w.pages[2].email),
    (lambda w: child(w).age.setText("18"), "household.children[0].age", lambda w: child(w).age),
    (lambda w: (child(w).lives_with.setValue(True), child(w).witnessed.setValue(True)),
     "household.child_notification.notified_to", lambda w: w.pages[3].notified_to),
    (lambda w: (w.pages[4].living_together.setValue(True), w.pages[4].separated_on.setText(TODAY)),
     "relationship.separated_on", lambda w: w.pages[4].separated_on),
    (lambda w: w.pages[4].perp_kana.setText("Sato"), "relationship.perpetrator_kana",
     lambda w: w.pages[4].perp_kana),
    (lambda w: w.pages[4].latest_on.setText(TOMORROW), "violence.latest_incident_on",
     lambda w: w.pages[4].latest_on),
    (lambda w: w.pages[5].judgement.setValue("low"), "risk.judgement",
     lambda w: w.pages[5].judgement),
    (lambda w: w.pages[5].judgement.setValue("high"), "risk.judgement_reason",
     lambda w: w.pages[5].judgement_reason),
    (lambda w: legal(w).method.setValue(None), "referrals[0].consent_method",
     lambda w: legal(w).method),
    (lambda w: legal(w).consent_at.setText(""), "referrals[0].consent_at",
     lambda w: legal(w).consent_at),
    (lambda w: legal(w).consent.setChecked(False), "referrals[0].consent",
     lambda w: legal(w).consent),
    (lambda w: w.pages[9].applied.setChecked(True), "address.applied_on",
     lambda w: w.pages[9].applied_on),
]  # fmt: skip


@pytest.mark.parametrize(("change", "path", "widget_of"), WRONG, ids=[c[1] for c in WRONG])
def test_a_wrong_value_shows_the_domains_message_under_its_field(wizard, change, path, widget_of):
    change(wizard)
    expected = domain_messages(wizard, path)
    assert len(expected) == 1, expected
    assert wizard.save() is False
    step = step_of(wizard, path)
    wizard.go_to(step)
    page, widget = wizard.pages[step], widget_of(wizard)
    assert message_at(page, widget) == expected[0]
    assert any(m == expected[0] for s, m in wizard.problems() if s == step)


def test_the_first_problem_is_opened_with_the_focus_at_its_field(wizard):
    wizard.go_to(0)
    child(wizard).age.setText("１８")  # full-width digits are read as numbers
    assert wizard.save() is False
    assert wizard.current_step() == 3
    assert wizard.focusWidget() is child(wizard).age
    assert message_at(wizard.pages[3], child(wizard).age) == (
        "子ども1人目の年齢: 0〜17の数字で入力してください"
    )
    shot(wizard, "intake_domain_message_child_age")


def test_text_a_widget_cannot_read_is_named_there_instead(wizard):
    child(wizard).age.setText("七歳")
    wizard.pages[2].dob.setText("1990-02-30")
    assert wizard.save() is False
    wizard.go_to(3)
    assert (
        message_at(wizard.pages[3], child(wizard).age) == "数字で入力してください（不明なら空欄）"
    )
    wizard.go_to(2)
    assert message_at(wizard.pages[2], wizard.pages[2].dob) == "存在しない日付です"


def test_while_typing_only_typed_mistakes_show(wizard):
    wizard.go_to(2)
    client = wizard.pages[2]
    client.name.setText("")
    client.kana.setText("yamada")
    assert message_at(client, client.kana) == "ふりがな: ひらがなかカタカナで入力してください"
    assert message_at(client, client.name) == "", "no nagging before a save attempt"


def test_every_field_the_domain_checks_has_a_widget_on_the_step_of_its_part(wizard):
    household = wizard.pages[3]
    child(wizard).witnessed.setValue(True)  # the notification's fields are shown
    intake = wizard.collect()
    for pattern in validation.CHECKED_FIELDS:
        path = pattern.replace("[]", "[0]")
        path = path.replace("violence.types.*", "violence.types.physical")
        path = path.replace("risk.answers.*", "risk.answers.R01")
        page = wizard.pages[step_of(wizard, path)]
        assert path in page.fields(intake), f"{path} has no widget on {page.title}"
    assert (
        household.notified_to
        is household.fields(intake)["household.child_notification.notified_to"]
    )


def test_a_problem_without_a_widget_of_its_own_shows_on_its_step(wizard, session):
    """A referral kept from an earlier consultation to a destination the municipality
    file no longer has: the domain refuses it and the counselor may untick it."""
    wizard.intake.referrals.insert(0, Referral("closed_office", consent=True))
    needs = wizard.pages[8]
    needs.load(wizard.intake)
    assert needs.extra_group.isVisibleTo(needs)
    assert wizard.save() is False
    assert wizard.current_step() == 8
    (kept, checkbox) = needs._extra[0]
    assert kept.destination_id == "closed_office"
    assert message_at(needs, checkbox) == "紹介1件目の紹介先: 設定にない紹介先です"
    checkbox.setChecked(False)
    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    assert [r.destination_id for r in saved.referrals] == ["legal"]


def test_an_answer_off_the_checklist_is_named_on_the_risk_step(wizard):
    wizard.intake.risk.answers["R99"] = True
    risk = wizard.pages[5]
    errors = validation.validate_intake(wizard.intake, dt.date.today(), wizard.municipality)
    problems = risk.problems(wizard.intake, errors)
    risk.show_problems(problems)
    assert risk.step_errors.isVisibleTo(risk)
    assert "「R99」" in risk.step_errors.text()


# --- one set of limits: each boundary through the widget against the domain's rule -------

AGE = validation.MAX_CHILD_AGE
LIMITS = [
    ("household.children[0].age", lambda w: child(w).age,
     [("0", True), (str(AGE), True), (str(AGE + 1), False), ("25", False), ("１７", True)]),
    ("client.kana", lambda w: w.pages[2].kana,
     [(t, validation.is_kana(t)) for t in ("やまだ", "ヤマダ ハナコ", "ﾔﾏﾀﾞ", "山田", "yamada")]),
    ("relationship.perpetrator_kana", lambda w: w.pages[4].perp_kana,
     [(t, validation.is_kana(t)) for t in ("さとう・いちろう", "サトー", "佐藤")]),
    ("client.safe_contact.phone", lambda w: w.pages[2].phone,
     [(t, validation.is_phone(t)) for t in ("048-123-4567", "０４８（１２３）４５６７", "048ー1")]),
    ("client.safe_contact.email", lambda w: w.pages[2].email,
     [("a@example.jp", True), ("a@example", False), ("a b@example.jp", False)]),
    ("client.date_of_birth", lambda w: w.pages[2].dob, [(TODAY, True), (TOMORROW, False)]),
    ("consultation.started_at", lambda w: w.pages[1].started_at,
     [(TODAY + " 23:59", True), (TOMORROW + " 00:00", False)]),
    ("referrals[0].consent_at", lambda w: legal(w).consent_at,
     [(TODAY + " 23:59", True), (TOMORROW + " 00:00", False)]),
    ("address.applied_on", lambda w: w.pages[9].applied_on, [(TODAY, True), (TOMORROW, False)]),
]  # fmt: skip


@pytest.mark.parametrize(("path", "widget_of", "values"), LIMITS, ids=[c[0] for c in LIMITS])
def test_the_wizard_and_the_domain_agree_on_every_limit(wizard, path, widget_of, values):
    step = step_of(wizard, path)
    widget = widget_of(wizard)
    for text, accepted in values:
        widget.setText(text)
        domain = domain_messages(wizard, path)
        assert (domain == []) is accepted, (text, domain)
        if accepted:
            assert wizard.problems() == [], text
            continue
        assert wizard.save() is False, text
        wizard.go_to(step)
        assert message_at(wizard.pages[step], widget) == domain[0], text


def test_the_report_source_and_the_main_complaint_are_saved_with_the_consultation(wizard):
    """rules.md §10: a 通報 from a doctor, 主訴 夫等からの暴力, as the official return counts."""
    step = wizard.pages[1]
    step.consulter.setValue("agency")
    step.report_source.setValue("medical")
    step.main_complaint.setValue("spouse")
    labels = [step.main_complaint.itemText(i) for i in range(step.main_complaint.count())]
    assert labels[1:3] == ["夫等からの暴力", "交際相手等からの暴力"]
    consultation = wizard.collect().consultation
    assert (consultation.report_source, consultation.main_complaint) == ("medical", "spouse")
    assert wizard.problems() == []
