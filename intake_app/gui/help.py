"""Help on screen (F1): the 操作マニュアル's section for the current screen or step.

One window shows the whole manual (``documents.manual``, from the package's resources:
no network, no external browser) scrolled to the section's anchor. It is a top-level
window like any other, so every lock closes and destroys it (``lock.close_all_windows``);
it shows no personal data either way.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from intake_app.gui.screen_fit import fit_to_screen

HELP_KEY_NAME = "F1"
DEFAULT_ANCHOR = "getting-started"

_window: HelpWindow | None = None


class HelpWindow(QWidget):
    """The manual in a read-only browser; ``show_section`` scrolls to an anchor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("HelpWindow")
        # Imported here: the unlock screen (which has F1) starts without the documents
        # package (tests/gui/test_app.py).
        from intake_app.documents import manual as manual_doc

        self.manual = manual_doc.load()
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setAccessibleName(self.tr("操作マニュアル"))
        # Only the manual's own anchors are followed; nothing leaves the program.
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.browser.setSearchPaths([str(self.manual.folder)])
        self.browser.setHtml(manual_doc.to_html(self.manual))
        layout.addWidget(self.browser, 1)
        close = QPushButton(self.tr("閉じる(&C)"))
        close.setAccessibleName(self.tr("ヘルプを閉じる"))
        close.clicked.connect(self.close)
        layout.addWidget(close)
        QShortcut(QKeySequence("Esc"), self, self.close)
        self.anchor = DEFAULT_ANCHOR
        fit_to_screen(self, 900, 700)

    def show_section(self, anchor: str) -> str:
        """Scroll to ``anchor`` (the manual's start when it has no such section);
        returns the anchor shown."""
        title = self.manual.section_title(anchor)
        if title is None:
            anchor = DEFAULT_ANCHOR
            title = self.manual.section_title(anchor) or ""
        self.anchor = anchor
        self.setWindowTitle(self.tr("ヘルプ: {}").format(title))
        self.browser.scrollToAnchor(anchor)
        return anchor

    def _anchor_clicked(self, url: QUrl) -> None:
        if not url.scheme() and url.fragment():
            self.show_section(url.fragment())


def open_help(parent: QWidget | None, anchor: str) -> HelpWindow:
    """Show the help window (one at a time) at ``anchor``, in front. ``parent``: the
    window F1 was pressed in (the help goes when it goes); None for one of its own."""
    global _window
    window = _window
    if window is not None and shiboken6.isValid(window) and window.parent() is not parent:
        window.close()  # one help window: the one of the window F1 was pressed in
        window.deleteLater()
        window = None
    if window is None or not shiboken6.isValid(window):
        window = HelpWindow(parent)
        _window = window
    window.show()
    # Scroll after the first layout, so the anchor's position is known.
    window.browser.document().adjustSize()
    window.show_section(anchor)
    window.raise_()
    window.activateWindow()
    return window


def current_help_window() -> HelpWindow | None:
    """The help window when one is open (for tests and the lock)."""
    window = _window
    if window is None or not shiboken6.isValid(window) or not window.isVisible():
        return None
    return window


class ModalHelp(QObject):
    """F1 inside a modal dialog of ``main`` (whose own F1 shortcut cannot fire then): the
    help window opens as the dialog's child, so it can be read and scrolled while the
    dialog waits. The section: the dialog's ``helpAnchor`` property, else the screen
    behind it (``main.help_anchor()``). Installed on the application by the main window
    and deleted with it."""

    def __init__(self, main: QWidget, anchor: Callable[[], str]) -> None:
        super().__init__(main)
        self._main = main
        self._anchor = anchor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_F1 or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        modal = QApplication.activeModalWidget()
        if modal is None or not _inside(modal, self._main):
            return False
        anchor = modal.property("helpAnchor")
        open_help(modal, str(anchor) if anchor else self._anchor())
        return True


def _inside(widget: QWidget, main: QWidget) -> bool:
    parent: QWidget | None = widget.parentWidget()
    while parent is not None:
        if parent is main:
            return True
        parent = parent.parentWidget()
    return False
