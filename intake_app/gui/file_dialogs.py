"""The program's file and folder choices: always Qt's own dialog, always in Japanese.

A desktop's native dialog (GTK on Linux) speaks whatever language its own translations
give it ("Look in:", "Files of type:" on a PC without them) and ignores ours. Qt's own
dialog is translated by Qt's catalogue and ``resources/translations/qt_extra_ja``, and
its labels are set here as well, so a backup folder or a PDF file is chosen in
Japanese on every PC. Every choice is modal to ``parent``, so a lock closes it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from intake_app.gui.screen_fit import fit_to_screen


def tr(text: str) -> str:
    return QCoreApplication.translate("FileDialogs", text)


def _dialog(parent: QWidget | None, title: str, mode: QFileDialog.FileMode) -> QFileDialog:
    dialog = QFileDialog(parent, title, QDir.homePath())
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    fit_to_screen(dialog, 960, 600)  # names and dates readable, not cut to 「…」
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, tr("場所(&L):"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, tr("ファイルの種類(&T):"))
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, tr("キャンセル"))
    return dialog


def _run(dialog: QFileDialog) -> Path | None:
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.selectedFiles()
        return Path(chosen[0]) if chosen else None
    finally:
        dialog.deleteLater()


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    """A folder (a backup's destination or source), or None when cancelled."""
    dialog = _dialog(parent, title, QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, tr("フォルダ(&N):"))
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, tr("このフォルダを選ぶ"))
    return _run(dialog)


def choose_open_file(parent: QWidget | None, title: str, pattern: str) -> Path | None:
    """An existing file matching ``pattern`` (「公開カード (*.ihc)」), or None."""
    dialog = _dialog(parent, title, QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(pattern)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, tr("ファイル名(&N):"))
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, tr("開く"))
    return _run(dialog)


def choose_save_file(
    parent: QWidget | None, title: str, suggested: str, pattern: str
) -> Path | None:
    """Where to write a new file (``suggested`` is the name offered), or None."""
    dialog = _dialog(parent, title, QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(pattern)
    dialog.selectFile(suggested)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, tr("ファイル名(&N):"))
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, tr("保存"))
    return _run(dialog)
