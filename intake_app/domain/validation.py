"""Checks of an intake before saving, with Japanese messages that name the field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from intake_app.domain.japanese import normalize_kana
from intake_app.domain.model import LABELS, LEVEL_ORDER, REFERRAL_FIELDS, Intake
from intake_app.domain.rules import referrals

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KANA_KEY = re.compile(r"^[\u3041-\u309f\u30f7-\u30fb]*$")  # hiragana, ヷ-ヺ, ・
MAX_CHILD_AGE = 17


@dataclass(frozen=True)
class FieldError:
    """One problem: ``field`` is the model path (``household.children[0].age``)."""

    field: str
    message: str


def validate_intake(intake: Intake, today: dt.date, municipality: Any = None) -> list[FieldError]:
    """Every problem found, in the order of the wizard's steps (empty when none)."""
    errors: list[FieldError] = []

    def add(path: str, message: str) -> None:
        errors.append(FieldError(path, message))

    def not_future(path: str, label: str, value: dt.date | None) -> None:
        if value is not None and value > today:
            add(path, f"{label}: 未来の日付は入力できません")

    client = intake.client
    started = intake.consultation.started_at
    if started is not None and started.date() > today:
        add("consultation.started_at", "相談日時: 未来の日時は入力できません")
    if client.kana and not _KANA_KEY.match(normalize_kana(client.kana)):
        add("client.kana", "ふりがな: ひらがなかカタカナで入力してください")
    not_future("client.date_of_birth", "生年月日", client.date_of_birth)
    email = client.safe_contact.email.strip()
    if email and not _EMAIL.match(email):
        add(
            "client.safe_contact.email",
            "安全な連絡先（メール）: メールアドレスの形で入力してください",
        )

    for index, child in enumerate(intake.household.children):
        if child.age is not None and not 0 <= child.age <= MAX_CHILD_AGE:
            add(
                f"household.children[{index}].age",
                f"子ども{index + 1}人目の年齢: 0〜{MAX_CHILD_AGE}の数字で入力してください",
            )

    not_future("relationship.separated_on", "別居・別れた日", intake.relationship.separated_on)
    not_future("violence.latest_incident_on", "最近の暴力の日", intake.violence.latest_incident_on)
    for vtype in intake.violence.absent:
        if vtype in intake.violence.types:
            label = LABELS["violence"].get(vtype, vtype)
            add("violence.absent", f"{label}: 「なかった」と「あった」の両方は選べません")

    risk = intake.risk
    if risk.judgement is not None and risk.judgement not in LEVEL_ORDER:
        add("risk.judgement", "相談員の判断: 低・中・高・緊急から選んでください")
    elif risk.judgement is not None and not (risk.judgement_reason or "").strip():
        add("risk.judgement_reason", "判断の理由: 相談員の判断で危険度を決めた理由を書いてください")

    count = len(intake.household.children)
    for index in intake.shelter.accompanying_children:
        if not 0 <= index < count:
            add(
                "shelter.accompanying_children",
                "同伴する子ども: 子どもの欄にいない子が選ばれています",
            )
            break

    destinations = {d.id: d for d in getattr(municipality, "destinations", ())}
    for index, referral in enumerate(intake.referrals):
        where = f"referrals[{index}]"
        number = f"紹介{index + 1}件目"
        destination = destinations.get(referral.destination_id)
        if municipality is not None and destination is None:
            add(f"{where}.destination_id", f"{number}の紹介先: 設定にない紹介先です")
            continue
        for field_id in referral.fields:
            if field_id not in REFERRAL_FIELDS:
                add(
                    f"{where}.fields",
                    f"{number}の開示項目: 「{field_id}」は開示できる項目にありません",
                )
        if destination is not None:
            for problem in referrals.consent_problems(referral, destination):
                add(f"{where}.consent", f"{number}（{destination.name}）の{problem}")
        elif not referral.mandatory and not referral.consent:
            add(f"{where}.consent", f"{number}の本人の同意: 同意を得てから紹介してください")

    address = intake.address
    if address.support_measure_applied and address.applied_on is None:
        add("address.applied_on", "支援措置の申出日: 日付を入力してください")
    not_future("address.applied_on", "支援措置の申出日", address.applied_on)
    return errors
