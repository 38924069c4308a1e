"""Sentence rules: normalisation, negation, background, scoping, targets, claims."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.classifier.detect import read_sentence
from bot.classifier.normalize import normalize, offsets
from bot.classifier.places import matcher
from bot.classifier.sentences import Sentence, split_sentences
from bot.records import Article
from bot.zones import BAGHDAD_IZ

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)


def kind(text: str) -> str:
    sentence = Sentence(0, text, normalize(text), "text", 0)
    return read_sentence(sentence, matcher(BAGHDAD_IZ), PUBLISHED, city=True, embassy=True).kind


def article(text: str, title: str = "") -> Article:
    return Article("t", title, "", text, PUBLISHED)


def test_normalize_arabic_and_quotes() -> None:
    assert normalize("أُطلِقَت") == "اطلقت"
    assert normalize("المنطقـــة الخضراء") == "المنطقه الخضراء"
    assert normalize("إلى ٣") == "الي 3"
    assert normalize("US “embassy’s”") == 'us "embassy\'s"'
    text = "سَقَطَ صاروخ"
    index = offsets(text)
    assert len(index) == len(normalize(text))
    assert text[index[normalize(text).index("صاروخ")]] == "ص"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two rockets landed inside Baghdad's Green Zone on Friday.", "event"),
        ("سقط صاروخان على المنطقة الخضراء فجر اليوم.", "event"),
        ("Months passed without rocket fire on Baghdad's Green Zone.", "neutral"),
        ("Previously, two rockets had been shot down near the US embassy.", "background"),
        ("In January 2020 a rocket tore into the US embassy.", "background"),
        ("The Green Zone has been targeted by dozens of rocket attacks.", "background"),
        ("Rockets could again be fired at the Green Zone, analysts said.", "hypothetical"),
        ("Troops dismantled a rocket aimed at the Green Zone before it was fired.", "foiled"),
        ("Two drones struck Erbil airport on Friday.", "elsewhere"),
        ("Drones hit Ain al-Asad air base, days after the Green Zone reopened.", "elsewhere"),
        ("Police fired tear gas at protesters near the Green Zone.", "other"),
        (
            "The embassy will run a test of its air-defence guns over the Green Zone on Monday, "
            "so residents may see tracer fire.",
            "drill",
        ),
        (
            "Officials said no attack took place on the Green Zone; the blasts were fireworks.",
            "negated",
        ),
        ("أكد المصدر عدم تعرض المنطقة الخضراء لأي قصف صاروخي.", "negated"),
        ("دوي الانفجارات قرب السفارة الأمريكية ناجم عن اختبار لمنظومة الدفاع.", "drill"),
        ("The rockets seen over the Green Zone were not an attack, the army said.", "negated"),
        (
            "A decade after the invasion, mortars keep landing on Baghdad's Green Zone.",
            "background",
        ),
        (
            "The last major assault, in March, saw six rockets hit Baghdad's Green Zone.",
            "background",
        ),
        (
            "Two rockets struck the US embassy within weeks of the killing; on 3 June a drone hit "
            "the Green Zone.",
            "background",
        ),
        ("Three rockets hit Baghdad's Green Zone on Friday, a year after the last salvo.", "event"),
        (
            "The attack comes as Washington has told Iraqi leaders that it is ready to shut its "
            "embassy in the Green Zone unless rocket fire stops.",
            "hypothetical",
        ),
        (
            "هددت واشنطن بإغلاق سفارتها في المنطقة الخضراء"
            " ما لم تكف الفصائل عن استهداف مصالحها بالصواريخ.",
            "hypothetical",
        ),
    ],
)
def test_sentence_kind(text: str, expected: str) -> None:
    assert kind(text) == expected


def test_dateline_and_abbreviations_split_well() -> None:
    sentences = split_sentences(
        "", "", "BAGHDAD — Two U.S. officials spoke at 4 a.m. Monday. Then."
    )
    assert [s.text for s in sentences] == ["Two U.S. officials spoke at 4 a.m. Monday.", "Then."]


def test_background_casualties_do_not_leak() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, causing no casualties.\n\n"
            "Last month a drone attack on Ain al-Asad killed four soldiers and wounded nine."
        )
    )
    assert verdict.attack
    assert (verdict.killed, verdict.injured) == (0, 0)


def test_no_deaths_is_zero_killed_only() -> None:
    verdict = classify(
        article(
            "Three rockets hit Baghdad's Green Zone on Friday, wounding six. Nobody was killed."
        )
    )
    assert (verdict.killed, verdict.injured) == (0, 6)


def test_vague_counts_are_unknown() -> None:
    verdict = classify(
        article(
            "Rockets struck Baghdad's Green Zone on Friday and several guards were wounded, "
            "a number of them seriously."
        )
    )
    assert verdict.attack
    assert (verdict.projectiles, verdict.injured, verdict.killed) == (None, None, None)


def test_enumeration_adds_up() -> None:
    verdict = classify(
        article("One rocket hit the US embassy in Baghdad on Friday while two more fell nearby.")
    )
    assert verdict.projectiles == 3
    assert verdict.target == "US embassy"
    assert verdict.location is not None
    assert verdict.location.name == "US embassy"


def test_doubted_target_falls_back_to_zone() -> None:
    verdict = classify(
        article(
            "A rocket fell inside Baghdad's Green Zone on Friday, about a kilometre from the US "
            "embassy. A security source ruled out that the embassy was the target."
        )
    )
    assert verdict.target == "Green Zone"


def test_claim_in_arabic_keeps_the_written_name() -> None:
    verdict = classify(
        Article(
            "a",
            "",
            "",
            "سقط صاروخان على المنطقة الخضراء في بغداد فجر اليوم. "
            'وتبنت "سرايا النصر المبين" الهجوم في بيان.',
            PUBLISHED,
            "ar",
        )
    )
    assert verdict.attack
    # A group the product does not know keeps its name as the report wrote it.
    assert verdict.claimed_by == "سرايا النصر المبين"


def test_no_claim_and_blame_are_not_claims() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday. No group has claimed the attack. "
            "Washington blamed Kataib Hezbollah."
        )
    )
    assert verdict.attack
    assert verdict.claimed_by is None


@pytest.mark.parametrize(
    ("text", "damage"),
    [
        (
            "Two rockets struck Baghdad's Green Zone overnight, damaging three cars, police said.",
            "damaging three cars",
        ),
        (
            "Two rockets struck Baghdad's Green Zone overnight. Officials are still awaiting "
            "reports on casualties and damage to infrastructure, if any.",
            None,
        ),
        (
            "A rocket hit Baghdad's Green Zone on Thursday. It was too early to assess the damage.",
            None,
        ),
        ("A rocket hit Baghdad's Green Zone on Thursday, causing no damage.", None),
        (
            "Three rockets hit Baghdad's Green Zone on Friday without causing any reported "
            "casualties or damage.",
            None,
        ),
        (
            "Three rockets hit Baghdad's Green Zone on Friday. There were no casualties, but the "
            "blast damaged two cars.",
            "the blast damaged two cars",
        ),
        (
            "سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد فجر اليوم دون وقوع اي اصابات او اضرار.",
            None,
        ),
    ],
)
def test_damage_is_only_what_the_text_says_happened(text: str, damage: str | None) -> None:
    verdict = classify(article(text))
    assert verdict.attack
    assert verdict.damage == damage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KUT, Oct 7 - Two rockets hit Baghdad's Green Zone on Thursday.", 2),
        ("NAJAF, Iraq, 11 March 2022 — A mortar round fell in Baghdad's Green Zone on Friday.", 1),
        ("Police said that on Nov. 30 four rockets hit Baghdad's Green Zone.", 4),
    ],
)
def test_dateline_day_is_not_a_count(text: str, expected: int) -> None:
    published = datetime(2022, 12, 2, 9, 0, tzinfo=UTC)
    verdict = classify(Article("d", "", "", text, published))
    assert verdict.attack
    assert verdict.projectiles == expected


def test_some_of_them_shot_down_is_this_attack() -> None:
    verdict = classify(
        article(
            "Six rockets hit Baghdad's Green Zone on Friday. Air defences shot some of them down. "
            "One guard was hurt."
        )
    )
    assert verdict.attack
    assert (verdict.projectiles, verdict.intercepted, verdict.injured) == (6, None, 1)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "Three mortar rounds hit Baghdad's Green Zone on Friday, killing a guard and wounding "
            "a cook and a driver.",
            1,
            2,
        ),
        (
            "A rocket hit Baghdad's Green Zone on Friday. A street vendor was wounded. "
            + "No one was killed.",
            0,
            1,
        ),
        ("Rockets hit Baghdad's Green Zone on Friday, killing one and wounding another.", 1, 1),
        (
            "سقط صاروخ على المنطقة الخضراء في بغداد مساء أمس،"
            + " ما أدى إلى مقتل حارس وإصابة أحد المارة.",
            1,
            1,
        ),
        ("Rockets hit Baghdad's Green Zone on Friday, wounding a number of guards.", None, None),
    ],
)
def test_people_named_without_numbers_are_counted(
    text: str, killed: int | None, injured: int | None
) -> None:
    verdict = classify(article(text))
    assert verdict.attack
    assert (verdict.killed, verdict.injured) == (killed, injured)


def test_counts_in_a_clause_about_another_place_are_not_ours() -> None:
    verdict = classify(
        article(
            "Two rockets hit Baghdad's Green Zone on Friday, hours after 11 rockets struck Ain "
            "al-Asad air base and killed a contractor."
        )
    )
    assert verdict.attack
    assert (verdict.projectiles, verdict.killed) == (2, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سقطت قذيفتي هاون على المنطقة الخضراء في بغداد فجر اليوم.", 2),
        ("أطلق مسلحون صاروخي كاتيوشا على المنطقة الخضراء في بغداد فجر اليوم.", 2),
        ("تعرضت المنطقة الخضراء في بغداد فجر اليوم لهجوم صاروخي.", None),
    ],
)
def test_arabic_construct_dual_is_two(text: str, expected: int | None) -> None:
    verdict = classify(Article("a", "", "", text, PUBLISHED, "ar"))
    assert verdict.attack
    assert verdict.projectiles == expected


def test_weapon_the_text_calls_unclear_is_unknown() -> None:
    verdict = classify(
        article(
            "A projectile hit Baghdad's Green Zone on Friday; police said it was unclear whether "
            "it was a rocket or a mortar round."
        )
    )
    assert verdict.attack
    assert (verdict.weapon, verdict.projectiles) == ("unknown", 1)


def test_number_inside_the_intercept_phrase() -> None:
    verdict = classify(
        article(
            "Four rockets were fired at Baghdad's Green Zone on Friday; air defences destroyed two "
            "of them in the air."
        )
    )
    assert (verdict.projectiles, verdict.intercepted) == (4, 2)


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "Two rockets were fired at Baghdad's Green Zone on Friday. Residents heard blasts and "
            "the sound of air defences near the US embassy.",
            "en",
            "Green Zone",
        ),
        (
            "Blasts shook the area near the US embassy in Baghdad early on Friday.",
            "en",
            "US embassy",
        ),
        (
            "تعرض منزل رئيس الوزراء في المنطقة الخضراء ببغداد فجر اليوم لهجوم بطائرة مسيرة.",
            "ar",
            "PM residence",
        ),
        (
            "A rocket fell on Friday near a car park in the zone in Baghdad that houses the US "
            "embassy.",
            "en",
            "Green Zone",
        ),
    ],
)
def test_target_is_what_was_fired_at(text: str, lang: str, target: str) -> None:
    verdict = classify(Article("t", "", "", text, PUBLISHED, lang))
    assert verdict.attack
    assert verdict.target == target


@pytest.mark.parametrize(
    ("text", "attack"),
    [
        (
            "Two rockets hit Baghdad airport on Friday, wounding a worker.\n\nThe attack comes as "
            "officials said a rocket attack hit the Green Zone again, damaging the US embassy.",
            False,
        ),
        (
            "Two rockets hit Baghdad airport on Friday.\n\nHours later the attack on Baghdad's "
            "Green Zone wounded two guards, police said.",
            True,
        ),
    ],
)
def test_lead_elsewhere_owns_the_later_attack(text: str, attack: bool) -> None:
    verdict = classify(article(text, title="Rockets hit Baghdad airport"))
    assert verdict.attack is attack
