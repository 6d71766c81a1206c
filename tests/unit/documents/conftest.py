from __future__ import annotations

import pytest

from intake_app.documents._fonts import ensure_font


@pytest.fixture(autouse=True, scope="session")
def _font() -> None:
    ensure_font()
