"""GUI launch path: QApplication, bundled font, style sheet, single instance, error hook."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from intake_app import paths
from intake_app.domain.errors import UserError

log = logging.getLogger(__name__)

APP_NAME = "相談記録システム"
LOG_FILE = "intake-app.log"


def register_font() -> str | None:
    """Register the bundled IPAexGothic and make it the application font."""
    from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

    font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
    if font_id < 0:
        log.error("bundled font could not be registered")
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    font = QFont(family)
    font.setPointSize(15)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    QGuiApplication.setFont(font)
    return family


def style_sheet() -> str:
    path = paths.style_sheet_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.error("style sheet missing")
        return ""


def configure_application(app: Any) -> str | None:
    """Font, style sheet and names for an existing QApplication (also used by tests)."""
    app.setApplicationName("intake-app")
    app.setApplicationDisplayName(APP_NAME)
    family = register_font()
    app.setStyleSheet(style_sheet())
    install_qt_translations(app)
    return family


QT_EXTRA_TRANSLATION = ("translations", "qt_extra_ja.qm")


def install_qt_translations(app: Any) -> bool:
    """Qt's own Japanese texts (OK/キャンセル, the print dialog), from Qt's own folder,
    then ours for what Qt's catalogue lacks (the print dialog's "Pages", "Page Set:",
    duplex choices; the file dialog's "Look in:", "Files of type:"). Installed after
    Qt's, ours is asked first."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if getattr(app, "_intake_qt_translator", None) is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    if not translator.load(locale, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    app._intake_qt_translator = translator  # keep it alive as long as the application
    extra = QTranslator(app)
    if extra.load(str(paths.resource(*QT_EXTRA_TRANSLATION))):
        app.installTranslator(extra)
        app._intake_qt_extra_translator = extra
    else:
        log.error("translation file missing: %s", QT_EXTRA_TRANSLATION[-1])
    return True


def create_application(argv: list[str] | None = None) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    return app


class ErrorHook:
    """sys.excepthook for the GUI: save the draft, log the kind of error, say it plainly.

    The log entry has the exception type and the code locations only, never the
    message or local values (they may hold a client's name).
    """

    def __init__(self, save_drafts: Any = None) -> None:
        self.save_drafts = save_drafts
        self._showing = False
        self.count = 0

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        self.count += 1
        frames = [
            f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in traceback.extract_tb(tb)
        ]
        log.error("unexpected error %s at %s", exc_type.__name__, " < ".join(reversed(frames)))
        if self.save_drafts is not None:
            try:
                self.save_drafts()
            except Exception as inner:
                log.error("draft not saved after error: %s", type(inner).__name__)
        if self._showing:
            return
        self._showing = True
        try:
            # A refusal the user can act on (a stopped vault, a full disk …) says what
            # it is; anything else is a defect and gets the general sentence.
            self.show_dialog(exc.message if isinstance(exc, UserError) else None)
        finally:
            self._showing = False

    def show_dialog(self, message: str | None = None) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        box = QMessageBox()
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(
            message
            or QApplication.translate(
                "ErrorHook",
                "予期しない問題が起きました。入力中の内容は途中の入力として保存しました。"
                "作業を続けられない場合は、プログラムを終了して開き直してください。",
            )
        )
        box.setObjectName("errorDialog")
        box.exec()


def _setup_logging(data_dir: Path) -> logging.Handler:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / LOG_FILE
    path.touch(mode=0o600, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("intake_app")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def _close_log(handler: logging.Handler) -> None:
    logging.getLogger("intake_app").removeHandler(handler)
    handler.close()


def _instance_lock(data_dir: Path) -> Any:
    """Hold the data folder's single-instance lock, or return a message why not."""
    from intake_app.store import InstanceLock

    lock = InstanceLock(data_dir)
    acquire = getattr(lock, "acquire", None)
    if callable(acquire):
        acquire()
    elif hasattr(lock, "__enter__"):
        lock.__enter__()
    return lock


SMOKE_QUIT_ENV = "INTAKE_APP_SMOKE_QUIT_MS"


def _smoke_quit_ms() -> int | None:
    """``INTAKE_APP_SMOKE_QUIT_MS`` (the packaged build's smoke test): quit after that
    many milliseconds, whatever screen or warning is showing. Unset in normal use."""
    value = os.environ.get(SMOKE_QUIT_ENV, "")
    return int(value) if value.isdigit() and len(value) <= 9 else None


def run_gui(data_dir: Path, *, vault: Any = None) -> int:
    """Open the program on ``data_dir``: the setup wizard if empty, else the unlock screen."""
    handler = _setup_logging(data_dir)
    app = create_application()
    from PySide6.QtWidgets import QMessageBox

    if vault is None:
        from intake_app.store import Vault

        vault = Vault
    smoke_quit_ms = _smoke_quit_ms()
    try:
        instance_lock = _instance_lock(data_dir)
    except Exception as exc:
        message = (
            exc.message
            if isinstance(exc, UserError)
            else app.translate("run_gui", "このデータフォルダは別のプログラムが使用中です。")
        )
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message)
        box.setObjectName("vaultHeldBox")
        if smoke_quit_ms is not None:  # automated runs must not hang on the warning
            from PySide6.QtCore import QTimer

            QTimer.singleShot(smoke_quit_ms, box.reject)
        box.exec()
        _close_log(handler)
        return 1

    from intake_app.gui.shell import Shell

    shell = Shell(data_dir, vault)
    hook = ErrorHook(shell.save_drafts)
    sys.excepthook = hook
    shell.start()
    # Smoke test of the packaged build (packaging/smoke_test.py): with
    # INTAKE_APP_SMOKE_QUIT_MS set, quit by itself after that many milliseconds
    # through the normal quit path (aboutToQuit, lock release). Unset in normal use.
    if smoke_quit_ms is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(smoke_quit_ms, app.quit)
    try:
        return int(app.exec())
    finally:
        shell.shutdown()  # the draft saved, the session closed, the key zeroed
        sys.excepthook = sys.__excepthook__
        _close_log(handler)
        release = getattr(instance_lock, "release", None) or getattr(instance_lock, "close", None)
        if callable(release):
            release()
