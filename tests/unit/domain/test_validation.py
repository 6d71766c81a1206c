import datetime as dt

import pytest

from intake_app.domain.model import Child, Intake, Referral
from intake_app.domain.municipality import load_municipality
from intake_app.domain.validation import validate_intake

TODAY = dt.date(2026, 11, 25)
CITY = load_municipality("warabi")
WHEN = dt.datetime(2026, 11, 25, 10, 0)


def errors(intake, municipality=CITY):
    return [(e.field, e.message) for e in validate_intake(intake, TODAY, municipality)]


def test_a_complete_intake_has_no_errors():
    intake = Intake()
    intake.client.kana = "ヤマダ ハナコ"
    intake.client.safe_contact.email = "hanako@example.jp"
    intake.household.children = [Child(age=0), Child(age=17)]
    intake.violence.types = {"physical": "repeated"}
    intake.violence.absent = ["sexual"]
    intake.shelter.accompanying_children = [0, 1]
    intake.risk.judgement = "high"
    intake.risk.judgement_reason = "本人の強い恐怖"
    intake.referrals = [
        Referral(
            "legal", fields=["client.name"], consent=True, consent_method="written", consent_at=WHEN
        ),
        Referral("kodomo_mirai", mandatory=True),
    ]
    intake.address.support_measure_applied = True
    intake.address.applied_on = TODAY
    assert errors(intake) == []


def setter(path, value):
    def apply(intake):
        target = intake
        *parents, last = path.split(".")
        for name in parents:
            target = getattr(target, name)
        setattr(target, last, value)

    return apply


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            setter("household.children", [Child(age=5), Child(age=18)]),
            "household.children[1].age",
            "子ども2人目の年齢: 0〜17の数字で入力してください",
        ),
        (
            setter("household.children", [Child(age=-1)]),
            "household.children[0].age",
            "子ども1人目の年齢: 0〜17の数字で入力してください",
        ),
        (
            setter("consultation.started_at", dt.datetime(2026, 11, 26, 9, 0)),
            "consultation.started_at",
            "相談日時: 未来の日時は入力できません",
        ),
        (
            setter("client.kana", "山田"),
            "client.kana",
            "ふりがな: ひらがなかカタカナで入力してください",
        ),
        (
            setter("client.date_of_birth", dt.date(2026, 11, 26)),
            "client.date_of_birth",
            "生年月日: 未来の日付は入力できません",
        ),
        (
            setter("client.safe_contact.email", "hanako@"),
            "client.safe_contact.email",
            "安全な連絡先（メール）: メールアドレスの形で入力してください",
        ),
        (
            setter("relationship.separated_on", dt.date(2027, 1, 1)),
            "relationship.separated_on",
            "別居・別れた日: 未来の日付は入力できません",
        ),
        (
            setter("violence.latest_incident_on", dt.date(2027, 1, 1)),
            "violence.latest_incident_on",
            "最近の暴力の日: 未来の日付は入力できません",
        ),
        (
            lambda i: (
                i.violence.types.update({"sexual": "once_or_twice"}),
                i.violence.absent.append("sexual"),
            ),
            "violence.absent",
            "性的暴力: 「なかった」と「あった」の両方は選べません",
        ),
        (
            setter("risk.judgement", "extreme"),
            "risk.judgement",
            "相談員の判断: 低・中・高・緊急から選んでください",
        ),
        (
            setter("risk.judgement", "medium"),
            "risk.judgement_reason",
            "判断の理由: 相談員の判断で危険度を決めた理由を書いてください",
        ),
        (
            setter("shelter.accompanying_children", [0]),
            "shelter.accompanying_children",
            "同伴する子ども: 子どもの欄にいない子が選ばれています",
        ),
        (
            setter("address.support_measure_applied", True),
            "address.applied_on",
            "支援措置の申出日: 日付を入力してください",
        ),
        (
            setter("address.applied_on", dt.date(2026, 12, 1)),
            "address.applied_on",
            "支援措置の申出日: 未来の日付は入力できません",
        ),
        (
            setter("referrals", [Referral("bank", consent=True)]),
            "referrals[0].destination_id",
            "紹介1件目の紹介先: 設定にない紹介先です",
        ),
        (
            setter(
                "referrals",
                [
                    Referral(
                        "legal",
                        fields=["client.secret"],
                        consent=True,
                        consent_method="verbal",
                        consent_at=WHEN,
                    )
                ],
            ),
            "referrals[0].fields",
            "紹介1件目の開示項目: 「client.secret」は開示できる項目にありません",
        ),
        (
            setter("referrals", [Referral("legal", consent=True, consent_at=WHEN)]),
            "referrals[0].consent",
            "紹介1件目（法律相談（市の弁護士・司法書士相談））の"
            "同意の方法: 口頭か書面かを記録してください",
        ),
    ],
)
def test_each_problem_names_its_field_in_japanese(change, field, message):
    intake = Intake()
    change(intake)
    assert errors(intake) == [(field, message)]


def test_without_a_municipality_only_consent_itself_is_checked():
    intake = Intake()
    intake.referrals = [
        Referral("anywhere"),
        Referral("kodomo", mandatory=True),
        Referral("x", consent=True),
    ]
    assert errors(intake, None) == [
        ("referrals[0].consent", "紹介1件目の本人の同意: 同意を得てから紹介してください")
    ]


def test_kana_with_long_marks_dots_and_half_width_is_accepted():
    intake = Intake()
    intake.client.kana = "ﾏﾘｱ・ｻﾝﾄｰｽ"
    assert errors(intake) == []


def test_the_intake_validates_itself():
    intake = Intake()
    intake.household.children = [Child(age=20)]
    assert [e.message for e in intake.validate(TODAY)] == [
        "子ども1人目の年齢: 0〜17の数字で入力してください"
    ]
