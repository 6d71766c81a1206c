"""A vault with what a centre has after some weeks: the screens show real content.

A case with two children (the child notification recorded), a referral with consent,
a 支援措置 in force and a follow-up due; a closed case; an unfinished intake; a
counselor besides the supervisor. Every name is fictitious (見本).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from intake_app.documents.samples import synthetic_case
from intake_app.domain.model import Child, Intake, Referral
from tests.gui.helpers import intake as simple_intake
from tests.gui.intake_helpers import PASSPHRASE, open_session

COUNSELOR = "suzuki"
COUNSELOR_PASSPHRASE = "あおぞらの下で歩く十二文字です"


def realistic_intake(today: dt.date) -> Intake:
    """Today's visit of the fictitious case, with a second child and a referral."""
    visit = synthetic_case(today)[-1]
    visit.household.children.append(
        Child(
            name="見本　たろう",
            age=3,
            lives_with_client=True,
            school="見本保育園",
            witnessed_violence=True,
            directly_harmed=True,
        )
    )
    visit.shelter.accompanying_children = [0, 1]
    visit.needs.categories = ["housing", "economic"]
    visit.referrals = [
        Referral(
            destination_id="seikatsu_shien",
            purpose="生活の立て直しの相談",
            fields=["client.name", "client.kana", "needs.categories"],
            consent=True,
            consent_method="verbal",
            consent_at=dt.datetime.combine(today, dt.time(10, 40)),
        )
    ]
    visit.address.support_measure_applied = True
    visit.address.applied_on = today - dt.timedelta(days=300)
    visit.address.counter_note = "窓口では本人確認をしてから対応"
    visit.summary_note = "見本のまとめ"
    return visit


def fill_vault(data_dir: Path, today: dt.date | None = None) -> dict[str, Any]:
    """Create the vault in ``data_dir`` (supervisor tanaka) and fill it."""
    session = open_session(data_dir)
    try:
        return fill_records(session, today)
    finally:
        session.close()


def _tracking_records(session: Any, case_id: int, today: dt.date) -> None:
    """What a case follows (issue 18): a 追及 entry, the court's request and an order, so
    the case view's 確認・記録 rows open each of their dialogs."""
    from intake_app.domain.court import CourtRequest
    from intake_app.domain.tracking import OrderNotice, PursuitEntry

    tracking = session.tracking
    asked = dt.datetime.combine(today, dt.time(9, 0))
    tracking.add_pursuit(
        case_id, PursuitEntry(asked, "市民課窓口", "名乗らず", "none"), today=today
    )
    tracking.add_court_request(
        case_id, CourtRequest("見本地方裁判所", received_on=today), today=today
    )
    tracking.add_order(case_id, OrderNotice(today, today, ("approach_ban",)), today=today)


def fill_records(session: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Fill an open supervisor's session; returns the ids tests look for."""
    from intake_app.store import kdf

    today = today or dt.date.today()
    records = session.records
    first, _visit = synthetic_case(today)
    case = records.save_intake(first)
    records.save_intake(realistic_intake(today), case_id=case.case_id)
    records.add_follow_up(case.case_id, today, "電話で様子を確認")
    closed = records.save_intake(simple_intake("見本　花江", "みほん　はなえ", day=today))
    records.close_case(closed.case_id, "見本の終結理由")
    _tracking_records(session, closed.case_id, today)
    draft_intake = realistic_intake(today)
    draft_intake.client.name = "見本　途中"
    draft_intake.client.kana = "みほん　とちゅう"
    draft = records.save_draft(draft_intake.to_dict(), step=3)
    session.users.add(
        COUNSELOR, "counselor", COUNSELOR_PASSPHRASE, display_name="鈴木", kdf=kdf.TEST_FAST
    )
    return {
        "case_id": case.case_id,
        "closed_case_id": closed.case_id,
        "draft_id": draft,
        "passphrase": PASSPHRASE,
    }
