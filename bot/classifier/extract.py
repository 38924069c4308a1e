"""Extraction: the facts of the new incident, read only from sentences in its scope.

Every function takes the sentence readings (bot.classifier.detect) and returns one field;
none of them looks at sentences about other events, so a background attack's toll or claim
cannot leak in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from bot.classifier import lexicon as lx
from bot.classifier.bilingual import Bilingual
from bot.classifier.claimants import canonical_claimant
from bot.classifier.dates import event_date, local_now
from bot.classifier.detect import Reading, clauses
from bot.classifier.lexicon import _p
from bot.classifier.normalize import normalize_arabic, offsets, squeeze
from bot.classifier.numbers import NUMBER, NUMBER_LATIN, QUALIFIER, QUALIFIER_LATIN, parse_number
from bot.records import Location, Weapon
from bot.zones import Landmark, Zone

_NUM = rf"{QUALIFIER}({NUMBER})"
_NUM_LATIN = rf"{QUALIFIER_LATIN}({NUMBER_LATIN})"
_NEVER = r"(?!)"


def _both(latin: str, arabic: str) -> Bilingual:
    """`latin|arabic` as one pattern (Arabic folded), and `latin` alone for ASCII text."""
    return Bilingual(latin, normalize_arabic(f"{latin}|{arabic}"))


def _numbered(latin: Callable[[str], str], arabic: Callable[[str], str] | None = None) -> Bilingual:
    """A pattern around a number: with Latin numbers only for ASCII text, with any otherwise."""
    full = latin(_NUM) + (f"|{arabic(_NUM)}" if arabic is not None else "")
    return Bilingual(latin(_NUM_LATIN), normalize_arabic(full))


def _arabic(pattern: str) -> Bilingual:
    """A pattern that needs Arabic letters: ASCII text never matches it."""
    return Bilingual(_NEVER, normalize_arabic(pattern))


_EN_NOUN = (
    r"(?:rockets?|katyushas?|missiles?|drones?|mortars?|mortar\s+(?:rounds?|shells?)|shells?"
    r"|projectiles?|uavs?)\b"
)
_AR_NOUN = r"(?:صواريخ|صاروخا|صاروخ|قذائف|قذيفه|طائرات|طائره|مسيرات|عبوات|مقذوفات)"
# A day of the month ("dec 20 eight rockets", a dateline left in the text) is not a count.
_DIGIT = re.compile(r"\d")
_DAY_OF_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+(\d{1,2})\b"
)
_COUNT = _numbered(
    lambda n: (
        rf"{n}\s+(?:(?!salvo|volley|barrage|series|wave|of\b|and\b|or\b|more\b|others?\b"
        rf"|people\b|times\b|attacks?\b|days?\b|an?\b|the\b)[a-z']+\s+){{0,2}}{_EN_NOUN}"
        rf"|(?:volley|salvo|barrage)\s+of\s+{n}\b"
    ),
    lambda n: rf"{n}\s+(?:من\s+)?(?:ال)?{_AR_NOUN}|{_AR_NOUN}\s+(واحد|واحده)\b",
)
# Duals, and the construct form before a weapon name (قذيفتي هاون "two mortar shells"); a bare
# صاروخي is the adjective "rocket" (هجوم صاروخي), so it only counts before a rocket's name.
_DUAL = _arabic(
    r"(?<![\u0621-\u064a])(?:[وبفل]?ال|[وبفل])?(?:صاروخان|صاروخين|قذيفتان|قذيفتين|طائرتان|طائرتين|مسيرتان|مسيرتين)(?!\s+(?:ال)?اخر)"
    r"|(?<![\u0621-\u064a])[وبفل]?(?:قذيفتي\s+(?:ال)?هاون|صاروخي\s+(?:ال)?(?:كاتيوشا|غراد))"
)
# "one was shot down while a second struck a house", سقطت الثالثه: the N-th to strike makes N.
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "ثاني": 2, "ثانيه": 2,
             "ثالث": 3, "ثالثه": 3, "رابع": 4, "رابعه": 4, "خامس": 5, "خامسه": 5}  # fmt: skip
_IMPACT_EN = (
    r"(?:struck|hit|landed|fell|exploded|crashed|slammed|came\s+down|was\s+(?:shot|brought)\s+down"
    r"|was\s+intercepted|was\s+downed)"
)
_NTH = _both(
    rf"\b(?:a|the)\s+(second|third|fourth|fifth)(?:\s+(?:rocket|drone|missile|mortar|shell"
    rf"|projectile|one))?\s+(?:\w+\s+)?{_IMPACT_EN}\b",
    r"(?<![\u0621-\u064a])[وف]?(?:سقط|انفجر|اصاب|ضرب)\S*\s+(?:ال)(ثانيه|ثالثه|رابعه|خامسه|ثاني|ثالث|رابع|خامس)"
    r"(?![\u0621-\u064a])",
)
_MORE = _numbered(
    lambda n: (
        rf"{n}\s+(?:more|others|other\s+(?:rockets|drones|missiles|shells))\b"
        r"(?!\s+(?:[\w']+\s+){0,2}?(?:never|failed|did\s+not|didn't|were\s+not|weren't))"
    ),
    lambda n: r"(صاروخان|صاروخين|قذيفتان|قذيفتين|طائرتان|طائرتين)\s+(?:ال)?اخر",
)
_ONE_OF = _both(rf"\b(?:one|a|an)\s+{_EN_NOUN}", rf"(?:^|\s)(?:احد|احدى)\s+(?:ال)?{_AR_NOUN}")
_SINGULAR = _both(
    r"\b(?:a|an|one|single|the)\s+(?:[a-z']+\s+){0,2}?(?:rocket|katyusha|missile|drone|mortar\s+(?:round|shell)|projectile)\b"
    r"(?!\s+(?:attacks?|strikes?|fire|salvos?|launch|barrage|systems?|sites?|threats?|war|programme|program|teams?|launchers?))",
    r"(?<![\u0621-\u064a])(?:[وبفل]?ال|[وبفل])?(?:صاروخ|قذيفه|طائره\s+مسيره)(?![\u0621-\u064a])(?!\s+(?:واحد\s+)?(?:باليستي))",
)
_PLURAL = _both(
    r"\b(?:rockets|katyushas|missiles|drones|mortars|shells|projectiles|salvos|salvoes|volleys)\b",
    r"صواريخ|قذائف|طائرات|مسيرات",
)
_INTERCEPT_AFTER = _numbered(lambda n: rf"^\s+(?:all\s+)?{n}(?!\s*(?:a\.?m|p\.?m|:))")
# "one was shot down and the other crashed": two in all.
_ONE_AND_OTHER = _both(
    r"\bone\b(?:\s+\S+){1,8}?\s+(?:and|while|whereas)\s+the\s+other\b(?!\s+\w+s\b)",
    r"(?:احداهما|احدهما)(?:\s+\S+){0,8}?\s+و?(?:الاخرى|الاخر|الثانيه|الثاني)(?![\u0621-\u064a])",
)
# "shot down some of them", تصدت لعدد منها: the text gives no number for what was stopped.
_SOME_OF = _both(
    r"^\S*\s+(?:[\w'\"]+\s+){0,5}?(?:some|several|a\s+number|a\s+few|many|most|part)\s+of\b",
    r"^\S*\s+(?:\S+\s+){0,5}?[لب]?(?:عدد|عددا|بعض|بعضا|اغلب|معظم)\s+(?:منها|منهم|من)"
    r"(?![\u0621-\u064a])",
)
# The verb, its subject, then the number: اسقطت القوات الامنيه اثنتين منها.
_N_OF_THEM = _numbered(
    lambda n: rf"^\S*\s+(?:[\w'\"]+\s+){{0,4}}?{n}\s+(?:of\s+them|of\s+these|of\s+those)\b",
    lambda n: rf"^\S*\s+(?:\S+\s+){{0,7}}?{n}\s+(?:منها|منهم)(?![\u0621-\u064a])",
)
_INTERCEPT_INNER = _numbered(lambda n: rf"^(?:destroyed|shot|shooting|brought|bringing)\s+{n}\s")
# "intercepted one of three rockets", اعترضت واحدا من ثلاثه صواريخ, اعتراض احدها: the first number.
_N_OF_M = _numbered(
    lambda n: rf"^\S*\s+(?:[\w'\"]+\s+){{0,4}}?{n}\s+of\s+(?:the\s+)?(?:\w+\s+)?{_EN_NOUN}",
    lambda n: rf"^\S*\s+(?:\S+\s+){{0,6}}?{n}\s+من\s+(?:اصل\s+)?\S+\s+{_AR_NOUN}",
)
_ONE_OF_THEM = _arabic(
    r"^\S*\s+(?:\S+\s+){0,6}?(?:احدها|احداها|واحدا\s+منها|واحده\s+منها|واحدا\s+من)(?![\u0621-\u064a])"
    # احد الصواريخ, احدى الطائرتين: one of the rockets, one of the two drones.
    r"|^\S*\s+(?:\S+\s+){0,6}?(?:احد|احدى)\s+(?:ال)?(?:صواريخ|قذائف|طائرات|مسيرات|مقذوفات"
    r"|صاروخين|قذيفتين|طائرتين|مسيرتين)(?![\u0621-\u064a])"
)
_VERB_SUFFIX = re.compile(r"^\S*")
# A time phrase between the verb and its object: اسقطت فجر اليوم طائره مسيره.
_LEADING_TIME = _both(
    r"^\s*(?:(?:early|late)\s+)?(?:on\s+\w+day|overnight|last\s+night|this\s+morning)\b",
    # The subject may come first: اسقطت منظومه الدفاع الجوي فجر اليوم طائره.
    r"^\s*(?:\S+\s+){0,4}?(?:(?:فجر|صباح|مساء|ليل|ظهر)\s+)?(?:اليوم|امس|الليله\s+الماضيه)"
    r"(?:\s+(?:ال)?(?:اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|احد))?(?![\u0621-\u064a])"
    r"|^\s*(?:فجر|ليل)(?![\u0621-\u064a])",
)
# The text says none was intercepted: 0, not unknown.
_NONE_INTERCEPTED = _both(
    r"\b(?:none|no\s+(?:rockets?|drones?|missiles?|projectiles?|shells?))\s+(?:of\s+them\s+)?"
    r"(?:was|were|had\s+been)\s+(?:intercepted|shot\s+down|downed)"
    r"|\b(?:did\s+not|didn't|failed\s+to|could\s+not|couldn't)\s+(?:intercept|shoot\s+down)"
    r"\s+(?:any|a\s+single)",
    r"(?:لم|دون\s+ان)\s+(?:ت|ي)(?:عترض|تصد|تمكن\s+من\s+اعتراض)\S*\s+(?:\S+\s+){0,3}?(?:ايا|اي)"
    r"(?![\u0621-\u064a])",
)
_NUM_BEFORE = _numbered(
    lambda n: (
        rf"(?<![a-z]){n}\s+(?:of\s+(?:them|which|these|those)\s+|منها\s+)?(?:(?:were|was|had\s+been|have\s+been)\s+)?$"
    )
)
_FIRST = _p(r"\b(?:the\s+first|one)\b(?:\s+\S+){0,3}?\s+(?:was|were|had\s+been)\s+$")

_KILL = r"(?:killed|dead|died|killing)"
_HURT = r"(?:wounded|injured|hurt|wounding|injuring)"
# "no one was killed" is not one killed.
_NOT_NO = r"(?<!\bno\s)(?<!\bnot\s)"
_SUBJECT_VERB = _numbered(
    lambda n: (
        rf"{_NOT_NO}{n}\s+((?:(?!and\b|while\b|when\b|but\b)[\w'.]+\s+){{0,8}}?)(?:were|was|had\s+been|have\s+been|has\s+been|are|got)\s+"
        rf"(?:\w+\s+)?({_KILL}|{_HURT})\b"
    )
)
_VERB_OBJECT = _numbered(
    lambda n: rf"\b({_KILL}|{_HURT})\s+{n}(?!\s+(?:rockets?|drones?|of\s+the\s+rockets))"
)
_NUM_STATE = _numbered(
    lambda n: rf"{_NOT_NO}{n}\s+(?:people\s+|persons\s+)?(dead|killed|wounded|injured)\b"
)
_TOLL = _numbered(
    lambda n: (
        rf"\b({_KILL}|{_HURT}|death\s+toll)\b.{{0,80}}?\b(?:risen|rose|climbed|increased|jumped)\s+to\s+{n}"
    )
)
# One person named by an article instead of a number: "killing a child", "a guard was hurt",
# "wounding a woman and a girl" (two), استشهاد طفلة, إصابة أحد المنتسبين.
_NOT_PERSON = (
    r"(?!(?:number|few|handful|dozen|couple|total|series|lot|rockets?|drones?|missiles?"
    r"|mortars?|shells?|projectiles?)\b)"
)
_ONE_PERSON = r"(?:an?|another|one)\s+" + _NOT_PERSON + r"[a-z'\-]+"
_AR_PERSON = (
    r"(?:طفل|طفله|جندي|مدني|مدنيه|شخص|منتسب|عنصر|مواطن|مواطنه|امراه|سيده|حارس|متعاقد|شرطي|ضابط"
    r"|مقاتل|موظف|رجل|فتاه|صبي|سائق|عامل)(?![\u0621-\u064a])"
)
_VERB_INDEFINITE = _both(
    rf"\b({_KILL}|{_HURT})\s+({_ONE_PERSON}(?:\s+and\s+{_ONE_PERSON})*|another\b)",
    r"(?:^|\s)[وب]?(مقتل|قتل|استشهاد|مصرع|اصابه|اصيب|جرح)\s+((?:احد|احدى)\s+\S+|"
    # واصابه اخر: "and another wounded" is one more person.
    rf"{_AR_PERSON}(?:\s+و{_AR_PERSON})*|اخر(?:ى|ان)?(?![\u0621-\u064a]))",
)
_PASSIVE_INDEFINITE = _both(
    rf"(?<![\w'])(?:(?:an?|another)\s+{_NOT_PERSON}(?:[a-z'\-]+\s+){{1,3}}?|another\s+)"
    rf"(?:was|had\s+been|has\s+been|got)\s+(?:\w+\s+)?({_KILL}|{_HURT})\b",
    _NEVER,
)
_AR_AND = re.compile(r"\sو(?=[\u0621-\u064a])")
_INDEFINITE_WORD = re.compile(r"(?<![\w'])(?:a|an|another|one|احد|احدى)(?![\w'])")
# The number may follow the noun it counts: اصابه منتسبين اثنين.
_AR_HURT_VERB = _arabic(rf"(?:اصيب|اصابه|جرح|اصابة)\s+(?:[\u0621-\u064a]+\s+)?{_NUM}")
_AR_KILL_VERB = _arabic(rf"(?:مقتل|قتل|استشهاد|مصرع)\s+(?:[\u0621-\u064a]+\s+)?{_NUM}")
# A dual person noun is two: اصابه عنصرين (a plural ending like منتسبين may be either).
_AR_DUAL_PERSON = _arabic(
    r"(?:^|\s)[وب]{0,2}(مقتل|قتل|استشهاد|مصرع|اصابه|اصيب|جرح)\s+(?:ال)?(?:عنصرين|جنديين|شخصين|حارسين"
    r"|طفلين|ضابطين|رجلين|شرطيين|امراتين|عنصران|جنديان|شخصان|حارسان|طفلان|ضابطان)(?![\u0621-\u064a])"
)
# "killing the driver": one named person, by role.
_VERB_THE_PERSON = _both(
    rf"\b({_KILL}|{_HURT})\s+the\s+(?:driver|guard|soldier|officer|contractor|employee|worker"
    r"|man|woman|child|boy|girl|policeman|diplomat|civilian|resident|owner|pilot|passenger"
    r"|ambassador|bodyguard|sentry)\b",
    _NEVER,
)
# "The only casualty was an Iraqi soldier", "a guard was the only person hurt": one.
_ONLY_ONE = _both(
    r"\bonly\s+(casualty|fatality|death|injury|person\s+(?:hurt|injured|wounded|killed)"
    r"|one\s+(?:hurt|injured|wounded|killed))\s+(?:was|were)\s+(?:an?|one)\b"
    r"|\b(?:an?|one)\s+(?:[\w'-]+\s+){1,4}?(?:was|is)\s+the\s+only\s+(casualty|fatality|death|injury"
    r"|person\s+(?:hurt|injured|wounded|killed))\b",
    _NEVER,
)
_AR_NUM_NOUN = _arabic(rf"{_NUM}\s+(?:\S+\s+){{0,2}}?(قتلى|قتيل|جرحى|جريح|مصاب|اصيبوا|قتلوا|جرحوا)")
_SUBGROUP = _both(
    r"\b(?:us|u\.s\.|american|coalition|iraqi|foreign|military|civilian|its|their|his|embassy|staff|personnel|troops?|soldiers|diplomats)\b",
    r"في\s+صفوف|بين\s+(?:صفوف|عناصر)",
)
_ZERO_BOTH = _both(
    r"\b(?:no|zero)\s+(?:(\w+)\s+)?(?:casualt\w*|causalit\w*|injur\w*)"
    r"|\bwithout\s+(?:causing\s+)?(?:any\s+)?(?:(\w+)\s+)?(?:casualt\w*|causalit\w*|injur\w*)"
    r"|\b(?:no\s+one|nobody|none)\s+(?:was\s+|were\s+|had\s+been\s+)?(?:hurt|injured|wounded)"
    r"|\b(?:hurt|injured|injuring|wounding|harming)\s+(?:no\s+one|nobody)"
    r"|\bwithout\s+(?:hurting|injuring|wounding|harming)\s+(?:anyone|anybody)"
    r"|\bdid\s+not\s+(?:cause|result\s+in)\s+(?:any\s+)?(?:casualt\w*|injur\w*|human\s+loss)"
    r"|\b(?:without\s+(?:causing\s+)?(?:any\s+)?|no\s+)human\s+loss",
    # "without information on injuries" (دون ورود معلومات عن اصابات) says nothing of them.
    r"(?:دون|بدون|عدم|لم\s+\S+|لا)\s+(?:(?!معلومات|انباء|تفاصيل|حصيله)\S+\s+){0,3}?"
    r"(?:اصابات|خسائر\s+بشريه|ضحايا|اي\s+اصابه)",
)
_ZERO_KILLED = _both(
    r"\bno\s+(?:deaths?|fatalities|one\s+(?:was\s+)?killed|one\s+died)\b"
    r"|\b(?:nobody|no\s+one)\s+(?:was\s+)?killed\b|\bkilling\s+no\s+one\b",
    r"(?:دون|عدم|لم\s+\S+)\s+(?:(?!معلومات|انباء|تفاصيل)\S+\s+){0,3}?(?:قتلى|وفيات|وفاه"
    r"|خسائر\s+في\s+الارواح)",
)
_DAMAGE = _both(
    r"\b(?:damag(?:ed|ing|e)|set\s+on\s+fire|caught\s+fire|set\s+ablaze|destroyed(?!\s+in\s+(?:the\s+)?(?:air|flight))"
    r"|shattered|burn(?:ed|t)\s+out)\b",
    r"اضرار|احتراق|دمار",
)
# A sentence that says damage is still unknown ("awaiting reports on damage") reports none.
_DAMAGE_UNKNOWN = _both(
    r"\b(?:await\w*|waiting|assess\w*|too\s+(?:early|soon)|unclear|not\s+yet\s+known"
    r"|if\s+any|whether)\b",
    r"(?:بانتظار|ننتظر|لم\s+تتضح|غير\s+معروف)",
)
_LINK_WORD = re.compile(r"^(?:but|and|while|whereas)\s+", re.IGNORECASE)
# "without causing any reported casualties or damage"; a clause break ends the negation ("no
# casualties, but the blast damaged cars").
_DAMAGE_NEG = _both(
    r"\b(?:no|without|nor|not)\b(?:\s+(?!but\b|while\b|although\b|though\b)[^\s,;]+){0,6}?\s*$",
    r"(?:عدم|دون|لم|بدون|او)(?:\s+(?!لكن|بينما)[^\s,;]+){0,6}?\s*$",
)
_PREP_LATIN = (
    r"\b(?:at|on|into|onto|in\s+front\s+of|outside|near|inside|towards?|against|targeting|targeted|targets?"
    r"|hit|hits|struck|strike|attack\s+on|from|around|by|in|within|upon|over|of|vicinity\s+of|close\s+to"
    r"|next\s+to|beside)"
)
_PREP_ARABIC = (
    r"(?:^|\s)(?:في|على|امام|قرب|داخل|باتجاه|نحو|محيط|استهدف\S*|[لب]?استهداف|تعرض\S*|من"
    r"|بالقرب\s+من|مقابل)"
)
_PREP_TAIL = r"\s+(?:the\s+|a\s+)?(?:[\w'.]+\s+){0,2}$"
# استهدف فجر اليوم قاعده يونيون 3: a time phrase may stand between the verb and its object.
_AIMED_TAIL = (
    r"(?:^|\s)(?:استهدف\S*|[لب]?استهداف)\s+(?:\S+\s+){0,5}?(?:فجر|صباح|مساء|ليل|ظهر)"
    r"\s+(?:\S+\s+){1,3}$"
)
_TARGET_PREP = Bilingual(
    f"(?:{_PREP_LATIN}){_PREP_TAIL}",
    normalize_arabic(f"(?:{_PREP_LATIN}|{_PREP_ARABIC}){_PREP_TAIL}|{_AIMED_TAIL}"),
)
# A landmark named to say what the zone holds ("the zone, which houses the US embassy").
_DESCRIBES = _both(
    r"\b(?:(?:which|that)\s+(?:also\s+)?(?:houses|hosts|includes|contains)|home\s+to|housing"
    r"|hosting)\s+(?:[\w'.]+\s+){0,2}$",
    r"(?:تضم|يضم|التي\s+تحتضن|حيث\s+(?:تقع|يقع))\s+(?:\S+\s+){0,2}$",
)
# Where an air-defence system sits ("the C-RAM at the US embassy", سي رام في السفاره) is not
# what was aimed at: the sentence names the interceptor's site.
_DEFENCE_HOST = _both(
    r"\b(?:c\s?rams?|air\s+defen[cs]es?|counter\s+(?:rocket|drone)\s+(?:\w+\s+)?systems?"
    r"|phalanx|interceptors?)(?:\s+(?:system|battery|batteries|guns?|units?))?\s+"
    r"(?:at|in|of|inside|protecting|guarding|defending)\s+(?:the\s+)?$",
    r"(?:سي\s?رام|منظومه\s+(?:\S+\s+){0,2}?|الدفاع\s+الجوي|الدفاعات\s+الجويه)"
    r"\s*(?:في|داخل|ب|التابعه\s+ل|الخاصه\s+ب)\s*(?:ال)?$",
)
_DOUBT = lx.gated(
    r"\b(?:ruled\s+out|doubt\w*|unlikely|not\s+the\s+(?:intended\s+)?target)\b",
    r"استبعد|لم\s+تكن\s+الهدف",
    "ruled doubt unlikely target استبعد الهدف",
)
_DOUBT_TARGET = _p(r"\btarget\b|الهدف")
_CLAIM_NEG = _both(
    r"\b(?:no|not|nobody|none|unclaimed|yet\s+to|neither|without)\b",
    r"(?:^|\s)(?:لم|ولم|لا)\s|اي\s+جهه|اي\s+فصيل",
)
_CLAIM_EN = (
    re.compile(
        r"\b(?:(?:calling|calls)\s+itself|(?:group|faction|organi[sz]ation|militia|outfit)\s+"
        r"(?:called|named|known\s+as))\s+(?:the\s+)?(?P<name>.+?)"
        r"(?=\s*(?:[,;.(]|\s+(?:has|have|had)\s+claimed|\s+claimed|\s+said|$))"
    ),
    re.compile(
        r"(?P<name>(?:[A-Z][\w'’-]*|al-[\w'’-]+)(?:\s+(?:[A-Z][\w'’-]*|al-[\w'’-]+|of|in|the|for|al))*)"
        r"(?:,[^,]{0,80},)?,?\s+(?:has\s+|had\s+|have\s+|later\s+)?(?:claimed|claims)\b"
    ),
    re.compile(
        r"\bclaimed\s+by\s+(?:the\s+)?(?P<name>(?:[A-Z][\w'’-]*|al-[\w'’-]+)(?:\s+(?:[A-Z][\w'’-]*|al-[\w'’-]+|of|in|the|al))*)"
    ),
)
_CLAIM_AR = (
    _p(r"(?:تبنت|تبنى|يتبنى|تتبنى)\s+\"(?P<name>[^\"]{3,60})\""),
    # تبنت جماعه غير معروفه تطلق على نفسها "..." : the name it gives itself.
    _p(
        r"(?:تبنت|تبنى|يتبنى|تتبنى)\s+(?:\S+\s+){0,5}?(?:تطلق\s+على\s+نفسها|تسمي\s+نفسها"
        r"|يطلق\s+على\s+نفسه|يسمي\s+نفسه|تدعى|باسم)\s+\"(?P<name>[^\"]{3,60})\""
    ),
    _p(
        r"(?:تبنت|تبنى|يتبنى|تتبنى)\s+(?P<name>\S+(?:\s+\S+){0,5}?)(?=\s+(?:الهجوم|القصف|الاستهداف|استهداف|مسؤوليه|عمليه|في\s+بيان)|\s*[,.])"
    ),
    # اعلنت X، في بيان، مسؤوليتها: agency copy sets a time or source between commas.
    _p(
        r"(?:اعلنت|اعلن)\s+\"?(?P<name>[^\s,\"]+(?:\s+[^\s,\"]+){0,5}?)\"?"
        r"(?:\s*,[^,]{1,40},)?\s*مسؤوليت"
    ),
)
_NOT_NAMES = frozenset(
    {"no", "nobody", "it", "they", "he", "she", "the", "group", "officials", "washington"}
)


def _own(reading: Reading) -> str:
    """The sentence with every clause that names another place or time blanked out (same
    offsets).

    "Three rockets hit the zone, a day after 14 rockets hit Ain al-Asad": the 14 is not ours.
    """
    norm = reading.sentence.norm
    for start, end in reading.past:
        # "... a year after the 2022 attack that killed three": not this attack's toll.
        norm = norm[:start] + " " * (end - start) + norm[end:]
    norm = _without_looking_back(norm, reading.clause)
    elsewhere = [m for m in reading.mentions if m.kind == "elsewhere"]
    if not elsewhere:
        return norm
    ours = [m for m in reading.mentions if m.kind != "elsewhere"]
    for start, end in clauses(norm):
        foreign = any(start <= m.start < end for m in elsewhere)
        if foreign and not any(start <= m.start < end for m in ours):
            norm = norm[:start] + " " * (end - start) + norm[end:]
    return norm


def _without_looking_back(norm: str, clause: tuple[int, int]) -> str:
    """Blank what follows a look back after the deciding clause ("..., two weeks before the
    anniversary of the strike that killed a general"): that toll is another event's."""
    if clause == (0, 0):
        return norm
    cue = _looking_back_at(norm, clause[1])
    return norm if cue is None else norm[:cue] + " " * (len(norm) - cue)


@lru_cache(maxsize=1024)
def _looking_back_at(norm: str, after: int) -> int | None:
    # Cached: every field reads the same sentences again.
    return next((m.start() for m in lx.PAST_CUE.finditer(norm) if m.start() >= after), None)


def _in_scope(readings: list[Reading]) -> list[Reading]:
    return [r for r in readings if r.scope == "event" and r.kind in ("event", "neutral")]


def _events(readings: list[Reading]) -> list[Reading]:
    return [r for r in readings if r.kind == "event"]


def extract_date(readings: list[Reading], published: datetime) -> date:
    """The attack's Baghdad date: the first event sentence that dates it, else publication."""
    events = _events(readings)
    for reading in events:
        start, end = reading.clause
        found = event_date(reading.sentence.norm[start:end], published, said=False)
        if found is not None:
            return found.day
    for reading in events + _in_scope(readings):
        found = event_date(reading.sentence.norm, published, skip_past=True)
        if found is not None:
            return found.day
    return local_now(published).date()


def extract_weapon(readings: list[Reading]) -> Weapon:
    """The weapon named most in the event sentences (Katyusha "missiles" are rockets)."""
    votes: Counter[str] = Counter()
    katyusha = any(lx.KATYUSHA.search(r.sentence.norm) for r in readings)
    for pool in (_events(readings), _in_scope(readings)):
        for reading in pool:
            # "Not yet clear whether it was a rocket or a drone" names no weapon.
            if lx.UNKNOWN_WEAPON.search(reading.sentence.norm):
                continue
            for weapon, pattern in lx.WEAPONS.items():
                hits = len(pattern.findall(reading.sentence.norm))
                if hits:
                    votes["rocket" if weapon == "missile" and katyusha else weapon] += hits
        if votes:
            break
    if not votes:
        return "unknown"
    order: tuple[Weapon, ...] = ("rocket", "drone", "mortar", "missile", "ied", "gunfire")
    best = max(votes.values())
    return next(w for w in order if votes[w] == best)


def _without_days(norm: str) -> str:
    """Blank the day in "dec 20" (a dateline left in the text) so it is never read as a count."""
    if _DIGIT.search(norm) is None:
        return norm
    for m in _DAY_OF_MONTH.finditer(norm):
        start, end = m.span(1)
        norm = norm[:start] + " " * (end - start) + norm[end:]
    return norm


def _sentence_count(norm: str) -> int | None:
    if not (lx.ANY_WEAPON.search(norm) or lx.VOLLEY.search(norm)):
        return None
    norm = _without_days(norm)
    counts = [
        # The number is in whichever alternative's group matched (only Latin ones on ASCII).
        parse_number(next((g for g in m.groups() if g), ""))
        for m in _COUNT.finditer(norm)
    ]
    values = [c for c in counts if c is not None and 0 < c < 1000]
    values += [2 for _ in _DUAL.finditer(norm)]
    values += [_ORDINALS[next(g for g in m.groups() if g)] for m in _NTH.finditer(norm)]
    if _ONE_AND_OTHER.search(norm):
        values.append(2)
    # Every match of _MORE holds one of these: most sentences are spared its regex.
    more = list(_MORE.finditer(norm)) if "more" in norm or "other" in norm or "اخر" in norm else []
    if more:
        extra = sum(parse_number(next((g for g in m.groups() if g), "")) or 0 for m in more)
        if _ONE_OF.search(norm) or values:
            base = min(values) if values else 1
            values.append(base + extra)
    return max(values) if values else None


# "Whether it was a drone or a rocket": the choice doubts the weapon; it counts none.
_DOUBT_SPAN = _both(r"\b(?:whether|if)\b[^;.]*", r"ما\s+اذا[^;.]*")


def _undoubted(norm: str) -> str:
    if not lx.UNKNOWN_WEAPON.search(norm):
        return norm
    return _DOUBT_SPAN.on(norm).sub(lambda m: " " * len(m.group(0)), norm)


def extract_projectiles(readings: list[Reading]) -> int | None:
    """Projectiles launched: the largest count tied to a weapon noun, else one if singular."""
    scope = _in_scope(readings)
    counts = [c for r in scope if (c := _sentence_count(_own(r))) is not None]
    if counts:
        return max(counts)
    # No count: one only if the event sentences speak of a single projectile more than of many.
    texts = [_undoubted(_own(r)) for r in _events(readings)]
    plural = sum(len(_PLURAL.findall(text)) for text in texts)
    singular = sum(len(_SINGULAR.findall(text)) for text in texts)
    return 1 if singular > plural else None


def _after_time(text: str) -> str:
    """What follows a verb's attached suffix and a time phrase right after it."""
    text = _VERB_SUFFIX.sub("", text, count=1)
    m = _LEADING_TIME.search(text)
    return text if m is None else text[m.end() :]


def _first_words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])


