"""Differences between settings versions, item by item, and taking some of them."""

from __future__ import annotations

import copy
from pathlib import Path

from intake_app.domain.municipality import load_municipality
from intake_app.domain.settings_diff import Difference, apply, differences, label, value_text
from intake_app.domain.settings_file import from_data, to_data

SECOND_CITY = Path(__file__).parent / "data" / "sakuragawa.toml"


def warabi():
    return to_data(load_municipality("warabi"))


def test_identical_settings_have_no_differences():
    assert differences(warabi(), warabi()) == []


def test_each_changed_value_is_one_item_named_by_ids_never_by_value():
    old, new = warabi(), warabi()
    new["centre"]["phone"] = "048-000-0000"
    new["destinations"][1]["contact"] = "048-111-1111"
    new["destinations"][1]["fields"].remove("client.name")
    new["retention_years"] = 7
    found = {d.path: d for d in differences(old, new)}
    assert set(found) == {
        "centre.phone",
        "destinations.pref_centre.contact",
        "destinations.pref_centre.fields",
        "retention_years",
    }
    assert found["centre.phone"].label == "センターの電話番号"
    assert found["centre.phone"].after == "048-000-0000"
    assert found["destinations.pref_centre.contact"].label == (
        "連絡先「埼玉県女性相談支援センター」の連絡方法"
    )
    assert "氏名" in found["destinations.pref_centre.fields"].before
    for path in found:
        assert "048" not in path


def test_added_removed_and_reordered_entries():
    old, new = warabi(), warabi()
    added = dict(new["destinations"][0], id="new_place", name="新しい窓口")
    new["destinations"].append(added)
    del new["departments"][-1]
    new["hotlines"].reverse()
    kinds = {d.path: d.kind for d in differences(old, new)}
    assert kinds["destinations.new_place"] == "added"
    assert kinds["departments.shogai_gakushu"] == "removed"
    assert kinds["hotlines"] == "order"


def test_accepting_items_one_by_one_keeps_the_centres_own_settings():
    shipped_old, shipped_new = warabi(), warabi()
    shipped_new["destinations"][1]["contact"] = "県の番号"
    shipped_new["destinations"][1]["note"] = "新しい備考"
    shipped_new["destinations"].append(
        dict(shipped_new["destinations"][0], id="extra", name="追加")
    )
    current = warabi()
    current["centre"]["phone"] = "048-000-0000"  # the centre's own entry
    offered = [d.path for d in differences(shipped_old, shipped_new)]
    assert offered == [
        "destinations.pref_centre.contact",
        "destinations.pref_centre.note",
        "destinations.extra",
    ]
    result = apply(current, shipped_new, ["destinations.pref_centre.contact", "destinations.extra"])
    city = from_data(result)
    assert city.centre.phone == "048-000-0000"
    assert city.destination("pref_centre").contact == "県の番号"
    assert (
        city.destination("pref_centre").note
        == load_municipality("warabi").destination("pref_centre").note
    )  # not accepted
    assert city.destination("extra").name == "追加"
    assert current["destinations"][1]["contact"] == ""  # the input is not changed


def test_a_destination_removed_from_the_shipped_file_is_disabled_not_deleted():
    shipped_new = warabi()
    shipped_new["destinations"] = [d for d in shipped_new["destinations"] if d["id"] != "legal"]
    result = apply(warabi(), shipped_new, ["destinations.legal"])
    assert from_data(result).destination("legal").disabled
    shipped_new["departments"] = [d for d in shipped_new["departments"] if d["id"] != "jinji"]
    result = apply(warabi(), shipped_new, ["departments.jinji"])
    assert "jinji" not in [d.id for d in from_data(result).departments]


def test_labels_of_lists_and_tables():
    data = warabi()
    assert label("support_measure_places.zei.departments", data) == "支援措置の確認先「税」の担当課"
    assert label("official_returns.main_complaints", data) == "公的報告（主訴）の並び順"
    assert label("protection_order_court.address") == "保護命令の裁判所の住所"
    assert label("backup_reminder_days") == "バックアップの案内（日数）"


def sakuragawa():
    return to_data(load_municipality(SECOND_CITY))


def test_changed_values_are_shown_as_a_supervisor_reads_them():
    old, new = warabi(), warabi()
    new["destinations"][0]["consent_required"] = False
    new["destinations"][3]["kind"] = "child_guidance"
    new["destinations"][1]["serves"] = ["housing"]
    new["consultation_hours"] = ["平日 9時から17時"]
    found = {d.path: d for d in differences(old, new)}
    assert set(found) == {
        "destinations.police.consent_required",
        "destinations.kodomo_mirai.kind",
        "destinations.pref_centre.serves",
        "consultation_hours",
    }
    consent = found["destinations.police.consent_required"]
    assert consent.label == "連絡先「蕨警察署 生活安全課」の本人の同意"
    assert (consent.before, consent.after) == ("はい", "いいえ")
    kind = found["destinations.kodomo_mirai.kind"]
    assert (kind.before, kind.after) == ("市の子ども担当課", "児童相談所")
    assert found["destinations.pref_centre.serves"].before == "housing、sexual_harm"
    hours = found["consultation_hours"]
    assert hours.label == "相談の受付時間"
    assert hours.before == (
        "平日（祝日・年末年始を除く）、週3日は女性相談支援員、その他の平日は市民協働課職員が対応"
    )
    assert hours.after == "平日 9時から17時"


def test_a_court_added_or_removed_is_one_item_named_by_the_court():
    without, with_court = sakuragawa(), sakuragawa()
    assert "protection_order_court" not in without
    with_court["protection_order_court"] = warabi()["protection_order_court"]
    added = differences(without, with_court)
    assert added == [
        Difference("protection_order_court", "added", "保護命令の裁判所", "", "さいたま地方裁判所")
    ]
    removed = differences(with_court, without)
    assert removed == [
        Difference(
            "protection_order_court", "removed", "保護命令の裁判所", "さいたま地方裁判所", ""
        )
    ]


