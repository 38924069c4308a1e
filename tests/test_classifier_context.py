"""Rules that read an attack in its context: whose zone, which story, what kind of text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.classifier.dates import find_dates
from bot.classifier.normalize import normalize
from bot.classifier.sentences import split_sentences
from bot.records import Article

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)


def article(text: str, title: str = "", summary: str = "", lang: str = "en") -> Article:
    return Article("c", title, summary, text, PUBLISHED, lang)


def test_links_to_other_stories_end_the_report() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, wounding a guard.\n\n"
            "Read more:\n\n- Mortars hit Baghdad's Green Zone, three wounded (Oct. 2)"
        )
    )
    assert verdict.attack
    assert verdict.injured == 1


def test_abbreviated_month_in_brackets_does_not_end_a_sentence() -> None:
    sentences = split_sentences("", "", "Four rockets fell (Dec. 3) near the river. Then.")
    assert [s.text for s in sentences] == ["Four rockets fell (Dec. 3) near the river.", "Then."]


def test_dateline_is_kept_apart_from_the_sentence() -> None:
    sentences = split_sentences("", "", "MOSUL (Wire) - A convoy was hit. More.")
    assert sentences[0].text == "A convoy was hit."
    assert sentences[0].dateline.startswith("mosul")
    assert sentences[1].dateline == ""


def test_arabic_dateline_places_the_story_in_the_city() -> None:
    text = (
        "بغداد - الكرخ\n\n"
        "قال مصدر إن طائرتين مسيرتين استهدفتا المنطقة الخضراء فجر اليوم دون إصابات."
    )
    verdict = classify(article(text, lang="ar"))
    assert verdict.attack
    assert verdict.projectiles == 2


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Mortars hit Green Zone in Mogadishu",
            "MOGADISHU (Wire) - Four mortar rounds landed in the Green Zone near the airport on "
            "Friday, wounding two guards.\n\nThe Iraq-born envoy was unhurt.",
        ),
        (
            "",
            "KABUL (Wire) - Rockets struck the city on Friday and two fell inside the fortified "
            "Green Zone.\n\nForeign troops left Iraq and Afghanistan years ago.",
        ),
    ],
)
def test_a_lead_about_another_city_owns_its_green_zone(title: str, text: str) -> None:
    assert not classify(article(text, title=title)).attack


def test_a_sentence_that_opens_in_another_city_owns_its_green_zone() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, wounding a guard.\n\n"
            "On Saturday gunmen in Kabul attacked a checkpoint at the Green Zone, killing four."
        )
    )
    assert verdict.attack
    assert (verdict.killed, verdict.injured) == (None, 1)


def test_another_city_named_after_the_zone_does_not_own_it() -> None:
    verdict = classify(
        article("Three rockets hit the Green Zone on Friday as envoys met in Kabul.", "Baghdad")
    )
    assert verdict.attack


def test_a_conference_venue_is_not_the_parliament() -> None:
    verdict = classify(
        article(
            "A rocket fell in Baghdad's Green Zone on Friday, landing in a car park beside the "
            "Convention Centre."
        )
    )
    assert verdict.attack
    assert verdict.target == "Green Zone"
    assert verdict.location is not None
    assert verdict.location.name == "Convention Center"


@pytest.mark.parametrize(
    ("text", "lang", "intercepted"),
    [
        (
            "أطلقت خمسة صواريخ على المنطقة الخضراء في بغداد فجر اليوم، وتصدت الدفاعات الجوية "
            "لعدد منها.",
            "ar",
            None,
        ),
        (
            "Five rockets were fired at Baghdad's Green Zone on Friday; air defences intercepted "
            "a number of them.",
            "en",
            None,
        ),
        (
            "استهدفت أربع طائرات مسيرة المنطقة الخضراء في بغداد فجر اليوم، وأسقطت الدفاعات الجوية "
            "ثلاثاً منها.",
            "ar",
            3,
        ),
    ],
)
def test_intercepted_count_is_the_one_given_for_the_interception(
    text: str, lang: str, intercepted: int | None
) -> None:
    verdict = classify(article(text, lang=lang))
    assert verdict.attack
    assert verdict.intercepted == intercepted


@pytest.mark.parametrize(
    ("text", "lang", "attack"),
    [
        (
            "Guards foiled a drone attack on the US embassy in Baghdad on Friday: one drone was "
            "shot down and another hit a wall.",
            "en",
            True,
        ),
        (
            "قالت مصادر إن محاولة فاشلة استهدفت منزل رئيس الوزراء في المنطقة الخضراء ببغداد فجر "
            "اليوم بطائرتين مسيرتين، سقطت إحداهما في الحديقة.",
            "ar",
            True,
        ),
        (
            "Police foiled a rocket attack on Baghdad's Green Zone on Friday, seizing a launcher "
            "before it could be fired.",
            "en",
            False,
        ),
        (
            "Troops thwarted a failed attempt to fire rockets at the Green Zone in Baghdad on "
            "Friday.",
            "en",
            False,
        ),
    ],
)
def test_foiled_or_failed_only_negates_when_nothing_was_fired(
    text: str, lang: str, attack: bool
) -> None:
    assert classify(article(text, lang=lang)).attack is attack


def test_arabic_launched_towards_is_fired() -> None:
    text = (
        "أحبطت القوات الأمنية هجوماً على المنطقة الخضراء في بغداد فجر اليوم.\n\n"
        "وقال مصدر إن طائرة مسيرة انطلقت باتجاه المنطقة الخضراء قبل أن تتحطم قرب جسر الجمهورية."
    )
    verdict = classify(article(text, lang="ar"))
    assert verdict.attack
    assert verdict.weapon == "drone"


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Weekend viewing: the best war thrillers",
            "The movie opens with rockets slamming into the US embassy in Baghdad's Green Zone, "
            "and the cast never lets the tension drop. It is streaming now.",
            "en",
        ),
        (
            "مسلسل جديد عن بغداد",
            "يبدأ الفيلم بمشهد سقوط قذائف هاون على المنطقة الخضراء في بغداد، ويؤدي الممثل دور "
            "ضابط أمريكي، وحقق العمل نجاحاً في شباك التذاكر.",
            "ar",
        ),
    ],
)
def test_a_film_or_series_is_not_news_of_an_attack(title: str, text: str, lang: str) -> None:
    verdict = classify(article(text, title=title, lang=lang))
    assert not verdict.attack
    assert verdict.evidence


def test_one_film_word_does_not_make_news_fiction() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, wounding a documentary crew filming "
            "near the US embassy."
        )
    )
    assert verdict.attack


@pytest.mark.parametrize(
    "text",
    [
        "A court on Thursday jailed three men over the 2019 rocket attack on Baghdad's Green Zone.",
        "Judges on Friday convicted a man for his part in a March 2021 drone strike on the US "
        "embassy in Baghdad.",
        "Police on Friday arrested a suspect in last year's 2022 rocket attack on the Green Zone "
        "in Baghdad.",
        "أصدرت محكمة في بغداد اليوم حكماً بالسجن على متهم بقصف المنطقة الخضراء عام 2020.",
    ],
)
def test_an_attack_dated_in_its_own_noun_phrase_is_past(text: str) -> None:
    lang = "en" if text.isascii() else "ar"
    assert not classify(article(text, lang=lang)).attack


def test_a_dated_past_attack_beside_a_new_one_leaves_the_new_one() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, a year after the 2022 drone attack "
            "on the prime minister's residence."
        )
    )
    assert verdict.attack
    assert (verdict.projectiles, verdict.target) == (2, "Green Zone")


@pytest.mark.parametrize(
    "text",
    [
        "A Baghdad court sentenced two men to death on Sunday for firing rockets at the Green "
        "Zone.",
        "The trial of four suspects in the rocket fire on the US embassy in Baghdad opened on "
        "Monday.",
    ],
)
def test_trials_and_verdicts_are_not_attack_reports(text: str) -> None:
    assert not classify(article(text)).attack


def test_arabic_one_is_not_sunday() -> None:
    found = find_dates(normalize("أصيب أحد المارة بجروح"), PUBLISHED)
    assert found == []
    sunday = find_dates(normalize("سقط صاروخ صباح الأحد"), PUBLISHED)
    assert [f.day.weekday() for f in sunday] == [6]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rocket attacks have mostly targeted Baghdad's Green Zone and the US embassy there.",
        "Drone attacks usually hit the Green Zone in Baghdad at night.",
        "The Green Zone in Baghdad has long been targeted by rockets.",
        "Rockets have struck Baghdad's Green Zone and bases hosting US troops.",
        "وغالباً ما تستهدف الصواريخ المنطقة الخضراء في بغداد.",
    ],
)
def test_habits_in_a_story_about_another_place_are_background(sentence: str) -> None:
    lang = "en" if sentence.isascii() else "ar"
    lead = (
        "Rockets struck Erbil airport on Friday, wounding two contractors."
        if lang == "en"
        else "سقطت صواريخ على مطار أربيل مساء أمس وأصيب متعاقدان."
    )
    verdict = classify(article(lead + "\n\n" + sentence, lang=lang))
    assert not verdict.attack


def test_a_dated_attack_on_the_zone_in_a_story_about_another_place_still_counts() -> None:
    verdict = classify(
        article(
            "Rockets struck Erbil airport on Friday.\n\n"
            "Hours later, two rockets have hit Baghdad's Green Zone on Friday night, police said."
        )
    )
    assert verdict.attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "سقط صاروخان على المنطقة الخضراء في بغداد فجر اليوم دون إصابات.\n\n"
            "ويأتي القصف بعد أسبوعين من هجوم مماثل أدى إلى مقتل ثلاثة حراس.",
            "ar",
        ),
        (
            "Two rockets hit Baghdad's Green Zone on Friday, causing no casualties.\n\n"
            "It came weeks after a similar rocket attack on the Green Zone killed three guards.",
            "en",
        ),
    ],
)
def test_a_similar_earlier_attack_gives_no_toll(text: str, lang: str) -> None:
    verdict = classify(article(text, lang=lang))
    assert verdict.attack
    assert (verdict.projectiles, verdict.killed) == (2, 0)


@pytest.mark.parametrize(
    ("text", "lang", "projectiles"),
    [
        (
            "A drone aimed at the US embassy in Baghdad was shot down early on Friday, while a "
            "second crashed into a car park.",
            "en",
            2,
        ),
        (
            "أسقطت الدفاعات طائرة مسيرة فوق المنطقة الخضراء في بغداد فجر اليوم، وأخرى فوق "
            "الجادرية، فيما سقطت الثالثة قرب السفارة الأمريكية.",
            "ar",
            3,
        ),
    ],
)
def test_the_nth_to_strike_makes_n(text: str, lang: str, projectiles: int) -> None:
    verdict = classify(article(text, lang=lang))
    assert verdict.attack
    assert verdict.projectiles == projectiles


@pytest.mark.parametrize(
    ("claim", "name"),
    [
        ("An obscure faction, Liwa al-Tha'r, claimed the attack in a statement.", "Liwa al-Tha'r"),
        ("A militia known as Ashab al-Rayat claimed responsibility.", "Ashab al-Rayat"),
    ],
)
def test_claims_by_a_named_little_known_group(claim: str, name: str) -> None:
    verdict = classify(article("Two rockets hit Baghdad's Green Zone on Friday. " + claim))
    assert verdict.attack
    assert verdict.claimed_by == name


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Two mortar rounds hit the Green Zone in the Afghan capital on Friday. Iraq's embassy "
            "there was unharmed.",
            "en",
        ),
        (
            "سقطت قذيفتا هاون داخل المنطقة الخضراء في العاصمة الأفغانية اليوم، ولم تتضرر سفارة "
            "العراق هناك.",
            "ar",
        ),
    ],
)
def test_a_city_named_right_after_the_zone_owns_it(text: str, lang: str) -> None:
    assert not classify(article(text, lang=lang)).attack


def test_foiled_while_shooting_down_drones_is_an_attack() -> None:
    verdict = classify(
        article(
            "Guards foiled an attack on the Green Zone in Baghdad on Friday, shooting down two "
            "drones."
        )
    )
    assert verdict.attack
    assert verdict.intercepted == 2
