import datetime as dt

import pytest

from intake_app.domain.model import Referral
from intake_app.domain.municipality import load_municipality
from intake_app.domain.rules.referrals import (
    allowed_fields,
    consent_problems,
    consent_reason,
    disclosed,
    needs_consent,
    withheld,
)

CITY = load_municipality("warabi")
POLICE = CITY.destination("police")
KODOMO = CITY.destination("kodomo_mirai")
LEGAL = CITY.destination("legal")
WHEN = dt.datetime(2026, 11, 25, 10, 0)


def test_allowed_fields_accept_objects_and_dicts_and_drop_unknown_ids():
    assert allowed_fields(LEGAL) == list(LEGAL.fields)
    raw = {"fields": ["client.name", "client.secret", "client.name"]}
    assert allowed_fields(raw) == ["client.name"]
    assert allowed_fields({}) == []


@pytest.mark.parametrize(
    ("fields", "confirmed", "expected"),
    [
        (["client.name", "violence.types"], False, ["client.name", "violence.types"]),
        (["client.name", "client.current_whereabouts"], False, ["client.name"]),
        (
            ["client.name", "client.current_whereabouts"],
            True,
            ["client.name", "client.current_whereabouts"],
        ),
        (["client.address"], False, []),
        (["client.address"], True, ["client.address"]),
        (["needs.note", "client.name"], True, ["client.name"]),  # needs.note not whitelisted
    ],
)
def test_only_whitelisted_and_confirmed_fields_are_disclosed(fields, confirmed, expected):
    referral = Referral("police", fields=fields, whereabouts_confirmed=confirmed)
    assert disclosed(referral, POLICE) == expected


def test_no_chosen_fields_means_the_whitelist_without_unconfirmed_location():
    result = disclosed(Referral("police"), POLICE)
    assert "client.current_whereabouts" not in result
    assert "client.address" not in result
    assert result == [
        f for f in POLICE.fields if f not in ("client.current_whereabouts", "client.address")
    ]


def test_whereabouts_never_go_where_they_are_not_whitelisted_even_when_confirmed():
    referral = Referral("legal", fields=["client.current_whereabouts"], whereabouts_confirmed=True)
    assert disclosed(referral, LEGAL) == []
    assert [r.text for r in withheld(referral, LEGAL)] == [
        "「現在の居所」は法律相談（市の弁護士・司法書士相談）に開示できる項目ではありません"
    ]


def test_withheld_explains_unconfirmed_location():
    referral = Referral("police", fields=["client.current_whereabouts", "client.name"])
    assert [r.text for r in withheld(referral, POLICE)] == [
        "「現在の居所」は相談員が開示を確認していないため載せません"
    ]


@pytest.mark.parametrize(
    ("referral", "destination", "problems"),
    [
        (Referral("legal", consent=True, consent_method="verbal", consent_at=WHEN), LEGAL, []),
        (Referral("legal"), LEGAL, ["本人の同意: 同意を得てから紹介してください"]),
        (
            Referral("legal", consent=True),
            LEGAL,
            [
                "同意の方法: 口頭か書面かを記録してください",
                "同意の日時: 同意を得た日時を記録してください",
            ],
        ),
        (Referral("kodomo_mirai", mandatory=True), KODOMO, []),
        (Referral("kodomo_mirai"), KODOMO, ["本人の同意: 同意を得てから紹介してください"]),
        (
            Referral("police", mandatory=True),
            POLICE,
            [
                "同意不要の通告にできるのは、子どもの通告先（子ども担当課・児童相談所）だけです",
                "本人の同意: 同意を得てから紹介してください",
            ],
        ),
    ],
)
def test_consent_table(referral, destination, problems):
    assert consent_problems(referral, destination) == problems


def test_the_mandatory_child_notification_is_the_one_referral_without_consent():
    assert needs_consent(Referral("kodomo_mirai", mandatory=True), KODOMO) is False
    assert needs_consent(Referral("police", mandatory=True), POLICE) is True
    assert consent_reason(Referral("kodomo_mirai", mandatory=True), KODOMO).rule == (
        "児童虐待防止法第6条"
    )
    assert consent_reason(Referral("legal", consent=True), LEGAL).text == "本人の同意を得ています"
    assert consent_reason(Referral("legal"), LEGAL).text == "本人の同意がないため、紹介できません"
