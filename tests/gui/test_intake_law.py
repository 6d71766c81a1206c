"""rules.md §8 and §9 where their results reach a person: the wizard's steps, the red banner,
the summary, the case view and home, driven through the real widgets on a real vault."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from intake_app.domain.japanese import wareki
from intake_app.domain.rules import support_measure
from intake_app.gui import print_preview
from intake_app.gui.main_window import MainWindow
from tests.gui.helpers import flush
from tests.gui.intake_helpers import load_font, open_wizard, past, pdf_pages

# rules.md §9.9: for a man nothing names 一時保護, the prefectural women's centre (and its
# former name), or the law on support for women.
FOR_WOMEN_ONLY = ("一時保護", "女性相談支援センター", "婦人相談所", "困難女性支援法")
TODAY = dt.date.today()


def texts_of(root: QWidget) -> list[str]:
    """Everything a person (or a screen reader) can read in the visible widgets of ``root``."""
    found: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        found += [w.accessibleName(), w.accessibleDescription(), w.toolTip(), w.windowTitle()]
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            found.append(w.text())
        if isinstance(w, QLineEdit):
            found.append(w.placeholderText())
        if isinstance(w, QGroupBox):
            found.append(w.title())
        if isinstance(w, QComboBox):
            found += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QPlainTextEdit | QTextEdit):
            found.append(w.toPlainText())
        if isinstance(w, QListWidget):
            found += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QTabWidget):
            found += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget) and w.model():
            model = w.model()
            for col in range(model.columnCount()):
                found.append(str(model.headerData(col, dt_horizontal())))
                for row in range(model.rowCount()):
                    found.append(str(model.index(row, col).data()))
    return [t for t in found if t]


def dt_horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def women_only_words(texts: list[str]) -> list[str]:
    return [f"{word} in {text!r}" for text in texts for word in FOR_WOMEN_ONLY if word in text]


def refresh(wizard: Any) -> None:
    """What an edit does: the wizard takes the answers in and updates what it shows."""
    wizard._on_changed()
    QApplication.processEvents()


@dataclasses.dataclass
class Preview:
    title: str
    pdf: bytes

    @property
    def text(self) -> str:
        return "".join(pdf_pages(self.pdf))


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[Preview]:
    """Every paper the wizard opens (the preview dialog itself is not shown)."""
    opened: list[Preview] = []

    def fake(parent, pdf_bytes, title, on_output=None, *, suggested_name="", **_kw):
        opened.append(Preview(title, pdf_bytes))

    monkeypatch.setattr(print_preview, "show_preview", fake)
    return opened


@pytest.fixture
def main(qtbot: Any, session: Any) -> Iterator[MainWindow]:
    load_font()
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.suspend()
    flush()


# --- a man's urgent intake (rules.md §8.12, §9.9) ---------------------------------------


def fill_male_urgent(wizard: Any, *, wish: str = "wishes") -> None:
    """A man, not safe now, two red flags, a child left with the perpetrator."""
    p = wizard.pages
    wizard.go_to(0)
    p[0].safe_now.setValue(False)
    p[0].perpetrator_nearby.setValue(True)
    wizard.go_to(1)
    p[1].channel.setValue("visit")
    p[1].counselor.setText("田中")
    wizard.go_to(2)
    p[2].name.setText("山田 太郎")
    p[2].gender.setValue("male")
    p[2].dob.setText("1985-04-01")
    wizard.go_to(3)
    p[3].add_child.click()
    child = p[3].child_boxes[0]
    child.name.setText("ゆい")
    child.age.setText("6")
    child.lives_with.setValue(False)
    child.with_perpetrator.setValue(True)
    child.witnessed.setValue(True)
    refresh(wizard)
    p[3].notified_to.setEditText("子ども未来課")
    p[3].notified_at.setText(past())
    p[3].method.setValue("電話")
    wizard.go_to(4)
    p[4].rel_type.setValue("former_legal_spouse")
    refresh(wizard)
    p[4].during.setValue(True)
    p[4].types["physical"].setValue("repeated")
    wizard.go_to(5)
    p[5].items["R01"].setValue(True)
    p[5].items["R02"].setValue(True)
    wizard.go_to(6)
    p[6].safe_place.setValue(False)
    p[6].wish.setValue(wish)
    p[6].requested.setChecked(True)
    wizard.go_to(7)
    p[7].mind.setValue(True)
    wizard.go_to(8)
    for dest in ("police", "emergency_stay"):
        row = p[8].rows[dest]
        row.selected.setChecked(True)
        row.consent.setChecked(True)
        row.method.setValue("verbal")
        row.consent_at.setText(past())
    wizard.go_to(9)
    p[9].applied.setChecked(True)
    p[9].applied_on.setText((TODAY - dt.timedelta(days=3)).isoformat())
    p[9].notified_on.setText(TODAY.isoformat())
    refresh(wizard)


def test_a_mans_urgent_intake_never_names_the_womens_shelter_rules_9_9(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    """Every step, the banner, the summary, then the saved case and home: the city's
    emergency stay and the police, never 一時保護 or the women's centre."""
    wizard = main.open_intake()
    assert wizard is not None
    fill_male_urgent(wizard)
    for step in range(11):
        wizard.go_to(step)
        QApplication.processEvents()
        shown = texts_of(wizard)
        assert women_only_words(shown) == [], f"step {step}"
        assert wizard.urgent_visible(), "the urgent banner stays on every step"
    banner = wizard.banner.text()
    assert "警察へ今すぐ連絡し、市の緊急一時避難につないでください" in banner
    assert wizard.step_list.item(6).text().startswith("6 緊急一時避難")
    shelter = wizard.pages[6]
    assert "市の緊急一時避難を手配した" in shelter.requested.text()
    assert shelter.print_request.isHidden(), "no 一時保護依頼票 is offered for a man"
    assert not wizard.pages[8].rows["pref_centre"].isVisible(), "never suggested or offered"
    summary = wizard.pages[10].view.toPlainText()
    assert "緊急一時避難: 直ちに対応（警察へ今すぐ連絡）" in summary
    assert "配偶者暴力防止法（令和5年改正" in summary  # the laws applied, for him too

    assert wizard.save() is True
    flush()
    case_view = main.case_view
    assert case_view is not None and case_view.isVisible()
    seen: list[str] = []
    for tab in range(case_view.tabs.count()):  # each tab shown in turn
        case_view.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        seen += texts_of(case_view)
    assert women_only_words(seen) == []
    assert "緊急一時避難の判断" in seen and "直ちに警察へ" in seen
    main.show_home()
    QApplication.processEvents()
    assert women_only_words(texts_of(main.home)) == []


