"""What an intake must satisfy before it is saved: the one set of checks and limits.

The wizard shows these messages under its fields and the store refuses an intake that
fails them, so a limit lives here only. Each ``FieldError`` names the model path of the
field (``household.children[1].age``, ``risk.answers.R01``, ``violence.types.sexual``)
and a Japanese message that starts with the field's name. ``CHECKED_FIELDS`` lists
every path this module can report (``[]`` standing for any index, ``*`` for a code).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from intake_app.domain.codes import LABELS, LEVEL_ORDER, REFERRAL_FIELDS
from intake_app.domain.japanese import age_on, normalize_kana
from intake_app.domain.model import ChildNotification, Intake
from intake_app.domain.municipality import Municipality, resolve_municipality
from intake_app.domain.rules import child, referrals, risk

# Children of the household are minors: 児童福祉法第4条 (児童 = under 18), the child
# orders of 配偶者暴力防止法第10条第3項 and the notification of 児童虐待防止法第6条 all
# concern children under 18. A grown-up child at risk is recorded as a relative.
MAX_CHILD_AGE = 17
MAX_AGE = 120
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KANA_KEY = re.compile(r"^[\u3041-\u309f\u30f7-\u30fb]*$")  # hiragana, ヷ-ヺ, ・
_PHONE = re.compile(r"^[0-9()+\- ]*$")  # after NFKC: full-width digits and signs count

_CODE_KEYED = ("violence.types", "risk.answers")  # dicts whose keys are codes
CHECKED_FIELDS: tuple[str, ...] = (
    "consultation.started_at",
    "consultation.channel",
    "consultation.counselor",
    "consultation.report_source",
    "consultation.main_complaint",
    "client.name",
    "client.kana",
    "client.date_of_birth",
    "client.safe_contact.phone",
    "client.safe_contact.email",
    "household.children[].age",
    "household.children[].date_of_birth",
    "household.child_notification.notified_to",
    "household.child_notification.notified_at",
    "household.child_notification.method",
    "relationship.separated_on",
    "relationship.perpetrator_kana",
    "relationship.perpetrator_date_of_birth",
    "relationship.perpetrator_age",
    "violence.types.*",
    "violence.latest_incident_on",
    "risk.answers.*",
    "risk.judgement",
    "risk.judgement_reason",
    "shelter.accompanying_children",
    "referrals[].destination_id",
    "referrals[].fields",
    "referrals[].mandatory",
    "referrals[].consent",
    "referrals[].consent_method",
    "referrals[].consent_at",
    "address.applied_on",
    "address.notified_on",
    "address.joint_applicants[].child_index",
    "address.joint_applicants[].name",
)


@dataclass(frozen=True)
class FieldError:
    """One problem: ``field`` is the model path (``household.children[0].age``)."""

    field: str
    message: str


def field_pattern(path: str) -> str:
    """The ``CHECKED_FIELDS`` entry a reported path belongs to
    (``referrals[2].consent`` → ``referrals[].consent``, ``risk.answers.R01`` →
    ``risk.answers.*``)."""
    pattern = re.sub(r"\[\d+\]", "[]", path)
    for prefix in _CODE_KEYED:
        if pattern.startswith(prefix + "."):
            return prefix + ".*"
    return pattern


def is_kana(text: str) -> bool:
    """Hiragana or katakana (full or half width), with spaces, ・ and ー."""
    return bool(_KANA_KEY.match(normalize_kana(text)))


def is_phone(text: str) -> bool:
    """Digits, hyphens, brackets, + and spaces; full-width ones too."""
    return bool(_PHONE.match(unicodedata.normalize("NFKC", text)))


def notification_missing(note: ChildNotification | None) -> list[str]:
    """What a recorded child notification still lacks (``notified_to``, ``notified_at``,
    ``method``); the record is complete when this is empty."""
    missing = []
    if note is None or not note.notified_to.strip():
        missing.append("notified_to")
    if note is None or note.notified_at is None:
        missing.append("notified_at")
    if note is None or not note.method.strip():
        missing.append("method")
    return missing


class _Found:
    """The problems found so far, and the date that counts as today."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.errors: list[FieldError] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def not_future(self, path: str, label: str, value: dt.date | None) -> None:
        """A date after today, or a date and time on a later day (the time of day is
        not checked: the store validates with the date alone)."""
        if isinstance(value, dt.datetime):
            if value.date() > self.today:
                self.add(path, f"{label}: 未来の日時は入力できません")
        elif value is not None and value > self.today:
            self.add(path, f"{label}: 未来の日付は入力できません")


