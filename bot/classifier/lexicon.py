"""Word lists as patterns on normalised text (lower case, Arabic folded, hyphens as spaces).

English patterns use word boundaries; Arabic ones match stems, since Arabic words carry
attached prefixes (و ب ف ل ال) and suffixes.
"""

from __future__ import annotations

import re

from bot.classifier.normalize import normalize_arabic


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(normalize_arabic(pattern))


# Weapon nouns, by the weapon they name.
WEAPONS: dict[str, re.Pattern[str]] = {
    "rocket": _p(
        r"\b(?:rockets?|katyushas?|grad)\b|صاروخ(?!\s+باليستي)|صواريخ(?!\s+باليستي)|كاتيوشا|غراد"
    ),
    "missile": _p(r"\bmissiles?\b|صاروخ\s+باليستي|صواريخ\s+باليستي|صواريخ\s+كروز"),
    "drone": _p(
        r"\b(?:drones?|uavs?|quadcopters?|unmanned\s+aerial)\b"
        r"|طائر\S*\s+(?:\S+\s+)?مسير|مسيرات|\bدرون"
    ),
    "mortar": _p(r"\bmortars?\b|هاون"),
    "ied": _p(
        r"\b(?:ieds?|roadside\s+bombs?|car\s+bombs?|explosive\s+devices?|bombs?)\b"
        r"|عبو\S*\s+ناسف|سياره\s+مفخخه"
    ),
    "gunfire": _p(r"\b(?:gunfire|gunmen|sniper|shooting|shots\s+fired)\b|اطلاق\s+(?:ال)?نار|رصاص"),
}
ANY_WEAPON = re.compile("|".join(f"(?:{p.pattern})" for p in WEAPONS.values()))
# Projectile-ish nouns that do not name a weapon type.
VOLLEY = _p(r"\b(?:salvos?|salvoes|volleys?|barrages?|projectiles?)\b|مقذوف|رشق")
KATYUSHA = _p(r"katyusha|كاتيوشا")

# Attack predicates: something was fired, fell, struck, or was shot down.
PREDICATE = _p(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|land(?:ed|s|ing)|str(?:uck|ike|ikes|iking)"
    r"|hit(?:s|ting)?|target(?:ed|ing|s)?|slam(?:med|s|ming)?|crash(?:ed|es|ing)?|fell|fall(?:s|ing)?"
    r"|came\s+down|come\s+down|tore\s+into|rain(?:ed)?\s+down|explod(?:ed|es|ing)"
    r"|impact(?:ed|s)?|attack(?:ed|s|ing)?|shell(?:ed|ing)|pound(?:ed|ing)"
    r"|(?:flown|sent|directed|aimed|hurled|lobbed|heading|headed)\s+(?:at|towards?|into|for)"
    r"|shot\s+down|shoot\s+down|downed|brought\s+down|intercept(?:ed|s|ing)?"
    r"|destroyed\s+in\s+(?:the\s+)?(?:air|flight|mid\s?air)|came\s+under)\b"
    r"|سقط|سقوط|تسقط|استهدف|استهداف|يستهدف|تستهدف|اطلق|اطلاق|انطلق|قصف|اسقاط|اعتراض|تصدت"
    r"|هجوم|هاجم|اصابت\s|(?<![\u0621-\u064a])(?:[وف]?(?:ي|ت)?(?:طال|ضرب|ضربت))(?![\u0621-\u064a])"
)
INTERCEPT = _p(
    r"\b(?:shot\s+down|shoot\s+down|downed|brought\s+down|intercept(?:ed|s|ing)?"
    r"|destroyed\s+in\s+(?:the\s+)?(?:air|flight|mid\s?air)|engaged\s+and\s+destroyed)\b"
    r"|اسقاط|اسقط|اعتراض|اعترض|تصدت|تدمير\S*\s+في\s+الجو"
)
BLAST = _p(
    r"\b(?:explosions?|blasts?(?!\s+walls?)|bangs|detonations?|impacts?|sounds\s+of\s+impacts?)\b"
    r"|انفجار|دوي|انفجارات"
)
ATTACK_NOUN = _p(
    r"\b(?:attacks?|strikes?|assault|assassination\s+attempt|attempt\s+on)\b|هجوم|اعتداء|محاوله\s+اغتيال"
)

