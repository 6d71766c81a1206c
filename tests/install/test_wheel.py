"""The built wheel, installed into a fresh venv from the runtime lock, works on its own.

One venv for the whole module (installing PySide6 takes a while): the wheel is built
from a copy of the package sources, its dependencies come from requirements/runtime.txt
(hash-checked), and every check runs the installed program from a folder outside the
source tree, so nothing can be found there by accident.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.install.lockfile import ROOT, RUNTIME_LOCK

pytestmark = pytest.mark.install

RESOURCES = ROOT / "intake_app" / "resources"
INSTALL_TIMEOUT_S = 900


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def clean_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "INTAKE_APP_", "VIRTUAL_ENV", "QT_"))
    }
    env.update(HOME=str(home), TMPDIR=str(home), QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    return env


class Installed:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.wheel = next((base / "wheel").glob("intake_app-*.whl"))
        self.python = base / "venv" / "bin" / "python"
        self.program = base / "venv" / "bin" / "intake-app"
        self.work = base / "work"  # the current folder of every run: not the source tree
        self.env = clean_env(base / "home")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    if os.name != "posix":  # pragma: no cover - the venv layout below is POSIX's
        pytest.skip("POSIX venv layout")
    base = tmp_path_factory.mktemp("wheel")
    for name in ("home", "work"):
        (base / name).mkdir()
    # Building and installing keep the user's HOME, so pip's download cache is used.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    # Build from a copy, so no build/ or *.egg-info left in the source tree leaks in.
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "intake_app", src / "intake_app", ignore=shutil.ignore_patterns("__pycache__")
    )
    pip = [sys.executable, "-m", "pip"]
    run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(base / "wheel"),
            str(src),
        ],
        base,
        env,
    )
    run([sys.executable, "-m", "venv", str(base / "venv")], base, env)
    venv_pip = [str(base / "venv" / "bin" / "python"), "-m", "pip"]
    run(
        [*venv_pip, "install", "-q", "--require-hashes", "-r", str(RUNTIME_LOCK)],
        base,
        env,
        INSTALL_TIMEOUT_S,
    )
    run(
        [*venv_pip, "install", "-q", "--no-deps", str(next((base / "wheel").glob("*.whl")))],
        base,
        env,
    )
    yield Installed(base)


def test_the_wheel_carries_every_resource_file(installed: Installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        inside = {
            name.removeprefix("intake_app/resources/"): wheel.getinfo(name).file_size
            for name in wheel.namelist()
            if name.startswith("intake_app/resources/")
        }
    source = {
        p.relative_to(RESOURCES).as_posix(): p.stat().st_size
        for p in RESOURCES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert inside == source
    assert {"fonts/ipaexg.ttf", "checklists/risk-v1.toml", "style.qss"} <= set(inside)
    assert any(name.startswith("migrations/0001_") for name in inside)


def test_the_installed_dependencies_are_consistent(installed: Installed):
    # The runtime lock alone satisfies what the wheel's metadata asks for.
    out = run([str(installed.python), "-m", "pip", "check"], installed.work, installed.env)
    assert "No broken requirements" in out


def test_the_installed_program_finds_its_data_inside_the_venv(installed: Installed):
    code = (
        "import intake_app, intake_app.paths as p;"
        "from intake_app.gui.app import style_sheet;"
        "print(intake_app.__file__);"
        "print(p.font_path().is_file(), p.migrations_dir().is_dir(), bool(style_sheet()))"
    )
    out = run([str(installed.python), "-c", code], installed.work, installed.env)
    location, found = out.splitlines()
    assert Path(location).is_relative_to(installed.base / "venv"), location
    assert found == "True True True"


def test_self_test_passes_in_the_fresh_venv(installed: Installed):
    out = run([str(installed.program), "self-test"], installed.work, installed.env)
    lines = out.splitlines()
    assert lines[-1] == "自己診断: すべて成功しました"
    assert not [line for line in lines if line.startswith("NG")]
    assert "OK  保管庫と監査ログの検証" in lines
