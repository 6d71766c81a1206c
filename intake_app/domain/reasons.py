"""What every rule outcome carries: its reasons, the law versions applied, and the error
for bad rule input."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from intake_app.domain.errors import UserError


@dataclass(frozen=True)
class Reason:
    """One line shown to the counselor, with the rule or article it rests on."""

    text: str
    rule: str

    def line(self) -> str:
        """The reason as one line, 「text（根拠: rule）」; line breaks in the text become spaces."""
        text = " ".join(part.strip() for part in self.text.splitlines() if part.strip())
        return f"{text}（根拠: {self.rule}）"


class RuleInputError(UserError, ValueError):
    """Input a rule cannot evaluate; ``key`` names the offending input, ``message`` is Japanese."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


# --- the law versions a result applies (rules.md §8.6) -------------------------------

# (law, amendment, in force): the versions the rules implement. A decision dated before
# the first in-force date is refused: the rules do not know the law as it was then.
LAW_VERSIONS: tuple[tuple[str, str, dt.date], ...] = (
    ("配偶者暴力防止法", "令和5年改正", dt.date(2024, 4, 1)),
    ("配偶者暴力防止法", "令和7年改正", dt.date(2025, 12, 30)),
    ("困難女性支援法", "", dt.date(2024, 4, 1)),
)
EARLIEST_AS_OF = min(version[2] for version in LAW_VERSIONS)
LATEST_AS_OF = dt.date(9999, 12, 31)
DECISION_SUPPORT_NOTICE = (
    "この結果は相談員の判断を助けるための目安です。最終的な判断は、相談員が記録した判断によります。"
)
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class LawAsOf:
    """The law versions applied to a decision dated ``as_of``, and the decision-support line."""

    as_of: dt.date
    laws: tuple[str, ...]
    notice: str = DECISION_SUPPORT_NOTICE

    def to_contract(self) -> dict[str, object]:
        """The ``law_as_of`` value of every ``intake-app rules`` result."""
        return {"as_of": self.as_of.isoformat(), "laws": list(self.laws), "notice": self.notice}

    def lines(self) -> list[str]:
        """For a screen or a paper: one line per law, then the notice."""
        return [*self.laws, self.notice]


BEFORE_EARLIEST = (
    f"{EARLIEST_AS_OF.isoformat()}より前の法律には対応していないため、"
    "その日以降の規定で判断しています。"
)


def law_as_of(as_of: dt.date) -> LawAsOf:
    """The versions in force on ``as_of``, e.g.
    「配偶者暴力防止法（令和5年改正、2024-04-01施行）」. A consultation recorded before the
    earliest version is judged by that version, and the notice says so."""
    day = max(as_of, EARLIEST_AS_OF)
    laws = tuple(
        f"{law}（{amendment + '、' if amendment else ''}{in_force.isoformat()}施行）"
        for law, amendment, in_force in LAW_VERSIONS
        if in_force <= day
    )
    if as_of < EARLIEST_AS_OF:
        return LawAsOf(as_of, laws, BEFORE_EARLIEST + DECISION_SUPPORT_NOTICE)
    return LawAsOf(as_of, laws)


def parse_as_of(value: object, key: str = "as_of") -> dt.date:
    """An ``as_of`` input ("YYYY-MM-DD", from 2024-04-01): the date, or ``RuleInputError``."""
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if day < EARLIEST_AS_OF:
                raise RuleInputError(
                    f"{key}: {EARLIEST_AS_OF.isoformat()} 以降の日付にしてください"
                    "（それより前の法律には対応していません）",
                    key,
                )
            return day
    raise RuleInputError(f"{key}: 「YYYY-MM-DD」の形の日付にしてください", key)


def shown_key(key: object, limit: int = 40) -> str:
    """An input key as it may appear in a one-line message: printable, at most ``limit``
    characters (a key from a file or a pipe may be long, or hold control characters)."""
    text = "".join("?" if unicodedata.category(ch) in _UNPRINTABLE else ch for ch in str(key))
    return text if len(text) <= limit else text[: limit - 1] + "…"
