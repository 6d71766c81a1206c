"""The one root of every error a user is shown: ``UserError`` and its Japanese ``message``.

It lives in the domain, the bottom layer, so every layer may derive from it and
every screen and command may catch it: ``except UserError as exc: show(exc.message)``.
An exception that is not a ``UserError`` is a defect; the GUI's error hook logs its
kind and place and shows a general sentence instead.
"""

from __future__ import annotations


class UserError(Exception):
    """A failure the user can act on; ``message`` is one plain Japanese sentence, shown as is.

    Subclasses set ``default_message`` for the case without a more precise one.
    """

    default_message = "操作を完了できませんでした。"

    def __init__(self, message: str | None = None) -> None:
        self.message: str = message or self.default_message
        super().__init__(self.message)
