"""Keyboard and screen-reader support every screen shares (README "Keyboard and screen readers").

- ``StatusLabel``: a message that changes (an error, a count, a countdown). Its fixed
  name says what it is; its text is the accessible description, and every new text is
  announced, so a screen reader reads 「メッセージ: パスフレーズが違います」, not just
  「メッセージ」.
- ``order_tab_chain(root)``: Tab and Shift+Tab follow the reading order of the layouts
  (Qt's default follows creation and re-parenting, which skipped the step list and
  step 10's memo). Call it again after a screen adds or removes widgets.
- ``leave_on_tab(view)``: Tab leaves a table or list instead of moving between cells.
- ``tab_keys(tabs)``: Ctrl+PageDown / Ctrl+PageUp switch the tabs, as in the wizard.
- ``buddy(label, widget)``: a visible label names its field for screen readers.
"""

from __future__ import annotations

import html
import itertools
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QWidget,
)

_TAG = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """What a label says, without markup or the mnemonic's ``&``."""
    if "<" in text:
        text = html.unescape(_TAG.sub(" ", text.replace("<br>", "\n")))
    text = re.sub(r"&(?=\S)", "", text.replace("&&", "\0")).replace("\0", "&")
    return re.sub(r"[ \t]+", " ", text).strip()


class StatusLabel(QLabel):
    """A label whose text changes while the screen is open (README "Keyboard and screen
    readers"). ``name`` is what it is (「検索結果の件数」); the text is its description
    and is announced when it changes (``urgent``: at once, for errors and warnings).
    Without a name, the text itself is the accessible name (Qt's default)."""

    def __init__(
        self,
        name: str | QWidget = "",
        parent: QWidget | None = None,
        *,
        urgent: bool = False,
        live: bool = True,
    ) -> None:
        """``live=False``: readable, but not announced (a header that follows typing).
        ``StatusLabel(parent)`` also works (the compiled forms build it that way)."""
        if isinstance(name, QWidget):
            parent, name = name, ""
        super().__init__(parent)
        if isinstance(name, str) and name:
            self.setAccessibleName(name)
        self._urgent = urgent
        self._live = live

    def setText(self, text: str) -> None:
        changed = text != self.text()
        super().setText(text)
        plain = plain_text(text)
        if self.accessibleName():
            self.setAccessibleDescription(plain)
        if changed and plain and self._live:
            announce(self, plain, urgent=self._urgent)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.setAccessibleDescription(plain_text(self.text()) if name else "")

    def clear(self) -> None:
        self.setText("")


def announce(widget: QWidget, text: str, *, urgent: bool = False) -> None:
    """Have a running screen reader say ``text`` now (nothing happens without one)."""
    if not text or not QAccessible.isActive() or not widget.window().isVisible():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if urgent
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


def buddy(label: QLabel, widget: QWidget) -> QLabel:
    """Link ``label`` to ``widget``: Alt+its mnemonic focuses the field, and a screen
    reader reads the label as the field's name."""
    label.setBuddy(widget)
    if not widget.accessibleName():
        widget.setAccessibleName(plain_text(label.text()).rstrip(":："))
    return label


def leave_on_tab(view: QAbstractItemView) -> QAbstractItemView:
    """Tab moves on to the next control; the arrow keys move inside the table."""
    view.setTabKeyNavigation(False)
    return view


def tab_keys(tabs: QTabWidget) -> None:
    """Ctrl+PageDown / Ctrl+PageUp: the next / previous tab (from anywhere inside)."""

    def step(delta: int) -> None:
        count = tabs.count()
        if count:
            tabs.setCurrentIndex((tabs.currentIndex() + delta) % count)

    for key, delta in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageUp, -1)):
        shortcut = QShortcut(QKeySequence(Qt.Modifier.CTRL | key), tabs)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda d=delta: step(d))


# --- the Tab chain ---------------------------------------------------------------------

# Widgets that handle the keys inside them themselves: the chain stops at them.
_LEAVES = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QTabBar,
)


