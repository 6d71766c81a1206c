"""Walk the screens a counselor or supervisor can reach, the way a screen reader and a
keyboard user meet them.

``check_screen(qtbot, window)`` looks at what is on screen now:

- every interactive widget has a name through ``QAccessible``
  (``QAccessible.queryAccessibleInterface(w).text(Name)``) that is not empty, not
  just its value (a combo box named by its current item, a date named by the date),
  has Japanese in it, and is not shared with another widget on the same screen;
- every label that shows text exposes it (as its name or its description): a
  status line with a fixed name hides what it says;
- Tab goes round every enabled control and comes back, Shift+Tab the same way
  backwards (no table or text box keeps it);
- the window lies inside the available screen.

``Walker`` finds the screens itself, so a screen added later is walked without a
list to update: from a window it visits every page of every tab widget and stacked
widget, presses every button (Enter on a row of every table and list), and every
window that opens on the way (a dialog, a preview, the supervisor area) is walked
the same way and then closed (Escape / No: nothing is confirmed unless ``answers``
says how for that window). ``Walker.windows`` lists the window classes met, so a test
can fail on a dialog class nobody reached.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPageSetupDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from intake_app.gui.accessibility import plain_text, takes_tab

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
NAMES_WITHOUT_JAPANESE = {"OK"}
QT_STANDARD_DIALOGS = (QFileDialog, QAbstractPrintDialog, QPageSetupDialog)
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
)


def _own_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _label_names(widget: QWidget) -> str:
    """The names of the labels linked to ``widget`` (AT-SPI's labelled-by relation)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None:
        return ""
    names = []
    for other, _relation in iface.relations(QAccessible.RelationFlag.Label):
        text = other.text(QAccessible.Text.Name).strip() if other is not None else ""
        if text:
            names.append(text)
    return " ".join(names)


def _name(widget: QWidget) -> str:
    """What a screen reader calls ``widget``: its own name, or, where that is only its
    value (a combo box on Linux is named by its current item) or empty, its label."""
    own = _own_name(widget)
    if own and own != _value(widget):
        return own
    return _label_names(widget) or own


def _description(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Description).strip() if iface is not None else ""


def _value(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    value = iface.text(QAccessible.Text.Value).strip() if iface is not None else ""
    if isinstance(widget, QComboBox):
        return widget.currentText().strip() or value
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return widget.text().strip() or value
    return value


def _part_of_another(widget: QWidget) -> bool:
    """Inner parts Qt names through their owner (a combo's line edit, a spin box's)."""
    parent = widget.parentWidget()
    return isinstance(parent, QComboBox | QAbstractSpinBox) or widget.objectName().startswith("qt_")


def interactive(root: QWidget) -> list[QWidget]:
    """The controls a user can operate on ``root``'s screen now."""
    window = root.window()
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.window() is window
        and not isinstance(w, QScrollBar)
        and w.isVisibleTo(root)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not _part_of_another(w)
    ]


def describe(widget: QWidget) -> str:
    name = _name(widget)
    return f"{type(widget).__name__}「{name}」" if name else type(widget).__name__


def name_problems(root: QWidget) -> list[str]:
    """Empty, value-only, non-Japanese and duplicate names; hidden status texts."""
    problems: list[str] = []
    named: dict[str, list[QWidget]] = {}
    for widget in interactive(root):
        name = _name(widget)
        value = _value(widget)
        where = describe(widget)
        if not name:
            problems.append(f"{where}: 名前がない（値: {value!r}）")
            continue
        if value and name == value:
            problems.append(f"{where}: 名前が値だけ（つながったラベルがない）")
            continue
        if not JAPANESE.search(name) and name not in NAMES_WITHOUT_JAPANESE:
            problems.append(f"{where}: 名前に日本語がない")
        named.setdefault(name, []).append(widget)
    for name, widgets in named.items():
        if len(widgets) > 1:
            kinds = "、".join(type(w).__name__ for w in widgets)
            problems.append(f"「{name}」: {len(widgets)} 個の操作部品が同じ名前（{kinds}）")
    for bar in root.findChildren(QTabBar):
        if bar.isVisibleTo(root) and bar.window() is root.window():
            tabs = [plain_text(bar.tabText(i)) for i in range(bar.count())]
            if "" in tabs or len(set(tabs)) != len(tabs):
                problems.append(f"タブの名前が空か重複: {tabs}")
    for label in root.findChildren(QLabel):
        if (
            not label.isVisibleTo(root)
            or label.buddy() is not None
            or label.window() is not root.window()
        ):
            continue
        text = _squash(plain_text(label.text()))
        if not text:
            continue
        exposed = _squash(_own_name(label)) + "\n" + _squash(_description(label))
        if text not in exposed:
            problems.append(
                f"QLabel「{_own_name(label)}」: 表示中の文「{text[:30]}」を読み上げられない"
            )
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class TabWalk:
    forward: list[QWidget] = field(default_factory=list)
    backward: list[QWidget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _tab_round(
    qtbot, window: QWidget, start: QWidget, backward: bool, limit: int, alone: bool
) -> TabWalk:
    walk = TabWalk()
    seq = walk.backward if backward else walk.forward
    seq.append(start)
    modifier = Qt.KeyboardModifier.ShiftModifier if backward else Qt.KeyboardModifier.NoModifier
    key = Qt.Key.Key_Backtab if backward else Qt.Key.Key_Tab
    way = "Shift+Tab" if backward else "Tab"
    stays = 0
    for _ in range(limit):
        focus = QApplication.focusWidget()
        qtbot.keyClick(focus, key, modifier)
        now = QApplication.focusWidget()
        if now is None or now.window() is not window:
            walk.problems.append(f"{way} が {describe(focus)} から画面の外へ出る")
            return walk
        if now is start and (now is not focus or alone):
            return walk  # round (a screen with one control: Tab stays on it)
        if now is focus:
            # a date field moves through its year, month, day (hour, minute) first: Qt's way
            stays += 1
            if isinstance(now, QDateTimeEdit) and stays < now.sectionCount():
                continue
            walk.problems.append(f"{way} が {describe(now)} から出られない")
            return walk
        stays = 0
        if now in seq:
            walk.problems.append(f"{way} が {describe(now)} に戻り、一巡しない")
            return walk
        seq.append(now)
    walk.problems.append(f"{way} が {limit} 回で一巡しない")
    return walk


def tab_problems(qtbot, window: QWidget, limit: int = 400) -> list[str]:
    """Tab and Shift+Tab go round every enabled control, one the reverse of the other."""
    window.activateWindow()
    try:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    except qtbot.TimeoutError:
        return ["窓を前面にできない（Tab を試せない）"]
    controls = [w for w in interactive(window) if w.isEnabled() and takes_tab(w) and w.isVisible()]
    if not controls:
        return []
    start = QApplication.focusWidget()
    if start is None or start.window() is not window or start not in controls:
        start = controls[0]
        start.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    alone = len(controls) == 1
    forward = _tab_round(qtbot, window, start, False, limit, alone)
    backward = _tab_round(qtbot, window, start, True, limit, alone)
    problems = forward.problems + backward.problems
    reached = set(forward.forward)
    missed = [describe(w) for w in controls if w not in reached]
    if missed and not forward.problems:
        problems.append("Tab で届かない: " + "、".join(missed))
    if not problems:
        expected = [start, *reversed(forward.forward[1:])]
        if backward.backward != expected:
            problems.append(
                "Shift+Tab が Tab の逆順にならない: Tab "
                + " → ".join(describe(w) for w in forward.forward)
                + " ／ Shift+Tab "
                + " → ".join(describe(w) for w in backward.backward)
            )
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    return problems


def geometry_problems(window: QWidget) -> list[str]:
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        return [
            f"窓 {frame.width()}×{frame.height()}（{frame.x()},{frame.y()}）が画面"
            f" {screen.width()}×{screen.height()} からはみ出す"
        ]
    return []


def check_screen(qtbot, window: QWidget, *, tab: bool = True) -> list[str]:
    problems = name_problems(window) + geometry_problems(window)
    if tab:
        problems += tab_problems(qtbot, window)
    return problems


ENGLISH = re.compile(r"[A-Za-z]{2,}")
ENGLISH_ALLOWED = {"OK", "PDF", "CSV", "A4", "Ctrl", "PageDown", "PageUp", "Alt", "Tab", "F12"}


def english_texts(window: QWidget) -> list[str]:
    """Texts on a window with English words (file names and paths left out)."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.objectName() in (
            "lookInCombo",
            "fileNameEdit",
        ):
            continue
        texts = [widget.toolTip(), widget.accessibleName(), widget.windowTitle()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QComboBox) and widget.objectName() != "lookInCombo":
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(model.columnCount())
            ]
        for text in texts:
            text = re.sub(r"\(\*\.\w+\)", "", text or "")  # a file pattern: (*.csv)
            words = set(ENGLISH.findall(plain_text(text))) - ENGLISH_ALLOWED
            if words and "/" not in text:
                found.append(f"{type(widget).__name__}: {text}")
    return found


# --- the walker ------------------------------------------------------------------------

Answer = Callable[[QWidget], bool]
TRACE = bool(os.environ.get("WALKER_TRACE"))


def _trace(*parts: object) -> None:
    if TRACE:
        print("walker:", *parts, file=sys.stderr, flush=True)


def _is_window(obj: QObject) -> bool:
    if not isinstance(obj, QWidget) or not obj.isWindow():
        return False
    kind = obj.windowType()
    return kind in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


def _page_path(page: QWidget, window: QWidget) -> list[tuple[QWidget, int]]:
    """The pagers (tab and stacked widgets) to set, outermost first, to show ``page``."""
    path: list[tuple[QWidget, int]] = []
    child: QWidget | None = page
    while child is not None and child is not window:
        parent = child.parentWidget()
        if isinstance(parent, QStackedWidget):
            path.append((parent, parent.indexOf(child)))
        child = parent
    return list(reversed(path))


def _show_page(path: list[tuple[QWidget, int]]) -> bool:
    for stack, index in path:
        if not shiboken6.isValid(stack) or index < 0 or index >= stack.count():
            return False
        _set_page(stack, index)
    return True


def _set_page(stack: QStackedWidget, index: int) -> None:
    """Turn to a page the way the user would: the tab, or the list that pages it."""
    owner = stack.parentWidget()
    if isinstance(owner, QTabWidget):
        owner.setCurrentIndex(index)
        return
    if owner is not None:
        for lister in owner.findChildren(
            QListWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if lister.count() == stack.count():
                lister.setCurrentRow(index)
                return
    stack.setCurrentIndex(index)


def _inside_other_page(widget: QWidget, page: QWidget) -> bool:
    """Whether ``widget`` sits on a page of a stacked widget below ``page``."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QStackedWidget):
            return True
        parent = parent.parentWidget()
    return False


class Walker(QObject):
    """Finds and walks every screen reachable from a window (see the module docstring)."""

    def __init__(
        self,
        qtbot,
        *,
        answers: dict[str, Answer] | None = None,
        max_depth: int = 3,
        rows: int = 3,
    ) -> None:
        super().__init__()
        self.qtbot = qtbot
        self.answers = answers or {}
        self.max_depth = max_depth
        self.rows = rows
        self.problems: dict[str, list[str]] = {}
        self.windows: set[str] = set()
        self.screens: list[str] = []
        self._seen: set[tuple[object, ...]] = set()
        self._clicked: set[tuple[str, ...]] = set()
        self._pending: list[QWidget] = []
        self._active: list[QWidget] = []  # windows being walked now
        self._depth = 0
        self._roots: list[QWidget] = []
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)

    # --- finding windows -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and _is_window(watched)
            and not any(watched is w for w in (*self._roots, *self._pending, *self._active))
        ):
            self._pending.append(watched)
            QTimer.singleShot(0, self._drain)
        return False

    def _drain(self) -> None:
        while self._pending:
            window = self._pending.pop(0)
            try:
                if shiboken6.isValid(window) and window.isVisible():
                    self._window(window)
            except RuntimeError:  # closed and deleted meanwhile (deleted on close)
                if shiboken6.isValid(window):
                    raise

    def settle(self) -> None:
        """Let queued events run and every window that opened be walked and closed."""
        for _ in range(3):
            QApplication.processEvents()
            self._drain()

    # --- walking ---------------------------------------------------------------------

    def walk(self, window: QWidget, label: str | None = None) -> None:
        """Walk ``window`` (already shown) and everything reachable from it."""
        self._roots.append(window)
        self.windows.add(type(window).__name__)
        self._explore(window, label or type(window).__name__)
        self.settle()

    def _window(self, window: QWidget) -> None:
        self._active.append(window)
        try:
            self._walk_window(window)
        finally:
            self._active = [w for w in self._active if w is not window]

    def _walk_window(self, window: QWidget) -> None:
        self.windows.add(type(window).__name__)
        label = f"{type(window).__name__}「{window.windowTitle()}」"
        if not isinstance(window, QDialog | QMainWindow) and not window.windowTitle():
            # a part of a screen shown before it was put into its layout: it flashes
            # up as a window of its own
            self.problems.setdefault("窓でない部品", []).append(
                f"{describe(window)} が一瞬、独立した窓として表示される"
                f"（{plain_text(getattr(window, 'text', lambda: '')())[:30]}）"
            )
            return
        _trace("window", label, self._depth + 1)
        self._depth += 1
        try:
            if isinstance(window, QT_STANDARD_DIALOGS):
                english = english_texts(window)
                if english:
                    self.problems.setdefault(label, []).extend(f"英語の表示: {t}" for t in english)
            elif self._depth <= self.max_depth:
                self._explore(window, label)
            answer = self.answers.get(type(window).__name__) or self.answers.get(
                window.windowTitle()
            )
            if answer is not None and answer(window):
                return
            self._close(window)
            if shiboken6.isValid(window) and window.isVisible():
                self.problems.setdefault(label, []).append("閉じても窓が残る")
        finally:
            self._depth -= 1

    def _close(self, window: QWidget) -> None:
        if not shiboken6.isValid(window) or not window.isVisible():
            return
        if isinstance(window, QMessageBox):
            button = window.escapeButton() or window.defaultButton()
            if button is not None:
                button.click()
        if shiboken6.isValid(window) and window.isVisible():
            window.close()
        if shiboken6.isValid(window) and window.isVisible() and isinstance(window, QDialog):
            window.done(QDialog.DialogCode.Rejected)
        if shiboken6.isValid(window) and window.isVisible():
            window.hide()

    def _check(self, window: QWidget, label: str, page: QWidget) -> None:
        key = _page_key(window, page)
        if key in self._seen:
            return
        self._seen.add(key)
        self.screens.append(label)
        _trace("check", label)
        found = check_screen(self.qtbot, window)
        if isinstance(window, QMainWindow):
            found += main_window_fits(window)[len(geometry_problems(window)) :]
        if found:
            self.problems.setdefault(label, []).extend(found)

    def _explore(self, window: QWidget, label: str) -> None:
        self._visit(window, window, label)

    def _visit(self, window: QWidget, page: QWidget, label: str) -> None:
        """Check ``page`` as shown, visit the pages inside it, then press its buttons
        (last: a button may close the page)."""
        if not shiboken6.isValid(page):
            return
        path = _page_path(page, window)
        self._check(window, label, page)
        if not shiboken6.isValid(page):
            print("WALKER-DELETED", label)
            return
        for stack in _stacks_in(page):
            for index in range(stack.count()):
                if not shiboken6.isValid(stack) or index >= stack.count():
                    break
                inner = stack.widget(index)
                if not _show_page(path) or not shiboken6.isValid(stack):
                    break
                _set_page(stack, index)
                self.settle()
                self._visit(window, inner, f"{label} / {_page_title(stack, index, inner)}")
        self._act(window, page, label, path)

    def _act(self, window: QWidget, page: QWidget, label: str, path) -> None:
        buttons = [
            b
            for b in page.findChildren(QAbstractButton)
            if not isinstance(b, QCheckBox | QRadioButton)
            and not b.isCheckable()
            and not _inside_other_page(b, page)
            and not isinstance(b.parentWidget(), QDialogButtonBox | QTabBar)
            and not b.objectName().startswith("qt_")
        ]
        views = [page] if isinstance(page, QAbstractItemView) else []
        views += [
            v
            for v in page.findChildren(QAbstractItemView)
            if not _inside_other_page(v, page)
            and not _part_of_another(v)
            and not isinstance(v, QHeaderView)
        ]
        self._open_rows(window, page, label, path, views)
        kind = (type(window).__name__, *(type(p).__name__ for p in _chain(page, window)))
        for button in buttons:
            if not shiboken6.isValid(page) or not _show_page(path):
                return
            if not shiboken6.isValid(button):
                continue
            once = (*kind, re.sub(r"\d+", "#", _name(button)))
            if once in self._clicked or not (button.isVisible() and button.isEnabled()):
                continue
            self._clicked.add(once)
            _trace("click", label, describe(button))
            button.click()
            self.settle()
            self._explore_new_pages(window)

    def _open_rows(self, window: QWidget, page: QWidget, label: str, path, views) -> None:
        """Enter on the first rows of each table and list (a case, a draft, a user)."""
        for view in views:
            for row in range(self.rows):
                if not shiboken6.isValid(page) or not _show_page(path):
                    return
                if not shiboken6.isValid(view) or not view.isVisible():
                    break
                model = view.model()
                if model is None or row >= model.rowCount():
                    break
                _trace("row", label, describe(view), row)
                view.setFocus()
                view.setCurrentIndex(model.index(row, 0))
                self.qtbot.keyClick(view, Qt.Key.Key_Return)
                self.settle()
                self._explore_new_pages(window)

    def _explore_new_pages(self, window: QWidget) -> None:
        """After an action: a page that appeared (a case, a wizard) is walked now."""
        if not shiboken6.isValid(window) or not window.isVisible():
            return
        for stack in window.findChildren(QStackedWidget):
            if not shiboken6.isValid(stack) or not shiboken6.isValid(window):
                return
            if not stack.isVisible():
                continue
            page = stack.currentWidget()
            if page is None:
                continue
            if _page_key(window, page) not in self._seen:
                self._visit(window, page, f"{type(window).__name__} / {type(page).__name__}")


