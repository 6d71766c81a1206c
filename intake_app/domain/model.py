"""What one intake records: plain dataclasses, no Qt, no SQL.

``None`` on an optional answer means 不明・回答なし (the client did not answer or
the counselor does not know); every question the wizard asks allows it. Codes
and their Japanese labels live in ``codes.py``. What may be saved is decided by
``validation.validate_intake``; this module only describes the shape.

``Intake.to_dict()`` / ``Intake.from_dict()`` give the JSON form that the vault
stores (drafts and saved consultations alike).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

# The code lists live in codes.py; they are re-exported here because every intake
# part is typed with them and most callers read both from this module.
from intake_app.domain.codes import LABELS as LABELS
from intake_app.domain.codes import LEVEL_ORDER as LEVEL_ORDER
from intake_app.domain.codes import REFERRAL_FIELDS as REFERRAL_FIELDS
from intake_app.domain.codes import UNKNOWN_LABEL as UNKNOWN_LABEL
from intake_app.domain.codes import AbuserRelation as AbuserRelation
from intake_app.domain.codes import AgeGroup as AgeGroup
from intake_app.domain.codes import Channel as Channel
from intake_app.domain.codes import ConsentMethod as ConsentMethod
from intake_app.domain.codes import ConsultationKind as ConsultationKind
from intake_app.domain.codes import Consulter as Consulter
from intake_app.domain.codes import Frequency as Frequency
from intake_app.domain.codes import Gender as Gender
from intake_app.domain.codes import Insurance as Insurance
from intake_app.domain.codes import Level as Level
from intake_app.domain.codes import NeedCategory as NeedCategory
from intake_app.domain.codes import POIntention as POIntention
from intake_app.domain.codes import RelationshipType as RelationshipType
from intake_app.domain.codes import ShelterWish as ShelterWish
from intake_app.domain.codes import Threat as Threat
from intake_app.domain.codes import Transport as Transport
from intake_app.domain.codes import ViolenceType as ViolenceType
from intake_app.domain.codes import current_field_ids

# The checklist new assessments use (rules.md §9.7); stored ones keep their own version.
CURRENT_CHECKLIST_VERSION = "risk-v2"

# --- the steps of an intake ----------------------------------------------------------


@dataclass
class SafetyCheck:
    """Step 0, 安全確認. ``None`` = not yet asked / unknown."""

    safe_now: bool | None = None
    perpetrator_nearby: bool | None = None
    injury_needs_care: bool | None = None
    children_safe_now: bool | None = None
    actions_taken: list[str] = field(default_factory=list)  # e.g. "110番通報", "安全な部屋へ"


@dataclass
class ConsultationInfo:
    """Step 1."""

    kind: ConsultationKind = "dv"
    started_at: dt.datetime | None = None
    channel: Channel | None = None
    consulter: Consulter | None = None
    counselor: str = ""
    place: str = ""  # where the consultation took place (for the §14 report)
    language: str = "日本語"
    interpreter: bool | None = None
    consulted_elsewhere: str = ""
    content: str = ""  # what was discussed (§14 report: 相談内容)
    measures: str = ""  # measures taken (§14 report: 講じた措置)
    # The official return (rules.md §10), ids of the settings' official_returns lists:
    # who reported under 配偶者暴力防止法第6条 (None: not a 通報) and the one 主訴.
    report_source: str | None = None
    main_complaint: str | None = None


@dataclass
class SafeContact:
    may_call: bool | None = None
    may_leave_message: bool | None = None
    may_mail: bool | None = None
    safe_times: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Client:
    """Step 2. ``anonymous`` consultations keep the name empty."""

    anonymous: bool = False
    name: str = ""
    kana: str = ""
    aliases: list[str] = field(default_factory=list)  # 旧姓・通称
    date_of_birth: dt.date | None = None
    age_group: AgeGroup | None = None
    gender: Gender | None = None
    nationality: str = ""
    disability: bool | None = None
    pregnant: bool | None = None
    safe_contact: SafeContact = field(default_factory=SafeContact)
    address: str = ""  # sensitive
    fled: bool | None = None
    current_whereabouts: str = ""  # never shown in lists, never on a slip unless confirmed


@dataclass
class Child:
    name: str = ""
    age: int | None = None
    lives_with_client: bool | None = None
    school: str = ""  # school or nursery
    witnessed_violence: bool | None = None
    directly_harmed: bool | None = None
    # The child stays with the perpetrator (e.g. the mother fled alone): rules.md §9.10.
    lives_with_perpetrator: bool | None = None
    # For the child notification and the 一時保護 request (issue 17):
    sex: Gender | None = None  # 男・女 (LABELS["child_sex"])
    date_of_birth: dt.date | None = None
    abuser_relation: AbuserRelation | None = None  # who the perpetrator is to this child
    whereabouts: str = ""  # where the child is now (the notification names it)


@dataclass
class ChildNotification:
    """The recorded mandatory notification (児童虐待防止法 §6)."""

    notified_to: str = ""  # e.g. 子ども未来課, 児童相談所
    notified_at: dt.datetime | None = None
    method: str = ""  # 電話, 書面, 来所
    note: str = ""
    received_by: str = ""  # who took the notification there (受理者)


@dataclass
class Household:
    """Step 3."""

    children: list[Child] = field(default_factory=list)
    relatives_at_risk: bool | None = None
    relatives_note: str = ""
    child_notification: ChildNotification | None = None


@dataclass
class Relationship:
    """Step 4 (first half)."""

    type: RelationshipType | None = None
    living_together: bool | None = None
    separated_on: dt.date | None = None
    violence_continued_after_separation: bool | None = None
    # A former partner: the violence or threats happened while the relationship lasted
    # (配偶者暴力防止法第10条第1項; rules.md §9.1).
    violence_during_relationship: bool | None = None
    perpetrator_name: str = ""
    perpetrator_kana: str = ""
    # The perpetrator as the official papers describe him (issue 17; all optional): the
    # police slip, the 一時保護 request, the 支援措置 opinion and the child notification.
    perpetrator_date_of_birth: dt.date | None = None
    perpetrator_age: int | None = None  # when the date of birth is not known
    perpetrator_address: str = ""
    perpetrator_weapons: str = ""  # weapons he has or can get (凶器・銃刀類)
    perpetrator_vehicle: str = ""  # 車種・色・ナンバー


@dataclass
class Violence:
    """Step 4 (second half). ``types`` holds what happened (the statistics read only
    it); ``absent`` the types the client said did not happen; a type in neither is
    不明・回答なし. A type may not be in both (validation.py)."""

    types: dict[ViolenceType, Frequency] = field(default_factory=dict)
    absent: list[ViolenceType] = field(default_factory=list)
    threats: list[Threat] = field(default_factory=list)
    latest_incident_on: dt.date | None = None
    latest_incident: str = ""
    injuries: str = ""
    treatment: str = ""
    police_involvement: str = ""
    stalking: bool | None = None
    location_tracking: bool | None = None  # GPS, 紛失防止タグ


@dataclass
class RiskAnswers:
    """Step 5. ``answers`` maps checklist ids (R01…) to yes/no/None(unknown)."""

    checklist_version: str = CURRENT_CHECKLIST_VERSION
    answers: dict[str, bool | None] = field(default_factory=dict)
    judgement: Level | None = None
    judgement_reason: str | None = None


@dataclass
class ShelterInfo:
    """Step 6, 一時保護."""

    safe_place_tonight: bool | None = None
    client_wish: ShelterWish | None = None
    requested: bool = False  # a request was made to the prefectural centre
    accompanying_children: list[int] = field(default_factory=list)  # indexes into children
    actions_taken: str = ""
    # What the request to the prefectural centre says (issue 17): her whereabouts only
    # when the counselor confirms them for the request, how she will be moved, and what
    # the shelter must know of her health, money and insurance.
    whereabouts_confirmed: bool = False
    transport: Transport | None = None
    transport_note: str = ""  # e.g. 蕨警察署の車両で移送、15時に出発
    health: str = ""  # 健康状態・持病・通院
    medication: str = ""  # 服薬
    money: str = ""  # 所持金 (e.g. 約2万円)
    insurance: Insurance | None = None
    insurance_card: bool | None = None  # she has her insurance card with her


@dataclass
class ProtectionOrderInfo:
    """Step 7, 保護命令: the counselor's judgements the rules cannot compute."""

    serious_harm_to_life_or_mind_likely: bool | None = None
    serious_harm_to_life_or_body_likely: bool | None = None
    client_sole_owner_or_tenant: bool | None = None
    client_intention: POIntention | None = None
    # An earlier in-person consultation at the centre or the police (rules.md §2.4): a
    # phone follow-up in a case with an earlier visit still has its prior consultation.
    earlier_in_person: bool | None = None
    other_routes_note: str = ""


