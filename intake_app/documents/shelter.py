"""一時保護依頼票 to the prefecture's women's support centre (rules.md §4).

What the centre that takes her in needs, in the third person (no instruction to the
counselor is printed): the client, her health, money and insurance, each accompanying
child's sex and age, the perpetrator (name, age, address, weapons, vehicle), the violence,
why protection is requested, where she is now and how she will be moved, and whom to call
back. Client and perpetrator facts go through the prefectural centre's whitelist like a
連絡票; her whereabouts only when the counselor confirmed them for the request.

There is no prefectural shelter for men (rules.md §4, §9.9): for a male client the paper
is refused, pointing to the city's emergency stay.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre, _official
from intake_app.documents._common import when
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.errors import DocumentError
from intake_app.documents.fields import CHILD_FIELDS, LOCATION_FIELDS, child_age, consulted_on
from intake_app.documents.fields import rows as field_rows
from intake_app.domain.model import LABELS, UNKNOWN_LABEL, Intake
from intake_app.domain.rules.risk import load_checklist

KIND = "shelter_request"
PREFECTURAL_KINDS = ("prefectural_centre",)
MALE_REFUSAL = (
    "男性の方の避難は、市の緊急一時避難（協定ホテル等）で手配します。"
    "この依頼票は男性には作成できません（男性を受け入れる県の施設はありません）。"
)

# What a protection request describes of the client; the destination's whitelist applies.
CLIENT_FIELDS = (
    "client.name",
    "client.kana",
    "client.aliases",
    "client.date_of_birth",
    "client.gender",
    "client.nationality",
    "client.language",
    "client.disability",
    "client.pregnant",
    "client.safe_contact",
    "client.safe_contact.phone",
    "client.safe_contact.safe_times",
    "shelter.health",
    "shelter.money",
    "shelter.insurance",
)
PERPETRATOR_FIELDS = (
    "relationship.type",
    "relationship.perpetrator_name",
    "relationship.perpetrator_date_of_birth",
    "relationship.perpetrator_address",
    "relationship.perpetrator_weapons",
    "relationship.perpetrator_vehicle",
)
VIOLENCE_FIELDS = (
    "violence.types",
    "violence.threats",
    "violence.latest_incident",
    "violence.injuries",
    "violence.police_involvement",
)
RECOMMENDATION = {
    "immediate": "直ちに保護が必要と判断します",
    "recommend": "保護が必要と判断します",
    "discuss": "本人と検討のうえ依頼します",
    "not_needed": "本人の希望により依頼します",
}


def _yn(value: bool | None) -> str:
    return UNKNOWN_LABEL if value is None else ("あり" if value else "なし")


def shelter_request(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    document_number: _official.DocumentNumber,
    counselor: str,
    advice: Any = None,
    risk: Any = None,
    risk_level: str | None = None,
    case_number: str = "",
) -> bytes:
    """The request as PDF bytes.

    ``advice``: the domain's ``ShelterAdvice`` (its recommendation is printed, never its
    reasons, which speak to the counselor); ``risk``: the ``RiskResult`` (its red flags
    are named); ``risk_level``: the final level when ``risk`` is not given.
    ``document_number`` and ``counselor`` as for every official paper (``_official``).
    Refused for a male client, against the client's wish, or when a setting is empty."""
    if intake.client.gender == "male":
        raise DocumentError(MALE_REFUSAL)
    if intake.shelter.client_wish == "does_not_wish":
        raise DocumentError("本人が一時保護を希望していないため、依頼票は作成できません")
    _official.check_settings(municipality, KIND, counselor=counselor)
    dest = _centre.first_of_kind(municipality, PREFECTURAL_KINDS)
    if dest is None:  # check_settings names it; a caller without settings still gets a reason
        raise DocumentError("依頼先（県の女性相談支援センター）が設定にありません")
    allowed = set(dest.fields)
    confirmed = intake.shelter.whereabouts_confirmed or any(
        ref.destination_id == dest.id and ref.whereabouts_confirmed for ref in intake.referrals
    )

    def shown(ids: tuple[str, ...]) -> list[str]:
        return [f for f in ids if f in allowed and f not in LOCATION_FIELDS]

    sender = _centre.sender(municipality)
    number = _official.issued(document_number)
    sheet = Sheet(Metadata(title="一時保護依頼票", author=sender.name))
    _official.letterhead(
        sheet,
        title="一時保護依頼票",
        addressee=f"{dest.name}　御中",
        today=today,
        sender=sender,
        number=number,
        reference=f"（整理番号　{case_number}）" if case_number else "",
    )
    sheet.para("下記の方について、本人の意思に基づき、一時保護を依頼します。")
    _official.ki(sheet)

    sheet.heading("1　本人")
    sheet.fields(field_rows(intake, shown(CLIENT_FIELDS)))

    sheet.heading("2　同伴する子ども")
    children = intake.household.children
    names = "household.children.name_age" in allowed
    sexes = "household.children.sex" in allowed
    rows = []
    for index in intake.shelter.accompanying_children:
        if 0 <= index < len(children):
            c = children[index]
            age = child_age(c, consulted_on(intake))
            rows.append(
                [
                    (c.name or f"子ども{index + 1}") if names else f"子ども{index + 1}",
                    (LABELS["child_sex"].get(c.sex, UNKNOWN_LABEL) if c.sex else "不明")
                    if sexes
                    else "—",
                    (f"{age}歳" if age is not None else "不明") if names else "—",
                    _yn(c.witnessed_violence),
                    _yn(c.directly_harmed),
                ]
            )
    if rows and set(CHILD_FIELDS) & allowed:
        sheet.grid(["氏名", "性別", "年齢", "暴力の目撃", "直接の被害"], rows, [58, 20, 20, 38, 38])
    elif rows:
        sheet.para(f"{len(rows)}人")
    else:
        sheet.para("なし")

    perpetrator = shown(PERPETRATOR_FIELDS)
    if perpetrator:
        sheet.heading("3　加害者")
        sheet.fields(field_rows(intake, perpetrator))

    violence = shown(VIOLENCE_FIELDS)
    if violence:
        sheet.heading("4　暴力の状況")
        sheet.fields(field_rows(intake, violence))

    sheet.heading("5　依頼の理由")
    sheet.fields(_reasons(intake, advice, risk, risk_level))

    sheet.heading("6　現在の居場所と移送")
    s = intake.shelter
    place = "電話でお伝えします"
    if confirmed and "client.current_whereabouts" in allowed and intake.client.current_whereabouts:
        place = intake.client.current_whereabouts.strip()
    transport = LABELS["transport"].get(s.transport, "") if s.transport else "調整中"
    if s.transport_note.strip():
        transport = f"{transport}（{s.transport_note.strip()}）"
    sheet.fields([("現在の居場所", place), ("移送の方法", transport)])

    sheet.heading("7　これまでの対応")
    sheet.fields(
        [
            ("相談日時", when(intake)),
            ("当センターの対応", s.actions_taken.strip() or "相談の受付と安全の確認"),
        ]
    )
    _official.closing(sheet, sender, counselor)
    return sheet.build()


def _reasons(intake: Intake, advice: Any, risk: Any, level: str | None) -> list[tuple[str, str]]:
    """Why protection is requested, as facts: the level and the answers behind it, tonight."""
    final = getattr(risk, "final", None) or level
    text = LABELS["level"].get(final or "", UNKNOWN_LABEL)
    flags = list(getattr(risk, "red_flags", ()) or ())
    if flags:
        checklist = load_checklist(getattr(risk, "checklist_version", None) or "risk-v2")
        items = []
        for flag in flags:
            for item_id in str(flag).split("+"):
                try:
                    items.append(checklist.item(item_id).text)
                except KeyError:
                    continue
        if items:
            text += "\n" + "\n".join(f"・{item}" for item in dict.fromkeys(items))
    out = [
        ("危険度（当センターの評価）", text),
        ("今夜安全に過ごせる場所", _yn(intake.shelter.safe_place_tonight)),
    ]
    recommendation = getattr(advice, "recommendation", None)
    if recommendation in RECOMMENDATION:
        out.append(("当センターの判断", RECOMMENDATION[recommendation]))
    return out
