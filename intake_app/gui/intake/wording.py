"""Words the screens share: those that depend on who the client is (rules.md §8.12, §9.9),
and the names of the protection-order outcomes (§2.5, §8.3, §8.8).

There is no public shelter for men: for a male client no screen names 一時保護, the
prefectural women's centre (女性相談支援センター) or the law on support for women
(困難女性支援法); his step 6 is the city's emergency stay (緊急一時避難) and an
``immediate`` recommendation means the police now. A client whose gender is other or not
recorded is shown both routes, as the rules give both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intake_app.domain.codes import Gender
from intake_app.domain.reasons import LawAsOf
from intake_app.domain.rules.protection_order import UNTIL_APPROACH_BAN_LABEL
from intake_app.gui.intake.widgets import tr

SHELTER_STEP = "6 一時保護"  # the step's title in the code (``Step.title``)
# The law that is about women only: never shown as applied to a man's case.
WOMEN_ONLY_LAW = "困難女性支援法"


def shelter_topic(gender: Gender | str | None) -> str:
    """What step 6 is about for this client: 一時保護, 緊急一時避難, or both."""
    if gender == "male":
        return tr("緊急一時避難")
    if gender == "female":
        return tr("一時保護")
    return tr("一時保護・避難")


def shelter_step_title(gender: Gender | str | None) -> str:
    """Step 6's title for this client (the step list, its heading, the summary)."""
    if gender == "male":
        return tr("6 緊急一時避難")
    if gender == "female":
        return tr("6 一時保護")
    return tr("6 一時保護・避難")


def shelter_request_text(gender: Gender | str | None) -> str:
    """The tick that records the request (``ShelterInfo.requested``)."""
    if gender == "male":
        return tr("市の緊急一時避難を手配した")
    if gender == "female":
        return tr("県の女性相談支援センター等へ依頼した")
    return tr("県の女性相談支援センター、または市の緊急一時避難へ依頼した")


def offers_shelter_request(gender: Gender | str | None) -> bool:
    """The 一時保護依頼票 goes to the prefectural women's centre: never for a man."""
    return gender != "male"


def short_recommendation(recommendation: str | None, gender: Gender | str | None) -> str:
    """A stored recommendation code as a table cell shows it for this client ("" if none)."""
    if gender == "male":
        labels = {
            "immediate": tr("直ちに警察へ"),
            "recommend": tr("緊急一時避難を勧める"),
            "discuss": tr("緊急一時避難について話し合う"),
            "not_needed": tr("不要"),
        }
    else:
        labels = {
            "immediate": tr("直ちに保護の調整"),
            "recommend": tr("保護を勧める"),
            "discuss": tr("保護について話し合う"),
            "not_needed": tr("不要"),
        }
    return labels.get(str(recommendation), "")


def law_lines(law: LawAsOf, gender: Gender | str | None, *, only: Sequence[str] = ()) -> list[str]:
    """``law.lines()`` as this client's case applies them: ``only`` keeps the laws named
    (e.g. the protection order applies 配偶者暴力防止法 alone); for a man the law on
    support for women is left out. The decision-support notice is always last."""
    laws = [
        line
        for line in law.laws
        if (not only or any(line.startswith(name) for name in only))
        and not (gender == "male" and line.startswith(WOMEN_ONLY_LAW))
    ]
    return [*laws, law.notice]


# --- protection orders -----------------------------------------------------------------


def order_label(code: str) -> str:
    """Display name of a protection-order code (rules.md §2.5)."""
    names = {
        "approach_ban": tr("接近禁止命令"),
        "contact_ban": tr("電話等禁止命令"),
        "child_approach_ban": tr("子への接近禁止命令"),
        "child_contact_ban": tr("子への電話等禁止命令"),
        "relative_approach_ban": tr("親族等への接近禁止命令"),
        "eviction": tr("退去等命令"),
    }
    return names.get(code, code)


def route_label(code: str) -> str:
    """Display name of an alternative route to a protection order."""
    names = {
        "stalker_regulation_act": tr("警察（ストーカー規制法による警告・禁止命令）"),
        "police_consultation": tr("警察への相談"),
    }
    return names.get(code, code)


def order_terms(order: dict[str, Any]) -> str:
    """The order's terms as the domain gives them (months, or for orders ②-⑤ the approach
    ban's period, consent, longest period)."""
    out = ""
    if order.get("until") == "approach_ban":
        out += tr("（{}）").format(UNTIL_APPROACH_BAN_LABEL)
    elif order.get("months"):
        out += tr("（{}か月）").format(order["months"])
    if order.get("consent_needed_ages"):
        out += tr("（15歳以上の子の同意が必要: {}歳）").format(
            "・".join(map(str, order["consent_needed_ages"]))
        )
    if order.get("max_months") and order["max_months"] != order.get("months"):
        out += tr("（最長{}か月）").format(order["max_months"])
    return out


def state_heading(state: str) -> str:
    """The decision in one line: 判断待ち until the answers it needs are entered."""
    if state == "eligible":
        return tr("申立ての対象になり得ます")
    if state == "pending":
        return tr("判断待ち（必要な回答・判断がまだ入力されていません）")
    return tr("現在の記録では対象外です")


def state_label(state: str | None, eligible: bool | None = None) -> str:
    """The decision in a table cell or the summary. A stored decision without a state
    (recorded before 判断待ち existed) keeps what was recorded, said as such."""
    if state == "eligible" or (state is None and eligible is True):
        return tr("対象になり得る")
    if state == "pending":
        return tr("判断待ち")
    if state == "not_eligible":
        return tr("対象外")
    if eligible is False:
        return tr("対象外（規則の改正前の判定・要確認）")
    return ""
