"""Every wizard string can be extracted by lupdate and is found again at run time."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from intake_app.gui.intake.steps.base import step_title
from intake_app.gui.intake.widgets import tr

SOURCES = sorted((Path(__file__).resolve().parents[2] / "intake_app/gui/intake").rglob("*.py"))


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_every_tr_call_has_one_literal_string():
    bad = []
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr":
                arg = node.args[0] if len(node.args) == 1 else None
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                segment = ast.get_source_segment(source, node) or ""
                text = (ast.get_source_segment(source, arg) or "").strip() if arg else ""
                single = bool(text) and text[0] in "'\"" and text.count(text[0]) == 2
                if not (literal and single):  # no "a" + "b", no implicit "a" "b"
                    bad.append(f"{path.name}:{node.lineno}: {segment[:60]}")
    assert bad == [], "tr() needs one literal string (lupdate cannot read the rest)"


def test_lupdate_extracts_the_strings_and_the_wizard_finds_their_translation(tmp_path, qapp):
    ts = tmp_path / "intake.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), *map(str, SOURCES), "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    tree = ET.parse(ts)
    sources = {m.findtext("source"): m for m in tree.iter("message")}
    for text in (
        "0 安全確認",
        "変わりなければ「前回どおり・確認済み」(Alt+Y) を押してください。",
        "【{}】住所・居場所・連絡先・相談の有無を本人以外に伝えないでください。",
        "退去等命令",
        "不明・回答なし",
    ):
        assert text in sources, text
    translation = sources["0 安全確認"].find("translation")
    translation.text = "0 Safety check"
    translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "intake.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        assert tr("0 安全確認") == "0 Safety check"
        assert step_title("0 安全確認") == "0 Safety check"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert step_title("0 安全確認") == "0 安全確認"