def validate_intake(
    intake: Intake, today: dt.date, municipality: Municipality | str | None = None
) -> list[FieldError]:
    """Every problem found, in the order of the wizard's steps (empty when none).

    ``municipality`` (a loaded file or its id) checks the referral destinations; without
    it only the consent itself is checked.
    """
    city = resolve_municipality(municipality)
    found = _Found(today)
    _consultation(intake, found)
    _official_return_fields(intake, city, found)
    _client(intake, found)
    _household(intake, city, found)
    _relationship_and_violence(intake, found)
    _risk(intake, found)
    _shelter(intake, found)
    _referrals(intake, city, found)
    _address(intake, found)
    return found.errors


def _consultation(intake: Intake, found: _Found) -> None:
    consultation = intake.consultation
    if consultation.started_at is None:
        found.add("consultation.started_at", "相談日時: 日時を入力してください")
    found.not_future("consultation.started_at", "相談日時", consultation.started_at)
    if consultation.channel is None:
        found.add("consultation.channel", "相談方法: 来所・電話などから選んでください")
    if not consultation.counselor.strip():
        found.add("consultation.counselor", "担当者: 担当者名を入力してください")


def _official_return_fields(intake: Intake, city: Municipality | None, found: _Found) -> None:
    """通報 (配偶者暴力防止法第6条) and 主訴: ids of the settings' lists (rules.md §10)."""
    consultation = intake.consultation
    source, complaint = consultation.report_source, consultation.main_complaint
    if source is not None and consultation.consulter == "self":
        found.add(
            "consultation.report_source",
            "通報の経路: 本人からの相談は通報ではないため、相談者か通報の経路を直してください",
        )
    if city is None:
        return  # without the settings the ids cannot be checked (as for destinations)
    returns = city.official_returns
    if source is not None and source not in {c.id for c in returns.report_sources}:
        found.add(
            "consultation.report_source",
            "通報の経路: 設定の一覧にない経路のため、選び直してください",
        )
    if complaint is not None and complaint not in {c.id for c in returns.main_complaints}:
        found.add(
            "consultation.main_complaint", "主訴: 設定の一覧にない主訴のため、選び直してください"
        )


def _client(intake: Intake, found: _Found) -> None:
    client = intake.client
    if not client.anonymous and not client.name.strip():
        found.add("client.name", "氏名: 氏名を入力するか、「匿名で相談」にしてください")
    if client.kana and not is_kana(client.kana):
        found.add("client.kana", "ふりがな: ひらがなかカタカナで入力してください")
    found.not_future("client.date_of_birth", "生年月日", client.date_of_birth)
    if not is_phone(client.safe_contact.phone):
        found.add(
            "client.safe_contact.phone", "安全な連絡先（電話）: 数字とハイフンで入力してください"
        )
    email = client.safe_contact.email.strip()
    if email and not _EMAIL.match(email):
        found.add(
            "client.safe_contact.email",
            "安全な連絡先（メール）: メールアドレスの形で入力してください",
        )


def _household(intake: Intake, city: Municipality | None, found: _Found) -> None:
    for index, kid in enumerate(intake.household.children):
        if kid.age is not None and not 0 <= kid.age <= MAX_CHILD_AGE:
            found.add(
                f"household.children[{index}].age",
                f"子ども{index + 1}人目の年齢: 0〜{MAX_CHILD_AGE}の数字で入力してください",
            )
        where = f"household.children[{index}].date_of_birth"
        label = f"子ども{index + 1}人目の生年月日"
        found.not_future(where, label, kid.date_of_birth)
        born = kid.date_of_birth
        if born is not None and born <= found.today and age_on(born, found.today) > MAX_CHILD_AGE:
            found.add(
                where,
                f"{label}: 18歳以上になる日付です"
                "（18歳以上の家族は「親族など」に記録してください）",
            )
    if not child.notification(intake, city).required:
        return  # a record left from earlier answers is kept as it is
    # 児童虐待防止法第6条: notifying is a duty, so its record is needed to save.
    note = intake.household.child_notification
    where = "household.child_notification"
    missing = notification_missing(note)
    if "notified_to" in missing:
        found.add(f"{where}.notified_to", "通告先: 通告先を入力してください（必須）")
    notified_at = note.notified_at if note is not None else None
    if notified_at is None:
        found.add(f"{where}.notified_at", "通告日時: 通告した日時を入力してください（必須）")
    found.not_future(f"{where}.notified_at", "通告日時", notified_at)
    if "method" in missing:
        found.add(f"{where}.method", "通告の方法: 電話・書面・来所から選んでください（必須）")


