"""The one resource locator, and the per-installation data folder.

Everything the program reads at run time is inside the package, in
``intake_app/resources/``: ``checklists/``, ``fonts/``, ``municipality/``,
``migrations/``, ``manual/`` (the 操作マニュアル and its pictures) and ``style.qss``.
It is found with ``importlib.resources``, so the source tree, an installed wheel
and the frozen one-folder build (which copies the folder to the same place beside
its modules) share one rule and no other module needs to know where the files
live. The domain reads its configuration through ``intake_app.domain.bundled``
(the same rule, without importing this module).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from intake_app.domain.bundled import bundled

APP_DIR_NAME = "intake-app"


def resource(*parts: str) -> Path:
    """A file or folder under ``intake_app/resources/`` as a real path.

    Every supported installation (source tree, wheel, frozen build) keeps the package
    as files on disk; a zipped install is refused with a plain message.
    """
    found = bundled(*parts)
    if not isinstance(found, Path):  # pragma: no cover - only a zip-imported package
        raise RuntimeError(
            "intake_app はフォルダとしてインストールしてください（zip からは起動できません）"
        )
    return found


def package_dir() -> Path:
    """The folder of the ``intake_app`` package itself."""
    return resource().parent


def migrations_dir() -> Path:
    """The numbered schema files, ``NNNN_name.sql``."""
    return resource("migrations")


def font_path() -> Path:
    """The bundled IPAexGothic (its licence lies beside it)."""
    return resource("fonts", "ipaexg.ttf")


def manual_dir() -> Path:
    """The 操作マニュアル: Markdown files and ``images/`` (``documents.manual``)."""
    return resource("manual")


def style_sheet_path() -> Path:
    """The program's Qt style sheet."""
    return resource("style.qss")


def default_data_dir() -> Path:
    """The platform's per-user data folder (``INTAKE_APP_DATA_DIR`` overrides it)."""
    env = os.environ.get("INTAKE_APP_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))
