"""Windows that fit the screen they open on (README "Screen size").

The smallest screen the install guide allows is 1366×768, less a taskbar. A window
asks for the size it would like; ``fit_to_screen`` gives it that size or the
available screen, whichever is smaller, and keeps its frame (title bar included) on
the screen. ``show_maximized`` is for the program's full-screen windows.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The window manager's frame before a window is shown (title bar and borders): a
# generous guess, replaced by the real frame once the window has one.
FRAME_WIDTH = 16
FRAME_HEIGHT = 48


def available_geometry(window: QWidget) -> QRect:
    """The part of the window's screen not taken by taskbars and panels."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(window: QWidget) -> QSize:
    if window.isVisible():
        frame = window.frameGeometry().size() - window.geometry().size()
        if frame.width() > 0 or frame.height() > 0:
            return frame
    return QSize(FRAME_WIDTH, FRAME_HEIGHT)


def fit_to_screen(window: QWidget, width: int, height: int) -> QSize:
    """Size ``window`` to width×height or the available screen, whichever is smaller,
    centred on it. Returns the size given."""
    area = available_geometry(window)
    frame = _frame(window)
    size = QSize(
        max(1, min(width, area.width() - frame.width())),
        max(1, min(height, area.height() - frame.height())),
    )
    window.resize(size)
    left = area.left() + max(0, (area.width() - size.width() - frame.width()) // 2)
    top = area.top() + max(0, (area.height() - size.height() - frame.height()) // 2)
    window.move(left, top)
    return size


def show_maximized(window: QWidget) -> None:
    """Show ``window`` over the whole available screen (also where no window manager
    maximizes it: its normal size is already the available screen)."""
    area = available_geometry(window)
    fit_to_screen(window, area.width(), area.height())
    window.showMaximized()
