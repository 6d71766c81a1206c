"""A synthetic case and one sample of every document kind: printer set-up and training.

Every name and number here is fictitious (見本 = sample).
"""

from __future__ import annotations

import datetime as dt
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


def render_all(municipality: Any, today: dt.date) -> dict[str, bytes]:
    """One PDF of every kind (a referral slip per destination), keyed by a file name."""
    from intake_app import documents
    from intake_app.documents import _centre
    from intake_app.domain.advice import advise

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
    for name, discreet in (
        ("protection_order_advice", False),
        ("protection_order_advice_discreet", True),
    ):
        out[f"{name}.pdf"] = documents.protection_order_advice(
            case,
            municipality,
            today=today,
            result=advice.protection_order,
            consultations=consultations,
            discreet=discreet,
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
    out["safety_plan.pdf"] = documents.safety_plan(case, municipality, today=today)
    return out
