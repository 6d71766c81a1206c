"""The one error the documents raise: a Japanese message the counselor can act on."""

from __future__ import annotations


class DocumentError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
