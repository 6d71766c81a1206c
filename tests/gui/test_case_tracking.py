"""The case view's 「確認・記録」 tab and its dialogs, on a real vault through the main
window: Enter on a row opens its dialog, a refused field shows its sentence under it,
a written record shows on the case and on home."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from intake_app.gui import case_tracking
from intake_app.gui.case_tracking import (
    CourtRequestDialog,
    OrderDialog,
    PlaceDialog,
    PursuitDialog,
    ShelterDialog,
)
from intake_app.gui.main_window import MainWindow
from intake_app.store import Vault
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import commit_text, flush, intake

PASS = "しずかな朝に川を渡る小舟"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Vault.open(tmp_path, "sato", PASS)
    s.records.save_intake(
        intake("山田花子", "やまだはなこ", support_measure_on=TODAY - dt.timedelta(days=3))
    )
    yield s
    s.close()


@pytest.fixture
def main(qtbot: Any, configured_app: Any, session: Any) -> Iterator[MainWindow]:
    window = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def tracking_tab(main: MainWindow) -> Any:
    view = main.open_case(1)
    tabs = view.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "確認・記録")
    tabs.setCurrentIndex(index)
    return view.tracking_tab


def cells(tab: Any) -> list[tuple[str, str]]:
    return [
        (tab.rows.item(r, 0).text(), tab.rows.item(r, 2).text()) for r in range(tab.rows.rowCount())
    ]


def test_the_tab_lists_the_measure_and_its_places_and_enter_opens_the_row(
    qtbot: Any, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = tracking_tab(main)
    shown = cells(tab)
    assert shown[0][0] == "支援措置"
    assert ("確認先: 住民記録（住民票）", "未確認") in shown
    opened: list[Any] = []
    monkeypatch.setattr(case_tracking, "run_dialog", lambda d: opened.append(d) or False)
    tab.rows.setFocus()
    tab.rows.setCurrentCell(1, 0)
    qtbot.keyClick(tab.rows, Qt.Key.Key_Return)
    assert isinstance(opened[0], PlaceDialog)
    for button in tab.buttons.values():
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_a_place_confirmed_in_its_dialog_leaves_home(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    tab = tracking_tab(main)
    check = session.tracking.case(1).measure.checks[0]
    dialog = PlaceDialog(session, check, tab)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.errors_shown() == {"method": "確認の方法: 一覧から選んでください"}
    dialog.method.setValue("system")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    confirmed = session.tracking.case(1).measure.checks[0]
    assert (confirmed.method, confirmed.confirmed_by_name) == ("system", "sato")
    lines = [i.text for i in session.records.home(TODAY).tracking]
    assert lines and "7か所" in lines[0]


def test_a_pursuit_dialog_names_each_missing_field_and_then_raises_the_caution(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    dialog = PursuitDialog(session, 1)
    qtbot.addWidget(dialog)
    assert dialog.answer.value() == "nothing"  # suggested: nothing disclosed
    dialog.submit()
    shown = dialog.errors_shown()
    assert shown["counter"] == "窓口・部署: 受けた窓口か部署を入力してください"
    assert shown["identity_check"] == "本人確認: 一覧から選んでください"
    assert session.tracking.case(1).pursuits == ()
    dialog.asked_at.setValue(dt.datetime(2026, 11, 24, 15, 0))
    dialog.counter.setFocus()
    commit_text(dialog.counter, "市民課窓口")
    commit_text(dialog.asker, "兄と名乗る男性")
    dialog.identity_check.setValue("none")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert session.records.open_case(1).do_not_disclose


def test_court_and_order_dialogs_check_at_the_field(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    request = CourtRequestDialog(session, 1)
    qtbot.addWidget(request)
    request.received_on.setText("2026-13-01")
    request.submit()
    assert request.errors_shown() == {"received_on": "存在しない日付です"}
    request.received_on.setValue(TODAY)
    request.submit()
    assert request.errors_shown() == {"court": "裁判所: 裁判所の名前を入力してください"}
    request.court.setText("さいたま地方裁判所")
    request.submit()
    assert session.tracking.case(1).latest_request.request.court == "さいたま地方裁判所"
    order = OrderDialog(session, 1)
    qtbot.addWidget(order)
    order.issued_on.setValue(TODAY - dt.timedelta(days=2))
    order.order_boxes["contact_ban"].setChecked(True)
    order.submit()
    assert order.errors_shown() == {
        "orders": "発令された命令: ②〜⑤は①接近禁止命令と一緒にだけ発令されます"
    }
    order.order_boxes["approach_ban"].setChecked(True)
    order.submit()
    assert session.tracking.case(1).court_orders[0].notice.orders == ("approach_ban", "contact_ban")


def test_a_shelter_outcome_dialog_asks_why_when_declined(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    dialog = ShelterDialog(session, 1, "female")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "一時保護の依頼と結果"
    dialog.status.setValue("declined")
    dialog.submit()
    assert dialog.errors_shown() == {
        "declined_reason": "受け入れられなかった理由: 理由を入力してください"
    }
    dialog.declined_reason.setText("定員のため")
    dialog.submit()
    assert session.tracking.case(1).shelters[0].outcome.status == "declined"
    men = ShelterDialog(session, 1, "male")
    qtbot.addWidget(men)
    assert men.windowTitle() == "緊急一時避難の依頼と結果"
    labels = [men.afterwards.itemText(i) for i in range(men.afterwards.count())]
    assert "女性自立支援施設" not in labels


def test_a_perpetrator_name_match_offers_to_record_the_enquiry(
    qtbot: Any, configured_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path / "p", "sato", PASS)
    with Vault.open(tmp_path / "p", "sato", PASS) as s:
        case_id = s.records.save_intake(
            intake("山田花子", "やまだはなこ", perpetrator="加藤一郎")
        ).case_id
        window = MainWindow(s, wizard_factory=FakeWizard, today=lambda: TODAY)
        qtbot.addWidget(window)
        window.show()
        qtbot.mouseClick(window.nav_buttons["perpetrator"], Qt.MouseButton.LeftButton)
        view = window.perpetrator
        commit_text(view.query, "加藤一郎")
        qtbot.keyClick(view.query, Qt.Key.Key_Return)
        assert [b.accessibleName() for b in view.pursuit_buttons] == [
            "追及として記録（ケース 2026-0001）…"
        ]

        def fill(dialog: Any) -> bool:
            assert dialog.asker.text() == "加藤一郎"
            dialog.counter.setText("相談窓口（電話）")
            dialog.identity_check.setValue("none")
            dialog.submit()
            return dialog.result() == dialog.DialogCode.Accepted

        monkeypatch.setattr(case_tracking, "run_dialog", fill)
        button = view.pursuit_buttons[0]
        assert button.text().endswith("(&J)")  # Alt+J from the keyboard
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert "保存しました" in view.result.text()
        assert s.records.open_case(case_id).do_not_disclose
        assert s.tracking.case(case_id).pursuits[0].entry.asker == "加藤一郎"
        window.suspend()
        flush()


def test_a_measure_without_a_checklist_gets_one_from_the_tab(
    qtbot: Any, main: MainWindow, session: Any
) -> None:
    """A measure saved before the settings listed places: home says so, the tab makes it."""
    with session.transaction("test.clear") as conn:
        conn.execute("DELETE FROM support_measure_checks")
    assert [i.kind for i in session.records.home(TODAY).tracking] == ["measure_no_checklist"]
    tab = tracking_tab(main)
    assert tab.buttons["checklist"].isVisibleTo(tab)
    qtbot.mouseClick(tab.buttons["checklist"], Qt.MouseButton.LeftButton)
    assert len(session.tracking.case(1).measure.checks) == 8
    assert [i.kind for i in session.records.home(TODAY).tracking] == ["measure_unconfirmed"]
    assert not main.case_view.tracking_tab.buttons["checklist"].isVisibleTo(main.case_view)


def test_enter_on_a_pursuit_row_asks_the_police_answer(
    qtbot: Any, main: MainWindow, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.domain.tracking import PursuitEntry

    session.tracking.add_pursuit(
        1, PursuitEntry(dt.datetime(2026, 11, 24, 10, 0), "税務課", "名乗らず", "none")
    )
    tab = tracking_tab(main)
    row = next(
        r for r in range(tab.rows.rowCount()) if tab.rows.item(r, 0).text() == "追及: 税務課"
    )

    def answer(dialog: Any) -> bool:
        dialog.submit()
        assert dialog.errors_shown() == {
            "police_told": "警察へ伝えたか: 「はい」か「いいえ」を選んでください"
        }
        dialog.police.setValue(False)
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(case_tracking, "run_dialog", answer)
    tab.rows.setFocus()
    tab.rows.setCurrentCell(row, 0)
    qtbot.keyClick(tab.rows, Qt.Key.Key_Return)
    assert session.tracking.case(1).pursuits[0].entry.police_told is False
    assert "pursuit_police" not in [i.kind for i in session.records.home(TODAY).tracking]


def test_a_mistyped_court_request_is_corrected_from_the_tab(
    qtbot: Any, main: MainWindow, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """「選んだ記録を訂正…」 opens the saved request with its values; the corrected 事件番号
    is what the court report will print. Rows that cannot be corrected leave it off."""
    from intake_app.domain.court import CourtRequest

    session.tracking.add_court_request(
        1,
        CourtRequest("さいたま地方裁判所", "民事第4部", "令和8年(モ)第132号", None, TODAY),
        today=TODAY,
    )
    tab = tracking_tab(main)
    rows = [tab.rows.item(r, 0).text() for r in range(tab.rows.rowCount())]
    court = rows.index("裁判所からの照会: さいたま地方裁判所")
    other = next(r for r, text in enumerate(rows) if not text.startswith(("追及", "裁判所")))
    tab.rows.setFocus()
    tab.rows.setCurrentCell(other, 0)
    assert not tab.correct_button.isEnabled()
    tab.rows.setCurrentCell(court, 0)
    assert tab.correct_button.isEnabled()
    seen: list[Any] = []

    def correct(dialog: Any) -> bool:
        seen.append(dialog)
        assert dialog.windowTitle() == "裁判所からの照会の記録を訂正"
        assert dialog.case_number.text() == "令和8年(モ)第132号"
        dialog.case_number.selectAll()  # the typed correction replaces the old number
        commit_text(dialog.case_number, "令和8年(モ)第123号")
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(case_tracking, "run_dialog", correct)
    qtbot.mouseClick(tab.correct_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    latest = session.tracking.case(1).latest_request
    assert latest is not None and latest.request.case_number == "令和8年(モ)第123号"
    assert len(session.tracking.case(1).court_requests) == 1  # corrected, not added