# The event did not happen, was prevented, or is imagined.
NEGATION = _p(
    r"\b(?:no|not|nothing|never|without|none|neither|nor)\b(?:\s+\S+){0,3}?\s*$"
    r"|(?:^|\s)(?:لم|لا|دون|بدون|عدم)(?:\s+\S+){0,1}?\s*$"
)
FOILED = _p(
    r"\b(?:foil(?:ed|s|ing)?|thwart(?:ed|s|ing)?|defus(?:ed|e|es|ing)|dismantl(?:ed|e|es|ing)"
    r"|made\s+(?:it\s+|them\s+)?safe|before\s+(?:it|they)\s+(?:was|were|could|had)\b"
    r"|prior\s+to\s+(?:launch|firing)|primed\s+(?:to|for)\s+(?:launch|fir)|ready\s+(?:to\s+be\s+)?(?:fired|launched|for\s+launch))"
    r"|احباط|احبط|تفكيك|فكك|ابطال\s+مفعول|قبل\s+اطلاق|معده\s+(?:لل)?اطلاق|جاهزه\s+(?:لل)?اطلاق"
)
DRILL = _p(
    r"\b(?:drills?|exercises?|simulation|rehearsal|(?:siren|alarm)s?\s+tests?|test(?:ing|ed)?\s+(?:of\s+)?(?:the\s+)?(?:sirens?|alarms?|warning))\b"
    r"|تمرين|تمارين|تجربه\s+(?:ل)?صافرات|محاكاه|مناوره"
)
HYPOTHETICAL = _p(
    r"\b(?:could|would|might|will|threat(?:en|ened|ens)?|warn(?:ed|s|ing)?\s+(?:of|that)"
    r"|plan(?:ned|ning|s)?\s+to|fears?|feared|if|risk(?:s|ed)?|vow(?:ed|s)?|prepar(?:ing|ed)\s+to)\b"
    r"|(?:^|\s)(?:قد|سوف|يهدد|تهديد|تهدد|في\s+حال|لو)(?:\s|$)"
)
# Words that put an attack in the past or make it one of many.
BACKGROUND = _p(
    r"\b(?:previously(?!\s+(?:unknown|obscure|little|unheard))|formerly|earlier\s+(?:this|last|in\s+the)\s+(?:year|month|week)"
    r"|in\s+recent\s+(?:days|weeks|months|years)|recent\s+(?:weeks|months|years)"
    r"|last\s+(?:week|month|year|summer|winter|spring|autumn)|(?:weeks|months|years)\s+ago"
    r"|the\s+previous\s+(?:week|month|year)|in\s+the\s+past|anniversary|a\s+(?:series|string|spate|wave|run|flurry)\s+of"
    r"|dozens\s+of|scores\s+of|hundreds\s+of|repeatedly|regularly|frequently|often|routinely"
    r"|(?:almost|near)\s+daily|several\s+times|many\s+times|numerous|such\s+attacks"
    r"|(?:have|has|had)\s+(?:also\s+)?(?:been\s+)?(?:targeted|hit|attacked|struck)\s+(?:by\s+)?(?:several|many|multiple|dozens|repeated|numerous|\d+)"
    r"|(?:have|has)\s+been\s+(?:targeted|hit|fired|struck|attacked|shelled)"
    r"|(?:have|has)\s+come\s+under|(?:most|many|some)\s+of\s+(?:the|these|those|them)"
    r"|(?:at\s+least\s+)?\d+\s+(?:such\s+)?attacks|since\s+(?:mid\s+|early\s+|late\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december|\d{4}))\b"
    r"|سابقا|في\s+وقت\s+سابق\s+من\s+(?:العام|الشهر)|(?<!الليله\s)(?<!مساء\s)(?<!صباح\s)الماضي(?!ه)|الماضيه(?<!الليله\sالماضيه)"
    r"|منذ(?!\s+(?:ساعات|ساعه|دقائق))|عشرات|سلسله|مرات\s+عده|متكرره|ذكرى|خلال\s+(?:الاسابيع|الاشهر|الايام)"
)
# Sentences about other happenings: protests, clashes, strikes by the US, the wider war.
OTHER_EVENT = _p(
    r"\b(?:protest(?:s|ers|ed|ing)?|demonstrat(?:ion|ions|ors|ed|ing)|clash(?:es|ed)?|riot"
    r"|tear\s+gas|sit\s+in|rall(?:y|ied|ies)|march(?:ed|es)|air\s?strikes?|us\s+strikes?"
    r"|retaliat\w*|self\s+defen[cs]e\s+strike|crowds?)\b"
    r"|تظاهر|متظاهر|احتجاج|محتج|اعتصام|اشتباك|مواجهات|تجمع|الغاز\s+المسيل|غارات|غاره"
)
UNKNOWN_WEAPON = _p(
    r"\b(?:too\s+(?:early|soon)\s+to\s+say\s+what|unclear\s+what|not\s+(?:yet\s+)?clear\s+what"
    r"|type\s+of\s+(?:attack|weapon|projectile)|unidentified\s+(?:projectile|object)s?"
    r"|what\s+(?:was|had\s+been)\s+(?:fired|used))\b"
    r"|نوع\s+(?:الهجوم|السلاح|المقذوف)|لم\s+يعرف\s+نوع"
)
ANAPHOR = _p(
    r"\b(?:the|this|that|friday's|saturday's|sunday's|monday's|tuesday's|wednesday's|thursday's"
    r"|today's|yesterday's|night's|morning's)\s+(?:rocket\s+|drone\s+|mortar\s+)?(?:attack|strike|salvo|fire|rockets|drones|launch|assault)\b"
    r"|\b(?:the|this)\s+(?:incident|blast|explosion)\b|الهجوم|القصف|الاستهداف|الحادث"
)
