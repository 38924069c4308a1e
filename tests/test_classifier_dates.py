"""Relative dates resolved against publication time, in Baghdad time (UTC+3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.classifier.dates import event_date, is_past
from bot.classifier.normalize import normalize


def day(text: str, published: datetime) -> date | None:
    found = event_date(normalize(text), published)
    return found.day if found else None


WED_LATE_UTC = datetime(2020, 6, 17, 21, 30, tzinfo=UTC)  # already Thursday 00:30 in Baghdad


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("landed late on Wednesday", WED_LATE_UTC, date(2020, 6, 17)),
        ("struck on Thursday", WED_LATE_UTC, date(2020, 6, 18)),
        ("fired early Friday", WED_LATE_UTC, date(2020, 6, 12)),
        ("fired overnight", WED_LATE_UTC, date(2020, 6, 18)),
        ("said yesterday", WED_LATE_UTC, date(2020, 6, 17)),
        (
            "at about 1 a.m. local time",
            datetime(2020, 9, 14, 22, 40, tzinfo=UTC),
            date(2020, 9, 15),
        ),
        ("at 11 p.m.", datetime(2020, 9, 14, 22, 40, tzinfo=UTC), date(2020, 9, 14)),
        ("on 8 December", datetime(2023, 12, 9, 8, 0, tzinfo=UTC), date(2023, 12, 8)),
        ("on December 30", datetime(2024, 1, 2, 8, 0, tzinfo=UTC), date(2023, 12, 30)),
        ("fell last Monday", datetime(2020, 10, 5, 9, 0, tzinfo=UTC), date(2020, 9, 28)),
        ("مساء أمس الأحد", datetime(2019, 5, 20, 6, 0, tzinfo=UTC), date(2019, 5, 19)),
        ("فجر اليوم الجمعة", datetime(2023, 12, 8, 5, 10, tzinfo=UTC), date(2023, 12, 8)),
        ("الليلة الماضية", datetime(2023, 12, 8, 5, 10, tzinfo=UTC), date(2023, 12, 7)),
        ("في السابع من تشرين الأول", datetime(2023, 12, 8, 5, 10, tzinfo=UTC), date(2023, 10, 7)),
        (
            "قال مصدر صباح اليوم الجمعة إن قذيفة سقطت في ساعة متأخرة من الليلة الماضية",
            datetime(2023, 12, 8, 5, 10, tzinfo=UTC),
            date(2023, 12, 7),
        ),
        (
            "the army said this morning, Friday, that a rocket fell last night",
            datetime(2023, 12, 8, 5, 10, tzinfo=UTC),
            date(2023, 12, 7),
        ),
        ("سقط صاروخ الليلة", datetime(2023, 12, 8, 19, 10, tzinfo=UTC), date(2023, 12, 8)),
        ("no date here", WED_LATE_UTC, None),
    ],
)
def test_event_date(text: str, published: datetime, expected: date | None) -> None:
    assert day(text, published) == expected


def test_month_and_year_mentions_are_background() -> None:
    published = datetime(2023, 6, 14, 9, 0, tzinfo=UTC)
    found = event_date(normalize("on January 3"), published)
    assert found is not None
    assert is_past(found, published)
    recent = event_date(normalize("on Tuesday"), published)
    assert recent is not None
    assert not is_past(recent, published)
