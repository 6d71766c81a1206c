"""The one-page summary of an intake (the last step), urgent items first.

A plain function of the intake, the domain's advice and the municipality: the wizard
adds what only it knows (the follow-up's changes, the problems found at a save).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from intake_app.domain.advice import IntakeAdvice
from intake_app.domain.codes import LABELS
from intake_app.domain.model import Intake
from intake_app.domain.municipality import Municipality
from intake_app.domain.rules import child as child_rules
from intake_app.domain.rules import risk as risk_rules
from intake_app.domain.rules import shelter as shelter_rules
from intake_app.domain.rules import support_measure
from intake_app.domain.rules.protection_order import FORMER
from intake_app.domain.rules.risk import RiskResult
from intake_app.domain.rules.support_measure import SupportMeasureStatus
from intake_app.domain.validation import notification_missing
from intake_app.gui.intake import wording
from intake_app.gui.intake.widgets import tr


@dataclass(frozen=True)
class FollowUpChanges:
    """A follow-up consultation against the one before: 前回からの変更."""

    level_before: str | None  # the previous stored final risk level (a code), if any
    steps: Sequence[str]  # the titles of the steps whose answers changed
    version_before: str | None = None  # the checklist version of that assessment


def summary_html(
    intake: Intake,
    advice: IntakeAdvice,
    municipality: Municipality | None,
    *,
    changes: FollowUpChanges | None = None,
    problems: Sequence[tuple[str, str]] = (),
) -> str:
    """The summary page; ``problems`` are (step title, message) pairs to fix before saving.

    For a male client the shelter lines read as the city's emergency stay and nothing names
    一時保護 or the women's centre (rules.md §9.9)."""
    i = intake
    e = html.escape
    gender = i.client.gender
    topic = wording.shelter_topic(gender)
    urgent: list[str] = list(advice.urgent_findings)
    risk = advice.risk
    if risk.final in ("high", "urgent") and not risk.unassessed:
        urgent.append(tr("リスク: {}").format(LABELS["level"][risk.final]))
    shelter = advice.shelter
    shelter_label = shelter.label or shelter_rules.recommendation_label(
        shelter.recommendation, gender
    )
    if shelter.recommendation in ("immediate", "recommend"):
        urgent.append(tr("{}: {}").format(topic, shelter_label))
    if "child_guidance" in shelter.routes:
        urgent.append(
            tr("18歳未満: {}につなぎます").format(shelter_rules.ROUTE_LABELS["child_guidance"])
        )
    child = advice.child_notification
    if child.required:
        n = i.household.child_notification
        if n is not None and not notification_missing(n):
            urgent.append(tr("子どもの通告: 記録済み（{}）").format(n.notified_to))
        if child.with_perpetrator:
            urgent.append(
                tr("通告の対象で最も急ぐのは{}: {}").format(
                    child_rules.WITH_PERPETRATOR, _children(i, child.with_perpetrator)
                )
            )
    if i.address.do_not_disclose:
        urgent.append(tr("追及注意: 加害者等に情報を開示しない"))
    parts = []
    if changes is not None:
        parts.append(_changes_html(changes, risk))
    if urgent:
        parts.append(
            "<h3 style='color:#b00020'>"
            + e(tr("緊急・重要"))
            + "</h3><ul>"
            + "".join(f"<li style='color:#b00020'><b>{e(u)}</b></li>" for u in urgent)
            + "</ul>"
        )
    if problems:
        parts.append("<h3>" + e(tr("保存前に確認が必要な項目")) + "</h3><ul>")
        parts += [f"<li>{e(step)}: {e(message)}</li>" for step, message in problems]
        parts.append("</ul>")
    c = i.client
    name = tr("匿名") if c.anonymous else (c.name or tr("（未入力）"))
    rows = [
        (
            tr("相談"),
            f"{LABELS['kind'][i.consultation.kind]} / "
            f"{LABELS['channel'].get(i.consultation.channel or '', tr('不明'))} / "
            f"{_when(i.consultation.started_at)}",
        ),
        (tr("本人"), f"{name} / {LABELS['gender'].get(c.gender or '', tr('性別不明'))}"),
        (tr("子ども"), _children_text(i, child.with_perpetrator)),
        (tr("関係"), relationship_text(i)),
        (tr("暴力"), violence_text(i)),
        (tr("リスク"), risk_text(risk)),
        (
            topic,
            shelter_label
            + " / "
            + tr("本人の希望: {}").format(
                LABELS["shelter_wish"].get(i.shelter.client_wish or "", tr("不明"))
            )
            + " / "
            + tr("経路: {}").format(
                "、".join(shelter_rules.ROUTE_LABELS[r] for r in shelter.routes)
            ),
        ),
    ]
    if "child_guidance" in shelter.routes:
        why = [r.line() for r in shelter.reasons if r.rule == shelter_rules.CHILD_RULE]
        rows.append((tr("児童相談所"), " ".join(why)))
    rows += [
        (tr("保護命令"), protection_order_text(advice)),
        (
            tr("紹介"),
            "、".join(_destination_name(municipality, r.destination_id) for r in i.referrals)
            or tr("なし"),
        ),
        (tr("支援措置"), _measure_text(i, advice.support_measure)),
    ]
    joint = support_measure.joint_applicant_names(i)
    if i.address.support_measure_applied and joint:
        rows.append((tr("併せて支援を求める者"), "、".join(joint)))
    parts.append("<table cellpadding='3'>")
    for k, v in rows:
        parts.append(f"<tr><th align='right'>{e(k)}</th><td>{e(str(v))}</td></tr>")
    parts.append("</table>")
    law = advice.law_as_of
    parts.append(
        "<p style='color:#555'>"
        + e(tr("適用した法令（{}時点）:").format(law.as_of.isoformat()))
        + "<br>"
        + "<br>".join(e(line) for line in wording.law_lines(law, gender))
        + "</p>"
    )
    return "".join(parts)


