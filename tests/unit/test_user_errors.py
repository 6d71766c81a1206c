"""Every error a user is shown derives from the domain's ``UserError``."""

from __future__ import annotations

import pytest

from intake_app.commands.common import CommandError
from intake_app.documents.errors import DocumentError
from intake_app.domain.errors import UserError
from intake_app.domain.reasons import RuleInputError
from intake_app.domain.tomlfile import ConfigError
from intake_app.store import errors as store_errors
from intake_app.store.retention import RetentionError
from intake_app.store.training import RealRecordsPresent


def _store_errors() -> list[type[BaseException]]:
    return [
        value
        for value in vars(store_errors).values()
        if isinstance(value, type) and issubclass(value, BaseException)
    ]


@pytest.mark.parametrize(
    "cls",
    [
        CommandError,
        DocumentError,
        RuleInputError,
        ConfigError,
        RetentionError,
        RealRecordsPresent,
        *_store_errors(),
    ],
    ids=lambda cls: cls.__name__,
)
def test_every_user_facing_error_is_a_user_error(cls: type[BaseException]) -> None:
    assert issubclass(cls, UserError)
