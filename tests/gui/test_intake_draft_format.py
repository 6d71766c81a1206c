"""A draft keeps the step and the case once, in its own columns; old drafts still resume."""

from __future__ import annotations

import pytest

from intake_app.domain.model import Intake
from tests.gui.intake_helpers import (
    fill_minimum,
    open_wizard,
    type_japanese,
)


@pytest.fixture
def make_wizard(qtbot, session):
    return lambda **kwargs: open_wizard(qtbot, session, **kwargs)


def saved_case(make_wizard) -> int:
    wizard = make_wizard()
    fill_minimum(wizard)
    assert wizard.save() is True
    return wizard.saved_case_id


def test_a_new_intakes_draft_keeps_its_step_in_the_column_only(make_wizard, session):
    wizard = make_wizard()
    wizard.go_to(4)
    wizard.pages[4].perp_name.setFocus()
    type_japanese(wizard.pages[4].perp_name, "佐藤 一郎")
    draft_id = wizard.save_draft_now()

    draft = session.records.load_draft(draft_id)
    assert (draft.step, draft.case_id) == (4, None)
    assert draft.data["_wizard"] == {"follow_up": False}
    assert draft.data["relationship"]["perpetrator_name"] == "佐藤 一郎"


def test_a_follow_ups_draft_keeps_its_case_in_the_column_only(make_wizard, session):
    case_id = saved_case(make_wizard)
    wizard = make_wizard(case_id=case_id)
    wizard.go_to(6)
    wizard.pages[6].safe_place.setValue(False)
    draft_id = wizard.save_draft_now()

    draft = session.records.load_draft(draft_id)
    assert (draft.step, draft.case_id) == (6, case_id)
    assert draft.data["_wizard"] == {"follow_up": True}
    again = make_wizard(draft_id=draft_id)
    assert (again.current_step(), again.case_id, again.follow_up) == (6, case_id, True)
    assert again.pages[6].safe_place.value() is False


@pytest.mark.parametrize("columns", [True, False], ids=["with columns", "json only"])
def test_an_older_draft_with_the_step_and_case_in_its_json_still_resumes(
    make_wizard, session, columns
):
    case_id = saved_case(make_wizard)
    previous = session.records.latest_intake(case_id)
    data = Intake.from_dict(previous.to_dict()).to_dict()
    data["client"]["name"] = "古い 下書き"
    data["_wizard"] = {"step": 7, "case_id": case_id, "follow_up": True}
    draft_id = session.records.save_draft(
        data, step=7 if columns else 0, case_id=case_id if columns else None
    )

    wizard = make_wizard(draft_id=draft_id)
    assert wizard.current_step() == 7
    assert (wizard.case_id, wizard.follow_up) == (case_id, True)
    assert wizard.pages[2].name.text() == "古い 下書き"
    assert wizard.follow_banner.isHidden() is False, "shown as the follow-up it was"
    wizard.pages[7].mind.setValue(True)
    assert wizard.save_draft_now() == draft_id
    rewritten = session.records.load_draft(draft_id)
    assert (rewritten.step, rewritten.case_id) == (7, case_id)
    assert rewritten.data["_wizard"] == {"follow_up": True}, "written in the new form"
