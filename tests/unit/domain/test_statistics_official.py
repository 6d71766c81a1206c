"""The official return (rules.md §10): exact counts in the settings' categories."""

from __future__ import annotations

from intake_app.domain.municipality import DEFAULT_OFFICIAL_RETURNS, load_municipality
from intake_app.domain.statistics.official import (
    EXACT_NOTICE,
    ConsultationFact,
    CourtCounts,
    ShelterFact,
    as_mapping,
    official_return,
)

CATEGORIES = load_municipality("warabi").official_returns


def fact(client: int, **changes: object) -> ConsultationFact:
    base: dict[str, object] = {
        "kind": "dv",
        "gender": "female",
        "channel": "visit",
        "age_group": "30s",
        "main_complaint": "spouse",
        "report_source": None,
        "shelter_recommendation": "none",
        "client_id": client,
    }
    base.update(changes)
    return ConsultationFact(**base)  # type: ignore[arg-type]


FACTS = [
    fact(1),
    fact(1, channel="accompanied"),  # 同行 counts as 来所
    fact(2, channel="phone", gender="male", main_complaint="discord"),
    fact(3, channel="mail", report_source="medical", shelter_recommendation="immediate"),
    fact(4, channel="sns", age_group="50s", main_complaint=None),
    fact(5, kind="other", channel="phone", age_group=None),
]
SHELTERS = [
    ShelterFact("temporary_protection", "accepted", True, True, 1, 2),
    ShelterFact("temporary_protection", "declined", True, False, 1, 0),
    ShelterFact("temporary_protection", "accepted", False, True, 1, 1),  # asked last year
    ShelterFact("emergency_stay", "requested", True, False, 1, 0),
]


def result():
    return official_return(2026, FACTS, SHELTERS, CourtCounts(2, 1, 1), CATEGORIES)


def test_dv_consultations_by_channel_group_and_from_men_exactly():
    table = as_mapping(result())["dv_channels"]
    assert table["visit"] == (2, 0)
    assert table["phone"] == (1, 1)
    assert table["other"] == (2, 0)  # メール, SNS
    assert table["total"] == (5, 1)  # the non-DV consultation is not counted here


def test_persons_beside_consultations_by_kind_age_and_main_complaint():
    tables = as_mapping(result())
    assert tables["persons"]["dv"] == (4, 5)  # client 1 twice: one person
    assert tables["persons"]["total"] == (5, 6)
    assert tables["age_group"]["30s"] == (3, 4)
    assert tables["age_group"]["unrecorded"] == (1, 1)
    assert tables["main_complaint"]["spouse"] == (3, 4)
    assert tables["main_complaint"]["discord"] == (1, 1)
    assert tables["main_complaint"]["unrecorded"] == (1, 1)


def test_reports_court_and_shelter_counts_keep_ones_and_twos():
    tables = as_mapping(result())
    assert tables["reports"]["medical"] == (1,)
    assert tables["reports"]["total"] == (1,)
    assert tables["court"] == {"requests": (2,), "reports": (1,), "orders": (1,)}
    shelter = tables["shelter"]
    assert shelter["recommended"] == (1, None, None)
    assert shelter["requested"] == (2, 2, 2)
    assert shelter["accepted"] == (1, 1, 2)
    assert shelter["declined"] == (1, 1, 0)
    assert shelter["carried_out"] == (2, 2, 3)  # entered in the year, whenever asked
    men = tables["emergency_stay"]
    assert men["requested"] == (1, 1, 0) and men["pending"] == (1, 1, 0)


def test_the_return_says_first_that_nothing_is_suppressed_and_keeps_removed_categories():
    facts = [fact(1, main_complaint="gone"), fact(2, report_source="radio", kind="other")]
    done = official_return(2026, facts, [], CourtCounts(), DEFAULT_OFFICIAL_RETURNS)
    assert done.notes[0] == EXACT_NOTICE and "秘匿処理をしていない" in EXACT_NOTICE
    assert done.table("main_complaint").row("gone").label == "gone（設定にない区分）"
    assert done.cell("reports", "radio") == 1


def test_an_unknown_table_or_row_is_a_key_error_not_a_zero():
    import pytest

    returned = result()
    with pytest.raises(KeyError):
        returned.table("no_such_table")
    with pytest.raises(KeyError):
        returned.table(returned.tables[0].key).row("no_such_row")
