"""Test configuration shared by every suite: headless Qt, no user data folder.

The offscreen screen is the smallest the install guide allows, 1366×768 less a
40-pixel taskbar (1366×728 available), so every window a test shows must fit it.
"""

import os
from pathlib import Path

SCREEN_CONFIG = Path(__file__).resolve().parent / "offscreen-screen.json"
SCREEN_WIDTH, SCREEN_HEIGHT = 1366, 728

os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"
os.environ.setdefault("QT_SCALE_FACTOR", "1")