def extract_intercepted(readings: list[Reading], projectiles: int | None) -> int | None:
    """How many were shot down, from the sentences that say so."""
    found: list[int] = []
    for reading in _in_scope(readings):
        norm = _own(reading)
        if _NONE_INTERCEPTED.search(norm):
            found.append(0)
            continue
        for m in lx.INTERCEPT.finditer(norm):
            tail = norm[m.end() :]
            if _SOME_OF.match(tail):
                continue
            if _ONE_OF_THEM.match(tail):
                found.append(1)
                continue
            if (n_of_m := _N_OF_M.match(tail)) and (
                value := parse_number(next(g for g in n_of_m.groups() if g))
            ):
                found.append(value)
                continue
            after = _INTERCEPT_AFTER.match(tail)
            inner = _INTERCEPT_INNER.search(m.group(0))
            of_them = _N_OF_THEM.match(tail)
            if of_them and (value := parse_number(next(g for g in of_them.groups() if g))):
                found.append(value)
            elif inner and (value := parse_number(inner.group(1))):
                # "destroyed one of them in the air": the number sits inside the phrase.
                found.append(value)
            elif after and (value := parse_number(after.group(1))):
                found.append(value)
            elif _DUAL.search(_first_words(tail, 4)):
                # اسقاط طائرتين منها: the dual noun is the count, whatever the weapon's name.
                found.append(2)
            elif (count := _sentence_count(_first_words(norm[m.end() :], 4))) is not None:
                found.append(count)
            elif _SINGULAR.match(_first_words(_after_time(norm[m.end() :]), 4)):
                found.append(1)
            elif re.search(r"\bboth\b|كلاهما|كليهما", norm):
                found.append(2)
            elif re.search(r"\ball\b", norm[: m.start()]) and projectiles:
                found.append(projectiles)
            elif before := _NUM_BEFORE.search(norm[: m.start()]):
                found.append(parse_number(before.group(1)) or 0)
            elif _FIRST.search(norm[: m.start()]):
                found.append(1)
            elif (count := _sentence_count(norm[: m.start()])) is not None:
                found.append(count)
            elif _SINGULAR.search(norm[: m.start()]) and not _PLURAL.search(norm[: m.start()]):
                found.append(1)
    return max(found) if found else None


