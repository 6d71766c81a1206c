"""First-run setup on an empty data folder: municipality, first supervisor, recovery key.

The chosen municipality file (a bundled one, or another city's file) is checked
completely as soon as it is chosen; 次へ stays disabled while it is refused, and the
vault imports it as its settings when it is created."""

from __future__ import annotations

import logging
import tomllib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from intake_app import paths
from intake_app.domain.errors import UserError
from intake_app.gui import file_dialogs
from intake_app.gui.accessibility import StatusLabel
from intake_app.gui.forms.ui_setup_account import Ui_SetupAccountPage
from intake_app.gui.workers import Job

if TYPE_CHECKING:
    from intake_app.store.session import Session

log = logging.getLogger(__name__)

MIN_PASSPHRASE_CHARS = 12
DEFAULT_MUNICIPALITY = "warabi"
DEFAULT_MUNICIPALITY_NAME = "蕨市"


def municipality_choices() -> list[tuple[str, str]]:
    """(id, display name) of every municipality file, the default (蕨市) first."""
    found: dict[str, str] = {}
    for path in sorted(paths.resource("municipality").glob("*.toml")):
        name = path.stem
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        for table in (data, data.get("municipality", {}), data.get("city", {})):
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                name = table["name"]
                break
        found[path.stem] = name
    found.setdefault(DEFAULT_MUNICIPALITY, DEFAULT_MUNICIPALITY_NAME)
    ordered = [(DEFAULT_MUNICIPALITY, found.pop(DEFAULT_MUNICIPALITY))]
    return ordered + sorted(found.items())


def check_municipality(value: str) -> tuple[bool, str]:
    """Check the chosen municipality file completely (the file loader's checks), before
    anything is created: ``(ok, one Japanese sentence)``. ``value`` is a bundled id or
    the path of a ``.toml`` file."""
    from intake_app.domain.tomlfile import ConfigError
    from intake_app.store.settings import load_source

    try:
        source = load_source(value)
    except ConfigError as exc:
        return False, exc.message
    city = source.municipality
    return True, (
        f"{city.name}の設定（連絡先 {len(city.destinations)} か所）を確かめました。"
        "保管庫に取り込み、後から管理者メニューの「設定」で変更できます。"
    )


def choose_municipality_file(parent: QWidget) -> str:
    """A file dialog for another city's municipality file ("" when cancelled)."""
    chosen = file_dialogs.choose_open_file(
        parent,
        QCoreApplication.translate("SetupWizard", "市区町村設定ファイルを選ぶ"),
        QCoreApplication.translate("SetupWizard", "市区町村設定ファイル (*.toml)"),
    )
    return str(chosen) if chosen is not None else ""


def create_and_open(
    vault: Any,
    data_dir: Path,
    user: str,
    passphrase: str,
    *,
    municipality: str,
    display_name: str = "",
    progress: Any = None,
) -> tuple[str, Session | None]:
    """Create the vault, then open it as its first supervisor: ``(recovery_key, session)``.

    The session lets the recovery-key sheet's prints be audited in the new vault; it is
    ``None`` (and the sheet's page says so) if the vault cannot be opened.
    """
    key = vault.create(
        data_dir,
        user,
        passphrase,
        municipality=municipality,
        display_name=display_name,
        progress=progress,
    )
    session = None
    opener = getattr(vault, "open", None)
    if opener is not None:
        try:
            session = opener(data_dir, user, passphrase)
        except Exception as exc:
            log.error("setup session not opened: %s", type(exc).__name__)
    return str(key), session


def passphrase_feedback(passphrase: str, confirm: str) -> tuple[bool, str]:
    """Plain-Japanese feedback against the vault's passphrase policy (length, common list)."""
    from intake_app.store.policy import check_passphrase

    text = unicodedata.normalize("NFC", passphrase)
    if not text:
        return False, "パスフレーズを入力してください（12文字以上）。"
    if len(text) < MIN_PASSPHRASE_CHARS:
        return False, f"あと {MIN_PASSPHRASE_CHARS - len(text)} 文字必要です（12文字以上）。"
    try:
        check_passphrase(passphrase)
    except UserError as exc:  # PassphrasePolicyError: its message says why, in Japanese
        return False, exc.message
    if confirm != passphrase:
        return False, "確認のための再入力が一致しません。"
    return True, "このパスフレーズは使えます。忘れないようにしてください。"


class AccountPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("初期設定: 自治体と最初の管理者"))
        self.ui: Any = cast(Any, Ui_SetupAccountPage())
        self.ui.setupUi(self)
        for mid, name in municipality_choices():
            self.ui.municipalityCombo.addItem(name, mid)
        self.ui.municipalityCombo.setCurrentIndex(0)
        self._municipality_ok = False
        self.ui.municipalityCombo.currentIndexChanged.connect(self._check_municipality)
        self.ui.municipalityFileButton.clicked.connect(self.choose_file)
        self.ui.displayNameEdit.textChanged.connect(self._update)
        self.ui.userEdit.textChanged.connect(self._update)
        self.ui.passphraseEdit.textChanged.connect(self._update)
        self.ui.confirmEdit.textChanged.connect(self._update)
        self.error = ""
        # Completeness through a mandatory field, not an isComplete() override: PySide6
        # 6.12 drops a reference to True each time C++ calls a Python isComplete().
        self._ready = QLineEdit(self)
        self._ready.setVisible(False)
        self.registerField("accountReady*", self._ready)
        self._check_municipality()

    def _check_municipality(self) -> None:
        """The chosen file, checked completely; a bad one keeps 次へ disabled."""
        self._municipality_ok, text = check_municipality(self.municipality())
        self.ui.municipalityMessage.setText(text)
        self.ui.municipalityMessage.setStyleSheet(
            "" if self._municipality_ok else "color: #b00020;"
        )
        self._update()

    def choose_file(self) -> None:
        """Another city's file: added to the list and chosen (then checked)."""
        name = choose_municipality_file(self)
        if not name:
            return
        combo = self.ui.municipalityCombo
        index = combo.findData(name)
        if index < 0:
            combo.addItem(Path(name).name, name)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        self._check_municipality()

    def display_name(self) -> str:
        return str(self.ui.displayNameEdit.text()).strip()

    def _update(self) -> None:
        ok, text = passphrase_feedback(self.ui.passphraseEdit.text(), self.ui.confirmEdit.text())
        if not self.display_name():
            text = "氏名を入力してください（書類に印刷されます）。\n" + text
            ok = False
        if self.error:
            text = self.error + "\n" + text
        self.ui.feedbackLabel.setText(self.tr(text))
        ready = ok and self._municipality_ok and bool(self.ui.userEdit.text().strip())
        self._ready.setText("1" if ready else "")

    def ready(self) -> bool:
        return bool(self._ready.text())

    def set_error(self, message: str) -> None:
        self.error = message
        self._update()

    def municipality(self) -> str:
        return str(self.ui.municipalityCombo.currentData())

    def take_credentials(self) -> tuple[str, str]:
        """The login name and passphrase; the passphrase fields are emptied."""
        user = self.ui.userEdit.text().strip()
        passphrase = self.ui.passphraseEdit.text()
        self.ui.passphraseEdit.clear()
        self.ui.confirmEdit.clear()
        return user, passphrase


