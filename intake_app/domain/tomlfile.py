"""Reading the configuration TOML files with errors that name the key and the line."""

from __future__ import annotations

import re
import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from intake_app.domain.errors import UserError


class ConfigError(UserError, ValueError):
    """A configuration file that cannot be used; the Japanese message names file, key and line."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


def read_toml(path: Path | Traversable) -> tuple[dict[str, Any], str]:
    """The parsed document and its text; syntax errors become ``ConfigError`` with the line.

    ``path`` is a file on disk or a bundled one (``intake_app.domain.bundled``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"設定ファイルを読めません: {path.name}（{exc.strerror}）") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"設定ファイルが UTF-8 ではありません: {path.name}") from exc
    return parse_toml(text, path.name), text


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """``text`` parsed; syntax errors become ``ConfigError`` naming ``name`` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        where = f" {line}行目" if line else ""
        raise ConfigError(
            f"設定ファイルの書式が正しくありません: {name}{where}（{exc}）", line=line
        ) from exc


_ARRAY_HEADER = re.compile(r"^\[\[\s*([^\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^(\"?)([A-Za-z0-9_-]+)\1\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of the keys and tables in ``text``, by path (``destinations[2].fields``).

    tomllib gives no positions for values, so the text is scanned. Arrays of tables are
    counted per header; nested arrays of tables are not used in the project's files.
    """
    counts: dict[str, int] = {}
    context = ""
    found: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if match := _ARRAY_HEADER.match(line):
            name = match.group(1)
            counts[name] = counts.get(name, -1) + 1
            found.setdefault(name, number)
            context = f"{name}[{counts[name]}]"
        elif match := _TABLE_HEADER.match(line):
            context = match.group(1)
        elif match := _KEY.match(line):
            path = f"{context}.{match.group(2)}" if context else match.group(2)
            found.setdefault(path, number)
            continue
        else:
            continue
        found.setdefault(context, number)
    return found


def key_line(text: str, key_path: str) -> int | None:
    """The line of ``key_path``, else of the nearest enclosing table written in the file."""
    found = key_lines(text)
    path = key_path
    while path not in found:
        shorter = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
        if shorter == path:
            return None
        path = shorter
    return found[path]


class TomlDocument:
    """A parsed configuration file whose typed getters raise errors naming key and line."""

    def __init__(self, path: Path | Traversable) -> None:
        self.name = path.name
        self.data, self.text = read_toml(path)

    @classmethod
    def from_text(cls, text: str, name: str) -> TomlDocument:
        """A document from ``text`` already read; ``name`` is what messages call the file."""
        doc = cls.__new__(cls)
        doc.name = name
        doc.text = text
        doc.data = parse_toml(text, name)
        return doc

    def error(self, key_path: str, problem: str) -> ConfigError:
        line = key_line(self.text, key_path)
        where = f"（{line}行目）" if line else ""
        return ConfigError(f"{self.name} の「{key_path}」{where}: {problem}", key_path, line)

    def _get(self, table: dict[str, Any], key: str, where: str) -> Any:
        path = f"{where}.{key}" if where else key
        if key not in table:
            raise self.error(path, "必須の項目がありません")
        return table[key]

    def string(self, table: dict[str, Any], key: str, where: str = "") -> str:
        value = self._get(table, key, where)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{where}.{key}" if where else key, "空でない文字列にしてください")
        return value

    def optional_string(self, table: dict[str, Any], key: str, where: str = "") -> str:
        if key not in table:
            return ""
        value = table[key]
        if not isinstance(value, str):
            raise self.error(f"{where}.{key}" if where else key, "文字列にしてください")
        return value

    def boolean(self, table: dict[str, Any], key: str, where: str = "") -> bool:
        value = self._get(table, key, where)
        if not isinstance(value, bool):
            raise self.error(f"{where}.{key}" if where else key, "true か false にしてください")
        return value

    def integer(self, table: dict[str, Any], key: str, where: str = "", minimum: int = 0) -> int:
        value = self._get(table, key, where)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            path = f"{where}.{key}" if where else key
            raise self.error(path, f"{minimum}以上の整数にしてください")
        return int(value)

    def strings(self, table: dict[str, Any], key: str, where: str = "") -> list[str]:
        value = self._get(table, key, where)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{where}.{key}" if where else key, "文字列の配列にしてください")
        return list(value)

    def table(self, table: dict[str, Any], key: str, where: str = "") -> dict[str, Any]:
        value = self._get(table, key, where)
        if not isinstance(value, dict):
            raise self.error(f"{where}.{key}" if where else key, "表（テーブル）にしてください")
        return value

    def tables(self, table: dict[str, Any], key: str, where: str = "") -> list[dict[str, Any]]:
        value = self._get(table, key, where)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            path = f"{where}.{key}" if where else key
            raise self.error(path, "[[...]] の表を1つ以上書いてください")
        return value
