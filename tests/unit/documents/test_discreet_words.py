"""The discreet papers are discreet on every page and in the metadata, in every language.

The card (持ち歩き用) and くらしのメモ in its neutral wording are read back from the PDF
(the text of every page and the document information) and checked against a list of
words that would tell a finder what they are about: the Japanese list, the centre's
name, and the list of the paper's other language. Nepali is read from a rendering
without shaping (shaped Devanagari does not extract exactly); the shaped one is
checked too. The plain papers are the control: the same scan finds the words there.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf
import pytest

from intake_app import documents
from intake_app.documents import _fonts
from intake_app.documents.samples import sample_appointment, synthetic_case
from intake_app.domain.languages import CODES
from tests.unit.documents.helpers import MUNICIPALITY, TODAY

JAPANESE = [
    "DV", "ＤＶ", "暴力", "配偶者", "保護命令", "接近禁止", "裁判", "申立", "申し立て",
    "相手方", "避難", "一時保護", "加害", "被害", "センター", "相談支援", "シェルター",
    "虐待", "逃げ", "持ち出", "命令", "女性相談",
]  # fmt: skip
FORBIDDEN: dict[str, list[str]] = {
    "easy-ja": [
        *JAPANESE, "ぼうりょく", "はいぐうしゃ", "ほごめいれい", "さいばんしょ", "ひなん",
        "にげ", "かがい", "ひがい", "ぎゃくたい", "もちだ",
    ],
    "en": [
        "violence", "violent", "abuse", "abusive", "shelter", "court", "protection order",
        "restraining", "perpetrator", "respondent", "victim", "escape", "flee", "domestic",
        "spouse", "spousal", "batter", "refuge",
    ],
    "zh": [
        "暴力", "家暴", "施暴", "保护令", "法院", "庇护", "避难", "受害", "加害", "配偶", "虐待",
        "逃", "中心", "离开时",
    ],
    "vi": [
        "bạo lực", "bạo hành", "lệnh bảo vệ", "tòa án", "trú ẩn", "lánh nạn", "nạn nhân",
        "ngược đãi", "vợ chồng", "trốn", "thoát", "rời đi",
    ],
    "tr": [
        "şiddet", "koruma kararı", "mahkeme", "sığın", "mağdur", "fail", "istismar",
        "eş şiddeti", "kaç", "ayrılırken",
    ],
    "tl": [
        "karahasan", "pang-aabuso", "nang-aabuso", "protection order", "korte", "hukuman",
        "silungan", "biktima", "nananakit", "tumakas", "takasan", "aalis",
    ],
    "ko": [
        "폭력", "보호명령", "법원", "재판소", "쉼터", "피해", "가해", "학대", "배우자", "도망",
        "센터", "나갈 때",
    ],
    "ne": [
        "हिंसा", "संरक्षण आदेश", "अदालत", "आश्रय", "पीडित", "पीडक", "दुर्व्यवहार", "पति",
        "पत्नी", "भाग्न", "केन्द्र", "क्षति",
    ],
    "pt": [
        "violência", "violento", "agressor", "abuso", "maus-tratos", "abrigo", "tribunal",
        "ordem de proteção", "medida protetiva", "vítima", "fugir", "fuga", "cônjuge",
        "sair de casa",
    ],
}  # fmt: skip
CENTRE_NAMES = [MUNICIPALITY.centre.name, "蕨市配偶者暴力相談支援センター"]
METADATA = ("/Title", "/Subject", "/Author", "/Keywords", "/Producer", "/Creator")


def _texts(data: bytes) -> list[str]:
    """Every page's text and the metadata, each in two forms: whitespace collapsed to one
    space (Latin words across a line break), and without whitespace (CJK words)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    raw = [page.extract_text() or "" for page in reader.pages]
    meta = reader.metadata or {}
    raw.append(" ".join(str(meta.get(key, "")) for key in METADATA))
    out = []
    for text in raw:
        text = unicodedata.normalize("NFC", text).casefold()
        out += [re.sub(r"\s+", " ", text), re.sub(r"\s+", "", text)]
    return out


def _contains(text: str, word: str) -> bool:
    """``word`` in ``text``; ASCII words only at the start of a word (not 「dv」 in advice)."""
    word = word.casefold()
    if re.fullmatch(r"[a-z ]+", word):
        return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None
    return word in text


def _found(data: bytes, code: str | None) -> list[str]:
    words = [*JAPANESE, *CENTRE_NAMES, *FORBIDDEN.get(code or "", [])]
    texts = _texts(data)
    return [w for w in words if any(_contains(t, w) for t in texts)]


def _card(code: str | None) -> bytes:
    return documents.discreet_card(
        MUNICIPALITY, appointment=sample_appointment(TODAY), language=code
    )


def _neutral_plan(code: str | None) -> bytes:
    case = synthetic_case(TODAY)[-1]
    return documents.safety_plan(case, MUNICIPALITY, today=TODAY, language=code)


@pytest.fixture
def unshaped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fonts, "shaping_available", lambda: False)


@pytest.mark.parametrize("code", [None, *CODES])
def test_the_card_is_neutral_on_every_page_and_in_its_metadata(code: str | None) -> None:
    data = _card(code)
    assert _found(data, code) == []
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    text = "".join(_texts(data))
    assert "048-000-0000" in text and "市民協働課" in text  # the way back, neutrally named


@pytest.mark.parametrize("code", [None, *CODES])
def test_the_neutral_safety_plan_is_neutral_everywhere(code: str | None) -> None:
    assert _found(_neutral_plan(code), code) == []


@pytest.mark.parametrize("paper", [_card, _neutral_plan])
def test_nepali_read_without_shaping(unshaped: None, paper: object) -> None:
    """Shaped Devanagari maps conjuncts to private-use codes: read the exact text."""
    data = paper("ne")  # type: ignore[operator]
    assert _found(data, "ne") == []
    assert "नोट" in "".join(_texts(data)) or "भेटघाट" in "".join(_texts(data))


@pytest.mark.parametrize("code", [None, *CODES])
def test_control_the_scan_finds_the_words_on_the_plain_papers(
    code: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fonts, "shaping_available", lambda: False)
    case = synthetic_case(TODAY)[-1]
    plain = documents.safety_plan(case, MUNICIPALITY, today=TODAY, wording="plain", language=code)
    advice = documents.protection_order_advice(case, MUNICIPALITY, today=TODAY, language=code)
    words = FORBIDDEN.get(code or "", [])
    for data in (plain, advice):
        found = _found(data, code)
        assert found, code
        if code is not None:  # her language's own words, not only the Japanese beside it
            assert set(found) & set(words), (code, found)


def test_a_department_name_that_gives_the_purpose_away_is_refused() -> None:
    import dataclasses

    centre = dataclasses.replace(MUNICIPALITY.centre, department="DV対策課")
    city = dataclasses.replace(MUNICIPALITY, centre=centre)
    with pytest.raises(documents.DocumentError) as refused:
        documents.discreet_card(city)
    assert "DV" in refused.value.message and "管理者メニュー" in refused.value.message
    with pytest.raises(documents.DocumentError):
        documents.safety_plan(synthetic_case(TODAY)[-1], city, today=TODAY)
