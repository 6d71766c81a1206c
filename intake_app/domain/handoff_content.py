"""What a hand-off package carries: the fields, the content built from a case, its check.

Pure Python. The sending side chooses fields (``MINIMUM_FIELDS`` always go; each of
``OPTIONAL_FIELDS`` only when ticked on purpose) and ``build_content`` copies exactly
those parts of the case into a JSON-able dict. The receiving side checks the dict with
``check_content`` (every key known, every type right, nothing of a field that was not
chosen) before anything is shown or stored, and builds the read-only history and the
first intake of its new case (``seed_intake``) from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.domain.handoff_format import HandoffError
from intake_app.domain.model import (
    LABELS,
    AddressProtection,
    Child,
    Client,
    Household,
    Intake,
    Relationship,
    RiskAnswers,
    SafeContact,
)
from intake_app.domain.rules.protection_order import evaluate_intake

# -- the fields ------------------------------------------------------------------------------

MINIMUM_FIELDS: dict[str, str] = {
    "client.name": "氏名",
    "client.kana": "ふりがな",
    "client.date_of_birth": "生年月日",
    "household.children": "子ども（氏名・年齢・同居・面前DV・直接の被害・相手のもとにいるか）",
    "risk.history": "危険度の経過とその理由",
    "protection_order.status": "保護命令の状況（相談日ごと）",
    "address.support_measure": "支援措置の状況（申出日・連絡日・期限）",
    "address.do_not_disclose": "追及注意と窓口への申し送り",
    "client.safe_contact": "安全な連絡先（電話・メール・連絡してよい時間）",
}

OPTIONAL_FIELDS: dict[str, str] = {
    "client.aliases": "旧姓・通称",
    "client.gender": "性別",
    "client.age_group": "年代",
    "client.nationality": "国籍",
    "client.language": "使用言語",
    "client.disability": "障害",
    "client.pregnant": "妊娠",
    "client.address": "住所（元の住所）",
    "client.current_whereabouts": "現在の居所",
    "household.children.school": "子どもの学校・園",
    "household.relatives_at_risk": "危険のある親族",
    "household.child_notification": "児童通告の記録",
    "relationship.type": "相手との関係",
    "relationship.perpetrator_name": "相手の氏名・ふりがな",
    "violence.types": "暴力の種類と頻度",
    "violence.threats": "脅迫の対象",
    "violence.latest_incident": "最近の出来事",
    "violence.injuries": "けが・治療",
    "violence.police_involvement": "警察の関与",
    "needs.categories": "困りごと",
    "needs.note": "困りごとの詳細",
    "shelter.history": "一時保護の経過",
    "consultation.content": "各回の相談内容と講じた措置",
}

# Fields that say where she is or was: the screen marks them and asks twice.
SENSITIVE_FIELDS = frozenset({"client.address", "client.current_whereabouts"})

HANDOFF_FIELDS: dict[str, str] = {**MINIMUM_FIELDS, **OPTIONAL_FIELDS}
KNOWN_FIELDS = frozenset(HANDOFF_FIELDS)


def field_label(field: str, gender: str | None = None) -> str:
    """A field's name on the send screen and the 引継書. A man's case never names
    一時保護 (rules.md §9.9): his stays are the city's 緊急一時避難."""
    if field == "shelter.history":
        if gender == "male":
            return "緊急一時避難の経過"
        if gender != "female":
            return "一時保護・避難の経過"
    return HANDOFF_FIELDS.get(field, field)


def choose_fields(extra: Collection[str] = ()) -> tuple[str, ...]:
    """The minimum plus the optional fields ticked, in the order of ``HANDOFF_FIELDS``."""
    unknown = sorted(set(extra) - KNOWN_FIELDS)
    if unknown:
        raise HandoffError(
            "malformed",
            message="知らない項目です: {}（使える項目: {}）".format(
                "、".join(unknown), "、".join(OPTIONAL_FIELDS)
            ),
        )
    wanted = set(MINIMUM_FIELDS) | set(extra)
    return tuple(f for f in HANDOFF_FIELDS if f in wanted)


# -- what the store hands over ----------------------------------------------------------------


