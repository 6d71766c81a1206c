"""The official papers as their recipients read them (pdftotext): 文書番号, the head of
the centre as sender with room for the 公印, whom to call back by 氏名, what each
recipient needs and nothing addressed to the counselor; no heading alone at a page foot."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess

import pytest

from intake_app import documents
from intake_app.documents._layout import Sheet
from intake_app.documents.samples import render_all, synthetic_case
from intake_app.domain.advice import advise
from intake_app.domain.court import CourtRequest
from intake_app.domain.model import Referral
from tests.unit.documents.helpers import COUNSELOR, MUNICIPALITY, NUMBER, OFFICIAL, TODAY

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed")
REQUEST = CourtRequest(
    court="見本地方裁判所",
    division="民事第4部",
    case_number="令和8年（配チ）第123号",
    requested_on=dt.date(2026, 11, 18),
)
# Words that speak to the counselor, not to the office that receives the paper.
TO_THE_COUNSELOR = ("連絡してください", "通告してください", "記録してください", "判断の理由")


def pages(data: bytes) -> list[str]:
    """The text of each page as pdftotext gives it (reading order)."""
    out = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def flat(data: bytes) -> str:
    return "".join("".join(pages(data)).split())


def case():
    consultations = synthetic_case(TODAY, COUNSELOR)
    return consultations, consultations[-1]


def slip(destination_id: str, intake=None, **kw) -> bytes:
    intake = intake or case()[1]
    dest = MUNICIPALITY.destination(destination_id)
    ref = Referral(
        destination_id,
        purpose="支援の調整のため",
        fields=list(dest.fields),
        consent=True,
        consent_method="verbal",
        consent_at=dt.datetime(2026, 11, 25, 10, 40),
        **kw,
    )
    return documents.referral_slip(intake, MUNICIPALITY, ref, today=TODAY, **OFFICIAL)


def official_papers() -> dict[str, bytes]:
    consultations, latest = case()
    advice = advise(latest, MUNICIPALITY, TODAY)
    latest.household.child_notification.notified_to = "子ども未来課"
    return {
        "referral_slip": slip("police"),
        "shelter_request": documents.shelter_request(
            latest, MUNICIPALITY, today=TODAY, advice=advice.shelter, risk=advice.risk, **OFFICIAL
        ),
        "court_report": documents.court_report(
            consultations, MUNICIPALITY, today=TODAY, request=REQUEST, **OFFICIAL
        ),
        "support_measure_opinion": documents.support_measure_opinion(
            latest, MUNICIPALITY, today=TODAY, consultations=consultations, **OFFICIAL
        ),
        "child_notification": documents.child_notification_record(
            latest, MUNICIPALITY, today=TODAY, advice=advice.child_notification, **OFFICIAL
        ),
    }


@pytest.fixture(scope="module")
def papers() -> dict[str, bytes]:
    return official_papers()


@pytest.mark.parametrize(
    "kind",
    [
        "referral_slip",
        "shelter_request",
        "court_report",
        "support_measure_opinion",
        "child_notification",
    ],
)
def test_every_official_paper_has_number_sender_seal_and_callback(papers, kind) -> None:
    data = papers[kind]
    first = "".join(pages(data)[0].split())
    text = flat(data)
    assert first.startswith("取扱注意") and NUMBER in first, "the 文書番号 at the top"
    assert "見本市配偶者暴力相談支援センターセンター長見本一郎" in text  # the head as sender
    assert "印" in first, "room for the 公印 beside the sender"
    assert "田中花子電話048-000-0000" in text  # the counselor by 氏名 and the number
    assert "担当者甲" not in text and "tanaka" not in text
    assert "（未設定）" not in text
    assert not re.search(r"(?<!（)電話[ 　]*[）)]", "".join(pages(data))), "an empty phone"
    for words in TO_THE_COUNSELOR:
        assert words not in text, (kind, words)
    assert text.index("記") < text.index("以上")


def test_a_later_page_repeats_the_number_at_its_foot(papers) -> None:
    later = pages(papers["child_notification"])[1:]
    assert later and all(NUMBER in page for page in later)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"head_name": ""}, "差出人（センターの長）の氏名"),
        ({"phone": ""}, "センターの電話番号"),
        ({"document_number_format": ""}, "文書番号の形式"),
    ],
)
def test_an_empty_setting_refuses_the_paper_and_takes_no_number(change, named) -> None:
    centre = dataclasses.replace(MUNICIPALITY.centre, **change)
    city = dataclasses.replace(MUNICIPALITY, centre=centre)
    taken: list[int] = []

    def number() -> str:
        taken.append(1)
        return NUMBER

    _consultations, latest = case()
    with pytest.raises(documents.DocumentError) as refused:
        documents.support_measure_opinion(
            latest, city, today=TODAY, document_number=number, counselor=COUNSELOR
        )
    assert named in refused.value.message and "管理者メニュー" in refused.value.message
    assert taken == [], "a refused paper takes no number from the register"


def test_a_counselor_without_a_display_name_is_refused() -> None:
    consultations, _latest = case()
    with pytest.raises(documents.DocumentError) as refused:
        documents.court_report(
            consultations,
            MUNICIPALITY,
            today=TODAY,
            request=REQUEST,
            document_number=NUMBER,
            counselor=" ",
        )
    assert "担当者の氏名" in refused.value.message


def test_court_report_answers_the_courts_request(papers) -> None:
    text = flat(papers["court_report"])
    assert "見本地方裁判所民事第4部御中" in text
    assert "相談等の状況について（回答）" in text
    assert "令和8（2026）年11月18日付けで照会のありました" in text
    assert "事件番号令和8年（配チ）第123号" in text
    assert text.index("（回答）") < text.index("記") < text.index("1事件の表示")
    assert "センター長見本一郎" in text
    assert "夫からの暴力と、子どもの前での暴言について電話で相談" not in text  # phone only


def test_support_measure_opinion_names_what_the_registry_needs_and_no_address(papers) -> None:
    text = flat(papers["support_measure_opinion"])
    assert "市民課御中" in text
    assert "DV被害者" in text
    assert "2併せて支援を求める者" in text and "見本さくら子" in text
    assert "見本太郎（みほんたろう）" in text
    assert "昭和61（1986）年7月15日" in text and "見本県見本市見本町4-5-6" in text
    assert "048-000-0000" in text
    _consultations, latest = case()
    assert "".join(latest.client.address.split()) not in text
    assert "".join(latest.client.current_whereabouts.split()) not in text
    assert "壁に押し付けられ" not in text, "no consultation content"


def test_child_notification_is_a_notification_with_what_the_office_needs(papers) -> None:
    text = flat(papers["child_notification"])
    assert "子ども未来課御中" in text and "通告します" in text
    assert "見本ゆうと※加害者と同居しています" in text
    assert "性別男" in text and "生年月日（年齢）平成25（2013）年" in text
    assert "加害者との関係継父（母の再婚相手）" in text and "加害者との関係実父" in text
    assert "現在の居場所加害者の自宅" in text
    assert "受理者子ども未来課見本次郎" in text
    assert "虐待を行ったと思われる者氏名見本太郎" in text
    assert text.index("見本ゆうと") < text.index("見本さくら"), "the child left with him first"


def test_shelter_request_tells_the_shelter_what_it_needs(papers) -> None:
    text = flat(papers["shelter_request"])
    assert "埼玉県女性相談支援センター御中" not in text  # the test municipality's own
    assert "県女性相談支援センター御中" in text
    for needed in (
        "見本太郎（みほんたろう）",
        "昭和61（1986）年7月15日（40歳）",
        "見本県見本市見本町4-5-6",
        "自宅の包丁を持ち出して脅したことがある",
        "白の軽自動車",
        "見本さくら女8歳",  # each accompanying child's sex and age
        "移送の方法センター職員が同行する",
        "高血圧で通院中",
        "服薬:降圧剤",
        "所持金約2万円",
        "健康保険（被扶養者）",
    ):
        assert needed in text, needed
    assert "ください" not in text, "nothing is addressed to the counselor"


def test_shelter_request_names_her_whereabouts_only_once_confirmed() -> None:
    _consultations, latest = case()
    latest.shelter.whereabouts_confirmed = False
    text = flat(documents.shelter_request(latest, MUNICIPALITY, today=TODAY, **OFFICIAL))
    assert "見本市内の知人宅" not in text and "現在の居場所電話でお伝えします" in text


def test_the_school_goes_only_where_the_whitelist_names_it() -> None:
    assert "見本小学校" in flat(slip("child_dept"))
    assert "見本小学校" not in flat(slip("police"))
    assert "見本小学校" not in flat(slip("residents"))


def test_police_slip_carries_the_perpetrator_and_prints_each_line_once() -> None:
    intake = case()[1]
    police = MUNICIPALITY.destination("police")
    extra = (
        "relationship.perpetrator_date_of_birth",
        "relationship.perpetrator_weapons",
        "relationship.perpetrator_vehicle",
        "client.safe_contact",
        "client.safe_contact.safe_times",
        "client.age_group",
        "client.date_of_birth",
    )
    city = dataclasses.replace(
        MUNICIPALITY,
        destinations=tuple(
            dataclasses.replace(d, fields=(*d.fields, *extra)) if d is police else d
            for d in MUNICIPALITY.destinations
        ),
    )
    ref = Referral(
        "police",
        purpose="警察との情報共有",
        fields=list(police.fields) + list(extra),
        consent=True,
        consent_method="verbal",
        consent_at=dt.datetime(2026, 11, 25, 10, 40),
    )
    text = flat(documents.referral_slip(intake, city, ref, today=TODAY, **OFFICIAL))
    assert "白の軽自動車" in text and "自宅の包丁" in text and "昭和61（1986）年7月15日" in text
    assert text.count("平日10時～12時") == 1, "the safe times once"
    assert text.count("平成2（1990）年4月1日") == 1, "the date of birth once"


# --- layout: no heading alone at the foot of a page -----------------------------------


@pytest.fixture
def headings(monkeypatch) -> list[str]:
    """Every heading the papers write, as it reads in pdftotext (spaces removed)."""
    found: list[str] = []
    original = Sheet.heading

    def recording(self: Sheet, value: str) -> None:
        found.append("".join(value.split()))
        original(self, value)

    monkeypatch.setattr(Sheet, "heading", recording)
    return found


def last_lines(data: bytes) -> list[str]:
    """Each page's last line of content (the page number and 文書番号 at its foot aside)."""
    out = []
    for page in pages(data):
        lines = ["".join(line.split()) for line in page.splitlines()]
        lines = [
            line
            for line in lines
            if line and not line.startswith("-") and not line.startswith("見本")
        ]
        out.append(lines[-1] if lines else "")
    return out


def test_no_paper_leaves_a_heading_at_a_page_foot(headings) -> None:
    rendered = dict(render_all(MUNICIPALITY, TODAY))
    rendered.update(official_papers())
    assert headings, "the papers write headings"
    for name, data in rendered.items():
        for number, line in enumerate(last_lines(data), 1):
            assert line not in headings, f"{name} page {number} ends with 「{line}」"


def test_a_heading_moves_with_its_first_row_wherever_it_falls(headings) -> None:
    # Filler pushes the heading down a line at a time, across the whole foot of page 1.
    for filler in range(30, 60):
        sheet = Sheet(documents._layout.Metadata(title="見本"))
        for n in range(filler):
            sheet.para(f"本文{n}")
        sheet.heading("見出し")
        sheet.fields([("項目", "値"), ("項目2", "値2")])
        page_texts = pages(sheet.build())
        at = next(i for i, page in enumerate(page_texts) if "見出し" in page)
        assert "項目" in page_texts[at].split("見出し", 1)[1], f"filler {filler}"
