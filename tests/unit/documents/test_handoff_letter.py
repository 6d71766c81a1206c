"""引継書: the client's name and nothing else about her; the kinds of information as labels."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from intake_app.documents.handoff_letter import handoff_letter
from intake_app.domain.municipality import load_municipality


def test_the_letter_names_the_client_and_lists_kinds_not_values() -> None:
    pdf = handoff_letter(
        load_municipality(),
        today=dt.date(2026, 11, 25),
        client_name="見本　花子",
        receiver_name="さくら市配偶者暴力相談支援センター",
        receiver_fingerprint="ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
        sender_fingerprint="BCDE-FGHI-JKLM-NOPQ-RSTU-VWXY-Z234-5672",
        package_id="0123456789abcdef0123456789abcdef",
        file_name="handoff-0123456789ab.ihp",
        fields=["client.name", "client.current_whereabouts", "consultation.content"],
        consent_method="written",
        consent_at=dt.datetime(2026, 11, 25, 10, 30),
        counselor="相談員A",
    )
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() or "" for page in reader.pages).replace(" ", "")
    assert reader.metadata is not None and reader.metadata.title == "引継書"
    for expected in (
        "引継書",
        "見本",
        "さくら市配偶者暴力相談支援センター御中",
        "書面",
        "0123456789abcdef0123456789abcdef",
        "handoff-0123456789ab.ihp",
        "現在の居所",  # the kind of information, as a label
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
        "BCDE-FGHI-JKLM-NOPQ-RSTU-VWXY-Z234-5672",
    ):
        assert expected in text, expected
    assert len(reader.pages) == 1


def test_a_mans_letter_names_his_stays_as_the_citys_emergency_stay_rules_9_9() -> None:
    def letter(gender: str | None) -> str:
        pdf = handoff_letter(
            load_municipality(),
            today=dt.date(2026, 11, 25),
            client_name="見本　太郎",
            receiver_name="さくら市配偶者暴力相談支援センター",
            receiver_fingerprint="ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
            sender_fingerprint="BCDE-FGHI-JKLM-NOPQ-RSTU-VWXY-Z234-5672",
            package_id="0123456789abcdef0123456789abcdef",
            file_name="handoff-0123456789ab.ihp",
            fields=["client.name", "shelter.history"],
            consent_method="written",
            consent_at=dt.datetime(2026, 11, 25, 10, 30),
            counselor="相談員A",
            gender=gender,
        )
        reader = PdfReader(io.BytesIO(pdf))
        return "".join(page.extract_text() or "" for page in reader.pages).replace(" ", "")

    his = letter("male")
    assert "緊急一時避難の経過" in his and "一時保護" not in his
    assert "一時保護の経過" in letter("female")  # the check can fail
