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
from intake_app.domain.rules import shelter as shelter_rules
from intake_app.domain.rules.support_measure import SupportMeasureStatus
from intake_app.domain.validation import notification_missing
from intake_app.gui.intake.widgets import tr


@dataclass(frozen=True)
class FollowUpChanges:
    """A follow-up consultation against the one before: 前回からの変更."""

    level_before: str  # the previous final risk level (a code)
    steps: Sequence[str]  # the titles of the steps whose answers changed


def summary_html(
    intake: Intake,
    advice: IntakeAdvice,
    municipality: Municipality | None,
    *,
    changes: FollowUpChanges | None = None,
    problems: Sequence[tuple[str, str]] = (),
) -> str:
    """The summary page; ``problems`` are (step title, message) pairs to fix before saving."""
    i = intake
    e = html.escape
    urgent: list[str] = list(advice.urgent_findings)
    risk = advice.risk
    if risk.final in ("high", "urgent"):
        urgent.append(tr("リスク: {}").format(LABELS["level"][risk.final]))
    shelter = advice.shelter
    shelter_label = shelter_rules.RECOMMENDATION_LABELS[shelter.recommendation]
    if shelter.recommendation in ("immediate", "recommend"):
        urgent.append(tr("一時保護: {}").format(shelter_label))
    if advice.child_notification.required:
        n = i.household.child_notification
        if n is not None and not notification_missing(n):
            urgent.append(tr("子どもの通告: 記録済み（{}）").format(n.notified_to))
    if i.address.do_not_disclose:
        urgent.append(tr("追及注意: 加害者等に情報を開示しない"))
    parts = []
    if changes is not None:
        parts.append(_changes_html(changes, risk.final))
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
        (tr("子ども"), tr("{}人").format(len(i.household.children))),
        (tr("関係"), LABELS["relationship"].get(i.relationship.type or "", tr("不明"))),
        (tr("暴力"), violence_text(i)),
        (
            tr("リスク"),
            tr("算定 {} / 最終 {}").format(
                LABELS["level"][risk.computed], LABELS["level"][risk.final]
            ),
        ),
        (
            tr("一時保護"),
            shelter_label
            + " / "
            + tr("本人の希望: {}").format(
                LABELS["shelter_wish"].get(i.shelter.client_wish or "", tr("不明"))
            ),
        ),
        (
            tr("保護命令"),
            tr("対象になり得る") if advice.protection_order["eligible"] else tr("対象外"),
        ),
        (
            tr("紹介"),
            "、".join(_destination_name(municipality, r.destination_id) for r in i.referrals)
            or tr("なし"),
        ),
        (tr("支援措置"), _measure_text(i, advice.support_measure)),
    ]
    parts.append("<table cellpadding='3'>")
    for k, v in rows:
        parts.append(f"<tr><th align='right'>{e(k)}</th><td>{e(str(v))}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def _changes_html(changes: FollowUpChanges, level_now: str) -> str:
    """Follow-up: 前回からの変更 (the risk level before → now, the changed steps)."""
    e = html.escape
    level = LABELS["level"]
    steps = "、".join(changes.steps) or tr("なし")
    before = changes.level_before
    return (
        "<h3>"
        + e(tr("前回からの変更"))
        + "</h3><ul><li><b>"
        + e(tr("危険度: {} → {}").format(level.get(before, before), level[level_now]))
        + "</b></li><li>"
        + e(tr("変更したステップ: {}").format(steps))
        + "</li></ul>"
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
    if not intake.address.support_measure_applied:
        return tr("なし")
    if status is None:
        return tr("申出あり（申出日未入力）")
    return tr("申出 {}・期限 {}").format(status.applied_on.isoformat(), status.expiry.isoformat())


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""
