"""`intake-app rules protection-order|risk|shelter`: the decision rules on JSON.

Each reads one JSON object on stdin and prints one JSON object on stdout (exit 0).
Malformed input (including JSON nested too deeply, numbers of too many digits, NaN) exits 2
with one Japanese sentence on stderr naming the bad key. Contracts: rules.md §2.5, §3, §8
and §9; the README's "Decision rules from the command line" has them in full.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any

from intake_app.commands.common import EXIT_USAGE, CommandError

MAX_AGE = 120  # rules.md §8.9
MAX_ACCOMPANYING_CHILDREN = 20
SHELTER_KEYS = (
    "level",
    "safe_place_tonight",
    "gender",
    "age",
    "disability",
    "accompanying_children",
    "client_wish",
)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `rules` and its three subcommands."""
    parser = sub.add_parser(
        "rules",
        help="判断ルールを JSON で実行する（保護命令・危険度・一時保護）",
        description="標準入力の JSON オブジェクト1つを判断し、結果を JSON で標準出力に書きます。",
    )
    rules_sub = parser.add_subparsers(dest="rule", metavar="RULE", required=True)
    for name, help_text, handler in (
        ("protection-order", "保護命令の対象と申し立てられる命令", _protection_order),
        ("risk", "危険度チェックリストの判定", _risk),
        ("shelter", "一時保護の勧めと経路", _shelter),
    ):
        p = rules_sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=_runner(handler))


def _runner(handler: Callable[[Any], dict[str, Any]]) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        from intake_app.domain.reasons import RuleInputError

        data = _read_json()
        try:
            result = handler(data)
        except RuleInputError as exc:
            raise CommandError(exc.message, EXIT_USAGE) from exc
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0

    return run


def _read_json() -> Any:
    text = sys.stdin.read()
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"入力を JSON として読めません（{exc.lineno}行目 {exc.colno}文字目）", EXIT_USAGE
        ) from exc
    except RecursionError as exc:
        raise CommandError(
            "入力の入れ子が深すぎます。1段のオブジェクトで渡してください", EXIT_USAGE
        ) from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise CommandError(
            "入力に桁数の多すぎる数があります。JSON の値を確認してください", EXIT_USAGE
        ) from exc


def _no_constant(name: str) -> Any:
    """NaN and Infinity, which Python's reader would otherwise accept, are not JSON."""
    raise CommandError(f"入力に JSON ではない値（{name}）があります", EXIT_USAGE)


def _object(data: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    from intake_app.domain.reasons import RuleInputError, shown_key

    if not isinstance(data, Mapping):
        raise RuleInputError("入力は JSON のオブジェクトにしてください")
    for key in data:
        if key not in required and key not in optional:
            raise RuleInputError(f"{shown_key(key)}: 知らない項目です", shown_key(key))
    for key in required:
        if key not in data:
            raise RuleInputError(f"{key}: 必須の項目がありません", key)
    return dict(data)


def _law(obj: Mapping[str, Any]) -> Any:
    """The law versions for the input's ``as_of`` (default today)."""
    import datetime as dt

    from intake_app.domain.reasons import law_as_of, parse_as_of

    return law_as_of(parse_as_of(obj["as_of"]) if "as_of" in obj else dt.date.today())


def _protection_order(data: Any) -> dict[str, Any]:
    from intake_app.domain.rules.protection_order import evaluate

    return evaluate(data)


def _risk(data: Any) -> dict[str, Any]:
    from intake_app.domain.reasons import RuleInputError
    from intake_app.domain.rules.risk import (
        CHECKLIST_VERSIONS,
        CURRENT_CHECKLIST_VERSION,
        assess,
        load_checklist,
    )

    obj = _object(
        data, ("answers",), ("judgement", "judgement_reason", "checklist_version", "as_of")
    )
    answers = obj["answers"]
    if not isinstance(answers, Mapping):
        raise RuleInputError(
            "answers: 項目ID（R01 など）と true・false・null の組にしてください", "answers"
        )
    version = obj.get("checklist_version", CURRENT_CHECKLIST_VERSION)
    if version not in CHECKLIST_VERSIONS:
        raise RuleInputError(
            f"checklist_version: {'・'.join(CHECKLIST_VERSIONS)} のいずれかにしてください",
            "checklist_version",
        )
    law = _law(obj)
    result = assess(
        answers,
        obj.get("judgement"),
        obj.get("judgement_reason"),
        checklist=load_checklist(version),
    )
    return result.to_contract(law)


def _shelter(data: Any) -> dict[str, Any]:
    from intake_app.domain.model import LEVEL_ORDER
    from intake_app.domain.reasons import RuleInputError
    from intake_app.domain.rules.shelter import recommend

    obj = _object(data, SHELTER_KEYS, ("as_of",))
    if obj["level"] not in LEVEL_ORDER:
        raise RuleInputError("level: low・medium・high・urgent のいずれかにしてください", "level")
    for key in ("safe_place_tonight", "disability"):
        if obj[key] is not None and not isinstance(obj[key], bool):
            raise RuleInputError(f"{key}: true・false・null のいずれかにしてください", key)
    if obj["gender"] not in ("female", "male", "other", None):
        raise RuleInputError("gender: female・male・other・null のいずれかにしてください", "gender")
    age = obj["age"]
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE
    ):
        raise RuleInputError(f"age: 0〜{MAX_AGE}の整数または null にしてください", "age")
    count = obj["accompanying_children"]
    if (
        isinstance(count, bool)
        or not isinstance(count, int)
        or not 0 <= count <= MAX_ACCOMPANYING_CHILDREN
    ):
        raise RuleInputError(
            f"accompanying_children: 0〜{MAX_ACCOMPANYING_CHILDREN}の整数"
            "（同伴する子どもの人数）にしてください",
            "accompanying_children",
        )
    if obj["client_wish"] not in ("wishes", "does_not_wish", "undecided", None):
        raise RuleInputError(
            "client_wish: wishes・does_not_wish・undecided・null のいずれかにしてください",
            "client_wish",
        )
    law = _law(obj)
    advice = recommend(
        obj["level"],
        obj["safe_place_tonight"],
        obj["gender"],
        age,
        obj["disability"],
        list(range(count)),
        obj["client_wish"],
    )
    return advice.to_contract(law)
