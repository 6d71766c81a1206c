"""The case banner: the 支援措置's last day, 「期限切れ」 once past, and the note for
counter staff under it (real CaseView on the real Records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from intake_app.domain.japanese import wareki
from intake_app.domain.rules import support_measure
from intake_app.gui.main_window import MainWindow
from tests.gui.fakes import FakeVault, GuiSession
from tests.gui.helpers import flush, intake

TODAY = dt.date(2026, 11, 25)
NOTE = "窓口では氏名を呼ばず、番号札で相談室へ案内"


@pytest.fixture
def main(vault: FakeVault, qtbot) -> Iterator[MainWindow]:
    window = MainWindow(GuiSession(vault.conn), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.suspend()
    flush()


def open_with(main: MainWindow, applied_on: dt.date | None, note: str = "", **kw):
    item = intake("松本なぎさ", "まつもとなぎさ", support_measure_on=applied_on, day=TODAY, **kw)
    item.address.counter_note = note
    case_id = main.session.records.save_intake(item).case_id
    return main.open_case(case_id)


def test_banner_shows_the_expiry_date_while_in_force(main: MainWindow) -> None:
    applied = TODAY - dt.timedelta(days=100)
    view = open_with(main, applied, NOTE)
    end = support_measure.expiry(applied)
    text = view.banner.text()
    assert view.banner_shown() and "支援措置" in text
    assert wareki(end) in text and "期限切れ" not in text
    assert f"あと{(end - TODAY).days}日" in text
    assert view.counter_note.isVisible() and NOTE in view.counter_note.text()
    # under the banner
    assert view.counter_note.geometry().top() >= view.banner.geometry().bottom()


def test_banner_says_expired_once_past(main: MainWindow) -> None:
    applied = TODAY - dt.timedelta(days=400)
    view = open_with(main, applied)
    text = view.banner.text()
    assert view.banner_shown()
    assert "期限切れ" in text and wareki(support_measure.expiry(applied)) in text
    assert not view.counter_note.isVisible()


def test_no_banner_and_no_note_on_an_ordinary_case(main: MainWindow) -> None:
    view = open_with(main, None)
    assert not view.banner_shown() and not view.counter_note.isVisible()
