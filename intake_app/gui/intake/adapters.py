"""The wizard's one door to the domain rules and the store.

Each function returns a small plain view object, so the screens do not depend on
the exact shape of the domain's results. When a domain module is not importable
(an older or partial installation), a local rendering of the same rule from
rules.md is used, so the counselor still sees advice with its reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.model import LABELS, LEVEL_ORDER, Intake, Level

CHECKLIST_RULE = "リスクチェックリスト v1"
CHILD_RULE = "児童虐待防止法第6条"
SHELTER_RULE = "一時保護の判断基準（困難女性支援法）"
PO_RULE = "配偶者暴力防止法第10条"
MEASURE_RULE = "住民基本台帳事務における支援措置"


@dataclass
class ReasonView:
    text: str
    rule: str = ""


@dataclass
class ChecklistItem:
    id: str
    text: str
    red_flag: bool


@dataclass
class RiskView:
    computed: Level
    final: Level
    yes_count: int
    red_flags: list[str]
    reasons: list[ReasonView]
    error: str = ""  # e.g. a raise without a reason (shown at the field)


@dataclass
class ChildView:
    required: bool
    child_indexes: list[int]
    destinations: list[str]
    reasons: list[ReasonView]


@dataclass
class ShelterView:
    recommendation: str
    routes: list[str]
    reasons: list[ReasonView]


@dataclass
class ProtectionOrderView:
    eligible: bool
    orders: list[dict[str, Any]]
    prerequisite: str | None
    alternative_routes: list[str]
    reasons: list[ReasonView]


@dataclass
class DestinationView:
    id: str
    name: str
    kind: str = ""
    contact: str = ""
    reasons: list[ReasonView] = field(default_factory=list)


# --- risk ----------------------------------------------------------------------------

_FALLBACK_CHECKLIST: tuple[tuple[str, str, bool], ...] = (
    ("R01", "首を絞められたことがある", True),
    ("R02", "「殺す」と脅されたことがある", True),
    ("R03", "刃物・凶器を使われた、または使うと脅された", True),
    ("R04", "本人が「殺されるかもしれない」と感じている", True),
    ("R05", "暴力の頻度や程度がひどくなっている", False),
    ("R06", "最近別居した、または別れようとしている", False),
    ("R07", "妊娠中、または出産後1年以内", False),
    ("R08", "つきまとい・監視・GPS等で居場所を把握されている", False),
    ("R09", "性行為を強要されたことがある", False),
    ("R10", "子どもに危害を加えると脅された、または子どもへの暴力がある", False),
    ("R11", "加害者が自殺をほのめかしている", False),
    ("R12", "激しい嫉妬や行動の支配がある", False),
    ("R13", "加害者に飲酒・薬物の問題がある", False),
    ("R14", "今回けがをしている、または医療が必要", False),
    ("R15", "外部との接触を制限されている", False),
    ("R16", "加害者に暴力による逮捕歴や命令違反歴がある", False),
    ("R17", "本人が強い恐怖を感じている", False),
)


NOTICE = (
    "このチェックリストは判断を助けるための構造化された目安です。"
    "検証された危険度スコアではありません。最終判断は相談員が行います。"
)


@dataclass
class ChecklistView:
    version: str
    items: list[ChecklistItem]
    notice: str = NOTICE


def checklist(version: str = "risk-v1") -> ChecklistView:
    """The checklist (data under resources/, via the domain) with its on-screen notice."""
    try:
        from intake_app.domain.rules.risk import load_checklist

        loaded = load_checklist(version)
        items = [
            ChecklistItem(str(i.id), str(i.text), bool(i.red_flag))
            for i in loaded.items  # type: ignore[attr-defined,unused-ignore]
        ]
        notice = str(getattr(loaded, "notice", "") or NOTICE)
        return ChecklistView(str(getattr(loaded, "version", version)), items, notice)
    except (ImportError, FileNotFoundError, AttributeError):
        return ChecklistView(version, [ChecklistItem(*row) for row in _FALLBACK_CHECKLIST])


def _level_index(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else -1  # type: ignore[arg-type,unused-ignore]


def assess_risk(intake: Intake) -> RiskView:
    """The computed and final level with reasons; never raises for the screen."""
    answers = {k: v for k, v in intake.risk.answers.items()}
    judgement = intake.risk.judgement
    reason = (intake.risk.judgement_reason or "").strip() or None
    try:
        from intake_app.domain.rules.risk import RuleInputError, assess
    except ImportError:
        return _assess_local(answers, judgement, reason)
    try:
        result = assess(answers, judgement=judgement, judgement_reason=reason)
    except RuleInputError as exc:
        view = assess_risk_without_judgement(intake)
        view.error = str(getattr(exc, "message", "") or exc)
        return view
    return RiskView(
        computed=result.computed,
        final=result.final,
        yes_count=int(result.yes_count),
        red_flags=list(result.red_flags),
        reasons=[_reason(r, CHECKLIST_RULE) for r in result.reasons],
    )


def assess_risk_without_judgement(intake: Intake) -> RiskView:
    copy = Intake.from_dict(intake.to_dict())
    copy.risk.judgement = None
    copy.risk.judgement_reason = None
    return assess_risk(copy)


def _assess_local(
    answers: dict[str, bool | None], judgement: Level | None, reason: str | None
) -> RiskView:
    items = checklist().items
    red = [i.id for i in items if i.red_flag and answers.get(i.id) is True]
    yes = sum(1 for i in items if answers.get(i.id) is True)
    reasons: list[ReasonView] = []
    computed: Level
    if len(red) >= 2:
        computed = "urgent"
        reasons.append(
            ReasonView(
                f"危険性の高い項目が{len(red)}つあります（{'・'.join(red)}）", CHECKLIST_RULE
            )
        )
    elif len(red) == 1 or yes >= 8:
        computed = "high"
        if red:
            reasons.append(ReasonView(f"危険性の高い項目があります（{red[0]}）", CHECKLIST_RULE))
        if yes >= 8:
            reasons.append(ReasonView(f"「はい」が{yes}項目あります（8項目以上）", CHECKLIST_RULE))
    elif yes >= 4:
        computed = "medium"
        reasons.append(ReasonView(f"「はい」が{yes}項目あります（4〜7項目）", CHECKLIST_RULE))
    else:
        computed = "low"
        reasons.append(ReasonView(f"「はい」は{yes}項目です（3項目以下）", CHECKLIST_RULE))
    final = computed
    error = ""
    if judgement is not None and _level_index(judgement) > _level_index(computed):
        if reason:
            final = judgement
            reasons.append(
                ReasonView(
                    f"専門的判断により{LABELS['level'][judgement]}に引き上げ: {reason}",
                    "専門的判断",
                )
            )
        else:
            error = "引き上げる理由を入力してください"
    return RiskView(computed, final, yes, red, reasons, error)


def _reason(r: Any, default_rule: str) -> ReasonView:
    if isinstance(r, str):
        return ReasonView(r, default_rule)
    return ReasonView(str(getattr(r, "text", r)), str(getattr(r, "rule", default_rule)))


# --- child notification --------------------------------------------------------------


def child_notification(intake: Intake, municipality: Any = None) -> ChildView:
    try:
        from intake_app.domain.rules.child import notification
    except ImportError:
        return _child_local(intake)
    advice = notification(intake, municipality)
    return ChildView(
        required=bool(advice.required),
        child_indexes=list(advice.child_indexes),
        destinations=[str(d) for d in advice.destinations],
        reasons=[_reason(r, CHILD_RULE) for r in advice.reasons],
    )


def _child_local(intake: Intake) -> ChildView:
    indexes: list[int] = []
    reasons: list[ReasonView] = []
    threat_children = intake.violence.types.get("using_children") is not None
    for i, child in enumerate(intake.household.children):
        if child.lives_with_client is True and child.witnessed_violence is True:
            indexes.append(i)
            reasons.append(
                ReasonView(
                    f"同居する子ども（{i + 1}人目）が暴力を目撃しています（面前DV）", CHILD_RULE
                )
            )
        elif child.directly_harmed is True:
            indexes.append(i)
            reasons.append(ReasonView(f"子ども（{i + 1}人目）への暴力があります", CHILD_RULE))
    if threat_children and intake.household.children and not indexes:
        indexes = list(range(len(intake.household.children)))
        reasons.append(ReasonView("子どもを利用した暴力・脅しがあります", CHILD_RULE))
    required = bool(indexes)
    if required:
        reasons.append(ReasonView("本人の同意の有無にかかわらず通告が必要です", CHILD_RULE))
    return ChildView(required, indexes, ["子ども未来課", "児童相談所"] if required else [], reasons)


# --- 一時保護 ------------------------------------------------------------------------

SHELTER_LABELS = {
    "immediate": "直ちに対応（警察・県の女性相談支援センターへ今すぐ連絡）",
    "recommend": "一時保護を勧める",
    "discuss": "一時保護について話し合う",
    "not_needed": "現時点では不要",
}


def shelter(intake: Intake, level: Level) -> ShelterView:
    age = _age(intake)
    children = list(range(len(intake.household.children)))
    try:
        from intake_app.domain.rules.shelter import recommend
    except ImportError:
        return _shelter_local(intake, level, age)
    advice = recommend(
        level,
        intake.shelter.safe_place_tonight,
        intake.client.gender,
        age,
        intake.client.disability,
        children,
        client_wish=intake.shelter.client_wish,
    )
    return ShelterView(
        recommendation=str(advice.recommendation),
        routes=[str(r) for r in advice.routes],
        reasons=[_reason(r, SHELTER_RULE) for r in advice.reasons],
    )


def _age(intake: Intake) -> int | None:
    dob = intake.client.date_of_birth
    if dob is None:
        return None
    today = dt.date.today()
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _shelter_local(intake: Intake, level: Level, age: int | None) -> ShelterView:
    safe = intake.shelter.safe_place_tonight
    reasons: list[ReasonView] = []
    if level == "urgent" or (level == "high" and safe is False):
        rec = "immediate"
        reasons.append(ReasonView(f"リスクが{LABELS['level'][level]}です", SHELTER_RULE))
    elif level == "high" or safe is False:
        rec = "recommend"
    elif level == "medium":
        rec = "discuss"
    else:
        rec = "not_needed" if safe is True else "discuss"
    if level != "urgent":
        reasons.append(ReasonView(f"リスクレベル: {LABELS['level'][level]}", SHELTER_RULE))
    if safe is False:
        reasons.append(ReasonView("今夜安全に過ごせる場所がありません", SHELTER_RULE))
    routes = ["city_emergency_stay"] if intake.client.gender == "male" else ["prefectural_centre"]
    if (age is not None and age >= 65) or intake.client.disability is True:
        routes.append("welfare_placement")
    return ShelterView(rec, routes, reasons)


ROUTE_LABELS = {
    "prefectural_centre": "県の女性相談支援センター（一時保護）",
    "city_emergency_stay": "市の緊急一時避難（ホテル避難等）",
    "welfare_placement": "高齢・障害福祉による保護",
}


# --- 保護命令 ------------------------------------------------------------------------

ORDER_LABELS = {
    "approach_ban": "接近禁止命令（1年）",
    "contact_ban": "電話等禁止命令",
    "child_approach_ban": "子への接近禁止命令",
    "child_contact_ban": "子への電話等禁止命令",
    "relative_approach_ban": "親族等への接近禁止命令",
    "eviction": "退去等命令（2か月）",
}
ROUTE_PO_LABELS = {
    "stalker_regulation_act": "警察（ストーカー規制法による警告・禁止命令）",
    "police_consultation": "警察への相談",
}
_ELIGIBLE = {
    "legal_spouse",
    "common_law_spouse",
    "cohabiting_partner",
    "former_legal_spouse",
    "former_common_law_spouse",
    "former_cohabiting_partner",
}


def po_inputs(intake: Intake) -> dict[str, Any]:
    try:
        from intake_app.domain.rules.protection_order import inputs_from_intake

        return dict(inputs_from_intake(intake))
    except ImportError:
        pass
    ages = [
        c.age
        for c in intake.household.children
        if c.age is not None and c.age < 18 and c.lives_with_client is True
    ]
    rel, po = intake.relationship, intake.protection_order
    return {
        "relationship": rel.type or "other",
        "cohabiting_at_application": intake.relationship.living_together is True,
        "violence_continued_after_separation": rel.violence_continued_after_separation is True,
        "physical_violence": "physical" in intake.violence.types,
        "threats": list(intake.violence.threats),
        "serious_harm_to_life_or_mind_likely": po.serious_harm_to_life_or_mind_likely is True,
        "serious_harm_to_life_or_body_likely": po.serious_harm_to_life_or_body_likely is True,
        "consulted_in_person": intake.consultation.channel in ("visit", "accompanied"),
        "cohabiting_minor_children_ages": ages,
        "relatives_at_risk": intake.household.relatives_at_risk is True,
        "client_sole_owner_or_tenant": intake.protection_order.client_sole_owner_or_tenant is True,
    }


def protection_order(intake: Intake) -> ProtectionOrderView:
    inputs = po_inputs(intake)
    try:
        from intake_app.domain.rules.protection_order import evaluate

        out = evaluate(inputs)
    except ImportError:
        out = _po_local(inputs)
    return ProtectionOrderView(
        eligible=bool(out["eligible"]),
        orders=list(out["orders"]),
        prerequisite=out["prerequisite"],
        alternative_routes=list(out["alternative_routes"]),
        reasons=[_reason(r, PO_RULE) for r in out["reasons"]],
    )


def _po_local(i: dict[str, Any]) -> dict[str, Any]:
    rel = i["relationship"]
    reasons: list[str] = []
    rel_ok = rel in _ELIGIBLE
    if rel.startswith("former_") and not i["violence_continued_after_separation"]:
        rel_ok = False
        reasons.append("元配偶者等は、別れた後も暴力が続いている場合に限り対象です")
    elif not rel_ok:
        reasons.append("この関係は保護命令の対象外です")
    violence = i["physical_violence"] or bool(i["threats"])
    if not violence:
        reasons.append("身体的暴力または脅迫がありません")
    if not i["serious_harm_to_life_or_mind_likely"]:
        reasons.append("生命又は心身に重大な危害を受けるおそれが記録されていません")
    eligible = rel_ok and violence and i["serious_harm_to_life_or_mind_likely"]
    orders: list[dict[str, Any]] = []
    if eligible:
        reasons.append("対象となる関係・暴力・危害のおそれがあります")
        orders.append({"type": "approach_ban", "months": 12})
        orders.append({"type": "contact_ban"})
        ages = [a for a in i["cohabiting_minor_children_ages"] if a < 18]
        if ages:
            needed = [a for a in ages if a >= 15]
            orders.append({"type": "child_approach_ban", "consent_needed_ages": needed})
            orders.append({"type": "child_contact_ban", "consent_needed_ages": needed})
        if i["relatives_at_risk"]:
            orders.append({"type": "relative_approach_ban"})
        life_body = i["physical_violence"] or bool({"life", "body"} & set(i["threats"]))
        if (
            i["cohabiting_at_application"]
            and life_body
            and i["serious_harm_to_life_or_body_likely"]
        ):
            orders.append(
                {
                    "type": "eviction",
                    "months": 2,
                    "max_months": 6 if i["client_sole_owner_or_tenant"] else 2,
                }
            )
    routes: list[str] = []
    if rel == "non_cohabiting_partner":
        routes = ["stalker_regulation_act"]
    elif rel in ("family_member", "other"):
        routes = ["police_consultation"]
    elif rel.startswith("former_") and not eligible:
        routes = ["stalker_regulation_act", "police_consultation"]
    prereq = None
    if eligible:
        prereq = "consultation_on_record" if i["consulted_in_person"] else "notarized_statement"
    return {
        "eligible": eligible,
        "orders": orders,
        "prerequisite": prereq,
        "alternative_routes": routes,
        "reasons": reasons,
    }


# --- 支援措置 ------------------------------------------------------------------------


def measure_expiry(applied_on: dt.date) -> dt.date:
    try:
        from intake_app.domain.rules.support_measure import expiry

        return expiry(applied_on)  # type: ignore[no-any-return,unused-ignore]
    except ImportError:
        try:
            return applied_on.replace(year=applied_on.year + 1) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            return dt.date(applied_on.year + 1, 2, 28)


def measure_renewal_opens(applied_on: dt.date) -> dt.date:
    try:
        from intake_app.domain.rules.support_measure import renewal_opens

        return renewal_opens(applied_on)  # type: ignore[no-any-return,unused-ignore]
    except ImportError:
        end = measure_expiry(applied_on)
        month = end.month - 1 or 12
        year = end.year if end.month > 1 else end.year - 1
        day = min(end.day, 28)
        return dt.date(year, month, day)


# --- municipality and referrals -------------------------------------------------------

_FALLBACK_DESTINATIONS = (  # only when no municipality file could be loaded
    DestinationView("kodomo_mirai", "子ども未来課", "child_department", ""),
    DestinationView("jido_sodanjo", "児童相談所", "child_guidance", ""),
    DestinationView("pref_centre", "女性相談支援センター（県）", "prefectural_centre", ""),
    DestinationView("police", "警察署 生活安全課", "police", ""),
    DestinationView("seikatsu_shien", "生活支援課", "welfare", ""),
    DestinationView("legal", "法律相談", "legal", ""),
)


def resolve_municipality(municipality: Any) -> Any:
    """The loaded ``Municipality`` (``session.municipality`` may hold only its id)."""
    if municipality is None or isinstance(municipality, str):
        try:
            from intake_app.domain.municipality import load_municipality
        except ImportError:
            return municipality
        return load_municipality(municipality or "warabi")
    return municipality


def destinations(municipality: Any) -> list[DestinationView]:
    dests = getattr(municipality, "destinations", None)
    if not dests:
        return list(_FALLBACK_DESTINATIONS)
    out = []
    for d in dests:
        get = d.get if isinstance(d, dict) else lambda k, _d=d: getattr(_d, k, "")
        out.append(
            DestinationView(
                str(get("id")), str(get("name")), str(get("kind") or ""), str(get("contact") or "")
            )
        )
    return out


def suggested_destinations(intake: Intake, municipality: Any) -> list[DestinationView]:
    """Destinations suggested by the domain for this intake, each with its reasons."""
    try:
        from intake_app.domain.advice import advise

        advice = advise(intake, municipality, dt.date.today())
        result = []
        by_id = {d.id: d for d in destinations(municipality)}
        for s in advice.suggested_destinations:
            did = str(getattr(s, "id", getattr(s, "destination_id", s)))
            base = by_id.get(did, DestinationView(did, str(getattr(s, "name", did))))
            reasons = [_reason(r, "") for r in getattr(s, "reasons", [])]
            result.append(DestinationView(base.id, base.name, base.kind, base.contact, reasons))
        return result
    except (ImportError, AttributeError, TypeError):
        return _suggest_local(intake, municipality)


_NEED_KINDS: dict[str, tuple[str, ...]] = {
    "children": ("child_department", "school", "nursery"),
    "economic": ("welfare",),
    "housing": ("welfare",),
    "employment": ("employment",),
    "health": ("health",),
    "mental": ("counselling", "health"),
    "sexual_harm": ("counselling", "health"),
    "family": ("counselling",),
    "legal": ("legal",),
    "residence_status": ("legal",),
}
NEEDS_RULE = "困難女性支援法（包括的な支援）"


def _suggest_local(intake: Intake, municipality: Any) -> list[DestinationView]:
    result: dict[str, DestinationView] = {}

    def add(kinds: tuple[str, ...], text: str, rule: str) -> None:
        for d in destinations(municipality):
            if d.kind in kinds:
                view = result.setdefault(d.id, DestinationView(d.id, d.name, d.kind, d.contact))
                view.reasons.append(ReasonView(text, rule))

    for cat in intake.needs.categories:
        add(_NEED_KINDS.get(cat, ()), f"困りごと: {LABELS['need'][cat]}", NEEDS_RULE)
    if child_notification(intake, municipality).required:
        add(("child_department", "child_guidance"), "子どもについての通告が必要です", CHILD_RULE)
    level = assess_risk(intake).final
    if level in ("high", "urgent"):
        text = f"リスクが{LABELS['level'][level]}です"
        add(("police", "prefectural_centre"), text, SHELTER_RULE)
    if intake.address.support_measure_applied:
        add(("resident_registry",), "支援措置の申出があります", MEASURE_RULE)
    age = _age(intake)
    if intake.client.disability is True or (age is not None and age >= 65):
        add(("elderly_disability",), "高齢・障害の福祉による支援の対象になり得ます", SHELTER_RULE)
    return list(result.values())


def police_contact(municipality: Any) -> str:
    for d in destinations(municipality):
        if d.kind == "police":
            return f"{d.name} {d.contact}".strip()
    return "最寄りの警察署"


# --- the store -----------------------------------------------------------------------


@dataclass
class DraftView:
    intake: Intake
    step: int
    case_id: Any
    follow_up: bool


def load_draft(session: Any, draft_id: int) -> DraftView:
    raw = session.records.load_draft(draft_id)
    data = _get(raw, "data", raw)
    step = _get(raw, "step", 0)
    case_id = _get(raw, "case_id", None)
    meta = data.get("_wizard", {}) if isinstance(data, dict) else {}
    intake_data = data.get("intake", data) if isinstance(data, dict) else {}
    return DraftView(
        Intake.from_dict(intake_data),
        int(step or meta.get("step", 0) or 0),
        case_id if case_id is not None else meta.get("case_id"),
        bool(meta.get("follow_up", False)),
    )


def draft_payload(intake: Intake, *, step: int, case_id: Any, follow_up: bool) -> dict[str, Any]:
    data = intake.to_dict()
    data["_wizard"] = {"step": step, "case_id": case_id, "follow_up": follow_up}
    return data


def _get(obj: Any, key: str, default: Any) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


@dataclass
class HistoryEntry:
    when: str
    computed: str
    final: str
    reason: str = ""


def risk_history(session: Any, case_id: Any) -> list[HistoryEntry]:
    """Earlier risk assessments of the case, oldest first (empty if unknown)."""
    if case_id is None:
        return []
    records = session.records
    getter = getattr(records, "risk_history", None)
    rows: Any = None
    if callable(getter):
        rows = getter(case_id)
    else:
        try:
            view = records.open_case(case_id)
        except Exception:
            return []
        rows = _get(view, "assessments", None) or _get(view, "risk_history", None) or []
    out = []
    for row in rows or []:
        out.append(
            HistoryEntry(
                str(_get(row, "assessed_on", _get(row, "assessed_at", "")) or "")[:16].replace(
                    "T", " "
                ),
                str(_get(row, "computed", "") or ""),
                str(_get(row, "final", "") or ""),
                str(_get(row, "judgement_reason", "") or ""),
            )
        )
    return out


def urgent_findings(intake: Intake, municipality: Any) -> list[str] | None:
    """The domain's list of what must be acted on first (None when not available)."""
    try:
        from intake_app.domain.advice import advise
    except ImportError:
        return None
    try:
        return [str(f) for f in advise(intake, municipality, dt.date.today()).urgent_findings]
    except (AttributeError, TypeError, ValueError):
        return None
