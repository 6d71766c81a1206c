"""The screen walker finds what it is there to find (a checker that cannot fail is none)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.gui.accessibility import StatusLabel, buddy
from tests.gui.walker import Walker, check_screen, geometry_problems, name_problems


def _window(qtbot, *widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_named_screen_passes(qtbot):
    edit = QLineEdit()
    label = buddy(QLabel("氏名(&N)"), edit)
    status = StatusLabel("検索結果の件数")
    status.setText("3 件")
    window = _window(qtbot, label, edit, QPushButton("検索する"), status)
    assert check_screen(qtbot, window) == []


def test_an_unnamed_field_and_a_combo_named_by_its_value_are_found(qtbot):
    combo = QComboBox()
    combo.addItems(["不明・回答なし", "はい"])
    window = _window(qtbot, QLineEdit(), combo)
    problems = name_problems(window)
    assert any("QLineEdit: 名前がない" in p for p in problems), problems
    assert any("名前が値だけ" in p for p in problems), problems


def test_the_same_name_twice_is_found(qtbot):
    first, second = QCheckBox("紹介"), QCheckBox("紹介")
    window = _window(qtbot, first, second)
    assert any("2 個の操作部品が同じ名前" in p for p in name_problems(window))


def test_a_status_line_whose_name_hides_its_text_is_found(qtbot):
    label = QLabel("パスフレーズが違います。")
    label.setAccessibleName("メッセージ")
    window = _window(qtbot, QPushButton("ロック解除"), label)
    assert any("読み上げられない" in p for p in name_problems(window))


def test_tab_kept_by_a_table_or_a_text_box_is_found(qtbot):
    table = QTableWidget(2, 2)
    table.setAccessibleName("一覧")
    window = _window(qtbot, QPushButton("前"), table, QPushButton("後"))
    table.setFocus()
    assert any("出られない" in p for p in check_screen(qtbot, window))
    text = QPlainTextEdit()
    text.setAccessibleName("メモ")
    window = _window(qtbot, QPushButton("前"), text, QPushButton("後"))
    text.setFocus()
    assert any("出られない" in p for p in check_screen(qtbot, window))


def test_a_window_larger_than_the_screen_is_found(qtbot):
    window = _window(qtbot, QPushButton("大きな窓"))
    window.resize(1600, 900)
    assert geometry_problems(window)


def test_the_walker_opens_dialogs_walks_and_closes_them(qtbot):
    opened: list[QDialog] = []

    def open_dialog() -> None:
        dialog = QDialog(window)
        dialog.setWindowTitle("質問")
        QVBoxLayout(dialog).addWidget(QLineEdit())  # unnamed: the walker must say so
        opened.append(dialog)
        dialog.exec()

    button = QPushButton("質問を開く")
    button.clicked.connect(open_dialog)
    window = _window(qtbot, button)
    walker = Walker(qtbot)
    try:
        walker.walk(window)
    finally:
        walker.stop()
    assert opened and not opened[0].isVisible(), "the dialog was closed by the walker"
    assert "QDialog" in walker.windows
    assert any("名前がない" in p for p in walker.problems.get("QDialog「質問」", []))
