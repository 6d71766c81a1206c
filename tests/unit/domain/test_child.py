import datetime as dt
from pathlib import Path

import pytest

from intake_app.domain.model import Child, ChildNotification, Intake
from intake_app.domain.municipality import load_municipality
from intake_app.domain.rules.child import notification

LAW = "児童虐待防止法第6条"


def intake_with(*children, types=None, r10=None):
    intake = Intake()
    intake.household.children = list(children)
    intake.violence.types = types or {}
    if r10 is not None:
        intake.risk.answers = {"R10": r10}
    return intake


@pytest.mark.parametrize(
    ("children", "types", "r10", "required", "indexes", "reason"),
    [
        (
            [Child(lives_with_client=True, witnessed_violence=True)],
            None,
            None,
            True,
            [0],
            "子ども1人目が暴力を見聞きしています（面前DV＝心理的虐待）",
        ),
        (
            [Child(lives_with_client=None, witnessed_violence=True)],
            None,
            None,
            True,
            [0],
            "見聞きしています",
        ),
        (
            [Child(lives_with_client=False, witnessed_violence=True)],
            None,
            None,
            True,
            [0],
            "子ども1人目が暴力を見聞きしています",
        ),
        (
            [Child(lives_with_client=False, directly_harmed=True)],
            None,
            None,
            True,
            [0],
            "子ども1人目への暴力があります",
        ),
        (
            [
                Child(lives_with_client=True, witnessed_violence=False),
                Child(lives_with_client=True, directly_harmed=True),
            ],
            None,
            None,
            True,
            [1],
            "子ども2人目への暴力があります",
        ),
        (
            [Child(lives_with_client=True), Child(lives_with_client=False)],
            {"using_children": "repeated"},
            None,
            True,
            [0, 1],
            "子どもを利用した暴力、または子どもへの危害の脅しがあります",
        ),
        ([], None, True, True, [], "子どもの人数・年齢を記録してください"),
        (
            [Child(lives_with_client=True, witnessed_violence=True), Child(lives_with_client=True)],
            None,
            True,
            True,
            [0, 1],
            "子どもへの危害の脅し",
        ),
        ([], None, False, False, [], None),
    ],
)
def test_notification_table(children, types, r10, required, indexes, reason):
    """rules.md §6, §9.10; 児童虐待防止法第2条第4号・第6条."""
    advice = notification(intake_with(*children, types=types, r10=r10))
    assert advice.required is required
    assert advice.child_indexes == indexes
    texts = [r.text for r in advice.reasons]
    if reason:
        assert any(reason in t for t in texts), texts
    if required:
        assert advice.reasons[-1].text.startswith(
            "通告は法律上の義務で、本人の同意の有無にかかわらず"
        )
        assert advice.reasons[-1].rule == LAW
        assert advice.destinations == ["市の子ども担当課", "児童相談所"]
    else:
        assert advice.destinations == []


def test_witnessing_cites_the_definition_of_psychological_abuse():
    advice = notification(intake_with(Child(lives_with_client=True, witnessed_violence=True)))
    assert advice.reasons[0].rule == "児童虐待防止法第2条第4号・第6条"


def test_an_unanswered_witness_question_asks_to_confirm_without_requiring():
    advice = notification(intake_with(Child(lives_with_client=True), Child(lives_with_client=None)))
    assert advice.required is False
    assert [r.text for r in advice.reasons] == [
        "子ども（1人目・2人目）が暴力を見聞きしたかを確認してください"
    ]


def test_destinations_come_from_the_municipality_and_a_recorded_notification_is_shown():
    intake = intake_with(Child(lives_with_client=True, witnessed_violence=True))
    intake.household.child_notification = ChildNotification(
        notified_to="子ども未来課", notified_at=dt.datetime(2026, 11, 25, 11, 0)
    )
    advice = notification(intake, load_municipality("warabi"))
    assert set(advice.destinations) == {"子ども未来課", "埼玉県南児童相談所"}
    assert advice.recorded is True
    assert "通告を記録済みです（通告先: 子ども未来課）" in [r.text for r in advice.reasons]


def test_a_second_city_names_its_own_destination():
    city = load_municipality(Path(__file__).parent / "data" / "sakuragawa.toml")
    advice = notification(intake_with(Child(directly_harmed=True)), city)
    assert advice.destinations == ["こども家庭課"]


def test_an_empty_notification_record_is_not_a_record():
    intake = intake_with(Child(directly_harmed=True))
    intake.household.child_notification = ChildNotification(notified_to="  ")
    assert notification(intake).recorded is False


def test_a_child_who_witnessed_requires_notification_wherever_the_child_lives_s9_10():
    """rules.md §9.10; 児童虐待防止法第2条第4号・第6条: living with the client or not."""
    for lives in (True, False, None):
        advice = notification(intake_with(Child(lives_with_client=lives, witnessed_violence=True)))
        assert advice.required is True
        assert advice.child_indexes == [0]


def test_a_child_staying_with_the_perpetrator_is_named_first_s9_10():
    """rules.md §9.10; 児童虐待防止法第6条: 「加害者と同居している子ども」, the most urgent."""
    advice = notification(
        intake_with(
            Child(lives_with_client=True, witnessed_violence=True),
            Child(lives_with_client=True, witnessed_violence=False),
            Child(lives_with_client=False, lives_with_perpetrator=True, witnessed_violence=True),
        )
    )
    assert advice.required is True
    assert advice.child_indexes == [2, 0]
    assert advice.with_perpetrator == [2]
    assert advice.reasons[0].text == (
        "加害者と同居している子ども（3人目）がいます。最も急ぐ通告です: "
        "子ども3人目が暴力を見聞きしています（面前DV＝心理的虐待）"
    )
    assert advice.reasons[0].rule == "児童虐待防止法第2条第4号・第6条"


def test_a_threatened_child_staying_with_the_perpetrator_is_named_first_s9_10():
    """rules.md §9.10; 児童虐待防止法第6条: threats to children (R10) with the child there."""
    advice = notification(
        intake_with(
            Child(lives_with_client=True),
            Child(lives_with_client=False, lives_with_perpetrator=True),
            r10=True,
        )
    )
    assert advice.child_indexes == [1, 0]
    assert advice.reasons[0].text.startswith("加害者と同居している子ども（2人目）がいます。")
    assert advice.reasons[0].rule == LAW


def test_where_a_child_not_living_with_the_client_lives_is_asked_s9_10():
    """rules.md §9.10; 児童虐待防止法第6条: unknown whereabouts are asked for."""
    advice = notification(
        intake_with(
            Child(lives_with_client=False, directly_harmed=True, lives_with_perpetrator=None)
        )
    )
    assert any(
        "本人と暮らしていない子ども（1人目）が今だれと暮らしているかを確認してください" in r.text
        for r in advice.reasons
    )
    known = notification(
        intake_with(
            Child(lives_with_client=False, directly_harmed=True, lives_with_perpetrator=False)
        )
    )
    assert not any("だれと暮らしているか" in r.text for r in known.reasons)
