"""Screenshots of each main screen (tests/screenshots/, git-ignored), and proof that
Japanese text is drawn with real glyphs: not blank and not tofu boxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from intake_app.gui.main_window import MainWindow
from intake_app.gui.setup import SetupWizard
from intake_app.gui.unlock import UnlockScreen
from intake_app.store import Vault
from tests.gui.fakes import FakeWizard
from tests.gui.helpers import commit_text, flush, intake

OUT = Path(__file__).resolve().parents[1] / "screenshots"
PASS = "しずかな朝に川を渡る小舟"
TODAY = dt.date(2026, 11, 25)
MISSING = "\U0010fffd"  # a private-use code point no font has: drawn as a tofu box


def render_text(text: str, font: QFont) -> QImage:
    metrics = QFontMetrics(font)
    image = QImage(
        metrics.horizontalAdvance(text) + 8, metrics.height() + 8, QImage.Format.Format_RGB32
    )
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(4, 4 + metrics.ascent(), text)
    painter.end()
    return image


def dark_pixels(image: QImage) -> set[tuple[int, int]]:
    return {
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).lightness() < 128
    }


def test_bundled_font_is_the_application_font(configured_app) -> None:
    assert QGuiApplication.font().family() == "IPAexGothic"


@pytest.mark.parametrize("char", list("相談記録やまダ"))
def test_japanese_glyphs_are_not_tofu(configured_app, char: str) -> None:
    font = QGuiApplication.font()
    tofu = dark_pixels(render_text(MISSING, font))
    glyph = dark_pixels(render_text(char, font))
    assert len(glyph) > 20  # something was drawn
    assert glyph != tofu  # and it is not the missing-glyph box
    overlap = len(glyph & tofu) / max(len(glyph | tofu), 1)
    assert overlap < 0.6


def test_the_tofu_check_can_fail(configured_app) -> None:
    font = QGuiApplication.font()
    assert dark_pixels(render_text(MISSING, font)) == dark_pixels(render_text("\U0010fffc", font))


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    Vault.create(tmp_path, "sato", PASS)
    s = Vault.open(tmp_path, "sato", PASS)
    yamada = intake(
        "山田花子",
        "やまだはなこ",
        perpetrator="加藤一郎",
        support_measure_on=TODAY - dt.timedelta(days=340),
        day=TODAY,
    )
    yamada.address.counter_note = "窓口では氏名を呼ばず、番号札で相談室へ案内"
    case_id = s.records.save_intake(yamada).case_id
    s.records.add_follow_up(case_id, TODAY, "電話で近況を確認")
    s.records.save_intake(intake("佐藤恵", "さとうめぐみ", aliases=["ヤマダ"], day=TODAY))
    anonymous = intake("", "", day=TODAY)
    anonymous.client.anonymous = True
    s.records.save_intake(anonymous)
    yield s
    s.close()


def shoot(widget, name: str) -> QImage:
    OUT.mkdir(exist_ok=True)
    widget.resize(1200, 820)
    widget.show()
    QGuiApplication.processEvents()
    image = widget.grab().toImage()
    image.save(str(OUT / f"{name}.png"))
    return image


def assert_text_rendered(image: QImage) -> None:
    small = image.scaled(300, 205)
    dark = dark_pixels(small)
    assert len(dark) > 200, "the screen is blank"


def tofu(text: str) -> str:
    """The same string drawn as replacement boxes (a code point no font has)."""
    return "".join(MISSING if not ch.isspace() else ch for ch in text)


def label_crop(window: QWidget, label: QLabel) -> QImage:
    """The label's rectangle in a fresh screenshot of the whole window."""
    QGuiApplication.processEvents()
    image = window.grab().toImage()
    ratio = image.devicePixelRatio()
    top_left = label.mapTo(window, QPoint(0, 0))
    rect = QRect(
        round(top_left.x() * ratio),
        round(top_left.y() * ratio),
        round(label.width() * ratio),
        round(label.height() * ratio),
    )
    return image.copy(rect)


