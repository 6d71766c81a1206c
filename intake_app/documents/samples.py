"""A synthetic case and one sample of every document kind: printer set-up and training.

Every name and number here is fictitious (見本 = sample). A setting the papers need that
the centre has not filled in yet (the centre's phone, address, head and 文書番号 format,
a destination's contact, the court's address) is filled with an invented value for the
samples only (``sample_municipality``), so a new installation can print them before its
settings are complete; the real papers refuse an empty setting. The samples' 文書番号
are 「見本第N号」: they take no number from the centre's register.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.domain.court import CourtRequest
from intake_app.domain.japanese import era_of
from intake_app.domain.model import (
    AddressProtection,
    Child,
    ChildNotification,
    Client,
    ConsultationInfo,
    Household,
    Intake,
    JointApplicant,
    Needs,
    ProtectionOrderInfo,
    Referral,
    Relationship,
    RiskAnswers,
    SafeContact,
    ShelterInfo,
    Violence,
)

SAMPLE_COUNSELOR = "見本　相談員"  # when the logged-in user has no 氏名 yet
SAMPLE_PHONE = "048-000-0000"
SAMPLE_ADDRESS = "見本県見本市見本町1-1"
SAMPLE_HEAD_TITLE = "センター長"
SAMPLE_HEAD_NAME = "見本　一郎"
SAMPLE_NUMBER_FORMAT = "見本第{n}号"
SAMPLE_CONTACT = "電話 048-000-0001（見本）"
SAMPLE_COURT_ADDRESS = "見本県見本市見本町2-2"
SAMPLE_COURT_PHONE = "048-000-0002"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def synthetic_case(today: dt.date, counselor: str = SAMPLE_COUNSELOR) -> list[Intake]:
    """Two consultations of one fictitious case, oldest first (phone, then a visit);
    ``counselor`` is the 氏名 of the counselor who took both."""
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
                lives_with_perpetrator=False,
                sex="female",
                date_of_birth=_years_before(today, 8) - dt.timedelta(days=40),
                abuser_relation="biological_father",
                whereabouts="母（相談者）と一緒に見本市内の知人宅に避難中",
            ),
            Child(
                name="見本　ゆうと",
                age=13,
                lives_with_client=False,
                school="見本中学校",
                witnessed_violence=True,
                directly_harmed=True,
                lives_with_perpetrator=True,
                sex="male",
                date_of_birth=_years_before(today, 13) - dt.timedelta(days=100),
                abuser_relation="stepfather",
                whereabouts="加害者の自宅（見本市見本町4-5-6）",
            ),
        ],
        relatives_at_risk=False,
        child_notification=ChildNotification(
            notified_to="子ども未来課",
            notified_at=dt.datetime.combine(today, dt.time(11, 30)),
            method="電話",
            note="長男は加害者宅に残っているため、本日中の安全確認を依頼",
            received_by="子ども未来課　見本　次郎",
        ),
    )
    relationship = Relationship(
        type="legal_spouse",
        living_together=False,
        separated_on=today - dt.timedelta(days=3),
        violence_continued_after_separation=True,
        perpetrator_name="見本　太郎",
        perpetrator_kana="みほん　たろう",
        perpetrator_date_of_birth=dt.date(1986, 7, 15),
        perpetrator_address="見本県見本市見本町4-5-6",
        perpetrator_weapons="自宅の包丁を持ち出して脅したことがある（銃の所持は確認できていない）",
        perpetrator_vehicle="白の軽自動車（見本 580 あ 12-34）",
    )
    violence = Violence(
        types={"physical": "repeated", "psychological": "repeated", "economic": "once_or_twice"},
        threats=["life", "body"],
        latest_incident_on=today - dt.timedelta(days=4),
        latest_incident="自宅で口論になり、腕をつかんで壁に押し付けられ「殺すぞ」と言われた",
        injuries="左腕の打撲",
        treatment="見本市内の病院で受診（診断書あり）",
        police_involvement="見本警察署に相談済み（被害届は出していない）",
    )
    phone_call = Intake(
        consultation=ConsultationInfo(
            started_at=dt.datetime.combine(first_day, dt.time(10, 0)),
            channel="phone",
            consulter="self",
            counselor=counselor,
            content="夫からの暴力と、子どもの前での暴言について電話で相談",
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
        counselor=counselor,
        place="当センター相談室",
        content=(
            "3日前に自宅で腕をつかまれ壁に押し付けられ、「殺すぞ」と言われたため、"
            "長女を連れて知人宅に避難した。長男は自宅に残っている。今後の安全と生活について相談"
        ),
        measures="安全の確認、保護命令制度の説明、一時保護の調整、子ども未来課への通告",
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
        actions_taken="安全の確認、保護命令制度の説明、長男について子ども未来課へ通告",
        whereabouts_confirmed=True,
        transport="staff_escort",
        transport_note="当センター職員2名が公用車で同行、15時ごろ出発予定",
        health="高血圧で通院中。左腕に打撲（本日受診済み）",
        medication="降圧剤（1日1回、朝）を3日分所持",
        money="約2万円",
        insurance="employee_dependant",
        insurance_card=False,
    )
    visit.needs = Needs(
        categories=["housing", "economic", "children"],
        note="避難先の住まいと当面の生活費、長女の転校について相談したい",
    )
    visit.address = AddressProtection(
        support_measure_applied=True,
        applied_on=today,
        joint_applicants=[JointApplicant(child_index=0)],
        do_not_disclose=True,
        counter_note="加害者から問い合わせがあっても、相談の有無を含め答えない",
    )
    return [phone_call, visit]


def sample_referral(destination_id: str, fields: list[str], today: dt.date) -> Referral:
    return Referral(
        destination_id=destination_id,
        purpose="見本の連絡票です（プリンターの確認・研修用。架空の事例です）",
        fields=fields,
        consent=True,
        consent_method="verbal",
        consent_at=dt.datetime.combine(today, dt.time(10, 45)),
    )


def sample_municipality(municipality: Any) -> Any:
    """``municipality`` with every setting the papers need and the centre left empty
    filled with an invented value (samples only; the real papers refuse them): the
    centre's phone, address, head and 文書番号 format, each destination's contact, the
    court's address and phone."""
    from intake_app.domain.municipality import Municipality

    if not isinstance(municipality, Municipality):
        return municipality
    c = municipality.centre
    centre = dataclasses.replace(
        c,
        phone=c.phone or SAMPLE_PHONE,
        address=c.address or SAMPLE_ADDRESS,
        head_title=c.head_title or SAMPLE_HEAD_TITLE,
        head_name=c.head_name or SAMPLE_HEAD_NAME,
        document_number_format=c.document_number_format or SAMPLE_NUMBER_FORMAT,
    )
    destinations = tuple(
        dataclasses.replace(d, contact=d.contact or SAMPLE_CONTACT)
        for d in municipality.destinations
    )
    court = municipality.protection_order_court
    if court is not None:
        court = dataclasses.replace(
            court,
            address=court.address or SAMPLE_COURT_ADDRESS,
            phone=court.phone or SAMPLE_COURT_PHONE,
        )
    return dataclasses.replace(
        municipality, centre=centre, destinations=destinations, protection_order_court=court
    )


