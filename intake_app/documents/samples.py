"""A synthetic case and one sample of every document kind: printer set-up and training.

Every name and number here is fictitious (見本 = sample). A setting the papers need
that the centre has not filled in yet (the centre's phone, the court's address) is
filled with an invented value for the samples only (``sample_municipality``), so a
new installation can print them before its settings are complete.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.domain.model import (
    Child,
    ChildNotification,
    Client,
    ConsultationInfo,
    Household,
    Intake,
    ProtectionOrderInfo,
    Referral,
    Relationship,
    RiskAnswers,
    SafeContact,
    ShelterInfo,
    Violence,
)


def synthetic_case(today: dt.date) -> list[Intake]:
    """Two consultations of one fictitious case, oldest first (phone, then a visit)."""
    first_day = today - dt.timedelta(days=14)
    client = Client(
        name="見本　花子",
        kana="みほん　はなこ",
        date_of_birth=dt.date(1990, 4, 1),
        age_group="30s",
        gender="female",
        nationality="日本",
        disability=False,
        pregnant=False,
        safe_contact=SafeContact(
            may_call=True,
            may_leave_message=False,
            may_mail=False,
            safe_times="平日 10時～12時",
            phone="090-0000-0000",
        ),
        address="見本県見本市見本町1-2-3",
        fled=True,
        current_whereabouts="見本市内の知人宅",
    )
    household = Household(
        children=[
            Child(
                name="見本　さくら",
                age=8,
                lives_with_client=True,
                school="見本小学校",
                witnessed_violence=True,
                directly_harmed=False,
            )
        ],
        relatives_at_risk=False,
        child_notification=ChildNotification(
            notified_to="子ども未来課",
            notified_at=dt.datetime.combine(today, dt.time(11, 30)),
            method="電話",
            note="見本の記録です",
        ),
    )
    relationship = Relationship(
        type="legal_spouse",
        living_together=False,
        separated_on=today - dt.timedelta(days=3),
        violence_continued_after_separation=True,
        perpetrator_name="見本　太郎",
        perpetrator_kana="みほん　たろう",
    )
    violence = Violence(
        types={"physical": "repeated", "psychological": "repeated", "economic": "once_or_twice"},
        threats=["life", "body"],
        latest_incident_on=today - dt.timedelta(days=4),
        latest_incident="見本の記述（直近の出来事）",
        injuries="見本の記述（けが）",
        treatment="通院",
        police_involvement="見本の記述（警察への相談）",
    )
    phone_call = Intake(
        consultation=ConsultationInfo(
            started_at=dt.datetime.combine(first_day, dt.time(10, 0)),
            channel="phone",
            consulter="self",
            counselor="相談員A",
            content="見本の記述（電話相談の内容）",
            measures="来所相談を案内",
        ),
        client=client,
        household=household,
        relationship=relationship,
        violence=violence,
    )
    visit = Intake.from_dict(phone_call.to_dict())
    visit.consultation = ConsultationInfo(
        started_at=dt.datetime.combine(today, dt.time(10, 0)),
        channel="visit",
        consulter="self",
        counselor="相談員A",
        place="相談室",
        content="見本の記述（面接相談の内容）",
        measures="保護命令制度の説明、一時保護の調整",
    )
    visit.risk = RiskAnswers(answers={"R01": True, "R04": True, "R06": True, "R10": False})
    visit.protection_order = ProtectionOrderInfo(
        serious_harm_to_life_or_mind_likely=True,
        serious_harm_to_life_or_body_likely=True,
        client_sole_owner_or_tenant=False,
        client_intention="considering",
    )
    visit.shelter = ShelterInfo(
        safe_place_tonight=False,
        client_wish="wishes",
        requested=True,
        accompanying_children=[0],
        actions_taken="見本の記述（対応）",
    )
    return [phone_call, visit]


def sample_referral(destination_id: str, fields: list[str], today: dt.date) -> Referral:
    return Referral(
        destination_id=destination_id,
        purpose="見本の連絡票です（プリンターの確認・研修用）",
        fields=fields,
        consent=True,
        consent_method="verbal",
        consent_at=dt.datetime.combine(today, dt.time(10, 45)),
    )


SAMPLE_PHONE = "048-000-0000"
SAMPLE_COURT_ADDRESS = "見本県見本市見本町1-1"
SAMPLE_COURT_PHONE = "048-000-0001"


def sample_municipality(municipality: Any) -> Any:
    """``municipality`` with the settings the papers need and the centre left empty
    filled with invented values (samples only; the papers themselves refuse them)."""
    from intake_app.domain.municipality import Municipality

    if not isinstance(municipality, Municipality):
        return municipality
    centre = municipality.centre
    if not centre.phone.strip():
        centre = dataclasses.replace(centre, phone=SAMPLE_PHONE)
    court = municipality.protection_order_court
    if court is not None:
        court = dataclasses.replace(
            court,
            address=court.address or SAMPLE_COURT_ADDRESS,
            phone=court.phone or SAMPLE_COURT_PHONE,
        )
    return dataclasses.replace(municipality, centre=centre, protection_order_court=court)


def sample_appointment(today: dt.date) -> dt.datetime:
    """The next appointment on the sample card: two weeks on, a weekday, 10:30."""
    day = today + dt.timedelta(days=14)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 30))


def sample_consent_referrals(municipality: Any, today: dt.date) -> list[Referral]:
    """Referrals the sample's consent explanation explains: a legal or welfare office,
    the police, and the mandatory child notification where the city has the office."""
    chosen: list[Referral] = []
    at = dt.datetime.combine(today, dt.time(10, 40))
    for kinds, purpose in (
        (("legal",), "離婚と養育費について、弁護士との相談を予約するため"),
        (("police",), "相手方からの連絡が続いているため、警察署の相談窓口と情報を共有するため"),
        (("welfare",), "当面の生活費について相談するため"),
    ):
        dest = next((d for d in municipality.destinations if d.kind in kinds), None)
        if dest is not None:
            chosen.append(
                Referral(
                    destination_id=dest.id,
                    purpose=purpose,
                    consent=True,
                    consent_method="verbal",
                    consent_at=at,
                )
            )
    child = next(
        (d for d in municipality.destinations if d.kind in ("child_department", "child_guidance")),
        None,
    )
    if child is not None:
        chosen.append(
            Referral(
                destination_id=child.id,
                purpose="子どもが暴力を目撃しているため（児童虐待防止法第6条の通告）",
                mandatory=True,
            )
        )
    return chosen


def render_client_papers(
    municipality: Any,
    today: dt.date,
    language: str | None = None,
    *,
    centre_reviews: Any = None,
) -> dict[str, bytes]:
    """The client's papers of the sample case in ``language`` (None: Japanese only),
    keyed by kind: protection-order advice, discreet card, くらしのメモ (neutral wording),
    the contacts page and the consent explanation."""
    from intake_app import documents
    from intake_app.domain.advice import advise

    municipality = sample_municipality(municipality)
    consultations = synthetic_case(today)
    case = consultations[-1]
    advice = advise(case, municipality, today)
    common = {"language": language, "centre_reviews": centre_reviews}
    return {
        "protection_order_advice": documents.protection_order_advice(
            case,
            municipality,
            today=today,
            result=advice.protection_order,
            state=advice.protection_order_state,
            consultations=consultations,
            **common,
        ),
        "protection_order_advice_discreet": documents.discreet_card(
            municipality, appointment=sample_appointment(today), **common
        ),
        "safety_plan": documents.safety_plan(case, municipality, today=today, **common),
        "contacts": documents.contacts(municipality, **common),
        "consent_explanation": documents.consent_explanation(
            case,
            municipality,
            today=today,
            referrals=sample_consent_referrals(municipality, today),
            **common,
        ),
    }


def render_all(
    municipality: Any,
    today: dt.date,
    languages: Sequence[str] = (),
    *,
    centre_reviews: Any = None,
) -> dict[str, bytes]:
    """One PDF of every kind (a referral slip per destination), keyed by a file name;
    for each code of ``languages`` the client's papers again as ``NAME.CODE.pdf``."""
    from intake_app import documents
    from intake_app.documents import _centre
    from intake_app.domain.advice import advise

    municipality = sample_municipality(municipality)
    consultations = synthetic_case(today)
    case = consultations[-1]
    advice = advise(case, municipality, today)
    out: dict[str, bytes] = {}
    for dest in _centre.destinations(municipality):
        ref = sample_referral(dest.id, list(dest.fields), today)
        out[f"referral_slip-{dest.id}.pdf"] = documents.referral_slip(
            case, municipality, ref, today=today, case_number="見本-0001"
        )
    out["shelter_request.pdf"] = documents.shelter_request(
        case,
        municipality,
        today=today,
        advice=advice.shelter,
        risk_level=advice.risk.final,
        case_number="見本-0001",
    )
    out["court_report.pdf"] = documents.court_report(
        consultations, municipality, today=today, court_case="見本"
    )
    out["support_measure_opinion.pdf"] = documents.support_measure_opinion(
        case, municipality, today=today, consultations=consultations
    )
    out["child_notification.pdf"] = documents.child_notification_record(
        case, municipality, today=today, advice=advice.child_notification
    )
    for kind, data in render_client_papers(
        municipality, today, centre_reviews=centre_reviews
    ).items():
        out[f"{kind}.pdf"] = data
    for code in languages:
        for kind, data in render_client_papers(
            municipality, today, code, centre_reviews=centre_reviews
        ).items():
            out[f"{kind}.{code}.pdf"] = data
    return out
