"""missing_settings: a paper is refused, naming the setting, when what it needs is empty."""

from __future__ import annotations

import pytest

from intake_app.domain.municipality import load_municipality
from intake_app.domain.paper_settings import all_missing_settings, missing_settings
from intake_app.domain.settings_file import from_data, to_data

KINDS = [
    "referral_slip",
    "shelter_request",
    "protection_order_advice",
    "protection_order_advice_discreet",
    "court_report",
    "support_measure_opinion",
    "child_notification",
    "safety_plan",
]


def filled():
    """warabi with every setting a paper needs filled in and confirmed."""
    data = to_data(load_municipality("warabi"))
    data["centre"].update(
        phone="048-000-0000",
        address="蕨市中央0-0-0",
        head_title="センター長",
        head_name="山田 花子",
        document_number_format="蕨市協第{n}号",
        verified=True,
    )
    data["protection_order_court"].update(address="さいたま市", phone="048-000-0001", verified=True)
    for dest in data["destinations"]:
        dest["contact"] = dest["contact"] or "048-000-0002"
        dest["verified"] = True
    return data


def test_the_shipped_warabi_file_refuses_the_official_papers_naming_what_is_missing():
    city = load_municipality("warabi")
    found = missing_settings(city, "court_report")
    keys = [m.key for m in found]
    for key in (
        "centre.phone",
        "centre.address",
        "centre.head_title",
        "centre.head_name",
        "centre.document_number_format",
        "centre.verified",
        "protection_order_court.verified",
    ):
        assert key in keys
    phone = found[keys.index("centre.phone")]
    assert phone.sentence() == (
        "センターの電話番号が設定されていません。"
        "管理者メニュー →「設定」→「センター」で設定してください。"
    )
    unverified = found[keys.index("centre.verified")]
    assert "確認されていません" in unverified.sentence()


def test_each_paper_asks_for_its_addressee():
    city = load_municipality("warabi")
    shelter = [m.key for m in missing_settings(city, "shelter_request")]
    assert "destinations.pref_centre.contact" in shelter
    assert "destinations.pref_centre.verified" in shelter
    child = [m.key for m in missing_settings(city, "child_notification")]
    assert "destinations.jido_sodanjo.verified" in child
    slip = [m.key for m in missing_settings(city, "referral_slip", destination_id="hello_work")]
    assert "destinations.hello_work.contact" in slip
    assert "destinations.police.contact" not in slip
    discreet = [m.key for m in missing_settings(city, "protection_order_advice_discreet")]
    assert discreet == ["centre.phone", "centre.verified"]
    advice = [m.key for m in missing_settings(city, "protection_order_advice")]
    assert "protection_order_court.address" in advice


@pytest.mark.parametrize("kind", KINDS)
def test_with_everything_filled_no_paper_is_refused(kind):
    city = from_data(filled())
    assert missing_settings(city, kind, destination_id="police", display_name="山田 花子") == []


def test_the_counselors_display_name_is_needed_on_official_papers_only():
    city = from_data(filled())
    assert [m.key for m in missing_settings(city, "court_report", display_name="")] == [
        "user.display_name"
    ]
    assert missing_settings(city, "safety_plan", display_name="") == []


def test_an_unknown_paper_kind_is_checked_as_an_official_paper():
    keys = [m.key for m in missing_settings(load_municipality("warabi"), "new_kind")]
    assert "centre.document_number_format" in keys


def test_the_home_list_has_each_setting_once():
    found = all_missing_settings(load_municipality("warabi"), KINDS)
    keys = [(m.key, m.problem) for m in found]
    assert len(keys) == len(set(keys))
    assert ("destinations.career_centre.contact", "empty") in keys
    assert all_missing_settings(from_data(filled()), KINDS) == []


@pytest.mark.parametrize("kind", ["court_report", "protection_order_advice"])
def test_a_city_without_a_court_is_told_to_set_one(kind):
    data = filled()
    del data["protection_order_court"]
    city = from_data(data)
    assert city.protection_order_court is None
    found = missing_settings(city, kind, display_name="山田 花子")
    assert [m.key for m in found] == ["protection_order_court"]
    assert found[0].sentence() == (
        "保護命令の裁判所が設定されていません。"
        "管理者メニュー →「設定」→「センター」で設定してください。"
    )
    assert missing_settings(city, "safety_plan") == []  # the client's own paper needs no court


def test_a_referral_slip_to_a_destination_no_longer_in_the_settings_is_refused():
    city = from_data(filled())
    found = missing_settings(city, "referral_slip", destination_id="gone", display_name="山田 花子")
    assert [m.key for m in found] == ["destinations.gone"]
    assert found[0].sentence() == (
        "紹介先の連絡先が設定されていません。"
        "管理者メニュー →「設定」→「連絡先」で設定してください。"
    )


@pytest.mark.parametrize(
    ("kind", "dest_kind"),
    [("shelter_request", "prefectural_centre"), ("support_measure_opinion", "resident_registry")],
)
def test_a_paper_whose_addressee_is_disabled_asks_for_one(kind, dest_kind):
    data = filled()
    for dest in data["destinations"]:
        if dest["kind"] == dest_kind:
            dest["disabled"] = True
    city = from_data(data)
    found = missing_settings(city, kind, display_name="山田 花子")
    assert [m.key for m in found] == [f"destinations.kind.{dest_kind}"]
    assert found[0].sentence() == (
        "書類の宛先が設定されていません。管理者メニュー →「設定」→「連絡先」で設定してください。"
    )
    assert missing_settings(city, "court_report", display_name="山田 花子") == []


def test_a_paper_is_refused_naming_every_empty_setting_and_where_it_is_filled():
    from intake_app.domain.paper_settings import empty_settings, refusal

    shipped = load_municipality("warabi")  # centre phone, address and head left empty
    empty = empty_settings(shipped, "court_report", display_name="田中 花子")
    assert empty and all(item.problem == "empty" for item in empty)
    sentence = refusal(empty)
    assert (
        sentence.startswith("センターの電話番号、")
        and "「センター」で設定してください。" in sentence
    )
    # a missing 氏名 too: two places to fill, so the counselor is sent to a supervisor
    both = refusal(empty_settings(shipped, "court_report", display_name=""))
    assert "担当者の氏名" in both and both.endswith("管理者に設定を依頼してください。")
    assert refusal(empty + empty[:1]) == sentence  # a setting named once
    # two settings are joined with と, three or more with 、 and a last と
    assert refusal(empty[:2]) == (
        f"{empty[0].label}と{empty[1].label}が設定されていません。{empty[0].where}で設定してください。"
    )
    assert refusal([]) == ""
