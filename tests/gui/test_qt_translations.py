"""Qt's own buttons and dialogs speak Japanese too (OK/キャンセル, the print dialog)."""

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from intake_app.gui.app import install_qt_translations


def test_standard_buttons_are_in_japanese(qtbot):
    assert install_qt_translations(QApplication.instance())
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(box)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
    close = box.button(QDialogButtonBox.StandardButton.Close).text()
    assert "キャンセル" in cancel
    assert "閉じる" in close