@dataclass
class Referral:
    """Step 8: one destination, the fields disclosed and the client's consent."""

    destination_id: str = ""
    purpose: str = ""
    fields: list[str] = field(default_factory=list)
    consent: bool = False
    consent_method: ConsentMethod | None = None
    consent_at: dt.datetime | None = None
    mandatory: bool = False  # the child notification: no consent needed (rules.md §6)
    whereabouts_confirmed: bool = False  # counselor confirmed disclosing the whereabouts

    def __post_init__(self) -> None:
        # a referral saved before the children's whitelist ids were split (issue 17)
        self.fields = current_field_ids(self.fields)


@dataclass
class Needs:
    categories: list[NeedCategory] = field(default_factory=list)
    note: str = ""


@dataclass
class JointApplicant:
    """併せて支援を求める者 (rules.md §9.12): a child of ``household.children`` by index,
    or another person by name."""

    child_index: int | None = None
    name: str = ""


@dataclass
class AddressProtection:
    """Step 9: 支援措置 and the do-not-disclose flag. Which date starts the year is the
    municipality's ``support_measure_starts_on`` (rules.md §9.11)."""

    support_measure_applied: bool = False
    applied_on: dt.date | None = None  # 申出日 (the application accepted)
    notified_on: dt.date | None = None  # 確認結果の連絡日 (the municipality told the client)
    joint_applicants: list[JointApplicant] = field(default_factory=list)
    do_not_disclose: bool = False  # 追及注意
    counter_note: str = ""