_CASUALTY_WORD = _p(
    r"kill|dead|died|wound|injur|hurt|death|toll|قتل|قتيل|جرح|جريح|اصيب|اصاب|مصاب|استشهاد|مصرع"
)


# A condition is no toll: "held responsible if a single American were killed".
_IF_CLAUSE = _both(r"\b(?:if|unless)\b[^,;.]*", r"(?:^|\s)(?:لو|اذا|في\s+حال)\s[^,;.]*")


def _casualty_numbers(norm: str) -> tuple[list[int], list[int]]:
    killed: list[int] = []
    injured: list[int] = []
    if not _CASUALTY_WORD.search(norm):
        return killed, injured
    norm = _IF_CLAUSE.on(norm).sub(lambda m: " " * len(m.group(0)), norm)

    def put(word: str, token: str) -> None:
        value = parse_number(token)
        if value is None:
            return
        is_kill = re.match(_KILL + r"|death|مقتل|قتل|استشهاد|مصرع|قتلى|قتيل", word) is not None
        (killed if is_kill else injured).append(value)

    for m in _SUBJECT_VERB.finditer(norm):
        if not lx.ANY_WEAPON.search(m.group(2)):
            put(m.group(3), m.group(1))
    for m in _VERB_OBJECT.finditer(norm):
        put(m.group(1), m.group(2))
    for m in _NUM_STATE.finditer(norm):
        put(m.group(2), m.group(1))
    for m in _TOLL.finditer(norm):
        put(m.group(1), m.group(2))
    for m in _VERB_INDEFINITE.finditer(norm):
        # The Latin and Arabic alternatives each have two groups; one pair matched.
        word, persons = (g for g in m.groups() if g is not None)
        # "a woman and a girl" has two articles; امراه وطفله joins two nouns with و.
        joined = 1 + len(_AR_AND.findall(persons))
        put(word, str(max(len(_INDEFINITE_WORD.findall(persons)), joined)))
    for m in _PASSIVE_INDEFINITE.finditer(norm):
        put(m.group(1), "1")
    for m in _AR_HURT_VERB.finditer(norm):
        put("wounded", m.group(1))
    for m in _AR_KILL_VERB.finditer(norm):
        put("killed", m.group(1))
    for m in _AR_NUM_NOUN.finditer(norm):
        put(m.group(2), m.group(1))
    for m in _AR_DUAL_PERSON.finditer(norm):
        put(m.group(1), "2")
    for m in _VERB_THE_PERSON.finditer(norm):
        put(m.group(1), "1")
    for m in _ONLY_ONE.finditer(norm):
        what = next(g for g in m.groups() if g)
        # "casualty" is a wound unless the sentence says the one died.
        dead = re.search(r"fatality|death|killed", what) or (
            what == "casualty" and re.search(_KILL, norm) and not re.search(_HURT, norm)
        )
        put("killed" if dead else "wounded", "1")
    return killed, injured


