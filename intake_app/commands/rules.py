"""`intake-app rules protection-order|risk|shelter`: the decision rules on JSON.

Each reads one JSON object on stdin and prints one JSON object on stdout (exit 0).
Malformed input exits 2 with a Japanese message on stderr naming the bad key.
Contracts: rules.md §2.5 and §3; `rules shelter` is defined in the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any

from intake_app.commands.common import EXIT_USAGE, CommandError

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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"入力を JSON として読めません（{exc.lineno}行目 {exc.colno}文字目）", EXIT_USAGE
        ) from exc


def _object(data: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    from intake_app.domain.reasons import RuleInputError

    if not isinstance(data, Mapping):
        raise RuleInputError("入力は JSON のオブジェクトにしてください")
    for key in data:
        if key not in required and key not in optional:
            raise RuleInputError(f"{key}: 知らない項目です", str(key))
    for key in required:
        if key not in data:
            raise RuleInputError(f"{key}: 必須の項目がありません", key)
    return dict(data)


def _protection_order(data: Any) -> dict[str, Any]:
    from intake_app.domain.rules.protection_order import evaluate

    return evaluate(data)


def _risk(data: Any) -> dict[str, Any]:
    from intake_app.domain.reasons import RuleInputError
    from intake_app.domain.rules.risk import assess

    obj = _object(data, ("answers",), ("judgement", "judgement_reason"))
    answers = obj["answers"]
    if not isinstance(answers, Mapping):
        raise RuleInputError(
            "answers: 項目ID（R01 など）と true・false・null の組にしてください", "answers"
        )
    result = assess(answers, obj.get("judgement"), obj.get("judgement_reason"))
    return result.to_contract()


def _shelter(data: Any) -> dict[str, Any]:
    from intake_app.domain.model import LEVEL_ORDER
    from intake_app.domain.reasons import RuleInputError
    from intake_app.domain.rules.shelter import recommend

    obj = _object(data, SHELTER_KEYS)
    if obj["level"] not in LEVEL_ORDER:
        raise RuleInputError("level: low・medium・high・urgent のいずれかにしてください", "level")
    for key in ("safe_place_tonight", "disability"):
        if obj[key] is not None and not isinstance(obj[key], bool):
            raise RuleInputError(f"{key}: true・false・null のいずれかにしてください", key)
    if obj["gender"] not in ("female", "male", "other", None):
        raise RuleInputError("gender: female・male・other・null のいずれかにしてください", "gender")
    age = obj["age"]
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise RuleInputError("age: 0以上の整数または null にしてください", "age")
    count = obj["accompanying_children"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise RuleInputError(
            "accompanying_children: 0以上の整数（同伴する子どもの人数）にしてください",
            "accompanying_children",
        )
    if obj["client_wish"] not in ("wishes", "does_not_wish", "undecided", None):
        raise RuleInputError(
            "client_wish: wishes・does_not_wish・undecided・null のいずれかにしてください",
            "client_wish",
        )
    advice = recommend(
        obj["level"],
        obj["safe_place_tonight"],
        obj["gender"],
        age,
        obj["disability"],
        list(range(count)),
        obj["client_wish"],
    )
    return advice.to_contract()
