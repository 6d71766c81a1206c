"""The official return's CSV and PDF: exact counts, 取扱注意 on every page, the notice
that nothing is suppressed first, built in memory."""

from __future__ import annotations

import csv
import io

from intake_app.documents.official_return import official_csv, render_official_return
from intake_app.domain.municipality import load_municipality
from intake_app.domain.statistics.official import (
    EXACT_NOTICE,
    ConsultationFact,
    CourtCounts,
    ShelterFact,
    official_return,
)
from tests.unit.documents.helpers import outside, page_texts, record_opens, used_fonts

CENTRE = "蕨市配偶者暴力相談支援センター"


def result():
    facts = [
        ConsultationFact("dv", "female", "visit", "30s", "spouse", None, "immediate", 1),
        ConsultationFact("dv", "male", "phone", "40s", "discord", "medical", None, 2),
    ]
    shelters = [ShelterFact("temporary_protection", "accepted", True, True, 1, 2)]
    categories = load_municipality("warabi").official_returns
    return official_return(2026, facts, shelters, CourtCounts(1, 1, 0), categories)


def test_the_csv_starts_with_the_mark_and_the_notice_and_keeps_single_counts():
    rows = list(csv.reader(io.StringIO(official_csv(result(), centre=CENTRE).decode("utf-8-sig"))))
    assert rows[0] == ["取扱注意", "2026年度 報告用集計（2026年4月〜2027年3月）"]
    assert rows[1] == ["注", EXACT_NOTICE]
    assert ["来所", "1", "0"] in rows
    assert ["電話", "1", "1"] in rows  # one consultation, from a man: shown as it is
    assert ["医療関係者", "1"] in rows
    assert ["一時保護を依頼した", "1", "1", "2"] in rows
    assert not any("<3" in cell for row in rows for cell in row)


def test_the_pdf_is_marked_on_every_page_with_the_embedded_font_and_no_file():
    with record_opens() as opened:
        pdf = render_official_return(result(), centre=CENTRE)
    assert outside(opened) == []
    pages = page_texts(pdf)
    assert all("取扱注意" in page for page in pages)
    text = "".join(pages).replace("\n", "")
    assert "秘匿処理をしていない正確な件数" in text
    assert "報告用集計" in text and CENTRE in text
    assert any("IPAexGothic" in str(f) for f in used_fonts(pdf))