def _zero(pattern: Bilingual, norm: str) -> bool:
    for m in pattern.finditer(norm):
        qualifier = " ".join(g for g in m.groups() if g)
        tail = norm[m.end() : m.end() + 30]
        if qualifier and _SUBGROUP.search(qualifier):
            continue
        if re.match(r"\s+(?:among|to|in\s+the\s+ranks|for)\b|\s+في\s+صفوف", tail):
            continue
        return True
    return False


def extract_casualties(readings: list[Reading]) -> tuple[int | None, int | None]:
    """(killed, injured): stated numbers win; an explicit "no casualties" is 0; silence None."""
    killed: list[int] = []
    injured: list[int] = []
    zero_killed = zero_injured = False
    for reading in _in_scope(readings):
        norm = _own(reading)
        k, i = _casualty_numbers(norm)
        killed += k
        injured += i
        if _zero(_ZERO_BOTH, norm):
            zero_killed = zero_injured = True
        if _zero(_ZERO_KILLED, norm):
            zero_killed = True
    return (
        max(killed) if killed else (0 if zero_killed else None),
        max(injured) if injured else (0 if zero_injured else None),
    )


def _target_like(norm: str, start: int) -> bool:
    if _DESCRIBES.search(norm[max(0, start - 40) : start]):
        return False
    return _TARGET_PREP.search(norm[max(0, start - 60) : start]) is not None


