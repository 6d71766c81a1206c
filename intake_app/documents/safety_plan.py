"""くらしのメモ: the safety plan for the client (contacts, what to take, safe times).

Its title and metadata are neutral and the whereabouts are never on it. The words
of a plan (「持ち出すもの」, 「DV相談ナビ」) show its purpose if it is found, so the
counselor chooses at print time: ``wording="plain"`` names things as they are,
``"neutral"`` says nothing a finder could read as its purpose (no centre name, no
word of the discreet papers' forbidden lists, in any language). The contacts: 110,
119, the centre (under the department's name in the neutral wording), DV相談ナビ
#8008, DV相談＋ 0120-279-889 and 児童相談所 189.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._client import ClientPaper, required
from intake_app.documents.discreet_card import neutral_office
from intake_app.documents.errors import DocumentError
from intake_app.domain.model import Intake

PAPER = "safety_plan"
WORDINGS = ("neutral", "plain")
# National numbers (内閣府 DV相談ナビ・DV相談＋, 警察, 消防, 児童相談所虐待対応ダイヤル).
POLICE = "110"
FIRE_AMBULANCE = "119"
DV_NAVI = "#8008"
DV_PLUS = "0120-279-889"
CHILD_GUIDANCE = "189"
HOTLINE_IDS = {"dv_navi": DV_NAVI, "dv_plus": DV_PLUS, "jido_sodanjo": CHILD_GUIDANCE}


def hotline(municipality: Any, hotline_id: str, default: str) -> str:
    """A national number, or the city's own entry for it where its settings list one
    (``hotlines``: id, name, phone)."""
    for entry in getattr(municipality, "hotlines", ()) or ():
        if getattr(entry, "id", None) == hotline_id and getattr(entry, "phone", ""):
            return str(entry.phone)
    return default


def safety_plan(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    wording: str = "neutral",
    language: str | None = None,
    centre_reviews: Any = None,
) -> bytes:
    """The plan as PDF bytes, in ``wording`` ("neutral" or "plain") and her language."""
    if wording not in WORDINGS:
        raise DocumentError(f"くらしのメモの言い方「{wording}」はありません。")
    sender = _centre.sender(municipality)
    phone = required(sender.phone, "センターの電話番号")
    office = neutral_office(municipality)
    centre = office if wording == "neutral" else sender.name
    paper = ClientPaper(PAPER, language, author=office, centre_reviews=centre_reviews)
    w = wording
    paper.title()
    paper.review_notice()
    ja_day, tr_day = paper.dated(today)
    paper.row(ja_day, tr_day, kind="small")

    paper.heading(f"{w}.contacts_heading")
    rows = [
        ("police", POLICE),
        ("fire", FIRE_AMBULANCE),
        (None, phone),
        (f"{w}.navi", hotline(municipality, "dv_navi", DV_NAVI)),
        (f"{w}.plus", hotline(municipality, "dv_plus", DV_PLUS)),
        (f"{w}.child", hotline(municipality, "jido_sodanjo", CHILD_GUIDANCE)),
    ]
    for label, number in rows:
        ja_name, tr_name = (centre, centre) if label is None else paper.texts(label)
        paper.row(
            paper.ja.t("phone_row", name=ja_name, phone=number),
            None if paper.tr is None else paper.tr.t("phone_row", name=tr_name, phone=number),
        )

    paper.heading("safe_times_heading")
    contact = intake.client.safe_contact
    if contact.safe_times.strip():
        paper.row(contact.safe_times)
    else:
        paper.para("safe_times_unknown")
    if contact.may_call is False:
        paper.para("no_calls")

    paper.heading(f"{w}.take_heading")
    paper.bullets(paper.list_items(f"{w}.take"), marker="□ ")

    paper.heading(f"{w}.plan_heading")
    paper.bullets(paper.list_items(f"{w}.plan"))
    paper.sheet.spacer(4)
    paper.para(f"{w}.ask", small=True, office=centre, phone=phone)
    return paper.build()
