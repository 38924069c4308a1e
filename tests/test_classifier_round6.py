"""rules-1.6: yearly tallies, TV-series reviews, landmarks that only own or use a place, Arabic
قد before a past verb, threats of more attacks, doubt about the weapon, the day of a statement,
"after midnight last night", Arabic "the base", and the interception and casualty phrasings of
the same round.

Each negative rule has, beside it, a report that uses the same words and must still be an
attack (or keep its fields).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.records import Article, Classification

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)  # a Friday, 12:00 in Baghdad


def verdict(
    text: str, title: str = "", lang: str = "en", published: datetime = PUBLISHED
) -> Classification:
    return classify(Article("r6", title, "", text, published, lang))


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("دراسة: 31 هجوما بالطائرات المسيرة على المنطقة الخضراء خلال 2022",
         "رصدت دراسة لمعهد بحثي 31 هجوما بالطائرات المسيرة والصواريخ استهدفت المنطقة الخضراء "
         "خلال عام 2022.", "ar"),
        ("Study counts 31 drone attacks on Baghdad's Green Zone during 2022",
         "A research institute counted 31 drone attacks on Baghdad's Green Zone during 2022.",
         "en"),
    ],
)  # fmt: skip
def test_a_yearly_tally_of_attacks_is_no_attack(title: str, text: str, lang: str) -> None:
    assert not verdict(text, title, lang).attack


def test_a_report_of_one_attack_with_a_number_is_still_an_attack() -> None:
    text = "سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد اليوم الجمعة دون وقوع إصابات."
    found = verdict(text, lang="ar")
    assert found.attack
    assert found.projectiles == 3


def test_a_tv_series_review_is_fiction() -> None:
    title = "'Blast Walls' review: a gripping series set in Baghdad's Green Zone"
    text = (
        "The show's first scene has a mortar round crashing into the US embassy pool in "
        "Baghdad's Green Zone.\n\n"
        "The writers keep the tension high, and the characters spend the season sheltering "
        "from rockets.\n\n"
        "The finale builds to a drone strike on the embassy. 'Blast Walls' streams from Monday."
    )
    assert not verdict(text, title).attack


def test_a_news_report_naming_a_tv_show_is_still_an_attack() -> None:
    text = (
        "Two rockets hit Baghdad's Green Zone on Friday, interrupting the filming of a TV show "
        "near the US embassy, police said."
    )
    assert verdict(text).attack


@pytest.mark.parametrize(
    "text",
    [
        "Two rockets struck Baghdad airport on Friday, one landing near a logistics hub used "
        "by the US embassy; nobody was hurt.",
        "A drone hit a warehouse at Baghdad airport on Friday near a compound run by the US "
        "embassy.",
    ],
)
def test_a_landmark_that_uses_a_place_elsewhere_is_not_the_target(text: str) -> None:
    assert not verdict(text).attack


def test_a_landmark_that_is_struck_stays_the_target() -> None:
    text = "Two rockets struck near the US embassy in Baghdad's Green Zone on Friday."
    found = verdict(text)
    assert found.attack
    assert found.target == "US embassy"


def test_arabic_qad_before_a_past_verb_is_no_hypothesis() -> None:
    text = (
        "سقطت ثلاثة صواريخ على السفارة الأمريكية في المنطقة الخضراء ببغداد فجر اليوم الجمعة.\n\n"
        "وكانت مصادر أمنية قد أكدت أن منظومة سي رام اعترضت أحد الصواريخ، فيما سقط الآخران قرب "
        "سور السفارة."
    )
    found = verdict(text, lang="ar")
    assert found.attack
    assert found.intercepted == 1


def test_arabic_qad_before_a_present_verb_is_still_may() -> None:
    text = "قال مسؤول إن الفصائل قد تستهدف المنطقة الخضراء في بغداد بالصواريخ."
    assert not verdict(text, lang="ar").attack


def test_a_threat_of_more_attacks_does_not_undo_the_one_reported() -> None:
    text = (
        "تبنت جماعة مسلحة اليوم الجمعة إطلاق صاروخين على السفارة الأمريكية في المنطقة الخضراء "
        "ببغداد، متوعدة بمزيد من الهجمات."
    )
    found = verdict(text, lang="ar")
    assert found.attack
    assert found.projectiles == 2


def test_a_threat_of_attacks_is_still_a_threat() -> None:
    text = "توعدت جماعة مسلحة باستهداف السفارة الأمريكية في المنطقة الخضراء ببغداد بالصواريخ."
    assert not verdict(text, lang="ar").attack


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Blast near Baghdad parliament; officials unsure if drone or rocket",
         "An explosion struck near the parliament in Baghdad's Green Zone on Friday; officials "
         "had yet to determine whether a rocket or a drone was used, and nobody was hurt.", "en"),
        ("انفجار قرب البرلمان في المنطقة الخضراء",
         "انفجر مقذوف قرب مبنى البرلمان في المنطقة الخضراء ببغداد اليوم الجمعة، وقال مصدر أمني "
         "إنه لا يعرف بعد ما إذا كان صاروخا أم طائرة مسيرة.", "ar"),
    ],
)  # fmt: skip
def test_doubt_about_the_weapon_gives_unknown(title: str, text: str, lang: str) -> None:
    found = verdict(text, title, lang)
    assert found.attack
    assert found.weapon == "unknown"


def test_doubt_about_the_weapon_counts_no_projectile() -> None:
    text = (
        "Something exploded near the parliament in Baghdad's Green Zone on Friday. \"We do not "
        'know yet whether it was a drone or a rocket," an official said.'
    )
    assert verdict(text).projectiles is None


def test_a_singular_projectile_with_a_doubted_type_is_still_one() -> None:
    text = (
        "A projectile struck near the parliament in Baghdad's Green Zone on Friday; it was not "
        "clear whether it was a rocket or a drone."
    )
    found = verdict(text)
    assert found.weapon == "unknown"
    assert found.projectiles == 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("سقطت قذيفتا هاون بعد منتصف الليلة الماضية داخل المنطقة الخضراء في بغداد.", "ar"),
        ("Two mortar rounds fell inside Baghdad's Green Zone after midnight last night.", "en"),
    ],
)
def test_after_midnight_last_night_is_the_publication_day(text: str, lang: str) -> None:
    assert str(verdict(text, lang=lang).date) == "2023-12-08"


def test_last_night_alone_is_the_day_before() -> None:
    text = "Two mortar rounds fell inside Baghdad's Green Zone last night."
    assert str(verdict(text).date) == "2023-12-07"


def test_the_day_a_claim_was_made_does_not_date_the_attack() -> None:
    text = (
        "An armed group said on Friday it fired the three rockets that fell overnight into "
        "Wednesday on the US embassy in Baghdad's Green Zone."
    )
    assert str(verdict(text).date) == "2023-12-06"


def test_a_said_day_alone_still_dates_the_report() -> None:
    text = "Three rockets hit the US embassy in Baghdad's Green Zone, police said on Thursday."
    assert str(verdict(text).date) == "2023-12-07"


def test_arabic_the_base_after_its_name_is_that_landmark() -> None:
    text = (
        "استهدف هجوم بطائرتين مسيرتين فجر اليوم الجمعة قاعدة يونيون 3 قرب السفارة الأمريكية في "
        "المنطقة الخضراء ببغداد.\n\n"
        "وأفاد مصدر أمني بأن الدفاعات الجوية أسقطت إحدى الطائرتين، فيما سقطت الثانية داخل "
        "القاعدة دون أن تنفجر."
    )
    found = verdict(text, lang="ar")
    assert found.attack
    assert found.target == "Union III"
    assert (found.projectiles, found.intercepted) == (2, 1)


def test_arabic_another_base_is_still_elsewhere() -> None:
    text = "سقطت طائرتان مسيرتان على قاعدة عين الأسد غربي العراق فجر اليوم الجمعة."
    assert not verdict(text, lang="ar").attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("أسقطت منظومة الدفاع الجوي فجر اليوم طائرة مسيرة مفخخة فوق المنطقة الخضراء في بغداد.",
         "ar"),
        ("Air defences on Friday shot down a drone over Baghdad's Green Zone.", "en"),
    ],
)  # fmt: skip
def test_one_drone_shot_down_is_one_intercepted(text: str, lang: str) -> None:
    assert verdict(text, lang=lang).intercepted == 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("قتل منتسب في قوة حماية المنطقة الخضراء وأصيب آخر بإطلاق نار على بوابتها في بغداد "
         "اليوم الجمعة.", "ar"),
        ("One guard was killed and another was wounded when gunmen opened fire on a gate of "
         "Baghdad's Green Zone on Friday.", "en"),
    ],
)  # fmt: skip
def test_one_killed_and_another_wounded(text: str, lang: str) -> None:
    found = verdict(text, lang=lang)
    assert found.attack
    assert (found.killed, found.injured) == (1, 1)


def test_others_wounded_is_no_count_of_one() -> None:
    text = (
        "قتل منتسب في قوة حماية المنطقة الخضراء وأصيب آخرون بإطلاق نار على بوابتها في بغداد "
        "اليوم الجمعة."
    )
    assert verdict(text, lang="ar").injured != 1
