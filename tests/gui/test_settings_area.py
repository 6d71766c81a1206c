"""管理者メニューの「設定」, driven through its real widgets on a real vault: a destination's
whitelist, a bad phone number's message under the field, disabling a destination, the
export/import round trip, a newer shipped file, display names, the supervisor's home
list, and the keyboard (labels, Tab, tables that do not trap Tab)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from intake_app.gui.supervisor import common
from intake_app.gui.supervisor.area import SupervisorArea
from intake_app.gui.supervisor.settings_fields import EntryDialog
from tests.gui.helpers import commit_text, flush
from tests.gui.supervisor_support import (
    COUNSELOR,
    admin,
    audit_actions,
    data_dir,
    replace,
)

__all__ = ["admin", "data_dir"]
WARABI = Path(__file__).resolve().parents[2] / "intake_app/resources/municipality/warabi.toml"


@pytest.fixture
def area(qtbot: Any, admin: Any) -> SupervisorArea:
    widget = SupervisorArea(admin, today=dt.date(2026, 11, 25))
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    widget.tabs.setCurrentWidget(widget.settings_area)
    return widget


def with_dialog(monkeypatch: pytest.MonkeyPatch, act: Callable[[EntryDialog], None]) -> list[Any]:
    """Answer the entry dialog: ``act(dialog)`` types and presses its buttons."""
    seen: list[Any] = []

    def show(dialog: EntryDialog) -> bool:
        dialog.show()
        seen.append(dialog)
        act(dialog)
        return dialog.result() == EntryDialog.DialogCode.Accepted

    monkeypatch.setattr(common, "show_dialog", show, raising=False)
    return seen


def select(section: Any, entry_id: str) -> None:
    section.select(entry_id)
    assert section.table.selectionModel().selectedRows(), entry_id


def test_editing_a_destinations_whitelist_through_its_dialog(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    section = area.settings_area.destinations
    area.settings_area.sections.setCurrentWidget(section)
    assert admin.municipality.destination("pref_centre").fields[0] == "client.name"

    def act(dialog: EntryDialog) -> None:
        fields = dialog.form.editors["fields"]
        fields.checks["client.name"].setFocus()
        qtbot.keyClick(fields.checks["client.name"], Qt.Key.Key_Space)
        assert fields.checks["client.address"].isChecked() is False
        contact = dialog.form.editors["contact"].widget
        commit_text(contact, "048-000-1234（平日）")
        dialog.form.editors["verified"].widget.setFocus()
        qtbot.keyClick(dialog.form.editors["verified"].widget, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)

    seen = with_dialog(monkeypatch, act)
    select(section, "pref_centre")
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    dest = admin.municipality.destination("pref_centre")
    assert "client.name" not in dest.fields and "client.kana" in dest.fields
    assert dest.contact == "048-000-1234（平日）" and dest.verified
    actions = audit_actions(admin)
    for path in ("fields", "contact", "verified"):
        assert ("settings_changed", f"destinations.pref_centre.{path}") in actions
    assert "destinations.pref_centre" in area.settings_area.status.text() or "第2版" in (
        area.settings_area.status.text()
    )
    row = [section.table.item(r, 0).text() for r in range(section.table.rowCount())].index(
        "埼玉県女性相談支援センター"
    )
    assert section.table.item(row, 1).text() == "確認済み"


def test_marking_a_destination_women_only_stops_suggesting_it_for_a_man(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """設定 → 連絡先 →「女性専用」 by keyboard: the legal consultation then is no longer
    suggested for a man's legal needs, and still is for a woman's."""
    from intake_app.domain.advice import suggest
    from intake_app.domain.model import Intake

    section = area.settings_area.destinations
    area.settings_area.sections.setCurrentWidget(section)

    def suggested(gender: str) -> set[str]:
        intake = Intake()
        intake.client.gender = gender
        intake.needs.categories = ["legal"]
        return {s.id for s in suggest(intake, admin.municipality, "low", False)}

    assert "legal" in suggested("male")

    def act(dialog: EntryDialog) -> None:
        box = dialog.form.editors["women_only"].widget
        assert not box.isChecked()
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)

    seen = with_dialog(monkeypatch, act)
    select(section, "legal")
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert admin.municipality.destination("legal").women_only
    assert ("settings_changed", "destinations.legal.women_only") in audit_actions(admin)
    assert "legal" not in suggested("male") and "legal" in suggested("female")


def test_a_bad_phone_number_shows_its_message_under_the_field_and_saves_nothing(
    area: SupervisorArea, admin: Any, qtbot: Any
) -> None:
    centre = area.settings_area.centre
    phone = centre.form.editors["centre.phone"]
    commit_text(phone.widget, "でんわ")
    qtbot.mouseClick(centre.save_button, Qt.MouseButton.LeftButton)
    assert phone.error.isVisible()
    assert phone.error.text() == (
        "電話番号は数字とハイフンで書いてください（例: 048-000-0000、#8008）。"
    )
    assert admin.settings.version() == 1 and admin.municipality.centre.phone == ""
    phone.widget.clear()
    commit_text(phone.widget, "048-555-0100")
    commit_text(centre.form.editors["centre.document_number_format"].widget, "蕨市協第{n}号")
    assert "蕨市協第1号" in centre.example.text()
    qtbot.mouseClick(centre.save_button, Qt.MouseButton.LeftButton)
    assert not phone.error.isVisible()
    assert admin.municipality.centre.phone == "048-555-0100"
    assert "第2版" in area.settings_area.status.text()


def test_a_bad_phone_in_a_dialog_keeps_it_open_with_the_message_under_the_field(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    section = area.settings_area.hotlines
    states: list[tuple[bool, str]] = []

    def act(dialog: EntryDialog) -> None:
        commit_text(dialog.form.editors["name"].widget, "よりそいホットライン")
        commit_text(dialog.form.editors["phone"].widget, "ぜろいちにぜろ")
        save = dialog.buttons.buttons()[0]
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        error = dialog.form.editors["phone"].error
        states.append((dialog.isVisible(), error.text()))
        dialog.form.editors["phone"].widget.clear()
        commit_text(dialog.form.editors["phone"].widget, "0120-279-338")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    with_dialog(monkeypatch, act)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert states[0][0] is True and states[0][1].startswith("電話番号は数字とハイフンで")
    assert admin.municipality.hotlines[-1].phone == "0120-279-338"
    assert ("settings_changed", "hotlines.line_1") in audit_actions(admin)


def test_a_destination_is_disabled_never_deleted(
    area: SupervisorArea, admin: Any, qtbot: Any
) -> None:
    section = area.settings_area.destinations
    assert not hasattr(section, "delete_button")  # destinations have no delete
    select(section, "legal")
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert admin.municipality.destination("legal").disabled
    assert "legal" not in [d.id for d in admin.municipality.active_destinations]
    row = section.table.selectionModel().selectedRows()[0].row()
    assert section.table.item(row, 2).text() == "使用停止"
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert not admin.municipality.destination("legal").disabled


def test_deleting_a_department_a_place_names_is_refused_with_the_reason(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    section = area.settings_area.departments
    replace(monkeypatch, "ask", lambda *a: True)
    select(section, "shimin")
    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)
    assert "「shimin」は部署（departments）にありません" in area.settings_area.status.text()
    assert "shimin" in [d.id for d in admin.municipality.departments]


def test_export_then_import_round_trip_through_the_file_dialogs(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any, tmp_path: Path
) -> None:
    files = area.settings_area.files
    out = tmp_path / "exported"
    replace(monkeypatch, "choose_save_file", lambda *a: out)
    qtbot.mouseClick(files.export_button, Qt.MouseButton.LeftButton)
    written = out.with_name("exported.toml")
    assert written.stat().st_mode & 0o777 == 0o600
    assert tomllib.loads(written.read_text("utf-8"))["id"] == "warabi"
    assert ("settings_export", "settings:v1") in audit_actions(admin)
    replace(monkeypatch, "choose_open_file", lambda *a: written)
    before = admin.municipality
    qtbot.mouseClick(files.import_button, Qt.MouseButton.LeftButton)
    assert "同じです" in area.settings_area.status.text()
    assert admin.municipality == before and admin.settings.version() == 1
    edited = tmp_path / "edited.toml"
    edited.write_text(
        written.read_text("utf-8").replace("backup_reminder_days = 7", "backup_reminder_days = 3"),
        "utf-8",
    )
    replace(monkeypatch, "choose_open_file", lambda *a: edited)
    qtbot.mouseClick(files.import_button, Qt.MouseButton.LeftButton)
    assert admin.municipality.backup_reminder_days == 3
    assert "バックアップの案内（日数）" in area.settings_area.status.text()
    assert area.settings_area.retention.form.editors["backup_reminder_days"].value() == 3
    assert files.history.rowCount() == 2
    assert "ファイルから読み込み" in files.history.item(0, 3).text()
    broken = tmp_path / "broken.toml"
    broken.write_text(
        edited.read_text("utf-8").replace('kind = "police"', 'kind = "navy"'), "utf-8"
    )
    replace(monkeypatch, "choose_open_file", lambda *a: broken)
    qtbot.mouseClick(files.import_button, Qt.MouseButton.LeftButton)
    status = area.settings_area.status.text()
    assert "broken.toml の「destinations[0].kind」" in status and "行目" in status
    assert "何も変更していません" in status and admin.settings.version() == 2


def test_a_newer_shipped_file_is_offered_item_by_item(
    qtbot: Any, admin: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from intake_app.store import settings as settings_mod

    shipped = tmp_path / "warabi.toml"
    shipped.write_text(
        WARABI.read_text("utf-8")
        .replace("retention_years = 5", "retention_years = 6")
        .replace('name = "税"', 'name = "税（市民税課）"'),
        "utf-8",
    )
    monkeypatch.setattr(settings_mod, "municipality_path", lambda mid: shipped)
    admin.settings.forget()
    area = SupervisorArea(admin)
    qtbot.addWidget(area)
    files = area.settings_area.files
    assert set(files.offer_checks) == {"retention_years", "support_measure_places.zei.name"}
    assert "今「5」→ 新しい版「6」" in files.offer_checks["retention_years"].text()
    qtbot.mouseClick(
        files.offer_checks["support_measure_places.zei.name"], Qt.MouseButton.LeftButton
    )
    qtbot.mouseClick(files.review_button, Qt.MouseButton.LeftButton)
    assert admin.municipality.retention_years == 5
    assert admin.municipality.support_measure_places[4].name == "税（市民税課）"
    actions = audit_actions(admin)
    assert ("settings_shipped_accept", "support_measure_places.zei.name") in actions
    assert ("settings_shipped_decline", "retention_years") in actions
    assert files.offer_checks == {} and not files.review_button.isVisible()


def test_a_display_name_is_changed_in_the_users_tab(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from intake_app.gui.supervisor.users_tab import DisplayNameDialog

    tab = area.users_tab
    for r in range(tab.table.rowCount()):
        if tab.table.item(r, 0).text() == COUNSELOR:
            tab.table.selectRow(r)

    def show(dialog: DisplayNameDialog) -> bool:
        from PySide6.QtWidgets import QDialogButtonBox

        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        dialog.show()
        dialog.display_name.clear()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # empty: refused, still open
        assert "氏名を入力してください" in dialog.message.text() and dialog.isVisible()
        commit_text(dialog.display_name, "鈴木 花子")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result() == DisplayNameDialog.DialogCode.Accepted

    monkeypatch.setattr(common, "show_dialog", show, raising=False)
    qtbot.mouseClick(tab.name_button, Qt.MouseButton.LeftButton)
    names = {u.name: u.display_name for u in admin.users.list()}
    assert names[COUNSELOR] == "鈴木 花子"
    assert ("user_display_name", "2") in audit_actions(admin)


def test_a_supervisors_home_lists_what_the_papers_miss_a_counselors_does_not(
    qtbot: Any, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.documents import print_system
    from intake_app.gui.views import HomeView

    monkeypatch.setattr(
        print_system, "print_system_warnings", lambda: ["印刷の控えが残ります（テスト）"]
    )
    home = HomeView()
    qtbot.addWidget(home)
    home.refresh(admin, dt.date(2026, 11, 25))
    text = home.settings_notice.text()
    assert home.settings_notice.isVisibleTo(home)
    assert "あなたの氏名（未設定）" in text
    assert "センターの電話番号（未設定）… 管理者メニュー →「設定」→「センター」" in text
    assert (
        "・連絡先: 連絡方法の空欄 3 か所、未確認 5 か所 … 管理者メニュー →「設定」→「連絡先」"
        in text
    )
    assert "女性相談支援センター" not in text  # destinations are counted, not named, on home
    assert "・印刷の控えが残ります（テスト）" in text  # the print system's warnings too
    data = admin.settings.data()
    data["centre"].update(
        phone="048-000-0000",
        address="蕨市中央",
        head_title="センター長",
        head_name="蕨 花子",
        document_number_format="蕨市協第{n}号",
        verified=True,
    )
    data["protection_order_court"].update(address="さいたま市", phone="048-000-0001", verified=True)
    for dest in data["destinations"]:
        dest.update(contact=dest["contact"] or "048-000-0002", verified=True)
    admin.settings.save(data)
    admin.users.set_display_name(admin.user.name, "佐藤 一郎")
    home.refresh(admin, dt.date(2026, 11, 25))
    assert "書類に必要な設定" not in home.settings_notice.text()
    assert "印刷の控え" in home.settings_notice.text()
    admin.settings.save({**admin.settings.data(), "centre": {**data["centre"], "phone": ""}})

    class AsCounselor:  # the same vault seen by a counselor (one session per process)
        def __init__(self, session: Any) -> None:
            self._session = session
            self.user = dataclasses.replace(session.user, role="counselor", display_name="")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._session, name)

    home.refresh(AsCounselor(admin), dt.date(2026, 11, 25))
    assert not home.settings_notice.isVisibleTo(home)
    home.refresh(admin, dt.date(2026, 11, 25))
    assert "センターの電話番号（未設定）" in home.settings_notice.text()


def test_an_unverified_destination_says_so_in_the_intakes_referral_step(qtbot: Any, admin: Any):
    from intake_app.gui.intake.steps.needs import ReferralRow

    row = ReferralRow(admin.municipality.destination("pref_centre"))
    qtbot.addWidget(row)
    assert row.title() == "埼玉県女性相談支援センター（未確認）"
    assert ReferralRow(admin.municipality.destination("police")).title() == "蕨警察署 生活安全課"


INPUTS = (
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractButton,
    QAbstractSpinBox,
    QPlainTextEdit,
)


def _inputs(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INPUTS)
        and w.isVisibleTo(root)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isEnabled()
        and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)  # their own editor
    ]


def _named(widget: QWidget) -> bool:
    if widget.accessibleName():
        return True
    if isinstance(widget, QAbstractButton) and widget.text():
        return True
    from PySide6.QtWidgets import QLabel

    return any(
        label.buddy() is widget for label in widget.window().findChildren(QLabel) if label.buddy()
    )


def _tab_through(qtbot: Any, window: QWidget, start: QWidget, steps: int) -> set[QWidget]:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    start.setFocus()
    seen: set[QWidget] = set()
    for _ in range(steps):
        focus = QApplication.focusWidget()
        if focus is None:
            break
        seen.add(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    return seen


def test_every_field_is_named_and_tab_reaches_everything_without_a_trap(
    area: SupervisorArea, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = area.settings_area
    for index in range(settings.sections.count()):
        settings.sections.setCurrentIndex(index)
        page = settings.sections.currentWidget()
        flush()
        inputs = _inputs(page)
        assert [type(w).__name__ for w in inputs if not _named(w)] == [], settings.sections.tabText(
            index
        )
        reached = _tab_through(qtbot, area, settings.sections.tabBar(), len(inputs) * 2 + 10)
        missing = [w.accessibleName() or type(w).__name__ for w in inputs if w not in reached]
        assert missing == [], f"{settings.sections.tabText(index)}: not reached by Tab: {missing}"
    # a table hands Tab on to the next control instead of moving from cell to cell
    table = settings.destinations.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table

    def act(dialog: EntryDialog) -> None:
        fields = [w for w in _inputs(dialog) if not isinstance(w, QCheckBox) or w.text()]
        assert [type(w).__name__ for w in _inputs(dialog) if not _named(w)] == []
        reached = _tab_through(qtbot, dialog, dialog.form.editors["name"].widget, 120)
        assert [w for w in fields if w not in reached and w.isEnabled()] == []
        dialog.reject()

    with_dialog(monkeypatch, act)
    select(settings.destinations, "police")
    settings.destinations.edit()


def test_a_new_user_needs_a_display_name(
    area: SupervisorArea, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.gui.supervisor.users_tab import UserDialog

    messages: list[str] = []

    def exec_(dialog: UserDialog) -> int:
        dialog.name.setText("ito")
        dialog.passphrase.setText("a quiet morning in april")
        dialog.confirm.setText("a quiet morning in april")
        dialog._check()  # the 氏名 is empty
        messages.append(dialog.message.text())
        return int(dialog.result())

    monkeypatch.setattr(UserDialog, "exec", exec_)
    area.users_tab.add_user()
    assert messages == ["氏名を入力してください（書類に印刷されます）。"]
    assert "ito" not in [u.name for u in admin.users.list()]
