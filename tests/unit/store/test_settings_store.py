"""The centre's settings in the vault: imported at setup, versioned, audited, never
changed by an upgrade; a newer shipped file offered item by item; 文書番号; 氏名."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.municipality import load_municipality
from intake_app.domain.tomlfile import ConfigError
from intake_app.store import PermissionDenied, UserError, Vault
from intake_app.store import settings as settings_mod
from intake_app.store.document_numbers import allocate
from intake_app.store.settings import SettingsError
from tests.unit.store.test_records import make_intake
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    data_key_hex,
    make_vault,
    raw_connection,
    snapshot,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vaults"
WARABI = Path(__file__).resolve().parents[3] / "intake_app/resources/municipality/warabi.toml"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    make_vault(folder)
    return folder


def admin(data_dir: Path) -> Any:
    return Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)


def entries(session: Any) -> list[tuple[str, str | None, str | None]]:
    with session.read("test.inspect") as conn:
        rows = conn.execute("SELECT action, object_id, detail FROM audit_log ORDER BY seq")
        return [tuple(r) for r in rows if r[0] not in ("test.inspect",)]


def test_setup_imports_the_checked_file_as_version_1(data_dir: Path) -> None:
    with admin(data_dir) as s:
        assert s.municipality == load_municipality("warabi")
        assert s.settings.version() == 1
        history = s.settings.history()
        assert [(v.version, v.source, v.user_name) for v in history] == [(1, "setup", SUPERVISOR)]
        assert ("settings_import", "settings:v1", "source=setup;bundled:warabi") in entries(s)


@pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd", "Warabi", "war abi"])
def test_setup_refuses_a_path_or_a_bad_id_before_anything_is_created(
    tmp_path: Path, value: str
) -> None:
    folder = tmp_path / "new"
    with pytest.raises(ConfigError, match="名前が正しくありません"):
        Vault.create(folder, SUPERVISOR, SUPERVISOR_PASS, municipality=value)
    assert not folder.exists()


def test_setup_refuses_a_broken_file_naming_key_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "city.toml"
    bad.write_text(WARABI.read_text("utf-8").replace('phone = ""    #', 'phone = "abc" #'), "utf-8")
    folder = tmp_path / "new"
    with pytest.raises(ConfigError) as info:
        Vault.create(folder, SUPERVISOR, SUPERVISOR_PASS, municipality=bad)
    assert info.value.key == "centre.phone"
    assert f"city.toml の「centre.phone」（{info.value.line}行目）" in info.value.message
    assert not folder.exists()


def test_setup_from_another_citys_file(tmp_path: Path) -> None:
    city = Path(__file__).resolve().parents[1] / "domain" / "data" / "sakuragawa.toml"
    folder = tmp_path / "other"
    Vault.create(folder, SUPERVISOR, SUPERVISOR_PASS, municipality=city, display_name="佐藤 一郎")
    with admin(folder) as s:
        assert s.municipality_id == "sakuragawa"
        assert s.municipality.name == "桜川テスト市"
        assert s.display_name == "佐藤 一郎"
        assert s.settings.shipped_offer() is None  # nothing of this id ships with the program


def test_an_edit_is_a_new_version_with_one_audit_entry_per_setting_never_its_value(
    data_dir: Path,
) -> None:
    with admin(data_dir) as s:
        data = s.settings.data()
        data["centre"]["phone"] = "048-555-0199"
        data["centre"]["head_name"] = "蕨 花子"
        data["destinations"][1]["contact"] = "048-555-0100"
        changed = s.settings.save(data)
        assert [d.path for d in changed] == [
            "centre.head_name",
            "centre.phone",
            "destinations.pref_centre.contact",
        ]
        assert s.municipality.centre.phone == "048-555-0199"
        assert s.settings.version() == 2
        log = entries(s)
        assert [e for e in log if e[0] == "settings_changed"] == [
            ("settings_changed", "centre.head_name", "v2"),
            ("settings_changed", "centre.phone", "v2"),
            ("settings_changed", "destinations.pref_centre.contact", "v2"),
        ]
        assert not any("048-555" in str(e) or "花子" in str(e) for e in log)
        before = len(entries(s))
        assert s.settings.save(s.settings.data()) == []  # nothing changed: nothing written
        assert len(entries(s)) == before
        assert s.settings.version() == 2
    with admin(data_dir) as s:  # the next session reads the same from the vault
        assert s.municipality.centre.phone == "048-555-0199"
    db = b"".join(p.read_bytes() for p in data_dir.glob("vault.db*"))
    assert b"048-555-0199" not in db and "蕨 花子".encode() not in db


def test_a_bad_edit_is_refused_by_the_loaders_checks_and_nothing_changes(data_dir: Path) -> None:
    with admin(data_dir) as s:
        data = s.settings.data()
        data["centre"]["phone"] = "電話してね"
        before = entries(s)
        with pytest.raises(ConfigError) as info:
            s.settings.save(data)
        assert info.value.key == "centre.phone"
        assert info.value.field_message().startswith("電話番号は数字とハイフンで")
        assert entries(s) == before
        assert s.settings.version() == 1


def test_a_counselor_reads_the_settings_but_cannot_change_them(data_dir: Path) -> None:
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as s:
        assert s.municipality.id == "warabi"
        with pytest.raises(PermissionDenied):
            s.settings.save(s.settings.data())
        with pytest.raises(PermissionDenied):
            s.settings.export_text()
        with pytest.raises(PermissionDenied):
            s.settings.import_text(WARABI.read_text("utf-8"))


def test_a_destination_that_referrals_name_is_disabled_never_deleted(data_dir: Path) -> None:
    with admin(data_dir) as s:
        s.records.save_intake(make_intake())  # refers to "police"
        assert "police" in s.settings.referenced_destinations()
        data = s.settings.data()
        data["destinations"] = [d for d in data["destinations"] if d["id"] != "police"]
        with pytest.raises(SettingsError, match="使用停止"):
            s.settings.save(data)
        assert s.municipality.destination("police")
        data = s.settings.data()
        data["destinations"][0]["disabled"] = True
        s.settings.save(data)
        assert s.municipality.destination("police").disabled
        assert "police" not in [d.id for d in s.municipality.active_destinations]
        data = s.settings.data()  # one nobody named may go
        data["destinations"] = [d for d in data["destinations"] if d["id"] != "career_centre"]
        assert [d.path for d in s.settings.save(data)] == ["destinations.career_centre"]


def test_export_and_import_round_trip_to_identical_settings(data_dir: Path) -> None:
    with admin(data_dir) as s:
        data = s.settings.data()
        data["centre"]["document_number_format"] = "{nendo}年度蕨市協第{n}号"
        data["hotlines"].append({"id": "soudan", "name": "相談", "phone": "#9110", "note": ""})
        s.settings.save(data)
        exported = s.settings.export_text()
        assert ("settings_export", "settings:v2", "to=file") in entries(s)
        before = s.municipality
        assert s.settings.import_text(exported, "export.toml") == []
        assert s.municipality == before and s.settings.version() == 2
        edited = exported.replace("retention_years = 5", "retention_years = 8")
        changed = s.settings.import_text(edited, "export.toml")
        assert [d.path for d in changed] == ["retention_years"]
        assert s.municipality.retention_years == 8
        assert ("settings_import", "settings:v3", "source=file") in entries(s)
        assert ("settings_changed", "retention_years", "v3") in entries(s)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('id = "warabi"\nname = \n', None),
        ("retention_years = 5\n", "id"),
    ],
)
def test_a_bad_import_changes_nothing(data_dir: Path, text: str, key: str | None) -> None:
    with admin(data_dir) as s:
        before, version = entries(s), s.settings.version()
        with pytest.raises(ConfigError) as info:
            s.settings.import_text(text, "bad.toml")
        assert info.value.key == key
        assert "bad.toml" in info.value.message
        assert entries(s) == before and s.settings.version() == version


def test_an_import_for_another_city_is_refused(data_dir: Path) -> None:
    other = WARABI.read_text("utf-8").replace('id = "warabi"', 'id = "othertown"', 1)
    with admin(data_dir) as s, pytest.raises(SettingsError, match="別の市区町村"):
        s.settings.import_text(other, "other.toml")


def _ship(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Make this program ship ``text`` as warabi.toml (a newer release)."""
    shipped = tmp_path / "shipped" / "warabi.toml"
    shipped.parent.mkdir(exist_ok=True)
    shipped.write_text(text, "utf-8")
    monkeypatch.setattr(settings_mod, "municipality_path", lambda mid: shipped)


