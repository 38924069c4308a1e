"""rules-1.4: denials and debunked hearsay, fireworks and celebratory fire, condemners, future
threats, fiction reviews, frequent targets, and the field rules of the same round.

Each negative rule has, beside it, a real report that uses the same words and must still be
an attack (or keep its fields).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.records import Article, Classification

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)  # a Friday, 12:00 in Baghdad


def verdict(text: str, title: str = "", lang: str = "en") -> Classification:
    return classify(Article("r4", title, "", text, PUBLISHED, lang))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The army on Friday denied reports that four mortar rounds landed in Baghdad's Green "
         "Zone.", "en"),
        ("The interior ministry denies any drone attack on the US embassy in Baghdad.", "en"),
        ("Police dismissed online rumours that a mortar hit parliament in Baghdad's Green Zone "
         "on Friday.", "en"),
        ("كذبت الشرطة اليوم الجمعة شائعات عن استهداف مبنى البرلمان في المنطقة الخضراء بطائرة "
         "مسيرة.", "ar"),
        ("تنفي الشرطة وقوع هجوم بطائرة مسيرة على السفارة الأمريكية في بغداد.", "ar"),
    ],
)  # fmt: skip
def test_a_denial_governing_the_attack_negates_it(text: str, lang: str) -> None:
    assert not verdict(text, lang=lang).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # The denial is about the toll, in another clause: the attack stands.
        ("Two rockets hit Baghdad's Green Zone on Friday, but officials denied reports that "
         "anyone was killed.", "en"),
        ("سقط صاروخان على المنطقة الخضراء في بغداد اليوم الجمعة، لكن الشرطة نفت الأنباء عن "
         "سقوط قتلى.", "ar"),
    ],
)  # fmt: skip
def test_a_denial_in_another_clause_leaves_the_attack(text: str, lang: str) -> None:
    assert verdict(text, lang=lang).attack


def test_hearsay_in_a_test_framed_article_is_the_denied_attack() -> None:
    title = "Tracer fire over Baghdad's Green Zone was a drill, embassy says"
    text = (
        "Tracer fire over Baghdad's Green Zone on Friday came from a scheduled drill of the "
        "embassy's defences, not an attack, the embassy said.\n\n"
        "Unverified videos showed what their authors called drones striking the US embassy."
    )
    assert not verdict(text, title).attack


def test_hearsay_in_an_attack_report_still_counts() -> None:
    text = (
        "Two rockets hit Baghdad's Green Zone on Friday, police said.\n\n"
        "Videos circulating on social media showed smoke rising near the US embassy."
    )
    assert verdict(text).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Fireworks rockets lit the sky over Celebrations Square in Baghdad's Green Zone at "
         "midnight on Friday.", "en"),
        ("Stray bullets from a wedding party landed on a car park inside Baghdad's Green Zone "
         "on Friday.", "en"),
        ("أطلقت البلدية الصواريخ النارية فوق المنطقة الخضراء في بغداد احتفالاً بالعيد اليوم "
         "الجمعة.", "ar"),
        ("أصاب رصاص طائش نوافذ مبنى داخل المنطقة الخضراء في بغداد ليلة أمس.", "ar"),
    ],
)  # fmt: skip
def test_fireworks_and_celebratory_fire_name_no_weapon(text: str, lang: str) -> None:
    assert not verdict(text, lang=lang).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A rocket hit Baghdad's Green Zone on Friday as fireworks lit the sky for a wedding.",
         "en"),
        ("سقط صاروخ كاتيوشا على المنطقة الخضراء في بغداد اليوم الجمعة خلال إطلاق ألعاب نارية "
         "قريبة.", "ar"),
    ],
)  # fmt: skip
def test_a_real_weapon_beside_fireworks_is_still_an_attack(text: str, lang: str) -> None:
    assert verdict(text, lang=lang).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The US embassy in Baghdad condemned Friday's rocket attack on an oil refinery in "
         "Basra.", "en"),
        ("استنكرت السفارة الأمريكية في بغداد القصف الصاروخي الذي طال مصفاة في بيجي اليوم "
         "الجمعة.", "ar"),
    ],
)  # fmt: skip
def test_a_zone_place_that_condemns_is_no_target(text: str, lang: str) -> None:
    assert not verdict(text, lang=lang).attack


def test_a_condemned_attack_on_the_zone_is_still_an_attack() -> None:
    text = (
        "Iraq's government condemned Friday's rocket attack on the US embassy in Baghdad, "
        "which wounded a guard."
    )
    assert verdict(text).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Armed groups may try to strike the US embassy in Baghdad with drones, the State "
         "Department said on Friday.", "en"),
        ("Officials expect rocket attacks on Baghdad's Green Zone in the coming days.", "en"),
        ("توعدت جماعة مسلحة، في تسجيل صوتي اليوم الجمعة، بقصف المنطقة الخضراء في بغداد "
         "بالطائرات المسيرة.", "ar"),
        ("قال الفصيل إنه سيقصف المنطقة الخضراء في بغداد بالصواريخ إذا لم تنسحب القوات.", "ar"),
    ],
)  # fmt: skip
def test_future_and_threatened_attacks_are_hypothetical(text: str, lang: str) -> None:
    assert not verdict(text, lang=lang).attack


def test_a_book_review_is_fiction() -> None:
    title = "Review: a thriller set inside Baghdad's Green Zone"
    text = (
        "In the final chapter, drones slam into the US embassy in Baghdad while the hero hides "
        "in a basement.\n\nThe author, a former soldier, keeps it tight across 300 pages."
    )
    assert not verdict(text, title).attack


def test_a_tv_drama_is_fiction() -> None:
    title = "مسلسل جديد يصور قصف المنطقة الخضراء"
    text = (
        "تصور الحلقة الخامسة من المسلسل الدرامي سقوط صواريخ على المنطقة الخضراء في بغداد.\n\n"
        "وقال مخرج المسلسل إن الأحداث متخيلة، فيما أشاد النقاد بأداء الممثلين على الشاشة."
    )
    assert not verdict(text, title, "ar").attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The US embassy in Baghdad, long a favourite target of militia rockets, closed its "
         "consular section on Friday.", "en"),
        ("Mortars were fired at Baghdad's Green Zone throughout the last year, officials said.",
         "en"),
        ("For most of the past decade, drones and mortars struck Baghdad's Green Zone.", "en"),
        ("وقال المصدر إن آخر قصف طال المنطقة الخضراء في بغداد كان قبل أشهر.", "ar"),
    ],
)  # fmt: skip
def test_frequent_targets_and_last_attacks_are_background(text: str, lang: str) -> None:
    assert not verdict(text, lang=lang).attack


def test_arabic_gunfire_with_its_subject_between_verb_and_fire() -> None:
    text = "أطلق رجال ملثمون النار باتجاه بوابة المنطقة الخضراء في بغداد مساء أمس."
    result = verdict(text, lang="ar")
    assert result.attack
    assert result.weapon == "gunfire"


@pytest.mark.parametrize(
    ("text", "lang", "killed", "injured"),
    [
        ("Two rockets fell inside Baghdad's Green Zone on Friday. The salvo caused no human "
         "losses.", "en", 0, 0),
        ("A rocket hit Baghdad's Green Zone on Friday. A young guard was the only person hurt. "
         "Nobody was killed.", "en", 0, 1),
        ("A roadside bomb struck a convoy in Baghdad's Green Zone on Friday, killing the "
         "officer it carried.", "en", 1, None),
        ("Three rockets hit Baghdad's Green Zone on Friday, days before the anniversary of "
         "the strike that killed a commander.", "en", None, None),
        ("سقطت قذيفتا هاون على المنطقة الخضراء في بغداد اليوم الجمعة، ولم تقع حالات وفاة.",
         "ar", 0, None),
        ("سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد اليوم الجمعة، دون توفر معلومات عن "
         "الإصابات.", "ar", None, None),
        ("سقطت قذيفة هاون على المنطقة الخضراء في بغداد اليوم الجمعة، وأدى القصف إلى جرح جنديين.",
         "ar", None, 2),
    ],
)  # fmt: skip
def test_casualty_phrasings(text: str, lang: str, killed: int | None, injured: int | None) -> None:
    result = verdict(text, lang=lang)
    assert result.attack
    assert (result.killed, result.injured) == (killed, injured)


def test_a_conditional_toll_is_none() -> None:
    text = (
        "Four rockets were fired at the US embassy in Baghdad on Friday.\n\n"
        "A US official warned of a harsh answer if one of its diplomats were killed."
    )
    result = verdict(text)
    assert result.attack
    assert result.killed is None


def test_a_failed_launch_does_not_end_the_story() -> None:
    text = (
        "Five rockets were fired at the US embassy in Baghdad on Friday.\n\n"
        "Police later found two more rockets on their rails before they were launched.\n\n"
        "Nobody was hurt."
    )
    result = verdict(text)
    assert (result.projectiles, result.killed, result.injured) == (5, 0, 0)


def test_more_that_never_left_their_rails_are_not_counted() -> None:
    text = "Six rockets were fired at the US embassy in Baghdad on Friday; two more failed to fire."
    assert verdict(text).projectiles == 6


@pytest.mark.parametrize(
    ("text", "lang", "intercepted"),
    [
        ("Three rockets were fired at the US embassy in Baghdad on Friday, and the C-RAM shot "
         "one of them down.", "en", 1),
        ("Three rockets were fired at the US embassy in Baghdad on Friday. None were "
         "intercepted.", "en", 0),
        ("اعترضت منظومة سي رام واحداً من أربعة صواريخ أطلقت على السفارة الأمريكية في بغداد "
         "اليوم الجمعة.", "ar", 1),
        ("أطلقت ثلاثة صواريخ على السفارة الأمريكية في بغداد اليوم الجمعة، وأسقطت الدفاعات "
         "أحدها.", "ar", 1),
        ("سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد اليوم الجمعة، ولم تتمكن من اعتراض أي "
         "منها.", "ar", 0),
    ],
)  # fmt: skip
def test_interception_counts(text: str, lang: str, intercepted: int) -> None:
    result = verdict(text, lang=lang)
    assert result.attack
    assert result.intercepted == intercepted


def test_arabic_claim_by_the_name_a_group_gives_itself() -> None:
    text = (
        "تبنت جماعة تسمي نفسها «كتائب الفجر الأحمر» قصف المنطقة الخضراء في بغداد بقذائف "
        "الهاون اليوم الجمعة."
    )
    assert verdict(text, lang="ar").claimed_by == "كتائب الفجر الأحمر"
