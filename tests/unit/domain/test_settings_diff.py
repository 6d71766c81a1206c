"""Differences between settings versions, item by item, and taking some of them."""

from __future__ import annotations

from intake_app.domain.municipality import load_municipality
from intake_app.domain.settings_diff import apply, differences, label
from intake_app.domain.settings_file import from_data, to_data


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
