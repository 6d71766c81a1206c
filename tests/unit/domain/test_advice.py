import datetime as dt
from pathlib import Path

import pytest

from intake_app.domain.advice import advise, client_age
from intake_app.domain.model import Child, ChildNotification, Intake
from intake_app.domain.municipality import load_municipality

TODAY = dt.date(2026, 11, 25)


def test_an_empty_intake_gives_calm_advice_and_no_findings():
    """rules.md §8.8, §8.10, §9.7: nothing answered is 未評価 and 判断待ち, not 低 or 対象外."""
    advice = advise(Intake(), "warabi", TODAY)
    assert advice.urgent_findings == []
    assert advice.risk.unassessed is True
    assert advice.risk.label() == "未評価"
    assert advice.risk.final == "medium"  # unknown is not safe (risk-v2)
    assert advice.shelter.recommendation == "discuss"  # tonight's safety is unknown
    assert advice.protection_order["eligible"] is False
    assert advice.protection_order_state == "pending"
    assert advice.protection_order_pending == ["相手との関係を確認してください"]
    assert advice.protection_order_reasons[0].text == "相手との関係を確認してください"
    assert advice.law_as_of.as_of == TODAY
    assert advice.protection_order["law_as_of"] == advice.law_as_of.to_contract()
    assert advice.child_notification.required is False
    assert advice.support_measure is None
    assert advice.suggested_destinations == []


@pytest.mark.parametrize(
    ("field", "value", "finding"),
    [
        ("safe_now", False, "本人は今、安全ではありません。110番通報や安全な場所への移動を優先"),
        ("perpetrator_nearby", True, "加害者が近くにいます"),
        ("injury_needs_care", True, "手当てが必要なけががあります。救急・医療機関につないで"),
        ("children_safe_now", False, "子どもが今、安全ではありません"),
    ],
)
def test_urgent_findings_from_the_safety_step(field, value, finding):
    intake = Intake()
    setattr(intake.safety, field, value)
    findings = advise(intake, None, TODAY).urgent_findings
    assert len(findings) == 1
    assert findings[0].startswith(finding)


def test_safe_answers_raise_no_finding():
    """安全確認: safe answers raise nothing."""
    intake = Intake()
    intake.safety.safe_now = True
    intake.safety.perpetrator_nearby = False
    intake.safety.injury_needs_care = False
    intake.safety.children_safe_now = True
    assert advise(intake, None, TODAY).urgent_findings == []


def dangerous_intake():
    intake = Intake()
    intake.client.gender = "female"
    intake.client.date_of_birth = dt.date(1956, 1, 1)
    intake.client.fled = True
    intake.household.children = [Child(age=5, lives_with_client=True, witnessed_violence=True)]
    intake.relationship.type = "legal_spouse"
    intake.violence.types = {"physical": "repeated"}
    intake.risk.answers = {"R01": True, "R03": True}
    intake.shelter.safe_place_tonight = False
    intake.shelter.accompanying_children = [0, 5]  # 5 is not a child on record: ignored
    intake.protection_order.serious_harm_to_life_or_mind_likely = True
    intake.consultation.channel = "visit"
    intake.needs.categories = ["employment", "legal"]
    return intake


def test_a_dangerous_intake_puts_everything_urgent_first():
    advice = advise(dangerous_intake(), load_municipality("warabi"), TODAY)
    assert advice.urgent_findings == [
        "危険度は「緊急」です。警察・県の女性相談支援センターへ今すぐ連絡してください",
        "子どもに関する通告が必要です（児童虐待防止法第6条、本人の同意は不要）",
    ]
    assert advice.risk.final == "urgent"
    assert advice.shelter.recommendation == "immediate"
    assert advice.shelter.routes == ["prefectural_centre", "welfare_placement"]  # aged 70
    assert advice.shelter.accompanying_children == [0]
    assert advice.protection_order["eligible"] is True
    assert advice.protection_order_state == "eligible"
    assert advice.protection_order["prerequisite"] == "consultation_on_record"
    assert advice.child_notification.child_indexes == [0]
    suggested = {s.id: [r.text for r in s.reasons] for s in advice.suggested_destinations}
    assert suggested["police"] == ["危険度が「緊急」のため、安全の確保につなぎます"]
    assert "pref_centre" in suggested
    assert suggested["kodomo_mirai"] == ["子どもに関する通告先です"]
    assert suggested["jido_sodanjo"] == ["子どもに関する通告先です"]
    assert suggested["shimin"] == [
        "避難先を知られないよう、住民基本台帳事務における支援措置の申出を案内できます"
    ]
    assert suggested["hello_work"] == ["困りごと「就労」の相談先です"]
    assert suggested["career_centre"] == ["困りごと「就労」の相談先です"]
    assert suggested["legal"] == ["困りごと「法律」の相談先です"]
    assert "seikatsu_shien" not in suggested


