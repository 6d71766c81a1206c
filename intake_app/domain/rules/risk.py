"""Risk assessment with the project's own checklist (rules.md §3, §8.10, §9.7): decision
support only.

The checklist is data (intake_app/resources/checklists/risk-v<N>.toml). New assessments
use the newest version (``CURRENT_CHECKLIST_VERSION``); a stored assessment keeps its
version and is never recomputed with another. Unknown answers count as no for the counts;
from v2 on, unknown is not safe: too few 「いいえ」 answers keep the level at least 「中」.
The counselor may raise the level with a written reason; the final level is never below
the computed one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from intake_app.domain.bundled import bundled
from intake_app.domain.model import CURRENT_CHECKLIST_VERSION, LABELS, LEVEL_ORDER, Level
from intake_app.domain.reasons import LawAsOf, Reason, RuleInputError, shown_key
from intake_app.domain.tomlfile import TomlDocument

__all__ = [
    "CHECKLIST_VERSIONS",
    "CURRENT_CHECKLIST_VERSION",
    "UNASSESSED_LABEL",
    "Checklist",
    "ChecklistItem",
    "Reason",
    "RiskComparison",
    "RiskResult",
    "RuleInputError",
    "assess",
    "compare",
    "load_checklist",
]

# The versions shipped in intake_app/resources/checklists/ (oldest first).
CHECKLIST_VERSIONS = ("risk-v1", "risk-v2")
# Shown instead of a level while no item is answered and no judgement is recorded.
UNASSESSED_LABEL = "未評価"

_VERSION_RE = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    red_flag: bool


@dataclass(frozen=True)
class Thresholds:
    urgent_red_flags: int
    high_red_flags: int
    high_yes: int
    medium_yes: int


@dataclass(frozen=True)
class UnknownFloor:
    """Unknown is not safe (rules.md §9.7): below ``min_no_percent`` per cent of the items
    answered 「いいえ」, the computed level is at least ``level``."""

    level: Level
    min_no_percent: int


@dataclass(frozen=True)
class Checklist:
    version: str
    title: str
    notice: str  # "a structured aid, not a validated score": shown on screen
    items: tuple[ChecklistItem, ...]
    thresholds: Thresholds
    # Items that count together as one red flag when all are yes, e.g. ("R06", "R08").
    red_flag_pairs: tuple[tuple[str, ...], ...] = ()
    unknown_floor: UnknownFloor | None = None

    @property
    def rule(self) -> str:
        """How reasons cite this checklist, e.g. 「危険度チェックリスト risk-v1」."""
        return f"危険度チェックリスト {self.version}"

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class RiskResult:
    computed: Level
    final: Level
    yes_count: int
    red_flags: list[str]  # item ids, and a pair as "R06+R08"
    reasons: list[Reason] = field(default_factory=list)
    checklist_version: str = "risk-v1"
    answered: int = 0  # items answered yes or no (rules.md §8.10)
    judged: bool = False  # the counselor recorded a judgement

    @property
    def unassessed(self) -> bool:
        """No item answered and no judgement: show 「未評価」, never a level (not even 「低」)."""
        return self.answered == 0 and not self.judged

    def label(self) -> str:
        """The final level in Japanese, or 「未評価」 before any answer."""
        return UNASSESSED_LABEL if self.unassessed else LABELS["level"][self.final]

    def to_contract(self, law: LawAsOf | None = None) -> dict[str, object]:
        """The `intake-app rules risk` output (rules.md §3, §8.6, §8.10, §9.7)."""
        out: dict[str, object] = {
            "computed": self.computed,
            "final": self.final,
            "yes_count": self.yes_count,
            "red_flags": list(self.red_flags),
            "answered": self.answered,
            "checklist_version": self.checklist_version,
            "reasons": [r.line() for r in self.reasons],
        }
        if law is not None:
            out["law_as_of"] = law.to_contract()
        return out


@dataclass(frozen=True)
class RiskComparison:
    """An earlier stored assessment beside a new one (e.g. risk-v1 then risk-v2); neither is
    recomputed. ``change`` is "higher", "lower" or "same" (final levels)."""

    earlier_version: str
    earlier_final: Level
    later_version: str
    later_final: Level
    change: str
    same_version: bool
    note: Reason


def compare(earlier_version: str, earlier_final: Level, later: RiskResult) -> RiskComparison:
    """Put a stored assessment (its version and final level, as stored) beside ``later``."""
    before, after = LEVEL_ORDER.index(earlier_final), LEVEL_ORDER.index(later.final)
    change = "higher" if after > before else "lower" if after < before else "same"
    same = earlier_version == later.checklist_version
    was = f"前回（{earlier_version}）「{_level_label(earlier_final)}」"
    now = f"今回（{later.checklist_version}）「{later.label()}」"
    if same:
        text = f"{was} → {now}"
    else:
        text = (
            f"{was} → {now}。版が違うため項目と基準が異なります。"
            "前回の結果はその時の版のまま表示し、再計算していません"
        )
    return RiskComparison(
        earlier_version,
        earlier_final,
        later.checklist_version,
        later.final,
        change,
        same,
        Reason(text, f"危険度チェックリスト {later.checklist_version}"),
    )


def checklist_path(version: str) -> Traversable:
    if not _VERSION_RE.match(version):
        raise ValueError(f"チェックリストの版の指定が正しくありません: {version}")
    return bundled("checklists", f"{version}.toml")


@functools.lru_cache(maxsize=8)
def load_checklist(version: str = CURRENT_CHECKLIST_VERSION, path: Path | None = None) -> Checklist:
    """The checklist ``version`` bundled in intake_app/resources/checklists/ (or the file
    ``path``), validated."""
    doc = TomlDocument(path or checklist_path(version))
    data = doc.data
    file_version = doc.string(data, "version")
    if path is None and file_version != version:
        raise doc.error("version", f"ファイル名の版（{version}）と一致しません")
    items: list[ChecklistItem] = []
    for index, raw in enumerate(doc.tables(data, "items")):
        where = f"items[{index}]"
        item = ChecklistItem(
            id=doc.string(raw, "id", where),
            text=doc.string(raw, "text", where),
            red_flag=doc.boolean(raw, "red_flag", where),
        )
        if any(existing.id == item.id for existing in items):
            raise doc.error(f"{where}.id", f"項目ID「{item.id}」が重複しています")
        items.append(item)
    limits = doc.table(data, "thresholds")
    thresholds = Thresholds(
        **{
            name: doc.integer(limits, name, "thresholds", minimum=1)
            for name in ("urgent_red_flags", "high_red_flags", "high_yes", "medium_yes")
        }
    )
    ids = {item.id for item in items}
    pairs: list[tuple[str, ...]] = []
    for index, raw in enumerate(
        doc.tables(data, "red_flag_pairs") if "red_flag_pairs" in data else []
    ):
        where = f"red_flag_pairs[{index}]"
        pair = tuple(doc.strings(raw, "ids", where))
        unknown = [i for i in pair if i not in ids]
        if len(pair) < 2 or unknown:
            raise doc.error(f"{where}.ids", "チェックリストにある2つ以上の項目IDにしてください")
        pairs.append(pair)
    floor = None
    if "unknown_is_not_safe" in data:
        raw_floor = doc.table(data, "unknown_is_not_safe")
        level = doc.string(raw_floor, "level", "unknown_is_not_safe")
        if level not in LEVEL_ORDER:
            raise doc.error(
                "unknown_is_not_safe.level", f"{'、'.join(LEVEL_ORDER)} のいずれかにしてください"
            )
        percent = doc.integer(raw_floor, "min_no_percent", "unknown_is_not_safe", minimum=1)
        if percent > 100:
            raise doc.error("unknown_is_not_safe.min_no_percent", "1〜100の整数にしてください")
        floor = UnknownFloor(LEVEL_ORDER[LEVEL_ORDER.index(level)], percent)
    return Checklist(
        version=file_version,
        title=doc.string(data, "title"),
        notice=doc.string(data, "notice"),
        items=tuple(items),
        thresholds=thresholds,
        red_flag_pairs=tuple(pairs),
        unknown_floor=floor,
    )


def _level_label(level: Level) -> str:
    return LABELS["level"][level]


def _check_level(value: object, key: str) -> Level | None:
    if value is None:
        return None
    if value not in LEVEL_ORDER:
        choices = "、".join(LEVEL_ORDER)
        raise RuleInputError(f"{key}: {choices} のいずれか、または null にしてください", key)
    return value


def assess(
    answers: Mapping[str, bool | None],
    judgement: Level | None = None,
    judgement_reason: str | None = None,
    checklist: Checklist | None = None,
) -> RiskResult:
    """Compute the level from ``answers`` and apply the counselor's judgement (rules.md §3,
    §8.10; §9.7 for checklists with red-flag pairs and the unknown-is-not-safe floor)."""
    checklist = checklist or load_checklist()
    known = {item.id for item in checklist.items}
    for key, value in answers.items():
        if key not in known:
            shown = shown_key(key)
            raise RuleInputError(
                f"answers.{shown}: チェックリストにない項目です", f"answers.{shown}"
            )
        if value is not None and not isinstance(value, bool):
            raise RuleInputError(
                f"answers.{key}: true・false・null のいずれかにしてください", f"answers.{key}"
            )
    judgement = _check_level(judgement, "judgement")
    if judgement_reason is not None and not isinstance(judgement_reason, str):
        raise RuleInputError(
            "judgement_reason: 文字列または null にしてください", "judgement_reason"
        )

    items = checklist.items
    yes_ids = [item.id for item in items if answers.get(item.id) is True]
    no_count = sum(1 for item in items if answers.get(item.id) is False)
    answered = len(yes_ids) + no_count
    red_flags = [item.id for item in items if item.red_flag and item.id in yes_ids]
    for pair in checklist.red_flag_pairs:
        if all(i in yes_ids for i in pair):
            red_flags.append("+".join(pair))
    order = {item.id: index for index, item in enumerate(items)}
    red_flags.sort(key=lambda flag: order[flag.split("+")[0]])
    limits = checklist.thresholds
    rule = checklist.rule
    flagged = "、".join(_flag_text(checklist, flag) for flag in red_flags)
    reasons: list[Reason] = []
    computed: Level
    if len(red_flags) >= limits.urgent_red_flags:
        computed = "urgent"
        reasons.append(
            Reason(
                f"重大な危険のしるし（赤信号項目）が{len(red_flags)}つあるため「緊急」です: "
                f"{flagged}",
                rule,
            )
        )
    elif len(red_flags) >= limits.high_red_flags:
        computed = "high"
        text = f"重大な危険のしるし（赤信号項目）があるため「高」です: {flagged}"
        reasons.append(Reason(text, rule))
    elif len(yes_ids) >= limits.high_yes:
        computed = "high"
        text = f"「はい」が{len(yes_ids)}項目（{limits.high_yes}項目以上）あるため「高」です"
        reasons.append(Reason(text, rule))
    elif len(yes_ids) >= limits.medium_yes:
        computed = "medium"
        reasons.append(
            Reason(
                f"「はい」が{len(yes_ids)}項目（{limits.medium_yes}〜{limits.high_yes - 1}項目）"
                "あるため「中」です",
                rule,
            )
        )
    else:
        computed = "low"
        counted = (
            "（不明の項目は「いいえ」として数えています）"
            if checklist.unknown_floor is None
            else ""
        )
        reasons.append(
            Reason(f"「はい」が{len(yes_ids)}項目で、赤信号項目がないため「低」です{counted}", rule)
        )
    floor = checklist.unknown_floor
    if (
        floor is not None
        and no_count * 100 < floor.min_no_percent * len(items)
        and LEVEL_ORDER.index(computed) < LEVEL_ORDER.index(floor.level)
    ):
        reasons.append(
            Reason(
                f"計算上は「{_level_label(computed)}」ですが、"
                f"未確認の項目が多いため、少なくとも『{_level_label(floor.level)}』として扱います"
                f"（「いいえ」と確認できた項目は{len(items)}項目のうち{no_count}項目）",
                rule,
            )
        )
        computed = floor.level
    unanswered = len(items) - answered
    if unanswered:
        reasons.append(
            Reason(
                f"{len(items)}項目のうち{unanswered}項目が未回答です。"
                "不明は「いいえ」として数えていますが、安全とわかったわけではありません",
                rule,
            )
        )

    final = computed
    judgement_rule = f"{rule}・相談員の判断"
    if judgement is not None:
        if LEVEL_ORDER.index(judgement) > LEVEL_ORDER.index(computed):
            if not (judgement_reason or "").strip():
                raise RuleInputError(
                    "judgement_reason: 計算値より高い判断には理由を書いてください",
                    "judgement_reason",
                )
            final = judgement
            reasons.append(
                Reason(
                    f"相談員の判断により「{_level_label(computed)}」から"
                    f"「{_level_label(judgement)}」に引き上げました: {judgement_reason}",
                    judgement_rule,
                )
            )
        elif judgement != computed:
            reasons.append(
                Reason(
                    f"相談員の判断「{_level_label(judgement)}」は計算値より低いため、"
                    f"最終レベルは計算値の「{_level_label(computed)}」のままです",
                    judgement_rule,
                )
            )
    reasons.append(Reason(checklist.notice, rule))
    return RiskResult(
        computed=computed,
        final=final,
        yes_count=len(yes_ids),
        red_flags=red_flags,
        reasons=reasons,
        checklist_version=checklist.version,
        answered=answered,
        judged=judgement is not None,
    )


def _flag_text(checklist: Checklist, flag: str) -> str:
    """「R01 首を…」, or for a pair 「R06+R08（最近別居した…／つきまとい…）」."""
    if "+" not in flag:
        return f"{flag} {checklist.item(flag).text}"
    texts = "／".join(checklist.item(i).text for i in flag.split("+"))
    return f"{flag}（{texts}）"
