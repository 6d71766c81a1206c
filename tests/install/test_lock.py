"""The lock files pin every dependency within pyproject's ranges, with hashes, and the
environment the tests run in is the locked one (so what the tests prove, e.g. that the
PySide6 guard is still needed, holds for the versions that are installed)."""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.install.lockfile import DEV_LOCK, ROOT, RUNTIME_LOCK, read_lock

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
EXTRAS = [
    Requirement(r)
    for group in PYPROJECT["project"]["optional-dependencies"].values()
    for r in group
    if not r.startswith("intake-app")
]


def test_every_dependency_is_pinned_within_its_range_with_hashes():
    runtime, dev = read_lock(RUNTIME_LOCK), read_lock(DEV_LOCK)
    for lock, wanted in ((runtime, RUNTIME), (dev, RUNTIME + EXTRAS)):
        for requirement in wanted:
            pin = lock.get(canonicalize_name(requirement.name))
            assert pin is not None, f"{requirement.name} is not in the lock: run `make lock`"
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"{requirement} but the lock has {pin.version}: run `make lock`"
            )
    for lock in (runtime, dev):
        assert all(pin.hashes for pin in lock.values())
    # The build backend is locked too (the project is installed without build isolation).
    assert Requirement(PYPROJECT["build-system"]["requires"][0]).specifier.contains(
        dev["setuptools"].version
    )


def test_the_runtime_lock_is_the_dev_lock_s_versions():
    runtime, dev = read_lock(RUNTIME_LOCK), read_lock(DEV_LOCK)
    assert {n: p.version for n, p in runtime.items()} == {n: dev[n].version for n in runtime}
    assert {n: p.hashes for n, p in runtime.items()} == {n: dev[n].hashes for n in runtime}


def test_the_test_environment_is_the_locked_one():
    stale = {}
    for name, pin in read_lock(DEV_LOCK).items():
        if not pin.applies_here():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "(missing)"
        if installed != pin.version:
            stale[name] = (installed, pin.version)
    assert stale == {}, f"installed vs locked (run `make`): {stale}"


def test_the_locks_cover_windows_too():
    # The Windows installer build installs from the same file: its Windows-only
    # dependencies are in it, behind markers.
    dev = read_lock(DEV_LOCK)
    for name in ("pefile", "pywin32-ctypes", "colorama"):
        assert dev[name].marker == "sys_platform == 'win32'", name