def test_a_recorded_notification_is_no_longer_an_urgent_finding():
    intake = dangerous_intake()
    intake.household.child_notification = ChildNotification(notified_to="子ども未来課")
    findings = advise(intake, "warabi", TODAY).urgent_findings
    assert not any("通告が必要" in f for f in findings)


def test_support_measure_status_and_no_registry_suggestion_once_applied():
    intake = Intake()
    intake.client.fled = True
    intake.address.support_measure_applied = True
    intake.address.applied_on = dt.date(2025, 12, 10)
    intake.risk.answers = {f"R{i:02d}": False for i in range(1, 20)}
    advice = advise(intake, "warabi", TODAY)
    assert advice.support_measure is not None
    assert advice.support_measure.state == "renewal_open"
    assert advice.support_measure.reasons[1].text == "連絡日が未記録のため申出日から計算しています"
    assert advice.suggested_destinations == []


def test_the_municipality_setting_starts_the_year_of_the_support_measure_s9_11(tmp_path):
    """rules.md §9.11: warabi counts from the notified date; another city from the application."""
    intake = Intake()
    intake.address.support_measure_applied = True
    intake.address.applied_on = dt.date(2025, 12, 10)
    intake.address.notified_on = dt.date(2025, 12, 20)
    notified = advise(intake, "warabi", TODAY).support_measure
    assert notified is not None and notified.start == dt.date(2025, 12, 20)
    text = (Path(__file__).parent / "data" / "sakuragawa.toml").read_text(encoding="utf-8")
    path = tmp_path / "city.toml"
    path.write_text(
        text.replace("retention_years", 'support_measure_starts_on = "applied"\nretention_years'),
        encoding="utf-8",
    )
    city = load_municipality(path)
    assert city.support_measure_starts_on == "applied"
    applied = advise(intake, city, TODAY).support_measure
    assert applied is not None and applied.start == dt.date(2025, 12, 10)
    none = advise(intake, None, TODAY).support_measure  # no file: the default, "notified"
    assert none is not None and none.start == dt.date(2025, 12, 20)


def test_an_applied_measure_without_a_date_has_no_status():
    intake = Intake()
    intake.address.support_measure_applied = True
    assert advise(intake, "warabi", TODAY).support_measure is None


def test_a_second_city_suggests_its_own_destinations():
    intake = Intake()
    intake.needs.categories = ["economic"]
    city = load_municipality(Path(__file__).parent / "data" / "sakuragawa.toml")
    advice = advise(intake, city, TODAY)
    assert [(s.id, s.name) for s in advice.suggested_destinations] == [
        ("shigoto", "しごと相談室（未確認）")  # unverified in the file: said so on screen
    ]


def test_client_age_ignores_missing_or_future_birth_dates():
    intake = Intake()
    assert client_age(intake, TODAY) is None
    intake.client.date_of_birth = dt.date(2027, 1, 1)
    assert client_age(intake, TODAY) is None
    intake.client.date_of_birth = dt.date(1990, 11, 26)
    assert client_age(intake, TODAY) == 35


def test_an_unfinished_judgement_does_not_stop_the_advice():
    intake = Intake()
    intake.risk.checklist_version = "risk-v1"  # a stored v1 assessment keeps its version
    intake.risk.answers = {"R05": True, "R99": True}  # R99: not on the checklist
    intake.risk.judgement = "urgent"  # reason not written yet
    advice = advise(intake, None, TODAY)
    assert advice.risk.final == "low"
    assert advice.risk.yes_count == 1
    assert advice.input_problems == ["answers.R99: チェックリストにない項目です"]
    intake.risk.answers = {"R05": True}
    advice = advise(intake, None, TODAY)
    assert advice.input_problems == ["judgement_reason: 計算値より高い判断には理由を書いてください"]
    assert advice.risk.final == "low"


def test_a_complete_intake_has_no_input_problems():
    intake = Intake()
    intake.risk.judgement = "high"
    intake.risk.judgement_reason = "本人の強い恐怖"
    advice = advise(intake, None, TODAY)
    assert advice.input_problems == []
    assert advice.risk.final == "high"


def test_decide_gives_what_advise_shows_and_refuses_a_raise_without_reason():
    from intake_app.domain.advice import decide
    from intake_app.domain.reasons import RuleInputError

    intake = Intake()
    intake.risk.answers = {"R01": True}
    intake.safety.safe_now = False
    shown = advise(intake, None, dt.date(2026, 11, 25))
    decided = decide(intake, None, dt.date(2026, 11, 25))
    assert decided.risk == shown.risk
    assert decided.shelter == shown.shelter
    assert decided.protection_order == shown.protection_order
    assert decided.child_notification == shown.child_notification

    intake.risk.judgement = "urgent"
    with pytest.raises(RuleInputError):
        decide(intake, None, dt.date(2026, 11, 25))


FORBIDDEN_FOR_MEN = ("一時保護", "女性相談支援センター", "困難女性支援法")


