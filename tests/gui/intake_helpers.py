"""Helpers shared by the intake wizard tests: a session, Japanese typing, fast fills."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.paths import font_path

PASSPHRASE = "correct horse battery staple 2026"
FAST_KDF_ENV = "INTAKE_APP_TEST_FAST_KDF"  # tests only: weak Argon2id parameters
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def open_session(data_dir: Path, *, create: bool = True) -> Any:
    """A real vault session (fast test KDF) with the bundled municipality."""
    from intake_app.store import kdf
    from intake_app.store.vault import Vault

    if create and not Vault.exists(data_dir):
        Vault.create(data_dir, "tanaka", PASSPHRASE, kdf=kdf.TEST_FAST)
    return Vault.open(data_dir, "tanaka", PASSPHRASE)


def complete_settings(session: Any, display_name: str = "田中 花子") -> None:
    """Fill what official papers need (the centre's phone, address, head and 文書番号
    format; every destination's contact) and the user's 氏名, as a supervisor would."""
    data = session.settings.data()
    centre = data["centre"]
    centre.update(
        phone=centre.get("phone") or "048-433-0000",
        address=centre.get("address") or "蕨市中央5-14-15",
        head_title=centre.get("head_title") or "センター長",
        head_name=centre.get("head_name") or "蕨 一郎",
        document_number_format=centre.get("document_number_format") or "蕨市協第{n}号",
    )
    for dest in data["destinations"]:
        dest["contact"] = dest.get("contact") or "048-433-0100"
    session.settings.save(data)
    session.users.set_display_name(session.user.name, display_name)


def blank_phone(session: Any) -> None:
    """The centre's phone empty again (as the shipped file leaves it)."""
    data = session.settings.data()
    data["centre"]["phone"] = ""
    session.settings.save(data)


def municipality(session: Any) -> Any:
    return getattr(session, "municipality", None)


def load_font() -> None:
    """The bundled Japanese font, so screenshots show text rather than boxes."""
    families = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(font_path()))
    )
    if families:
        font = QApplication.font()
        font.setFamily(families[0])
        QApplication.setFont(font)


def type_japanese(widget: QWidget, text: str) -> None:
    """Commit ``text`` the way an input method does (QTest.keyClicks aborts on non-ASCII)."""
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QCoreApplication.sendEvent(widget, ev)


def focused() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard focus"
    return w


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def open_wizard(qtbot: Any, session: Any, **kwargs: Any) -> Any:
    """The real wizard on ``session``, shown at a counter PC's size with the bundled font."""
    from intake_app.gui.intake import IntakeWizard

    load_font()
    wizard = IntakeWizard(session, municipality(session), **kwargs)
    qtbot.addWidget(wizard)
    wizard.resize(1200, 850)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def fill_minimum(wizard: Any, *, name: str = "山田 花子") -> None:
    """Fill what a save needs, through the widgets (not the model)."""
    p = wizard.pages
    p[1].channel.setValue("visit")
    p[1].counselor.setText("田中")
    if not p[2].anonymous.isChecked():
        p[2].name.setText(name)


def past(days: int = 1) -> str:
    return (dt.datetime.now() - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


KEY_DOWN = Qt.Key.Key_Down


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, without the spaces the extractor inserts."""
    import io
    import re

    import pypdf

    return [
        re.sub(r"\s+", "", page.extract_text() or "")
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
    ]