def _relationship_and_violence(intake: Intake, found: _Found) -> None:
    relationship = intake.relationship
    found.not_future("relationship.separated_on", "別居・別れた日", relationship.separated_on)
    if relationship.separated_on is not None and relationship.living_together is True:
        found.add(
            "relationship.separated_on", "別居・別れた日: いま同居している場合は入力できません"
        )
    if relationship.perpetrator_kana and not is_kana(relationship.perpetrator_kana):
        found.add(
            "relationship.perpetrator_kana", "相手のふりがな: ひらがなかカタカナで入力してください"
        )
    found.not_future(
        "relationship.perpetrator_date_of_birth",
        "相手の生年月日",
        relationship.perpetrator_date_of_birth,
    )
    if (
        relationship.perpetrator_age is not None
        and not 0 <= relationship.perpetrator_age <= MAX_AGE
    ):
        found.add(
            "relationship.perpetrator_age",
            f"相手の年齢: 0〜{MAX_AGE}の数字で入力してください（不明なら空欄）",
        )
    violence = intake.violence
    for vtype in violence.absent:
        if vtype in violence.types:
            label = LABELS["violence"].get(vtype, vtype)
            found.add(
                f"violence.types.{vtype}", f"{label}: 「なかった」と「あった」の両方は選べません"
            )
    found.not_future("violence.latest_incident_on", "最近の暴力の日", violence.latest_incident_on)


def _risk(intake: Intake, found: _Found) -> None:
    answers = intake.risk
    checklist = risk.load_checklist(answers.checklist_version)
    known = {item.id for item in checklist.items}
    for key in answers.answers:
        if key not in known:
            found.add(
                f"risk.answers.{key}",
                f"危険度チェックリスト: 「{key}」は{checklist.version}にない項目です",
            )
    judgement = answers.judgement
    if judgement is None:
        return
    if judgement not in LEVEL_ORDER:
        found.add("risk.judgement", "相談員の判断: 低・中・高・緊急から選んでください")
        return
    # The counselor may raise the level, never lower it (rules.md §3): a judgement at or
    # below the computed level is refused rather than silently ignored.
    computed = risk.assess(
        {k: v for k, v in answers.answers.items() if k in known}, checklist=checklist
    ).computed
    if LEVEL_ORDER.index(judgement) <= LEVEL_ORDER.index(computed):
        found.add(
            "risk.judgement",
            f"相談員の判断: 算定レベル（{LABELS['level'][computed]}）より高いレベルを"
            "選んでください。下げることはできません",
        )
    elif not (answers.judgement_reason or "").strip():
        found.add(
            "risk.judgement_reason", "判断の理由: 相談員の判断で危険度を決めた理由を書いてください"
        )


def _shelter(intake: Intake, found: _Found) -> None:
    count = len(intake.household.children)
    if any(not 0 <= index < count for index in intake.shelter.accompanying_children):
        found.add(
            "shelter.accompanying_children", "同伴する子ども: 子どもの欄にいない子が選ばれています"
        )


def _referrals(intake: Intake, city: Municipality | None, found: _Found) -> None:
    destinations = {d.id: d for d in city.destinations} if city is not None else {}
    for index, referral in enumerate(intake.referrals):
        where = f"referrals[{index}]"
        number = f"紹介{index + 1}件目"
        destination = destinations.get(referral.destination_id)
        if city is not None and destination is None:
            found.add(f"{where}.destination_id", f"{number}の紹介先: 設定にない紹介先です")
            continue
        for field_id in referral.fields:
            if field_id not in REFERRAL_FIELDS:
                found.add(
                    f"{where}.fields",
                    f"{number}の開示項目: 「{field_id}」は開示できる項目にありません",
                )
        if destination is not None:
            for attribute, problem in referrals.consent_issues(referral, destination):
                found.add(f"{where}.{attribute}", f"{number}（{destination.name}）の{problem}")
        elif not referral.mandatory and not referral.consent:
            found.add(f"{where}.consent", f"{number}の本人の同意: 同意を得てから紹介してください")
        found.not_future(f"{where}.consent_at", f"{number}の同意の日時", referral.consent_at)


def _address(intake: Intake, found: _Found) -> None:
    address = intake.address
    if address.support_measure_applied and address.applied_on is None:
        found.add("address.applied_on", "支援措置の申出日: 日付を入力してください")
    found.not_future("address.applied_on", "支援措置の申出日", address.applied_on)
    # rules.md §9.11: the municipality tells the client after it accepted the application.
    found.not_future("address.notified_on", "支援措置の連絡日", address.notified_on)
    if (
        address.notified_on is not None
        and address.applied_on is not None
        and address.notified_on < address.applied_on
    ):
        found.add("address.notified_on", "支援措置の連絡日: 申出日より前の日付は入力できません")
    children = len(intake.household.children)
    for index, person in enumerate(address.joint_applicants):
        where = f"address.joint_applicants[{index}]"
        number = f"併せて支援を求める者{index + 1}人目"
        if person.child_index is not None:
            if not 0 <= person.child_index < children:
                found.add(f"{where}.child_index", f"{number}: 子どもの欄にいない子が選ばれています")
        elif not person.name.strip():
            found.add(f"{where}.name", f"{number}: 名前を入力してください")
