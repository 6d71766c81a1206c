"""Printing from the wizard: slips and papers built in memory, previewed, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from intake_app.domain.model import LABELS
from intake_app.gui import client_papers, print_preview
from intake_app.gui.client_papers import ClientPaperChoice
from intake_app.gui.intake import IntakeWizard
from intake_app.store.outputs import Output
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    fill_minimum,
    municipality,
    open_session,
    past,
    pdf_pages,
)

CANARY_PERPETRATOR = "カナリア加害者名"
CANARY_WHEREABOUTS = "カナリア避難先荘"
CANARY_ADDRESS = "カナリア市本町1-2-3"


@dataclass
class Preview:
    parent: Any
    pdf: bytes
    title: str
    on_output: Any
    suggested_name: str

    @property
    def text(self) -> str:
        return "".join(pdf_pages(self.pdf))


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


@pytest.fixture
def session(tmp_path):
    s = open_session(tmp_path)
    yield s
    s.close()


@pytest.fixture
def previews(monkeypatch) -> list[Preview]:
    """Every preview the wizard opens (the real dialog is not shown)."""
    opened: list[Preview] = []

    def fake(parent, pdf_bytes, title, on_output=None, *, suggested_name=""):
        opened.append(Preview(parent, pdf_bytes, title, on_output, suggested_name))
        return None

    monkeypatch.setattr(print_preview, "show_preview", fake)
    return opened


@pytest.fixture(autouse=True)
def asked(monkeypatch) -> list[tuple[str, str]]:
    """The print-time choices of the client's papers: Japanese, the neutral wording
    (the dialog itself is tested in test_client_paper_dialog.py)."""
    calls: list[tuple[str, str]] = []

    def fake(parent, kind, *, language="ja", reviews=None, appointment=None, title=""):
        calls.append((kind, language))
        return ClientPaperChoice()

    monkeypatch.setattr(client_papers, "ask_client_paper", fake)
    return calls


@pytest.fixture
def wizard(qtbot, session):
    w = make(qtbot, session)
    fill_client(w)
    return w


def with_phone(session):
    """The vault's municipality with the centre's phone the shipped file leaves empty."""
    from intake_app.documents.samples import sample_municipality
    from intake_app.domain.municipality import resolve_municipality

    return sample_municipality(resolve_municipality(municipality(session)))


def make(qtbot, session, **kwargs):
    w = IntakeWizard(session, with_phone(session), **kwargs)
    qtbot.addWidget(w)
    w.resize(1200, 850)
    w.show()
    qtbot.waitExposed(w)
    return w


def fill_client(w) -> None:
    fill_minimum(w)
    client = w.pages[2]
    client.kana.setText("やまだ はなこ")
    client.address.setText(CANARY_ADDRESS)
    client.fled.setValue(True)
    client.whereabouts.setText(CANARY_WHEREABOUTS)
    w.pages[4].rel_type.setValue("legal_spouse")
    w.pages[4].perp_name.setText(CANARY_PERPETRATOR)


def choose(w, destination_id: str, *, consent: bool = True):
    needs = w.pages[8]
    w.go_to(8)
    row = needs.rows[destination_id]
    row.selected.setChecked(True)
    row.purpose.setText("法律相談の予約")
    if consent:
        row.consent.setChecked(True)
        row.method.setValue("verbal")
        row.consent_at.setText(past())
    return row


def test_slip_prints_only_the_whitelisted_fields(wizard, previews):
    row = choose(wizard, "legal")  # whitelist: name, kana, relationship, needs
    assert row.print_slip.isVisibleTo(wizard)
    assert not row.whereabouts.isVisibleTo(wizard), "legal may not receive the whereabouts"
    assert row.print_slip.button.accessibleName() == f"{row.dest.name}への連絡票を印刷"
    row.print_slip.button.click()
    assert len(previews) == 1
    slip = previews[0]
    assert slip.parent is wizard
    assert "連絡票" in slip.title and "法律相談" in slip.title
    text = slip.text
    assert "山田花子" in text and "やまだはなこ" in text
    assert LABELS["relationship"]["legal_spouse"] in text
    for canary in (CANARY_PERPETRATOR, CANARY_WHEREABOUTS, CANARY_ADDRESS):
        assert canary not in text, canary
    assert "山田" not in slip.suggested_name, "no personal data in the file name"


def test_whereabouts_need_the_counselors_confirmation(wizard, previews):
    row = choose(wizard, "police")  # whitelist allows the address and the whereabouts
    assert row.whereabouts.isVisibleTo(wizard)
    row.print_slip.button.click()
    assert CANARY_WHEREABOUTS not in previews[-1].text
    assert CANARY_ADDRESS not in previews[-1].text
    assert CANARY_PERPETRATOR in previews[-1].text, "whitelisted for the police"
    row.whereabouts.setChecked(True)
    row.print_slip.button.click()
    assert CANARY_WHEREABOUTS in previews[-1].text
    assert CANARY_ADDRESS in previews[-1].text
    referral = next(r for r in wizard.intake.referrals if r.destination_id == "police")
    assert referral.whereabouts_confirmed is True


def test_a_slip_without_consent_is_refused_at_the_button(wizard, previews):
    row = choose(wizard, "legal", consent=False)
    row.print_slip.button.click()
    assert previews == [], "no preview without the client's consent"
    assert row.print_slip.message.isVisibleTo(wizard)
    assert "同意" in row.print_slip.message.text()
    assert "同意" in row.print_slip.button.accessibleDescription()
    # Consent without its time is still refused, naming what is missing.
    row.consent.setChecked(True)
    row.method.setValue("written")
    row.print_slip.button.click()
    assert previews == []
    assert "同意の日時" in row.print_slip.message.text()
    row.consent_at.setText(past())
    row.print_slip.button.click()
    assert len(previews) == 1
    assert not row.print_slip.message.isVisibleTo(wizard), "the refusal goes once it prints"


def test_printing_is_recorded_in_the_audit_log(qtbot, session, previews):
    first = make(qtbot, session)
    fill_client(first)
    assert first.save() is True
    case_id = first.saved_case_id
    follow_up = make(qtbot, session, case_id=case_id)
    follow_up.pages[1].channel.setValue("visit")
    choose(follow_up, "legal").print_slip.button.click()
    assert len(previews) == 1
    before = [e for e in session.audit_entries(50) if e.action == "print"]
    assert before == [], "opening the preview is not a print"
    previews[0].on_output(Output("print", "1", 1, printer="office-laser"))
    prints = [e for e in session.audit_entries(50) if e.action == "print"]
    assert [e.object_id for e in prints] == [f"case:{case_id}:referral_slip"]
    assert prints[0].user_name == "tanaka"
    assert prints[0].detail == "printer=office-laser; copies=1; pages=1/1"
    assert "山田" not in str(prints[0].detail or "")


def test_child_notification_slip_and_record_need_no_consent(wizard, previews):
    household = wizard.pages[3]
    wizard.go_to(3)
    household.add_child.click()
    box = household.child_boxes[0]
    box.name.setText("ゆい")
    box.age.setText("7")
    box.lives_with.setValue(True)
    box.witnessed.setValue(True)
    household.notified_to.setEditText("子ども未来課")
    household.notified_at.setText(past())
    household.method.setValue("電話")
    row = choose(wizard, "kodomo_mirai", consent=False)
    row.print_slip.button.click()
    assert len(previews) == 1, row.print_slip.message.text()
    assert "同意を要しません" in previews[0].text
    assert CANARY_PERPETRATOR not in previews[0].text
    needs = wizard.pages[8]
    wizard.go_to(8)
    assert needs.print_notification.isVisibleTo(wizard)
    needs.print_notification.button.click()
    assert previews[-1].title == "児童に関する通告の記録"
    assert "ゆい" in previews[-1].text


def test_shelter_request_and_safety_plan(wizard, previews):
    shelter = wizard.pages[6]
    wizard.go_to(6)
    assert not shelter.print_request.isVisibleTo(wizard), "only once a request is made"
    shelter.wish.setValue("wishes")
    shelter.requested.setChecked(True)
    assert shelter.print_request.isVisibleTo(wizard)
    assert shelter.print_request.button.text() == "一時保護依頼票"
    shelter.print_request.button.click()
    assert previews[-1].title == "一時保護依頼票"
    assert "一時保護依頼票" in previews[-1].text
    assert CANARY_WHEREABOUTS not in previews[-1].text, "not confirmed for the centre"
    assert not shelter.print_plan.isVisibleTo(wizard)

    shelter.wish.setValue("does_not_wish")
    assert not shelter.print_request.isVisibleTo(wizard), "never against her wish"
    assert shelter.print_plan.isVisibleTo(wizard)
    assert shelter.plan_note.isVisibleTo(wizard)
    assert "持ち出すもの" in shelter.plan_note.text()  # told on screen, at the button
    shelter.print_plan.button.click()
    plan = previews[-1]
    assert plan.title == "くらしのメモ（安全計画）"
    for word in ("DV", "暴力", "配偶者", "持ち出す", CANARY_WHEREABOUTS):
        assert word not in plan.text, word  # the neutral wording by default
    assert "#8008" in plan.text and "0120-279-889" in plan.text and "189" in plan.text
    shelter.print_contacts.button.click()
    assert previews[-1].title == "相談窓口のご案内"
    assert "DV相談ナビ" in previews[-1].text


def test_the_intake_language_chooses_the_default_language(wizard, previews, asked):
    wizard.pages[1].language.setText("ベトナム語")
    step = wizard.pages[7]
    wizard.go_to(7)
    step.print_advice.button.click()
    assert asked[-1] == ("protection_order_advice_discreet", "vi")


def test_client_papers_without_the_centres_phone_are_refused_before_asking(
    qtbot, session, previews, asked
):
    w = IntakeWizard(session, municipality(session))  # the shipped file: no phone yet
    qtbot.addWidget(w)
    fill_client(w)
    w.go_to(7)
    step = w.pages[7]
    step.print_advice.button.click()
    assert previews == [] and asked == []
    message = step.print_advice.message.text()
    assert "センターの電話番号" in message and "管理者メニュー" in message


def test_protection_order_advice_discreet_by_default(wizard, previews):
    step = wizard.pages[7]
    wizard.go_to(7)
    assert step.discreet.text() == "持ち歩き用カード（予約と連絡先だけ）"
    assert step.discreet.isChecked()
    step.print_advice.button.click()
    discreet = previews[-1]
    assert discreet.title == "持ち歩き用カード（予約と連絡先）"
    pages = pdf_pages(discreet.pdf)
    assert len(pages) == 1
    for word in ("DV", "暴力", "配偶者", "保護命令", "裁判所", "センター"):
        assert word not in pages[0], word
    assert "市民協働課" in pages[0]
    step.discreet.setChecked(False)
    step.print_advice.button.click()
    assert previews[-1].title == "保護命令についてのご案内"
    assert "保護命令" in pdf_pages(previews[-1].pdf)[0]


def test_support_measure_opinion(wizard, previews):
    step = wizard.pages[9]
    wizard.go_to(9)
    assert not step.print_opinion.isVisibleTo(wizard)
    step.applied.setChecked(True)
    step.applied_on.setText(past(3)[:10])
    assert step.print_opinion.isVisibleTo(wizard)
    assert "根拠" in step.expiry.text(), "the domain's reasons with their rule"
    step.print_opinion.button.click()
    assert previews[-1].title == "支援措置申出に係る意見"
    assert "山田花子" in previews[-1].text
    assert CANARY_ADDRESS not in previews[-1].text


def test_print_buttons_are_reached_and_pressed_by_keyboard(wizard, previews, qtbot):
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    row = choose(wizard, "police")
    row.consent_at.setFocus()
    for _ in range(4):  # 居場所 check box, then the print button
        if QApplication.focusWidget() is row.print_slip.button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.print_slip.button
    qtbot.keyClick(row.print_slip.button, Qt.Key.Key_Space)
    assert len(previews) == 1 and previews[0].title.startswith("連絡票")
    step = wizard.pages[7]
    wizard.go_to(7)
    step.discreet.setFocus()
    qtbot.keyClick(step.discreet, Qt.Key.Key_Space)
    assert not step.discreet.isChecked()
    qtbot.keyClick(step.discreet, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is step.print_advice.button
    qtbot.keyClick(step.print_advice.button, Qt.Key.Key_Space)
    assert previews[-1].title == "保護命令についてのご案内"


def test_without_a_city_file_nothing_is_invented(qtbot, session, previews):
    w = IntakeWizard(session, "no-such-city")
    qtbot.addWidget(w)
    assert w.municipality is None
    assert w.pages[8].rows == {}, "no made-up destinations"
    texts = [lab.text() for lab in w.pages[8].findChildren(QLabel)]
    assert any("市区町村の設定ファイルを読み込めない" in t for t in texts)
    fill_minimum(w)
    step = w.pages[7]
    w.go_to(7)
    step.print_advice.button.click()
    assert previews == []
    assert "市区町村の設定ファイル" in step.print_advice.message.text()
    w.pages[5].items["R01"].setValue(True)
    w.go_to(5)
    assert "高" in w.pages[5].result.text(), "the rules still run"
    assert w.save() is True


def test_the_consent_explanation_for_the_chosen_referrals(wizard, previews, asked):
    needs = wizard.pages[8]
    wizard.go_to(8)
    assert not needs.print_consent.isVisibleTo(wizard), "nothing chosen yet"
    choose(wizard, "legal", consent=False)  # explained before she consents
    assert needs.print_consent.isVisibleTo(wizard)
    needs.print_consent.button.click()
    assert asked[-1][0] == "consent_explanation"
    paper = previews[-1]
    assert paper.title == "紹介と同意についての説明"
    assert "法律相談" in paper.text and "法律相談の予約" in paper.text
    assert "断っても" in paper.text
    for canary in (CANARY_PERPETRATOR, CANARY_WHEREABOUTS, CANARY_ADDRESS, "山田花子"):
        assert canary not in paper.text, canary  # what kind of thing, never her data
