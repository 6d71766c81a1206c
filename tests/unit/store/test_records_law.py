"""What the store keeps of rules.md §8-§9: both 支援措置 dates and the year's start (§9.11),
the protection-order state (判断待ち, §8.8) and the orders as decided (§8.3), the checklist
version of every assessment (§9.7), never recomputed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from intake_app.domain.model import JointApplicant
from intake_app.domain.municipality import load_municipality
from intake_app.domain.rules import support_measure
from intake_app.store import synthetic
from tests.unit.store.records_support import query, session
from tests.unit.store.test_records import TODAY, make_intake

__all__ = ["session"]

APPLIED = TODAY - dt.timedelta(days=350)
NOTIFIED = APPLIED + dt.timedelta(days=20)


def with_setting(session: Any, starts_on: str) -> None:
    """The session's municipality with ``support_measure_starts_on`` set (rules.md §9.11)."""
    city = load_municipality("warabi")
    session.municipality = dataclasses.replace(city, support_measure_starts_on=starts_on)


def measure_intake(*, notified: dt.date | None, day: dt.date = APPLIED) -> Any:
    intake = make_intake(day=day, support_on=APPLIED)
    intake.address.notified_on = notified
    intake.address.joint_applicants = [JointApplicant(child_index=0)]
    return intake


@pytest.mark.parametrize(
    ("starts_on", "start"),
    [("notified", NOTIFIED), ("applied", APPLIED)],
)
def test_support_measure_year_starts_on_the_municipalitys_day_rules_9_11(
    session: Any, starts_on: str, start: dt.date
) -> None:
    with_setting(session, starts_on)
    saved = session.records.save_intake(measure_intake(notified=NOTIFIED, day=NOTIFIED))
    row = query(
        session,
        "SELECT applied_on, notified_on, start_on, expires_on FROM support_measures"
        " WHERE case_id = ?",
        (saved.case_id,),
    )
    assert row == [
        (
            APPLIED.isoformat(),
            NOTIFIED.isoformat(),
            start.isoformat(),
            support_measure.expiry(start).isoformat(),
        )
    ]
    measure = session.records.open_case(saved.case_id, today=TODAY).support_measure
    assert (measure.applied_on, measure.notified_on, measure.start_on) == (
        APPLIED,
        NOTIFIED,
        start,
    )


def test_the_home_renewal_list_counts_from_the_same_start_rules_9_11(session: Any) -> None:
    """Counted from the application date the renewal window is open today; counted from the
    notified date twenty days later, it is not yet."""
    r = session.records
    with_setting(session, "applied")
    by_application = r.save_intake(measure_intake(notified=NOTIFIED, day=NOTIFIED))
    assert [m.case_id for m in r.home(TODAY).renewals] == [by_application.case_id]
    assert r.home(TODAY).renewals[0].start_on == APPLIED

    with_setting(session, "notified")
    other = make_intake("佐藤 陽子", "サトウ ヨウコ", day=NOTIFIED, support_on=APPLIED)
    other.address.notified_on = NOTIFIED
    by_notice = r.save_intake(other)
    home = r.home(TODAY)
    assert by_notice.case_id not in [m.case_id for m in home.renewals]
    later = support_measure.renewal_opens(NOTIFIED)
    assert by_notice.case_id in [m.case_id for m in r.home(later).renewals]


def test_a_notified_date_recorded_later_moves_the_expiry_rules_9_11(session: Any) -> None:
    """Under "notified", the year first counts from the application date (the notified date
    is not known yet); a follow-up that records it moves the expiry of the same measure."""
    r = session.records
    with_setting(session, "notified")
    first = r.save_intake(measure_intake(notified=None))
    assert query(session, "SELECT start_on, expires_on FROM support_measures") == [
        (APPLIED.isoformat(), support_measure.expiry(APPLIED).isoformat())
    ]
    r.save_intake(measure_intake(notified=NOTIFIED, day=NOTIFIED), case_id=first.case_id)
    assert query(session, "SELECT notified_on, start_on, expires_on FROM support_measures") == [
        (NOTIFIED.isoformat(), NOTIFIED.isoformat(), support_measure.expiry(NOTIFIED).isoformat())
    ]


def test_the_protection_order_state_and_orders_are_kept_as_decided_rules_8_3_8_8(
    session: Any,
) -> None:
    r = session.records
    pending = make_intake()  # physical violence, no judgement of future harm yet
    first = r.save_intake(pending)
    eligible = make_intake()
    eligible.protection_order.serious_harm_to_life_or_mind_likely = True
    r.save_intake(eligible, case_id=first.case_id)
    decisions = r.open_case(first.case_id, today=TODAY).decisions
    assert [(d.po_state, d.po_eligible) for d in decisions] == [
        ("pending", False),
        ("eligible", True),
    ]
    orders = {o["type"]: o for o in decisions[1].po_order_details}
    assert orders["approach_ban"]["months"] == 12
    assert orders["contact_ban"]["months"] is None
    assert orders["contact_ban"]["until"] == "approach_ban"
    assert orders["contact_ban"]["items"]
    assert decisions[1].gender == "female"


def test_every_assessment_keeps_its_checklist_version_and_is_never_recomputed_rules_9_7(
    session: Any,
) -> None:
    """A risk-v1 assessment stays as it was made: its version, its level, its answers."""
    r = session.records
    old = make_intake(day=TODAY - dt.timedelta(days=90), answers={"R05": True, "R06": True})
    old.risk.checklist_version = "risk-v1"
    first = r.save_intake(old)
    r.save_intake(make_intake(answers={}), case_id=first.case_id)
    history = r.open_case(first.case_id, today=TODAY).risk_history
    assert [(e.checklist_version, e.final, e.answered) for e in history] == [
        ("risk-v1", "low", 2),  # v1: two yes, no red flag, unknown counted as no
        ("risk-v2", "medium", 0),  # v2: nothing answered is at least 中
    ]


def test_demo_data_answers_every_item_of_the_current_checklist() -> None:
    """R18 and R19 of risk-v2 are answered too; a 支援措置 has both dates."""
    items = list(synthetic.generate(400, seed=3))
    ids = set().union(*(i.intake.risk.answers for i in items))
    assert {"R18", "R19"} <= ids
    measures = [i.intake.address for i in items if i.intake.address.support_measure_applied]
    assert measures
    for address in measures:
        assert address.applied_on is not None and address.notified_on is not None
        assert address.applied_on <= address.notified_on <= dt.date.today()
