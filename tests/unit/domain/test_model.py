import datetime as dt

from intake_app.domain.model import Child, Intake, Referral


def test_intake_round_trips_through_its_json_form():
    intake = Intake()
    intake.client.name = "山田 花子"
    intake.client.aliases = ["佐藤"]
    intake.client.date_of_birth = dt.date(1990, 4, 1)
    intake.consultation.started_at = dt.datetime(2026, 11, 25, 10, 30)
    intake.household.children = [Child(age=5, witnessed_violence=True)]
    intake.violence.types = {"physical": "repeated"}
    intake.violence.absent = ["sexual", "economic"]
    intake.risk.answers = {"R01": True, "R02": None}
    intake.referrals = [Referral(destination_id="police", consent=True)]

    again = Intake.from_dict(intake.to_dict())

    assert again == intake
    assert again.client.date_of_birth == dt.date(1990, 4, 1)
    assert again.household.children[0].witnessed_violence is True


def test_unknown_keys_from_older_drafts_are_ignored():
    data = Intake().to_dict()
    data["client"]["removed_field"] = "x"
    assert Intake.from_dict(data).client.name == ""


def test_an_older_intake_without_absent_violence_loads_as_not_answered():
    data = Intake().to_dict()
    del data["violence"]["absent"]
    assert Intake.from_dict(data).violence.absent == []