MALE_PAPERS = [
    (7, "print_advice", {"discreet": False}),
    (7, "print_advice", {"discreet": True}),
    (8, "police", {}),
    (8, "emergency_stay", {}),
    (8, "print_notification", {}),
    (9, "print_opinion", {}),
    (6, "print_plan", {"wish": "does_not_wish"}),
]


@pytest.mark.parametrize(("step", "button", "options"), MALE_PAPERS)
def test_no_paper_the_wizard_offers_a_man_names_the_womens_shelter_rules_9_9(
    qtbot: Any,
    session: Any,
    previews: list[Preview],
    monkeypatch: pytest.MonkeyPatch,
    step: int,
    button: str,
    options: dict,
) -> None:
    from intake_app.documents.samples import sample_municipality
    from intake_app.gui import client_papers
    from intake_app.gui.intake import IntakeWizard

    # the print-time choices of a client's paper: Japanese, the neutral wording
    monkeypatch.setattr(
        client_papers, "ask_client_paper", lambda *a, **k: client_papers.ClientPaperChoice()
    )
    # the centre's phone set, as papers for the client need it
    wizard = IntakeWizard(session, sample_municipality(session.municipality))
    qtbot.addWidget(wizard)
    wizard.resize(1200, 850)
    wizard.show()
    qtbot.waitExposed(wizard)
    fill_male_urgent(wizard, wish=options.get("wish", "wishes"))
    wizard.go_to(step)
    page = wizard.pages[step]
    if "discreet" in options:
        page.discreet.setChecked(options["discreet"])
    if step == 8 and button in page.rows:
        target = page.rows[button].print_slip
    else:
        target = getattr(page, button)
    assert target.isVisible(), f"{button} is offered"
    target.button.click()
    assert len(previews) == 1, target.message.text()
    paper = previews[0]
    assert "蕨" in paper.text, "the text of the paper was read"  # the check can fail
    assert women_only_words([paper.title, paper.text]) == []


