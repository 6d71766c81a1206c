"""Reading the lock files in requirements/ (as `uv pip compile --generate-hashes` writes them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


@dataclass(frozen=True)
class Pin:
    name: str  # canonical
    version: str
    marker: str | None
    hashes: tuple[str, ...]

    def applies_here(self) -> bool:
        return self.marker is None or Marker(self.marker).evaluate()


def read_lock(path: Path) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: tuple[str, str, str | None] | None = None
    hashes: list[str] = []

    def close() -> None:
        if current is not None:
            name, version, marker = current
            pins[name] = Pin(name, version, marker, tuple(hashes))

    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            close()
            current = (canonicalize_name(match.group(1)), match.group(2), match.group(3))
            hashes = []
        elif (stripped := line.strip()).startswith("--hash="):
            hashes.append(stripped.removeprefix("--hash=").rstrip(" \\"))
    close()
    return pins
