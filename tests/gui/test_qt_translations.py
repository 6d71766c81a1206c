"""Qt's own buttons and dialogs speak Japanese too (OK/キャンセル, the print dialog)."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from intake_app import paths
from intake_app.gui.app import install_qt_translations

LRELEASE = Path(sys.executable).parent / "pyside6-lrelease"


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


# --- our own Japanese for what Qt's catalogue lacks ------------------------------------

TS = paths.resource("translations", "qt_extra_ja.ts")
QM = paths.resource("translations", "qt_extra_ja.qm")


def messages() -> list[tuple[str, str, str]]:
    root = ET.parse(TS).getroot()
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m.findtext("translation") or "")
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


def test_the_compiled_catalogue_says_what_its_source_says(qtbot):
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(QM))
    found = messages()
    assert len(found) >= 9
    for context, source, translation in found:
        assert translation and not re.search("[A-Za-z]{3,}", translation.replace("&", ""))
        assert translator.translate(context, source) == translation, (context, source)


@pytest.mark.skipif(
    shutil.which(LRELEASE.name, path=str(LRELEASE.parent)) is None,
    reason="pyside6-lrelease not installed",
)
def test_the_qm_is_compiled_from_the_ts(tmp_path):
    out = tmp_path / "check.qm"
    subprocess.run([str(LRELEASE), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on qt_extra_ja.ts"


def test_print_dialog_speaks_japanese(qtbot):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QGroupBox, QLabel, QRadioButton

    from intake_app.gui.print_job import new_printer

    assert install_qt_translations(QApplication.instance())
    printer = new_printer()  # the dialog does not own it: keep it alive
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(QGroupBox, "duplex").title() == "両面印刷"
    assert dialog.findChild(QRadioButton, "noDuplex").text() == "しない（片面）"
    assert dialog.findChild(QRadioButton, "duplexLong").text() == "長辺とじ"
    assert dialog.findChild(QRadioButton, "duplexShort").text() == "短辺とじ"
    assert dialog.findChild(QRadioButton, "pagesRadioButton").text() == "ページ指定"
    assert dialog.findChild(QLabel, "pageSetLabel").text() == "印刷するページ(&S):"
    english = [
        w.text()
        for w in dialog.findChildren(QLabel) + dialog.findChildren(QRadioButton)
        if w.objectName() not in ("type", "location", "status")  # the printer's own words
        and re.search("[A-Za-z]{3,}", w.text().replace("&", ""))
    ]
    assert english == []


def test_file_dialog_speaks_japanese(qtbot):
    from PySide6.QtWidgets import QFileDialog, QLabel

    assert install_qt_translations(QApplication.instance())
    dialog = QFileDialog(None, "PDFとして保存", "", "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(QLabel, "lookInLabel").text() == "場所(&L):"
    assert dialog.findChild(QLabel, "fileTypeLabel").text() == "ファイルの種類(&T):"