@dataclass(frozen=True)
class StoredRisk:
    checklist_version: str
    computed: str
    final: str
    yes_count: int
    red_flags: list[str]
    judgement: str | None
    judgement_reason: str | None


@dataclass(frozen=True)
class StoredDecisions:
    shelter_recommendation: str | None
    shelter_wish: str | None
    shelter_requested: bool
    po_eligible: bool | None
    po_orders: list[str]
    po_prerequisite: str | None
    po_intention: str | None


@dataclass(frozen=True)
class SourceConsultation:
    """One saved consultation of the case being sent, as the vault keeps it."""

    consulted_on: dt.date
    kind: str
    channel: str | None
    intake: Intake
    risk: StoredRisk | None
    decisions: StoredDecisions | None


@dataclass(frozen=True)
class SourceMeasure:
    applied_on: dt.date
    expires_on: dt.date


def _d(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


RiskReasons = Callable[[RiskAnswers], list[str]]


def build_content(
    case_number: str,
    consultations: Sequence[SourceConsultation],
    *,
    fields: Collection[str],
    support_measure: SourceMeasure | None,
    do_not_disclose: bool,
    counter_note: str,
    risk_reasons: RiskReasons | None = None,
) -> dict[str, Any]:
    """Exactly the chosen parts of the case (``consultations`` oldest first).

    ``risk_reasons(answers)`` gives the reason lines of an assessment (the rules of
    ``domain.rules.risk``); without it no reasons are sent.
    """
    if not consultations:
        raise HandoffError("malformed", message="このケースには送れる相談記録がありません。")
    chosen = set(fields)
    latest = consultations[-1].intake
    client = latest.client
    out: dict[str, Any] = {"case_number": case_number}
    info: dict[str, Any] = {}
    simple = {
        "client.name": ("name", client.name),
        "client.kana": ("kana", client.kana),
        "client.date_of_birth": ("date_of_birth", _d(client.date_of_birth)),
        "client.aliases": ("aliases", list(client.aliases)),
        "client.gender": ("gender", client.gender),
        "client.age_group": ("age_group", client.age_group),
        "client.nationality": ("nationality", client.nationality),
        "client.language": ("language", latest.consultation.language),
        "client.disability": ("disability", client.disability),
        "client.pregnant": ("pregnant", client.pregnant),
        "client.address": ("address", client.address),
    }
    for field_id, (key, value) in simple.items():
        if field_id in chosen:
            info[key] = value
    if "client.current_whereabouts" in chosen:
        info["fled"] = client.fled
        info["current_whereabouts"] = client.current_whereabouts
    if "client.safe_contact" in chosen:
        sc = client.safe_contact
        info["safe_contact"] = {
            "may_call": sc.may_call,
            "may_leave_message": sc.may_leave_message,
            "may_mail": sc.may_mail,
            "safe_times": sc.safe_times,
            "phone": sc.phone,
            "email": sc.email,
        }
    out["client"] = info
    if "household.children" in chosen:
        school = "household.children.school" in chosen
        out["children"] = [
            {
                "name": ch.name,
                "age": ch.age,
                "lives_with_client": ch.lives_with_client,
                "witnessed_violence": ch.witnessed_violence,
                "directly_harmed": ch.directly_harmed,
                "lives_with_perpetrator": ch.lives_with_perpetrator,
                **({"school": ch.school} if school else {}),
            }
            for ch in latest.household.children
        ]
    if "household.relatives_at_risk" in chosen:
        out["relatives"] = {
            "at_risk": latest.household.relatives_at_risk,
            "note": latest.household.relatives_note,
        }
    if "household.child_notification" in chosen:
        out["child_notifications"] = [
            {
                "consulted_on": _d(c.consulted_on),
                "notified_to": n.notified_to,
                "notified_at": _d(n.notified_at),
                "method": n.method,
                "note": n.note,
            }
            for c in consultations
            if (n := c.intake.household.child_notification) is not None
        ]
    rel: dict[str, Any] = {}
    if "relationship.type" in chosen:
        rel["type"] = latest.relationship.type
    if "relationship.perpetrator_name" in chosen:
        rel["perpetrator_name"] = latest.relationship.perpetrator_name
        rel["perpetrator_kana"] = latest.relationship.perpetrator_kana
    if rel:
        out["relationship"] = rel
    if "address.support_measure" in chosen:
        out["support_measure"] = (
            None
            if support_measure is None
            else {
                "applied_on": _d(support_measure.applied_on),
                "expires_on": _d(support_measure.expires_on),
                "notified_on": _d(latest.address.notified_on),
            }
        )
    if "address.do_not_disclose" in chosen:
        out["do_not_disclose"] = bool(do_not_disclose)
        out["counter_note"] = counter_note
    out["consultations"] = [_consultation(c, chosen, risk_reasons) for c in consultations]
    return out


def _po_eligible(stored: bool | None, intake: Intake, consulted_on: dt.date) -> bool | None:
    """The stored protection-order answer; ``None`` (判断待ち) for a 「対象外」 saved while
    an answer that could make it eligible was still missing (rules.md §8.8: advice saved
    before the state was kept said 対象外 then)."""
    if stored is not False:
        return stored
    return None if evaluate_intake(intake, consulted_on).state == "pending" else stored


def _consultation(
    c: SourceConsultation, chosen: set[str], risk_reasons: RiskReasons | None
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "consulted_on": _d(c.consulted_on),
        "kind": c.kind,
        "channel": c.channel,
    }
    intake = c.intake
    if "risk.history" in chosen and c.risk is not None:
        reasons: list[str] = []
        if risk_reasons is not None:
            reasons = risk_reasons(intake.risk)
        entry["risk"] = {
            "checklist_version": c.risk.checklist_version,
            "computed": c.risk.computed,
            "final": c.risk.final,
            "yes_count": c.risk.yes_count,
            "red_flags": list(c.risk.red_flags),
            "answers": {k: v for k, v in intake.risk.answers.items()},
            "judgement": c.risk.judgement,
            "judgement_reason": c.risk.judgement_reason,
            "reasons": reasons,
        }
    d = c.decisions
    if "protection_order.status" in chosen and d is not None:
        entry["protection_order"] = {
            "eligible": _po_eligible(d.po_eligible, intake, c.consulted_on),
            "orders": list(d.po_orders),
            "prerequisite": d.po_prerequisite,
            "intention": d.po_intention,
        }
    if "shelter.history" in chosen and d is not None:
        entry["shelter"] = {
            "recommendation": d.shelter_recommendation,
            "wish": d.shelter_wish,
            "requested": d.shelter_requested,
        }
    v = intake.violence
    if "violence.types" in chosen:
        entry["violence_types"] = {str(k): str(f) for k, f in v.types.items()}
    if "violence.threats" in chosen:
        entry["threats"] = [str(t) for t in v.threats]
    if "violence.latest_incident" in chosen:
        entry["latest_incident"] = {"on": _d(v.latest_incident_on), "text": v.latest_incident}
    if "violence.injuries" in chosen:
        entry["injuries"] = {"injuries": v.injuries, "treatment": v.treatment}
    if "violence.police_involvement" in chosen:
        entry["police_involvement"] = v.police_involvement
    if "needs.categories" in chosen:
        entry["needs"] = [str(n) for n in intake.needs.categories]
    if "needs.note" in chosen:
        entry["needs_note"] = intake.needs.note
    if "consultation.content" in chosen:
        entry["content"] = intake.consultation.content
        entry["measures"] = intake.consultation.measures
    return entry


# -- the receiving side's check ------------------------------------------------------------

# A spec is a type name, ("list", spec) or ("dict", {key: (field id or None, spec)}).
Spec = Any
_MAX_STR = 20_000
_MAX_ITEMS = 1_000

_CLIENT: dict[str, tuple[str | None, Spec]] = {
    "name": ("client.name", "str"),
    "kana": ("client.kana", "str"),
    "date_of_birth": ("client.date_of_birth", "date?"),
    "aliases": ("client.aliases", ("list", "str")),
    "gender": ("client.gender", "str?"),
    "age_group": ("client.age_group", "str?"),
    "nationality": ("client.nationality", "str"),
    "language": ("client.language", "str"),
    "disability": ("client.disability", "bool?"),
    "pregnant": ("client.pregnant", "bool?"),
    "address": ("client.address", "str"),
    "fled": ("client.current_whereabouts", "bool?"),
    "current_whereabouts": ("client.current_whereabouts", "str"),
    "safe_contact": (
        "client.safe_contact",
        (
            "dict",
            {
                "may_call": (None, "bool?"),
                "may_leave_message": (None, "bool?"),
                "may_mail": (None, "bool?"),
                "safe_times": (None, "str"),
                "phone": (None, "str"),
                "email": (None, "str"),
            },
        ),
    ),
}
_CHILD: dict[str, tuple[str | None, Spec]] = {
    "name": (None, "str"),
    "age": (None, "int?"),
    "lives_with_client": (None, "bool?"),
    "witnessed_violence": (None, "bool?"),
    "directly_harmed": (None, "bool?"),
    "lives_with_perpetrator": (None, "bool?"),
    "school": ("household.children.school", "str"),
}
_CONSULTATION: dict[str, tuple[str | None, Spec]] = {
    "consulted_on": (None, "date"),
    "kind": (None, "str"),
    "channel": (None, "str?"),
    "risk": (
        "risk.history",
        (
            "dict",
            {
                "checklist_version": (None, "str"),
                "computed": (None, "str"),
                "final": (None, "str"),
                "yes_count": (None, "int"),
                "red_flags": (None, ("list", "str")),
                "answers": (None, ("map", "bool?")),
                "judgement": (None, "str?"),
                "judgement_reason": (None, "str?"),
                "reasons": (None, ("list", "str")),
            },
        ),
    ),
    "protection_order": (
        "protection_order.status",
        (
            "dict",
            {
                "eligible": (None, "bool?"),
                "orders": (None, ("list", "str")),
                "prerequisite": (None, "str?"),
                "intention": (None, "str?"),
            },
        ),
    ),
    "shelter": (
        "shelter.history",
        (
            "dict",
            {
                "recommendation": (None, "str?"),
                "wish": (None, "str?"),
                "requested": (None, "bool"),
            },
        ),
    ),
    "violence_types": ("violence.types", ("map", "str")),
    "threats": ("violence.threats", ("list", "str")),
    "latest_incident": (
        "violence.latest_incident",
        ("dict", {"on": (None, "date?"), "text": (None, "str")}),
    ),
    "injuries": (
        "violence.injuries",
        ("dict", {"injuries": (None, "str"), "treatment": (None, "str")}),
    ),
    "police_involvement": ("violence.police_involvement", "str"),
    "needs": ("needs.categories", ("list", "str")),
    "needs_note": ("needs.note", "str"),
    "content": ("consultation.content", "str"),
    "measures": ("consultation.content", "str"),
}
_CONTENT: dict[str, tuple[str | None, Spec]] = {
    "case_number": (None, "str"),
    "client": (None, ("dict", _CLIENT)),
    "children": ("household.children", ("list", ("dict", _CHILD))),
    "relatives": (
        "household.relatives_at_risk",
        ("dict", {"at_risk": (None, "bool?"), "note": (None, "str")}),
    ),
    "child_notifications": (
        "household.child_notification",
        (
            "list",
            (
                "dict",
                {
                    "consulted_on": (None, "date"),
                    "notified_to": (None, "str"),
                    "notified_at": (None, "datetime?"),
                    "method": (None, "str"),
                    "note": (None, "str"),
                },
            ),
        ),
    ),
    "relationship": (
        None,
        (
            "dict",
            {
                "type": ("relationship.type", "str?"),
                "perpetrator_name": ("relationship.perpetrator_name", "str"),
                "perpetrator_kana": ("relationship.perpetrator_name", "str"),
            },
        ),
    ),
    "support_measure": (
        "address.support_measure",
        (
            "dict?",
            {
                "applied_on": (None, "date"),
                "expires_on": (None, "date"),
                "notified_on": (None, "date?"),
            },
        ),
    ),
    "do_not_disclose": ("address.do_not_disclose", "bool"),
    "counter_note": ("address.do_not_disclose", "str"),
    "consultations": (None, ("list", ("dict", _CONSULTATION))),
}
_REQUIRED = {"case_number", "client", "consultations"}


def check_content(content: dict[str, Any], fields: Collection[str]) -> None:
    """Refuse (``malformed``) a content dict that is not exactly what ``fields`` allow."""
    missing = _REQUIRED - set(content)
    if missing or not content.get("consultations"):
        raise HandoffError("malformed")
    _check(content, ("dict", _CONTENT), frozenset(fields))


def _check(value: Any, spec: Spec, fields: frozenset[str]) -> None:
    if isinstance(spec, tuple):
        kind, inner = spec
        if kind == "dict?" and value is None:
            return
        if kind in ("dict", "dict?"):
            if not isinstance(value, dict):
                raise HandoffError("malformed")
            for key, item in value.items():
                if key not in inner:
                    raise HandoffError("malformed")
                field_id, item_spec = inner[key]
                if field_id is not None and field_id not in fields:
                    raise HandoffError("malformed")  # content of a field nobody chose
                _check(item, item_spec, fields)
            return
        if kind == "list":
            if not isinstance(value, list) or len(value) > _MAX_ITEMS:
                raise HandoffError("malformed")
            for item in value:
                _check(item, inner, fields)
            return
        if kind == "map":
            if not isinstance(value, dict) or len(value) > _MAX_ITEMS:
                raise HandoffError("malformed")
            for key, item in value.items():
                _check(key, "str", fields)
                _check(item, inner, fields)
            return
        raise AssertionError(spec)  # pragma: no cover - a spec typo
    optional = spec.endswith("?")
    base = spec.rstrip("?")
    if value is None:
        if optional:
            return
        raise HandoffError("malformed")
    if base == "str":
        if not isinstance(value, str) or len(value) > _MAX_STR:
            raise HandoffError("malformed")
    elif base == "bool":
        if not isinstance(value, bool):
            raise HandoffError("malformed")
    elif base == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
            raise HandoffError("malformed")
    elif base in ("date", "datetime"):
        if not isinstance(value, str) or len(value) > 40:
            raise HandoffError("malformed")
        try:
            (dt.date if base == "date" else dt.datetime).fromisoformat(value)
        except ValueError as exc:
            raise HandoffError("malformed") from exc
    else:  # pragma: no cover - a spec typo
        raise AssertionError(spec)


# -- the receiving side's views --------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def client_name(content: dict[str, Any]) -> str:
    return str(content.get("client", {}).get("name", ""))


def seed_intake(content: dict[str, Any]) -> Intake:
    """The start of the receiving centre's first consultation of the handed-over case.

    Carries who she is, how to reach her safely, the children, the relationship, the
    do-not-disclose flag and the latest risk answers (to confirm or change). The
    sending city's 支援措置 is not carried: it is that city's measure; the history
    shows it.
    """
    info = content.get("client", {})
    sc = info.get("safe_contact") or {}
    client = Client(
        name=str(info.get("name", "")),
        kana=str(info.get("kana", "")),
        aliases=list(info.get("aliases", [])),
        date_of_birth=_date(info.get("date_of_birth")),
        age_group=info.get("age_group"),
        gender=info.get("gender"),
        nationality=str(info.get("nationality", "")),
        disability=info.get("disability"),
        pregnant=info.get("pregnant"),
        safe_contact=SafeContact(
            may_call=sc.get("may_call"),
            may_leave_message=sc.get("may_leave_message"),
            may_mail=sc.get("may_mail"),
            safe_times=str(sc.get("safe_times", "")),
            phone=str(sc.get("phone", "")),
            email=str(sc.get("email", "")),
        ),
        fled=info.get("fled"),
        current_whereabouts=str(info.get("current_whereabouts", "")),
    )
    children = [
        Child(
            name=str(ch.get("name", "")),
            age=ch.get("age"),
            lives_with_client=ch.get("lives_with_client"),
            school=str(ch.get("school", "")),
            witnessed_violence=ch.get("witnessed_violence"),
            directly_harmed=ch.get("directly_harmed"),
            lives_with_perpetrator=ch.get("lives_with_perpetrator"),
        )
        for ch in content.get("children", [])
    ]
    relatives = content.get("relatives") or {}
    rel = content.get("relationship") or {}
    intake = Intake(
        client=client,
        household=Household(
            children=children,
            relatives_at_risk=relatives.get("at_risk"),
            relatives_note=str(relatives.get("note", "")),
        ),
        relationship=Relationship(
            type=rel.get("type"),
            perpetrator_name=str(rel.get("perpetrator_name", "")),
            perpetrator_kana=str(rel.get("perpetrator_kana", "")),
        ),
        address=AddressProtection(
            do_not_disclose=bool(content.get("do_not_disclose", False)),
            counter_note=str(content.get("counter_note", "")),
        ),
    )
    if "language" in info:
        intake.consultation.language = str(info["language"])
    risks = [c["risk"] for c in content.get("consultations", []) if c.get("risk")]
    if risks:
        latest = risks[-1]
        intake.risk = RiskAnswers(
            checklist_version=str(latest.get("checklist_version", "risk-v1")),
            answers=dict(latest.get("answers", {})),
        )
    return intake


def latest_risk(content: dict[str, Any]) -> str | None:
    risks = [c["risk"] for c in content.get("consultations", []) if c.get("risk")]
    level = risks[-1].get("final") if risks else None
    return level if level in LABELS["level"] else None


def needs_caution(content: dict[str, Any], today: dt.date) -> bool:
    """追及注意 at the sending centre, or its 支援措置 still in force: do not disclose."""
    measure = content.get("support_measure")
    in_force = (
        isinstance(measure, dict)
        and (expires := _date(measure.get("expires_on"))) is not None
        and expires >= today
    )
    return bool(content.get("do_not_disclose")) or in_force


ORDER_LABELS = {
    "approach_ban": "接近禁止命令",
    "contact_ban": "電話等禁止命令",
    "child_approach_ban": "子への接近禁止命令",
    "child_contact_ban": "子への電話等禁止命令",
    "relative_approach_ban": "親族等への接近禁止命令",
    "eviction": "退去等命令",
}


def _label(kind: str, value: Any) -> str:
    if value is None or value == "":
        return "不明・回答なし"
    return LABELS.get(kind, {}).get(str(value), str(value))


def _yes_no(value: Any) -> str:
    return {True: "はい", False: "いいえ"}.get(value, "不明・回答なし")


def summary_lines(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs of everything received except the consultations, for review."""
    lines: list[tuple[str, str]] = [("引継ぎ元のケース番号", str(content.get("case_number", "")))]
    info = content.get("client", {})
    simple = (
        ("name", "氏名", str),
        ("kana", "ふりがな", str),
        ("date_of_birth", "生年月日", str),
        ("aliases", "旧姓・通称", lambda v: "、".join(v)),
        ("gender", "性別", lambda v: _label("gender", v)),
        ("age_group", "年代", lambda v: _label("age_group", v)),
        ("nationality", "国籍", str),
        ("language", "使用言語", str),
        ("disability", "障害", _yes_no),
        ("pregnant", "妊娠", _yes_no),
        ("address", "住所（元の住所）", str),
        ("current_whereabouts", "現在の居所", str),
    )
    for key, label, fmt in simple:
        if key in info:
            value = info[key]
            lines.append((label, fmt(value) if value not in (None, "") else "不明・回答なし"))
    sc = info.get("safe_contact")
    if isinstance(sc, dict):
        ways = [
            text
            for key, text in (
                ("may_call", "電話可"),
                ("may_leave_message", "留守電可"),
                ("may_mail", "郵便可"),
            )
            if sc.get(key)
        ]
        parts = [p for p in (sc.get("phone"), sc.get("email"), sc.get("safe_times")) if p]
        lines.append(("安全な連絡先", "　".join([*parts, *ways]) or "不明・回答なし"))
    for i, ch in enumerate(content.get("children", []), start=1):
        age = ch.get("age")
        text = "{}　{}　同居: {}　面前DV: {}　直接の被害: {}　相手のもとに: {}".format(
            ch.get("name") or "（氏名なし）",
            f"{age}歳" if age is not None else "年齢不明",
            _yes_no(ch.get("lives_with_client")),
            _yes_no(ch.get("witnessed_violence")),
            _yes_no(ch.get("directly_harmed")),
            _yes_no(ch.get("lives_with_perpetrator")),
        )
        if ch.get("school"):
            text += "　学校・園: {}".format(ch["school"])
        lines.append((f"子ども{i}", text))
    relatives = content.get("relatives")
    if isinstance(relatives, dict):
        said = (_yes_no(relatives.get("at_risk")), str(relatives.get("note", "")))
        lines.append(("危険のある親族", " ".join(p for p in said if p)))
    for n in content.get("child_notifications", []):
        lines.append(
            (
                "児童通告",
                "{}　{}　{}".format(
                    n.get("notified_to", ""), n.get("notified_at") or "", n.get("method", "")
                ),
            )
        )
    rel = content.get("relationship") or {}
    if "type" in rel:
        lines.append(("相手との関係", _label("relationship", rel.get("type"))))
    if "perpetrator_name" in rel:
        name = " ".join(p for p in (rel.get("perpetrator_name"), rel.get("perpetrator_kana")) if p)
        lines.append(("相手の氏名", name or "不明・回答なし"))
    if "support_measure" in content:
        measure = content["support_measure"]
        lines.append(
            (
                "支援措置（引継ぎ元の市区町村）",
                "申出日 {}、連絡日 {}、期限 {}".format(
                    measure["applied_on"],
                    measure.get("notified_on") or "不明",
                    measure["expires_on"],
                )
                if measure
                else "なし",
            )
        )
    if "do_not_disclose" in content:
        lines.append(("追及注意", "あり" if content["do_not_disclose"] else "なし"))
        if content.get("counter_note"):
            lines.append(("窓口への申し送り", str(content["counter_note"])))
    return lines


def consultation_rows(content: dict[str, Any]) -> list[dict[str, str]]:
    """One row per earlier consultation (oldest first): what the history tab shows."""
    rows: list[dict[str, str]] = []
    for c in content.get("consultations", []):
        risk = c.get("risk") or {}
        po = c.get("protection_order") or {}
        shelter = c.get("shelter") or {}
        details: list[str] = []
        if risk.get("reasons"):
            details.append("危険度の理由: " + " / ".join(risk["reasons"]))
        if risk.get("judgement_reason"):
            details.append("判断の理由: " + str(risk["judgement_reason"]))
        if "violence_types" in c:
            details.append(
                "暴力: "
                + "、".join(
                    f"{_label('violence', k)}（{_label('frequency', v)}）"
                    for k, v in c["violence_types"].items()
                )
            )
        if c.get("threats"):
            details.append("脅迫: " + "、".join(_label("threat", t) for t in c["threats"]))
        if c.get("latest_incident"):
            inc = c["latest_incident"]
            details.append("最近の出来事: {} {}".format(inc.get("on") or "", inc.get("text", "")))
        if c.get("injuries"):
            inj = c["injuries"]
            details.append("けが: {} {}".format(inj.get("injuries", ""), inj.get("treatment", "")))
        if c.get("police_involvement"):
            details.append("警察: " + str(c["police_involvement"]))
        if c.get("needs"):
            details.append("困りごと: " + "、".join(_label("need", n) for n in c["needs"]))
        if c.get("needs_note"):
            details.append("困りごとの詳細: " + str(c["needs_note"]))
        if c.get("content"):
            details.append("相談内容: " + str(c["content"]))
        if c.get("measures"):
            details.append("講じた措置: " + str(c["measures"]))
        rows.append(
            {
                "consulted_on": str(c.get("consulted_on", "")),
                "kind": _label("kind", c.get("kind")),
                "channel": _label("channel", c.get("channel")),
                "risk": _label("level", risk.get("final")) if risk else "",
                "protection_order": (
                    ""
                    if not po
                    else (
                        "対象（{}）".format(
                            "、".join(ORDER_LABELS.get(o, o) for o in po.get("orders", []))
                        )
                        if po.get("eligible")
                        else "対象外"
                        if po.get("eligible") is False
                        else "判断待ち"
                    )
                    + (
                        "・" + _label("po_intention", po.get("intention"))
                        if po.get("intention")
                        else ""
                    )
                ),
                "shelter": (
                    ""
                    if not shelter
                    else "{}{}".format(
                        shelter.get("recommendation") or "",
                        "・依頼済み" if shelter.get("requested") else "",
                    )
                ),
                "details": "\n".join(details),
            }
        )
    return rows
