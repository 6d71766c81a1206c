"""Every document kind: A4, font embedded, sender and dates, and the discreet variants."""

from __future__ import annotations

import datetime as dt

import pytest

from intake_app import documents
from intake_app.documents.samples import render_all, synthetic_case
from tests.unit.documents.helpers import (
    MUNICIPALITY,
    TODAY,
    all_text,
    metadata_text,
    page_texts,
    reader,
    used_fonts,
)

SENSITIVE = ("DV", "ＤＶ", "暴力", "配偶者")


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return render_all(MUNICIPALITY, TODAY)


def test_one_sample_of_every_kind(rendered: dict[str, bytes]) -> None:
    kinds = {name.removesuffix(".pdf").split("-")[0] for name in rendered}
    assert kinds == set(documents.KINDS)
    slips = [n for n in rendered if n.startswith("referral_slip-")]
    assert len(slips) == len(MUNICIPALITY.destinations)


def test_every_document_is_a4_with_the_font_embedded(rendered: dict[str, bytes]) -> None:
    for name, data in rendered.items():
        assert data.startswith(b"%PDF-"), name
        for page in reader(data).pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(w), round(h)) == (595, 842), name
        fonts = used_fonts(data)
        assert fonts, name
        for font in fonts:
            assert "IPAexGothic" in str(font["/BaseFont"]), (name, font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


# The discreet card carries only the appointment (as 2026年12月9日), the contacts page
# no date at all.
UNDATED = ("protection_order_advice_discreet.pdf", "contacts.pdf")


def test_dates_are_wareki_with_seireki(rendered: dict[str, bytes]) -> None:
    for name, data in rendered.items():
        if name not in UNDATED:
            assert "令和8（2026）年11月25日" in all_text(data), name


@pytest.mark.parametrize("kind", sorted(documents.DISCREET_KINDS))
def test_discreet_cover_and_metadata_say_nothing_about_violence(
    rendered: dict[str, bytes], kind: str
) -> None:
    data = rendered[f"{kind}.pdf"]
    cover = page_texts(data)[0]
    meta = metadata_text(data)
    assert cover.strip()
    for word in SENSITIVE:
        assert word not in cover, (kind, word)
        assert word not in meta, (kind, word)
    assert "取扱注意" not in cover
    assert "048-000-0000" in cover  # the way back to the centre is there


def test_discreet_safety_plan_has_no_sensitive_word_on_any_page(
    rendered: dict[str, bytes],
) -> None:
    text = all_text(rendered["safety_plan.pdf"])
    for word in SENSITIVE:
        assert word not in text
    assert "見本市内の知人宅" not in text  # whereabouts never on a paper she carries
    assert "110" in text and "平日10時～12時" in text


def test_plain_advice_sheet_is_not_discreet(rendered: dict[str, bytes]) -> None:
    """Control: the scanner above does see the words on the non-discreet sheet."""
    cover = page_texts(rendered["protection_order_advice.pdf"])[0]
    assert "配偶者" in cover and "保護命令" in cover


def test_protection_order_sheet_content(rendered: dict[str, bytes]) -> None:
    text = all_text(rendered["protection_order_advice.pdf"])
    assert "見本地方裁判所" in text and "見本市見本町1-1" in text
    assert "接近禁止命令" in text and "電話等禁止命令" in text
    assert "収入印紙" in text
    # the prior in-person consultation (the phone call does not count)
    assert "令和8（2026）年11月25日（水）10時00分" in text
    assert "令和8（2026）年11月11日" not in text


def test_protection_order_sheet_lists_only_the_orders_of_the_result() -> None:
    case = synthetic_case(TODAY)[-1]
    result = {
        "eligible": True,
        "orders": [{"type": "approach_ban", "months": 12}, {"type": "eviction", "months": 2}],
    }
    text = all_text(
        documents.protection_order_advice(case, MUNICIPALITY, today=TODAY, result=result)
    )
    assert "接近禁止命令" in text and "退去等命令" in text
    assert "電話等禁止命令" not in text and "親族等への接近禁止命令" not in text


def test_phone_only_consultation_is_not_the_prior_consultation() -> None:
    phone, _visit = synthetic_case(TODAY)
    text = all_text(documents.protection_order_advice(phone, MUNICIPALITY, today=TODAY))
    assert "電話だけの相談は" in text and "公証人" in text


def test_court_report_lists_in_person_consultations_only(rendered: dict[str, bytes]) -> None:
    text = all_text(rendered["court_report.pdf"])
    assert "見本地方裁判所御中" in text
    assert "第14条第2項" in text
    assert "見本の記述（面接相談の内容）" in text
    assert "保護命令制度の説明、一時保護の調整" in text
    assert "相談室" in text
    assert "見本の記述（電話相談の内容）" not in text


def test_court_report_without_an_in_person_consultation_is_refused() -> None:
    phone, _visit = synthetic_case(TODAY)
    with pytest.raises(documents.DocumentError):
        documents.court_report([phone], MUNICIPALITY, today=TODAY)


def test_court_report_orders_consultations_by_date() -> None:
    _phone, visit = synthetic_case(TODAY)
    earlier = type(visit).from_dict(visit.to_dict())
    earlier.consultation.started_at = dt.datetime(2026, 10, 1, 14, 0)
    earlier.consultation.content = "先の相談"
    text = all_text(documents.court_report([visit, earlier], MUNICIPALITY, today=TODAY))
    assert text.index("先の相談") < text.index("見本の記述（面接相談の内容）")


def test_shelter_request(rendered: dict[str, bytes]) -> None:
    text = all_text(rendered["shelter_request.pdf"])
    assert "県女性相談支援センター御中" in text
    assert "見本さくら" in text  # the accompanying child
    assert "希望する" in text
    assert "見本市内の知人宅" not in text  # whitelisted there, but not confirmed


def test_shelter_request_shows_whereabouts_once_confirmed() -> None:
    case = synthetic_case(TODAY)[-1]
    case.referrals.append(
        documents_referral("pref", whereabouts_confirmed=True)  # type: ignore[arg-type]
    )
    text = all_text(documents.shelter_request(case, MUNICIPALITY, today=TODAY))
    assert "見本市内の知人宅" in text


def test_shelter_request_refused_when_the_client_does_not_wish_it() -> None:
    case = synthetic_case(TODAY)[-1]
    case.shelter.client_wish = "does_not_wish"
    with pytest.raises(documents.DocumentError):
        documents.shelter_request(case, MUNICIPALITY, today=TODAY)


def test_support_measure_opinion_has_no_address(rendered: dict[str, bytes]) -> None:
    text = all_text(rendered["support_measure_opinion.pdf"])
    assert "市民課御中" in text
    assert "見本花子" in text and "見本太郎" in text
    assert "見本県見本市見本町1-2-3" not in text and "見本市内の知人宅" not in text


def test_child_notification_record(rendered: dict[str, bytes]) -> None:
    text = all_text(rendered["child_notification.pdf"])
    assert "子ども未来課御中" in text
    assert "見本さくら" in text and "8歳" in text
    assert "令和8（2026）年11月25日11時30分" in text
    assert "同意を要しません" in text


def test_user_text_cannot_inject_markup() -> None:
    case = synthetic_case(TODAY)[-1]
    case.consultation.content = "<b>太字</b> & <font size=40>大</font>"
    text = all_text(documents.court_report([case], MUNICIPALITY, today=TODAY))
    assert "<b>太字</b>&<fontsize=40>大</font>" in text


def documents_referral(dest: str, **kw: object) -> object:
    from intake_app.domain.model import Referral

    return Referral(destination_id=dest, consent=True, consent_method="verbal", **kw)  # type: ignore[arg-type]


def test_warabi_file_renders_every_kind_with_its_court_and_centre() -> None:
    from intake_app.domain.municipality import load_municipality

    warabi = load_municipality("warabi")
    samples = render_all(warabi, TODAY)
    assert len([n for n in samples if n.startswith("referral_slip-")]) == len(warabi.destinations)
    assert "さいたま地方裁判所" in all_text(samples["protection_order_advice.pdf"])
    assert "蕨市配偶者暴力相談支援センター" in all_text(samples["court_report.pdf"])
    for kind in documents.DISCREET_KINDS:
        data = samples[f"{kind}.pdf"]
        cover, meta = page_texts(data)[0], metadata_text(data)
        assert "市民協働課" in cover
        for word in SENSITIVE:
            assert word not in cover and word not in meta, (kind, word)
