import errno
import os
from pathlib import Path

import pytest

from intake_app.domain.model import REFERRAL_FIELDS
from intake_app.domain.municipality import load_municipality
from intake_app.domain.tomlfile import ConfigError, key_line

SECOND_CITY = Path(__file__).parent / "data" / "sakuragawa.toml"


def test_warabi_is_the_default_and_names_its_centre_and_departments():
    city = load_municipality()
    assert city.id == "warabi"
    assert city.city == "蕨市"
    assert city.centre.name == "蕨市配偶者暴力相談支援センター"
    assert city.centre.department == "市民協働課"
    names = {d.name for d in city.departments}
    for department in (
        "子ども未来課",
        "保健センター",
        "生活支援課",
        "健康長寿課",
        "福祉総務課",
        "市民課",
        "学校教育課",
        "保育園",
        "秘書広報課",
    ):
        assert department in names
    assert city.retention_years == 5
    assert city.backup_reminder_days == 7
    assert city.consultation_hours
    assert city.protection_order_court is not None
    assert city.protection_order_court.name == "さいたま地方裁判所"


def test_warabi_destinations_cover_the_plan_with_whitelists():
    city = load_municipality("warabi")
    by_kind = {d.kind for d in city.destinations}
    assert {
        "police",
        "prefectural_centre",
        "child_guidance",
        "child_department",
        "resident_registry",
        "employment",
        "legal",
        "counselling",
    } <= by_kind
    names = {d.name for d in city.destinations}
    assert "埼玉県女性相談支援センター" in names
    assert "埼玉県女性キャリアセンター" in names
    assert "女性の心と生き方相談" in names
    for dest in city.destinations:
        assert set(dest.fields) <= set(REFERRAL_FIELDS)
        assert dest.consent_required or dest.kind in ("child_department", "child_guidance")
    # Only destinations that may need to find the client get the whereabouts at all.
    with_location = {d.id for d in city.destinations if "client.current_whereabouts" in d.fields}
    assert with_location == {"police", "pref_centre"}
    assert city.destination("kodomo_mirai").internal is True
    assert city.destination("police").internal is False
    assert city.destination("jido_sodanjo").verified is False  # jurisdiction to confirm
    assert [d.id for d in city.of_kind("employment")] == ["hello_work", "career_centre"]
    with pytest.raises(KeyError):
        city.destination("nowhere")


def test_a_second_city_file_works_without_code_changes():
    city = load_municipality(SECOND_CITY)
    assert city.name == "桜川テスト市"
    assert city.centre.department == "人権推進課"
    assert city.centre.hours == "月・水・金 9:00〜16:00"
    assert city.retention_years == 10
    assert city.protection_order_court is None
    assert city.destination("shigoto").serves == ("employment", "economic")
    assert city.destination("kodomo").internal is True  # also a department
    assert city.destination("keisatsu").internal is False
    assert city.departments[0].role == ""


def test_a_city_given_as_a_path_string(tmp_path):
    assert load_municipality(str(SECOND_CITY)).id == "sakuragawa"


