"""The program's file and folder choices are Qt's own dialog, entirely in Japanese (issue 19:
the backup folder dialog showed "Look in:" and "Files of type:")."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QLabel

from intake_app.gui import file_dialogs
from intake_app.gui.supervisor import backup_tab
from tests.gui.helpers import WhenDialogOpens
from tests.gui.walker import english_texts


def _look(qtbot, choose, *args) -> tuple[QFileDialog, list[str], object]:
    seen: dict[str, object] = {}

    def inspect(dialog: QFileDialog) -> None:
        seen["dialog"] = dialog
        seen["native"] = not dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        seen["english"] = english_texts(dialog)
        seen["labels"] = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
        dialog.reject()

    WhenDialogOpens(QFileDialog, inspect)
    result = choose(None, *args)
    assert "dialog" in seen, "the dialog opened"
    return seen, result  # type: ignore[return-value]


def test_the_backup_folder_choice_speaks_japanese(qtbot, configured_app):
    seen, result = _look(qtbot, file_dialogs.choose_folder, "バックアップを保存するフォルダ")
    assert result is None  # cancelled: nothing chosen
    assert seen["native"] is False, "never the desktop's own (untranslated) dialog"
    assert seen["english"] == []
    assert seen["labels"]["lookInLabel"] == "場所(&L):"
    assert seen["labels"]["fileNameLabel"] == "フォルダ(&N):"


def test_the_folder_list_names_the_kind_of_each_entry_in_japanese(
    qtbot, configured_app, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QTreeView

    (tmp_path / "backups").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))  # the dialog opens in the home folder
    kinds: list[str] = []

    def inspect(dialog: QFileDialog) -> None:
        view = dialog.findChild(QTreeView, "treeView")
        model = view.model()
        qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) > 0, timeout=5000)
        root = view.rootIndex()
        kinds.extend(str(model.index(r, 2, root).data()) for r in range(model.rowCount(root)))
        dialog.reject()

    WhenDialogOpens(QFileDialog, inspect)
    assert file_dialogs.choose_folder(None, "バックアップを保存するフォルダ") is None
    assert kinds == ["フォルダ"], "never Qt's English 「Folder」"


def test_save_and_open_choices_speak_japanese(qtbot, configured_app):
    seen, _ = _look(
        qtbot, file_dialogs.choose_save_file, "統計の保存先", "stats.csv", "CSVファイル (*.csv)"
    )
    assert seen["english"] == [] and seen["native"] is False
    assert seen["labels"]["fileTypeLabel"] == "ファイルの種類(&T):"
    seen, _ = _look(qtbot, file_dialogs.choose_open_file, "公開カードを選ぶ", "公開カード (*.ihc)")
    assert seen["english"] == [] and seen["native"] is False


def test_the_backup_tab_chooses_through_them():
    assert backup_tab.common.choose_folder.__module__ == "intake_app.gui.supervisor.common"
    assert "file_dialogs" in backup_tab.common.choose_folder.__code__.co_names
