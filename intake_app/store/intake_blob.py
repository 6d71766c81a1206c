"""The stored form of one intake: zlib-compressed UTF-8 JSON of ``Intake.to_dict()``.

Shared by the records (consultation_details) and the hand-off (a received case's first
intake), so neither has to import the other's package.
"""

from __future__ import annotations

import json
import zlib

from intake_app.domain.model import Intake


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def pack_intake(intake: Intake) -> bytes:
    """The stored form of a saved intake: compressed JSON (see 0001_initial.sql)."""
    return zlib.compress(to_json(intake.to_dict()).encode("utf-8"), 6)


def unpack_intake(data: bytes) -> Intake:
    return Intake.from_dict(json.loads(zlib.decompress(data).decode("utf-8")))
