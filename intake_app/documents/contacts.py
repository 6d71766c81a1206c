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
    paper = ClientPaper(
        PAPER, language, author=sender.name, centre_reviews=centre_reviews, compact=True
    )
    paper.title()
    paper.review_notice()
    paper.para("intro")

    centre_lines = [
        paper.texts("centre_note"),
        (
            paper.ja.t("common.field", label=paper.ja.t("hours"), value=sender.hours),
            None
            if paper.tr is None
            else paper.tr.t("common.field", label=paper.tr.t("hours"), value=sender.hours),
        ),
    ]
    paper.entry(
        (f"{sender.name}　{phone}", None),
        centre_lines if sender.hours else centre_lines[:1],
    )
    entries = (
        ("navi", hotline(municipality, "dv_navi", DV_NAVI)),
        ("plus", hotline(municipality, "dv_plus", DV_PLUS)),
        ("police", POLICE),
        ("fire", FIRE_AMBULANCE),
        ("child", hotline(municipality, "jido_sodanjo", CHILD_GUIDANCE)),
    )
    for key, number in entries:
        ja, tr = paper.texts(key)
        paper.entry(
            (f"{ja}　{number}", None if tr is None else f"{tr}　{number}"),
            [paper.texts(f"{key}_note")],
        )
    return paper.build()
