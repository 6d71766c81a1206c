"""Safety plan for the client: contacts, what to take, safe times. Discreet throughout.

The client may have to hide it, or it may be found: no page names violence, a
partner or the support centre, and the whereabouts are never on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.domain.model import Intake

TITLE = "くらしのメモ"

TAKE_ALONG = (
    "健康保険証・マイナンバーカード・運転免許証など本人確認できるもの",
    "現金・通帳・キャッシュカード・印鑑",
    "携帯電話と充電器",
    "常用している薬・お薬手帳",
    "子どもの母子健康手帳・保険証・学用品",
    "在留カード・パスポート（お持ちの方）",
    "大切な書類のコピー（契約書、年金の書類など）",
)

PLAN = (
    "危ないと感じたら、ためらわずに110番してください。",
    "家の中で逃げやすい場所（出口に近く、刃物のない部屋）を決めておきましょう。",
    "持ち出すものは一か所にまとめるか、信頼できる人に預けておきましょう。",
    "携帯電話の位置情報や、持ち物に付けられた機器に注意しましょう。",
    "このメモは人目につかない場所に保管してください。",
)


def safety_plan(intake: Intake, municipality: Any, *, today: dt.date) -> bytes:
    """The plan as PDF bytes (neutral title, metadata and sender on every page)."""
    sender = _centre.sender(municipality)
    office = "　".join(x for x in (sender.city, sender.department) if x)
    sheet = Sheet(Metadata(title=TITLE, author=sender.department or sender.city), mark=None)
    sheet.title(TITLE)
    sheet.right([format_date(today)])
    sheet.heading("いざという時の連絡先")
    contacts = [("警察（緊急）", "110"), ("救急・消防", "119")]
    if sender.phone:
        contacts.append((office or "相談窓口", sender.phone))
    sheet.fields(contacts)
    sheet.heading("連絡してよい時間")
    contact = intake.client.safe_contact
    sheet.para(contact.safe_times or "（担当者と相談して決めましょう）")
    if contact.may_call is False:
        sheet.para("こちらから電話はしません。必要なときはあなたから連絡してください。")
    sheet.heading("持ち出すもの")
    sheet.bullets("□ " + item for item in TAKE_ALONG)
    sheet.heading("安全のために")
    sheet.bullets(PLAN)
    sheet.spacer(6)
    sheet.para(f"お問い合わせ: {office}", small=True)
    return sheet.build()
