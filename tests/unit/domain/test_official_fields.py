"""The intake fields the official papers need (issue 17): they survive a draft, and the
children's whitelist id is split so that only a destination naming the school gets it."""

import datetime as dt
from pathlib import Path

from intake_app.domain.model import Child, ChildNotification, Intake, Referral
from intake_app.domain.municipality import load_municipality
from intake_app.domain.rules import referrals

DATA = Path(__file__).parent / "data"


def test_new_fields_survive_the_draft_round_trip():
    intake = Intake()
    intake.household.children = [
        Child(
            name="ゆい",
            sex="female",
            date_of_birth=dt.date(2018, 4, 2),
            abuser_relation="stepfather",
            whereabouts="本人と知人宅に避難中",
        )
    ]
    intake.household.child_notification = ChildNotification(
        "子ども未来課", dt.datetime(2026, 11, 25, 11, 0), "電話", received_by="子ども未来課　山田"
    )
    r = intake.relationship
    r.perpetrator_date_of_birth = dt.date(1986, 7, 15)
    r.perpetrator_age = 40
    r.perpetrator_address = "蕨市中央1-2-3"
    r.perpetrator_weapons = "包丁"
    r.perpetrator_vehicle = "白の軽自動車"
    s = intake.shelter
    s.whereabouts_confirmed = True
    s.transport = "police"
    s.transport_note = "15時出発"
    s.health = "高血圧"
    s.medication = "降圧剤"
    s.money = "約2万円"
    s.insurance = "national"
    s.insurance_card = False
    again = Intake.from_dict(intake.to_dict())
    assert again == intake
    assert again.household.children[0].abuser_relation == "stepfather"
    assert again.shelter.insurance_card is False


def test_a_saved_referral_with_the_old_children_id_never_gets_the_school():
    data = Intake().to_dict()
    data["referrals"] = [
        {"destination_id": "shimin", "fields": ["client.name", "household.children"]}
    ]
    (old,) = Intake.from_dict(data).referrals
    assert old.fields == [
        "client.name",
        "household.children.name_age",
        "household.children.sex",
    ]
    assert Referral("x", fields=["household.children"]).fields == old.fields[1:]


def test_only_destinations_whose_whitelist_names_the_school_get_it():
    city = load_municipality("warabi")
    school = "household.children.school"
    with_school = {d.id for d in city.destinations if school in referrals.allowed_fields(d)}
    assert {"gakko_kyoiku", "hoikuen", "kodomo_mirai", "jido_sodanjo"} <= with_school
    assert not {"shimin", "police", "seikatsu_shien"} & with_school


def test_an_older_settings_file_with_the_old_children_id_still_loads_without_the_school():
    city = load_municipality(DATA / "sakuragawa.toml")
    fields = [f for d in city.destinations for f in d.fields]
    assert "household.children" not in fields
    assert "household.children.name_age" in fields
    assert "household.children.school" not in fields