def test_a_woman_is_offered_the_request_to_the_womens_centre(qtbot: Any, session: Any) -> None:
    """The control: the same answers for a woman read as 一時保護 and offer the request."""
    wizard = open_wizard(qtbot, session)
    fill_male_urgent(wizard)
    wizard.go_to(2)
    wizard.pages[2].gender.setValue("female")
    wizard.go_to(6)
    refresh(wizard)
    assert wizard.step_list.item(6).text().startswith("6 一時保護")
    assert "県の女性相談支援センター" in wizard.pages[6].advice.text()
    assert wizard.pages[6].print_request.isVisible()
    assert "警察・県の女性相談支援センター" in wizard.banner.text()


# --- step 5: 未評価, v2, the version of every assessment (rules.md §9.7) ------------------


def test_step_5_says_unassessed_then_a_level_rules_9_7(qtbot: Any, session: Any) -> None:
    wizard = open_wizard(qtbot, session)
    wizard.go_to(5)
    risk = wizard.pages[5]
    text = risk.result.text()
    assert "未評価" in text and "「低」" not in text and "#2e7d32" not in text  # no green 低
    assert "少なくとも「中」として扱います" in text
    assert risk.version == "risk-v2" and {"R18", "R19"} <= set(risk.items)
    assert "「不明・回答なし」は安全とはみなしません" in risk.legend.text()
    assert "「いいえ」として数えます" not in risk.legend.text()
    risk.items["R05"].setValue(True)  # one yes, nothing else known: at least 中
    text = risk.result.text()
    assert "未評価" not in text
    assert "最終レベル: <b style='color:#b26a00'>中</b>" in text
    assert "少なくとも『中』として扱います" in text
    wizard.go_to(10)
    assert "算定 中 / 最終 中（risk-v2）" in wizard.pages[10].view.toPlainText()


def save_v1_case(session: Any) -> int:
    """A case whose only assessment was made with risk-v1 (before v2 existed)."""
    from intake_app.domain.model import Intake

    intake = Intake()
    intake.consultation.started_at = dt.datetime.combine(
        TODAY - dt.timedelta(days=60), dt.time(10, 0)
    )
    intake.consultation.channel = "visit"
    intake.consultation.counselor = "田中"
    intake.client.name = "山田 花子"
    intake.client.gender = "female"
    intake.risk.checklist_version = "risk-v1"
    # v1: one red flag → 高; six further yes (R05 R06 R08 R09 R12 R17) would be 高 on v2 too
    intake.risk.answers = {f"R{i:02d}": False for i in range(1, 18)}
    intake.risk.answers.update({"R04": True, "R06": True, "R08": True})
    return int(session.records.save_intake(intake).case_id)


def test_a_follow_up_shows_the_stored_v1_result_beside_the_new_v2_one_rules_9_7(
    qtbot: Any, session: Any
) -> None:
    case_id = save_v1_case(session)
    wizard = open_wizard(qtbot, session, case_id=case_id)
    wizard.go_to(5)
    risk = wizard.pages[5]
    # The answers of the items worded the same were carried over, and it says so.
    assert risk.carried_note.isVisible()
    note = risk.carried_note.text()
    assert "risk-v1" in note and "risk-v2" in note and "R01〜R17" in note
    assert "新しい項目 R18、R19" in note
    assert risk.items["R04"].value() is True and risk.items["R18"].value() is None
    assert "この版で新しい項目（未回答）: R18、R19" in risk.hints.text()
    text = risk.result.text()
    # v2 counts R06 with R08 as a red flag: 緊急 now, the v1 高 shown as it was stored.
    assert "前回（risk-v1）「高」 → 今回（risk-v2）「緊急」" in text
    assert "再計算していません" in text
    assert "（risk-v1）: 高 → 高" in risk.history.text()
    wizard.go_to(10)
    assert "前回（risk-v1）「高」 → 今回（risk-v2）「緊急」" in wizard.pages[10].view.toPlainText()
    wizard.pages[1].channel.setValue("visit")
    assert wizard.save() is True
    case = session.records.open_case(case_id)
    assert [(e.checklist_version, e.final) for e in case.risk_history] == [
        ("risk-v1", "high"),  # stored as made, never recomputed
        ("risk-v2", "urgent"),
    ]


