"""Referral slips disclose the destination's whitelisted fields and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intake_app.documents import DocumentError, referral_slip
from intake_app.documents.samples import sample_municipality
from intake_app.domain.model import (
    Child,
    Client,
    ConsultationInfo,
    Household,
    Intake,
    Needs,
    Referral,
    Relationship,
    SafeContact,
    Violence,
)
from intake_app.domain.municipality import load_municipality
from tests.unit.documents.helpers import MUNICIPALITY, OFFICIAL, TODAY, all_text

# canary -> the field ids that may legitimately print it
CANARIES: dict[str, set[str]] = {
    "氏名カナリア": {"client.name"},
    "かなりあふりがな": {"client.kana"},
    "旧姓カナリア": {"client.aliases"},
    "国籍カナリア": {"client.nationality"},
    "090-1111-2222": {"client.safe_contact.phone"},
    "canary-mail@example.invalid": {"client.safe_contact.email"},
    "時間カナリア": {"client.safe_contact", "client.safe_contact.safe_times"},
    "住所カナリア": {"client.address"},
    "居所カナリア": {"client.current_whereabouts"},
    "子カナリア": {"household.children.name_age"},
    "学校カナリア": {"household.children.school"},
    "相手カナリア": {"relationship.perpetrator_name"},
    "出来事カナリア": {"violence.latest_incident"},
    "けがカナリア": {"violence.injuries"},
    "警察カナリア": {"violence.police_involvement"},
    "困りカナリア": {"needs.note"},
    "内容カナリア": {"consultation.content"},
    "昭和60（1985）年": {"client.date_of_birth"},
    "身体的暴力": {"violence.types"},
}


def canary_intake(*, fled: bool | None = True) -> Intake:
    return Intake(
        consultation=ConsultationInfo(
            started_at=dt.datetime(2026, 11, 25, 10, 0),
            channel="visit",
            counselor="担当者甲",
            content="内容カナリア",
        ),
        client=Client(
            name="氏名カナリア",
            kana="かなりあふりがな",
            aliases=["旧姓カナリア"],
            date_of_birth=dt.date(1985, 6, 1),
            nationality="国籍カナリア",
            safe_contact=SafeContact(
                may_call=True,
                safe_times="時間カナリア",
                phone="090-1111-2222",
                email="canary-mail@example.invalid",
            ),
            address="住所カナリア",
            fled=fled,
            current_whereabouts="居所カナリア",
        ),
        household=Household(children=[Child(name="子カナリア", age=7, school="学校カナリア")]),
        relationship=Relationship(type="legal_spouse", perpetrator_name="相手カナリア"),
        violence=Violence(
            types={"physical": "repeated"},
            latest_incident="出来事カナリア",
            injuries="けがカナリア",
            police_involvement="警察カナリア",
        ),
        needs=Needs(categories=["housing"], note="困りカナリア"),
    )


def consented(destination_id: str, fields: list[str] | None = None, **kw: object) -> Referral:
    return Referral(
        destination_id=destination_id,
        purpose="目的の記載",
        fields=fields or [],
        consent=True,
        consent_method="written",
        consent_at=dt.datetime(2026, 11, 25, 10, 40),
        **kw,  # type: ignore[arg-type]
    )


def whitelist(dest_id: str) -> list[str]:
    return list(MUNICIPALITY.destination(dest_id).fields)


@pytest.mark.parametrize("dest", [d.id for d in MUNICIPALITY.destinations])
@pytest.mark.parametrize("confirmed", [False, True])
def test_slip_prints_whitelisted_fields_and_no_other(dest: str, confirmed: bool) -> None:
    allowed = set(whitelist(dest))
    ref = consented(dest, list(allowed), whereabouts_confirmed=confirmed)
    text = all_text(referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    for canary, field_ids in CANARIES.items():
        disclosed = allowed & field_ids
        if disclosed & {"client.address", "client.current_whereabouts"} and not confirmed:
            disclosed = set()
        if disclosed:
            assert canary in text, f"{dest}: {canary} ({field_ids}) missing"
        else:
            assert canary not in text, f"{dest}: {canary} ({field_ids}) leaked"


def test_fields_the_counselor_did_not_pick_are_left_out() -> None:
    ref = consented("police", ["client.name", "violence.types"])
    text = all_text(referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "氏名カナリア" in text and "身体的暴力" in text
    for canary in ("かなりあふりがな", "住所カナリア", "相手カナリア", "出来事カナリア"):
        assert canary not in text


def test_fields_asked_for_outside_the_whitelist_are_refused() -> None:
    ref = consented("child_dept", ["client.name", "client.current_whereabouts", "client.address"])
    ref.whereabouts_confirmed = True
    text = all_text(referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "氏名カナリア" in text
    assert "居所カナリア" not in text and "住所カナリア" not in text


@pytest.mark.parametrize("fled", [True, None, False])
@pytest.mark.parametrize("confirmed", [False, True])
def test_address_needs_the_counselors_confirmation(fled: bool | None, confirmed: bool) -> None:
    ref = consented("residents", whitelist("residents"), whereabouts_confirmed=confirmed)
    text = all_text(
        referral_slip(canary_intake(fled=fled), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    )
    assert ("住所カナリア" in text) is confirmed


def test_whereabouts_never_without_confirmation_even_when_not_fled() -> None:
    ref = consented("pref", whitelist("pref"))
    text = all_text(
        referral_slip(canary_intake(fled=False), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    )
    assert "居所カナリア" not in text


def test_slip_names_destination_consent_counselor_and_marking() -> None:
    ref = consented("hellowork", whitelist("hellowork"))
    text = all_text(referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "ハローワーク御中" in text
    assert "目的の記載" in text
    assert "本人の同意あり（書面、令和8（2026）年11月25日10時40分）" in text
    assert "田中花子" in text and "048-000-0000" in text
    assert "担当者甲" not in text, "the counselor of the slip is the sender by 氏名"
    assert "取扱注意" in text
    assert "見本市配偶者暴力相談支援センター" in text


def test_slip_without_consent_is_refused() -> None:
    ref = consented("hellowork")
    ref.consent = False
    with pytest.raises(DocumentError) as err:
        referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    assert "同意" in err.value.message


def test_mandatory_notification_needs_no_consent_and_says_why() -> None:
    ref = Referral(destination_id="child_dept", purpose="通告", mandatory=True)
    text = all_text(referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "児童虐待の防止等に関する法律第6条" in text


def test_unknown_destination_is_a_clear_error() -> None:
    with pytest.raises(DocumentError) as err:
        referral_slip(canary_intake(), MUNICIPALITY, consented("nowhere"), today=TODAY, **OFFICIAL)
    assert "nowhere" in err.value.message


def test_anonymous_client_prints_no_name() -> None:
    intake = canary_intake()
    intake.client.anonymous = True
    ref = consented("hellowork", whitelist("hellowork"))
    text = all_text(referral_slip(intake, MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "氏名カナリア" not in text and "匿名" in text


def test_another_citys_file_changes_the_sender_without_code() -> None:
    other = dataclasses.replace(
        MUNICIPALITY,
        centre=dataclasses.replace(
            MUNICIPALITY.centre, name="別市女性相談センター", phone="011-222-3333"
        ),
    )
    ref = consented("hellowork", whitelist("hellowork"))
    text = all_text(referral_slip(canary_intake(), other, ref, today=TODAY, **OFFICIAL))
    assert "別市女性相談センター" in text and "011-222-3333" in text
    assert "見本市配偶者暴力相談支援センター" not in text


def test_every_field_the_domain_allows_has_a_renderer() -> None:
    from intake_app.documents.fields import FIELDS
    from intake_app.domain.model import REFERRAL_FIELDS

    assert set(FIELDS) == set(REFERRAL_FIELDS)
    intake = canary_intake()
    for field_id, spec in FIELDS.items():
        value = spec.render(intake)
        assert isinstance(value, str) and value.strip(), field_id
        assert spec.label == REFERRAL_FIELDS[field_id]


WARABI = sample_municipality(load_municipality("warabi"))  # its empty settings filled


@pytest.mark.parametrize("dest", [d.id for d in WARABI.destinations])
@pytest.mark.parametrize("confirmed", [False, True])
def test_warabi_destinations_print_their_whitelist_only(dest: str, confirmed: bool) -> None:
    allowed = set(WARABI.destination(dest).fields)
    ref = consented(dest, sorted(allowed), whereabouts_confirmed=confirmed)
    text = all_text(referral_slip(canary_intake(), WARABI, ref, today=TODAY, **OFFICIAL))
    assert "蕨市配偶者暴力相談支援センター" in text
    for canary, field_ids in CANARIES.items():
        disclosed = allowed & field_ids
        if disclosed & {"client.address", "client.current_whereabouts"} and not confirmed:
            disclosed = set()
        assert (canary in text) == bool(disclosed), (dest, canary)


def test_child_department_without_the_mandatory_flag_still_needs_consent() -> None:
    ref = Referral(destination_id="child_dept", purpose="相談")
    with pytest.raises(DocumentError) as err:
        referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    assert "同意" in err.value.message


def test_mandatory_flag_cannot_skip_consent_for_other_destinations() -> None:
    ref = Referral(destination_id="hellowork", purpose="就労", mandatory=True)
    with pytest.raises(DocumentError) as err:
        referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    assert "子ども" in err.value.message


def test_consent_without_method_and_time_is_refused() -> None:
    ref = Referral(destination_id="hellowork", purpose="就労", consent=True)
    with pytest.raises(DocumentError) as err:
        referral_slip(canary_intake(), MUNICIPALITY, ref, today=TODAY, **OFFICIAL)
    assert "同意の方法" in err.value.message and "同意の日時" in err.value.message


def test_violence_said_not_to_have_happened_is_not_printed_as_unknown() -> None:
    intake = canary_intake()
    intake.violence.types = {}
    intake.violence.absent = ["sexual"]
    ref = consented("police", ["client.name", "violence.types"])
    text = all_text(referral_slip(intake, MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "暴力の種類なかった:性的暴力3本人の同意" in text
    intake.violence.absent = []
    text = all_text(referral_slip(intake, MUNICIPALITY, ref, today=TODAY, **OFFICIAL))
    assert "暴力の種類不明・回答なし3本人の同意" in text