def test_the_value_in_force_is_shown_beside_each_offered_item():
    data = warabi()
    assert value_text(data, "hotlines") == (
        "警察（緊急）、消防・救急、DV相談ナビ、DV相談＋（プラス）、児童相談所虐待対応ダイヤル"
    )
    assert value_text(data, "destinations.pref_centre") == "埼玉県女性相談支援センター"
    kind = value_text(data, "destinations.pref_centre.kind")
    assert kind == "県の女性相談支援センター（一時保護）"
    assert value_text(data, "destinations.pref_centre.consent_required") == "はい"
    assert "氏名" in value_text(data, "destinations.pref_centre.fields")
    assert value_text(data, "official_returns.main_complaints.spouse") == "夫等からの暴力"
    assert value_text(data, "protection_order_court") == "さいたま地方裁判所"
    assert value_text(data, "protection_order_court.verified") == "いいえ"
    assert value_text(data, "centre.name") == data["centre"]["name"] != ""
    assert value_text(data, "retention_years") == str(data["retention_years"])
    # what the vault does not have is shown empty, never as "None"
    assert value_text(data, "destinations.gone") == ""
    assert value_text(data, "destinations.gone.contact") == ""
    assert value_text(data, "centre.no_such_setting") == ""
    assert value_text(sakuragawa(), "protection_order_court") == ""
    assert value_text(sakuragawa(), "protection_order_court.address") == ""


def test_accepting_a_new_order_keeps_the_centres_own_entries_at_the_end():
    shipped_new, current = warabi(), warabi()
    shipped_new["hotlines"].reverse()
    own = {"id": "own", "name": "市の窓口", "phone": "048-000-0000", "note": ""}
    current["hotlines"].append(own)
    assert [d.path for d in differences(warabi(), shipped_new)] == ["hotlines"]
    result = apply(current, shipped_new, ["hotlines"])
    assert [h["id"] for h in result["hotlines"]] == [
        "jido_sodanjo",
        "dv_plus",
        "dv_navi",
        "fire_ambulance",
        "police",
        "own",
    ]
    assert [h.id for h in from_data(result).hotlines][-1] == "own"
    assert current["hotlines"][0]["id"] == "police"  # the input is not changed


def test_an_entry_the_centre_already_removed_stays_removed_and_is_not_offered_again():
    shipped_old, shipped_new, current = warabi(), warabi(), warabi()
    for data in (shipped_new, current):
        data["departments"] = [d for d in data["departments"] if d["id"] != "jinji"]
    offered = differences(shipped_old, shipped_new)
    assert [(d.path, d.kind) for d in offered] == [("departments.jinji", "removed")]
    result = apply(current, shipped_new, ["departments.jinji"])
    assert result == current  # nothing to take: the offer shows it as already done
    assert differences(current, result) == []


def test_an_added_entry_replaces_the_centres_own_entry_of_the_same_id():
    shipped_new, current = warabi(), warabi()
    shipped = {"id": "support", "name": "支援ダイヤル", "phone": "0120-000-000", "note": "24時間"}
    shipped_new["hotlines"].append(shipped)
    current["hotlines"].append(dict(shipped, name="市の独自ダイヤル", note=""))
    assert [(d.path, d.kind) for d in differences(warabi(), shipped_new)] == [
        ("hotlines.support", "added")
    ]
    result = apply(current, shipped_new, ["hotlines.support"])
    assert result["hotlines"][-1] == shipped
    assert [h.name for h in from_data(result).hotlines].count("支援ダイヤル") == 1


def test_accepting_the_courts_address_the_top_level_and_an_official_return_category():
    shipped_old, shipped_new = warabi(), warabi()
    shipped_new["protection_order_court"]["address"] = "さいたま市浦和区高砂3-16-45"
    shipped_new["retention_years"] = 10
    shipped_new["official_returns"]["main_complaints"][0]["name"] = "配偶者等からの暴力"
    offered = [d.path for d in differences(shipped_old, shipped_new)]
    assert offered == [
        "retention_years",
        "protection_order_court.address",
        "official_returns.main_complaints.spouse.name",
    ]
    current = warabi()
    current["protection_order_court"]["phone"] = "048-000-0001"  # the centre's own entry
    city = from_data(apply(current, shipped_new, offered))
    assert city.retention_years == 10
    assert city.protection_order_court is not None
    assert city.protection_order_court.address == "さいたま市浦和区高砂3-16-45"
    assert city.protection_order_court.phone == "048-000-0001"
    assert city.official_returns.main_complaints[0].name == "配偶者等からの暴力"
    # a centre that had deleted its court gets the shipped court with the new address
    no_court = warabi()
    del no_court["protection_order_court"]
    taken = apply(no_court, shipped_new, ["protection_order_court.address"])
    assert taken["protection_order_court"] == shipped_new["protection_order_court"]


def test_a_court_removed_from_the_shipped_file_is_removed_when_accepted():
    shipped_old, shipped_new = sakuragawa(), sakuragawa()
    shipped_old["protection_order_court"] = warabi()["protection_order_court"]
    current = copy.deepcopy(shipped_old)
    assert [d.path for d in differences(shipped_old, shipped_new)] == ["protection_order_court"]
    result = apply(current, shipped_new, ["protection_order_court"])
    assert "protection_order_court" not in result
    assert from_data(result).protection_order_court is None
    # and added back when the shipped file brings one
    back = apply(result, shipped_old, ["protection_order_court"])
    assert from_data(back).protection_order_court is not None
    assert apply(current, shipped_new, []) == current
