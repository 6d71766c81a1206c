"""security.md items 7, 8 and 1 over a whole session of the real program.

``run_gui`` runs on an empty data folder with the real vault (fast test KDF) and
its own file log; a script inside its event loop goes through first-run setup,
unlock, a full intake with canaries typed into every text field, the draft
autosave, a provoked error through the global exception hook, save (Ctrl+S),
search (Ctrl+F), the case and its court report printed, 加害者名で確認, a
follow-up with a referral slip printed and exported as PDF from the print
preview, the 管理者メニュー (passphrase again, the idle time saved to
settings.ini, a backup), Ctrl+L, unlock and quit. Over all of it: no network
audit event, no canary in any log output, no canary in any file of the data
folder (mid-session and after quit) nor anywhere else under the test's folder
(home, caches and temp files are pointed there) but the exported PDF and the
printer's output. Only the printer, the print dialog and the file dialogs are
replaced.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from intake_app.domain.japanese import normalize_kana
from intake_app.gui.supervisor import common as supervisor_common
from intake_app.store import Vault
from tests.gui.helpers import flush
from tests.gui.intake_helpers import FAST_KDF_ENV, complete_settings, pdf_pages
from tests.gui.security_session import (
    PASSPHRASE,
    USER,
    WATCH,
    Harness,
    open_a_socket,
    past,
    run_program,
    setup_first_account,
    text_fields,
    type_into,
    unlock,
)
from tests.unit.store.test_security_records import ASCII_CANARY, JAPANESE_CANARY, leaks

TEXT_CANARY = ASCII_CANARY + JAPANESE_CANARY
KANA_CANARY = "ひとくかなりあ"  # the kana fields take kana only
PHONE_CANARY = "090-7731-4455"
EMAIL_CANARY = ASCII_CANARY.lower() + "@example.jp"
ERROR_CANARY = "例外カナリア" + ASCII_CANARY
CANARIES = (
    ASCII_CANARY,
    JAPANESE_CANARY,
    KANA_CANARY,
    PHONE_CANARY,
    PHONE_CANARY.replace("-", ""),  # the search key of a phone number
    EMAIL_CANARY,
    ERROR_CANARY,
)


def text_variants() -> list[str]:
    """What must not appear in a log: every canary and its search key."""
    return sorted({v for c in CANARIES for v in (c, normalize_kana(c))})


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any, configured_app: Any):
    """The data folder, a harness, and the global state run_gui touches put back."""
    monkeypatch.setenv(FAST_KDF_ENV, "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui sets its own
    app_logger = logging.getLogger("intake_app")
    level = app_logger.level
    harness = Harness(qtbot)
    yield tmp_path / "data", harness
    WATCH.stop()  # the hook stays installed (it cannot be removed) but records nothing
    app_logger.setLevel(level)
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    flush()


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


def value_for(name: str, widget: Any) -> str:
    """The canary a field takes (dates, ages and formats must stay valid to save)."""
    from intake_app.gui.intake.widgets import DateEdit

    if isinstance(widget, DateEdit):
        if widget.with_time:
            return past(3)
        return "1990-04-01" if name == "dob" else "2026-11-01"
    return {
        "kana": KANA_CANARY,
        "perp_kana": KANA_CANARY,
        "phone": PHONE_CANARY,
        "email": EMAIL_CANARY,
        "age": "6",
        "perp_age": "40",
    }.get(name, TEXT_CANARY)


def fill_every_text_field(wizard: Any) -> list[str]:
    """Canaries typed into every text field of every step (one child, every referral)."""
    p = wizard.pages
    p[1].channel.setValue("visit")
    p[2].fled.setValue(True)
    wizard.go_to(3)
    p[3].add_child.click()
    child = p[3].child_boxes[0]
    child.lives_with.setValue(True)
    child.witnessed.setValue(True)
    p[3].method.setValue("電話")
    p[4].rel_type.setValue("legal_spouse")
    p[8].cats["legal"].setChecked(True)
    for row in p[8].rows.values():
        row.selected.setChecked(True)
        row.consent.setChecked(True)
        row.method.setValue("verbal")
    p[8].rows["police"].whereabouts.setChecked(True)
    typed = []
    for step, page in enumerate(p):
        wizard.go_to(step)
        for name, widget in text_fields(page):
            type_into(widget, value_for(name, widget))
            typed.append(f"{step}:{name}")
    return typed


def supervisor_backup_and_settings(h: Harness, main: Any) -> int:
    """管理者メニュー: the passphrase again, the idle time saved (settings.ini), a backup."""
    from tests.gui.supervisor_support import answer_reauth

    seen: list[str] = []
    answer_reauth([PASSPHRASE], seen)
    assert main.supervisor_button is not None, "the first account is a supervisor"
    main.supervisor_button.click()
    area = main.supervisor_area
    assert area is not None, seen
    area.tabs.setCurrentWidget(area.settings_tab)
    area.settings_tab.idle_minutes.setValue(7)
    area.settings_tab.save_button.click()
    area.tabs.setCurrentWidget(area.backup_tab)
    area.backup_tab.backup_button.click()
    done = int(area.backup_tab.progress.value())
    area.close()
    return done


def raise_with_canary() -> None:
    raise RuntimeError(f"{ERROR_CANARY} {PHONE_CANARY}")


def test_a_whole_session_opens_no_socket_logs_no_canary_and_leaves_none_at_rest(
    program: tuple[Path, Harness],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from intake_app.gui.print_preview import PrintPreviewDialog

    data_dir, h = program
    # Home, caches and temp files of the session land under tmp_path too, so the last
    # scan also sees anything written outside the data folder (Qt, tempfile).
    home = tmp_path / "home"
    for var, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("TMPDIR", "tmp"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setattr(tempfile, "tempdir", str(home / "tmp"))
    printer_dir = tmp_path / "printer"  # what the printer received, one file a print
    exported = tmp_path / "export" / "slip.pdf"  # the counselor's explicit export
    printer_dir.mkdir()
    exported.parent.mkdir()

    # Only the last step before paper and the file dialogs are replaced: the print
    # dialog (which picks the system's default printer when it opens) prints to a file.
    def print_to_file(self: QPrintDialog) -> QDialog.DialogCode:
        printer: QPrinter = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = printer_dir / f"print-{len(list(printer_dir.iterdir()))}.pdf"
        printer.setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    monkeypatch.setattr(PrintPreviewDialog, "confirm_export", lambda self: True)
    monkeypatch.setattr(PrintPreviewDialog, "ask_path", lambda self: str(exported))
    media = tmp_path / "backup-media"  # the supervisor's backup folder (scanned below)
    media.mkdir()
    monkeypatch.setattr(supervisor_common, "choose_folder", lambda parent, title: media)

    found: dict[str, Any] = {}

    def session(h: Harness) -> None:
        logging.getLogger("intake_app").setLevel(logging.DEBUG)  # more than the program logs
        found["recovery_key"] = setup_first_account(h)
        main = unlock(h)
        # the centre's settings an official paper needs, as a supervisor fills them
        complete_settings(main.session, "鈴木 花子")
        main.reload_settings()
        h.qtbot.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        wizard = main.wizard
        assert wizard is not None, "Ctrl+N opens a new intake"
        found["typed"] = fill_every_text_field(wizard)
        autosaved = "下書きを保存しました"  # the status line after the debounced draft save
        h.wait(lambda: wizard.draft_id is not None and autosaved in wizard.status.text())
        # Mid-session, right after the autosave: the WAL holds the draft, not checkpointed.
        wal = data_dir / "vault.db-wal"
        found["wal_mid"] = wal.stat().st_size if wal.exists() else 0
        found["mid"] = leaks(data_dir, CANARIES)

        # One unexpected error in a slot, through the program's global exception hook.
        hook = sys.excepthook  # the ErrorHook run_gui installed
        shown: list[str] = []
        closer = QTimer()
        closer.timeout.connect(lambda: close_error_dialog(shown))
        closer.start(20)
        QTimer.singleShot(0, raise_with_canary)
        h.wait(lambda: getattr(hook, "count", 0) >= 1)
        h.wait(lambda: not any(isinstance(w, QMessageBox) for w in visible()))
        closer.stop()
        found["hook"] = type(hook).__name__
        found["error_dialog"] = shown

        assert wizard.problems() == [], wizard.problems()
        main.activateWindow()
        h.wait(lambda: QApplication.activeWindow() is main)
        wizard.go_to(10)
        wizard.pages[10].note.setFocus()
        with h.qtbot.waitSignal(wizard.finished, timeout=10_000):
            press(h, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        h.qtbot.keyClick(main, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        query = main.search.query
        type_into(query, ASCII_CANARY)
        h.qtbot.keyClick(query, Qt.Key.Key_Return)
        assert main.search.result_count() == 1
        h.qtbot.keyClick(main.search.table, Qt.Key.Key_Return)
        found["case_id"] = main.case_view.case_id if main.case_view else None
        case_view = main.case_view
        assert case_view is not None, "Enter on the hit opens the case"
        case_view.document_buttons["court_report"].click()  # a paper of the case
        paper = next(w for w in visible() if isinstance(w, PrintPreviewDialog))
        paper.print_button.click()
        paper.close()
        main.nav_buttons["perpetrator"].click()  # someone asks about a name
        type_into(main.perpetrator.query, TEXT_CANARY)
        h.qtbot.keyClick(main.perpetrator.query, Qt.Key.Key_Return)
        assert main.perpetrator.warning_shown()
        main.open_case(found["case_id"])
        case_view = main.case_view
        case_view.follow_button.click()
        follow_up = main.wizard
        assert follow_up is not None
        follow_up.go_to(8)
        row = follow_up.pages[8].rows["police"]
        row.print_slip.button.click()
        preview = next(w for w in visible() if isinstance(w, PrintPreviewDialog))
        assert preview.page_count() >= 1
        preview.print_button.click()
        preview.save_button.click()
        found["exported"] = exported.exists()
        preview.close()
        found["backup"] = supervisor_backup_and_settings(h, main)
        follow_up.pages[1].content.setFocus()
        type_into(follow_up.pages[1].content, TEXT_CANARY + "継続")

        main.activateWindow()
        h.wait(lambda: QApplication.activeWindow() is main)
        press(h, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        h.wait(lambda: h.shell.main is None and h.shell.session is None)
        main = unlock(h)
        assert main.wizard is not None, "the follow-up draft is back after unlock"
        found["resumed"] = main.wizard.pages[1].content.text()

    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    WATCH.start()
    try:
        rc = run_program(data_dir, h, session, monkeypatch)
    finally:
        events = WATCH.stop()
        root.removeHandler(capture)
        root.setLevel(old_level)
    out, err = capfd.readouterr()
    assert h.failure is None, h.failure_text
    assert rc == 0

    # The session really happened.
    assert len(found["typed"]) >= 40, found["typed"]
    assert found["wal_mid"] > 0, "the mid-session scan read an uncheckpointed WAL"
    assert found["resumed"] == TEXT_CANARY + "継続"
    assert found["backup"] == 3, "the backup was made and checked"
    assert sum(f.stat().st_size for f in media.rglob("*") if f.is_file()) > 100_000
    assert found["exported"]
    prints = sorted(printer_dir.iterdir())
    assert len(prints) == 2 and all(p.stat().st_size > 1000 for p in prints), prints
    assert ASCII_CANARY in "".join(pdf_pages(exported.read_bytes())), "the slip names her"

    # Item 7: no network, ever.
    assert events == []

    log_file = (data_dir / "intake-app.log").read_text(encoding="utf-8")
    captured = "\n".join(capture.lines)

    # The secrets of the session are canaries too: the passphrase and the recovery key.
    key = found["recovery_key"]
    assert len(key) >= 20
    secrets = (PASSPHRASE, key, "".join(ch for ch in key if ch.isalnum()))
    assert leaks(tmp_path, secrets) == []
    for secret in secrets:
        assert secret not in out + err + log_file + captured, "a secret in the output"

    # Item 8: no canary in any log output; the provoked error did reach the log.
    assert found["hook"] == "ErrorHook"
    assert len(found["error_dialog"]) == 1 and "保存しました" in found["error_dialog"][0]
    assert not any(c in found["error_dialog"][0] for c in text_variants())
    assert "unexpected error RuntimeError" in log_file
    assert "unexpected error RuntimeError" in captured
    for canary in text_variants():
        for name, text in (("log file", log_file), ("log", captured), ("stdout", out)):
            assert canary not in text, f"{canary} in {name}"
        assert canary not in err, f"{canary} on stderr"

    # Item 1: no canary at rest, mid-session and after the checkpoint at quit.
    assert found["mid"] == []
    names = {p.name for p in data_dir.rglob("*") if p.is_file()}
    assert {"vault.db", "vault.keys", "settings.ini", "intake-app.log"} <= names, names
    wal = data_dir / "vault.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0, "quit checkpoints the WAL"
    assert leaks(data_dir, CANARIES) == []
    assert leaks(tmp_path, CANARIES, exclude=[exported, *prints]) == []

    # ... and yet they are all in the vault, readable with the key.
    session = Vault.open(data_dir, USER, PASSPHRASE)
    try:
        hits = session.records.search(KANA_CANARY)
        assert len(hits) == 1
        saved = session.records.latest_intake(hits[0].case_id)
        assert len(session.records.list_drafts()) == 1  # the follow-up, kept by the lock
    finally:
        session.close()
    assert saved.client.name == saved.client.current_whereabouts == TEXT_CANARY
    assert saved.relationship.perpetrator_name == saved.consultation.content == TEXT_CANARY
    assert saved.household.children[0].name == TEXT_CANARY
    assert saved.client.safe_contact.phone == PHONE_CANARY
    assert {r.purpose for r in saved.referrals} == {TEXT_CANARY}


def press(h: Harness, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    """A key press where the keyboard focus is, as a counselor's keyboard sends it."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    h.qtbot.keyClick(widget, key, modifier)


