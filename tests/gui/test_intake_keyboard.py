"""A full intake walked by keyboard alone: Tab, arrows, Space and the wizard's shortcuts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import (
    FAST_KDF_ENV,
    focused,
    load_font,
    municipality,
    open_session,
    past,
    shot,
    type_japanese,
)

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


def test_full_intake_by_keyboard_only(qtbot, tmp_path):
    load_font()
    session = open_session(tmp_path)
    wizard = IntakeWizard(session, municipality(session))
    qtbot.addWidget(wizard)
    wizard.resize(1200, 850)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: wizard.isActiveWindow())

    def key(k, mod=Qt.KeyboardModifier.NoModifier, times=1):
        for _ in range(times):
            qtbot.keyClick(focused(), k, mod)

    def tab(times=1):
        key(Qt.Key.Key_Tab, times=times)

    def choose(downs):
        w = focused()
        assert isinstance(w, QComboBox), type(w)
        key(Qt.Key.Key_Down, times=downs)

    # 0 安全確認: the first field has the focus; a "no" raises the red banner.
    assert wizard.current_step() == 0
    assert focused() is wizard.pages[0].safe_now
    choose(2)  # いま安全な場所にいますか → いいえ
    assert wizard.urgent_visible()
    assert "110" in wizard.banner.text()
    tab()
    choose(1)  # 加害者が近くに → はい
    tab()
    choose(2)  # けが → いいえ
    tab()
    choose(1)  # 子どもは安全 → はい
    tab()
    assert isinstance(focused(), QCheckBox)
    key(Qt.Key.Key_Space)  # 110番通報した
    shot(wizard, "intake_keyboard_0_safety")

    # 1 相談の受付
    key(Qt.Key.Key_PageDown, CTRL)
    assert wizard.current_step() == 1
    assert wizard.urgent_visible(), "the urgent banner stays on every later step"
    tab(2)  # 種類 → 日時 → 相談方法
    assert focused() is wizard.pages[1].channel
    choose(1)  # 来所
    tab()
    choose(1)  # 本人
    tab()
    assert focused() is wizard.pages[1].counselor
    qtbot.keyClick(focused(), Qt.Key.Key_A, CTRL)
    type_japanese(focused(), "田中 相談員")

    # 2 本人の情報 (Alt+2 jumps there)
    key(Qt.Key.Key_2, ALT)
    assert wizard.current_step() == 2
    tab()
    assert focused() is wizard.pages[2].name
    type_japanese(focused(), "山田 花子")
    key(Qt.Key.Key_Return)  # Enter moves on to the next field
    assert focused() is wizard.pages[2].kana
    type_japanese(focused(), "やまだ はなこ")

    # 3 子ども・世帯: add a child with Space, then the notification becomes mandatory.
    key(Qt.Key.Key_PageDown, CTRL)
    assert wizard.current_step() == 3
    assert focused() is wizard.pages[3].add_child
    key(Qt.Key.Key_Return)
    child = wizard.pages[3].child_boxes[0]
    assert focused() is child.name
    type_japanese(focused(), "ゆい")
    tab()
    qtbot.keyClicks(focused(), "5")
    tab()
    choose(1)  # 同居 → はい
    tab()
    assert focused() is child.with_perpetrator  # 加害者と同居 (rules.md §9.10)
    choose(2)  # → いいえ
    tab(2)  # 学校 → 面前DV
    choose(1)  # 面前DV → はい
    assert wizard.pages[3].notice.isVisible()
    assert "【必須】通告" in wizard.step_list.item(3).text()
    shot(wizard, "intake_keyboard_3_child_notification")
    tab(2)  # 子ども自身 → 性別
    assert focused() is child.sex
    choose(1)  # 女
    tab()
    qtbot.keyClicks(focused(), "2021-05-01")  # 生年月日
    tab(4)  # 加害者との関係 → 居場所 → 削除 → 通告先
    assert focused() in (wizard.pages[3].notified_to, wizard.pages[3].notified_to.lineEdit())
    type_japanese(focused(), "子ども未来課")
    tab()
    qtbot.keyClicks(focused(), past())
    tab()
    choose(1)  # 電話

    # 4 関係と暴力
    key(Qt.Key.Key_PageDown, CTRL)
    assert focused() is wizard.pages[4].rel_type
    choose(1)  # 配偶者（法律婚）
    tab()
    choose(1)  # 同居 → はい
    tab(5)  # 別居した日 → … → 相手のふりがな → 相手の生年月日
    assert focused() is wizard.pages[4].perp_birth
    tab(5)  # 年齢 → 住所 → 凶器 → 車両 → 暴力の種類
    assert focused() is wizard.pages[4].types["physical"]
    choose(3)  # 何度もあった

    # 5 リスク評価 (Alt+5): two red flags → 緊急
    key(Qt.Key.Key_5, ALT)
    assert focused() is wizard.pages[5].items["R01"]
    choose(1)
    tab()
    choose(1)
    assert "緊急" in wizard.pages[5].result.text()
    assert "検証された危険度スコアではありません" in wizard.pages[5].disclaimer.text()
    shot(wizard, "intake_keyboard_5_risk")

    # 6 一時保護
    key(Qt.Key.Key_PageDown, CTRL)
    assert focused() is wizard.pages[6].safe_place
    choose(2)  # 今夜の安全な場所 → いいえ
    tab()
    choose(1)  # 希望する
    assert "直ちに対応" in wizard.pages[6].advice.text()

    # 10 まとめ (Ctrl+End): urgent items first, then Enter on the focused save button.
    key(Qt.Key.Key_End, CTRL)
    assert wizard.current_step() == 10
    summary = wizard.pages[10].view.toPlainText()
    assert summary.index("緊急・重要") < summary.index("本人")
    assert "子どもの通告: 記録済み（子ども未来課）" in summary
    shot(wizard, "intake_keyboard_10_summary")
    assert isinstance(focused(), QPushButton)
    with qtbot.waitSignal(wizard.finished, timeout=3000) as finished:
        key(Qt.Key.Key_Return)  # the save button has the focus
    assert finished.args == [True]

    saved = session.records.latest_intake(wizard.saved_case_id)
    assert saved.client.name == "山田 花子"
    assert saved.client.kana == "やまだ はなこ"
    assert saved.safety.safe_now is False
    assert saved.safety.perpetrator_nearby is True
    assert saved.household.children[0].age == 5
    assert saved.household.children[0].sex == "female"
    assert saved.household.children[0].date_of_birth == dt.date(2021, 5, 1)
    assert saved.household.child_notification.notified_to == "子ども未来課"
    assert saved.household.child_notification.method == "電話"
    assert saved.risk.answers["R01"] is True and saved.risk.answers["R02"] is True
    assert saved.violence.types == {"physical": "repeated"}
    case = session.records.open_case(wizard.saved_case_id)
    assert case.risk_history[-1].final == "urgent"
    assert session.records.list_drafts() == [], "saving removes the draft"
    assert isinstance(wizard.pages[2].name, QLineEdit)
    session.close()
