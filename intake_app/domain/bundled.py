"""Data files shipped inside the package, under ``intake_app/resources/``.

Read through ``importlib.resources``, so the same call finds them in the source tree,
in an installed wheel and in the frozen build (whose spec copies them to the same
package-relative place). The domain imports no other project module for this:
``intake_app`` is the top-level package every module already belongs to.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

PACKAGE = "intake_app"
FOLDER = "resources"


def bundled(*parts: str) -> Traversable:
    """A file or folder under ``intake_app/resources/``.

    ``bundled("checklists", "risk-v1.toml")`` is the risk checklist."""
    return resources.files(PACKAGE).joinpath(FOLDER, *parts)
