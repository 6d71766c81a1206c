"""Referrals: field whitelists, consent and minimum disclosure (rules.md §7).

Nothing outside a destination's whitelist is disclosed. The client's whereabouts (and
address) are disclosed only when whitelisted AND confirmed by the counselor. The mandatory
child notification (rules.md §6) is the one referral that needs no consent.
"""

from __future__ import annotations

from typing import Any

from intake_app.domain.codes import REFERRAL_FIELDS, current_field_ids
from intake_app.domain.model import Referral
from intake_app.domain.reasons import Reason

LOCATION_FIELDS = frozenset({"client.current_whereabouts", "client.address"})
CHILD_NOTIFICATION_KINDS = ("child_department", "child_guidance")
RULE = "紹介と最小限の開示（本人同意・個人情報の保護）"
CHILD_RULE = "児童虐待防止法第6条"


def _get(destination: Any, name: str, default: Any) -> Any:
    if isinstance(destination, dict):
        return destination.get(name, default)
    return getattr(destination, name, default)


def allowed_fields(destination: Any) -> list[str]:
    """The destination's whitelist (known field ids only, in the file's order)."""
    fields = current_field_ids(str(f) for f in _get(destination, "fields", ()) or ())
    return [f for f in fields if f in REFERRAL_FIELDS]


def is_mandatory_notification(referral: Referral, destination: Any) -> bool:
    """The child notification to a child department or child guidance centre."""
    return referral.mandatory and _get(destination, "kind", "") in CHILD_NOTIFICATION_KINDS


def needs_consent(referral: Referral, destination: Any) -> bool:
    return not is_mandatory_notification(referral, destination)


def disclosed(referral: Referral, destination: Any) -> list[str]:
    """Fields that may be disclosed: requested (all of the whitelist when none is chosen),
    whitelisted, and for the whereabouts and address, confirmed by the counselor."""
    allowed = allowed_fields(destination)
    requested = list(dict.fromkeys(referral.fields)) if referral.fields else allowed
    out = []
    for field_id in requested:
        if field_id not in allowed:
            continue
        if field_id in LOCATION_FIELDS and not referral.whereabouts_confirmed:
            continue
        out.append(field_id)
    return out


def withheld(referral: Referral, destination: Any) -> list[Reason]:
    """Why requested fields will not be disclosed (shown next to the slip)."""
    allowed = allowed_fields(destination)
    name = _get(destination, "name", referral.destination_id)
    reasons: list[Reason] = []
    for field_id in dict.fromkeys(referral.fields):
        label = REFERRAL_FIELDS.get(field_id, field_id)
        if field_id not in allowed:
            reasons.append(Reason(f"「{label}」は{name}に開示できる項目ではありません", RULE))
        elif field_id in LOCATION_FIELDS and not referral.whereabouts_confirmed:
            reasons.append(Reason(f"「{label}」は相談員が開示を確認していないため載せません", RULE))
    return reasons


def consent_issues(referral: Referral, destination: Any) -> list[tuple[str, str]]:
    """What is missing before the referral can be made: ``(attribute, message)`` pairs,
    ``attribute`` naming the ``Referral`` field to fix (validation shows it there)."""
    issues: list[tuple[str, str]] = []
    if referral.mandatory and not is_mandatory_notification(referral, destination):
        issues.append(
            (
                "mandatory",
                "同意不要の通告にできるのは、子どもの通告先（子ども担当課・児童相談所）だけです",
            )
        )
    if needs_consent(referral, destination):
        if not referral.consent:
            issues.append(("consent", "本人の同意: 同意を得てから紹介してください"))
        else:
            if referral.consent_method is None:
                issues.append(("consent_method", "同意の方法: 口頭か書面かを記録してください"))
            if referral.consent_at is None:
                issues.append(("consent_at", "同意の日時: 同意を得た日時を記録してください"))
    return issues


def consent_problems(referral: Referral, destination: Any) -> list[str]:
    """Japanese messages naming what is missing before the referral can be made."""
    return [message for _attribute, message in consent_issues(referral, destination)]


def consent_reason(referral: Referral, destination: Any) -> Reason:
    """The consent line shown on the screen and the slip."""
    if is_mandatory_notification(referral, destination):
        return Reason("法令に基づく通告のため、本人の同意を要しません", CHILD_RULE)
    if referral.consent:
        return Reason("本人の同意を得ています", RULE)
    return Reason("本人の同意がないため、紹介できません", RULE)