def write(tmp_path, text):
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_hours_default_to_the_consultation_hours(tmp_path):
    text = SECOND_CITY.read_text(encoding="utf-8").replace('hours = "月・水・金 9:00〜16:00"\n', "")
    city = load_municipality(write(tmp_path, text))
    assert city.centre.hours == "月・水・金 9:00〜16:00"


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        (
            'fields = ["client.name"]\nserves',
            'fields = ["client.secret"]\nserves',
            "destinations[2].fields",
            "「client.secret」は開示できる項目にありません",
        ),
        ('kind = "employment"', 'kind = "bank"', "destinations[2].kind", "「bank」は使えません"),
        ('id = "shigoto"', 'id = "Shigoto"', "destinations[2].id", "半角英小文字"),
        (
            '"employment", "economic"',
            '"money"',
            "destinations[2].serves",
            "「money」は困りごとの分類にありません",
        ),
        (
            "consent_required = true\ninternal",
            "consent_required = false\ninternal",
            "destinations[1].consent_required",
            "同意を要しないのは",
        ),
        (
            "consent_required = true\ninternal",
            'consent_required = "yes"\ninternal',
            "destinations[1].consent_required",
            "true か false",
        ),
        ("internal = false", "internal = 0", "destinations[1].internal", "true か false"),
        ("retention_years = 10", "retention_years = 0", "retention_years", "1から100までの整数"),
        ("retention_years = 10", "retention_years = 101", "retention_years", "1から100まで"),
        (
            "backup_reminder_days = 3",
            "backup_reminder_days = 1.5",
            "backup_reminder_days",
            "1から365までの整数",
        ),
        ('id = "sakuragawa"', 'id = "桜川"', "id", "半角英小文字"),
        ('name = "桜川テスト市"', 'nmae = "桜川テスト市"', "nmae", "知らない項目です"),
        (
            'department = "人権推進課"',
            'departmnt = "人権推進課"',
            "centre.departmnt",
            "知らない項目です",
        ),
        ('phone = "000-0000-0000"', "phone = 0", "centre.phone", "文字列にしてください"),
        (
            'consultation_hours = ["月・水・金 9:00〜16:00"]',
            'consultation_hours = "平日"',
            "consultation_hours",
            "文字列の配列",
        ),
        (
            'name = "桜川テスト市配偶者暴力相談支援センター"',
            'name = ""',
            "centre.name",
            "空でない文字列",
        ),
        (
            'id = "sakuragawa"',
            'protection_order_court = "x"\nid = "sakuragawa"',
            "protection_order_court",
            "表（テーブル）",
        ),
        (
            'id = "kodomo"\nname = "こども家庭課"\nrole',
            'id = "jinken"\nname = "こども家庭課"\nrole',
            "departments[1].id",
            "部署ID「jinken」が重複",
        ),
    ],
)
def test_a_bad_city_file_names_the_key_and_its_line(tmp_path, old, new, key, problem):
    text = SECOND_CITY.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1  # where the edited key is written
    with pytest.raises(ConfigError) as info:
        load_municipality(write(tmp_path, text.replace(old, new, 1)))
    error = info.value
    assert error.key == key
    assert error.line == line
    assert f"city.toml の「{key}」（{line}行目）" in error.message
    assert problem in error.message


def test_a_missing_required_key_points_at_its_table(tmp_path):
    text = SECOND_CITY.read_text(encoding="utf-8").replace('department = "人権推進課"\n', "", 1)
    with pytest.raises(ConfigError) as info:
        load_municipality(write(tmp_path, text))
    assert info.value.key == "centre.department"
    assert info.value.line == 9  # the [centre] header
    assert "必須の項目がありません" in info.value.message


def test_destinations_must_be_an_array_of_tables(tmp_path):
    with pytest.raises(ConfigError, match="1つ以上"):
        load_municipality(
            write(
                tmp_path,
                'id = "x"\nconsultation_hours = []\n'
                'destinations = []\n[centre]\nname = "c"\ndepartment = "d"\n'
                '[[departments]]\nid = "a"\nname = "b"\n',
            )
        )


def test_a_court_entry_is_validated(tmp_path):
    text = SECOND_CITY.read_text(encoding="utf-8") + '\n[protection_order_court]\nname = ""\n'
    with pytest.raises(ConfigError, match=r"protection_order_court\.name"):
        load_municipality(write(tmp_path, text))


