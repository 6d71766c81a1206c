"""Compile ``ui/*.ui`` into ``intake_app/gui/forms/ui_*.py`` with pyside6-uic.

``make forms`` runs this module. The Designer sources stay in the repository's
``ui/`` folder: nothing reads them at run time, so they are not in the wheel or the
frozen build. The generated files are committed (a frozen build has no uic), and
``tests/gui/test_forms.py`` fails when one is stale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
UI_DIR = REPOSITORY / "ui"
FORMS_DIR = Path(__file__).resolve().parent / "forms"
HEADER = (
    "# Automatically generated from ui/{name} by `make forms` "
    "(python -m intake_app.gui.forms_build).\n"
    "# Do not edit: change the .ui file in Qt Designer and regenerate.\n"
)


def uic_executable() -> str:
    """pyside6-uic beside the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "pyside6-uic"
    if beside.exists():
        return str(beside)
    found = shutil.which("pyside6-uic")
    if found is None:
        raise RuntimeError("pyside6-uic が見つかりません。")
    return found


def compile_form(ui_file: Path) -> str:
    """The Python source for one .ui file, without version-specific lines."""
    result = subprocess.run(
        [uic_executable(), ui_file.name],
        cwd=ui_file.parent,
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    lines = [
        line
        for line in result.stdout.splitlines()
        if not line.startswith("## Created by: Qt User Interface Compiler")
    ]
    return HEADER.format(name=ui_file.name) + "\n".join(lines) + "\n"


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def ui_files() -> list[Path]:
    return sorted(UI_DIR.glob("*.ui"))


def build() -> list[Path]:
    written = []
    for ui_file in ui_files():
        target = target_for(ui_file)
        source = compile_form(ui_file)
        if not target.exists() or target.read_text(encoding="utf-8") != source:
            target.write_text(source, encoding="utf-8")
            written.append(target)
    return written


def main() -> int:
    if not UI_DIR.is_dir():
        print(f"ui/ がありません（リポジトリから実行してください）: {UI_DIR}", file=sys.stderr)
        return 1
    for target in build():
        print(f"更新: {target.relative_to(REPOSITORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