def test_an_upgrade_never_changes_the_settings_and_offers_the_differences(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with admin(data_dir) as s:
        data = s.settings.data()
        data["centre"]["phone"] = "048-555-0199"  # the centre's own
        s.settings.save(data)
        assert s.settings.shipped_offer() is None
    newer = (
        WARABI.read_text("utf-8")
        .replace('note = "一時保護を行う唯一の機関', 'note = "県の一時保護の窓口', 1)
        .replace('contact = ""  # 県の案内', 'contact = "048-000-1111"  # 県の案内', 1)
        .replace("retention_years = 5", "retention_years = 6")
    )
    _ship(tmp_path, monkeypatch, newer)
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as s:  # any unlock: nothing applied
        assert s.municipality.retention_years == 5
        assert s.municipality.destination("pref_centre").contact == ""
    with admin(data_dir) as s:
        offer = s.settings.shipped_offer()
        assert offer is not None
        paths = [i.difference.path for i in offer.items]
        assert paths == [
            "retention_years",
            "destinations.pref_centre.contact",
            "destinations.pref_centre.note",
        ]
        assert offer.items[0].current == "5" and offer.items[0].difference.after == "6"
        with pytest.raises(SettingsError, match="一覧にない項目"):
            s.settings.review_shipped(["centre.phone"])
        changed = s.settings.review_shipped(["destinations.pref_centre.contact"])
        assert [d.path for d in changed] == ["destinations.pref_centre.contact"]
        assert s.municipality.destination("pref_centre").contact == "048-000-1111"
        assert s.municipality.retention_years == 5  # declined
        assert s.municipality.centre.phone == "048-555-0199"  # kept
        log = entries(s)
        assert ("settings_shipped_accept", "destinations.pref_centre.contact", "v3") in log
        assert ("settings_shipped_decline", "retention_years", None) in log
        assert ("settings_shipped_decline", "destinations.pref_centre.note", None) in log
        assert s.settings.shipped_offer() is None  # decided: not offered again
        assert s.settings.review_shipped(["retention_years"]) == []


def test_a_newer_shipped_file_with_no_setting_changed_is_noted_quietly(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ship(tmp_path, monkeypatch, WARABI.read_text("utf-8") + "\n# 説明を直しました\n")
    with admin(data_dir) as s:
        assert s.settings.shipped_offer() is None
        assert ("settings_shipped_reviewed", "shipped:warabi", "no-change") in entries(s)
        assert s.settings.version() == 1


def test_an_old_vault_imports_its_bundled_file_at_the_first_unlock(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    data_dir.mkdir(mode=0o700)
    for name in ("vault.db", "vault.keys"):
        shutil.copyfile(FIXTURES / "v0001" / name, data_dir / name)
        (data_dir / name).chmod(0o600)
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as s:  # a counselor, first
        assert s.municipality == load_municipality("warabi")
        assert s.settings.version() == 1
        assert ("settings_import", "settings:v1", "source=upgrade;bundled:warabi") in entries(s)
        assert s.verify().ok
    with admin(data_dir) as s:
        assert [(v.version, v.source, v.user_name) for v in s.settings.history()] == [
            (1, "upgrade", COUNSELOR)
        ]
        assert [e for e in entries(s) if e[0] == "settings_import"] == [
            ("settings_import", "settings:v1", "source=upgrade;bundled:warabi")
        ]


def test_document_numbers_run_per_fiscal_year_and_each_is_audited(data_dir: Path) -> None:
    with admin(data_dir) as s:
        with pytest.raises(SettingsError, match="文書番号の形式が設定されていません"):
            s.settings.next_document_number("court_report")
        data = s.settings.data()
        data["centre"]["document_number_format"] = "蕨市協第{n}号"
        s.settings.save(data)
        march, april = dt.date(2027, 3, 31), dt.date(2027, 4, 1)
        assert s.settings.next_document_number("court_report", today=march) == "蕨市協第1号"
        assert s.settings.next_document_number("referral_slip", today=march) == "蕨市協第2号"
        assert s.settings.next_document_number("court_report", today=april) == "蕨市協第1号"
        log = entries(s)
        assert ("document_number", "FY2026:1", "kind=court_report") in log
        assert ("document_number", "FY2026:2", "kind=referral_slip") in log
        assert ("document_number", "FY2027:1", "kind=court_report") in log
        with pytest.raises(RuntimeError), s.transaction("print", "test") as conn:
            assert allocate(s, conn, "court_report", today=april) == "蕨市協第2号"
            raise RuntimeError("the print failed")
        # rolled back with the caller's transaction: the number is still free
        assert s.settings.next_document_number("court_report", today=april) == "蕨市協第2号"


def test_display_names_are_set_by_a_supervisor_or_oneself_and_audited(data_dir: Path) -> None:
    with admin(data_dir) as s:
        assert s.display_name == ""
        s.users.set_display_name(SUPERVISOR, " 佐藤 一郎 ")
        assert s.display_name == "佐藤 一郎"
        s.users.set_display_name(COUNSELOR, "鈴木 花子")
        with pytest.raises(UserError, match="氏名を入力"):
            s.users.set_display_name(COUNSELOR, "  ")
        with pytest.raises(UserError, match="40文字以内"):
            s.users.set_display_name(COUNSELOR, "あ" * 41)
        assert {u.name: u.display_name for u in s.users.list()} == {
            SUPERVISOR: "佐藤 一郎",
            COUNSELOR: "鈴木 花子",
        }
        assert ("user_display_name", "2", None) in entries(s)
        assert not any("鈴木" in str(e) for e in entries(s))
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as s:
        assert s.display_name == "鈴木 花子"
        s.users.set_display_name(COUNSELOR, "鈴木 はな")
        with pytest.raises(PermissionDenied):
            s.users.set_display_name(SUPERVISOR, "x")


def test_a_refused_setup_writes_nothing_even_into_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "keep"
    folder.mkdir()
    (folder / "note.txt").write_text("x")
    before = snapshot(folder)
    with pytest.raises(ConfigError):
        Vault.create(folder, SUPERVISOR, SUPERVISOR_PASS, municipality="no_such_city")
    assert snapshot(folder) == before


def test_the_settings_tables_are_encrypted_with_the_rest(data_dir: Path) -> None:
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir))
    try:
        (count,) = conn.execute("SELECT count(*) FROM settings_versions").fetchone()
        (document,) = conn.execute("SELECT document FROM settings_versions").fetchone()
    finally:
        conn.close()
    assert count == 1 and 'id = "warabi"' in document
    assert b"warabi" not in (data_dir / "vault.db").read_bytes()


def test_fuzzed_imports_change_nothing_when_refused(data_dir: Path) -> None:
    """Mutated municipality files through ``import_text``: each is either taken as a new
    version or refused in one Japanese sentence with the vault's settings untouched."""
    import random

    from tests.unit.domain.test_settings_file import _mutations

    rng = random.Random(16)
    original = WARABI.read_text("utf-8")
    refused = 0
    with admin(data_dir) as s:
        for _ in range(120):
            text = original
            for _ in range(rng.randrange(1, 3)):
                text = _mutations(text, rng)
            before, version = s.municipality, s.settings.version()
            try:
                s.settings.import_text(text, "fuzz.toml")
            except (ConfigError, SettingsError) as exc:
                refused += 1
                assert "\n" not in exc.message and "Traceback" not in exc.message
                assert s.municipality == before and s.settings.version() == version
        assert refused > 40
        assert s.verify().ok
