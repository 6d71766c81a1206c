"""The vocabulary of an intake: code lists, their Japanese labels, the disclosable fields.

Codes are English (rules.md §1); ``LABELS`` holds the Japanese words so the screens,
the documents and the statistics use one vocabulary. ``REFERRAL_FIELDS`` names the
only field ids a destination's whitelist may contain (rules.md §7). Pure data: this
module imports nothing of the project, so every other domain module may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

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
# What the official papers need (issue 17): the perpetrator's relation to each child (the
# child notification), how the client is moved to the shelter, her health insurance.
AbuserRelation = Literal[
    "biological_father",
    "stepfather",
    "adoptive_father",
    "mothers_common_law_partner",
    "mothers_partner",
    "biological_mother",
    "stepmother",
    "other_relative",
    "other",
]
Transport = Literal["staff_escort", "police", "pickup", "own_way", "other"]
Insurance = Literal[
    "national",
    "employee_own",
    "employee_dependant",
    "late_elderly",
    "public_assistance",
    "none",
]
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
    # a child's sex (the same codes as ``gender``, the words offices use for a child)
    "child_sex": {"female": "女", "male": "男", "other": "その他"},
    # the perpetrator as the child's …: the relation the child notification names
    "abuser_relation": {
        "biological_father": "実父",
        "stepfather": "継父（母の再婚相手）",
        "adoptive_father": "養父",
        "mothers_common_law_partner": "母の内縁の夫",
        "mothers_partner": "母の交際相手",
        "biological_mother": "実母",
        "stepmother": "継母（父の再婚相手）",
        "other_relative": "その他の親族",
        "other": "その他",
    },
    "transport": {
        "staff_escort": "センター職員が同行する",
        "police": "警察が移送する",
        "pickup": "受入れ先の迎えを依頼する",
        "own_way": "本人が自分で移動する",
        "other": "その他",
    },
    "insurance": {
        "national": "国民健康保険",
        "employee_own": "健康保険（本人）",
        "employee_dependant": "健康保険（被扶養者）",
        "late_elderly": "後期高齢者医療",
        "public_assistance": "生活保護（医療扶助）",
        "none": "加入していない",
    },
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
    # a child's name, age and whether the child lives with the client; the sex and the
    # school or nursery are separate: the school tells where a child (and so the client)
    # can be found, so only the destinations that need it name it (issue 17)
    "household.children.name_age": "子ども（名前・年齢・同居）",
    "household.children.sex": "子どもの性別",
    "household.children.school": "子どもの学校・園",
    "household.relatives_at_risk": "危険のある親族",
    "relationship.type": "相手との関係",
    "relationship.perpetrator_name": "相手の氏名",
    "relationship.perpetrator_date_of_birth": "相手の生年月日・年齢",
    "relationship.perpetrator_address": "相手の住所",
    "relationship.perpetrator_weapons": "相手の凶器",
    "relationship.perpetrator_vehicle": "相手の車両",
    "violence.types": "暴力の種類",
    "violence.threats": "脅迫の対象",
    "violence.latest_incident": "最近の出来事",
    "violence.injuries": "けが",
    "violence.police_involvement": "警察の関与",
    "needs.categories": "困りごと",
    "needs.note": "困りごとの詳細",
    "shelter.health": "健康状態・服薬",
    "shelter.money": "所持金",
    "shelter.insurance": "健康保険",
    "address.support_measure": "支援措置",
    "address.do_not_disclose": "追及注意",
    "consultation.content": "相談の概要",
}

# Whitelist ids an older settings file or referral may still name, and what each means
# now. ``household.children`` printed the name, age, living together and the school: it
# maps to the name and age and the sex, never the school (a destination that needs the
# school names ``household.children.school``; the shipped file's offer adds it there).
LEGACY_REFERRAL_FIELDS: dict[str, tuple[str, ...]] = {
    "household.children": ("household.children.name_age", "household.children.sex"),
}


def current_field_ids(ids: Iterable[str]) -> list[str]:
    """``ids`` with each legacy id replaced by what it means now (order kept, no repeats)."""
    out: list[str] = []
    for field_id in ids:
        for current in LEGACY_REFERRAL_FIELDS.get(field_id, (field_id,)):
            if current not in out:
                out.append(current)
    return out
