"""What one intake records: plain dataclasses, no Qt, no SQL.

``None`` on an optional answer means 不明・回答なし (the client did not answer or
the counselor does not know); every question the wizard asks allows it. Codes
are English (rules.md §1); the Japanese labels live in ``LABELS`` below so the
screens, the documents and the statistics use one vocabulary.

``Intake.to_dict()`` / ``Intake.from_dict()`` give the JSON form that the vault
stores (drafts and saved consultations alike).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from intake_app.domain.validation import FieldError

# --- code lists (rules.md §1, §2.5, §3; issue texts) -------------------------------

ConsultationKind = Literal["dv", "kokoro", "other_difficulty"]
Channel = Literal["visit", "phone", "mail", "sns", "accompanied", "other"]
Consulter = Literal["self", "relative", "acquaintance", "agency"]
Gender = Literal["female", "male", "other"]
AgeGroup = Literal["under_20", "20s", "30s", "40s", "50s", "60s", "70_and_over"]
RelationshipType = Literal[
    "legal_spouse",
    "common_law_spouse",
    "cohabiting_partner",
    "non_cohabiting_partner",
    "former_legal_spouse",
    "former_common_law_spouse",
    "former_cohabiting_partner",
    "family_member",
    "other",
]
ViolenceType = Literal[
    "physical", "psychological", "sexual", "economic", "social", "using_children"
]
Frequency = Literal["repeated", "once_or_twice"]
Threat = Literal["life", "body", "freedom", "honour", "property"]
Level = Literal["low", "medium", "high", "urgent"]
ShelterWish = Literal["wishes", "does_not_wish", "undecided"]
POIntention = Literal["apply", "considering", "not_now"]
ConsentMethod = Literal["verbal", "written"]
NeedCategory = Literal[
    "economic",
    "housing",
    "employment",
    "health",
    "mental",
    "sexual_harm",
    "family",
    "children",
    "legal",
    "residence_status",
    "other",
]

LEVEL_ORDER: tuple[Level, ...] = ("low", "medium", "high", "urgent")

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "dv": "DV相談",
        "kokoro": "女性の心と生き方相談",
        "other_difficulty": "その他の困難相談",
    },
    "channel": {
        "visit": "来所",
        "phone": "電話",
        "mail": "メール",
        "sns": "SNS",
        "accompanied": "同行",
        "other": "その他",
    },
    "consulter": {"self": "本人", "relative": "親族", "acquaintance": "知人", "agency": "関係機関"},
    "gender": {"female": "女性", "male": "男性", "other": "その他"},
    "age_group": {
        "under_20": "20歳未満",
        "20s": "20代",
        "30s": "30代",
        "40s": "40代",
        "50s": "50代",
        "60s": "60代",
        "70_and_over": "70歳以上",
    },
    "relationship": {
        "legal_spouse": "配偶者（法律婚）",
        "common_law_spouse": "配偶者（事実婚）",
        "cohabiting_partner": "生活の本拠を共にする交際相手",
        "non_cohabiting_partner": "交際相手（同居なし）",
        "former_legal_spouse": "元配偶者（法律婚）",
        "former_common_law_spouse": "元配偶者（事実婚）",
        "former_cohabiting_partner": "元交際相手（同居していた）",
        "family_member": "家族（配偶者・交際相手以外）",
        "other": "その他",
    },
    "violence": {
        "physical": "身体的暴力",
        "psychological": "精神的暴力",
        "sexual": "性的暴力",
        "economic": "経済的暴力",
        "social": "社会的暴力",
        "using_children": "子どもを利用した暴力",
    },
    "frequency": {"repeated": "何度もあった", "once_or_twice": "1・2度あった"},
    "threat": {
        "life": "生命",
        "body": "身体",
        "freedom": "自由",
        "honour": "名誉",
        "property": "財産",
    },
    "level": {"low": "低", "medium": "中", "high": "高", "urgent": "緊急"},
    "shelter_wish": {"wishes": "希望する", "does_not_wish": "希望しない", "undecided": "未定"},
    "po_intention": {"apply": "申立てる意向", "considering": "検討中", "not_now": "今は申立てない"},
    "consent_method": {"verbal": "口頭", "written": "書面"},
    "need": {
        "economic": "経済",
        "housing": "住居",
        "employment": "就労",
        "health": "健康",
        "mental": "精神",
        "sexual_harm": "性的被害",
        "family": "家族",
        "children": "子ども",
        "legal": "法律",
        "residence_status": "在留資格",
        "other": "その他",
    },
}
UNKNOWN_LABEL = "不明・回答なし"

# Field ids a referral may disclose (rules.md §7), with their Japanese labels. A
# municipality's destination whitelists may name only these; documents print only these.
REFERRAL_FIELDS: dict[str, str] = {
    "client.name": "氏名",
    "client.kana": "ふりがな",
    "client.aliases": "旧姓・通称",
    "client.date_of_birth": "生年月日・年代",
    "client.age_group": "年代",
    "client.gender": "性別",
    "client.nationality": "国籍",
    "client.language": "使用言語",
    "client.disability": "障害",
    "client.pregnant": "妊娠",
    "client.safe_contact": "連絡方法",
    "client.safe_contact.phone": "安全な連絡先（電話）",
    "client.safe_contact.email": "安全な連絡先（メール）",
    "client.safe_contact.safe_times": "連絡してよい時間",
    "client.address": "住所",
    "client.current_whereabouts": "現在の居所",
    "household.children": "子ども",
    "household.relatives_at_risk": "危険のある親族",
    "relationship.type": "相手との関係",
    "relationship.perpetrator_name": "相手の氏名",
    "violence.types": "暴力の種類",
    "violence.threats": "脅迫の対象",
    "violence.latest_incident": "最近の出来事",
    "violence.injuries": "けが",
    "violence.police_involvement": "警察の関与",
    "needs.categories": "困りごと",
    "needs.note": "困りごとの詳細",
    "address.support_measure": "支援措置",
    "address.do_not_disclose": "追及注意",
    "consultation.content": "相談の概要",
}


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


@dataclass
class ChildNotification:
    """The recorded mandatory notification (児童虐待防止法 §6)."""

    notified_to: str = ""  # e.g. 子ども未来課, 児童相談所
    notified_at: dt.datetime | None = None
    method: str = ""  # 電話, 書面, 来所
    note: str = ""


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
    perpetrator_name: str = ""
    perpetrator_kana: str = ""


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

    checklist_version: str = "risk-v1"
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


@dataclass
class Needs:
    categories: list[NeedCategory] = field(default_factory=list)
    note: str = ""


@dataclass
class AddressProtection:
    """Step 9: 支援措置 and the do-not-disclose flag."""

    support_measure_applied: bool = False
    applied_on: dt.date | None = None
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

    def validate(self, today: dt.date, municipality: Any = None) -> list[FieldError]:
        """Problems to fix before saving, each naming its field in Japanese (validation.py)."""
        from intake_app.domain.validation import validate_intake

        return validate_intake(self, today, municipality)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Intake:
        result: Intake = _from_json(cls, data)
        return result


# --- JSON form ---------------------------------------------------------------------

T = TypeVar("T")


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
