"""相談窓口のご案内: one page of the places the client can call (issue 22).

The centre (its name, phone and hours from the municipality), DV相談ナビ #8008,
DV相談＋ 0120-279-889 (which also takes consultations in foreign languages), 110,
119 and 189, in her language beside the Japanese. Not a discreet paper: it names
what each number is for.
"""

from __future__ import annotations

from typing import Any

from intake_app.documents import _centre
from intake_app.documents._client import ClientPaper, required
from intake_app.documents.safety_plan import (
    CHILD_GUIDANCE,
    DV_NAVI,
    DV_PLUS,
    FIRE_AMBULANCE,
    POLICE,
    hotline,
)

PAPER = "contacts"


def contacts(
    municipality: Any,
    *,
    language: str | None = None,
    centre_reviews: Any = None,
) -> bytes:
    """The page as PDF bytes."""
    sender = _centre.sender(municipality)
    phone = required(sender.phone, "センターの電話番号")
    paper = ClientPaper(PAPER, language, author=sender.name, centre_reviews=centre_reviews)
    paper.title()
    paper.review_notice()
    paper.para("intro")

    paper.row(sender.name, kind="heading")
    paper.field("phone", phone)
    if sender.hours:
        paper.field("hours", sender.hours)
    paper.para("centre_note")

    entries = (
        ("navi", hotline(municipality, "dv_navi", DV_NAVI)),
        ("plus", hotline(municipality, "dv_plus", DV_PLUS)),
        ("police", POLICE),
        ("fire", FIRE_AMBULANCE),
        ("child", hotline(municipality, "jido_sodanjo", CHILD_GUIDANCE)),
    )
    for key, number in entries:
        ja, tr = paper.texts(key)
        paper.row(f"{ja}　{number}", None if tr is None else f"{tr}　{number}", kind="heading")
        paper.para(f"{key}_note")
    return paper.build()