def male_urgent_intake():
    intake = dangerous_intake()
    intake.client.gender = "male"
    intake.client.date_of_birth = dt.date(1986, 1, 1)
    intake.needs.categories = ["housing", "sexual_harm", "legal"]
    intake.household.children = [Child(age=5, lives_with_client=True, witnessed_violence=True)]
    intake.shelter.client_wish = "does_not_wish"
    return intake


def test_nothing_names_temporary_protection_or_the_womens_centre_for_a_man_s9_9():
    """rules.md §8.12, §9.9: not the reasons, not the urgent findings, not the suggestions."""
    advice = advise(male_urgent_intake(), "warabi", TODAY)
    assert advice.risk.final == "urgent"
    assert advice.shelter.recommendation == "immediate"
    texts = [
        *advice.urgent_findings,
        advice.shelter.label,
        *(r.line() for r in advice.shelter.reasons),
        *advice.protection_order["reasons"],
        *(r.line() for r in advice.child_notification.reasons),
        *(r.line() for r in advice.risk.reasons),
    ]
    for s in advice.suggested_destinations:
        texts += [s.name, s.kind, s.contact, *(r.line() for r in s.reasons)]
    for text in texts:
        for forbidden in FORBIDDEN_FOR_MEN:
            assert forbidden not in text, text
    assert advice.urgent_findings[0] == (
        "危険度は「緊急」です。警察へ今すぐ連絡し、市の緊急一時避難につないでください"
    )
    ids = [s.id for s in advice.suggested_destinations]
    assert "pref_centre" not in ids  # not even for housing or sexual harm
    assert {"police", "emergency_stay"} <= set(ids)


def test_a_woman_still_gets_the_prefectural_centre_s9_9():
    intake = male_urgent_intake()
    intake.client.gender = "female"
    advice = advise(intake, "warabi", TODAY)
    assert "pref_centre" in [s.id for s in advice.suggested_destinations]
    assert "emergency_stay" not in [s.id for s in advice.suggested_destinations]
    assert advice.urgent_findings[0].startswith(
        "危険度は「緊急」です。警察・県の女性相談支援センター"
    )


@pytest.mark.parametrize("gender", ["male", "female"])
def test_services_for_women_only_are_suggested_to_women_only(gender: str) -> None:
    """女性キャリアセンター and 女性の心と生き方相談 (warabi.toml: ``women_only``) are not
    suggested for a man's job or mental-health needs; Hello Work and the legal
    consultation, open to everyone, still are."""
    intake = Intake()
    intake.client.gender = gender
    intake.needs.categories = ["employment", "mental", "legal"]
    ids = {s.id for s in advise(intake, "warabi", TODAY).suggested_destinations}
    assert {"hello_work", "legal"} <= ids
    if gender == "male":
        assert not ids & {"career_centre", "kokoro"}
    else:
        assert {"career_centre", "kokoro"} <= ids


def test_women_only_is_read_from_the_settings_and_defaults_to_open_to_all() -> None:
    city = load_municipality("warabi")
    marked = {d.id for d in city.destinations if d.women_only}
    assert marked == {"career_centre", "kokoro"}


def test_a_minor_client_gets_the_child_guidance_route_s9_8():
    """rules.md §9.8; 児童福祉法第4条・第25条・第33条."""
    intake = Intake()
    intake.client.date_of_birth = dt.date(2010, 1, 1)
    advice = advise(intake, "warabi", TODAY)
    assert "child_guidance" in advice.shelter.routes
    assert any(r.rule == "児童福祉法第4条・第25条・第33条" for r in advice.shelter.reasons)


def test_a_child_staying_with_the_perpetrator_is_the_first_urgent_child_finding_s9_10():
    """rules.md §9.10; 児童虐待防止法第6条."""
    intake = Intake()
    intake.household.children = [
        Child(age=4, lives_with_client=True, witnessed_violence=True),
        Child(age=9, lives_with_client=False, lives_with_perpetrator=True, directly_harmed=True),
    ]
    advice = advise(intake, None, TODAY)
    assert advice.child_notification.child_indexes == [1, 0]
    assert advice.urgent_findings == [
        "加害者と同居している子ども（2人目）がいます。"
        "子どもに関する通告が必要です（児童虐待防止法第6条、本人の同意は不要）"
    ]


def test_the_intake_feeds_the_protection_order_rules_s9_4():
    """rules.md §9.4: forced sex and R01/R03 count as physical violence in advise()."""
    intake = Intake()
    intake.relationship.type = "former_legal_spouse"
    intake.relationship.violence_during_relationship = True
    intake.violence.types = {"sexual": "repeated"}
    intake.protection_order.serious_harm_to_life_or_body_likely = True
    advice = advise(intake, None, TODAY)
    assert advice.protection_order["eligible"] is True
    assert any("性的暴力" in line for line in advice.protection_order["reasons"])