def _page_key(window: QWidget, page: QWidget) -> tuple[object, ...]:
    """A page as a kind of screen: its place and the buttons it shows (numbers left
    out, so a third child's row is not a new screen)."""
    names = frozenset(
        re.sub(r"\d+", "#", _name(b)) for b in page.findChildren(QAbstractButton) if b.isVisible()
    )
    places = (f"{type(p).__name__}:{p.accessibleName()}" for p in _chain(page, window))
    return (type(window).__name__, *places, names)


def _chain(page: QWidget, window: QWidget) -> list[QWidget]:
    out = []
    widget: QWidget | None = page
    while widget is not None and widget is not window:
        out.append(widget)
        widget = widget.parentWidget()
    return list(reversed(out))


def _stacks_in(page: QWidget) -> list[QStackedWidget]:
    """The stacked widgets directly on ``page`` (not on one of their own pages)."""
    return [
        s
        for s in page.findChildren(QStackedWidget)
        if not _inside_other_page(s, page) and s is not page
    ]


def _page_title(stack: QStackedWidget, index: int, page: QWidget) -> str:
    owner = stack.parentWidget()
    if isinstance(owner, QTabWidget):
        return plain_text(owner.tabText(index))
    title = getattr(page, "title", "")
    return str(title) if isinstance(title, str) and title else type(page).__name__


def main_window_fits(window: QWidget) -> list[str]:
    """The window, every visible button not inside a scroll area and a main window's
    status line lie inside the available screen."""
    screen = window.screen().availableGeometry()
    problems = geometry_problems(window)
    parts: list[QWidget] = list(window.findChildren(QAbstractButton))
    if isinstance(window, QMainWindow):
        parts.append(window.statusBar())
    for widget in parts:
        if not widget.isVisible() or isinstance(widget.parentWidget(), QTabBar):
            continue
        if widget.window() is not window or _scrolled(widget):
            continue
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        bottom_right = widget.mapToGlobal(widget.rect().bottomRight())
        if not (screen.contains(top_left) and screen.contains(bottom_right)):
            problems.append(f"{describe(widget)} が画面の外（{top_left.x()},{top_left.y()}）")
    return problems


def _scrolled(widget: QWidget) -> bool:
    """Inside a scroll area (reached by scrolling, not by the window's size)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea | QAbstractScrollArea) and not isinstance(
            parent, QAbstractItemView
        ):
            return True
        parent = parent.parentWidget()
    return False
