"""What every rule outcome carries: its reasons, and the error for bad rule input."""

from __future__ import annotations

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
