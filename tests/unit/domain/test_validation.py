import datetime as dt

import pytest

from intake_app.domain.model import Child, ChildNotification, Intake, JointApplicant, Referral
from intake_app.domain.municipality import load_municipality
from intake_app.domain.validation import (
    CHECKED_FIELDS,
    MAX_CHILD_AGE,
    field_pattern,
    is_kana,
    is_phone,
    notification_missing,
    validate_intake,
)

TODAY = dt.date(2026, 11, 25)
CITY = load_municipality("warabi")
WHEN = dt.datetime(2026, 11, 25, 10, 0)
TOMORROW = dt.date(2026, 11, 26)
REPORTED: set[str] = set()  # every CHECKED_FIELDS pattern a test here produced


def errors(intake, municipality=CITY):
    found = [(e.field, e.message) for e in validate_intake(intake, TODAY, municipality)]
    for field, _message in found:
        assert field_pattern(field) in CHECKED_FIELDS, field
        REPORTED.add(field_pattern(field))
    return found


def valid() -> Intake:
    """The least a saved intake needs."""
    intake = Intake()
    intake.consultation.started_at = WHEN
    intake.consultation.channel = "visit"
    intake.consultation.counselor = "田中"
    intake.client.name = "山田 花子"
    return intake


def witnessing_child() -> Child:
    return Child(age=7, lives_with_client=True, witnessed_violence=True)


def test_a_complete_intake_has_no_errors():
    intake = valid()
    intake.client.kana = "ヤマダ ハナコ"
    intake.client.safe_contact.phone = "048-123-4567"
    intake.client.safe_contact.email = "hanako@example.jp"
    intake.household.children = [Child(age=0), witnessing_child(), Child(age=MAX_CHILD_AGE)]
    intake.household.children[2].date_of_birth = dt.date(2008, 11, 26)  # 17 today
    intake.relationship.perpetrator_date_of_birth = TODAY
    intake.relationship.perpetrator_age = 120
    intake.household.child_notification = ChildNotification("子ども未来課", WHEN, "電話")
    intake.relationship.perpetrator_kana = "やまだ たろう"
    intake.relationship.separated_on = TODAY
    intake.relationship.living_together = False
    intake.violence.types = {"physical": "repeated"}
    intake.violence.absent = ["sexual"]
    intake.shelter.accompanying_children = [0, 1]
    intake.risk.answers = {"R05": True, "R12": False}
    intake.risk.judgement = "high"
    intake.risk.judgement_reason = "本人の強い恐怖"
    intake.referrals = [
        Referral(
            "legal", fields=["client.name"], consent=True, consent_method="written", consent_at=WHEN
        ),
        Referral("kodomo_mirai", mandatory=True),
    ]
    intake.address.support_measure_applied = True
    intake.address.applied_on = TODAY - dt.timedelta(days=3)
    intake.address.notified_on = TODAY  # rules.md §9.11: told three days after applying
    intake.address.joint_applicants = [JointApplicant(child_index=1), JointApplicant(name="母")]
    assert errors(intake) == []


def test_the_notified_date_may_be_the_application_date_rules_9_11():
    intake = valid()
    intake.address.support_measure_applied = True
    intake.address.applied_on = intake.address.notified_on = TODAY
    assert errors(intake) == []


def setter(path, value):
    def apply(intake):
        target = intake
        *parents, last = path.split(".")
        for name in parents:
            target = getattr(target, name)
        setattr(target, last, value)

    return apply


def referral(**kwargs):
    return setter("referrals", [Referral("legal", **kwargs)])


LEGAL = "紹介1件目（法律相談（市の弁護士・司法書士相談））の"

