"""面前DV and violence towards children: the mandatory notification (rules.md §6).

児童虐待防止法 §2(4): DV in a home where a child lives is psychological abuse; §6: whoever
finds it must notify promptly. The client's consent cannot waive it.
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


@dataclass(frozen=True)
class ChildNotificationAdvice:
    required: bool
    child_indexes: list[int]
    destinations: list[str]  # names, from the municipality file when given
    reasons: list[Reason] = field(default_factory=list)
    recorded: bool = False  # the notification is recorded on the intake


def notification(intake: Intake, municipality: Any = None) -> ChildNotificationAdvice:
    """Whether the notification is required, for which children, and where to."""
    children = intake.household.children
    indexes: list[int] = []
    reasons: list[Reason] = []
    to_confirm: list[int] = []
    for index, child in enumerate(children):
        number = index + 1
        if child.directly_harmed is True:
            indexes.append(index)
            reasons.append(Reason(f"子ども{number}人目への暴力があります", LAW_NOTIFY))
        elif child.lives_with_client is not False and child.witnessed_violence is True:
            indexes.append(index)
            reasons.append(
                Reason(
                    f"同居する子ども{number}人目が暴力を見聞きしています（面前DV＝心理的虐待）",
                    LAW_WITNESSED,
                )
            )
        elif child.lives_with_client is not False and child.witnessed_violence is None:
            to_confirm.append(number)
    threatened = "using_children" in intake.violence.types or intake.risk.answers.get("R10")
    if threatened:
        others = [
            i
            for i, c in enumerate(children)
            if i not in indexes and c.lives_with_client is not False
        ]
        indexes.extend(others)
        reasons.append(
            Reason("子どもを利用した暴力、または子どもへの危害の脅しがあります", LAW_NOTIFY)
        )
        if not children:
            reasons.append(Reason("子どもの人数・年齢を記録してください", LAW_NOTIFY))
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
            Reason(
                f"同居する子ども（{numbers}）が暴力を見聞きしたかを確認してください", LAW_WITNESSED
            )
        )
    destinations = list(DEFAULT_DESTINATIONS)
    if municipality is not None:
        named = [
            d.name
            for d in getattr(municipality, "destinations", ())
            if d.kind in CHILD_NOTIFICATION_KINDS and not getattr(d, "disabled", False)
        ]
        destinations = named or destinations
    note = intake.household.child_notification
    recorded = note is not None and bool(note.notified_to.strip())
    if required and note is not None and recorded:
        reasons.append(Reason(f"通告を記録済みです（通告先: {note.notified_to}）", LAW_NOTIFY))
    return ChildNotificationAdvice(
        required=required,
        child_indexes=sorted(indexes),
        destinations=destinations if required else [],
        reasons=reasons,
        recorded=recorded,
    )