def sample_court_request(municipality: Any, today: dt.date) -> CourtRequest:
    """An invented §14② request from the settings' court, dated a week before."""
    court = getattr(municipality, "protection_order_court", None)
    era, year = era_of(today)
    return CourtRequest(
        court=court.name if court is not None else "見本地方裁判所",
        division="民事第4部",
        case_number=f"{era}{year}年（配チ）第123号",
        requested_on=today - dt.timedelta(days=7),
        received_on=today - dt.timedelta(days=5),
    )


class SampleNumbers:
    """「見本第1号」, 「見本第2号」 …: the samples take nothing from the register."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"見本第{self.count}号"


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


def sample_year_stats(municipality: Any, today: dt.date) -> Any:
    """An invented fiscal year of a small centre (the last complete one): about 110
    consultations, a few men, rare kinds and destinations, so the sample report shows
    its suppression marks and a 「非公開」 bar."""
    import random

    from intake_app.domain.japanese import fiscal_year
    from intake_app.domain.model import LABELS, UNKNOWN_LABEL
    from intake_app.domain.statistics.figures import UNKNOWN, Row, Table, YearCount, YearStats

    rng = random.Random(2025)  # noqa: S311 - invented figures, not secrets
    fy = fiscal_year(today) - 1
    monthly = [rng.randint(7, 11) for _ in range(12)]

    def split(weights: dict[str, float]) -> dict[str, tuple[int, ...]]:
        """Each month's consultations spread over the keys by weight (exclusive)."""
        keys = list(weights)
        out = {k: [0] * 12 for k in keys}
        for m, n in enumerate(monthly):
            for k in rng.choices(keys, weights=list(weights.values()), k=n):
                out[k][m] += 1
        return {k: tuple(v) for k, v in out.items()}

    def exclusive(key: str, title: str, label_key: str, weights: dict[str, float]) -> Table:
        counts = split(weights)
        rows = [Row(k, v, counts.get(k, (0,) * 12)) for k, v in LABELS[label_key].items()]
        rows.append(Row(UNKNOWN, UNKNOWN_LABEL, counts.get(UNKNOWN, (0,) * 12)))
        return Table(key, title, tuple(rows), True)

    def some(share: float) -> tuple[int, ...]:
        return tuple(sum(rng.random() < share for _ in range(n)) for n in monthly)

    kind = exclusive(
        "kind",
        "相談種別（DV相談・その他の困難相談）",
        "kind",
        {"dv": 0.75, "kokoro": 0.15, "other_difficulty": 0.1},
    )
    tables = (
        Table("total", "相談件数（のべ）", (Row("all", "総数", tuple(monthly)),), False),
        kind,
        exclusive(
            "channel",
            "相談方法別",
            "channel",
            {"visit": 0.35, "phone": 0.45, "mail": 0.1, "sns": 0.06, "accompanied": 0.04},
        ),
        exclusive(
            "relationship",
            "加害者との関係別",
            "relationship",
            {k: (8.0 if i == 0 else 1.0) for i, k in enumerate(LABELS["relationship"])},
        ),
        exclusive(
            "age_group",
            "年齢層別",
            "age_group",
            {k: 1.0 + (3 if 1 <= i <= 4 else 0) for i, k in enumerate(LABELS["age_group"])},
        ),
        exclusive("gender", "性別", "gender", {"female": 0.97, "male": 0.03}),
        Table(
            "violence",
            "暴力の種類別（複数回答）",
            tuple(
                Row(k, v, some(0.9 if i < 2 else 0.2))
                for i, (k, v) in enumerate(LABELS["violence"].items())
            ),
            False,
            note="1件の相談に複数の種類があるため、合計は相談件数と一致しません。",
        ),
        Table(
            "shelter",
            "一時保護",
            (
                Row("recommended", "一時保護を勧めた", some(0.2)),
                Row("requested", "一時保護を要請した", some(0.03)),
            ),
            False,
        ),
        Table(
            "emergency_stay",
            "緊急一時避難（男性の相談者）",
            (
                Row("men_recommended", "緊急一時避難を勧めた", some(0.005)),
                Row("men_requested", "緊急一時避難につないだ", some(0.002)),
            ),
            False,
        ),
        Table(
            "referral",
            "つなぎ先別（複数回答）",
            tuple(
                Row(d.id, d.name, some(0.25 if i < 3 else 0.04))
                for i, d in enumerate(municipality.destinations)
            ),
            False,
            note="1件の相談から複数の機関につなぐことがあります。",
        ),
    )
    dv, kokoro = kind.row("dv").total, kind.row("kokoro").total
    earlier = [YearCount(fy - 4 + i, 70 + 3 * i, 20 - i, 4 + i % 2) for i in range(4)]
    series = (*earlier, YearCount(fy, dv, kokoro, sum(monthly) - dv - kokoro))
    return YearStats(fy, tables, series)


