"""The hand-off screens with two real vaults: send, receive, the received case, the
supervisor's known centres. Keys and clicks go to the real widgets."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from intake_app.gui import handoff as screens
from intake_app.store import handoff
from tests.gui.helpers import WhenDialogOpens, flush
from tests.unit.store.handoff_support import (
    CANARY_ASCII,
    CANARY_JA,
    World,
    find_canaries,
    make_world,
)


@pytest.fixture
def centres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured_app: QApplication
) -> Iterator[World]:
    w = make_world(tmp_path, monkeypatch)
    (tmp_path / "usb").mkdir()
    yield w
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush()
    for c in (w.a, w.b):
        c.session.close()


def labelled(dialog: QWidget) -> list[str]:
    """Input widgets with neither a label whose buddy they are nor an accessible name."""
    buddies = {id(label.buddy()) for label in dialog.findChildren(QLabel) if label.buddy()}
    missing = []
    for kind in (QLineEdit, QComboBox, QDateTimeEdit, QCheckBox, QAbstractButton, QTableWidget):
        for widget in dialog.findChildren(kind):
            if isinstance(widget, QLineEdit) and isinstance(
                widget.parent(), QComboBox | QDateTimeEdit
            ):
                continue  # the inner editor of a combo box or a date field
            if (
                id(widget) in buddies
                or widget.accessibleName()
                or (isinstance(widget, QAbstractButton) and widget.text())
            ):
                continue
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_send_needs_consent_then_writes_one_file_for_that_centre(
    centres: World, qtbot: Any
) -> None:
    usb = centres.tmp / "usb"
    dialog = screens.SendDialog(
        centres.a.session, centres.case_id, centres.municipality, today=None
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert labelled(dialog) == []
    assert "だけが開けるように暗号化" in dialog.notice.text()
    assert centres.b.session.user  # the receiver is open too (a second PC)
    # minimum fields are ticked and cannot be unticked; the others start unticked
    assert dialog.field_boxes["risk.history"].isChecked()
    assert not dialog.field_boxes["risk.history"].isEnabled()
    assert not dialog.field_boxes["client.current_whereabouts"].isChecked()
    qtbot.keyClicks(dialog.folder, str(usb))
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    assert "同意がないため" in dialog.error.text() and dialog.error.isVisible()
    assert list(usb.iterdir()) == []
    dialog.consent_given.setFocus()
    qtbot.keyClick(dialog.consent_given, Qt.Key.Key_Space)
    assert dialog.consent_given.isChecked()
    dialog.field_boxes["consultation.content"].setFocus()
    qtbot.keyClick(dialog.field_boxes["consultation.content"], Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    files = list(usb.iterdir())
    assert len(files) == 1 and files[0].name.startswith("handoff-")
    assert find_canaries(files[0].read_bytes()) == []
    assert dialog.result_package is not None
    assert "consultation.content" in dialog.result_package.fields
    assert str(files[0]) in dialog.done_label.text()
    assert dialog.letter_button.isEnabled() and not dialog.write_button.isEnabled()
    # the 引継書: the name, nothing else about her
    text = pdf_text(dialog.letter_pdf())
    assert "引継書" in text and CANARY_JA in text
    assert CANARY_ASCII not in text and "知人宅" not in text and "さくら" not in text
    assert dialog.result_package.package_id in text.replace("\n", "")


def test_send_without_known_centres_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured_app: QApplication, qtbot: Any
) -> None:
    from intake_app.domain.municipality import load_municipality
    from tests.unit.store.handoff_support import make_vault, open_vault

    make_vault(tmp_path / "x", monkeypatch)
    with open_vault(tmp_path / "x") as session:
        dialog = screens.SendDialog(session, 1, load_municipality())
        qtbot.addWidget(dialog)
        assert "公開カードを取り込んで" in dialog.error.text()
        assert not dialog.write_button.isEnabled()


def test_receive_checks_then_accepts_and_the_case_shows_its_history(
    centres: World, qtbot: Any
) -> None:
    sent = centres.send(extra_fields=["consultation.content"])
    damaged = centres.tmp / "usb" / "damaged.ihp"
    data = bytearray(sent.path.read_bytes())
    data[200] ^= 1
    damaged.write_bytes(bytes(data))
    dialog = screens.ReceiveDialog(centres.b.session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert labelled(dialog) == []
    qtbot.keyClicks(dialog.path, str(damaged))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert dialog.error.text() == "引継ぎファイルが改ざんされているか壊れているため、開けません。"
    assert not dialog.accept_button.isEnabled()
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(sent.path))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert centres.a.fingerprint in dialog.sender_label.text()
    summary = dialog.findChild(QTableWidget, "handoffSummary")
    history = dialog.findChild(QTableWidget, "handoffHistory")
    assert summary is not None and history is not None
    assert history.rowCount() == 2
    assert any(CANARY_JA in (summary.item(r, 1).text()) for r in range(summary.rowCount()))
    with qtbot.waitSignal(dialog.case_created) as created:
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    case_id = created.args[0]
    assert dialog.accepted_case is not None and dialog.accepted_case.case_id == case_id

    from intake_app.gui.main_window import MainWindow

    window = MainWindow(centres.b.session)
    qtbot.addWidget(window)
    view = window.open_case(case_id)
    marker = view.findChild(QLabel, "handoffMarker")
    assert marker is not None and marker.text().startswith(
        "他市区町村から引継ぎ（蕨市配偶者暴力相談支援センター、"
    )
    assert view.tabs.tabText(0) == "引継ぎ元の記録"
    assert view.banner_shown()  # 追及注意 came with the case
    assert view.handoff_button.accessibleName()
    # before its first consultation here, only the papers that read no record are
    # offered, and the view says why (no 「ケースが見つかりません」 on a click)
    assert set(view.document_buttons) == {"protection_order_advice_discreet", "contacts"}
    assert not view.document_message.isHidden()
    assert "まだこのセンターでの相談の記録がありません" in view.document_message.text()


def test_decline_records_only_that(
    centres: World, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = centres.send()
    monkeypatch.setattr(screens, "ask", lambda *a: True)
    dialog = screens.ReceiveDialog(centres.b.session)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(sent.path))
    dialog.check()
    qtbot.mouseClick(dialog.decline_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "辞退しました。"
    assert dialog.accepted_case is None
    with centres.b.session.unaudited() as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    dialog.check()
    assert "辞退済み" in dialog.error.text()


def test_main_window_reaches_receive_by_keyboard(centres: World, qtbot: Any) -> None:
    from intake_app.gui.main_window import VIEW_RECEIVE, MainWindow

    window = MainWindow(centres.b.session)
    qtbot.addWidget(window)
    button = window.nav_buttons[VIEW_RECEIVE]
    assert button.text() == "引継ぎの受け取り(&J)" and button.accessibleName()
    seen: list[Any] = []
    WhenDialogOpens(screens.ReceiveDialog, lambda d: (seen.append(d), d.reject()))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    keys = [QKeySequence.mnemonic(b.text()).toString() for b in window.nav_buttons.values()]
    assert len(set(keys)) == len(keys) and "Alt+J" in keys
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)


def test_supervisor_imports_a_card_only_with_the_right_fingerprint(
    centres: World, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = centres.b.session
    handoff.remove_centre(b, centres.a.fingerprint)
    tab = screens.CentresTab(b, centres.municipality)
    qtbot.addWidget(tab)
    assert centres.b.fingerprint in tab.own.text()
    assert tab.table.rowCount() == 0
    monkeypatch.setattr(screens, "choose_open_file", lambda *a: centres.a.card_path)
    attempts: list[str] = []

    def answer(dialog: screens.ImportCardDialog) -> None:
        assert labelled(dialog) == []
        assert dialog.findChild(QLabel, "cardFingerprint").text() == centres.a.fingerprint
        qtbot.keyClicks(dialog.typed, centres.b.fingerprint)  # the wrong one
        qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)
        attempts.append(dialog.error.text())
        assert dialog.isVisible()
        dialog.typed.clear()
        qtbot.keyClicks(dialog.typed, centres.a.fingerprint.lower())
        qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)

    WhenDialogOpens(screens.ImportCardDialog, answer)
    known = tab.import_card()
    assert attempts and "一致しない" in attempts[0]
    assert known is not None and known.fingerprint == centres.a.fingerprint
    assert tab.table.rowCount() == 1
    monkeypatch.setattr(screens, "ask", lambda *a: True)
    tab.table.selectRow(0)
    assert tab.remove_selected()
    assert tab.table.rowCount() == 0


def test_the_first_consultation_of_a_received_case_starts_from_what_came(
    centres: World, qtbot: Any
) -> None:
    from tests.gui.intake_helpers import open_wizard

    b = centres.b.session
    sent = centres.send()
    accepted = handoff.accept(b, handoff.check_file(b, sent.path))
    wizard = open_wizard(qtbot, b, case_id=accepted.case_id)
    intake = wizard.collect()
    assert intake.client.name.startswith(CANARY_JA)
    assert intake.household.children and intake.address.do_not_disclose
    assert not intake.address.support_measure_applied  # the other city's measure stays there


def test_a_mans_case_is_offered_his_emergency_stays_never_ichiji_hogo(
    centres: World, qtbot: Any
) -> None:
    """rules.md §9.9 on the send screen: the shelter part is named by his case."""
    dialog = screens.SendDialog(
        centres.a.session, centres.case_id, centres.municipality, gender="male"
    )
    qtbot.addWidget(dialog)
    texts = [box.text() for box in dialog.field_boxes.values()]
    assert "緊急一時避難の経過" in dialog.field_boxes["shelter.history"].text()
    assert not [t for t in texts if "一時保護" in t]
    hers = screens.SendDialog(
        centres.a.session, centres.case_id, centres.municipality, gender="female"
    )
    qtbot.addWidget(hers)
    assert "一時保護の経過" in hers.field_boxes["shelter.history"].text()
