"""What a user can read: plain words, and only characters the bundled font can draw.

Every string of the program that holds Japanese (messages, labels, command output;
docstrings left out) is read from the source. Counselors and supervisors are not IT
people: the key file's internals (鍵スロット, 鍵導出, データ鍵 …) and the database's
own check names stay out of what they read. And the bundled IPAexGothic must have a
glyph for every character, so nothing is drawn as an empty box (the 🔒 mark was).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtGui import QRawFont

from intake_app.paths import font_path

SOURCE = Path(__file__).resolve().parents[2] / "intake_app"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
JARGON = (
    "鍵スロット",
    "スロット",
    "鍵導出",
    "データ鍵",
    "署名鍵",
    "包み直",
    "連結",
    "cipher_integrity_check",
    "integrity_check",
    "KDF",
    "Argon2",
    "SQLCipher",
    "HMAC",
    "ヘッダ",
    "keyslot",
)


def shown_strings() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string constant with Japanese, docstrings left out."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and JAPANESE.search(node.value)
            ):
                found.append((str(path.relative_to(SOURCE.parent)), node.lineno, node.value))
    return found


def test_messages_use_plain_words():
    strings = shown_strings()
    assert len(strings) > 1000  # the scan reads the program
    bad = [
        f"{path}:{line}: {term} — {text[:60]}"
        for path, line, text in strings
        for term in JARGON
        if term in text
    ]
    assert bad == [], "words only IT people know:\n" + "\n".join(bad)


def test_the_jargon_check_can_fail():
    assert any(term in "鍵スロットが壊れています。" for term in JARGON)


def test_the_bundled_font_draws_every_character_shown(qapp):
    font = QRawFont(str(font_path()), 15)
    assert font.isValid()
    missing = sorted(
        {
            f"{path}:{line}: U+{ord(ch):04X} {ch!r}"
            for path, line, text in shown_strings()
            for ch in text
            if not ch.isspace() and not font.supportsCharacter(ord(ch))
        }
    )
    assert missing == [], "characters the font has no glyph for:\n" + "\n".join(missing)
    assert not font.supportsCharacter(0x1F512)  # 🔒: the check can fail