def risk_text(risk: RiskResult) -> str:
    """The level with the checklist version; 「未評価」 before any answer."""
    if risk.unassessed:
        return tr("未評価（{}・まだ回答がありません）").format(risk.checklist_version)
    return tr("算定 {} / 最終 {}（{}）").format(
        LABELS["level"][risk.computed], LABELS["level"][risk.final], risk.checklist_version
    )


def protection_order_text(advice: IntakeAdvice) -> str:
    """判断待ち (with what it waits for), the orders with their terms, or 対象外 with the
    other routes (rules.md §8.3, §8.8)."""
    result = advice.protection_order
    state = advice.protection_order_state
    text = wording.state_label(state)
    if state == "pending" and advice.protection_order_pending:
        text += tr("（{}）").format("、".join(advice.protection_order_pending))
    if result["orders"]:
        text += ": " + "、".join(
            wording.order_label(o["type"]) + wording.order_terms(o) for o in result["orders"]
        )
    if result["alternative_routes"]:
        text += " / " + tr("他の手段: {}").format(
            "、".join(wording.route_label(r) for r in result["alternative_routes"])
        )
    return text


def relationship_text(intake: Intake) -> str:
    """The relationship; for a former partner, whether the violence happened while it
    lasted (配偶者暴力防止法第10条第1項, rules.md §9.1)."""
    rel = intake.relationship
    text = LABELS["relationship"].get(rel.type or "", tr("不明"))
    if rel.type in FORMER:
        during = rel.violence_during_relationship
        answer = tr("未確認") if during is None else tr("はい") if during else tr("いいえ")
        text += tr("（関係が続いていた間の暴力・脅迫: {}）").format(answer)
    return text


def _children(intake: Intake, indexes: Sequence[int]) -> str:
    children = intake.household.children
    names = []
    for index in indexes:
        name = children[index].name.strip() if 0 <= index < len(children) else ""
        names.append(
            tr("{}人目（{}）").format(index + 1, name) if name else tr("{}人目").format(index + 1)
        )
    return "・".join(names)


def _children_text(intake: Intake, with_perpetrator: Sequence[int]) -> str:
    text = tr("{}人").format(len(intake.household.children))
    if with_perpetrator:
        text += tr("（{}: {}）").format(
            child_rules.WITH_PERPETRATOR, _children(intake, with_perpetrator)
        )
    return text


def _changes_html(changes: FollowUpChanges, risk: RiskResult) -> str:
    """Follow-up: 前回からの変更 (the stored level and its version beside this one, neither
    recomputed; the changed steps)."""
    e = html.escape
    steps = "、".join(changes.steps) or tr("なし")
    items = []
    if changes.level_before in LABELS["level"] and changes.version_before:
        note = risk_rules.compare(changes.version_before, changes.level_before, risk).note  # type: ignore[arg-type]
        items.append(tr("危険度: {}").format(note.text))
    items.append(tr("変更したステップ: {}").format(steps))
    return (
        "<h3>"
        + e(tr("前回からの変更"))
        + "</h3><ul>"
        + "".join(f"<li><b>{e(item)}</b></li>" for item in items)
        + "</ul>"
    )


def violence_text(intake: Intake) -> str:
    """Each of the six types: what happened, なかった, or 不明・回答なし (kept apart)."""
    v = intake.violence
    happened = [
        tr("{}（{}）").format(label, LABELS["frequency"][v.types[code]])
        for code, label in LABELS["violence"].items()
        if code in v.types
    ]
    absent = [
        label
        for code, label in LABELS["violence"].items()
        if code in v.absent and code not in v.types
    ]
    unknown = [
        label
        for code, label in LABELS["violence"].items()
        if code not in v.types and code not in v.absent
    ]
    parts = []
    if happened:
        parts.append(tr("あった: {}").format("、".join(happened)))
    if absent:
        parts.append(tr("なかった: {}").format("、".join(absent)))
    if unknown:
        parts.append(tr("不明・回答なし: {}").format("、".join(unknown)))
    return " ／ ".join(parts)


def _destination_name(municipality: Municipality | None, destination_id: str) -> str:
    if municipality is not None:
        for d in municipality.destinations:
            if d.id == destination_id:
                return d.name
    return destination_id


def _measure_text(intake: Intake, status: SupportMeasureStatus | None) -> str:
    """Both dates, the day the year counts from (and which it is), and the expiry."""
    if not intake.address.support_measure_applied:
        return tr("なし")
    if status is None:
        return tr("申出あり（申出日未入力）")
    notified = status.notified_on.isoformat() if status.notified_on is not None else tr("未記録")
    which = tr("連絡日") if status.counted_from == "notified" else tr("申出日")
    start = status.start or status.applied_on
    return tr("申出 {}・連絡 {}・起算 {}（{}）・期限 {}").format(
        status.applied_on.isoformat(), notified, start.isoformat(), which, status.expiry.isoformat()
    )


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""
