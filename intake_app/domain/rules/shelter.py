"""一時保護 (temporary protection) and emergency stays: recommendation and route (rules.md §4,
§8.11-§8.14, §9.8, §9.9).

Only the prefectural 女性相談支援センター carries out 一時保護 for women; the city centre
assesses, explains and requests it with the client's consent. There is no public shelter for
men: for a male client nothing here names 一時保護 or the prefectural centre, and the advice
reads as the city's emergency stay (緊急一時避難). A client under 18 is a child (児童福祉法).
The level → recommendation mapping is this product's own guideline. The recommendation stays
visible even when the client does not wish protection; a safety plan is produced instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from intake_app.domain.model import LABELS, LEVEL_ORDER, AgeGroup, Gender, Level, ShelterWish
from intake_app.domain.reasons import LawAsOf, Reason, RuleInputError

Recommendation = Literal["immediate", "recommend", "discuss", "not_needed"]
Route = Literal["prefectural_centre", "city_emergency_stay", "child_guidance", "welfare_placement"]
RECOMMENDATIONS: tuple[Recommendation, ...] = ("immediate", "recommend", "discuss", "not_needed")
RECOMMENDATION_LABELS: dict[str, str] = {
    "immediate": "直ちに対応（警察・県の女性相談支援センターへ今すぐ連絡）",
    "recommend": "一時保護を勧める",
    "discuss": "一時保護について話し合う",
    "not_needed": "現時点では不要",
}
# For a male client (rules.md §8.12, §9.9): the city's emergency stay; immediate = police now.
MALE_RECOMMENDATION_LABELS: dict[str, str] = {
    "immediate": "直ちに対応（警察へ今すぐ連絡）",
    "recommend": "市の緊急一時避難を勧める",
    "discuss": "市の緊急一時避難について話し合う",
    "not_needed": "現時点では不要",
}
ROUTE_LABELS: dict[str, str] = {
    "prefectural_centre": "県の女性相談支援センター（一時保護）",
    "city_emergency_stay": "市の緊急一時避難（協定ホテル等）",
    "child_guidance": "児童相談所（児童福祉法第25条・第33条）",
    "welfare_placement": "高齢者・障害者施策による避難先",
}
ELDERLY_AGE = 65
CHILD_AGE = 18  # 児童福祉法第4条: under 18
# rules.md §8.13: the mapping is this product's guideline; the ordinance only gives grounds.
RULE = "一時保護の勧めの目安（本システムの基準）"
MALE_RULE = "緊急一時避難の勧めの目安（本システムの基準）"
GROUNDS_RULE = "困難女性支援法施行規則第1条"
ROUTE_RULE = "一時保護・緊急一時避難の経路"
MALE_ROUTE_RULE = "緊急一時避難の経路"
CHILD_RULE = "児童福祉法第4条・第25条・第33条"


def recommendation_label(recommendation: str, gender: Gender | None) -> str:
    """The recommendation in Japanese as this client should read it (men: 緊急一時避難)."""
    labels = MALE_RECOMMENDATION_LABELS if gender == "male" else RECOMMENDATION_LABELS
    return labels[recommendation]


@dataclass(frozen=True)
class ShelterAdvice:
    recommendation: Recommendation
    routes: list[Route]
    reasons: list[Reason] = field(default_factory=list)
    accompanying_children: list[int] = field(default_factory=list)  # indexes into children
    safety_plan: bool = False  # the client does not wish protection: plan and contacts instead
    label: str = ""  # the recommendation in Japanese for this client (recommendation_label)

    def to_contract(self, law: LawAsOf | None = None) -> dict[str, object]:
        """The `intake-app rules shelter` output (README)."""
        out: dict[str, object] = {
            "recommendation": self.recommendation,
            "routes": list(self.routes),
            "accompanying_children": len(self.accompanying_children),
            "safety_plan": self.safety_plan,
            "reasons": [r.line() for r in self.reasons],
        }
        if law is not None:
            out["law_as_of"] = law.to_contract()
        return out


def recommend(
    level: Level,
    safe_place_tonight: bool | None,
    gender: Gender | None,
    age: int | None,
    disability: bool | None,
    children: Sequence[int] = (),
    client_wish: ShelterWish | None = None,
    *,
    age_group: AgeGroup | None = None,
) -> ShelterAdvice:
    """Recommendation and routes from the final risk level and tonight's safety.

    ``age`` is the client's age when the date of birth is known; otherwise ``age_group``
    (the 年代 recorded) is used where it settles the question (rules.md §8.14).
    """
    if level not in LEVEL_ORDER:
        raise RuleInputError("level: low・medium・high・urgent のいずれかにしてください", "level")
    male = gender == "male"
    rule = MALE_RULE if male else RULE
    place = "市の緊急一時避難" if male else "一時保護"
    call = "警察" if male else "警察・県の女性相談支援センター"
    label = LABELS["level"][level]
    reasons: list[Reason] = []
    recommendation: Recommendation
    if level == "urgent" or (level == "high" and safe_place_tonight is not True):
        recommendation = "immediate"
        if level == "urgent":
            why = "危険度が「緊急」の"
        elif safe_place_tonight is False:
            why = "危険度が「高」で、今夜安全な場所がない"
        else:  # §8.11: unknown counts as no safe place at high risk
            why = (
                "危険度が「高」で、今夜安全な場所が確認できない"
                "（わからないときは、ないものとして扱います）"
            )
        reasons.append(Reason(f"{why}ため、今すぐ{call}に連絡してください", rule))
    elif level == "high" or safe_place_tonight is False:
        recommendation = "recommend"
        why = "危険度が「高」の" if level == "high" else "今夜安全に過ごせる場所がない"
        reasons.append(Reason(f"{why}ため、{place}を勧めます", rule))
    elif level == "medium":
        recommendation = "discuss"
        reasons.append(
            Reason(f"危険度が「中」のため、{place}について本人と話し合ってください", rule)
        )
    elif safe_place_tonight is True:
        recommendation = "not_needed"
        reasons.append(
            Reason(
                f"危険度が「{label}」で、今夜安全に過ごせる場所があるため、現時点では不要です", rule
            )
        )
    else:
        recommendation = "discuss"
        reasons.append(
            Reason("危険度は「低」ですが、今夜安全に過ごせる場所が確認できていません", rule)
        )
    if safe_place_tonight is None and level in ("low", "medium"):
        reasons.append(Reason("今夜安全に過ごせる場所があるかを、本人と確認してください", rule))
    if not male and recommendation in ("immediate", "recommend"):
        reasons.append(
            Reason(
                "一時保護の事由（配偶者等からの暴力、同居する人からの暴力、つきまといや居場所の"
                "把握、帰る住居がない・帰ると心身に害があるなど）にあたるかを確かめ、"
                "本人の意思に基づいて依頼します",
                GROUNDS_RULE,
            )
        )

    routes: list[Route]
    if gender == "female":
        routes = ["prefectural_centre"]
        reasons.append(Reason("女性は県の女性相談支援センターの一時保護につなぎます", ROUTE_RULE))
    elif male:
        routes = ["city_emergency_stay"]
        reasons.append(
            Reason("男性は市の緊急一時避難（協定ホテル等）につなぎます", MALE_ROUTE_RULE)
        )
    else:
        routes = ["prefectural_centre", "city_emergency_stay"]
        reasons.append(
            Reason(
                "性別が「その他」または未回答のため、県の一時保護と市の緊急一時避難の両方を確認してください",
                ROUTE_RULE,
            )
        )
    route_rule = MALE_ROUTE_RULE if male else ROUTE_RULE
    if age is not None and age < CHILD_AGE:
        routes.append("child_guidance")
        protection = "児童相談所による保護" if male else "児童相談所の一時保護"
        reasons.append(
            Reason(
                f"{age}歳（18歳未満）のため児童福祉法の「児童」です。児童相談所に通告し"
                f"（同法第25条）、{protection}（同法第33条）を検討してください",
                CHILD_RULE,
            )
        )
    elif age is None and age_group == "under_20":
        reasons.append(
            Reason(
                "年代が20歳未満のため、18歳未満かどうかを確認してください"
                "（18歳未満は児童相談所につなぎます）",
                CHILD_RULE,
            )
        )
    elderly = (age is not None and age >= ELDERLY_AGE) or (
        age is None and age_group == "70_and_over"
    )
    if elderly or disability is True:
        routes.append("welfare_placement")
        who = {
            (True, True): "65歳以上で障害がある",
            (True, False): "65歳以上の",
            (False, True): "障害がある",
        }[(elderly, disability is True)]
        reasons.append(
            Reason(f"{who}ため、高齢者・障害者施策による避難先も案内できます", route_rule)
        )
    if age is None and age_group == "60s":
        reasons.append(
            Reason(
                "年代が60代のため、65歳以上なら高齢者施策による避難先も案内できます。"
                "年齢を確認してください",
                route_rule,
            )
        )
    if children:
        target = "避難" if male else "保護"
        reasons.append(Reason(f"同伴する子ども{len(children)}人も{target}の対象です", rule))
    safety_plan = client_wish == "does_not_wish"
    if safety_plan:
        reasons.append(
            Reason(
                f"本人は{place}を希望していません。その意思を記録し、勧めは表示したまま、"
                "安全計画と警察・センターの連絡先を渡してください",
                "本人の意思の尊重（DV防止法）"
                if male
                else "本人の意思の尊重（困難女性支援法・DV防止法）",
            )
        )
    return ShelterAdvice(
        recommendation,
        routes,
        reasons,
        list(children),
        safety_plan,
        recommendation_label(recommendation, gender),
    )
