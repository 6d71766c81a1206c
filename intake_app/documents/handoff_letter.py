"""引継書: the cover letter that goes with a hand-off package.

It names the client (her name only, nothing else about her), the two centres, the
package number and file name, the kinds of information sent (labels, never values),
the client's consent (how and when), and both centres' fingerprints so the receiving
centre can check it has the right sender. Built in memory like every other paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from intake_app.documents import _centre
from intake_app.documents._common import letterhead
from intake_app.documents._dates import format_datetime
from intake_app.documents._layout import Metadata, Sheet
from intake_app.domain.handoff_content import field_label

KIND = "handoff_letter"  # the print audit's kind (store.outputs)
CONSENT_LABELS = {"verbal": "口頭", "written": "書面"}


def handoff_letter(
    municipality: Any,
    *,
    today: dt.date,
    client_name: str,
    receiver_name: str,
    receiver_fingerprint: str,
    sender_fingerprint: str,
    package_id: str,
    file_name: str,
    fields: Sequence[str],
    consent_method: str,
    consent_at: dt.datetime,
    counselor: str = "",
    gender: str | None = None,
) -> bytes:
    """The letter as PDF bytes."""
    sender = _centre.sender(municipality)
    sheet = Sheet(Metadata(title="引継書", author=sender.name))
    letterhead(
        sheet,
        title="引継書",
        addressee=f"{receiver_name}　御中",
        today=today,
        sender=sender,
        counselor=counselor,
    )
    sheet.para(
        "下記の方について、ご本人の同意を得て、当センターでの相談の記録を引き継ぎます。"
        "記録は同封の引継ぎファイルに入っています。このファイルは貴センターの鍵でだけ開けるよう"
        "暗号化し、当センターの鍵で署名しています。相談記録システムの「引継ぎの受け取り」で"
        "お受け取りください。"
    )
    sheet.heading("引継ぎの内容")
    sheet.fields(
        [
            ("氏名", client_name or "（氏名なし）"),
            (
                "本人の同意",
                f"{CONSENT_LABELS.get(consent_method, consent_method)}"
                f"（{format_datetime(consent_at)}）",
            ),
            ("パッケージ番号", package_id),
            ("ファイル名", file_name),
        ]
    )
    sheet.heading("引き継ぐ情報の種類")
    sheet.bullets(field_label(f, gender) for f in fields)
    sheet.heading("確認番号（電話で読み合わせてください）")
    sheet.fields(
        [
            ("送り主", sender.name),
            ("送り主の確認番号", sender_fingerprint),
            ("宛先", receiver_name),
            ("宛先の確認番号", receiver_fingerprint),
        ],
        label_width_mm=48,
    )
    sheet.para(
        "受け取りの際、相談記録システムは送り主の署名と宛先を確かめます。"
        "ファイルを受け取った後は、媒体からファイルを削除してください。"
        "この書面とファイルは別々に保管・運搬してください。",
        small=True,
    )
    return sheet.build()
