"""This computer's program settings in ``settings.ini`` of the data folder (no personal data).

The shell reads them at start and the supervisor area's 設定 tab writes them; both
import this module, so neither imports the other.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSettings

from intake_app.gui.lock import DEFAULT_IDLE_MINUTES, clamp_idle_minutes

SETTINGS_FILE = "settings.ini"


def load_idle_minutes(data_dir: Path) -> int:
    """The idle lock time (1-30 minutes) from ``settings.ini``; no personal data is there."""
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return DEFAULT_IDLE_MINUTES
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    try:
        value = int(str(settings.value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return clamp_idle_minutes(value)


def save_idle_minutes(data_dir: Path, minutes: int) -> int:
    """Store the idle lock time (clamped to 1-30 minutes) in ``settings.ini``."""
    value = clamp_idle_minutes(minutes)
    settings = QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    settings.setValue("lock/idle_minutes", value)
    settings.sync()
    with contextlib.suppress(OSError):
        (data_dir / SETTINGS_FILE).chmod(0o600)  # owner-only, like everything in the folder
    return value


def load_last_user(data_dir: Path) -> str:
    """The login name last unlocked on this PC ('' when none): the unlock screen fills
    it in and puts the cursor in the passphrase field. A staff login name only."""
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return ""
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    value = settings.value("unlock/last_user", "")
    return value.strip() if isinstance(value, str) else ""


def save_last_user(data_dir: Path, name: str) -> None:
    """Remember the login name after a successful unlock (never what was typed before)."""
    settings = QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    settings.setValue("unlock/last_user", name)
    settings.sync()
    with contextlib.suppress(OSError):
        (data_dir / SETTINGS_FILE).chmod(0o600)
