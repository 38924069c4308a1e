"""Free-text questions in English and Arabic parse into the expected Query."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.questions import Period, Query, normalize, parse_period, parse_question

# Thursday 14 March 2024 22:00 UTC is already Friday 15 March 01:00 in Baghdad.
NOW = datetime(2024, 3, 14, 22, 0, tzinfo=UTC)
TODAY = Period(date(2024, 3, 15), date(2024, 3, 16))
YESTERDAY = Period(date(2024, 3, 14), date(2024, 3, 15))
THIS_WEEK = Period(date(2024, 3, 11), date(2024, 3, 16))
LAST_WEEK = Period(date(2024, 3, 4), date(2024, 3, 11))
LAST_MONTH = Period(date(2024, 2, 1), date(2024, 3, 1))
DEC_2023 = Period(date(2023, 12, 1), date(2024, 1, 1))
SINCE_2022 = Period(date(2022, 1, 1), None)
LAST_7_DAYS = Period(date(2024, 3, 9), date(2024, 3, 16))
YEAR_2023 = Period(date(2023, 1, 1), date(2024, 1, 1))
THIS_YEAR = Period(date(2024, 1, 1), date(2024, 3, 16))

CASES: list[tuple[str, Query | None]] = [
    ("When was the last attack?", Query("latest")),
    ("latest attack", Query("latest")),
    ("attacks this week", Query("list", THIS_WEEK)),
    ("mortar attacks last week", Query("list", LAST_WEEK, weapon="mortar")),
    ("How many rocket attacks last month?", Query("count", LAST_MONTH, weapon="rocket")),
    ("attacks in December 2023", Query("list", DEC_2023)),
    ("attacks in Dec 2023", Query("list", DEC_2023)),
    ("attacks in December", Query("list", DEC_2023)),
    ("how many attacks since 2022", Query("count", SINCE_2022)),
    ("attacks today", Query("list", TODAY)),
    ("any attacks yesterday?", Query("list", YESTERDAY)),
    ("drone attacks in the last 7 days", Query("list", LAST_7_DAYS, weapon="drone")),
    ("attacks with casualties in 2023", Query("list", YEAR_2023, casualties_only=True)),
    ("how many deadly attacks this year", Query("count", THIS_YEAR, casualties_only=True)),
    ("attacks without casualties this year", Query("list", THIS_YEAR)),
    ("attacks claimed by Kataib Hezbollah", Query("list", claimant="Kataib Hezbollah")),
    ("claimed attacks since 2022", Query("list", SINCE_2022, claimed_only=True)),
    ("last 5 attacks", Query("list", limit=5)),
    ("last drone attack", Query("latest", weapon="drone")),
    ("attacks on 2023-12-08", Query("list", Period(date(2023, 12, 8), date(2023, 12, 9)))),
    ("what's the weather like?", None),
    ("hello", None),
    ("", None),
    ("متى كان آخر هجوم؟", Query("latest")),
    ("آخر هجوم بطائرة مسيرة", Query("latest", weapon="drone")),
    ("هجمات هذا الأسبوع", Query("list", THIS_WEEK)),
    ("هجمات الأسبوع الماضي", Query("list", LAST_WEEK)),
    ("كم هجوم في الشهر الماضي", Query("count", LAST_MONTH)),
    ("الهجمات في كانون الأول 2023", Query("list", DEC_2023)),
    ("هجمات ديسمبر 2023", Query("list", DEC_2023)),
    ("كم هجوم منذ 2022", Query("count", SINCE_2022)),
    ("كم هجوم منذ ٢٠٢٢", Query("count", SINCE_2022)),
    ("هجمات اليوم", Query("list", TODAY)),
    ("هل وقعت هجمات أمس؟", Query("list", YESTERDAY)),
    ("هجمات بطائرات مسيرة خلال آخر ٧ أيام", Query("list", LAST_7_DAYS, weapon="drone")),
    ("الهجمات التي أسفرت عن ضحايا", Query("list", casualties_only=True)),
    ("كم هجوم صاروخي هذا العام", Query("count", THIS_YEAR, weapon="rocket")),
    ("قذائف هاون في 2023", Query("list", YEAR_2023, weapon="mortar")),
    ("مرحبا", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_question_parses(text: str, expected: Query | None) -> None:
    assert parse_question(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last month", LAST_MONTH),
        ("2023", YEAR_2023),
        ("since 2022", SINCE_2022),
        ("December 2023", DEC_2023),
        ("في كانون الأول 2023", DEC_2023),
        ("الشهر الماضي", LAST_MONTH),
        ("nonsense", None),
    ],
)
def test_period_alone(text: str, expected: Period | None) -> None:
    assert parse_period(text, NOW) == expected


def test_last_month_in_january_is_december_of_the_previous_year() -> None:
    january = datetime(2024, 1, 10, 12, tzinfo=UTC)
    assert parse_period("last month", january) == Period(date(2023, 12, 1), date(2024, 1, 1))


def test_hostile_input_is_cut_and_never_raises() -> None:
    flood = "<b>attack</b>&" * 2000 + "\x00\x07 last month"
    # The period sits past the cut, so only the topic survives.
    assert parse_question(flood, NOW) == Query("list")
    assert len(normalize(flood)) <= 500


def test_arabic_is_normalised() -> None:
    assert normalize("آخِر هجمةٍ ـ ٢٠٢٣") == "اخر هجمه 2023"