def _struck_landmarks(readings: list[Reading]) -> list[Landmark]:
    doubted: set[str] = set()
    for reading in readings:
        norm = reading.sentence.norm
        if _DOUBT.search(norm) and _DOUBT_TARGET.search(norm):
            doubted.update(m.landmark.name for m in reading.targets if m.landmark)
            doubted.update(m.landmark.name for m in reading.mentions if m.landmark is not None)
    found: list[Landmark] = []
    hosts: list[Landmark] = []
    events = _events(readings)
    # Where blasts were heard is not what was aimed at, when a sentence says what was fired.
    fired = [r for r in events if r.trigger != "blast"]
    for reading in fired or events:
        for mention in reading.mentions:
            lm = mention.landmark
            if lm is None or lm.name in doubted or lm in found:
                continue
            if any(start <= mention.start < end for start, end in reading.past):
                continue
            if not _target_like(reading.sentence.norm, mention.start):
                continue
            if _DEFENCE_HOST.search(
                reading.sentence.norm[max(0, mention.start - 40) : mention.start]
            ):
                hosts.append(lm)
            else:
                found.append(lm)
    # The site of the interceptor is the target only when the report names no other: "the
    # C-RAM at the embassy shot down a drone" (embassy) against "rockets fired at the zone;
    # the C-RAM at the embassy downed two" (zone).
    aimed_at_zone = any(m.kind == "zone" for r in fired or events for m in r.targets)
    return found or ([] if aimed_at_zone else hosts)


