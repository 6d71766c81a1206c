import datetime as dt

from intake_app.domain.model import Child, Intake, JointApplicant, Referral


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


def test_the_fields_rules_md_s8_s9_need_round_trip():
    """rules.md §9.1 (violence during the relationship), §9.10 (a child with the
    perpetrator), §9.11-§9.12 (both 支援措置 dates, 併せて支援を求める者), §9.7 (v2)."""
    intake = Intake()
    assert intake.risk.checklist_version == "risk-v2"
    intake.relationship.violence_during_relationship = True
    intake.household.children = [Child(name="はな", lives_with_perpetrator=True)]
    intake.address.applied_on = dt.date(2026, 4, 10)
    intake.address.notified_on = dt.date(2026, 4, 20)
    intake.address.joint_applicants = [JointApplicant(child_index=0), JointApplicant(name="母")]
    again = Intake.from_dict(intake.to_dict())
    assert again == intake
    assert again.address.joint_applicants[1].name == "母"


def test_an_older_intake_keeps_its_checklist_version_and_gets_none_for_new_fields():
    data = Intake().to_dict()
    data["risk"]["checklist_version"] = "risk-v1"
    del data["relationship"]["violence_during_relationship"]
    del data["address"]["notified_on"]
    del data["address"]["joint_applicants"]
    again = Intake.from_dict(data)
    assert again.risk.checklist_version == "risk-v1"
    assert again.relationship.violence_during_relationship is None
    assert again.address.notified_on is None
    assert again.address.joint_applicants == []


def test_a_value_of_another_kind_is_written_as_it_is():
    """A tuple (or any value json can write itself) is neither dropped nor changed."""
    import json

    from intake_app.domain import model

    assert model._to_json(("高", 3)) == ("高", 3)
    assert json.loads(json.dumps(model._to_json({"levels": ("高", 3)}))) == {"levels": ["高", 3]}
