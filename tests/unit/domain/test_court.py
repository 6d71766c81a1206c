"""The court's §14② request as the case records it (配偶者暴力防止法第14条第2項)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intake_app.domain.court import CourtRequest


def test_a_request_under_article_14_2_keeps_what_the_courts_letter_gives() -> None:
    request = CourtRequest(
        "さいたま地方裁判所", "民事第4部", "令和8年(モ)第123号", dt.date(2026, 12, 1)
    )
    assert request.requested_on == dt.date(2026, 12, 1)
    assert request.received_on is None  # not yet recorded is not a date
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.case_number = "別の事件"  # type: ignore[misc]
