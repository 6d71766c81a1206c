"""Protection-order advice sheet for the client (rules.md §2), with a discreet variant.

The discreet variant's cover page and PDF metadata say nothing about violence, so
the client can carry it; the details start on page 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import in_person, letterhead, when
from intake_app.documents._dates import format_date
from intake_app.documents._layout import Metadata, Sheet
from intake_app.domain.model import Intake

ORDER_TEXT = {
    "approach_ban": (
        "接近禁止命令",
        "相手方があなたの身辺につきまとったり、住居や勤務先などの付近をうろつくことを禁止します。期間は1年間です。",
    ),
    "contact_ban": (
        "電話等禁止命令",
        "面会の要求、無言電話、夜間（午後10時～午前6時）の電話・メール・SNS、GPSや紛失防止タグによる位置の把握などを禁止します。接近禁止命令の期間中有効です。",
    ),
    "child_approach_ban": (
        "子への接近禁止命令",
        "同居している未成年の子への接近を禁止します。子が15歳以上の場合は、その子の同意が必要です。",
    ),
    "child_contact_ban": (
        "子への電話等禁止命令",
        "同居している未成年の子への電話・メール等を禁止します。子が15歳以上の場合は、その子の同意が必要です。",
    ),
    "relative_approach_ban": (
        "親族等への接近禁止命令",
        "あなたの親族など、密接な関係にある人への接近を禁止します。その人の同意が必要です。",
    ),
    "eviction": (
        "退去等命令",
        "相手方に、一緒に住んでいる家から2か月間（一定の場合は6か月間）出ていくことを命じます。",
    ),
}

BRING = (
    "申立書（裁判所の窓口やホームページで入手できます）",
    "申立手数料 1,000円分の収入印紙と、裁判所が指定する郵便切手",
    "相手方との関係がわかる書類（戸籍謄本、住民票など）",
    "被害の様子がわかるもの（診断書、けがの写真、メール・メッセージの記録、日記やメモなど）",
    "本人確認書類と印鑑",
    "子どもや親族についての命令を求める場合は、その人の同意書など（15歳以上の子）",
)

NEUTRAL_TITLE = "手続きのご案内"


def _orders(result: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if result is None:
        return [{"type": t} for t in ORDER_TEXT]
    return list(result.get("orders", ()))


def protection_order_advice(
    intake: Intake,
    municipality: Any,
    *,
    today: dt.date,
    result: Mapping[str, Any] | None = None,
    consultations: list[Intake] | None = None,
    discreet: bool = False,
) -> bytes:
    """The advice sheet as PDF bytes.

    ``result`` is the output of ``domain.rules.protection_order.evaluate`` (rules.md
    §2.5); without it the sheet lists all six orders as general information.
    ``consultations`` are the case's consultations (this one when omitted), for the
    prior-consultation fact.
    """
    sender = _centre.sender(municipality)
    court = _centre.court(municipality)
    if discreet:
        sheet = Sheet(
            Metadata(title=NEUTRAL_TITLE, author=sender.department or sender.city),
            mark=None,
        )
        sheet.title(NEUTRAL_TITLE)
        sheet.spacer(20)
        sheet.para("お手続きに必要な事項をまとめました。大切に保管してください。")
        sheet.spacer(8)
        sheet.fields(
            [
                ("作成日", format_date(today)),
                ("お問い合わせ", "　".join(x for x in (sender.city, sender.department) if x)),
                ("電話", sender.phone or "（未設定）"),
            ]
        )
        sheet.page_break()
        sheet.title("裁判所への申立てについて")
    else:
        sheet = Sheet(Metadata(title="保護命令についてのご案内", author=sender.name), mark=None)
        letterhead(
            sheet,
            title="保護命令についてのご案内",
            addressee="",
            today=today,
            sender=sender,
            counselor=intake.consultation.counselor,
        )

    sheet.heading("1. 申し立てることができる命令")
    if result is not None and not result.get("eligible", False):
        sheet.para(
            "今回うかがった内容では、保護命令の要件にあたらない可能性があります。"
            "ほかの方法（警察への相談など）について担当者と相談してください。"
        )
    for order in _orders(result):
        name, explanation = ORDER_TEXT.get(str(order.get("type")), (str(order.get("type")), ""))
        ages = order.get("consent_needed_ages") or []
        extra = f"（{'・'.join(str(a) for a in ages)}歳のお子さんの同意が必要です）" if ages else ""
        sheet.para(f"■ {name}")
        sheet.para(explanation + extra)

    sheet.heading("2. 申し立てる裁判所")
    if court is not None and court.name:
        rows = [("裁判所", court.name)]
        if court.address:
            rows.append(("所在地", court.address))
        if court.phone:
            rows.append(("電話", court.phone))
        sheet.fields(rows)
    if court is not None and court.note:
        sheet.para(court.note)
    else:
        sheet.para(
            "相手方の住所地、あなたの住所地（居所）、または被害を受けた場所のいずれかを"
            "管轄する地方裁判所（支部を含む）に申し立てることができます。"
        )

    sheet.heading("3. 持っていくもの")
    sheet.bullets(BRING)

    sheet.heading("4. 事前の相談について")
    visits = in_person(consultations if consultations is not None else [intake])
    if visits:
        lines = [f"{when(c)}　{c.consultation.place or sender.name}" for c in visits]
        sheet.para(
            f"あなたは次の日時に{sender.name}で面接による相談をしています。"
            "申立書には、この相談の事実（相談先、日時、場所、相談内容、とった措置）を"
            "記載することができます。裁判所から当センターに相談の状況について書面の提出を"
            "求められることがあります。"
        )
        sheet.bullets(lines)
    else:
        sheet.para(
            "電話だけの相談は、申立書に記載する事前の相談にあたりません。"
            f"{sender.name}に来所して相談するか、警察に相談してください。"
            "相談がない場合は、公証人の面前で宣誓した供述書の添付が必要です。"
        )
    sheet.spacer(4)
    sheet.para(f"お問い合わせ: {sender.name}　{sender.phone}", small=True)
    return sheet.build()