def test_the_case_view_shows_each_assessments_version_and_unassessed(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    case_id = save_v1_case(session)
    wizard = main.open_intake(case_id=case_id)
    assert wizard is not None
    wizard.go_to(1)
    wizard.pages[1].channel.setValue("phone")
    wizard.go_to(5)
    for combo in wizard.pages[5].items.values():
        combo.setValue(None)  # nothing known this time
    assert wizard.save() is True
    flush()
    rows = main.case_view.risk_model
    cells = [[rows.index(r, c).data() for c in range(rows.columnCount())] for r in range(2)]
    assert cells[0][1:3] == ["risk-v1", "高"]
    assert cells[1][1:3] == ["risk-v2", "未評価"]


# --- step 7: 判断待ち, the orders' terms, the reasons, the law (rules.md §8-§9) -------------


def test_step_7_waits_for_the_judgements_then_shows_the_orders_rules_8_8(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    wizard = main.open_intake()
    assert wizard is not None
    p = wizard.pages
    p[1].channel.setValue("visit")
    p[1].counselor.setText("田中")
    p[2].name.setText("山田 花子")
    p[2].gender.setValue("female")
    wizard.go_to(4)
    p[4].rel_type.setValue("legal_spouse")
    p[4].types["sexual"].setValue("repeated")  # forced sex is violence to the body (§9.4)
    wizard.go_to(7)
    order = p[7]
    text = order.advice.text()
    assert "判断待ち" in text and "対象外" not in text
    assert "生命又は心身に重大な危害を受けるおそれについて、相談員の判断を入力してください" in text
    assert "身体に対する暴力として数えた回答: 性的暴力" in text  # which answers counted
    wizard.go_to(10)
    assert "保護命令\n判断待ち" in wizard.pages[10].view.toPlainText()
    wizard.go_to(7)
    order.mind.setValue(True)
    text = order.advice.text()
    assert "申立ての対象になり得ます" in text
    assert "電話等禁止命令（接近禁止命令の期間中）" in text
    assert "電話等禁止命令（12か月）" not in text
    assert "面会を要求すること" in text and "紛失防止タグ" in text  # the contact-ban items
    assert "配偶者暴力防止法（令和7年改正、2025-12-30施行）" in text  # law_as_of
    assert "困難女性支援法" not in text  # the protection order does not apply it
    assert "この結果は相談員の判断を助けるための目安です" in text
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert (
        "対象になり得る: 接近禁止命令（12か月）、電話等禁止命令（接近禁止命令の期間中）" in summary
    )
    assert wizard.save() is True
    flush()
    decisions = main.case_view.decision_model
    headers = [decisions.headerData(c, dt_horizontal()) for c in range(decisions.columnCount())]
    row = {h: decisions.index(0, c).data() for c, h in enumerate(headers)}
    assert row["保護命令"] == "対象になり得る"
    assert "電話等禁止命令（接近禁止命令の期間中）" in row["申立てできる命令"]


def test_a_pending_decision_is_stored_and_shown_as_pending(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    wizard = main.open_intake()
    assert wizard is not None
    p = wizard.pages
    p[1].channel.setValue("visit")
    p[1].counselor.setText("田中")
    p[2].name.setText("山田 花子")
    wizard.go_to(4)
    p[4].rel_type.setValue("legal_spouse")
    p[4].types["physical"].setValue("repeated")
    assert wizard.save() is True
    flush()
    decisions = main.case_view.decision_model
    headers = [decisions.headerData(c, dt_horizontal()) for c in range(decisions.columnCount())]
    assert decisions.index(0, headers.index("保護命令")).data() == "判断待ち"


# --- former partners (rules.md §9.1) --------------------------------------------------------


def test_only_a_former_partner_is_asked_about_violence_during_the_relationship_rules_9_1(
    qtbot: Any, session: Any
) -> None:
    wizard = open_wizard(qtbot, session)
    wizard.go_to(4)
    step = wizard.pages[4]
    for relationship in (None, "legal_spouse", "cohabiting_partner", "non_cohabiting_partner"):
        step.rel_type.setValue(relationship)
        assert not step.during.isVisible(), relationship
    step.types["physical"].setValue("repeated")
    wizard.pages[7].mind.setValue(True)
    for relationship in ("former_legal_spouse", "former_common_law_spouse"):
        step.rel_type.setValue(relationship)
        assert step.during.isVisible(), relationship
    step.rel_type.setValue("former_legal_spouse")
    # Violence only after the separation does not ground an application (§8.1, §9.1).
    step.during.setValue(False)
    wizard.go_to(7)
    text = wizard.pages[7].advice.text()
    assert "現在の記録では対象外です" in text
    assert "ストーカー規制法" in text and "警察への相談" in text
    wizard.go_to(10)
    assert "関係が続いていた間の暴力・脅迫: いいえ" in wizard.pages[10].view.toPlainText()
    # The recently divorced woman: violence during the marriage, none yet after it.
    wizard.go_to(4)
    step.during.setValue(True)
    step.continued.setValue(False)
    wizard.go_to(7)
    assert "申立ての対象になり得ます" in wizard.pages[7].advice.text()
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "関係が続いていた間の暴力・脅迫: はい" in summary
    assert "保護命令\n対象になり得る" in summary
    # Back to a current partner: the hidden answer does not reach the rules.
    wizard.go_to(4)
    step.rel_type.setValue("legal_spouse")
    assert wizard.collect().relationship.violence_during_relationship is None


# --- minors (rules.md §9.8) ------------------------------------------------------------------


def test_a_client_under_18_gets_the_child_guidance_route_rules_9_8(
    qtbot: Any, session: Any
) -> None:
    wizard = open_wizard(qtbot, session)
    wizard.go_to(2)
    sixteen = TODAY.replace(year=TODAY.year - 16) - dt.timedelta(days=1)
    wizard.pages[2].dob.setText(sixteen.isoformat())
    wizard.pages[2].gender.setValue("female")
    wizard.go_to(6)
    advice = wizard.pages[6].advice.text()
    assert "児童相談所（児童福祉法第25条・第33条）" in advice
    assert "16歳（18歳未満）のため児童福祉法の「児童」です" in advice
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "18歳未満: 児童相談所（児童福祉法第25条・第33条）につなぎます" in summary
    assert "児童相談所\n16歳（18歳未満）のため" in summary


# --- children left with the perpetrator (rules.md §9.10) -----------------------------------


def test_a_child_left_with_the_perpetrator_is_named_first_rules_9_10(
    qtbot: Any, session: Any
) -> None:
    wizard = open_wizard(qtbot, session)
    wizard.go_to(3)
    household = wizard.pages[3]
    for name, with_client, with_perpetrator in (("はると", True, False), ("ゆい", False, True)):
        household.add_child.click()
        box = household.child_boxes[-1]
        box.name.setText(name)
        box.age.setText("7")
        box.lives_with.setValue(with_client)
        box.with_perpetrator.setValue(with_perpetrator)
        box.witnessed.setValue(True)
    refresh(wizard)
    banner = wizard.banner.text()
    assert wizard.urgent_visible()
    assert "加害者と同居している子ども（2人目）がいます" in banner
    notice = household.notice_text.text()
    assert notice.index("2人目（ゆい）") < notice.index("子ども1人目")
    assert "最も急ぐ通告" in notice
    wizard.go_to(8)
    listed = wizard.pages[8].notify_list.text()
    assert wizard.pages[8].notify_list.isVisible()
    assert listed.index("子ども2人目（ゆい）") < listed.index("子ども1人目（はると）")
    assert "加害者と同居している子ども" in listed
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "加害者と同居している子ども（2人目）がいます" in summary
    assert "2人（加害者と同居している子ども: 2人目（ゆい））" in summary
    # Recorded: the banner line goes, the summary still names the child first.
    wizard.go_to(3)
    household.notified_to.setEditText("埼玉県南児童相談所")
    household.notified_at.setText(past())
    household.method.setValue("電話")
    refresh(wizard)
    assert not wizard.urgent_visible() and "加害者と同居" not in wizard.banner.text()
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert "通告の対象で最も急ぐのは加害者と同居している子ども: 2人目（ゆい）" in summary


# --- 支援措置: both dates, which starts the year, 併せて支援を求める者 (rules.md §9.11-§9.12) ---


APPLIED = TODAY - dt.timedelta(days=30)
NOTIFIED = TODAY - dt.timedelta(days=10)


@pytest.mark.parametrize(("starts_on", "start"), [("notified", NOTIFIED), ("applied", APPLIED)])
def test_both_support_measure_dates_and_the_setting_decide_the_year_rules_9_11(
    qtbot: Any, session: Any, starts_on: str, start: dt.date
) -> None:
    data = session.settings.data()  # the setting, saved in the vault as a supervisor would
    data["support_measure_starts_on"] = starts_on
    session.settings.save(data)
    wizard = open_wizard(qtbot, session)
    fill_minimum_through(wizard)
    wizard.go_to(3)
    wizard.pages[3].add_child.click()
    wizard.pages[3].child_boxes[0].name.setText("はると")
    wizard.go_to(9)
    step = wizard.pages[9]
    step.applied.setChecked(True)
    step.applied_on.setText(APPLIED.isoformat())
    refresh(wizard)
    if starts_on == "notified":  # not recorded yet: from the application date, said so
        assert "連絡日が未記録のため申出日から計算しています" in step.expiry.text()
    step.notified_on.setText(NOTIFIED.isoformat())
    refresh(wizard)
    assert step.joint_group.isVisible()
    step.joint_checks[0].setChecked(True)
    step.joint_names.setText("山田 清")
    refresh(wizard)
    shown = step.expiry.text()
    which = "連絡日" if starts_on == "notified" else "申出日"
    assert f"1年の起算日: {wareki(start)}（{which}）" in shown
    assert f"有効期限: {wareki(support_measure.expiry(start))}" in shown
    assert (
        "確認結果を本人に連絡した日" if starts_on == "notified" else "申出を受理した日"
    ) in shown
    assert which in step.setting.text()
    wizard.go_to(10)
    summary = wizard.pages[10].view.toPlainText()
    assert f"起算 {start.isoformat()}（{which}）・期限 {support_measure.expiry(start)}" in summary
    assert "併せて支援を求める者\nはると、山田 清" in summary
    assert wizard.save() is True
    saved = session.records.latest_intake(wizard.saved_case_id)
    assert saved.address.notified_on == NOTIFIED
    assert [(j.child_index, j.name) for j in saved.address.joint_applicants] == [
        (0, ""),
        (None, "山田 清"),
    ]
    measure = session.records.open_case(wizard.saved_case_id).support_measure
    assert (measure.start_on, measure.expires_on) == (start, support_measure.expiry(start))


def test_a_notified_date_before_the_application_is_named_under_its_field(
    qtbot: Any, session: Any
) -> None:
    wizard = open_wizard(qtbot, session)
    fill_minimum_through(wizard)
    wizard.go_to(9)
    step = wizard.pages[9]
    step.applied.setChecked(True)
    step.applied_on.setText(NOTIFIED.isoformat())
    step.notified_on.setText(APPLIED.isoformat())
    assert wizard.save() is False
    assert wizard.current_step() == 9
    form = step.forms[0]
    assert form.errors[step.notified_on].text() == (
        "支援措置の連絡日: 申出日より前の日付は入力できません"
    )


def test_the_home_renewal_list_and_the_case_banner_count_from_the_same_day(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    """Applied 350 days ago, told 20 days later: under "notified" the renewal window is not
    open yet (home lists nothing) and the banner counts from the notified date."""
    applied = TODAY - dt.timedelta(days=350)
    notified = applied + dt.timedelta(days=20)
    wizard = main.open_intake()
    assert wizard is not None
    fill_minimum_through(wizard)
    wizard.go_to(9)
    step = wizard.pages[9]
    step.applied.setChecked(True)
    step.applied_on.setText(applied.isoformat())
    step.notified_on.setText(notified.isoformat())
    assert wizard.save() is True
    flush()
    banner = main.case_view.banner.text()
    assert f"支援措置の期限: {wareki(support_measure.expiry(notified))}" in banner
    assert f"起算日: {wareki(notified)}（連絡日）" in banner
    main.show_home()
    assert main.home.renewal_model.rowCount() == 0
    assert not support_measure.renewal_due(notified, TODAY)
    assert support_measure.renewal_due(applied, TODAY)  # counted from 申出日 it would be


def fill_minimum_through(wizard: Any) -> None:
    p = wizard.pages
    p[1].channel.setValue("visit")
    p[1].counselor.setText("田中")
    p[2].name.setText("山田 花子")
