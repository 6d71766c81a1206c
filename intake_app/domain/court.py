"""The court's side of a protection-order case, as the centre records it.

配偶者暴力防止法第14条第2項: after an application, the court may ask the centre for a
written report on the client's consultations and the measures taken; the centre answers
promptly. 第15条第4項: the court notifies the centre when an order is issued. The
report paper answers a ``CourtRequest``; the case keeps the requests and the notices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CourtRequest:
    """One §14② request for a written report (照会), as the court's letter gives it."""

    court: str  # e.g. さいたま地方裁判所
    division: str = ""  # 部・係, e.g. 民事第4部
    case_number: str = ""  # 事件番号, e.g. 令和8年(モ)第123号
    requested_on: dt.date | None = None  # 照会日: the date of the court's letter
    received_on: dt.date | None = None  # the day the centre received it
