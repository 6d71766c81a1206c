"""A realistic intake done with the keyboard alone, counted (issue 19).

Two children who saw the violence (the notification recorded), the request for
protection with both children coming along and its request sheet previewed, a referral
to 生活支援課 with the client's consent and its 連絡票 previewed, saved from the
summary. Every key is pressed on the focused widget, in the main window as the program
shows it; Japanese is committed the way an input method does and counted as the
characters entered. The counts are the figures in the README; the test fails when the
intake needs more keys than that (a new field on the way adds keys: look at the
keyboard path, then raise the budget on purpose).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QWidget

from intake_app.gui.main_window import MainWindow
from intake_app.gui.print_preview import PrintPreviewDialog
from tests.gui.helpers import flush
from tests.gui.intake_helpers import load_font, past, type_japanese

# Measured with this test (README "Keyboard"): keys pressed other than text, and the
# characters of text entered.
KEY_BUDGET = 162
CHARACTER_BUDGET = 107

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


class Keyboard:
    """Presses keys on whatever has the focus, and counts them."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.keys = 0
        self.characters = 0

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier=NONE, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.focus(), key, modifier)
            self.keys += 1

    def tab(self, times: int = 1) -> None:
        self.press(Qt.Key.Key_Tab, times=times)

    def tab_to(self, widget: QWidget, limit: int = 40) -> None:
        """Tab until ``widget`` has the focus (it must be ahead, within ``limit``)."""
        for _ in range(limit):
            if (
                self.focus() is widget
                or self.focus() is getattr(widget, "lineEdit", lambda: None)()
            ):
                return
            self.tab()
        raise AssertionError(f"Tab did not reach {widget.accessibleName() or widget}")

    def choose(self, downs: int) -> None:
        assert isinstance(self.focus(), QComboBox), type(self.focus())
        self.press(Qt.Key.Key_Down, times=downs)

    def type(self, text: str) -> None:
        """Text as an input method commits it (ASCII through real key presses)."""
        if text.isascii():
            self.qtbot.keyClicks(self.focus(), text)
        else:
            type_japanese(self.focus(), text)
        self.characters += len(text)


def test_a_whole_intake_by_keyboard_within_its_key_budget(qtbot, session):
    load_font()
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    kb = Keyboard(qtbot)
    started = time.monotonic()
    previews: list[str] = []

    kb.press(Qt.Key.Key_N, CTRL)  # 新規相談
    wizard = main.wizard
    assert wizard is not None and wizard.current_step() == 0
    p = wizard.pages

    # 0 安全確認: safe now, nobody nearby, no injury, children safe
    assert kb.focus() is p[0].safe_now
    kb.choose(1)
    kb.tab()
    kb.choose(2)
    kb.tab()
    kb.choose(2)
    kb.tab()
    kb.choose(1)

    # 1 相談の受付: a visit by the client herself, the counselor, the place, what she said
    kb.press(Qt.Key.Key_PageDown, CTRL)
    kb.tab_to(p[1].channel)
    kb.choose(1)  # 来所
    kb.tab()
    kb.choose(1)  # 本人
    kb.tab_to(p[1].place)
    kb.type("相談室")
    kb.tab_to(p[1].content)
    kb.type("夫からの暴力について。子ども二人と避難を考えている。")

    # 2 本人の情報
    kb.press(Qt.Key.Key_PageDown, CTRL)
    kb.tab_to(p[2].name)
    kb.type("見本 花子")
    kb.press(Qt.Key.Key_Return)  # Enter moves on
    assert kb.focus() is p[2].kana
    kb.type("みほん はなこ")
    kb.tab_to(p[2].dob)
    kb.type("1990-04-01")
    kb.tab_to(p[2].gender)
    kb.choose(1)  # 女性

    # 3 子ども・世帯: two children, the notification (児童虐待防止法第6条)
    kb.press(Qt.Key.Key_PageDown, CTRL)
    step3 = p[3]
    assert kb.focus() is step3.add_child
    for number, (name, age) in enumerate((("さくら", "8"), ("たろう", "3")), start=1):
        if number == 2:
            kb.tab_to(step3.add_child)
        kb.press(Qt.Key.Key_Space)
        child = step3.child_boxes[-1]
        assert kb.focus() is child.name
        qtbot.waitUntil(lambda c=child: step3.viewport().rect().intersects(_in(step3, c.name)))
        kb.type(name)
        kb.tab()
        kb.type(age)
        kb.tab()
        kb.choose(1)  # 本人と同居 → はい
        kb.tab_to(child.witnessed)
        kb.choose(1)  # 暴力を見聞きした → はい
        assert step3.notice.isVisible()
        kb.tab_to(child.remove)
        kb.tab()  # on, never back up the page
        assert kb.focus() in (step3.notified_to, step3.notified_to.lineEdit(), step3.add_child)
    kb.tab_to(step3.notified_to)
    kb.type("子ども未来課")
    kb.tab()
    kb.type(past())
    kb.tab()
    kb.choose(1)  # 電話

    # 4 関係と暴力
    kb.press(Qt.Key.Key_PageDown, CTRL)
    step4 = p[4]
    assert kb.focus() is step4.rel_type
    kb.choose(1)  # 配偶者（法律婚）
    kb.tab_to(step4.living_together)
    kb.choose(1)
    kb.tab_to(step4.types["physical"])
    kb.choose(3)  # 何度もあった
    kb.tab()
    kb.choose(3)  # 精神的: 何度もあった

    # 5 リスク評価: the first three items
    kb.press(Qt.Key.Key_PageDown, CTRL)
    items = list(p[5].items.values())
    assert kb.focus() is items[0]
    for index in range(3):
        kb.tab_to(items[index])
        kb.choose(1)

    # 6 一時保護: no safe place tonight, she wishes it, request made, both children
    kb.press(Qt.Key.Key_PageDown, CTRL)
    step6 = p[6]
    assert kb.focus() is step6.safe_place
    kb.choose(2)
    kb.tab()
    kb.choose(1)  # 希望する
    kb.tab_to(step6.requested)
    kb.press(Qt.Key.Key_Space)
    kb.tab()
    assert kb.focus() is step6.child_checks[0], "the children come right after the request"
    kb.press(Qt.Key.Key_Space)
    kb.tab()
    kb.press(Qt.Key.Key_Space)
    assert all(cb.isChecked() for cb in step6.child_checks)
    kb.tab_to(step6.print_request.button)
    kb.press(Qt.Key.Key_Return)  # the request sheet's preview
    previews += _close_previews(kb)

    # 8 困りごとと紹介: 住居, and 生活支援課 with her consent, its 連絡票
    kb.press(Qt.Key.Key_8, ALT)
    step8 = p[8]
    kb.tab_to(step8.cats["housing"])
    kb.press(Qt.Key.Key_Space)
    row = step8.rows["seikatsu_shien"]
    kb.tab_to(row.selected)
    kb.press(Qt.Key.Key_Space)
    kb.tab()
    assert kb.focus() is row.purpose
    kb.type("生活の立て直しの相談")
    kb.tab()
    assert kb.focus() is row.consent
    kb.press(Qt.Key.Key_Space)
    kb.tab()
    kb.choose(1)  # 口頭
    kb.tab()
    kb.type(past(0))
    kb.tab_to(row.print_slip.button)
    kb.press(Qt.Key.Key_Return)
    previews += _close_previews(kb)

    # 10 まとめと保存, from inside a text field: Ctrl+End, then Enter on 保存
    kb.tab_to(step8.note)
    kb.press(Qt.Key.Key_End, CTRL)
    assert wizard.current_step() == 10
    assert isinstance(kb.focus(), QPushButton)
    with qtbot.waitSignal(wizard.finished, timeout=5000) as finished:
        kb.press(Qt.Key.Key_Return)
    assert finished.args == [True], wizard.status.text()
    seconds = time.monotonic() - started

    saved = session.records.latest_intake(wizard.saved_case_id)
    assert [c.name for c in saved.household.children] == ["さくら", "たろう"]
    assert saved.shelter.requested and saved.shelter.accompanying_children == [0, 1]
    referral = saved.referrals[0]
    assert referral.destination_id == "seikatsu_shien" and referral.consent
    assert previews == ["一時保護依頼票", "連絡票（生活支援課）"]
    print(f"keys={kb.keys} characters={kb.characters} seconds={seconds:.1f}")
    assert kb.keys <= KEY_BUDGET, f"{kb.keys} keys (budget {KEY_BUDGET})"
    assert kb.characters <= CHARACTER_BUDGET, f"{kb.characters} characters"
    main.suspend()
    flush()


