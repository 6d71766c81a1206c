"""GUI launch path (filled in by the desktop shell)."""

from __future__ import annotations

from pathlib import Path


def run_gui(data_dir: Path) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("相談記録システム")
    label.show()
    return app.exec()
