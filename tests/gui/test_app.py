"""The launch path: font, style sheet, and the neutral error hook that keeps the draft."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from intake_app.gui.app import ErrorHook, style_sheet


def test_style_sheet_is_loaded_and_shows_focus(configured_app) -> None:
    sheet = style_sheet()
    assert ":focus" in sheet
    assert QApplication.instance().styleSheet() == sheet


def test_error_hook_saves_draft_logs_no_personal_data_and_says_it_plainly(
    qtbot, configured_app, caplog: pytest.LogCaptureFixture
) -> None:
    saved: list[bool] = []
    shown: list[str] = []

    def close_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                shown.append(widget.text())
                widget.accept()

    hook = ErrorHook(lambda: saved.append(True))
    timer = QTimer()
    timer.timeout.connect(close_dialog)
    timer.start(20)
    try:
        raise ValueError("山田花子 090-1111-2222")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="intake_app"):
            hook(type(exc), exc, exc.__traceback__)
    timer.stop()
    assert saved == [True]
    assert len(shown) == 1 and "保存しました" in shown[0]
    assert "山田" not in shown[0]
    assert "ValueError" in caplog.text
    assert "山田花子" not in caplog.text and "090" not in caplog.text


def test_the_program_starts_on_an_empty_folder_and_quits_cleanly(tmp_path) -> None:
    """`intake-app --data-dir DIR` as a process (it quits by itself via the smoke-test hook)."""
    import os
    import stat
    import subprocess
    import sys

    data_dir = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INTAKE_APP_SMOKE_QUIT_MS="500")
    run = subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "intake-app.log").stat().st_mode) == 0o600
    assert (data_dir / "intake-app.log").read_text(encoding="utf-8") == ""  # no errors logged
    probe = subprocess.run(  # another process can take the data folder: released on quit
        [
            sys.executable,
            "-c",
            f"from intake_app.store import InstanceLock; InstanceLock({str(data_dir)!r}).acquire()",
        ],
        capture_output=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr


def test_unlock_screen_start_imports_no_heavy_modules(tmp_path) -> None:
    """reportlab, QtPdf and QtPrintSupport load only when a document is printed."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from intake_app.gui.app import create_application\n"
        "app = create_application()\n"
        "from intake_app.gui.shell import Shell\n"
        "from intake_app.store import Vault\n"
        f"shell = Shell(Path({str(tmp_path)!r}), Vault)\n"
        "shell.show_unlock()\n"
        "heavy = [m for m in ('reportlab', 'PySide6.QtPdf', 'PySide6.QtPrintSupport',"
        " 'intake_app.documents', 'intake_app.gui.main_window') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert "HEAVY []" in run.stdout, run.stdout + run.stderr


def test_a_program_started_on_a_held_vault_quits_by_itself(tmp_path) -> None:
    """The held-vault warning honours INTAKE_APP_SMOKE_QUIT_MS (it used to wait forever)."""
    import os
    import subprocess
    import sys

    data_dir = tmp_path / "data"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from intake_app.store import InstanceLock\n"
            f"InstanceLock({str(data_dir)!r}).acquire()\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INTAKE_APP_SMOKE_QUIT_MS="300")
        run = subprocess.run(
            [sys.executable, "-m", "intake_app", "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert run.returncode == 1
    assert "Traceback" not in run.stderr


def test_error_hook_says_what_a_refusal_is(qtbot, configured_app) -> None:
    """A ``UserError`` that reaches the hook (e.g. a stopped vault) shows its own sentence."""
    from intake_app.store.errors import WritesStopped

    shown: list[str] = []

    def close_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                shown.append(widget.text())
                widget.accept()

    hook = ErrorHook()
    timer = QTimer()
    timer.timeout.connect(close_dialog)
    timer.start(20)
    exc = WritesStopped()
    hook(type(exc), exc, None)
    timer.stop()
    assert shown == [exc.message]
