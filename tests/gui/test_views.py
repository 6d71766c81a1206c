"""Search (kana-insensitive), 加害者名で確認, the case banner and the item models,
driven through the real main window over a real vault (fast KDF for tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from intake_app.gui.main_window import VIEW_CASE, MainWindow
from intake_app.gui.models import KanaFilterProxy
from intake_app.store import Vault
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import commit_text, flush, intake

PASS = "しずかな朝に川を渡る小舟"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Vault.open(tmp_path, "sato", PASS)
    records = s.records
    records.save_intake(
        intake(
            "山田花子",
            "やまだはなこ",
            phone="090-1111-2222",
            perpetrator="加藤一郎",
            support_measure_on=TODAY - dt.timedelta(days=340),
            day=TODAY,
        )
    )
    records.save_intake(intake("佐藤恵", "さとうめぐみ", aliases=["ヤマダ"], day=TODAY))
    records.save_intake(intake("鈴木和子", "すずきかずこ", perpetrator="高橋次郎", day=TODAY))
    yield s
    s.close()


@pytest.fixture
def main(qtbot, configured_app, session) -> Iterator[MainWindow]:
    window = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def search_for(qtbot, main: MainWindow, text: str) -> list[str]:
    qtbot.keyClick(main, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    view = main.search
    assert view.query.hasFocus() or view.isVisible()
    view.query.clear()
    commit_text(view.query, text)
    qtbot.keyClick(view.query, Qt.Key.Key_Return)
    proxy = view.proxy
    return [str(proxy.index(r, 1).data()) for r in range(proxy.rowCount())]


@pytest.mark.parametrize("query", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ"])
def test_search_is_kana_insensitive(qtbot, main: MainWindow, query: str) -> None:
    names = search_for(qtbot, main, query)
    # the client whose kana is やまだ, and the one whose 旧姓 is ヤマダ
    assert sorted(names) == ["佐藤恵", "山田花子"]


def test_search_by_phone_and_case_number(qtbot, main: MainWindow) -> None:
    assert search_for(qtbot, main, "09011112222") == ["山田花子"]
    number = main.search.proxy.index(0, 0).data()
    assert search_for(qtbot, main, number) == ["山田花子"]
    assert search_for(qtbot, main, "存在しない人") == []
    assert main.search.status.text() == "0 件"


def test_search_results_sort_and_filter_by_kana(qtbot, main: MainWindow) -> None:
    search_for(qtbot, main, "やまだ")
    table = main.search.table
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # ふりがな
    proxy = main.search.proxy
    assert [proxy.index(r, 1).data() for r in range(2)] == ["佐藤恵", "山田花子"]
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 1).data() for r in range(2)] == ["山田花子", "佐藤恵"]
    proxy.set_needle("ﾊﾅｺ")
    assert proxy.rowCount() == 1 and proxy.index(0, 1).data() == "山田花子"


def test_enter_on_a_result_opens_the_case_with_the_red_banner_and_is_audited(
    qtbot, main: MainWindow, session
) -> None:
    search_for(qtbot, main, "やまだはなこ")
    table = main.search.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert main.current_view == VIEW_CASE
    view = main.case_view
    assert view is not None
    assert view.banner_shown()
    assert "支援措置" in view.banner.text()
    assert "伝えないでください" in view.banner.text()
    assert view.timeline_model.rowCount() == 1
    assert view.risk_model.rowCount() == 1
    assert view.timeline_model.index(0, 2).data() == "来所"
    entries = [(e.action, e.object_id) for e in session.audit_entries()]
    assert ("case.open", f"case:{view.case_id}") in entries


def test_no_banner_on_an_ordinary_case_and_its_follow_ups_and_closing(
    qtbot, main: MainWindow, session
) -> None:
    search_for(qtbot, main, "すずき")
    case_id = main.search.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 2).case_id
    session.records.add_follow_up(case_id, TODAY, "電話で様子を確認")
    session.records.close_case(case_id, "転出のため")
    view = main.open_case(case_id)
    assert not view.banner_shown()
    texts = [view.follow_model.index(r, 2).data() for r in range(view.follow_model.rowCount())]
    kinds = [view.follow_model.index(r, 1).data() for r in range(view.follow_model.rowCount())]
    assert "電話で様子を確認" in texts and "転出のため" in texts
    assert "終結" in kinds


def test_perpetrator_name_check_warns(qtbot, main: MainWindow) -> None:
    qtbot.mouseClick(main.nav_buttons["perpetrator"], Qt.MouseButton.LeftButton)
    view = main.perpetrator
    commit_text(view.query, "加藤一郎")
    qtbot.keyClick(view.query, Qt.Key.Key_Return)
    assert view.warning_shown()
    assert "加害者" in view.warning.text() and "伝えないでください" in view.warning.text()
    view.query.clear()
    commit_text(view.query, "山田花子")  # a client, not a perpetrator
    qtbot.keyClick(view.query, Qt.Key.Key_Return)
    assert not view.warning_shown()
    assert "一致しませんでした" in view.result.text()
    # a non-match must not read as "all clear"
    assert "一致しなくても、相談の有無・居場所・連絡先は伝えないでください。" in view.result.text()
    assert view.result.isVisible()


def test_home_lists_today_renewals_and_drafts(qtbot, main: MainWindow, session) -> None:
    draft_id = session.records.save_draft(intake("途中子", "とちゅうこ"), step=2)
    main.show_home()
    home = main.home
    assert home.today_model.rowCount() == 3
    assert home.renewal_model.rowCount() == 1  # 支援措置 expiring within a month
    assert home.draft_model.rowCount() == 1
    home.draft_table.setFocus()
    home.draft_table.setCurrentIndex(home.draft_model.index(0, 0))
    qtbot.keyClick(home.draft_table, Qt.Key.Key_Return)
    wizard = main.wizard
    assert isinstance(wizard, FakeWizard)
    assert wizard.draft_id == draft_id and wizard.current_step() == 2
    assert wizard.name.text() == "途中子"


def test_item_models_pass_qtmodeltester(qtbot, qtmodeltester, main: MainWindow) -> None:
    search_for(qtbot, main, "やまだ")
    qtmodeltester.check(main.search.model)
    qtmodeltester.check(main.search.proxy)
    main.show_home()
    for model in main.home.models():
        qtmodeltester.check(model)
    view = main.open_case(main.search.model.row_object(0).case_id)
    for model in view.models():
        qtmodeltester.check(model)
    proxy = KanaFilterProxy()
    proxy.setSourceModel(main.search.model)
    proxy.set_needle("ヤマダ")
    qtmodeltester.check(proxy)


def test_home_counts_what_a_case_follows_without_naming_the_client(
    qtbot, main: MainWindow, session
) -> None:
    """The 支援措置 saved with the first intake has its places still to confirm: counted,
    listed by case number and place, the client's name nowhere (she may be in the room)."""
    home = main.home
    assert home.tracking_summary.text() == "確認先が未確認の支援措置: 1件"
    assert home.tracking_model.rowCount() == 1
    shown = [
        str(home.tracking_model.index(0, c).data())
        for c in range(home.tracking_model.columnCount())
    ]
    assert shown[2].startswith("支援措置の確認先: 未確認 8か所（住民記録（住民票）ほか7か所）")
    for text in (home.tracking_summary.text(), *shown):
        assert "山田" not in text and "花子" not in text and "加藤" not in text
    home.tracking_table.setFocus()
    home.tracking_table.selectRow(0)
    qtbot.keyClick(home.tracking_table, Qt.Key.Key_Return)


def test_home_says_when_it_lists_only_the_first_lines_of_many() -> None:
    """A decade of unrecorded ends: the counts stay complete and home says how many of
    them it lists (in the order of urgency)."""
    import datetime as dt

    from intake_app.gui.views import tracking_summary
    from intake_app.store.records.tracking import TrackingItem

    shown = [
        TrackingItem("measure_lapsed", i, f"2016-{i:04d}", dt.date(2017, 1, 1), "")
        for i in range(200)
    ]
    text = tracking_summary(shown, str, {"measure_lapsed": 56_331, "court_report": 2})
    assert text == (
        "期限が過ぎた支援措置: 56,331件、書面の送付日が未記録の照会: 2件"
        "（全56,333件のうち、期限の古い順・急ぐ順に200件を表示しています）"
    )
    assert tracking_summary(shown[:2], str) == "期限が過ぎた支援措置: 2件"