@dataclass
class Intake:
    """One consultation as the wizard collects it."""

    safety: SafetyCheck = field(default_factory=SafetyCheck)
    consultation: ConsultationInfo = field(default_factory=ConsultationInfo)
    client: Client = field(default_factory=Client)
    household: Household = field(default_factory=Household)
    relationship: Relationship = field(default_factory=Relationship)
    violence: Violence = field(default_factory=Violence)
    risk: RiskAnswers = field(default_factory=RiskAnswers)
    shelter: ShelterInfo = field(default_factory=ShelterInfo)
    protection_order: ProtectionOrderInfo = field(default_factory=ProtectionOrderInfo)
    needs: Needs = field(default_factory=Needs)
    referrals: list[Referral] = field(default_factory=list)
    address: AddressProtection = field(default_factory=AddressProtection)
    summary_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _to_json(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Intake:
        result: Intake = _from_json(cls, data)
        return result


# --- JSON form ---------------------------------------------------------------------

T = TypeVar("T")


_PLAIN = (str, int, bool, float, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for any other type), looked up once:
    ``dataclasses.fields`` on every value made ``to_dict`` the costliest step of a save."""
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = None
        if dataclasses.is_dataclass(cls):
            names = tuple(f.name for f in dataclasses.fields(cls))
        _FIELD_NAMES[cls] = names
        return names


def _to_json(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: _to_json(getattr(value, name)) for name in names}
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _from_json(tp: Any, data: Any) -> Any:
    """Rebuild ``tp`` from its JSON form; unknown keys are ignored (older drafts)."""
    if data is None:
        return None
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _from_json(inner[0], data)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = get_type_hints(tp)
        kwargs = {
            f.name: _from_json(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if origin is list:
        (item,) = get_args(tp)
        return [_from_json(item, v) for v in data]
    if origin is dict:
        _key, val = get_args(tp)
        return {k: _from_json(val, v) for k, v in data.items()}
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    return data
