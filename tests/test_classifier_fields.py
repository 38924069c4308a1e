"""Field rules of rules-1.3: interception counts, Arabic tolls, interceptor sites, midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.classifier import classify
from bot.classifier.dates import event_date
from bot.classifier.normalize import normalize
from bot.records import Article, Classification

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)  # Friday, 12:00 in Baghdad


def verdict(text: str, lang: str = "en") -> Classification:
    result = classify(Article("f", "", "", text, PUBLISHED, lang))
    assert result.attack
    return result


@pytest.mark.parametrize(
    ("text", "lang", "projectiles", "intercepted"),
    [
        ("انطلقت أربع طائرات مسيرة نحو المنطقة الخضراء في بغداد فجر اليوم، وأسقطت الدفاعات "
         "طائرتين منها.", "ar", 4, 2),
        ("أطلقت ستة صواريخ على المنطقة الخضراء في بغداد فجر اليوم، وتصدت منظومة الدفاع الجوي "
         "التابعة للسفارة الأمريكية لثلاثة منها.", "ar", 6, 3),
        ("Six rockets were fired at Baghdad's Green Zone overnight, and the air defences at the "
         "US embassy brought down two of them.", "en", 6, 2),
    ],
)  # fmt: skip
def test_the_interception_count_is_the_one_beside_the_verb(
    text: str, lang: str, projectiles: int, intercepted: int
) -> None:
    result = verdict(text, lang)
    assert (result.projectiles, result.intercepted) == (projectiles, intercepted)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("أطلقت خمسة صواريخ باتجاه المنطقة الخضراء في بغداد فجر اليوم، وتصدت منظومة سي رام في "
         "السفارة الأمريكية لاثنين منها.", "ar"),
        ("Five rockets were fired at Baghdad's Green Zone overnight; the C-RAM at the US embassy "
         "intercepted two.", "en"),
    ],
)  # fmt: skip
def test_the_interceptor_site_is_not_the_target_when_the_zone_is(text: str, lang: str) -> None:
    assert verdict(text, lang).target == "Green Zone"


def test_the_interceptor_site_is_the_target_when_nothing_else_is_named() -> None:
    text = "The C-RAM at the US embassy in Baghdad shot down a drone overnight."
    assert verdict(text).target == "US embassy"


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        ("سقط صاروخ على المنطقة الخضراء في بغداد فجر اليوم ما أدى إلى إصابة رجل وطفل.", 2),
        ("سقط صاروخ على المنطقة الخضراء في بغداد فجر اليوم ما أدى إلى إصابة حارس وموظف وسائق "
         "مدني.", 3),
        ("انفجرت عبوة ناسفة عند مدخل المنطقة الخضراء في بغداد فجر اليوم ما أسفر عن إصابة حارسين "
         "اثنين.", 2),
        ("انفجرت عبوة ناسفة عند مدخل المنطقة الخضراء في بغداد فجر اليوم ما أسفر عن إصابة عناصر "
         "ثلاثة.", 3),
    ],
)  # fmt: skip
def test_arabic_tolls_named_by_joined_nouns_or_a_number_after_the_noun(
    text: str, injured: int
) -> None:
    assert verdict(text, "ar").injured == injured


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("two rockets fell after midnight on the night of thursday to friday", date(2023, 12, 8)),
        ("two rockets fell on the night of thursday to friday", date(2023, 12, 7)),
        ("سقط صاروخان بعد منتصف ليلة الخميس على الجمعة", date(2023, 12, 8)),
        ("سقط صاروخان بعد منتصف ليل الأربعاء الخميس", date(2023, 12, 6)),
    ],
)
def test_after_midnight_on_a_night_of_two_days_is_the_second(text: str, day: date) -> None:
    found = event_date(normalize(text), PUBLISHED)
    assert found is not None
    assert found.day == day