def likeness(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    return len(a & b) / max(len(a | b), 1)


def assert_glyphs_drawn(window: QWidget, label: QLabel) -> None:
    """The label's region of the screenshot holds real glyphs: not blank, and not like
    the same string drawn as tofu boxes at the same place (same widget, font, style)."""
    original = label.text()
    real = dark_pixels(label_crop(window, label))
    label.setText(tofu(original))
    boxes = dark_pixels(label_crop(window, label))
    label.setText(original)
    QGuiApplication.processEvents()
    assert len(real) > 30, f"the region of 「{original}」 is blank"
    assert len(boxes) > 30, "the tofu control drew nothing"
    assert likeness(real, boxes) < 0.5, f"「{original}」 looks like tofu boxes"


def screen_label(window: QWidget, text: str) -> QLabel:
    labels = [w for w in window.findChildren(QLabel) if w.text() == text and w.isVisible()]
    assert labels, f"no visible label 「{text}」"
    return labels[0]


@pytest.fixture
def one_label(qtbot, configured_app) -> tuple[QWidget, QLabel]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    label = QLabel("今日の相談")
    label.setObjectName("sectionTitle")
    layout.addWidget(label)
    window.resize(400, 120)
    window.show()
    QGuiApplication.processEvents()
    return window, label


def test_the_screen_glyph_check_passes_real_glyphs(one_label) -> None:
    assert_glyphs_drawn(*one_label)


def test_the_screen_glyph_check_catches_tofu(one_label) -> None:
    window, label = one_label
    label.setText(tofu("今日の相談"))  # what a missing Japanese font would show
    with pytest.raises(AssertionError, match="tofu boxes"):
        assert_glyphs_drawn(window, label)


def test_the_screen_glyph_check_catches_blank(one_label) -> None:
    window, label = one_label
    label.setStyleSheet("color: #f7f7f4;")  # drawn in the background colour
    with pytest.raises(AssertionError, match="blank"):
        assert_glyphs_drawn(window, label)


def test_screenshots_of_each_screen(qtbot, configured_app, session, tmp_path: Path) -> None:
    unlock = UnlockScreen(tmp_path, Vault)
    qtbot.addWidget(unlock)
    assert_text_rendered(shoot(unlock, "unlock"))
    assert_glyphs_drawn(unlock, unlock.ui.titleLabel)

    setup = SetupWizard(tmp_path / "new", Vault)
    qtbot.addWidget(setup)
    commit_text(setup.account.ui.displayNameEdit, "佐藤 一郎")
    commit_text(setup.account.ui.userEdit, "佐藤")
    assert_text_rendered(shoot(setup, "setup"))

    main = MainWindow(session, wizard_factory=FakeWizard, today=lambda: TODAY)
    qtbot.addWidget(main)
    assert_text_rendered(shoot(main, "home"))
    assert_glyphs_drawn(main, screen_label(main, "今日の相談"))
    main.show_search()
    commit_text(main.search.query, "ﾔﾏﾀﾞ")
    qtbot.keyClick(main.search.query, Qt.Key.Key_Return)
    assert main.search.result_count() == 2
    assert_text_rendered(shoot(main, "search"))
    assert_glyphs_drawn(main, screen_label(main, "ケースの検索"))
    main.show_perpetrator_check()
    commit_text(main.perpetrator.query, "加藤一郎")
    qtbot.keyClick(main.perpetrator.query, Qt.Key.Key_Return)
    assert_text_rendered(shoot(main, "perpetrator_warning"))
    assert_glyphs_drawn(main, screen_label(main, "加害者名で確認"))
    case_id = main.search.model.row_object(0).case_id
    hits = {main.search.model.row_object(r).name: r for r in range(2)}
    case_id = main.search.model.row_object(hits["山田花子"]).case_id
    view = main.open_case(case_id)
    image = shoot(main, "case_banner")
    assert_text_rendered(image)
    assert_glyphs_drawn(main, view.header)
    banner = view.banner.geometry().center()
    pos = view.mapTo(main, banner)
    color = image.pixelColor(pos.x(), view.mapTo(main, view.banner.geometry().topLeft()).y() + 3)
    assert color.red() > 150 and color.green() < 60  # the red banner is really red
    main.suspend()
    flush()
