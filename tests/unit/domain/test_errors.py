"""One root for every error a user is shown: ``UserError`` with a Japanese ``message``."""

from __future__ import annotations

import pytest

from intake_app.domain.errors import UserError
from intake_app.domain.reasons import RuleInputError
from intake_app.domain.tomlfile import ConfigError


def test_a_user_error_shows_its_own_sentence_or_the_general_one() -> None:
    assert UserError("保存できませんでした。").message == "保存できませんでした。"
    assert str(UserError("保存できませんでした。")) == "保存できませんでした。"
    assert UserError().message == "操作を完了できませんでした。"


def test_a_subclass_without_a_sentence_uses_its_default() -> None:
    class Locked(UserError):
        default_message = "保管庫はロックされています。"

    assert Locked().message == "保管庫はロックされています。"


@pytest.mark.parametrize(
    "exc",
    [
        RuleInputError("level: 低・中・高・緊急から選んでください", "level"),
        ConfigError("x.toml: 壊れています"),
    ],
)
def test_the_domain_errors_are_user_errors_and_still_value_errors(exc: UserError) -> None:
    with pytest.raises(UserError) as caught:
        raise exc
    assert caught.value.message == str(exc)
    assert isinstance(exc, ValueError)
