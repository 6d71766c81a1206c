"""Synthetic consultations for training vaults, tests and benchmarks.

Every person here is invented: surnames from the ten most common Japanese
surnames, common given names, made-up addresses and 090 numbers. The mix
(channels, relationships, violence types, children, risk answers, referrals)
is plausible for a city centre, not a statistic of any real one.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from intake_app.domain.model import (
    CURRENT_CHECKLIST_VERSION,
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
    SafetyCheck,
    ShelterInfo,
    Violence,
)
from intake_app.domain.municipality import (
    CHILD_NOTIFICATION_KINDS,
    Destination,
    Municipality,
    load_municipality,
)
from intake_app.domain.rules import child as child_rule
from intake_app.domain.rules.risk import load_checklist

SURNAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
)
FEMALE_NAMES: tuple[tuple[str, str], ...] = (
    ("花子", "ハナコ"),
    ("陽子", "ヨウコ"),
    ("美咲", "ミサキ"),
    ("由美", "ユミ"),
    ("恵子", "ケイコ"),
    ("さくら", "サクラ"),
    ("愛", "アイ"),
    ("真由美", "マユミ"),
    ("直美", "ナオミ"),
    ("千尋", "チヒロ"),
    ("結衣", "ユイ"),
    ("久美子", "クミコ"),
)
MALE_NAMES: tuple[tuple[str, str], ...] = (
    ("太郎", "タロウ"),
    ("健一", "ケンイチ"),
    ("大輔", "ダイスケ"),
    ("誠", "マコト"),
    ("翔太", "ショウタ"),
    ("浩二", "コウジ"),
)
TOWNS = ("中央", "塚越", "北町", "南町", "錦町")
CHANNELS = (("phone", 45), ("visit", 35), ("mail", 8), ("sns", 5), ("accompanied", 5), ("other", 2))
KINDS = (("dv", 70), ("kokoro", 20), ("other_difficulty", 10))
CONSULTERS = (("self", 80), ("relative", 10), ("acquaintance", 4), ("agency", 6))
RELATIONSHIPS = (
    ("legal_spouse", 55),
    ("common_law_spouse", 5),
    ("cohabiting_partner", 6),
    ("non_cohabiting_partner", 6),
    ("former_legal_spouse", 15),
    ("former_common_law_spouse", 2),
    ("former_cohabiting_partner", 3),
    ("family_member", 6),
    ("other", 2),
)
AGE_GROUPS = (
    ("under_20", 3),
    ("20s", 15),
    ("30s", 28),
    ("40s", 27),
    ("50s", 15),
    ("60s", 8),
    ("70_and_over", 4),
)
VIOLENCE = (
    ("psychological", 0.85),
    ("physical", 0.5),
    ("economic", 0.3),
    ("social", 0.25),
    ("sexual", 0.15),
    ("using_children", 0.15),
)
THREATS = ("life", "body", "freedom", "honour", "property")
NEEDS = ("economic", "housing", "employment", "health", "mental", "family", "children", "legal")
# The items of the checklist new assessments use (risk-v2 has R01-R19), read from it.
RISK_IDS = tuple(item.id for item in load_checklist(CURRENT_CHECKLIST_VERSION).items)
# Those risk-v1 already had are drawn as before, the newer ones from a second generator, so a
# given seed still makes the same consultations, counts and case numbers.
_FIRST_IDS = tuple(item.id for item in load_checklist("risk-v1").items if item.id in RISK_IDS)
_NEWER_IDS = tuple(i for i in RISK_IDS if i not in _FIRST_IDS)


def _risk_answers(rng: random.Random, newer: random.Random, rate: float) -> dict[str, bool]:
    answers = {rid: (rng.random() < rate) for rid in _FIRST_IDS}
    answers.update({rid: (newer.random() < rate) for rid in _NEWER_IDS})
    return {rid: answers[rid] for rid in RISK_IDS}


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass(frozen=True)
class SyntheticConsultation:
    """One generated intake; ``follow_up_of`` is the index of an earlier item of the
    same case (so its ``case_id`` is known once that item is saved), or None."""

    index: int
    intake: Intake
    follow_up_of: int | None


@dataclass(frozen=True)
class _Places:
    """What the generator takes from the municipality file: names and destination ids."""

    city: str
    consented: tuple[Destination, ...]  # destinations a client may consent to
    child: Destination  # where a child who witnessed violence is notified
    fields: dict[str, tuple[str, ...]]  # destination id -> the fields a referral shares

    @staticmethod
    def of(municipality: Municipality) -> _Places:
        child = municipality.of_kind(*CHILD_NOTIFICATION_KINDS)[0]
        consented = tuple(d for d in municipality.destinations if d.consent_required)
        return _Places(
            city=municipality.name,
            consented=consented or (child,),
            child=child,
            fields={d.id: _contact_fields(d) for d in municipality.destinations},
        )


def _contact_fields(dest: Destination) -> tuple[str, ...]:
    """The destination's whitelisted name and phone fields (what a referral usually shares)."""
    wanted = ("client.name", "client.kana", "client.safe_contact.phone")
    chosen = tuple(f for f in dest.fields if f in wanted)
    return chosen or dest.fields[:2]