def extract_target(readings: list[Reading], zone: Zone) -> tuple[str, Location | None]:
    """The most specific site struck (first named), else the zone; and where, if known."""
    landmarks = _struck_landmarks(readings)
    specific = [lm for lm in landmarks if lm.target != zone.name]
    target = specific[0].target if specific else zone.name
    location = (
        Location(landmarks[0].name, landmarks[0].lat, landmarks[0].lon) if landmarks else None
    )
    return target, location


def extract_landmarks(readings: list[Reading]) -> tuple[str, ...]:
    names: list[str] = []
    for reading in _events(readings):
        for mention in reading.mentions:
            if mention.landmark is not None and mention.landmark.name not in names:
                names.append(mention.landmark.name)
    return tuple(names)


def _clean_name(name: str) -> str | None:
    name = squeeze(name).strip(" \"'“”‘’,.-")
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s$|’s$", "", name)
    if not name or name.lower() in _NOT_NAMES or len(name) > 80:
        return None
    return name


def _claim_in(text: str, norm: str) -> str | None:
    claim_at = re.search(r"\bclaim|تبن|مسؤوليت", norm)
    if claim_at is None:
        return None
    if _CLAIM_NEG.search(norm[max(0, claim_at.start() - 40) : claim_at.start() + 12]):
        return None
    for pattern in _CLAIM_EN:
        if (m := pattern.search(text)) and (name := _clean_name(m.group("name"))):
            return name
    index = offsets(text)
    for pattern in _CLAIM_AR:
        if (m := pattern.search(norm)) and m.end("name") <= len(index):
            original = text[index[m.start("name")] : index[m.end("name") - 1] + 1]
            if name := _clean_name(original):
                return name
    return None


