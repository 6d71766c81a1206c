"""Check (and, as root, install) the system libraries Qt needs to open windows on Linux.

The PySide6 wheels bring Qt itself, but its X11 platform plugin (``libqxcb.so``) and
``libQt6XcbQpa`` link against libraries of the desktop (xcb, xkbcommon, GL, EGL,
fontconfig, D-Bus …) that a fresh Debian or Ubuntu may lack; Qt then stops with
"Could not load the Qt platform plugin "xcb"" and names only one of them. ``make run``
(and ``make test``, ``make package``) run this first:

- nothing missing: exit 0 silently;
- something missing and run as root with apt-get: install the Debian packages;
- otherwise: print the one ``sudo apt-get install …`` command and exit 1.

What is missing is asked of the dynamic loader (``ldd`` on the plugins in the venv),
so the check needs no package database; the packages are named from ``PACKAGES``.
``PACKAGES`` was made with ``readelf -d`` over the plugins, libQt6XcbQpa and the Qt
libraries they load, on Debian 12, and ``tests/e2e/test_qt_system_libs.py`` fails when
a new PySide6 needs a library that is not in it.

    python packaging/qt_system_libs.py [--check-only] [--list]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Library (soname) → the Debian/Ubuntu package that provides it. Every library outside
# the wheels that the xcb platform plugin, its GL integrations, libQt6XcbQpa, the print
# support plugin and the Qt libraries they load link against, except those of the C
# library, the C++ runtime, zlib and zstd, which every system has.
PACKAGES: dict[str, str] = {
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    # Printing: Qt's CUPS plugin lists the printers; without it the print dialog has none.
    "libcups.so.2": "libcups2",
}
# Present on every Linux system (glibc, the C++ runtime, zlib, zstd): never checked.
BASE_LIBRARIES = frozenset(
    {
        "ld-linux-x86-64.so.2",
        "ld-linux-aarch64.so.1",
        "libc.so.6",
        "libdl.so.2",
        "libgcc_s.so.1",
        "libm.so.6",
        "libpthread.so.0",
        "librt.so.1",
        "libstdc++.so.6",
        "libz.so.1",
        "libzstd.so.1",
    }
)
# The Qt plugins the program loads on an X11 desktop, relative to PySide6/Qt/plugins.
PLUGINS = (
    "platforms/libqxcb.so",
    "xcbglintegrations/libqxcb-egl-integration.so",
    "xcbglintegrations/libqxcb-glx-integration.so",
    "printsupport/libcupsprintersupport.so",
)
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def qt_dir() -> Path | None:
    """PySide6's Qt folder in the running interpreter's environment, or None."""
    try:
        import PySide6
    except ImportError:
        return None
    return Path(PySide6.__file__).resolve().parent / "Qt"


def plugin_files(qt: Path) -> list[Path]:
    return [qt / "plugins" / rel for rel in PLUGINS if (qt / "plugins" / rel).is_file()]


def missing_libraries(files: list[Path]) -> list[str]:
    """Sonames the dynamic loader cannot find for ``files`` (and what they load)."""
    missing: set[str] = set()
    for path in files:
        result = subprocess.run(
            ["ldd", str(path)], capture_output=True, text=True, check=False, env=_c_locale()
        )
        missing.update(_NOT_FOUND.findall(result.stdout))
    return sorted(missing)


def packages_for(sonames: list[str]) -> tuple[list[str], list[str]]:
    """(Debian packages to install, sonames with no known package)."""
    known = sorted({PACKAGES[s] for s in sonames if s in PACKAGES})
    unknown = [s for s in sonames if s not in PACKAGES]
    return known, unknown


def install_command(packages: list[str]) -> str:
    return "sudo apt-get install -y " + " ".join(packages)


def all_packages() -> list[str]:
    return sorted(set(PACKAGES.values()))


def _c_locale() -> dict[str, str]:
    return dict(os.environ, LC_ALL="C", LANG="C")


def apt_install(packages: list[str]) -> bool:
    """``apt-get install`` (after ``apt-get update`` when the lists are stale)."""
    env = dict(_c_locale(), DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(command, env=env, check=False).returncode == 0:
        return True
    subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
    return subprocess.run(command, env=env, check=False).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-only", action="store_true", help="never install, only report")
    parser.add_argument("--list", action="store_true", help="print every package and stop")
    args = parser.parse_args(argv)
    if args.list:
        print(" ".join(all_packages()))
        return 0
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0  # Windows and macOS: Qt's wheels carry what they need
    qt = qt_dir()
    if qt is None:
        print("PySide6 がこの Python にありません（先に make で .venv を作ってください）")
        return 1
    sonames = missing_libraries(plugin_files(qt))
    if not sonames:
        return 0
    packages, unknown = packages_for(sonames)
    print("Qt が画面を開くのに必要なシステムのライブラリがありません: " + " ".join(sonames))
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if packages and not unknown and not args.check_only and is_root and shutil.which("apt-get"):
        print("インストールします: " + " ".join(packages), flush=True)
        if apt_install(packages) and not missing_libraries(plugin_files(qt)):
            return 0
        print("インストールできませんでした。")
    if packages and shutil.which("apt-get"):
        print("次のコマンドでインストールしてから、もう一度実行してください:")
        print()
        print("    " + install_command(packages))
        print()
    if unknown or not shutil.which("apt-get"):
        names = " ".join(unknown or sonames)
        print("このシステムのパッケージ管理で、次のライブラリを入れてください: " + names)
    return 1


if __name__ == "__main__":
    sys.exit(main())
