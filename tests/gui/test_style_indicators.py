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
