"""The print-time choices of a paper for the client: her language (default from the
intake), whether its text was checked, the card's appointment, the plan's wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from intake_app.domain.model import Intake
from intake_app.domain.paper_texts import centre_review
from intake_app.gui import client_papers
from intake_app.gui.client_papers import ClientPaperDialog, ask_client_paper, default_language


def dialog(qtbot: Any, kind: str, **kw: Any) -> ClientPaperDialog:
    d = ClientPaperDialog(None, kind, **kw)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_the_intake_language_field_chooses_the_default() -> None:
    intake = Intake()
    assert default_language(intake) == "ja"
    intake.consultation.language = "ネパール語（通訳あり）"
    assert default_language(intake) == "ne"
    intake.consultation.language = "クルド語"
    assert default_language(intake) == "ja"  # no papers in it: Japanese, chosen at print


def test_language_has_a_linked_label_and_says_when_a_text_is_unchecked(qtbot: Any) -> None:
    d = dialog(qtbot, "contacts", language="vi")
    assert d.code() == "vi"
    labels = [lab for lab in d.findChildren(QLabel) if lab.buddy() is d.language]
    assert labels and "&L" in labels[0].text()
    assert d.review.isVisible() and "確認を受けていません" in d.review.text()
    assert "確認を受けていません" in d.language.accessibleDescription()
    d.language.setCurrentIndex(d.language.findData("ja"))
    assert not d.review.isVisible()
    items = [d.language.itemText(i) for i in range(d.language.count())]
    assert items[0] == "日本語のみ"
    assert "日本語とベトナム語" in items and "日本語とやさしい日本語" in items


def test_a_language_the_centre_had_checked(qtbot: Any) -> None:
    marks = {"tr": centre_review("tr", "トルコ語通訳 見本", dt.date(2026, 12, 1))}
    d = dialog(qtbot, "safety_plan", language="tr", reviews=marks)
    assert "確認済み" in d.review.text() and "2026-12-01" in d.review.text()
    assert d.choice().reviews == marks


def test_the_card_asks_the_next_appointment(qtbot: Any) -> None:
    d = dialog(qtbot, client_papers.CARD, appointment=dt.date(2026, 12, 9))
    assert d.appointment is not None and d.appointment.text() == "2026-12-09"
    assert d.choice().appointment == dt.date(2026, 12, 9)
    d.appointment.setText("2026-12-09 10:30")
    assert d.choice().appointment == dt.datetime(2026, 12, 9, 10, 30)
    d.appointment.setText("")
    assert d.choice().appointment is None  # a line to fill in by hand
    d.appointment.setText("12月9日")
    d.buttons.accepted.emit()
    assert d.isVisible() and d.error.isVisible()  # not accepted with an unreadable date
    assert "2026-11-25" in d.error.text() or "日付" in d.error.text()


def test_the_safety_plan_offers_the_neutral_wording_first(qtbot: Any) -> None:
    d = dialog(qtbot, client_papers.SAFETY_PLAN)
    note = d.findChild(QLabel, "safetyPlanWordingNote")
    assert note is not None and "持ち出すもの" in note.text()
    assert d.neutral is not None and d.neutral.isChecked()
    assert d.choice().wording == "neutral"
    assert d.plain is not None
    d.plain.setChecked(True)
    assert d.choice().wording == "plain"
    assert d.appointment is None  # only the card asks it


def test_the_choices_are_made_with_the_keyboard(qtbot: Any) -> None:
    d = dialog(qtbot, client_papers.SAFETY_PLAN, language="ja")
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    assert QApplication.focusWidget() is d.language
    qtbot.keyClick(d.language, Qt.Key.Key_Down)
    assert d.code() == "easy-ja"
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # (&S)
    assert d.plain is not None
    qtbot.waitUntil(d.plain.isChecked)  # a mnemonic clicks with a short animation
    qtbot.keyClick(d.focusWidget(), Qt.Key.Key_Return)  # the preview button is the default
    assert d.result() == ClientPaperDialog.DialogCode.Accepted


def test_ask_returns_the_choice_or_none(qtbot: Any) -> None:
    def press(accept: bool) -> None:
        def act() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, ClientPaperDialog) and widget.isVisible():
                    widget.language.setCurrentIndex(widget.language.findData("en"))
                    (widget.accept if accept else widget.reject)()

        QTimer.singleShot(50, act)

    press(True)
    choice = ask_client_paper(None, "contacts", language="vi")
    assert choice is not None and choice.language == "en" and choice.code == "en"
    press(False)
    assert ask_client_paper(None, "contacts") is None