def extract_claim(readings: list[Reading]) -> str | None:
    """Who claimed this attack: only an explicit claim in a sentence about this incident."""
    for reading in _in_scope(readings):
        if any(m.kind == "elsewhere" for m in reading.mentions):
            continue
        if name := _claim_in(reading.sentence.text, reading.sentence.norm):
            return canonical_claimant(name)
    return None


def extract_damage(readings: list[Reading]) -> str | None:
    """The clause that describes material damage to this incident's site, if any."""
    for reading in _in_scope(readings):
        norm = reading.sentence.norm
        if _DAMAGE_UNKNOWN.search(norm):
            continue
        for m in _DAMAGE.finditer(norm):
            if _DAMAGE_NEG.search(norm[max(0, m.start() - 70) : m.start()]):
                continue
            text = reading.sentence.text
            index = offsets(text)
            start = max(norm.rfind(",", 0, m.start()), norm.rfind(";", 0, m.start())) + 1
            ends = [e for e in (norm.find(",", m.end()), norm.find(";", m.end())) if e >= 0]
            end = min(ends) if ends else len(norm)
            if end > len(index) or start >= len(index):
                return squeeze(text)[:200]
            clause = squeeze(text[index[start] : index[end - 1] + 1]).rstrip(".")
            return _LINK_WORD.sub("", clause)[:200]
    return None