def takes_tab(widget: QWidget) -> bool:
    """Whether Tab may stop at ``widget``."""
    return (
        not widget.isWindow()
        and widget.focusProxy() is None
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    found: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            found.append(widget)
            continue
        inner = item.layout()
        if inner is not None:
            found += _layout_widgets(inner)
    return found


def _children_in_order(widget: QWidget) -> list[QWidget]:
    parts: list[QWidget | None]
    if isinstance(widget, QMainWindow):
        parts = [widget.menuWidget(), widget.centralWidget(), widget.statusBar()]
    elif isinstance(widget, QScrollArea):
        parts = [widget.widget()]
    elif isinstance(widget, QTabWidget):
        parts = [widget.tabBar(), *(widget.widget(i) for i in range(widget.count()))]
    elif isinstance(widget, QStackedWidget | QSplitter):
        parts = [widget.widget(i) for i in range(widget.count())]
    else:
        layout = widget.layout()
        ordered = _layout_widgets(layout) if layout is not None else []
        listed = set(ordered)
        rest = [
            c
            for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c not in listed and not c.isWindow()
        ]
        return ordered + rest
    return [w for w in parts if w is not None]


def _is_unit(widget: QWidget) -> bool:
    """A composite that hands its focus to a part of itself (a tab widget to its tab
    bar): one stop in the outer chain, its parts ordered in a chain of their own."""
    proxy = widget.focusProxy()
    return proxy is not None and widget.isAncestorOf(proxy)


def _is_leaf(widget: QWidget) -> bool:
    return isinstance(widget, _LEAVES) or (
        isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QScrollArea)
    )


def _chains(root: QWidget) -> list[list[QWidget]]:
    """The chain of ``root`` first, then one chain per composite unit inside it."""
    chains: list[list[QWidget]] = []
    seen: set[int] = set()

    def visit(widget: QWidget, chain: list[QWidget]) -> None:
        for child in _children_in_order(widget):
            if id(child) in seen or child.isWindow():
                continue
            seen.add(id(child))
            if _is_unit(child):
                chain.append(child)
                inner: list[QWidget] = []
                chains.append(inner)
                visit(child, inner)
                continue
            if takes_tab(child):
                chain.append(child)
            if not _is_leaf(child):
                visit(child, chain)

    main: list[QWidget] = []
    chains.append(main)
    visit(root, main)
    return chains


def reading_order(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab may stop at, in the order the layouts show
    them (top to bottom, left to right as laid out), depth first; a tab widget's tab
    bar and pages where the tab widget is."""
    chains = _chains(root)
    units: dict[int, list[QWidget]] = {}
    for chain in chains[1:]:
        if chain:
            owner = chain[0].parentWidget()
            while owner is not None and not _is_unit(owner):
                owner = owner.parentWidget()
            if owner is not None:
                units[id(owner)] = chain

    def flat(chain: list[QWidget]) -> list[QWidget]:
        out: list[QWidget] = []
        for widget in chain:
            if _is_unit(widget):
                out += flat(units.get(id(widget), []))
            else:
                out.append(widget)
        return out

    return flat(chains[0])


def order_tab_chain(root: QWidget) -> list[QWidget]:
    """Make Tab follow ``reading_order(root)`` (hidden widgets are skipped by Qt when
    Tab is pressed, so conditional rows keep their place). Returns the order.

    A composite with a focus proxy (a tab widget) is placed as one stop and its parts
    are ordered among themselves (Qt substitutes the proxy inside ``setTabOrder``;
    ordering the parts in the outer chain would leave the composite behind and make
    Tab come back to its tab bar). ``root`` is remembered as a chain root:
    ``refresh_tab_chain`` orders it again."""
    for chain in reversed(_chains(root)):  # the parts first, then where the units go
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
    root._tab_chain_root = True  # type: ignore[attr-defined]
    return reading_order(root)


def refresh_tab_chain(widget: QWidget) -> None:
    """After a screen added or removed widgets (a child's fields, a check box per
    child): order the outermost chain root around ``widget`` again, so new widgets take
    their place in the reading order instead of the end of the window's chain."""
    root = None
    current: QWidget | None = widget
    while current is not None:
        if getattr(current, "_tab_chain_root", False):
            root = current
        current = current.parentWidget()
    if root is not None:
        order_tab_chain(root)