def close_error_dialog(shown: list[str]) -> None:
    """The counselor reads the error dialog and presses OK."""
    for widget in visible():
        if isinstance(widget, QMessageBox) and widget.objectName() == "errorDialog":
            shown.append(widget.text())
            widget.accept()


def visible() -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_the_network_watch_sees_a_socket_opened_inside_the_program(
    program: tuple[Path, Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the same hook, in the same harness, does record a socket (and a
    program started)."""
    data_dir, h = program

    def session(h: Harness) -> None:
        assert h.shell.setup is not None
        QTimer.singleShot(0, open_a_socket)  # from a slot of the running program
        QTimer.singleShot(0, start_a_program)
        h.wait(lambda: len(WATCH.events) >= 2)

    WATCH.start()
    try:
        rc = run_program(data_dir, h, session, monkeypatch)
    finally:
        events = WATCH.stop()
    assert h.failure is None, h.failure_text
    assert rc == 0
    assert any(e.startswith("socket.__new__") for e in events), events
    assert any(e.startswith("subprocess.Popen") for e in events), events


def start_a_program() -> None:
    import subprocess

    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_the_scanner_finds_a_canary_in_a_plain_file_of_the_data_folder(tmp_path: Path) -> None:
    """Negative control: a plain-text file in the folder is caught, in each encoding."""
    data_dir = tmp_path / "data"
    (data_dir / "backups").mkdir(parents=True)
    (data_dir / "settings.ini").write_text(f"[x]\nname={TEXT_CANARY}\n", encoding="utf-8")
    (data_dir / "backups" / "note.txt").write_bytes(KANA_CANARY.encode("utf-16-le"))
    (data_dir / "intake-app.log").write_bytes(PHONE_CANARY.encode("utf-16-be"))
    found = leaks(data_dir, CANARIES)
    assert f"settings.ini: {ASCII_CANARY}/utf-8" in found
    assert f"settings.ini: {JAPANESE_CANARY}/utf-8" in found
    assert f"note.txt: {KANA_CANARY}/utf-16-le" in found
    assert f"intake-app.log: {PHONE_CANARY}/utf-16-be" in found
    assert leaks(data_dir, CANARIES, exclude=list(data_dir.rglob("*.*"))) == []