CASES = [
    (
        setter("household.children", [Child(age=5), Child(age=MAX_CHILD_AGE + 1)]),
        [("household.children[1].age", "子ども2人目の年齢: 0〜17の数字で入力してください")],
    ),
    (
        setter("household.children", [Child(age=-1)]),
        [("household.children[0].age", "子ども1人目の年齢: 0〜17の数字で入力してください")],
    ),
    (
        setter("consultation.started_at", None),
        [("consultation.started_at", "相談日時: 日時を入力してください")],
    ),
    (
        setter("consultation.started_at", dt.datetime(2026, 11, 26, 0, 0)),
        [("consultation.started_at", "相談日時: 未来の日時は入力できません")],
    ),
    (
        setter("consultation.channel", None),
        [("consultation.channel", "相談方法: 来所・電話などから選んでください")],
    ),
    (
        setter("consultation.counselor", "  "),
        [("consultation.counselor", "担当者: 担当者名を入力してください")],
    ),
    # the official return's 通報 and 主訴 (rules.md §10): ids of the settings' lists
    (
        setter("consultation.report_source", "radio"),
        [
            (
                "consultation.report_source",
                "通報の経路: 設定の一覧にない経路のため、選び直してください",
            )
        ],
    ),
    (
        lambda i: (
            setter("consultation.consulter", "self")(i),
            setter("consultation.report_source", "medical")(i),
        ),
        [
            (
                "consultation.report_source",
                "通報の経路: 本人からの相談は通報ではないため、相談者か通報の経路を直してください",
            )
        ],
    ),
    (
        setter("consultation.main_complaint", "weather"),
        [("consultation.main_complaint", "主訴: 設定の一覧にない主訴のため、選び直してください")],
    ),
    (
        setter("client.name", " "),
        [("client.name", "氏名: 氏名を入力するか、「匿名で相談」にしてください")],
    ),
    (
        setter("client.kana", "山田"),
        [("client.kana", "ふりがな: ひらがなかカタカナで入力してください")],
    ),
    (
        setter("client.date_of_birth", TOMORROW),
        [("client.date_of_birth", "生年月日: 未来の日付は入力できません")],
    ),
    (
        setter("client.safe_contact.phone", "048ー123ー4567"),
        [("client.safe_contact.phone", "安全な連絡先（電話）: 数字とハイフンで入力してください")],
    ),
    (
        setter("client.safe_contact.email", "hanako@"),
        [
            (
                "client.safe_contact.email",
                "安全な連絡先（メール）: メールアドレスの形で入力してください",
            )
        ],
    ),
    (
        setter("household.children", [witnessing_child()]),
        [
            (
                "household.child_notification.notified_to",
                "通告先: 通告先を入力してください（必須）",
            ),
            (
                "household.child_notification.notified_at",
                "通告日時: 通告した日時を入力してください（必須）",
            ),
            (
                "household.child_notification.method",
                "通告の方法: 電話・書面・来所から選んでください（必須）",
            ),
        ],
    ),
    (
        lambda i: (
            setter("household.children", [witnessing_child()])(i),
            setter(
                "household.child_notification",
                ChildNotification("児童相談所", dt.datetime(2026, 11, 26, 9, 0), "電話"),
            )(i),
        ),
        [("household.child_notification.notified_at", "通告日時: 未来の日時は入力できません")],
    ),
    (
        setter("relationship.separated_on", dt.date(2027, 1, 1)),
        [("relationship.separated_on", "別居・別れた日: 未来の日付は入力できません")],
    ),
    (
        lambda i: (
            setter("relationship.separated_on", TODAY)(i),
            setter("relationship.living_together", True)(i),
        ),
        [("relationship.separated_on", "別居・別れた日: いま同居している場合は入力できません")],
    ),
    (
        setter("household.children", [Child(date_of_birth=TOMORROW)]),
        [
            (
                "household.children[0].date_of_birth",
                "子ども1人目の生年月日: 未来の日付は入力できません",
            )
        ],
    ),
    (
        setter("household.children", [Child(), Child(date_of_birth=dt.date(2008, 11, 25))]),
        [
            (
                "household.children[1].date_of_birth",
                "子ども2人目の生年月日: 18歳以上になる日付です"
                "（18歳以上の家族は「親族など」に記録してください）",
            )
        ],
    ),
    (
        setter("relationship.perpetrator_date_of_birth", TOMORROW),
        [("relationship.perpetrator_date_of_birth", "相手の生年月日: 未来の日付は入力できません")],
    ),
    (
        setter("relationship.perpetrator_age", 121),
        [
            (
                "relationship.perpetrator_age",
                "相手の年齢: 0〜120の数字で入力してください（不明なら空欄）",
            )
        ],
    ),
    (
        setter("relationship.perpetrator_kana", "Sato"),
        [("relationship.perpetrator_kana", "相手のふりがな: ひらがなかカタカナで入力してください")],
    ),
    (
        setter("violence.latest_incident_on", dt.date(2027, 1, 1)),
        [("violence.latest_incident_on", "最近の暴力の日: 未来の日付は入力できません")],
    ),
    (
        lambda i: (
            i.violence.types.update({"sexual": "once_or_twice"}),
            i.violence.absent.append("sexual"),
        ),
        [("violence.types.sexual", "性的暴力: 「なかった」と「あった」の両方は選べません")],
    ),
    (
        setter("risk.answers", {"R01": False, "R99": True}),
        [("risk.answers.R99", "危険度チェックリスト: 「R99」はrisk-v2にない項目です")],
    ),
    (
        setter("risk.judgement", "extreme"),
        [("risk.judgement", "相談員の判断: 低・中・高・緊急から選んでください")],
    ),
    (  # nothing answered on risk-v2 is at least 中 (rules.md §9.7): 高 is a raise
        setter("risk.judgement", "high"),
        [
            (
                "risk.judgement_reason",
                "判断の理由: 相談員の判断で危険度を決めた理由を書いてください",
            )
        ],
    ),
    (
        lambda i: (
            setter("risk.judgement", "low")(i),
            setter("risk.judgement_reason", "念のため")(i),
        ),
        [
            (
                "risk.judgement",
                "相談員の判断: 算定レベル（中）より高いレベルを選んでください。"
                "下げることはできません",
            )
        ],
    ),
    (
        lambda i: (  # two red flags: urgent, so a judgement of high would lower it
            setter("risk.answers", {"R01": True, "R03": True})(i),
            setter("risk.judgement", "high")(i),
        ),
        [
            (
                "risk.judgement",
                "相談員の判断: 算定レベル（緊急）より高いレベルを選んでください。"
                "下げることはできません",
            )
        ],
    ),
    (
        setter("shelter.accompanying_children", [0]),
        [("shelter.accompanying_children", "同伴する子ども: 子どもの欄にいない子が選ばれています")],
    ),
    (
        setter("address.support_measure_applied", True),
        [("address.applied_on", "支援措置の申出日: 日付を入力してください")],
    ),
    (
        setter("address.applied_on", dt.date(2026, 12, 1)),
        [("address.applied_on", "支援措置の申出日: 未来の日付は入力できません")],
    ),
    (  # rules.md §9.11: the day the municipality told the client
        lambda i: (
            setter("address.applied_on", dt.date(2026, 11, 20))(i),
            setter("address.notified_on", dt.date(2026, 11, 26))(i),
        ),
        [("address.notified_on", "支援措置の連絡日: 未来の日付は入力できません")],
    ),
    (  # told before the application was accepted: a typing mistake
        lambda i: (
            setter("address.applied_on", dt.date(2026, 11, 20))(i),
            setter("address.notified_on", dt.date(2026, 11, 19))(i),
        ),
        [("address.notified_on", "支援措置の連絡日: 申出日より前の日付は入力できません")],
    ),
    (  # rules.md §9.12: 併せて支援を求める者 from the children: the child must be on record
        lambda i: (
            setter("household.children", [Child(age=4)])(i),
            setter("address.joint_applicants", [JointApplicant(0), JointApplicant(1)])(i),
        ),
        [
            (
                "address.joint_applicants[1].child_index",
                "併せて支援を求める者2人目: 子どもの欄にいない子が選ばれています",
            )
        ],
    ),
    (  # or by name
        setter("address.joint_applicants", [JointApplicant(name=" ")]),
        [("address.joint_applicants[0].name", "併せて支援を求める者1人目: 名前を入力してください")],
    ),
    (
        setter("referrals", [Referral("bank", consent=True)]),
        [("referrals[0].destination_id", "紹介1件目の紹介先: 設定にない紹介先です")],
    ),
    (
        referral(fields=["client.secret"], consent=True, consent_method="verbal", consent_at=WHEN),
        [
            (
                "referrals[0].fields",
                "紹介1件目の開示項目: 「client.secret」は開示できる項目にありません",
            )
        ],
    ),
    (
        referral(consent=True, consent_at=WHEN),
        [("referrals[0].consent_method", LEGAL + "同意の方法: 口頭か書面かを記録してください")],
    ),
    (
        referral(consent=True, consent_method="verbal"),
        [("referrals[0].consent_at", LEGAL + "同意の日時: 同意を得た日時を記録してください")],
    ),
    (
        referral(consent=True, consent_method="verbal", consent_at=dt.datetime(2026, 12, 1, 9)),
        [("referrals[0].consent_at", "紹介1件目の同意の日時: 未来の日時は入力できません")],
    ),
    (
        referral(mandatory=True),
        [
            (
                "referrals[0].mandatory",
                LEGAL
                + "同意不要の通告にできるのは、子どもの通告先（子ども担当課・児童相談所）だけです",
            ),
            ("referrals[0].consent", LEGAL + "本人の同意: 同意を得てから紹介してください"),
        ],
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_each_problem_names_its_field_in_japanese(change, expected):
    intake = valid()
    change(intake)
    assert errors(intake) == expected


def test_every_checked_field_is_reported_by_a_case_above():
    for change, _expected in CASES:
        intake = valid()
        change(intake)
        errors(intake)
    assert sorted(REPORTED) == sorted(CHECKED_FIELDS)


def test_a_report_from_a_doctor_with_a_main_complaint_is_accepted_rules_10():
    intake = valid()
    intake.consultation.consulter = "agency"
    intake.consultation.report_source = "medical"
    intake.consultation.main_complaint = "spouse"
    assert errors(intake) == []


def test_without_a_municipality_only_consent_itself_is_checked():
    intake = valid()
    intake.referrals = [
        Referral("anywhere"),
        Referral("kodomo", mandatory=True),
        Referral("x", consent=True),
    ]
    assert errors(intake, None) == [
        ("referrals[0].consent", "紹介1件目の本人の同意: 同意を得てから紹介してください")
    ]


def test_the_municipality_may_be_given_by_its_id():
    intake = valid()
    intake.referrals = [Referral("bank", consent=True)]
    assert errors(intake, "warabi") == errors(intake, CITY)


def test_a_notification_record_is_not_checked_when_none_is_required():
    intake = valid()
    intake.household.child_notification = ChildNotification("", dt.datetime(2027, 1, 1, 9), "")
    assert errors(intake) == []


def test_an_anonymous_client_needs_no_name():
    intake = valid()
    intake.client.name = ""
    intake.client.anonymous = True
    assert errors(intake) == []


def test_a_time_later_today_is_not_in_the_future():
    intake = valid()
    intake.consultation.started_at = dt.datetime(2026, 11, 25, 23, 59)
    assert errors(intake) == []


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("やまだ はなこ", True),
        ("ヤマダ　ハナコ", True),
        ("ﾏﾘｱ・ｻﾝﾄｰｽ", True),
        ("まりあ・さんとーす", True),
        ("", True),
        ("山田", False),
        ("yamada", False),
        ("ﾔﾏﾀﾞ", True),
        ("はなこA", False),
    ],
)
def test_kana(text, ok):
    assert is_kana(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("048-123-4567", True),
        ("０４８－１２３－４５６７", True),
        ("(048) 123 4567", True),
        ("+81 48 123 4567", True),
        ("", True),
        ("048ー123ー4567", False),
        ("048.123", False),
        ("内線12", False),
    ],
)
def test_phone(text, ok):
    assert is_phone(text) is ok


def test_a_notification_record_is_complete_with_where_when_and_how():
    assert notification_missing(None) == ["notified_to", "notified_at", "method"]
    assert notification_missing(ChildNotification(" ", None, " ")) == [
        "notified_to",
        "notified_at",
        "method",
    ]
    assert notification_missing(ChildNotification("児童相談所", WHEN, "電話")) == []


def test_field_patterns():
    assert field_pattern("referrals[12].consent_at") == "referrals[].consent_at"
    assert field_pattern("risk.answers.R01") == "risk.answers.*"
    assert field_pattern("violence.types.sexual") == "violence.types.*"
    assert field_pattern("client.kana") == "client.kana"
