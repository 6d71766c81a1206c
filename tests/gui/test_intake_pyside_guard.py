"""The wizard survives hours of typing on PySide6 6.12.0 with Python 3.11."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from intake_app.gui.intake import pyside_guard

CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
{guard}
app = QApplication([])
label = QLabel()
for i in range(200_000):
    label.setText("x")
print("alive", flush=True)
"""


def run(guard: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.getcwd())
    return subprocess.run(
        [sys.executable, "-c", CALLS.format(guard=guard)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_many_qt_calls_do_not_abort_the_program():
    result = run("import intake_app.gui  # every GUI path imports it")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"


@pytest.mark.skipif(not pyside_guard.affected(), reason="this PySide6/Python pair is not affected")
def test_without_the_guard_the_same_calls_abort():
    result = run("")
    assert result.returncode != 0
    assert "deallocating None" in result.stderr
