"""Qt opens real X11 windows on Linux: the system libraries are named, checked and present.

``packaging/qt_system_libs.py`` (run by ``make run``) knows which Debian packages hold
the libraries Qt's xcb plugin links against; these tests keep that list complete for the
installed PySide6, keep the README's command equal to it, and show a window through
the xcb plugin under Xvfb (as CI does).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.install.lockfile import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 on Linux")


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


qt_libs = load("qt_system_libs")
virtual_display = load("virtual_display")


def needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def system_libraries(qt: Path) -> set[str]:
    """Libraries from outside the wheels that the checked plugins need, directly or
    through the Qt libraries they load (followed inside PySide6 only)."""
    inside = {p.name: p for p in (qt / "lib").iterdir()}
    todo = list(qt_libs.plugin_files(qt))
    seen: set[Path] = set()
    system: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in needed(path):
            if name in inside:
                todo.append(inside[name])
            else:
                system.add(name)
    return system


@pytest.mark.skipif(shutil.which("readelf") is None, reason="binutils' readelf is not installed")
def test_every_system_library_qt_needs_has_its_package():
    qt = qt_libs.qt_dir()
    assert qt is not None
    assert len(qt_libs.plugin_files(qt)) == len(qt_libs.PLUGINS), "a checked plugin is gone"
    found = system_libraries(qt)
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"} <= found
    unknown = found - set(qt_libs.PACKAGES) - qt_libs.BASE_LIBRARIES
    assert unknown == set(), "add these to PACKAGES in packaging/qt_system_libs.py"
    unused = set(qt_libs.PACKAGES) - found
    assert unused == set(), "no checked plugin needs these any more"


def test_the_readme_gives_the_one_command_for_all_of_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = qt_libs.install_command(qt_libs.all_packages())
    assert command in readme
    assert readme.count("sudo apt-get install") == 1


def test_a_missing_library_is_found_by_the_loader_and_named_by_package(tmp_path, capsys):
    if shutil.which("cc") is None:
        pytest.skip("no C compiler to build a library that needs a missing one")
    # A plugin that needs a library from a folder that is then emptied.
    soname = "libintake-missing-check.so.4"
    (tmp_path / "stub.c").write_text("int stub(void) { return 0; }\n")
    (tmp_path / "plugin.c").write_text("int stub(void);\nint plugin(void) { return stub(); }\n")
    libs = tmp_path / "libs"
    libs.mkdir()
    cc = ["cc", "-shared", "-fPIC"]
    subprocess.run(
        [*cc, "-o", str(libs / soname), f"-Wl,-soname,{soname}", str(tmp_path / "stub.c")],
        check=True,
    )
    plugin = tmp_path / "libplugin.so"
    subprocess.run(
        [*cc, "-o", str(plugin), str(tmp_path / "plugin.c"), str(libs / soname)], check=True
    )
    shutil.rmtree(libs)
    assert qt_libs.missing_libraries([plugin]) == [soname]

    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    shutil.copy(plugin, qt / "plugins" / "platforms" / "libqxcb.so")
    installs: list[list[str]] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(qt_libs, "qt_dir", lambda: qt)
        mp.setattr(qt_libs, "apt_install", lambda packages: installs.append(packages) or True)
        # A library with no known package: named, no command guessed.
        assert qt_libs.main(["--check-only"]) == 1
        shown = capsys.readouterr().out
        assert soname in shown and "apt-get" not in shown
        mp.setitem(qt_libs.PACKAGES, soname, "libintake-missing-check4")
        assert qt_libs.main(["--check-only"]) == 1
        shown = capsys.readouterr().out
        assert "\n    sudo apt-get install -y libintake-missing-check4\n" in shown
        assert shown.count("apt-get install") == 1
        assert installs == []
        mp.setattr(qt_libs.os, "geteuid", lambda: 0)
        mp.setattr(qt_libs.shutil, "which", lambda name: f"/usr/bin/{name}")
        # As root it installs, asks the loader again, and (still missing here) says so.
        assert qt_libs.main([]) == 1
        assert installs == [["libintake-missing-check4"]]
        shown = capsys.readouterr().out
        assert "インストールできませんでした" in shown
        assert "sudo apt-get install -y libintake-missing-check4" in shown


def test_nothing_is_missing_here():
    qt = qt_libs.qt_dir()
    assert qt is not None
    missing = qt_libs.missing_libraries(qt_libs.plugin_files(qt))
    packages, _unknown = qt_libs.packages_for(missing)
    assert missing == [], f"run: {qt_libs.install_command(packages)}"


SHOW_A_WINDOW = """
import sys, time
from intake_app.gui.app import create_application
from PySide6.QtWidgets import QLabel
app = create_application()
label = QLabel("相談記録システム")
label.resize(320, 120)
label.show()
deadline = time.monotonic() + 10
while not label.windowHandle().isExposed() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
image = label.screen().grabWindow(label.winId()).toImage()
print(app.platformName(), label.windowHandle().isExposed(), image.width(), image.height())
"""


def xcb_env(display: str, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path))
    env.pop("WAYLAND_DISPLAY", None)
    return env


def test_the_xcb_plugin_shows_a_window_and_the_program_starts_under_x11(tmp_path):
    if not virtual_display.available():
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing in CI: `make test` installs it (package xvfb) as root")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    with virtual_display.xvfb() as display:
        env = xcb_env(display, tmp_path)
        shown = subprocess.run(
            [sys.executable, "-c", SHOW_A_WINDOW],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert shown.returncode == 0, shown.stderr[-2000:]
        assert shown.stdout.split() == ["xcb", "True", "320", "120"], shown.stderr[-2000:]
        # The real program: setup wizard on an empty data folder, quits by itself.
        env["INTAKE_APP_SMOKE_QUIT_MS"] = "1500"
        program = subprocess.run(
            [sys.executable, "-m", "intake_app", "--data-dir", str(tmp_path / "data")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    output = program.stdout + program.stderr
    assert program.returncode == 0, output[-2000:]
    assert "Could not load the Qt platform plugin" not in output
    assert "Traceback" not in output
