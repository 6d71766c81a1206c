"""一時保護 (temporary protection) and emergency stays: recommendation and route (rules.md §4).

Only the prefectural 女性相談支援センター carries out 一時保護; the city centre assesses,
explains and requests it with the client's consent. The recommendation stays visible even
when the client does not wish protection; a safety plan is produced instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from intake_app.domain.model import LABELS, LEVEL_ORDER, Gender, Level, ShelterWish
from intake_app.domain.reasons import Reason, RuleInputError

Recommendation = Literal["immediate", "recommend", "discuss", "not_needed"]
Route = Literal["prefectural_centre", "city_emergency_stay", "welfare_placement"]
RECOMMENDATIONS: tuple[Recommendation, ...] = ("immediate", "recommend", "discuss", "not_needed")
RECOMMENDATION_LABELS: dict[str, str] = {
    "immediate": "直ちに対応（警察・県の女性相談支援センターへ今すぐ連絡）",
    "recommend": "一時保護を勧める",
    "discuss": "一時保護について話し合う",
    "not_needed": "現時点では不要",
}
ROUTE_LABELS: dict[str, str] = {
    "prefectural_centre": "県の女性相談支援センター（一時保護）",
    "city_emergency_stay": "市の緊急一時避難（協定ホテル等）",
    "welfare_placement": "高齢者・障害者施策による避難先",
}
ELDERLY_AGE = 65
RULE = "一時保護の判断基準（困難女性支援法施行規則第1条）"
ROUTE_RULE = "一時保護・緊急一時避難の経路"


@dataclass(frozen=True)
class ShelterAdvice:
    recommendation: Recommendation
    routes: list[Route]
    reasons: list[Reason] = field(default_factory=list)
    accompanying_children: list[int] = field(default_factory=list)  # indexes into children
    safety_plan: bool = False  # the client does not wish protection: plan and contacts instead

    def to_contract(self) -> dict[str, object]:
        """The `intake-app rules shelter` output (README)."""
        return {
            "recommendation": self.recommendation,
            "routes": list(self.routes),
            "accompanying_children": len(self.accompanying_children),
            "safety_plan": self.safety_plan,
            "reasons": [r.line() for r in self.reasons],
        }


def recommend(
    level: Level,
    safe_place_tonight: bool | None,
    gender: Gender | None,
    age: int | None,
    disability: bool | None,
    children: Sequence[int] = (),
    client_wish: ShelterWish | None = None,
) -> ShelterAdvice:
    """Recommendation and routes from the final risk level and tonight's safety."""
    if level not in LEVEL_ORDER:
        raise RuleInputError("level: low・medium・high・urgent のいずれかにしてください", "level")
    label = LABELS["level"][level]
    reasons: list[Reason] = []
    recommendation: Recommendation
    if level == "urgent" or (level == "high" and safe_place_tonight is False):
        recommendation = "immediate"
        why = (
            "危険度が「緊急」の" if level == "urgent" else "危険度が「高」で、今夜安全な場所がない"
        )
        reasons.append(
            Reason(f"{why}ため、今すぐ警察・県の女性相談支援センターに連絡してください", RULE)
        )
    elif level == "high" or safe_place_tonight is False:
        recommendation = "recommend"
        why = "危険度が「高」の" if level == "high" else "今夜安全に過ごせる場所がない"
        reasons.append(Reason(f"{why}ため、一時保護を勧めます", RULE))
    elif level == "medium":
        recommendation = "discuss"
        reasons.append(
            Reason("危険度が「中」のため、一時保護について本人と話し合ってください", RULE)
        )
    elif safe_place_tonight is True:
        recommendation = "not_needed"
        reasons.append(
            Reason(
                f"危険度が「{label}」で、今夜安全に過ごせる場所があるため、現時点では不要です", RULE
            )
        )
    else:
        recommendation = "discuss"
        reasons.append(
            Reason("危険度は「低」ですが、今夜安全に過ごせる場所が確認できていません", RULE)
        )

    routes: list[Route]
    if gender == "female":
        routes = ["prefectural_centre"]
        reasons.append(Reason("女性は県の女性相談支援センターの一時保護につなぎます", ROUTE_RULE))
    elif gender == "male":
        routes = ["city_emergency_stay"]
        reasons.append(
            Reason(
                "男性のための公的な一時保護施設はないため、市の緊急一時避難を使います", ROUTE_RULE
            )
        )
    else:
        routes = ["prefectural_centre", "city_emergency_stay"]
        reasons.append(
            Reason(
                "性別が「その他」または未回答のため、県の一時保護と市の緊急一時避難の両方を確認してください",
                ROUTE_RULE,
            )
        )
    elderly = age is not None and age >= ELDERLY_AGE
    if elderly or disability is True:
        routes.append("welfare_placement")
        who = "65歳以上の" if elderly else "障害がある"
        reasons.append(
            Reason(f"{who}ため、高齢者・障害者施策による避難先も案内できます", ROUTE_RULE)
        )
    if children:
        reasons.append(Reason(f"同伴する子ども{len(children)}人も保護の対象です", RULE))
    safety_plan = client_wish == "does_not_wish"
    if safety_plan:
        reasons.append(
            Reason(
                "本人は一時保護を希望していません。その意思を記録し、勧めは表示したまま、"
                "安全計画と警察・センターの連絡先を渡してください",
                "本人の意思の尊重（困難女性支援法・DV防止法）",
            )
        )
    return ShelterAdvice(recommendation, routes, reasons, list(children), safety_plan)
