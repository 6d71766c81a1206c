"""The texts of the client's papers, one file per paper and language (issue 22).

``intake_app/resources/papers/<paper>/<code>.toml``: ``ja.toml`` is the Japanese
original; every other file has the same keys, translated, and its review state::

    [review]
    reviewed_by = ""        # who checked the translation (interpreter, organisation)
    reviewed_on = ""        # when, YYYY-MM-DD; both empty: not reviewed yet

    [text]
    title = "..."           # a string, a list of strings, or a table of them
    items = ["...", "..."]  # lists pair with the Japanese one item by item

``{name}`` marks a value the program fills in; each translation has the same ones
as the Japanese. ``papers/common/<code>.toml`` holds what every paper in that
language shares (dates, the review notice). A file that does not match the
Japanese one is refused with a ``ConfigError`` naming the file and the key.

A centre can mark a language reviewed after its interpreter checked it
(``CentreReview``, kept in the vault by ``store.paper_languages``): the mark holds
the digest of each text it covered, so a text changed by a later program version
is unreviewed again until it is checked again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.bundled import bundled
from intake_app.domain.languages import CODES, JAPANESE
from intake_app.domain.tomlfile import ConfigError, parse_toml

COMMON = "common"
# The client's papers (their ``documents.KINDS`` ids), then the texts they share.
PAPERS: tuple[str, ...] = (
    "protection_order_advice",
    "protection_order_advice_discreet",
    "safety_plan",
    "contacts",
    "consent_explanation",
)
FILES: tuple[str, ...] = (*PAPERS, COMMON)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Review:
    """A text's review state: reviewed when both who and when are known."""

    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    by_centre: bool = False  # marked by the centre (else: as shipped with the program)

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by) and self.reviewed_on is not None


UNREVIEWED = Review()
ORIGINAL = Review("原文", dt.date(2026, 12, 1))  # the Japanese text itself


@dataclass(frozen=True)
class PaperText:
    """One file: ``text`` (strings, lists of strings, tables of them), its review as
    shipped, and ``digest`` (the text's SHA-256, what a centre's review covers)."""

    paper: str
    code: str
    text: Mapping[str, Any]
    review: Review
    digest: str

    def value(self, path: str) -> Any:
        """The value at a dotted path (``orders.approach_ban.name``); ``KeyError``."""
        node: Any = self.text
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"{self.paper}/{self.code}: {path}")
            node = node[part]
        return node

    def get(self, path: str, **values: object) -> str:
        """The string at ``path`` with its ``{placeholders}`` filled."""
        text = self.value(path)
        if not isinstance(text, str):
            raise KeyError(f"{self.paper}/{self.code}: {path} is not a text")
        return text.format(**values) if values else text

    def items(self, path: str) -> list[str]:
        """The list of strings at ``path``."""
        found = self.value(path)
        if not isinstance(found, list):
            raise KeyError(f"{self.paper}/{self.code}: {path} is not a list")
        return list(found)

    def table(self, path: str) -> dict[str, Any]:
        """The table at ``path`` (e.g. a mapping keyed by the Japanese text)."""
        found = self.value(path)
        if not isinstance(found, Mapping):
            raise KeyError(f"{self.paper}/{self.code}: {path} is not a table")
        return dict(found)