def test_a_syntax_error_gives_the_line(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_municipality(write(tmp_path, 'id = "x"\nname = \n'))
    assert info.value.line == 2
    assert "2行目" in info.value.message


def test_unknown_and_malformed_city_ids(tmp_path):
    with pytest.raises(ConfigError, match="見つかりません"):
        load_municipality("atlantis")
    with pytest.raises(ConfigError, match="名前が正しくありません"):
        load_municipality("../etc/passwd")
    with pytest.raises(ConfigError, match="読めません"):
        load_municipality(tmp_path / "missing.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("name = '\u00e9'".encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_municipality(bad)


def test_a_huge_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as f:
        f.truncate(4_000_001)  # sparse: no disk space used, never read
    with pytest.raises(ConfigError) as info:
        load_municipality(huge)
    assert info.value.message == "設定ファイルが大きすぎます: huge.toml"


def test_a_read_error_of_the_disk_is_one_sentence_naming_the_file(tmp_path, monkeypatch):
    city = write(tmp_path, SECOND_CITY.read_text(encoding="utf-8"))
    assert load_municipality(city).id == "sakuragawa"

    def failing_read(self, *args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))

    monkeypatch.setattr(Path, "read_text", failing_read)
    with pytest.raises(ConfigError) as info:
        load_municipality(city)
    why = os.strerror(errno.EIO)
    assert info.value.message == f"設定ファイルを読めません: {city.name}（{why}）"
    assert str(tmp_path) not in info.value.message  # the file's name only, not where it lies


def test_key_line_falls_back_to_the_enclosing_table_or_nothing():
    text = "a = 1\n[centre]\nname = 'x'\n[[d]]\nid = 'p'\n"
    assert key_line(text, "centre.missing") == 2
    assert key_line(text, "d[0].id") == 5
    assert key_line(text, "d[3].id") == 4  # the first [[d]]
    assert key_line(text, "zzz") is None


def test_duplicate_destination_ids_are_refused(tmp_path):
    text = SECOND_CITY.read_text(encoding="utf-8")
    bad = text.replace('id = "shigoto"', 'id = "kodomo"')
    with pytest.raises(ConfigError) as info:
        load_municipality(write(tmp_path, bad))
    assert info.value.key == "destinations[2].id"
    assert info.value.line == text[: text.index('id = "shigoto"')].count("\n") + 1
    assert "連絡先ID「kodomo」が重複" in info.value.message


def test_a_city_without_a_child_notification_destination_is_refused(tmp_path):
    text = SECOND_CITY.read_text(encoding="utf-8")
    bad = text.replace(
        'kind = "child_department"\nconsent_required = false',
        'kind = "welfare"\nconsent_required = true',
    )
    with pytest.raises(ConfigError) as info:
        load_municipality(write(tmp_path, bad))
    assert info.value.key == "destinations"
    assert info.value.line == text[: text.index("[[destinations]]")].count("\n") + 1
    assert "子どもの通告先" in info.value.message


def test_resolve_loads_an_id_once_and_passes_objects_through():
    from intake_app.domain.municipality import resolve_municipality

    loaded = resolve_municipality("warabi")
    assert loaded is not None and loaded.name == "蕨市"
    assert resolve_municipality("warabi") is loaded  # cached: the file is read once
    assert resolve_municipality(loaded) is loaded
    assert resolve_municipality(None) is None
    with pytest.raises(ConfigError):
        resolve_municipality("no_such_city")


def test_a_file_already_read_is_checked_the_same_way_and_named_in_messages():
    from intake_app.domain.municipality import municipality_from_text

    text = SECOND_CITY.read_text(encoding="utf-8")
    assert municipality_from_text(text).id == "sakuragawa"
    with pytest.raises(ConfigError) as info:
        municipality_from_text(text.replace('kind = "police"', 'kind = "navy"', 1), "upload.toml")
    assert info.value.message.startswith("upload.toml の「destinations[")
    assert info.value.line is not None and f"{info.value.line}行目" in info.value.message
    with pytest.raises(ConfigError, match=r"書式が正しくありません: upload\.toml 2行目"):
        municipality_from_text('id = "x"\nname = \n', "upload.toml")


def test_the_bundled_files_are_read_from_inside_the_package():
    import intake_app
    from intake_app.domain.bundled import bundled
    from intake_app.domain.municipality import municipality_path

    package = Path(intake_app.__file__).resolve().parent
    assert Path(str(municipality_path("warabi"))) == package / "resources/municipality/warabi.toml"
    assert bundled("checklists", "risk-v1.toml").is_file()


def test_which_date_starts_the_year_of_a_support_measure_is_a_setting_s9_11(tmp_path):
    """rules.md §9.11: support_measure_starts_on = "notified" (default) | "applied"."""
    assert load_municipality("warabi").support_measure_starts_on == "notified"
    assert load_municipality(SECOND_CITY).support_measure_starts_on == "notified"  # default
    text = SECOND_CITY.read_text(encoding="utf-8")
    for value in ("notified", "applied"):
        city = load_municipality(
            write(
                tmp_path,
                text.replace(
                    "retention_years", f'support_measure_starts_on = "{value}"\nretention_years'
                ),
            )
        )
        assert city.support_measure_starts_on == value
    with pytest.raises(ConfigError) as info:
        load_municipality(
            write(
                tmp_path,
                text.replace(
                    "retention_years", 'support_measure_starts_on = "moved"\nretention_years'
                ),
            )
        )
    assert info.value.key == "support_measure_starts_on"
    assert "「moved」は使えません" in info.value.message


def test_warabi_has_the_city_emergency_stay_for_men_s9_9():
    """rules.md §4, §9.9: the plan's 緊急一時避難先（ホテル避難）; nothing in it names 一時保護."""
    dest = load_municipality("warabi").destination("emergency_stay")
    assert dest.kind == "emergency_stay"
    assert dest.verified is False
    for text in (dest.name, dest.contact, dest.note):
        assert "一時保護" not in text
        assert "女性相談支援センター" not in text


@pytest.mark.parametrize(
    "text", ["id = " + "9" * 5000, "x = " + "[" * 5000 + "]" * 5000], ids=["digits", "nesting"]
)
def test_a_number_too_long_or_nesting_too_deep_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_municipality(path)
    assert "city.toml" in info.value.message
