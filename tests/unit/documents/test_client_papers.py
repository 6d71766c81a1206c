"""The client's papers: what each says, read back from the PDF, in Japanese and beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pypdf
import pytest

from intake_app import documents
from intake_app.documents._layout import Metadata, Sheet
from intake_app.documents.samples import (
    render_all,
    render_client_papers,
    sample_consent_referrals,
    synthetic_case,
)
from intake_app.domain.languages import CODES
from intake_app.domain.model import Referral
from intake_app.domain.paper_texts import CentreReview, centre_review, load
from intake_app.domain.rules import protection_order as po_rules
from tests.unit.documents.helpers import MUNICIPALITY, TODAY, all_text, metadata_text
from tests.unit.documents.pdf_fonts import headings_at_foot

CASE = synthetic_case(TODAY)


def text_of(data: bytes) -> str:
    return all_text(data)


def _inputs(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "relationship": "legal_spouse",
        "cohabiting_at_application": True,
        "violence_continued_after_separation": False,
        "physical_violence": True,
        "threats": ["life"],
        "serious_harm_to_life_or_mind_likely": True,
        "serious_harm_to_life_or_body_likely": True,
        "consulted_in_person": True,
        "cohabiting_minor_children_ages": [16, 8],
        "relatives_at_risk": True,
        "client_sole_owner_or_tenant": True,
    }
    base.update(changes)
    return base


def advice(result: dict[str, object] | None = None, **kw: object) -> str:
    return text_of(
        documents.protection_order_advice(
            CASE[-1], MUNICIPALITY, today=TODAY, result=result, consultations=CASE, **kw
        )
    )


# --- 保護命令についてのご案内 ------------------------------------------------------------


def test_orders_2_to_5_last_as_long_as_the_approach_ban_never_12_months() -> None:
    text = advice(po_rules.evaluate(_inputs(as_of="2026-11-25")))
    assert "期間:1年間" in text
    assert text.count("期間:接近禁止命令の期間中") == 4  # ② contact, ③④ child, ⑤ relatives
    assert "12か月" not in text
    assert "期間:2か月間（家があなただけの持ち家・借家で、あなたが求めるときは6か月間）" in text


def test_the_contact_ban_acts_are_the_results_list() -> None:
    """The location-tag act only for decisions from 2025-12-30 (令和7年改正)."""
    tag = "紛失防止タグ等で位置情報を取得すること"
    before = po_rules.evaluate(_inputs(as_of="2025-12-29"))
    after = po_rules.evaluate(_inputs(as_of="2025-12-30"))
    assert tag not in advice(before)
    assert tag in advice(after)
    items = next(o for o in after["orders"] if o["type"] == "contact_ban")["items"]
    text = advice(after)
    for item in items:
        assert re.sub(r"\s", "", item) in text
    # in her language: the same acts, translated, in the same number
    english = text_of(
        documents.protection_order_advice(
            CASE[-1], MUNICIPALITY, today=TODAY, result=before, language="en"
        )
    )
    assert "lost-itemtrackertag" not in english and "Demandingtomeetyou" in english
    english_after = text_of(
        documents.protection_order_advice(
            CASE[-1], MUNICIPALITY, today=TODAY, result=after, language="en"
        )
    )
    assert "lost-itemtrackertag" in english_after


def test_consents_for_children_and_relatives_marked_to_be_confirmed() -> None:
    text = advice(po_rules.evaluate(_inputs(as_of="2026-11-25")))
    assert (
        "15歳以上のお子さん（16歳）については、そのお子さん本人の同意が必要です。（要確認）" in text
    )
    assert "書面による同意が必要です" in text and "法定代理人の同意が必要です" in text
    assert "成年被後見人" in text and "相手方と同居している親族など" in text
    assert text.count("（要確認）") >= 4  # child consent, relatives, the court's condition, 秘匿


def test_what_rules_9_6_adds() -> None:
    text = advice(po_rules.evaluate(_inputs(as_of="2026-11-25")))
    assert "裁判所から相手方に送られます" in text
    assert (
        "民事訴訟法の住所等の秘匿制度" in text
        and "秘匿制度）を使える場合があります。（要確認）" in text
    )
    assert "2年以下の拘禁刑又は200万円以下の罰金" in text and "第29条" in text
    assert "すぐに110番してください" in text
    assert "接近禁止命令が終わると同時に終わります" in text
    assert "法テラス" in text and "0570-078374" in text


def test_a_pending_result_never_prints_as_not_eligible() -> None:
    pending_intake = synthetic_case(TODAY)[-1]
    pending_intake.protection_order.serious_harm_to_life_or_mind_likely = None
    pending_intake.protection_order.serious_harm_to_life_or_body_likely = None
    evaluation = po_rules.evaluate_intake(pending_intake, TODAY)
    assert evaluation.state == "pending"
    for state in ("pending", None):  # given by the caller, or worked out from the intake
        text = text_of(
            documents.protection_order_advice(
                pending_intake, MUNICIPALITY, today=TODAY, result=evaluation.result, state=state
            )
        )
        assert "判断待ち" in text
        assert "要件にあたらない" not in text
    english = text_of(
        documents.protection_order_advice(
            pending_intake,
            MUNICIPALITY,
            today=TODAY,
            result=evaluation.result,
            state="pending",
            language="en",
        )
    )
    assert "decisionpending" in english


def test_not_eligible_says_so_and_offers_other_ways() -> None:
    result = po_rules.evaluate(_inputs(relationship="family_member", as_of="2026-11-25"))
    text = advice(result, state="not_eligible")
    assert "要件にあたらない可能性があります" in text and "警察への相談" in text
    intake = synthetic_case(TODAY)[-1]
    intake.relationship.type = "family_member"
    text = text_of(
        documents.protection_order_advice(intake, MUNICIPALITY, today=TODAY, result=result)
    )
    assert "要件にあたらない可能性があります" in text  # the domain says not eligible


def test_without_a_result_every_order_with_its_usual_period() -> None:
    text = advice(None)
    for name in ("接近禁止命令", "電話等禁止命令", "子への接近禁止命令", "退去等命令"):
        assert name in text
    assert "期間:1年間" in text and "12か月" not in text
    assert "保護命令には次の種類があります" in text


def test_a_result_with_only_some_orders() -> None:
    result = {"eligible": True, "orders": [{"type": "approach_ban", "months": 12}]}
    text = advice(result)
    assert "接近禁止命令" in text and "退去等命令" not in text
    assert "電話等禁止命令" not in text  # nor the sentence about ②-⑤ ending with ①


def test_law_date_from_the_result() -> None:
    text = advice(po_rules.evaluate(_inputs(as_of="2026-01-15")))
    assert "令和8（2026）年1月15日の時点の法律" in text


def test_the_paper_prints_her_language_beside_the_japanese() -> None:
    for code in CODES:
        data = documents.protection_order_advice(
            CASE[-1], MUNICIPALITY, today=TODAY, result=None, language=code
        )
        reader = pypdf.PdfReader(io.BytesIO(data))
        first = re.sub(r"\s", "", reader.pages[0].extract_text())
        assert "保護命令についてのご案内" in first, code
        if code != "ne":  # shaped Devanagari does not extract exactly
            title = re.sub(r"\s", "", load("protection_order_advice", code).get("title"))
            assert title in first, code
        assert reader.metadata is not None
        assert reader.metadata["/Title"] == "保護命令についてのご案内"


def test_unreviewed_translations_say_so_in_both_languages() -> None:
    ja_notice = re.sub(r"\s", "", load("common", "ja").get("unreviewed"))
    en_notice = re.sub(r"\s", "", load("common", "en").get("unreviewed"))
    for kind, data in render_client_papers(MUNICIPALITY, TODAY, "en").items():
        text = text_of(data)
        assert ja_notice in text and en_notice in text, kind
    # Japanese only: nothing to review
    for kind, data in render_client_papers(MUNICIPALITY, TODAY).items():
        assert ja_notice not in text_of(data), kind
    # after the centre's interpreter checked English, the notice goes
    marks = {"en": centre_review("en", "通訳者 見本", TODAY)}
    for kind, data in render_client_papers(MUNICIPALITY, TODAY, "en", centre_reviews=marks).items():
        assert ja_notice not in text_of(data), kind
    # a mark made for other texts (a later version changed them) no longer counts
    stale = {"en": CentreReview("en", "通訳者 見本", TODAY, {"contacts": "0" * 64})}
    data = documents.contacts(MUNICIPALITY, language="en", centre_reviews=stale)
    assert ja_notice in text_of(data)


# --- missing settings -------------------------------------------------------------------


def _without_phone() -> object:
    centre = dataclasses.replace(MUNICIPALITY.centre, phone=" ")
    return dataclasses.replace(MUNICIPALITY, centre=centre)


@pytest.mark.parametrize(
    "build",
    [
        lambda m: documents.protection_order_advice(CASE[-1], m, today=TODAY),
        lambda m: documents.discreet_card(m),
        lambda m: documents.safety_plan(CASE[-1], m, today=TODAY),
        lambda m: documents.contacts(m),
        lambda m: documents.consent_explanation(
            CASE[-1], m, today=TODAY, referrals=sample_consent_referrals(m, TODAY)
        ),
    ],
)
def test_an_empty_centre_phone_refuses_the_paper_naming_the_setting(build: object) -> None:
    with pytest.raises(documents.DocumentError) as refused:
        build(_without_phone())  # type: ignore[operator]
    message = refused.value.message
    assert "センターの電話番号" in message and "管理者メニュー" in message and "設定" in message
    assert message.count("。") == 1  # one sentence


def test_no_client_paper_prints_an_unset_placeholder() -> None:
    for code in (None, "en"):
        for name, data in render_client_papers(MUNICIPALITY, TODAY, code).items():
            text = text_of(data)
            assert "未設定" not in text and not re.search("電話[:：]?(）|$)", text), name


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(documents.DocumentError):
        documents.contacts(MUNICIPALITY, language="xx")


# --- the card -------------------------------------------------------------------------


def test_the_card_has_the_appointment_and_the_phone_and_nothing_else() -> None:
    data = documents.discreet_card(MUNICIPALITY, appointment=dt.datetime(2026, 12, 9, 10, 30))
    text = text_of(data).replace("-1-", "")
    assert text == (
        "ご予約のメモ次のご予約2026年12月9日（水）10時30分お問い合わせ見本市市民協働課048-000-0000"
    )
    assert metadata_text(data).split() == ["ご予約のメモ", "見本市", "市民協働課"]
    dated = text_of(documents.discreet_card(MUNICIPALITY, appointment=dt.date(2026, 12, 9)))
    assert "2026年12月9日（水）お問い合わせ" in dated
    blank = text_of(documents.discreet_card(MUNICIPALITY))
    assert "次のご予約月日（）時分" in blank  # written in by hand
    english = text_of(
        documents.discreet_card(
            MUNICIPALITY, appointment=dt.datetime(2026, 12, 9, 10, 30), language="en"
        )
    )
    assert "Wednesday,December9,202610:30" in english


def test_the_old_discreet_flag_builds_the_card() -> None:
    data = documents.protection_order_advice(
        CASE[-1], MUNICIPALITY, today=TODAY, discreet=True, appointment=dt.date(2026, 12, 9)
    )
    assert text_of(data).replace("-1-", "").startswith("ご予約のメモ")


# --- くらしのメモ ------------------------------------------------------------------------


def test_the_safety_plan_lists_every_number_and_the_evidence() -> None:
    for wording in ("neutral", "plain"):
        text = text_of(documents.safety_plan(CASE[-1], MUNICIPALITY, today=TODAY, wording=wording))
        for number in ("110", "119", "048-000-0000", "#8008", "0120-279-889", "189"):
            assert number in text, (wording, number)
        for item in ("写真", "診断書", "日記やメモ", "年金", "住まいの書類"):
            assert item in text, (wording, item)
        assert "見本市内の知人宅" not in text  # never the whereabouts
        assert "平日10時～12時" in text
    plain = text_of(documents.safety_plan(CASE[-1], MUNICIPALITY, today=TODAY, wording="plain"))
    assert (
        "持ち出すもの" in plain
        and "DV相談ナビ" in plain
        and "見本市配偶者暴力相談支援センター" in plain
    )
    with pytest.raises(documents.DocumentError):
        documents.safety_plan(CASE[-1], MUNICIPALITY, today=TODAY, wording="loud")


def test_the_citys_own_hotline_numbers_are_used_where_its_settings_list_them() -> None:
    @dataclasses.dataclass(frozen=True)
    class Hotline:
        id: str
        name: str
        phone: str
        note: str = ""

    city = dataclasses.replace(MUNICIPALITY)
    object.__setattr__(city, "hotlines", (Hotline("dv_navi", "DV相談ナビ", "#9999"),))
    text = text_of(documents.contacts(city))
    assert "#9999" in text and "#8008" not in text


# --- 相談窓口のご案内 ---------------------------------------------------------------------


def test_the_contacts_page() -> None:
    data = documents.contacts(MUNICIPALITY)
    text = text_of(data)
    for number in ("048-000-0000", "#8008", "0120-279-889", "110", "119", "189"):
        assert number in text
    assert "見本市配偶者暴力相談支援センター" in text and "平日9時～17時" in text
    assert "10の言語" in text
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    for code in CODES:  # one page in every language
        one = documents.contacts(MUNICIPALITY, language=code)
        assert len(pypdf.PdfReader(io.BytesIO(one)).pages) == 1, code


# --- 同意の説明 --------------------------------------------------------------------------


def test_the_consent_explanation_names_what_goes_where_and_her_rights() -> None:
    case = synthetic_case(TODAY)[-1]
    refs = [
        Referral(destination_id="hellowork", purpose="仕事探しの相談"),
        Referral(destination_id="police", purpose="見本の目的", whereabouts_confirmed=True),
        Referral(destination_id="child_dept", mandatory=True),
    ]
    text = text_of(documents.consent_explanation(case, MUNICIPALITY, today=TODAY, referrals=refs))
    assert "ハローワーク（就労）" in text and "仕事探しの相談" in text
    assert "警察署（警察）" in text and "今いる場所" in text and "住所" in text
    assert "あなたの住所や今いる場所もお知らせします" in text
    assert "同意がなくても行います" in text and "児童虐待防止法第6条" in text
    assert "断っても" in text and "取り消せます" in text
    for value in ("見本花子", "見本県見本市見本町1-2-3", "見本市内の知人宅", "見本太郎"):
        assert value not in text  # what kind of thing is told, never her data
    english = text_of(
        documents.consent_explanation(
            case, MUNICIPALITY, today=TODAY, referrals=refs[:1], language="en"
        )
    )
    assert "ハローワーク(employment)" in english and "Yourname" in english
    assert "Ifyousayno" in english


def test_whereabouts_are_mentioned_only_where_they_would_be_told() -> None:
    case = synthetic_case(TODAY)[-1]
    unconfirmed = [Referral(destination_id="police", purpose="見本")]
    text = text_of(
        documents.consent_explanation(case, MUNICIPALITY, today=TODAY, referrals=unconfirmed)
    )
    assert "今いる場所もお知らせします" not in text


def test_no_referral_no_explanation() -> None:
    with pytest.raises(documents.DocumentError):
        documents.consent_explanation(CASE[-1], MUNICIPALITY, today=TODAY, referrals=[])


# --- headings never alone at the foot of a page -------------------------------------------


def test_no_page_of_any_paper_ends_with_a_heading() -> None:
    for name, data in render_all(MUNICIPALITY, TODAY, CODES).items():
        assert headings_at_foot(data) == [], name


def _sheet(space_mm: float) -> bytes:
    sheet = Sheet(Metadata(title="見本"), mark=None)
    sheet.spacer(space_mm)
    for n in range(3):
        sheet.heading(f"見出し{n}")
        sheet.fields([("項目", "値"), ("項目2", "値2"), ("項目3", "値3")])
        sheet.para("本文の段落です。" * 12)
    return sheet.build()


def test_a_heading_that_would_end_a_page_moves_with_its_first_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intake_app.documents import _layout

    heights = [100 + 3 * n for n in range(40)]  # mm of space before the headings
    with monkeypatch.context() as m:  # control: without keeping, some heading ends a page
        m.setattr(_layout, "keep_headings", list)
        assert any(headings_at_foot(_sheet(h)) for h in heights)
    for h in heights:
        assert headings_at_foot(_sheet(h)) == [], h