def fiscal_year_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def generate(
    count: int,
    *,
    seed: int = 1,
    first_fiscal_year: int | None = None,
    years: int = 5,
    follow_up_rate: float = 0.3,
    min_gap: int = 1000,
    municipality: Municipality | None = None,
) -> Iterator[SyntheticConsultation]:
    """``count`` consultations in date order across ``years`` fiscal years.

    Referral destinations (ids, the child notification's destination) and the city
    name come from ``municipality`` (default: the bundled warabi file), so every
    referral names a destination of that city's file.

    A follow-up refers to an item at least ``min_gap`` positions earlier, so a
    writer that saves in batches of up to ``min_gap`` items has saved it already.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    newer = random.Random(-seed)  # noqa: S311 - the answers to the checklist's newer items
    city = municipality if municipality is not None else load_municipality()
    places = _Places.of(city)
    # 通報 and 主訴 (rules.md §10) from a stream of their own: the other fields stay as
    # they were for a given seed
    official = random.Random(seed * 7919 + 3)  # noqa: S311 - reproducible fake data
    if first_fiscal_year is None:
        today = dt.date.today()
        current = today.year if today.month >= 4 else today.year - 1
        first_fiscal_year = current - years + 1
    start = fiscal_year_start(first_fiscal_year)
    end = min(fiscal_year_start(first_fiscal_year + years), dt.date.today())
    span_days = max(1, (end - start).days)
    new_cases: list[int] = []
    latest: dict[int, Intake] = {}
    for i in range(count):
        day = start + dt.timedelta(days=(i * span_days) // max(count, 1))
        started = dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.choice((0, 30))))
        root: int | None = None
        ready = _first_at_gap(new_cases, i - min_gap)
        if ready > 0 and rng.random() < follow_up_rate:
            root = new_cases[rng.randrange(max(0, ready - 200), ready)]
        if root is None:
            intake = _new_intake(rng, started, places, newer)
            _official_fields(official, intake, city, first=True)
            new_cases.append(i)
            latest[i] = intake
            yield SyntheticConsultation(index=i, intake=intake, follow_up_of=None)
        else:
            intake = _follow_up(rng, latest[root], started, places, newer)
            _official_fields(official, intake, city, first=False)
            latest[root] = intake
            yield SyntheticConsultation(index=i, intake=intake, follow_up_of=root)
        if len(new_cases) > 6000:  # keep memory flat for a million rows
            for key in new_cases[:1000]:
                del latest[key]
            del new_cases[:1000]


def _official_fields(
    rng: random.Random, intake: Intake, city: Municipality, *, first: bool
) -> None:
    """The consultation's 主訴 and, for a first contact by someone else, at times a 通報."""
    returns = city.official_returns
    complaints = [c.id for c in returns.main_complaints]
    sources = [c.id for c in returns.report_sources]
    c = intake.consultation
    relationship = intake.relationship.type or ""
    if c.kind == "dv" and "spouse" in relationship and "spouse" in complaints:
        c.main_complaint = "spouse"
    elif c.kind == "dv" and "partner" in relationship and "partner" in complaints:
        c.main_complaint = "partner"
    elif complaints and rng.random() < 0.95:
        c.main_complaint = rng.choice(complaints)
    else:
        c.main_complaint = None  # not recorded
    c.report_source = None
    if first and sources and c.consulter not in (None, "self") and rng.random() < 0.4:
        c.report_source = rng.choice(sources)


