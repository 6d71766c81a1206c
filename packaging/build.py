"""Build the one-folder package into dist/intake-app (``make package``).

Runs PyInstaller on packaging/intake_app.spec, then, on Linux, removes the debug
information some wheels ship inside their libraries (libpython, sqlcipher3: about
35 MB of the build) with ``strip --strip-debug``, which keeps every symbol the
loader needs. Prints the build time and the unpacked size, and writes them to
dist/intake-app-build.json for the release notes.

    python packaging/build.py [--clean] [--dist DIR] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "intake_app.spec"
NAME = "intake-app"
ELF_MAGIC = b"\x7fELF"
BUNDLED = (
    "intake-app",
    "pyinstaller",
    "PySide6-Essentials",
    "PySide6-Pdf",
    "sqlcipher3",
    "argon2-cffi",
    "cryptography",
    "reportlab",
    "pillow",
    "platformdirs",
)


def folder_size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (symlinks counted as nothing)."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def has_debug_info(path: Path) -> bool:
    """An ELF file that still carries DWARF sections."""
    with path.open("rb") as f:
        if f.read(4) != ELF_MAGIC:
            return False
        return b".debug_info" in f.read()


def strip_debug_info(folder: Path) -> list[tuple[str, int]]:
    """``strip --strip-debug`` every ELF file with debug sections; returns bytes saved."""
    strip = shutil.which("strip")
    if strip is None:
        print("注意: strip が見つからないため、デバッグ情報を削除しませんでした", file=sys.stderr)
        return []
    saved = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or not has_debug_info(path):
            continue
        before = path.stat().st_size
        subprocess.run([strip, "--strip-debug", str(path)], check=True)
        saved.append((str(path.relative_to(folder)), before - path.stat().st_size))
    return saved


def largest(folder: Path, count: int = 12) -> list[tuple[str, int]]:
    sizes = []
    for child in folder.iterdir():
        if child.is_symlink():
            continue
        size = folder_size(child) if child.is_dir() else child.stat().st_size
        sizes.append((child.name, size))
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:count]


def versions() -> dict[str, str]:
    """Versions of the build tools and bundled libraries, for the release notes."""
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for dist in BUNDLED:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="PyInstaller のキャッシュを使わない")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)

    started = time.monotonic()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={args.dist}",
        f"--workpath={args.work}",
    ]
    if args.clean:
        command.append("--clean")
    command.append(str(SPEC))
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)
    pyinstaller_s = time.monotonic() - started

    bundle = args.dist / NAME
    stripped = strip_debug_info(bundle) if sys.platform.startswith("linux") else []
    elapsed_s = time.monotonic() - started
    size = folder_size(bundle)

    report = {
        "bundle": str(bundle),
        "platform": sys.platform,
        "size_bytes": size,
        "size_mb": round(size / 1_000_000, 1),
        "files": sum(1 for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()),
        "build_s": round(elapsed_s, 1),
        "pyinstaller_s": round(pyinstaller_s, 1),
        "debug_info_stripped_bytes": sum(s for _n, s in stripped),
        "largest": {name: s for name, s in largest(bundle / "_internal")},
        "versions": versions(),
    }
    (args.dist / f"{NAME}-build.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if stripped:
        saved = mb(report["debug_info_stripped_bytes"])
        print(f"strip --strip-debug: {len(stripped)} files, -{saved}")
    print(f"built {bundle} in {elapsed_s:.0f} s: {mb(size)} unpacked, {report['files']} files")
    for name, item_size in report["largest"].items():
        print(f"  {mb(item_size):>9}  _internal/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