class CreatePage(QWizardPage):
    """Calibrates Argon2 and creates the vault in a worker thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("初期設定: 暗号化の準備"))
        layout = QVBoxLayout(self)
        self.label = QLabel(
            self.tr("このパソコンに合わせて暗号化の強さを調整し、記録ファイルを作成しています。")
        )
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("進み具合"))
        self.step_label = StatusLabel(self.tr("いまの作業"))
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_label)
        layout.addStretch(1)
        self.recovery_key: str | None = None
        self._done = QLineEdit(self)
        self._done.setVisible(False)
        self.registerField("vaultCreated*", self._done)

    def mark_created(self, recovery_key: str) -> None:
        self.recovery_key = recovery_key
        self._done.setText("1")

    def set_progress(self, value: object) -> None:
        """A step message from the vault (text), or a fraction done (0.0-1.0)."""
        if isinstance(value, str):
            self.step_label.setText(value)
        elif isinstance(value, int | float) and 0.0 <= value <= 1.0:
            self.progress.setRange(0, 100)
            self.progress.setValue(round(value * 100))


class RecoveryPage(QWizardPage):
    """Shows the recovery key once; finishing needs the "stored it" confirmation."""

    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("初期設定: 回復キー"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "パスフレーズを忘れたときに使う回復キーです。この画面でしか表示されません。"
                "印刷するか書き写し、金庫など安全な場所に保管してください。"
            )
        )
        intro.setWordWrap(True)
        # named 「回復キー」; the key itself is its description, read out with the name
        self.key_label = StatusLabel(self.tr("回復キー"))
        self.key_label.setObjectName("recoveryKeyLabel")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.print_button = QPushButton(self.tr("印刷(&P)"))
        self.print_button.setAccessibleName(self.tr("回復キーを印刷"))
        self.print_button.clicked.connect(self.print_requested)
        self.stored = QCheckBox(self.tr("回復キーを安全な場所に保管しました(&S)"))
        self.stored.setAccessibleName(self.tr("保管の確認"))
        self.registerField("keyStored*", self.stored)
        self.print_note = StatusLabel(self.tr("印刷についての注意"))
        self.print_note.setObjectName("printSystemNote")
        self.print_note.setWordWrap(True)
        self.print_note.setVisible(False)
        for widget in (intro, self.key_label, self.print_button, self.print_note, self.stored):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_key(self, key: str) -> None:
        self.key_label.setText(key)
        from intake_app.documents.print_system import print_system_warnings

        warnings = print_system_warnings()
        if warnings:  # the sheet would stay legible in the print system's spool
            self.print_note.setText(
                self.tr("注意: この PC の印刷システムは、印刷した回復キーの控えを残します。")
                + "\n"
                + "\n".join(warnings)
            )
            self.print_note.setVisible(True)

    def set_audit_problem(self) -> None:
        self.print_note.setText(
            self.tr("回復キーの印刷を監査ログに記録できませんでした。管理者に伝えてください。")
        )
        self.print_note.setVisible(True)


class SetupWizard(QWizard):
    """Creates the vault. ``created(user)`` when the recovery key has been confirmed."""

    created = Signal(str)

    PAGE_ACCOUNT, PAGE_CREATE, PAGE_RECOVERY = range(3)

    def __init__(self, data_dir: Path, vault: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("相談記録システム 初期設定"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._data_dir = data_dir
        self._vault = vault
        self.account = AccountPage()
        self.create_page = CreatePage()
        self.recovery = RecoveryPage()
        self.setPage(self.PAGE_ACCOUNT, self.account)
        self.setPage(self.PAGE_CREATE, self.create_page)
        self.setPage(self.PAGE_RECOVERY, self.recovery)
        self.recovery.print_requested.connect(self.print_recovery_key)
        self.currentIdChanged.connect(self._page_changed)
        self._job: Job | None = None
        self._user = ""
        self.preview: Any = None
        # opened right after the vault exists, closed on finish
        self.session: Session | None = None
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("次へ(&N)"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("戻る(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完了(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("中止"))
        self.resize(760, 560)

    def _page_changed(self, page_id: int) -> None:
        if (
            page_id == self.PAGE_CREATE
            and self._job is None
            and self.create_page.recovery_key is None
        ):
            self._start_create()
        if page_id == self.PAGE_CREATE:
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _start_create(self) -> None:
        user, passphrase = self.account.take_credentials()
        self._user = user
        municipality = self.account.municipality()
        job = Job(
            create_and_open,
            self._vault,
            self._data_dir,
            user,
            passphrase,
            municipality=municipality,
            display_name=self.account.display_name(),
            progress=self._progress_from_thread,
        )
        job.progress.connect(self.create_page.set_progress)
        job.done.connect(self._created)
        job.failed.connect(self._failed)
        self._job = job
        job.start()

    def _progress_from_thread(self, value: object) -> None:
        job = self._job
        if job is not None:
            job.progress.emit(value)

    def _created(self, result: Any) -> None:
        self._job = None
        recovery_key, self.session = result
        self.create_page.mark_created(str(recovery_key))
        self.create_page.set_progress(1.0)
        self.recovery.show_key(str(recovery_key))
        self.next()

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        if isinstance(exc, UserError):
            message = exc.message
        else:
            log.error("vault creation failed: %s", type(exc).__name__)
            message = self.tr("記録ファイルを作成できませんでした。管理者に連絡してください。")
        self.restart()
        self.account.set_error(message)

    def wait_for_job(self, timeout: float = 30.0) -> None:
        if self._job is not None:
            self._job.wait(timeout)

    def print_recovery_key(self) -> None:
        from intake_app.gui.printing import show_recovery_key_sheet

        self.preview = show_recovery_key_sheet(
            self, self.recovery.key_label.text(), on_output=self._record_output
        )

    def _record_output(self, output: Any) -> None:
        """Audit each print of the sheet (``print``, object ``recovery_key``), never the key.

        The sheet exists only once the vault does, so the entry goes into the new vault
        through the session opened right after it was created.
        """
        from intake_app.store.outputs import RECOVERY_KEY_OBJECT, record_output

        if self.session is None:
            self.recovery.set_audit_problem()
            return
        try:
            record_output(self.session, output, RECOVERY_KEY_OBJECT)
        except Exception as exc:  # the print happened: say that it is not in the log
            log.error("recovery key print not audited: %s", type(exc).__name__)
            self.recovery.set_audit_problem()

    def _close_session(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            try:
                session.close()
            except Exception as exc:
                log.error("setup session close failed: %s", type(exc).__name__)

    def done(self, result: int) -> None:
        if result == QWizard.DialogCode.Accepted and self.create_page.recovery_key is not None:
            self.recovery.key_label.clear()
            self.create_page.recovery_key = None
            self._close_session()
            super().done(result)
            self.created.emit(self._user)
            return
        if self.create_page.recovery_key is not None and not self.recovery.stored.isChecked():
            return  # the vault exists: the key must be confirmed first
        self._close_session()
        super().done(result)