@dataclass(frozen=True)
class CentreReview:
    """A centre's mark that its interpreter checked a language's texts (the digests of
    the files it covered, by paper)."""

    code: str
    reviewed_by: str
    reviewed_on: dt.date
    digests: Mapping[str, str] = field(default_factory=dict)

    def covers(self, text: PaperText) -> bool:
        return self.code == text.code and self.digests.get(text.paper) == text.digest

    def to_json(self) -> str:
        return json.dumps(
            {
                "code": self.code,
                "reviewed_by": self.reviewed_by,
                "reviewed_on": self.reviewed_on.isoformat(),
                "digests": dict(sorted(self.digests.items())),
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> CentreReview | None:
        """The mark from its stored form; None when it cannot be read."""
        try:
            data = json.loads(raw)
            digests = data["digests"]
            if not isinstance(digests, dict):
                return None
            return cls(
                code=str(data["code"]),
                reviewed_by=str(data["reviewed_by"]),
                reviewed_on=dt.date.fromisoformat(str(data["reviewed_on"])),
                digests={str(k): str(v) for k, v in digests.items()},
            )
        except (ValueError, KeyError, TypeError):
            return None


def centre_review(code: str, reviewed_by: str, reviewed_on: dt.date) -> CentreReview:
    """A mark covering every text of ``code`` as this program ships it."""
    return CentreReview(
        code, reviewed_by, reviewed_on, {paper: load(paper, code).digest for paper in FILES}
    )


def review_of(paper: str, code: str, centre: Mapping[str, CentreReview] | None = None) -> Review:
    """The review state of ``paper`` in ``code`` as printed: reviewed when the paper's
    file and the language's common file are both reviewed, as shipped or by the
    centre's mark (``centre``: the marks by language code)."""
    if code == JAPANESE:
        return ORIGINAL
    states = []
    for name in (paper, COMMON):
        text = load(name, code)
        mark = (centre or {}).get(code)
        if text.review.reviewed:
            states.append(text.review)
        elif mark is not None and mark.covers(text):
            states.append(Review(mark.reviewed_by, mark.reviewed_on, by_centre=True))
        else:
            return UNREVIEWED
    return states[0]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _digest(text: Mapping[str, Any]) -> str:
    canonical = json.dumps(text, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _name(paper: str, code: str) -> str:
    return f"papers/{paper}/{code}.toml"


def _check(name: str, value: Any, original: Any, path: str) -> None:
    """``value`` has the shape of the Japanese ``original`` (same keys, list lengths and
    placeholders)."""
    where = f"{name} の「{path}」"
    if isinstance(original, str):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: 文を書いてください", path)
        try:
            found = _placeholders(value)
        except ValueError:
            raise ConfigError(f"{where}: {{ }} の組み合わせが正しくありません", path) from None
        wanted = _placeholders(original)
        if found != wanted:
            names = "、".join(f"{{{n}}}" for n in sorted(wanted)) or "なし"
            raise ConfigError(f"{where}: 差し込む値は日本語と同じにしてください（{names}）", path)
    elif isinstance(original, list):
        if not isinstance(value, list) or len(value) != len(original):
            raise ConfigError(f"{where}: 日本語と同じ{len(original)}項目の配列にしてください", path)
        for n, (item, orig) in enumerate(zip(value, original, strict=True)):
            _check(name, item, orig, f"{path}[{n}]")
    else:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: 表（テーブル）にしてください", path)
        extra = sorted(set(value) - set(original))
        if extra:
            raise ConfigError(f"{where}: 日本語にない項目です: {extra[0]}", path)
        for key, orig in original.items():
            if key not in value:
                raise ConfigError(f"{name} の「{path}.{key}」がありません", f"{path}.{key}")
            _check(name, value[key], orig, f"{path}.{key}")


def _review(name: str, data: Mapping[str, Any]) -> Review:
    raw = data.get("review", {})
    if not isinstance(raw, dict) or set(raw) - {"reviewed_by", "reviewed_on"}:
        raise ConfigError(f"{name} の「review」: reviewed_by と reviewed_on だけを書いてください")
    by, on = raw.get("reviewed_by", ""), raw.get("reviewed_on", "")
    if not isinstance(by, str) or not isinstance(on, str) or (on and not _DATE.match(on)):
        raise ConfigError(
            f"{name} の「review」: reviewed_by は文字、reviewed_on は YYYY-MM-DD にしてください"
        )
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise ConfigError(f"{name} の「review.reviewed_on」: 日付が正しくありません") from None
    if bool(by.strip()) != (day is not None):
        raise ConfigError(f"{name} の「review」: 確認した人と日付を両方書いてください")
    return Review(by.strip(), day)


def from_text(paper: str, code: str, raw: str, original: PaperText | None = None) -> PaperText:
    """A paper's file read from ``raw`` and checked against the Japanese ``original``
    (None: ``raw`` is the Japanese file itself)."""
    name = _name(paper, code)
    data = parse_toml(raw, name)
    if set(data) - {"review", "text"} or not isinstance(data.get("text"), dict):
        raise ConfigError(f"{name}: [review] と [text] だけを書いてください")
    text = data["text"]
    if original is None:
        review = ORIGINAL
    else:
        _check(name, text, original.text, "text")
        review = _review(name, data)
    return PaperText(paper, code, text, review, _digest(text))


@functools.cache
def load(paper: str, code: str) -> PaperText:
    """The bundled file of ``paper`` in ``code`` (read once per process), checked
    against the Japanese one. ``ConfigError`` names the file and the key."""
    if paper not in FILES or (code != JAPANESE and code not in CODES):
        raise ConfigError(f"書類の文面がありません: {_name(paper, code)}")
    try:
        raw = bundled("papers", paper, f"{code}.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ConfigError(f"書類の文面を読めません: {_name(paper, code)}") from None
    original = None if code == JAPANESE else load(paper, JAPANESE)
    return from_text(paper, code, raw, original)