def _in(step, widget: QWidget):
    """``widget``'s rectangle in the step's viewport."""
    top_left = widget.mapTo(step.viewport(), widget.rect().topLeft())
    return widget.rect().translated(top_left)


def _close_previews(kb: Keyboard) -> list[str]:
    """The preview opened by the key just pressed: looked at, then Escape."""
    shown = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PrintPreviewDialog) and w.isVisible()
    ]
    assert len(shown) == 1, "one preview opened"
    preview = shown[0]
    preview.activateWindow()
    kb.qtbot.waitUntil(preview.isActiveWindow)
    assert preview.page_count() >= 1
    owner = preview.parentWidget().window()  # the window manager gives it back the focus
    title = preview.windowTitle()
    kb.press(Qt.Key.Key_Escape)
    owner.activateWindow()
    kb.qtbot.waitUntil(owner.isActiveWindow)
    return [title]


def test_a_failed_ctrl_s_keeps_saying_what_failed(qtbot, session):
    """The draft kept half a second later does not hide why the save failed."""
    from tests.gui.intake_helpers import open_wizard

    wizard = open_wizard(qtbot, session)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    wizard.pages[2].name.setText("見本 花子")  # a change: the draft timer runs
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)
    assert "保存できません" in wizard.status.text()
    qtbot.waitUntil(lambda: "下書きを保存しました" in wizard.status.text(), timeout=3000)
    assert "保存できません" in wizard.status.text(), wizard.status.text()


def test_ctrl_end_from_a_text_field_goes_to_the_summary(qtbot, session):
    from tests.gui.intake_helpers import open_wizard

    wizard = open_wizard(qtbot, session)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    wizard.go_to(1)
    wizard.pages[1].content.setFocus()
    qtbot.waitUntil(wizard.pages[1].content.hasFocus)
    qtbot.keyClick(wizard.pages[1].content, Qt.Key.Key_End, CTRL)
    assert wizard.current_step() == 10
    wizard.go_to(2)
    wizard.pages[2].name.setFocus()
    qtbot.waitUntil(wizard.pages[2].name.hasFocus)
    qtbot.keyClick(wizard.pages[2].name, Qt.Key.Key_End, CTRL)
    assert wizard.current_step() == 10
    assert QApplication.focusWidget() is wizard.pages[10].save
