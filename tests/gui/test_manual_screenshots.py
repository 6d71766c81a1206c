"""The manual's pictures come from the real screens, with invented data.

The test draws each screen the manual shows (offscreen, ``widget.grab()``) and fails
when the manual names a picture it no longer makes, or when a committed picture is
missing or no longer has the screen's size. Pixels are not compared (fonts differ per
machine). ``INTAKE_APP_WRITE_MANUAL_IMAGES=1`` writes the pictures into
``intake_app/resources/manual/images/`` (commit them); otherwise they go to
``tests/screenshots/manual/`` for a look.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.documents import manual
from intake_app.gui.help import open_help
from intake_app.gui.main_window import MainWindow
from intake_app.gui.supervisor.stats_tab import StatsTab
from intake_app.gui.unlock import UnlockScreen
from intake_app.store import Vault
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import commit_text, flush, intake
from tests.gui.intake_helpers import open_wizard

WRITE = os.environ.get("INTAKE_APP_WRITE_MANUAL_IMAGES") == "1"
LOOK = Path(__file__).resolve().parents[1] / "screenshots" / "manual"
PASS = "しずかな朝に川を渡る小舟"
TODAY = dt.date(2026, 11, 25)
SIZE = QSize(1100, 720)  # every picture: one screen of a counter PC, readable in print
MAX_BYTES = 120_000  # a picture of the committed set stays small


def images_dir() -> Path:
    return manual.manual_dir() / "images"


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Vault.open(tmp_path, "sato", PASS)
    yamada = intake(
        "見本 花子",
        "みほん はなこ",
        perpetrator="見本 一郎",
        support_measure_on=TODAY - dt.timedelta(days=340),
        day=TODAY,
    )
    yamada.address.counter_note = "窓口では氏名を呼ばず、番号札で相談室へ案内"
    case_id = s.records.save_intake(yamada).case_id
    s.records.add_follow_up(case_id, TODAY, "電話で近況を確認")
    s.records.save_intake(intake("練習 恵", "れんしゅう めぐみ", aliases=["ミホン"], day=TODAY))
    for i, day in enumerate([dt.date(2026, 4, 10), dt.date(2026, 5, 11), dt.date(2026, 6, 2)]):
        s.records.save_intake(intake(f"架空 花子{i}", "かくう はなこ", day=day))
    yield s
    s.close()


def take(widget: QWidget, name: str, made: dict[str, QSize]) -> QImage:
    """Draw ``widget`` at the manual's size and keep the picture under ``name``."""
    widget.resize(SIZE)
    widget.show()
    QGuiApplication.processEvents()
    image = widget.grab().toImage()
    folder = images_dir() if WRITE else LOOK
    folder.mkdir(parents=True, exist_ok=True)
    # 32 colours without dithering: flat colours and text stay sharp at a fifth of the size
    raw = QByteArray()
    buffer = QBuffer(raw)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    picture = Image.open(io.BytesIO(raw.data())).convert("RGB")
    small = picture.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(folder / f"{name}.png", "PNG", optimize=True)
    made[name] = image.size()
    return image


def test_the_manual_pictures_come_from_the_real_screens(
    qtbot, configured_app, session, tmp_path: Path
) -> None:
    made: dict[str, QSize] = {}

    unlock = UnlockScreen(tmp_path, Vault)
    qtbot.addWidget(unlock)
    take(unlock, "unlock", made)

    main = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(main)
    take(main, "home", made)
    main.show_search()
    commit_text(main.search.query, "ﾐﾎﾝ")
    qtbot.keyClick(main.search.query, Qt.Key.Key_Return)
    assert main.search.result_count() == 2
    take(main, "search", made)
    main.show_perpetrator_check()
    commit_text(main.perpetrator.query, "見本一郎")
    qtbot.keyClick(main.perpetrator.query, Qt.Key.Key_Return)
    take(main, "perpetrator_check", made)
    hits = {main.search.model.row_object(r).name: r for r in range(2)}
    main.open_case(main.search.model.row_object(hits["見本 花子"]).case_id)
    take(main, "case", made)
    help_window = open_help(main, "intake-step-3")
    take(help_window, "help", made)
    help_window.show_section("intake-step-3")  # after the resize, at the same place
    take(help_window, "help", made)
    main.suspend()
    flush()

    wizard = open_wizard(qtbot, session)
    safety = wizard.pages[0]
    safety.safe_now.setValue(False)
    safety.perpetrator_nearby.setValue(True)
    take(wizard, "intake_safety", made)
    wizard.go_to(5)
    risk = wizard.pages[5]
    for item in ("R01", "R05", "R07"):
        risk.items[item].setValue(True)
    take(wizard, "intake_risk", made)
    wizard.go_to(10)
    take(wizard, "intake_summary", made)
    wizard.close()

    stats = StatsTab(session, today=TODAY)
    qtbot.addWidget(stats)
    qtbot.waitUntil(stats.loaded, timeout=30_000)
    take(stats, "supervisor_stats", made)

    named = manual.referenced_images()
    assert [n for n in named if n not in made] == [], (
        "the manual names pictures this test no longer makes"
    )
    if WRITE:
        return
    for name, size in made.items():
        committed = images_dir() / f"{name}.png"
        hint = "run this test with INTAKE_APP_WRITE_MANUAL_IMAGES=1 and commit the pictures"
        assert committed.is_file(), f"{committed} is missing: {hint}"
        assert QImage(str(committed)).size() == size, f"{name}.png changed size: {hint}"
    for widget in QApplication.topLevelWidgets():
        widget.close()
    flush()


def test_the_committed_pictures_are_the_ones_the_manual_shows() -> None:
    """Every picture the manual names is in the package, small, and none is left over."""
    shipped = {p.stem: p for p in images_dir().glob("*.png")}
    named = manual.referenced_images()
    assert sorted(shipped) == sorted(set(named))
    for path in shipped.values():
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert path.stat().st_size < MAX_BYTES, path.name
