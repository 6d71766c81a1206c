"""Risk assessment with the project's own checklist (rules.md §3): decision support only.

The checklist is data (intake_app/resources/checklists/risk-v1.toml). Unknown answers
count as no. The counselor may raise the level with a written reason; the final level is
never below the computed one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from intake_app.domain.bundled import bundled
from intake_app.domain.model import LABELS, LEVEL_ORDER, Level
from intake_app.domain.reasons import Reason, RuleInputError
from intake_app.domain.tomlfile import TomlDocument

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Reason",
    "RiskResult",
    "RuleInputError",
    "assess",
    "load_checklist",
]

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
class Checklist:
    version: str
    title: str
    notice: str  # "a structured aid, not a validated score": shown on screen
    items: tuple[ChecklistItem, ...]
    thresholds: Thresholds

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
    red_flags: list[str]
    reasons: list[Reason] = field(default_factory=list)
    checklist_version: str = "risk-v1"

    def to_contract(self) -> dict[str, object]:
        """The `intake-app rules risk` output (rules.md §3)."""
        return {
            "computed": self.computed,
            "final": self.final,
            "yes_count": self.yes_count,
            "red_flags": list(self.red_flags),
            "reasons": [r.line() for r in self.reasons],
        }


def checklist_path(version: str) -> Traversable:
    if not _VERSION_RE.match(version):
        raise ValueError(f"チェックリストの版の指定が正しくありません: {version}")
    return bundled("checklists", f"{version}.toml")


@functools.lru_cache(maxsize=8)
def load_checklist(version: str = "risk-v1", path: Path | None = None) -> Checklist:
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
    return Checklist(
        version=file_version,
        title=doc.string(data, "title"),
        notice=doc.string(data, "notice"),
        items=tuple(items),
        thresholds=thresholds,
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
    """Compute the level from ``answers`` and apply the counselor's judgement (rules.md §3)."""
    checklist = checklist or load_checklist()
    known = {item.id for item in checklist.items}
    for key, value in answers.items():
        if key not in known:
            raise RuleInputError(f"answers.{key}: チェックリストにない項目です", f"answers.{key}")
        if value is not None and not isinstance(value, bool):
            raise RuleInputError(
                f"answers.{key}: true・false・null のいずれかにしてください", f"answers.{key}"
            )
    judgement = _check_level(judgement, "judgement")
    if judgement_reason is not None and not isinstance(judgement_reason, str):
        raise RuleInputError(
            "judgement_reason: 文字列または null にしてください", "judgement_reason"
        )

    yes_ids = [item.id for item in checklist.items if answers.get(item.id) is True]
    red_flags = [item.id for item in checklist.items if item.red_flag and item.id in yes_ids]
    limits = checklist.thresholds
    rule = checklist.rule
    flagged = "、".join(f"{i} {checklist.item(i).text}" for i in red_flags)
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
        reasons.append(
            Reason(
                f"「はい」が{len(yes_ids)}項目で、赤信号項目がないため「低」です"
                "（不明の項目は「いいえ」として数えています）",
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
    )
