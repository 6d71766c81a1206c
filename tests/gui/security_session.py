"""The real program (``run_gui``) driven through a whole session, for the security tests.

``run_gui`` is called as the program calls it: its file log in the data folder, the
single-instance lock, the shell, the global exception hook, ``app.exec()``. A script
runs inside that event loop (a zero-delay timer) and drives the screens through
their widgets; it quits through ``app.quit()``, so the normal shutdown path runs.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from tests.gui.helpers import commit_text

PASSPHRASE = "しずかな朝に川を渡る小舟"
USER = "佐藤"

# --- the network audit hook ----------------------------------------------------------------

NETWORK_EVENTS = (
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
    "webbrowser.open",
    # another program could open the connection instead (curl, a browser, a mailer)
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.startfile",
)


class NetworkWatch:
    """Records every ``socket.*`` (and other network or process) audit event while
    ``recording``.

    An audit hook cannot be removed: it is installed once per process and does
    nothing unless a test has switched it on.
    """

    def __init__(self) -> None:
        self.recording = False
        self.events: list[str] = []
        self._installed = False

    def install(self) -> None:
        if not self._installed:
            sys.addaudithook(self._hook)
            self._installed = True

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.recording and (event.startswith("socket.") or event in NETWORK_EVENTS):
            self.events.append(f"{event} {args!r}"[:200])

    def start(self) -> None:
        self.install()
        self.events.clear()
        self.recording = True

    def stop(self) -> list[str]:
        self.recording = False
        return list(self.events)


WATCH = NetworkWatch()


def open_a_socket() -> None:
    """For the negative control: what any network code would do first."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM):
        pass


# --- running the program with a script ------------------------------------------------------


class Harness:
    """What the script needs: the shell run_gui built, and a way to wait for events."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.shells: list[Any] = []
        self.failure: BaseException | None = None
        self.failure_text = ""

    @property
    def shell(self) -> Any:
        assert self.shells, "run_gui built no shell"
        return self.shells[-1]

    def wait(self, condition: Callable[[], Any], timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def run_program(
    data_dir: Path, harness: Harness, script: Callable[[Harness], None], monkeypatch: Any
) -> int:
    """``run_gui(data_dir)`` with ``script`` run inside its event loop, then quit."""
    from intake_app.gui import app as gui_app
    from intake_app.gui import shell as shell_module

    real_shell = shell_module.Shell

    class RecordedShell(real_shell):  # type: ignore[misc, valid-type]
        """The real shell; only remembered so that the script can reach its screens."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            harness.shells.append(self)

    monkeypatch.setattr(shell_module, "Shell", RecordedShell)

    def run_script() -> None:
        try:
            script(harness)
        except BaseException as exc:  # reported after run_gui returns
            harness.failure = exc
            harness.failure_text = traceback.format_exc()
        finally:
            QApplication.quit()

    QTimer.singleShot(0, run_script)
    try:
        return gui_app.run_gui(data_dir)
    finally:
        # The program's process would end here. The test process goes on with the same
        # QApplication: a Quit event still queued (closing the last window posts one)
        # would stop every later event loop at once, so it is dropped.
        QCoreApplication.removePostedEvents(QApplication.instance(), QEvent.Type.Quit)


# --- screens -------------------------------------------------------------------------------


def setup_first_account(h: Harness) -> str:
    """The first-run wizard on the empty data folder: account, recovery key, finish.

    Returns the recovery key as the screen showed it."""
    from PySide6.QtWidgets import QWizard

    setup = h.shell.setup
    assert setup is not None, "an empty data folder starts with the setup wizard"
    page = setup.account
    commit_text(page.ui.displayNameEdit, "鈴木 花子")
    commit_text(page.ui.userEdit, USER)
    commit_text(page.ui.passphraseEdit, PASSPHRASE)
    commit_text(page.ui.confirmEdit, PASSPHRASE)
    setup.button(QWizard.WizardButton.NextButton).click()
    h.wait(lambda: setup.currentId() == setup.PAGE_RECOVERY, 30_000)
    recovery_key = str(setup.recovery.key_label.text())
    setup.recovery.stored.setChecked(True)
    setup.button(QWizard.WizardButton.FinishButton).click()
    h.wait(lambda: h.shell.unlock.isVisible())
    return recovery_key


def unlock(h: Harness) -> Any:
    from PySide6.QtCore import Qt

    screen = h.shell.unlock
    if screen.ui.userEdit.text() != USER:
        screen.ui.userEdit.clear()
        commit_text(screen.ui.userEdit, USER)
    commit_text(screen.ui.passphraseEdit, PASSPHRASE)
    with h.qtbot.waitSignal(h.shell.main_shown, timeout=20_000):
        h.qtbot.keyClick(screen.ui.passphraseEdit, Qt.Key.Key_Return)
    return h.shell.main


def text_fields(page: QWidget) -> list[tuple[str, QWidget]]:
    """Every enabled text field of a wizard step, with the attribute name it has."""
    from intake_app.gui.intake.steps.household import ChildBox
    from intake_app.gui.intake.steps.needs import ReferralRow

    owners: list[Any] = [page, *page.findChildren(ChildBox), *page.findChildren(ReferralRow)]
    names = {id(v): k for o in owners for k, v in vars(o).items() if isinstance(v, QWidget)}
    out: list[tuple[str, QWidget]] = []
    widgets: list[QWidget] = [*page.findChildren(QLineEdit), *page.findChildren(QPlainTextEdit)]
    for widget in widgets:
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox):  # an editable combo box's line edit
            if not parent.isEditable():
                continue
            name = names.get(id(parent), "?")
        else:
            name = names.get(id(widget), "?")
        if widget.isEnabled() and not getattr(widget, "isReadOnly", lambda: False)():
            out.append((name, widget))
    return out


def type_into(widget: QWidget, text: str) -> None:
    """Replace the field's text the way a keyboard and input method would."""
    widget.setFocus()
    clear = getattr(widget, "clear", None)
    if callable(clear):
        clear()
    commit_text(widget, text)


def past(days: int) -> str:
    return (dt.datetime.now() - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")