def _first_at_gap(new_cases: list[int], limit: int) -> int:
    """How many of ``new_cases`` (ascending) are ≤ ``limit``."""
    lo, hi = 0, len(new_cases)
    while lo < hi:
        mid = (lo + hi) // 2
        if new_cases[mid] <= limit:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _new_intake(
    rng: random.Random, started: dt.datetime, places: _Places, newer: random.Random
) -> Intake:
    gender = "male" if rng.random() < 0.06 else "female"
    surname, surname_kana = rng.choice(SURNAMES)
    given, given_kana = rng.choice(MALE_NAMES if gender == "male" else FEMALE_NAMES)
    anonymous = rng.random() < 0.05
    aliases = []
    if not anonymous and rng.random() < 0.2:
        aliases.append(rng.choice(SURNAMES)[0])
    p_surname, p_kana = (surname, surname_kana) if rng.random() < 0.7 else rng.choice(SURNAMES)
    p_given, p_given_kana = rng.choice(FEMALE_NAMES if gender == "male" else MALE_NAMES)
    relationship = _pick(rng, RELATIONSHIPS)
    types = {
        t: ("repeated" if rng.random() < 0.6 else "once_or_twice")
        for t, p in VIOLENCE
        if rng.random() < p
    }
    children = [
        Child(
            name=f"{given_kana[:1]}子{k}",
            age=rng.randrange(0, 18),
            lives_with_client=rng.random() < 0.85,
            school=rng.choice(("", "保育園", "小学校", "中学校")),
            witnessed_violence=rng.random() < 0.5,
            directly_harmed=rng.random() < 0.1,
        )
        for k in range(rng.choices((0, 1, 2, 3), weights=(45, 30, 20, 5))[0])
    ]
    notified = any(c.witnessed_violence or c.directly_harmed for c in children)
    answers = _risk_answers(rng, newer, 0.25)
    support = rng.random() < 0.08
    referrals = []
    for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
        dest = rng.choice(places.consented)
        referrals.append(
            Referral(
                destination_id=dest.id,
                purpose="支援の依頼",
                fields=list(places.fields[dest.id]),
                consent=True,
                consent_method="verbal",
                consent_at=started,
            )
        )
    if notified:
        referrals.append(
            Referral(destination_id=places.child.id, purpose="面前DVの通告", mandatory=True)
        )
    intake = Intake(
        safety=SafetyCheck(safe_now=rng.random() < 0.9, perpetrator_nearby=False),
        consultation=ConsultationInfo(
            kind=_pick(rng, KINDS),  # type: ignore[arg-type]
            started_at=started,
            channel=_pick(rng, CHANNELS),  # type: ignore[arg-type]
            consulter=_pick(rng, CONSULTERS),  # type: ignore[arg-type]
            counselor="相談員",
            place="相談室",
            content="生活と安全についての相談",
        ),
        client=Client(
            anonymous=anonymous,
            name="" if anonymous else f"{surname} {given}",
            kana="" if anonymous else f"{surname_kana} {given_kana}",
            aliases=aliases,
            age_group=_pick(rng, AGE_GROUPS),  # type: ignore[arg-type]
            gender=gender,  # type: ignore[arg-type]
            safe_contact=SafeContact(
                may_call=rng.random() < 0.6,
                phone=f"090-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}",
            ),
            address=f"{places.city}{rng.choice(TOWNS)}{rng.randrange(1, 8)}-{rng.randrange(1, 30)}",
            fled=rng.random() < 0.15,
        ),
        household=Household(
            children=children,
            relatives_at_risk=rng.random() < 0.1,
            child_notification=(
                ChildNotification(notified_to=places.child.name, notified_at=started, method="電話")
                if notified
                else None
            ),
        ),
        relationship=Relationship(
            type=relationship,  # type: ignore[arg-type]
            living_together=rng.random() < 0.6,
            violence_continued_after_separation=rng.random() < 0.5,
            perpetrator_name=f"{p_surname} {p_given}",
            perpetrator_kana=f"{p_kana} {p_given_kana}",
        ),
        violence=Violence(
            types=types,  # type: ignore[arg-type]
            threats=[t for t in THREATS if rng.random() < 0.12],  # type: ignore[misc]
            stalking=rng.random() < 0.1,
        ),
        risk=RiskAnswers(answers=answers),  # type: ignore[arg-type]
        shelter=ShelterInfo(
            safe_place_tonight=rng.random() < 0.85,
            client_wish=rng.choice(("wishes", "does_not_wish", "undecided")),
            requested=rng.random() < 0.04,
        ),
        protection_order=ProtectionOrderInfo(
            serious_harm_to_life_or_mind_likely=rng.random() < 0.3,
            client_intention=rng.choice(("apply", "considering", "not_now")),
        ),
        needs=Needs(categories=rng.sample(NEEDS, rng.randrange(0, 3))),  # type: ignore[arg-type]
        referrals=referrals,
        address=AddressProtection(
            support_measure_applied=support,
            applied_on=started.date() if support else None,
            # rules.md §9.11: the city tells the client some days later (never after today)
            notified_on=(
                min(started.date() + dt.timedelta(days=started.day % 14), dt.date.today())
                if support
                else None
            ),
            joint_applicants=(
                [
                    JointApplicant(child_index=k)
                    for k, c in enumerate(children)
                    if c.lives_with_client
                ]
                if support
                else []
            ),
            do_not_disclose=support or rng.random() < 0.05,
        ),
    )
    return _notify_where_required(intake, started, places)


