"""The one error the documents raise: a Japanese message the counselor can act on."""

from __future__ import annotations

from intake_app.domain.errors import UserError


class DocumentError(UserError):
    """A paper that cannot be produced; ``message`` says why (e.g. no recorded consent)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
