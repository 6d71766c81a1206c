"""The one resource locator, and the per-installation data folder.

The source tree, an editable install and the frozen one-folder build all keep
``resources/``, ``db/migrations/`` and ``ui/`` beside the ``intake_app`` package
(the PyInstaller spec copies them to the same relative places), so one rule finds
them everywhere and no other module needs to know where they live.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "intake-app"
_ROOT = Path(__file__).resolve().parent.parent


def root() -> Path:
    """The folder that holds the package and its data folders."""
    return _ROOT


def resource(*parts: str) -> Path:
    """A file or folder under ``resources/`` (fonts, municipality files, checklists)."""
    return _ROOT.joinpath("resources", *parts)


def migrations_dir() -> Path:
    return _ROOT / "db" / "migrations"


def ui_dir() -> Path:
    return _ROOT / "ui"


def font_path() -> Path:
    return resource("fonts", "ipaexg.ttf")


def default_data_dir() -> Path:
    """The platform's per-user data folder (``INTAKE_APP_DATA_DIR`` overrides it)."""
    env = os.environ.get("INTAKE_APP_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))