def render_all(
    municipality: Any,
    today: dt.date,
    languages: Sequence[str] = (),
    *,
    centre_reviews: Any = None,
    counselor: str = SAMPLE_COUNSELOR,
) -> dict[str, bytes]:
    """One PDF of every kind (a referral slip per destination), keyed by a file name;
    for each code of ``languages`` the client's papers again as ``NAME.CODE.pdf``.
    ``counselor``: the 氏名 printed as the sample case's counselor (the logged-in user's
    display name; never a login name)."""
    from intake_app import documents
    from intake_app.documents import _centre
    from intake_app.domain.advice import advise

    municipality = sample_municipality(municipality)
    counselor = counselor.strip() or SAMPLE_COUNSELOR
    official: dict[str, Any] = {"document_number": SampleNumbers(), "counselor": counselor}
    consultations = synthetic_case(today, counselor)
    case = consultations[-1]
    advice = advise(case, municipality, today)
    out: dict[str, bytes] = {}
    for dest in _centre.destinations(municipality):
        ref = sample_referral(dest.id, list(dest.fields), today)
        ref.mandatory = not dest.consent_required  # the child notification's slip
        out[f"referral_slip-{dest.id}.pdf"] = documents.referral_slip(
            case, municipality, ref, today=today, case_number="見本-0001", **official
        )
    out["shelter_request.pdf"] = documents.shelter_request(
        case,
        municipality,
        today=today,
        advice=advice.shelter,
        risk=advice.risk,
        case_number="見本-0001",
        **official,
    )
    out["court_report.pdf"] = documents.court_report(
        consultations,
        municipality,
        today=today,
        request=sample_court_request(municipality, today),
        **official,
    )
    out["support_measure_opinion.pdf"] = documents.support_measure_opinion(
        case, municipality, today=today, consultations=consultations, **official
    )
    out["child_notification.pdf"] = documents.child_notification_record(
        case, municipality, today=today, advice=advice.child_notification, **official
    )
    from intake_app.documents.stats_report import render_stats_report
    from intake_app.domain.statistics.publication import publish

    out["stats_report.pdf"] = render_stats_report(
        publish(sample_year_stats(municipality, today)),
        centre=municipality.centre.name,
        created_on=today,
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
