"""Check boxes and radio buttons: an indicator large enough beside 15 pt text, with
the focus still visible (the program's style sheet)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)


@pytest.mark.parametrize(
    ("kind", "element"),
    [
        (QCheckBox, QStyle.SubElement.SE_CheckBoxIndicator),
        (QRadioButton, QStyle.SubElement.SE_RadioButtonIndicator),
    ],
)
def test_indicators_are_about_20_px(qtbot, configured_app, kind, element) -> None:
    # (size checked below)
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    button = kind("子どもが同居している")
    other = kind("いいえ")
    layout.addWidget(button)
    layout.addWidget(other)
    host.show()
    qtbot.waitExposed(host)
    option = QStyleOptionButton()
    button.initStyleOption(option)
    rect = button.style().subElementRect(element, option, button)
    assert rect.width() >= 18 and rect.height() >= 18, rect
    # a visible focus: the focused button is drawn differently from the unfocused one
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    unfocused = button.grab().toImage()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    focused = button.grab().toImage()
    assert focused != unfocused


def test_the_focus_frame_goes_round_the_label_not_through_it(qtbot, configured_app, session):
    """On the intake's check boxes: the frame keeps its room when not focused (the label
    does not jump), and no stroke of the label lies on the frame's ring (it once crossed
    the text)."""
    from PySide6.QtGui import QColor

    from tests.gui.intake_helpers import open_wizard

    wizard = open_wizard(qtbot, session)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    first, second = wizard.pages[0].action_boxes[:2]

    def dark(image) -> int:  # the label's strokes
        return sum(
            1
            for y in range(image.height())
            for x in range(image.width())
            if QColor(image.pixel(x, y)).lightness() < 80
        )

    second.setFocus()
    qtbot.waitUntil(second.hasFocus)
    unfocused, plain = first.sizeHint(), dark(first.grab().toImage())
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    assert first.sizeHint() == unfocused, "focus does not change the box's size"
    image = first.grab().toImage()
    frame = QColor("#005fcc").rgb()
    ring = [(x, 1) for x in range(image.width())]
    assert any(image.pixel(x, y) == frame for x, y in ring), "the focus frame is drawn"
    assert first.height() >= first.fontMetrics().height() + 2 * 3, "room for a 3 px frame"
    assert dark(image) >= plain * 0.99, "the whole label, not cut by the frame"