def _notify_where_required(intake: Intake, started: dt.datetime, places: _Places) -> Intake:
    """Record the mandatory child notification (児童虐待防止法第6条) and its referral
    wherever the rules require one (also for violence using children or a threat to
    them, R10), as a counselor must before saving."""
    if intake.household.child_notification is None and child_rule.notification(intake).required:
        intake.household.child_notification = ChildNotification(
            notified_to=places.child.name, notified_at=started, method="電話"
        )
    if intake.household.child_notification is not None and not any(
        r.mandatory for r in intake.referrals
    ):
        intake.referrals.append(
            Referral(destination_id=places.child.id, purpose="児童に関する通告", mandatory=True)
        )
    return intake


def _follow_up(
    rng: random.Random,
    previous: Intake,
    started: dt.datetime,
    places: _Places,
    newer: random.Random,
) -> Intake:
    """A later consultation of the same case: same people, new date, risk re-assessed."""
    intake = copy.deepcopy(previous)
    intake.consultation.started_at = started
    intake.consultation.channel = _pick(rng, CHANNELS)  # type: ignore[assignment]
    intake.risk.answers = _risk_answers(rng, newer, 0.2)  # type: ignore[assignment]
    intake.referrals = [r for r in intake.referrals if r.mandatory][:1]
    intake.household.child_notification = (
        intake.household.child_notification if intake.referrals else None
    )
    intake.address.support_measure_applied = False
    intake.address.applied_on = None
    intake.address.notified_on = None
    intake.address.joint_applicants = []
    return _notify_where_required(intake, started, places)
