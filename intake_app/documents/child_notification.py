"""The written notification of a child (児童虐待防止法第6条第1項, rules.md §6, §9.10).

Written to the 子ども担当課 or 児童相談所 as a notification (通告), not as a note to the
counselor: each child (sex, date of birth and age, where the child is now, whether the
child lives with the perpetrator, who the perpetrator is to the child, what the child
saw or suffered), children left with the perpetrator first (the domain orders them);
the person thought to have abused them (name, date of birth, address); the parent who
consulted and how to reach her (as the destination's whitelist allows); the violence;
when, how and to whom the notification was made and who received it; whom to call back.
An official paper (``_official``). No consent is needed (第6条).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre, _official
from intake_app.documents._dates import format_date, format_datetime
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.documents.fields import (
    FIELDS,
    child_age,
    consulted_on,
    perpetrator_birth,
    perpetrator_name,
)
from intake_app.documents.fields import rows as field_rows
from intake_app.domain.model import LABELS, UNKNOWN_LABEL, Child, Intake
from intake_app.domain.municipality import Destination
from intake_app.domain.rules import child as child_rule
from intake_app.domain.rules import referrals
from intake_app.domain.validation import notification_missing

KIND = "child_notification"
CHILD_KINDS = ("child_department", "child_guidance")
TITLE = "児童虐待の防止等に関する法律第6条第1項に基づく通告書"
# What the parent's part may carry, as the destination's whitelist allows.
PARENT_FIELDS = ("client.safe_contact.phone", "client.safe_contact.safe_times")
VIOLENCE_FIELDS = ("violence.types", "violence.latest_incident")


def _yn(value: bool | None, yes: str = "あり", no: str = "なし") -> str:
    return UNKNOWN_LABEL if value is None else (yes if value else no)


def child_notification_record(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    document_number: _official.DocumentNumber,
    counselor: str,
    advice: Any = None,
) -> bytes:
    """The notification as PDF bytes. ``advice`` is the domain's
    ``ChildNotificationAdvice`` (its ``child_indexes`` pick and order the children;
    computed here when absent). ``document_number`` and ``counselor`` as for every
    official paper. Refused until the notification is recorded (to whom, when, how)."""
    note = intake.household.child_notification
    missing = notification_missing(note)
    if note is None or missing:
        raise DocumentError(
            "通告先・通告日時・方法を記録してから作成してください（子ども・世帯のステップ）"
        )
    _official.check_settings(municipality, KIND, counselor=counselor)
    if advice is None:
        advice = child_rule.notification(intake, municipality)
    children = intake.household.children
    indexes = [i for i in (advice.child_indexes or range(len(children))) if 0 <= i < len(children)]
    dest = _destination(municipality, note.notified_to)
    allowed = set(referrals.allowed_fields(dest)) if dest is not None else set()
    sender = _centre.sender(municipality)
    addressee = note.notified_to.strip() or (dest.name if dest else "")
    number = _official.issued(document_number)
    sheet = Sheet(Metadata(title="児童に関する通告書", author=sender.name))
    _official.letterhead(
        sheet,
        title=TITLE,
        addressee=f"{addressee}　御中",
        today=today,
        sender=sender,
        number=number,
    )
    sheet.para(
        "配偶者等からの暴力を受けている方からの相談において、下記の児童について、"
        "児童虐待を受けたと思われる状況を把握しました。児童虐待の防止等に関する法律"
        "第6条第1項の規定により、下記のとおり通告します。"
    )
    _official.ki(sheet)
    sheet.heading("1　児童")
    with_perpetrator = set(getattr(advice, "with_perpetrator", ()) or ())
    for n, index in enumerate(indexes, 1):
        child = children[index]
        head = f"（{n}）{child.name.strip() or f'子ども{index + 1}人目'}"
        if index in with_perpetrator or child.lives_with_perpetrator:
            head += "　※加害者と同居しています"
        sheet.heading(head)
        sheet.fields(_child_rows(intake, child, "household.children.school" in allowed))
    if not indexes:
        sheet.para("児童の記録がありません")

    sheet.heading("2　虐待を行ったと思われる者")
    relations = [
        LABELS["abuser_relation"].get(children[i].abuser_relation or "", "")
        for i in indexes
        if children[i].abuser_relation
    ]
    sheet.fields(
        [
            ("氏名", perpetrator_name(intake)),
            ("生年月日・年齢", perpetrator_birth(intake)),
            ("住所", intake.relationship.perpetrator_address.strip() or UNKNOWN_LABEL),
            ("児童との関係", "、".join(dict.fromkeys(relations)) or UNKNOWN_LABEL),
            ("相談者との関係", FIELDS["relationship.type"].render(intake)),
        ]
    )

    sheet.heading("3　保護者（当センターの相談者）")
    parent = [("氏名", FIELDS["client.name"].render(intake))]
    parent += field_rows(intake, [f for f in PARENT_FIELDS if f in allowed])
    sheet.fields(parent)

    sheet.heading("4　把握した状況")
    situation = [("相談を受けた日", format_date(consulted_on(intake)))]
    situation += field_rows(intake, [f for f in VIOLENCE_FIELDS if f in allowed])
    sheet.fields(situation)

    sheet.heading("5　通告")
    made = [
        ("通告日時", format_datetime(note.notified_at)),
        ("方法", note.method.strip()),
        ("通告先", note.notified_to.strip()),
    ]
    if note.received_by.strip():
        made.append(("受理者", note.received_by.strip()))
    if note.note.strip():
        made.append(("備考", note.note.strip()))
    sheet.fields(made)
    sheet.para(
        "この通告は法令に基づくもので、保護者の同意を要しません（同法第6条第3項により"
        "守秘義務に妨げられません）。記載事項を加害者を含む第三者に開示しないでください。",
        small=True,
    )
    _official.closing(sheet, sender, counselor)
    return sheet.build()


def _destination(municipality: Any, name: str) -> Destination | None:
    """The child destination the notification went to (by name), else the first one."""
    found: list[Destination] = [d for d in municipality.destinations if d.kind in CHILD_KINDS]
    for dest in found:
        if dest.name == name.strip():
            return dest
    in_use = [d for d in found if not d.disabled]
    return in_use[0] if in_use else None


def _child_rows(intake: Intake, child: Child, school: bool) -> list[tuple[str, str]]:
    age = child_age(child, consulted_on(intake))
    born = format_date(child.date_of_birth) if child.date_of_birth else "不明"
    rows = [
        ("性別", LABELS["child_sex"].get(child.sex, UNKNOWN_LABEL) if child.sex else UNKNOWN_LABEL),
        ("生年月日（年齢）", f"{born}（{age}歳）" if age is not None else born),
    ]
    if school and child.school.strip():
        rows.append(("学校・保育園", child.school.strip()))
    if child.whereabouts.strip():
        place = child.whereabouts.strip()
    elif child.lives_with_perpetrator:
        place = "加害者のもと"
    elif child.lives_with_client:
        place = "保護者（相談者）のもと"
    else:
        place = UNKNOWN_LABEL
    rows += [
        ("現在の居場所", place),
        ("加害者との同居", _yn(child.lives_with_perpetrator, "同居している", "同居していない")),
        (
            "加害者との関係",
            LABELS["abuser_relation"].get(child.abuser_relation, UNKNOWN_LABEL)
            if child.abuser_relation
            else UNKNOWN_LABEL,
        ),
        ("暴力の目撃（面前DV）", _yn(child.witnessed_violence)),
        ("児童自身への暴力・脅し", _yn(child.directly_harmed)),
    ]
    return rows
