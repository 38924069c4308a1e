"""Hard negatives by linguistic category: threats, habits, cessation, courts, retrospectives.

Each rule has sentences that must be rejected and, beside them, real reports that use the
same words in a background clause and must still be attacks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.records import Article

PUBLISHED = datetime(2023, 12, 8, 9, 0, tzinfo=UTC)


def article(text: str, title: str = "", lang: str = "en") -> Article:
    return Article("n", title, "", text, PUBLISHED, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('The mission ordered staff indoors, pointing to a "heightened risk" of drone strikes '
         "on Baghdad's Green Zone this weekend.", "en"),
        ("The mission ordered staff indoors, pointing to a 'heightened risk' of drone strikes "
         "on Baghdad's Green Zone this weekend.", "en"),
        ("Staff were told to avoid windows (citing warnings of rocket fire on the International "
         "Zone) until further notice.", "en"),
        ("Guards were put on alert over possible mortar attacks on the US embassy in Baghdad.",
         "en"),
        ("A faction set a deadline for rocket attacks on Baghdad's Green Zone to resume.", "en"),
        ("رفعت السفارة الأمريكية في بغداد حالة التأهب تحسباً لهجمات بالطائرات المسيرة على "
         "المنطقة الخضراء في بغداد.", "ar"),
        ("أبدى مسؤولون مخاوف من «هجمات صاروخية» على المنطقة الخضراء في بغداد خلال الأيام "
         "المقبلة.", "ar"),
    ],
)  # fmt: skip
def test_a_threat_or_warning_governing_the_attack_is_no_attack(text: str, lang: str) -> None:
    assert not classify(article(text, lang=lang)).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We revisit four years of mortar and rocket fire on Baghdad's Green Zone.", "en"),
        ("Katyushas were fired at Baghdad's International Zone nearly daily, residents "
         "recall.", "en"),
        ("Drones targeted the US embassy in Baghdad every few weeks, officials said.", "en"),
        ("Mortar rounds landed in Baghdad's Green Zone from time to time.", "en"),
        ("كانت الصواريخ تسقط على المنطقة الخضراء في بغداد أسبوعياً.", "ar"),
        ("تعرضت المنطقة الخضراء في بغداد لهجمات صاروخية بشكل متكرر طوال سنوات.", "ar"),
    ],
)  # fmt: skip
def test_recurring_attacks_are_background(text: str, lang: str) -> None:
    assert not classify(article(text, lang=lang)).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How the drones stopped flying at Baghdad's Green Zone.", "en"),
        ("Mortar fire on Baghdad's International Zone, once a nightly ordeal, has largely ceased.",
         "en"),
        ("Not a single rocket has been recorded landing in Baghdad's Green Zone since the spring.",
         "en"),
        ("The factions have halted their attacks on the US embassy in Baghdad.", "en"),
        ("توقفت الفصائل عن إطلاق الصواريخ على المنطقة الخضراء في بغداد.", "ar"),
        ("لم يسقط أي صاروخ على المنطقة الخضراء في بغداد منذ الربيع.", "ar"),
    ],
)  # fmt: skip
def test_cessation_is_no_attack(text: str, lang: str) -> None:
    assert not classify(article(text, lang=lang)).attack


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The defendant admitted to assembling the launch rail and firing six rockets at the "
         "Green Zone.", "en"),
        ("In his confession, the man described launching drones towards the US embassy in "
         "Baghdad.", "en"),
        ("Police arrested three men who fired mortars at Baghdad's International Zone.", "en"),
        ("قال المتهم إنه أطلق أربعة صواريخ على المنطقة الخضراء في بغداد.", "ar"),
        ("اعترف الموقوف بإطلاق طائرة مسيرة باتجاه السفارة الأمريكية في بغداد.", "ar"),
    ],
)  # fmt: skip
def test_confessions_courts_and_arrests_are_background(text: str, lang: str) -> None:
    assert not classify(article(text, lang=lang)).attack


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Five years on: a look back at the rocket war on Baghdad's Green Zone",
         "Two rockets hit the US embassy in Baghdad. A drone crashed into Baghdad's Green Zone."),
        ("Judge hears case of cell accused over Green Zone rocket fire",
         "The cell fired nine rockets at Baghdad's Green Zone. One rocket hit a house."),
        ("في مثل هذا اليوم: استهداف المنطقة الخضراء في بغداد بالصواريخ",
         "سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد وأصابت مبنى."),
    ],
)  # fmt: skip
def test_a_retrospective_or_court_lead_demotes_undated_attacks(title: str, text: str) -> None:
    lang = "en" if title.isascii() else "ar"
    assert not classify(article(text, title, lang)).attack


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("", "Two rockets hit Baghdad's Green Zone on Thursday, a week after the embassy warned "
         "of attacks.", "en"),
        ("", "Three rockets struck Baghdad's Green Zone overnight amid fears of escalation.", "en"),
        ("", "Rockets hit Baghdad's Green Zone on Thursday, the first attack in years; traffic "
         "on the bridge was halted.", "en"),
        ("", "A drone crashed into Baghdad's Green Zone on Thursday. A court had jailed two "
         "launchers last year.", "en"),
        ("Two rockets hit Green Zone a year after the anniversary of the truce",
         "Two rockets hit Baghdad's Green Zone on Thursday evening.", "en"),
        ("Police arrest suspects after rockets hit Baghdad's Green Zone",
         "Police arrested two suspects on Friday, hours after two rockets hit Baghdad's Green "
         "Zone late on Thursday.", "en"),
        ("", "Three rockets hit Baghdad's Green Zone on Thursday, ending a lull in attacks.", "en"),
        ("", "Two rockets hit Baghdad's Green Zone on Thursday and there have been no casualties.",
         "en"),
        ("", "Two rockets landed near the Supreme Judicial Council building in Baghdad's Green "
         "Zone on Thursday.", "en"),
        ("", "An alert for incoming fire sounded at the US embassy in Baghdad overnight as two "
         "rockets hit the compound.", "en"),
        ("", "According to the Iraqi daily, two rockets hit Baghdad's Green Zone on Thursday.",
         "en"),
        ("", "سقط صاروخان قرب مبنى مجلس القضاء الأعلى في المنطقة الخضراء ببغداد فجر اليوم.", "ar"),
        ("", "سقط صاروخان على المنطقة الخضراء في بغداد مساء أمس رغم تحذيرات سابقة.", "ar"),
        ("", "سقطت ثلاثة صواريخ على المنطقة الخضراء في بغداد فجر اليوم بعد توقف دام أشهر.", "ar"),
    ],
)  # fmt: skip
def test_the_same_words_beside_a_new_attack_leave_it_an_attack(
    title: str, text: str, lang: str
) -> None:
    assert classify(article(text, title, lang)).attack
