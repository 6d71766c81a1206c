"""面前DV and violence towards children: the mandatory notification (rules.md §6, §9.10).

児童虐待防止法 §2(4): DV in a home where a child lives is psychological abuse; §6: whoever
finds it must notify promptly. The client's consent cannot waive it. A child who witnessed
violence or was harmed requires it whether or not the child lives with the client now; a
child who stays with the perpetrator (the mother fled alone) is named first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.model import Intake
from intake_app.domain.reasons import Reason

LAW_WITNESSED = "児童虐待防止法第2条第4号・第6条"
LAW_NOTIFY = "児童虐待防止法第6条"
DEFAULT_DESTINATIONS = ("市の子ども担当課", "児童相談所")
CHILD_NOTIFICATION_KINDS = ("child_department", "child_guidance")


WITH_PERPETRATOR = "加害者と同居している子ども"


@dataclass(frozen=True)
class ChildNotificationAdvice:
    required: bool
    child_indexes: list[int]  # those staying with the perpetrator first
    destinations: list[str]  # names, from the municipality file when given
    reasons: list[Reason] = field(default_factory=list)
    recorded: bool = False  # the notification is recorded on the intake
    with_perpetrator: list[int] = field(default_factory=list)  # 加害者と同居している子ども


def notification(intake: Intake, municipality: Any = None) -> ChildNotificationAdvice:
    """Whether the notification is required, for which children, and where to."""
    children = intake.household.children
    indexes: list[int] = []
    first: list[Reason] = []  # about children staying with the perpetrator
    reasons: list[Reason] = []
    to_confirm: list[int] = []
    whereabouts: list[int] = []
    for index, child in enumerate(children):
        number = index + 1
        if child.directly_harmed is True:
            reason = Reason(f"子ども{number}人目への暴力があります", LAW_NOTIFY)
        elif child.witnessed_violence is True:
            reason = Reason(
                f"子ども{number}人目が暴力を見聞きしています（面前DV＝心理的虐待）",
                LAW_WITNESSED,
            )
        else:
            if child.witnessed_violence is None:
                to_confirm.append(number)
            continue
        indexes.append(index)
        if child.lives_with_perpetrator is True:
            first.append(
                Reason(
                    f"{WITH_PERPETRATOR}（{number}人目）がいます。最も急ぐ通告です: {reason.text}",
                    reason.rule,
                )
            )
        else:
            reasons.append(reason)
            if child.lives_with_client is False and child.lives_with_perpetrator is None:
                whereabouts.append(number)
    harmed_or_witnessed = set(indexes)
    threatened = "using_children" in intake.violence.types or intake.risk.answers.get("R10")
    if threatened:
        indexes.extend(i for i in range(len(children)) if i not in indexes)
        reasons.append(
            Reason("子どもを利用した暴力、または子どもへの危害の脅しがあります", LAW_NOTIFY)
        )
        if not children:
            reasons.append(Reason("子どもの人数・年齢を記録してください", LAW_NOTIFY))
    if whereabouts:
        numbers = "・".join(f"{n}人目" for n in whereabouts)
        reasons.append(
            Reason(
                f"本人と暮らしていない子ども（{numbers}）が今だれと暮らしているかを確認してください"
                "（加害者と同居している場合は最も急ぎます）",
                LAW_NOTIFY,
            )
        )
    required = bool(indexes) or bool(threatened)
    if required:
        reasons.append(
            Reason(
                "通告は法律上の義務で、本人の同意の有無にかかわらず行います（守秘義務に優先します）",
                LAW_NOTIFY,
            )
        )
    elif to_confirm:
        numbers = "・".join(f"{n}人目" for n in to_confirm)
        reasons.append(
            Reason(f"子ども（{numbers}）が暴力を見聞きしたかを確認してください", LAW_WITNESSED)
        )
    destinations = list(DEFAULT_DESTINATIONS)
    if municipality is not None:
        named = [
            d.name
            for d in getattr(municipality, "destinations", ())
            if d.kind in CHILD_NOTIFICATION_KINDS
        ]
        destinations = named or destinations
    note = intake.household.child_notification
    recorded = note is not None and bool(note.notified_to.strip())
    if required and note is not None and recorded:
        reasons.append(Reason(f"通告を記録済みです（通告先: {note.notified_to}）", LAW_NOTIFY))
    with_perpetrator = [i for i in indexes if children[i].lives_with_perpetrator is True]
    threatened_only = [i + 1 for i in with_perpetrator if i not in harmed_or_witnessed]
    if threatened_only:
        numbers = "・".join(f"{n}人目" for n in threatened_only)
        first.append(
            Reason(
                f"{WITH_PERPETRATOR}（{numbers}）がいます。子どもへの危害の脅し・子どもを利用した"
                "暴力があり、最も急ぐ通告です",
                LAW_NOTIFY,
            )
        )
    return ChildNotificationAdvice(
        required=required,
        child_indexes=with_perpetrator + sorted(i for i in indexes if i not in with_perpetrator),
        destinations=destinations if required else [],
        reasons=first + reasons,
        recorded=recorded,
        with_perpetrator=with_perpetrator,
    )
