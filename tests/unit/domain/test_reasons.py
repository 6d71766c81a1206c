import datetime as dt

import pytest

from intake_app.domain.reasons import (
    DECISION_SUPPORT_NOTICE,
    Reason,
    RuleInputError,
    law_as_of,
    parse_as_of,
    shown_key,
)


def test_a_reason_is_one_line_with_its_rule():
    assert Reason("a\nb", "配偶者暴力防止法第10条").line() == "a b（根拠: 配偶者暴力防止法第10条）"


@pytest.mark.parametrize(
    ("day", "laws"),
    [
        (
            dt.date(2024, 4, 1),
            ("配偶者暴力防止法（令和5年改正、2024-04-01施行）", "困難女性支援法（2024-04-01施行）"),
        ),
        (
            dt.date(2025, 12, 30),
            (
                "配偶者暴力防止法（令和5年改正、2024-04-01施行）",
                "配偶者暴力防止法（令和7年改正、2025-12-30施行）",
                "困難女性支援法（2024-04-01施行）",
            ),
        ),
    ],
)
def test_law_as_of_names_the_versions_in_force_s8_6(day, laws):
    """rules.md §8.6: 配偶者暴力防止法 令和5年改正・令和7年改正, 困難女性支援法, and the
    decision-support line."""
    law = law_as_of(day)
    assert law.laws == laws
    assert law.to_contract() == {
        "as_of": day.isoformat(),
        "laws": list(laws),
        "notice": DECISION_SUPPORT_NOTICE,
    }
    assert law.lines() == [*laws, DECISION_SUPPORT_NOTICE]
    assert "相談員が記録した判断によります" in DECISION_SUPPORT_NOTICE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-03-31", "as_of: 2024-04-01 以降の日付にしてください"),
        ("2026-13-01", "as_of: 「YYYY-MM-DD」の形の日付にしてください"),
        ("20261206", "as_of: 「YYYY-MM-DD」"),
        (" 2026-12-06", "as_of: 「YYYY-MM-DD」"),
        (None, "as_of: 「YYYY-MM-DD」"),
        (2026, "as_of: 「YYYY-MM-DD」"),
    ],
)
def test_a_bad_as_of_is_refused_naming_the_key_s8_4(value, message):
    """rules.md §8.4: as_of is "YYYY-MM-DD"; the rules know the law from 2024-04-01."""
    with pytest.raises(RuleInputError) as info:
        parse_as_of(value)
    assert info.value.key == "as_of"
    assert info.value.message.startswith(message)


def test_a_good_as_of():
    assert parse_as_of("2026-12-06") == dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("mood", "mood"),
        ("a\nb\u202ec\ud800", "a?b?c?"),
        ("x" * 50, "x" * 39 + "…"),
        (3, "3"),
    ],
)
def test_a_key_in_a_message_is_printable_and_short(key, shown):
    assert shown_key(key) == shown


def test_a_consultation_before_the_earliest_version_is_judged_by_it_and_says_so_s8_6():
    """rules.md §8.6: an old consultation (e.g. demo data, a migrated record) still gets
    advice, and the notice says which law it was judged by."""
    law = law_as_of(dt.date(2023, 5, 1))
    assert law.laws == law_as_of(dt.date(2024, 4, 1)).laws
    assert law.notice.startswith("2024-04-01より前の法律には対応していないため")
    assert law.notice.endswith(DECISION_SUPPORT_NOTICE)
