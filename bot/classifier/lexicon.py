"""Word lists as patterns on normalised text (lower case, Arabic folded, hyphens as spaces).

English patterns use word boundaries; Arabic ones match stems, since Arabic words carry
attached prefixes (و ب ف ل ال) and suffixes.
"""

from __future__ import annotations

import re

from bot.classifier.bilingual import Bilingual
from bot.classifier.normalize import normalize_arabic


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(normalize_arabic(pattern))


class Gated:
    """A pattern behind a cheap gate: it is only run when one of its anchor strings occurs.

    Every match must contain an anchor, so the gate never changes a result; it only skips
    the regex engine on the many sentences that cannot match. ASCII text is searched with the
    pattern's Latin alternatives alone: the Arabic ones cannot match it, and trying them at
    every position costs more than the Latin ones.
    """

    __slots__ = ("anchors", "latin_anchors", "regex")

    def __init__(self, latin: str, full: str, anchors: str) -> None:
        self.regex = Bilingual(latin, normalize_arabic(full))
        # "_" in an anchor stands for a space ("عاده_ما"): a word alone would open too often.
        self.anchors = tuple(normalize_arabic(a.replace("_", " ")) for a in anchors.split())
        self.latin_anchors = tuple(a for a in self.anchors if a.isascii())

    def _open(self, text: str) -> re.Pattern[str] | None:
        # A plain loop: any() over a generator costs more than the substring tests themselves.
        if text.isascii():
            for anchor in self.latin_anchors:
                if anchor in text:
                    return self.regex.latin
            return None
        for anchor in self.anchors:
            if anchor in text:
                return self.regex.full
        return None

    def search(self, text: str) -> re.Match[str] | None:
        pattern = self._open(text)
        return pattern.search(text) if pattern is not None else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        pattern = self._open(text)
        return list(pattern.finditer(text)) if pattern is not None else []

    def findall(self, text: str) -> list[str]:
        return [m.group(0) for m in self.finditer(text)]


def gated(latin: str, arabic: str, anchors: str) -> Gated:
    """A gated pattern whose top-level alternatives are `latin`, then `arabic`."""
    return Gated(latin, f"{latin}|{arabic}", anchors)


# Weapon nouns, by the weapon they name (anchors: strings every match contains).
_WEAPONS_RAW = {
    "rocket": (
        r"\b(?:rockets?|katyushas?|grad)\b",
        r"صاروخ(?!\s+باليستي)|صواريخ(?!\s+باليستي)|كاتيوشا|غراد",
        "rocket katyusha grad صاروخ صواريخ كاتيوشا غراد",
    ),
    "missile": (
        r"\bmissiles?\b",
        r"صاروخ\s+باليستي|صواريخ\s+باليستي|صواريخ\s+كروز",
        "missile باليستي كروز",
    ),
    "drone": (
        r"\b(?:drones?|uavs?|quadcopters?|unmanned\s+aerial)\b",
        r"طائر\S*\s+(?:\S+\s+)?مسير|مسيرات|\bدرون",
        "drone uav quadcopter unmanned مسير درون",
    ),
    "mortar": (r"\bmortars?\b", r"هاون", "mortar هاون"),
    "ied": (
        r"\b(?:ieds?|roadside\s+bombs?|car\s+bombs?|explosive\s+devices?|bombs?)\b",
        r"عبو\S*\s+ناسف|سياره\s+مفخخه",
        "ied bomb device ناسف مفخخه",
    ),
    "gunfire": (
        r"\b(?:gunfire|gunmen|sniper|shooting|shots\s+fired)\b",
        r"اطلاق\s+(?:ال)?نار|رصاص|اطلق\S*\s+(?:\S+\s+){0,3}?(?:ال)?نار(?![\u0621-\u064a])"
        r"|هجوم\s+مسلح|(?:اسلحه|سلاح)\s+(?:ال)?(?:رشاش|قناص)|مسلحون|مسلحين\s+مجهولين",
        "gunfire gunmen sniper shooting shots نار رصاص مسلح رشاش قناص",
    ),
}
WEAPONS: dict[str, Gated] = {k: gated(en, ar, a) for k, (en, ar, a) in _WEAPONS_RAW.items()}
ANY_WEAPON = Gated(
    "|".join(f"(?:{en})" for en, _, _ in _WEAPONS_RAW.values()),
    "|".join(f"(?:{en}|{ar})" for en, ar, _ in _WEAPONS_RAW.values()),
    " ".join(a for _, _, a in _WEAPONS_RAW.values()),
)
# Projectile-ish nouns that do not name a weapon type.
VOLLEY = gated(
    r"\b(?:salvos?|salvoes|volleys?|barrages?|projectiles?)\b",
    r"مقذوف|رشق",
    "salvo volley barrage projectile مقذوف رشق",
)
KATYUSHA = _p(r"katyusha|كاتيوشا")

# Attack predicates: something was fired, fell, struck, or was shot down.
PREDICATE = gated(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|land(?:ed|s|ing)|str(?:uck|ike|ikes|iking)"
    r"|hit(?:s|ting)?|target(?:ed|ing|s)?|slam(?:med|s|ming)?|crash(?:ed|es|ing)?|fell|fall(?:s|ing)?"
    r"|came\s+down|come\s+down|tore\s+into|rain(?:ed)?\s+down|explod(?:ed|es|ing)"
    r"|impact(?:ed|s)?|attack(?:ed|s|ing)?|shell(?:ed|ing)|pound(?:ed|ing)"
    r"|(?:flown|sent|directed|aimed|hurled|lobbed|heading|headed)\s+(?:at|towards?|into|for)"
    r"|shot\s+down|shoot\s+down|downed|brought\s+down|intercept(?:ed|s|ing)?"
    r"|destroyed\s+in\s+(?:the\s+)?(?:air|flight|mid\s?air)|came\s+under)\b",
    r"سقط|سقوط|تسقط|استهدف|استهداف|يستهدف|تستهدف|اطلق|اطلاق|انطلق|قصف|اسقاط|اعتراض|اعترض|تصدت"
    r"|هجوم|هاجم|اصابت\s|انفجر|(?<![\u0621-\u064a])(?:[وف]?(?:ي|ت)?(?:طال|ضرب|ضربت))(?![\u0621-\u064a])",
    "fir launch land stru strike hit target slam crash fell fall came come tore rain explod"
    " impact attack shell pound flown sent directed aimed hurled lobbed heading headed shot"
    " shoot downed brought intercept destroyed سقط سقوط تسقط استهدف استهداف يستهدف تستهدف "
    "اطلق اطلاق انطلق قصف اسقاط اعتراض اعترض تصدت هجوم هاجم اصابت انفجر طال ضرب",
)
INTERCEPT = gated(
    r"\b(?:shot\s+down|shoot\s+down|shooting\s+down|downed|downing|brought\s+down"
    r"|bringing\s+down|intercept(?:ed|s|ing)?"
    r"|(?:shot|shooting|brought|bringing)\s+(?:[a-z\d']+\s+){1,4}?down"
    r"|destroyed\s+(?:(?:[\w']+\s+){1,2}(?:of\s+(?:them|the\s+\w+)\s+)?)?in\s+(?:the\s+)?"
    r"(?:air|flight|mid\s?air)|engaged\s+and\s+destroyed)\b",
    r"اسقاط|اسقط|اعتراض|اعترض|تصدت|تدمير\S*\s+في\s+الجو",
    "shot shoot downed downing brought bringing intercept destroyed engaged اسقاط اسقط اعتراض "
    "اعترض تصدت تدمير",
)
BLAST = gated(
    r"\b(?:explosions?|blasts?(?!\s+walls?)|bangs|detonations?|impacts?|sounds\s+of\s+impacts?)\b",
    r"انفجار|دوي|انفجارات",
    "explosion blast bang detonation impact انفجار دوي",
)
ATTACK_NOUN = gated(
    r"\b(?:attacks?|strikes?|assault|assassination\s+attempt|attempt\s+on)\b",
    r"هجوم|اعتداء|محاوله\s+اغتيال",
    "attack strike assault attempt هجوم اعتداء محاوله",
)

# The event did not happen, was prevented, or is imagined.
NEGATION = _p(
    r"\b(?:no|not|nothing|never|without|none|neither|nor)\b(?:\s+\S+){0,3}?\s*$"
    r"|(?:^|\s)(?:لم|لا|دون|بدون|عدم)(?:\s+\S+){0,1}?\s*$"
)
FOILED = gated(
    r"\b(?:foil(?:ed|s|ing)?|thwart(?:ed|s|ing)?|defus(?:ed|e|es|ing)|dismantl(?:ed|e|es|ing)"
    r"|made\s+(?:it\s+|them\s+)?safe|before\s+(?:it|they)\s+(?:was|were|could|had)\b"
    r"(?:\s+(?:be|been))?(?:\s+(?:fired|launched|used))?"
    r"|prior\s+to\s+(?:launch|firing)|primed\s+(?:to|for)\s+(?:launch|fir)"
    r"|ready\s+(?:to\s+be\s+)?(?:fired|launched|for\s+launch)"
    r"|(?:due|set|about|timed)\s+to\s+(?:be\s+)?(?:fire|fired|launch|launched|go\s+off)"
    r"|failed\s+to\s+(?:launch|fire|go\s+off)"
    r"|(?:failed|foiled|thwarted|abortive)\s+(?:attempt|bid|plot|plan)\s+to\s+(?:launch|fire|attack|target|strike)"
    r"|(?:no|none\s+of\s+the)\s+(?:\S+\s+)?(?:rockets?|missiles?|drones?|shells?|mortars?|projectiles?)"
    r"\s+(?:were|was|had\s+been|have\s+been)\s+(?:actually\s+)?(?:launched|fired))",
    r"احباط|احبط|تفكيك|فكك|ابطال\s+مفعول|قبل\s+(?:ال)?(?:اطلاق|انطلاق)|معد\S*\s+(?:لل)?اطلاق"
    r"|جاهز\S*\s+(?:لل)?اطلاق|لم\s+(?:ي|ت)نطلق|لم\s+(?:يتم|تتم)\s+اطلاق"
    r"|فاشله\s+ل(?:اطلاق|استهداف|قصف)",
    "foil thwart defus dismantl safe before prior primed ready due set about timed failed "
    "launched fired احباط احبط تفكيك فكك ابطال قبل معد جاهز نطلق اطلاق فاشله",
)
# Something was actually fired, fell, struck or was shot down (not "to fire", "be launched").
# A foiled or failed attack in a sentence that says so was not prevented: it missed.
FIRED = gated(
    r"(?<!\bto\s)(?<!\bbe\s)\b(?:fired|launched|landed|struck|hit|fell|exploded|detonated"
    r"|shot\s+down|downed|intercepted|crashed|slammed|impacted|came\s+down|rained\s+down"
    r"|tore\s+into|targeted|shooting\s+down|downing|intercepting|bringing\s+down)\b",
    r"(?<![\u0621-\u064a])[وف]?(?:اطلقت|اطلق|انطلقت|انطلق|سقطت|سقط|سقوط|انفجرت|انفجر|اسقطت"
    r"|اسقط|اسقاط|اعترضت|اعترض|تصدت|ضربت|استهدفت|استهدف)(?![\u0621-\u064a])",
    "fired launched landed struck hit fell exploded detonated shot downed intercepted crashed"
    " slammed impacted came rained tore targeted shooting downing intercepting bringing اطلق"
    " انطلق سقط سقوط انفجر اسقط اسقاط اعترض تصدت ضربت استهدف",
)
# Weapons found or seized: no attack unless the sentence also says something was fired or fell.
FOUND = gated(
    r"\b(?:found|find|discovered|seized|seize|uncovered|recovered|confiscated|located|raided)\s+"
    r"(?:\S+\s+){0,5}?(?:rockets?|katyushas?|launch(?:ers?|\s+(?:pads?|platforms?|rails?|tubes?))"
    r"|mortars?|drones?|missiles?|explosives?)\b",
    r"(?:ضبط|ضبطت|العثور\s+على|عثر\S*\s+على)\s+(?:\S+\s+){0,4}?"
    r"(?:منص|صاروخ|صواريخ|قذائف|قذيف|قاذف|مسير|طائر)",
    "found find discovered seized seize uncovered recovered confiscated located raided "
    "ضبط عثر العثور",
)
# Predicates that only say where a weapon pointed or was meant to go: no impact, no launch.
INTENT = _p(
    r"^(?:aimed|directed|heading|headed|primed|flown|sent)\b|^(?:fire|firing|launch|launching"
    r"|target|targets|اطلاق)$"
)
DRILL = gated(
    r"\b(?:drills?|exercises?|simulation|rehearsal|(?:siren|alarm)s?\s+tests?"
    r"|test(?:s|ed|ing)?\s+(?:of\s+)?(?:its|the|their|an?|our|this)?\s*(?:[\w']+\s+){0,4}?"
    r"(?:sirens?|alarms?|warning|systems?|defen[cs]es?|c\s?rams?|shield|batter(?:y|ies))"
    r"|this\s+is\s+(?:only\s+)?a\s+test|(?:a|routine|scheduled|planned|periodic)\s+test)\b",
    r"تمرين|تمارين|محاكاه|مناوره"
    r"|(?:تجربه|اختبار)\s+(?:\S+\s+){0,2}?(?:ل|ال|لل)?(?:صافر|منظوم|سي\s?رام|دفاع|دوري)",
    "drill exercise simulation rehearsal test تمرين تمارين تجربه اختبار محاكاه مناوره",
)
# The text says the zone was not attacked: a test, an accident, a denial.
DENIAL = gated(
    r"\b(?:(?:was|is|were|are)\s+not\s+(?:the\s+result\s+of\s+)?(?:an?\s+)?(?:[\w']+\s+)?attack"
    r"|no\s+(?:[\w']+\s+)?attack\s+(?:took\s+place|occurred|happened|had\s+(?:taken\s+place|occurred))"
    r"|there\s+(?:was|had\s+been)\s+no\s+(?:[\w']+\s+)?attack"
    r"|passed\s+(?:off\s+)?without\s+(?:any\s+)?incident|rather\s+than\s+an?\s+attack"
    r"|denied\s+(?:that\s+)?(?:there\s+had\s+been\s+)?(?:any\s+)?(?:[\w']+\s+)?attack)\b",
    r"(?:ليست|ليس)\s+(?:\S+\s+)?(?:هجوم|قصف|استهداف)|عدم\s+(?:\S+\s+)?(?:تعرض|وقوع|حدوث)"
    r"|لم\s+(?:ت|ي)تعرض|(?:لا|لم)\s+(?:يوجد|يكن\s+هناك|يحدث|يقع)\s+(?:اي\s+)?(?:هجوم|قصف|استهداف)"
    r"|نف\S*\s+(?:\S+\s+){0,2}?(?:تعرض|وقوع|حدوث)",
    "attack incident ليست ليس عدم تعرض يوجد يكن يحدث يقع وقوع حدوث",
)
HYPOTHETICAL = gated(
    r"\b(?:could|would|might|will|threat(?:en|ened|ens)|warn(?:ed|s|ing)?\s+(?:of|that)"
    r"|plan(?:ned|ning|s)?\s+to|if|risked|vow(?:ed|s)?|prepar(?:ing|ed)\s+to"
    r"|may\s+(?:attempt|try|seek|plan|launch|target|strike|attack|carry\s+out|resume)"
    r"|in\s+the\s+(?:coming|next\s+few)\s+(?:hours|days|weeks|months))\b",
    # قد before a past verb is "already" (كانت ... قد افادت), only before a present one "may".
    r"(?:^|\s)قد\s+(?=[يتن])(?!تم(?:\s|$))(?!\S*(?:ت|وا)(?:\s|$))"
    r"|(?:^|\s)(?:سوف|يهدد|تهديد|تهدد|في\s+حال|لو|اذا|[وف]?(?:هدد|هددت|توعد|توعدت|يتوعد))"
    r"(?:\s|$)|(?:الايام|الساعات|الاسابيع)\s+(?:المقبله|القادمه)",
    "could would might will threat warn plan if risked vow prepar may coming next قد سوف يهدد "
    "تهديد تهدد حال لو اذا هدد توعد المقبله القادمه",
)
# Conditions and warnings hang over the whole sentence, whichever clause holds them.
CONDITIONAL = gated(
    r"\b(?:unless|ultimatum|warn(?:ed|s|ing)?\s+(?:[\w']+\s+){0,4}?(?:that|of|it\s+(?:will|would)))\b",
    # A threat of more attacks looks ahead from the one reported (متوعده بمزيد من الهجمات).
    r"ما\s+لم|(?:حذر|تحذير|هدد|توعد)\S*\s+(?!ب?(?:ال)?مزيد)(?:\S+\s+){0,3}?(?:من|بان|ب)"
    r"|(?:هدد|توعد|يهدد|يتوعد|تهدد|تتوعد)\S*\s+(?!ب?(?:ال)?مزيد)(?:\S+\s+){0,7}?"
    r"ب(?:استهداف|قصف|ضرب|شن|مهاجمه|هجمات|عمليات|الرد)",
    "unless ultimatum warn لم حذر تحذير هدد توعد",
)
# Words that put an attack in the past or make it one of many.
BACKGROUND = gated(
    r"\b(?:previously(?!\s+(?:unknown|obscure|little|unheard))|formerly|earlier\s+(?:this|last|in\s+the)\s+(?:year|month|week)"
    r"|in\s+recent\s+(?:days|weeks|months|years)|recent\s+(?:weeks|months|years)"
    r"|within\s+(?:days|hours|weeks|months)\s+of|keeps?\s+(?:on\s+)?[a-z]+ing"
    r"|(?:previous|most\s+recent|prior|last\s+major)\s+(?:[\w']+\s+){0,2}?(?:attacks?|strikes?"
    r"|salvos?|barrages?|incidents?|assaults?)"
    r"|last\s+(?:week|month|year|summer|winter|spring|autumn)|(?:weeks|months|years)\s+ago"
    r"|the\s+previous\s+(?:week|month|year)|in\s+the\s+past|anniversary|(?:years?|months?)\s+(?:since|after|on\b)|marks?\s+(?:a|one|two|the)\s+(?:year|anniversary)|a\s+(?:series|string|spate|wave|run|flurry)\s+of"
    r"|dozens\s+of|scores\s+of|hundreds\s+of|repeatedly|regularly|frequently|often|routinely"
    r"|(?:frequent|regular|repeated|favou?rite|common|constant|prime|perennial)\s+targets?"
    r"|(?:almost|near)\s+daily|several\s+times|many\s+times|numerous|such\s+attacks"
    r"|(?:have|has|had)\s+(?:also\s+)?(?:been\s+)?(?:targeted|hit|attacked|struck)\s+(?:by\s+)?(?:several|many|multiple|dozens|repeated|numerous|\d+)"
    r"|(?:have|has)\s+been\s+(?:targeted|hit|fired|struck|attacked|shelled)"
    r"|(?:have|has)\s+come\s+under|(?:most|many|some)\s+of\s+(?:the|these|those)\s+(?:[\w']+\s+)?(?:attacks|strikes|incidents|salvos|assaults)"
    r"|(?:at\s+least\s+)?\d+\s+(?:such\s+|rocket\s+|drone\s+|mortar\s+)?attacks|since\s+(?:mid\s+|early\s+|late\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december|\d{4}))\b",
    r"(?<!معروفه\s)(?<!معروف\s)سابقا|في\s+وقت\s+سابق\s+من\s+(?:العام|الشهر)|(?<!الليله\s)(?<!مساء\s)(?<!صباح\s)الماضي(?!ه)|الماضيه(?<!الليله\sالماضيه)"
    r"|منذ(?!\s+(?:ساعات|ساعه|دقائق))|عشرات|سلسله|مرات\s+عده|متكرره|ذكرى|خلال\s+(?:الاسابيع|الاشهر|الايام)"
    r"|بعد\s+(?:نحو\s+|قرابه\s+|حوالي\s+)?(?:شهر|شهرين|اشهر|اسبوع|اسبوعين|اسابيع|عام|عامين|سنه|ايام)"
    r"\s+(?:من|على)|(?:هجوم|قصف|استهداف|اعتداء)\S*\s+(?:\S+\s+)?مماثل"
    r"|(?<![\d.])\d+\s+(?:هجوما|هجمات)|خلال\s+(?:عام\s+|العام\s+)?(?:19|20)\d\d",
    "previously formerly earlier recent last ago previous past anniversary year month mark "
    "within keep prior series string "
    "spate wave run flurry dozens scores hundreds repeated regular frequent often "
    "favourite_target favorite_target common_target constant_target prime_target "
    "perennial_target "
    "routinely daily several many numerous such have has had most some attacks since سابق "
    "الماضي منذ عشرات سلسله مرات متكرره ذكرى خلال بعد مماثل هجوما هجمات",
)
# Habits and court cases: what usually happens, or a trial over an attack, is no new attack.
# Kept apart from BACKGROUND so that its narrow gate spares most sentences the regex.
HABIT_OR_TRIAL = gated(
    r"\b(?:usually|typically|habitually|tends?\s+to"
    r"|(?:have|has|had)\s+(?:\w+\s+)?(?:mostly|largely|mainly|generally|commonly|long|increasingly)"
    r"|(?:mostly|largely|mainly|generally|commonly)\s+(?:target|hit|strike|land|fall|come)s?"
    r"|sentenc(?:ed|ing)|convict(?:ed|ion|ions)|verdicts?|acquitt(?:ed|al)|indicted|jail(?:ed|s)"
    r"|(?:on|stood|stand|goes\s+on)\s+trial|trial\s+of|life\s+(?:imprisonment|in\s+prison)"
    r"|similar\s+(?:[a-z]+\s+)?(?:attacks?|strikes?|incidents?|salvos?))\b",
    r"غالبا\s+ما|عاده\s+ما|كثيرا\s+ما|طالما"
    r"|حكم\S*\s+(?:\S+\s+){0,3}?(?:بالاعدام|بالسجن)|ادانه|محاكمه|المؤبد|المحكمه\s+الجنائيه",
    "usually typically habitually tend mostly largely mainly generally commonly _long increasingly "
    "sentenc convict verdict acquitt indicted jail trial prison similar غالبا عاده_ما كثيرا_ما "
    "طالما بالاعدام بالسجن ادانه محاكمه المؤبد المحكمه",
)
# Cues that put what a sentence tells in the past wherever they stand in it (unlike the
# "one of many" words above, which only count in the deciding clause).
PAST_CUE = gated(
    r"\b(?:(?:years?|months?|weeks?)\s+(?:ago|after|since|on|earlier|before)|anniversary"
    r"|previously(?!\s+(?:unknown|obscure|little|unheard))|in\s+the\s+past"
    r"|within\s+(?:days|hours|weeks|months)\s+of"
    r"|(?:previous|most\s+recent|prior|last\s+major)\s+(?:[\w']+\s+){0,2}?(?:attacks?|strikes?"
    r"|salvos?|barrages?|incidents?|assaults?))\b",
    r"ذكرى|(?<!معروفه\s)(?<!معروف\s)سابقا|منذ\s+(?:عام|سنه|اشهر|اعوام|سنوات)|(?:الهجوم|القصف|الاستهداف)\s+(?:الاخير|السابق)"
    r"|(?:^|\s)اخر\s+(?:هجوم|قصف|استهداف|اعتداء)\S*\s+(?:\S+\s+){0,4}?(?:يعود|كان|وقع)",
    "year month week anniversary previously past within previous recent prior major ذكرى "
    "سابقا منذ الاخير السابق اخر_هجوم اخر_قصف اخر_استهداف اخر_اعتداء",
)
# Sentences about other happenings: protests, clashes, strikes by the US, the wider war.
OTHER_EVENT = gated(
    r"\b(?:protest(?:s|ers|ed|ing)?|demonstrat(?:ion|ions|ors|ed|ing)|clash(?:es|ed)?|riot"
    r"|tear\s+gas|sit\s+in|rall(?:y|ied|ies)|march(?:ed|es)|air\s?strikes?|us\s+strikes?"
    r"|retaliat\w*|self\s+defen[cs]e\s+strike|crowds?)\b",
    r"تظاهر|متظاهر|احتجاج|محتج|اعتصام|اشتباك|مواجهات|تجمع|الغاز\s+المسيل|غارات|غاره",
    "protest demonstrat clash riot tear sit rall march strike retaliat defen crowd تظاهر "
    "متظاهر احتجاج محتج اعتصام اشتباك مواجهات تجمع الغاز غار",
)
# Words of film, fiction and games: several different ones make an article a review or a
# story, and the attacks it describes are plot, not news. Each match is keyed by its first
# four letters, so "film" and "films" count once.
FICTION = gated(
    r"\b(?:films?|movies?|thrillers?|box\s+office|starring|hollywood|screenplay|cinemas?"
    r"|cinematic|documentary|novelist|(?:the|a|his|her|debut)\s+novel|episodes?|sitcom"
    r"|video\s+games?|actors?|actress(?:es)?|premiered?|streaming\s+(?:services?|now|on|platforms?)"
    r"|opens\s+with|(?:the|its|among\s+the)\s+cast|watchlist|(?:tv|drama|mini)\s*series"
    r"|(?:the|this|her|his|its)\s+(?:author|plot|protagonist|heroine|hero|climax|prose|reader)"
    r"|(?:the|this|a)\s+book(?:'s)?|chapters?|\d+\s+pages"
    r"|(?:the|this|its)\s+(?:show|series)(?:'s)?|(?:the|its|the\s+show's)\s+(?:writers|characters"
    r"|finale|season)|streams\s+(?:from|on)|(?:second|first|new)\s+season)\b",
    r"فيلم|افلام|سينما|مسلسل|الممثل|ممثله|شباك\s+التذاكر|هوليوود|وثائقي|لعبه\s+فيديو"
    r"|العرض\s+الاول|درام|حلق(?=ه|ته|ات|تها)|مخرج\s+(?:ال)?(?:عمل|مسلسل|فيلم)|متخيل|الشاشه"
    r"|السيناريو|الروايه|الموسم\s+(?:الاول|الثاني|الجديد)|شخصيات\s+(?:العمل|المسلسل)",
    "film movie thriller box starring hollywood screenplay cinema documentary novel episode "
    "sitcom video actor actress premiere streaming opens cast watchlist series author plot "
    "protagonist hero climax prose reader book chapter pages فيلم افلام سينما "
    "مسلسل الممثل ممثله التذاكر هوليوود وثائقي فيديو العرض درام حلق مخرج متخيل الشاشه "
    "السيناريو الروايه show series writers characters finale season streams الموسم شخصيات",
)
UNKNOWN_WEAPON = gated(
    r"\b(?:too\s+(?:early|soon)\s+to\s+say\s+what|unclear\s+(?:what|whether|if)"
    r"|not\s+(?:yet\s+|immediately\s+)?clear\s+(?:what|whether|if)"
    r"|type\s+of\s+(?:attack|weapon|projectile)|(?:unidentified|unknown)\s+(?:projectile|object)s?"
    r"|what\s+(?:was|had\s+been)\s+(?:fired|used)|(?:what|which)\s+(?:kind|type|sort)\s+of"
    r"|(?:unsure|uncertain|not\s+(?:yet\s+)?(?:sure|certain))\s+(?:yet\s+)?(?:if|whether|what)"
    r"|(?:do|does|did)\s+not\s+(?:yet\s+)?know\s+(?:yet\s+)?(?:if|whether|what)"
    r"|(?:yet|failed|unable)\s+to\s+(?:determine|establish|identify)\s+(?:if|whether|what))\b",
    r"نوع\s+(?:الهجوم|السلاح|المقذوف)|لم\s+(?:يعرف|يتضح|تتضح|يعرف\s+بعد)\s+(?:نوع|طبيعه)"
    r"|(?:مقذوف|جسم)\S*\s+(?:مجهول|غريب)|(?:لا|لم)\s+(?:ن|ي|ت)?(?:عرف|علم|تضح|تبين)\S*\s+(?:\S+\s+){0,2}?ما\s+اذا",
    "early soon unclear clear type unidentified unknown what kind_of sort_of sure_ certain_ "
    "know_ to_determine to_establish to_identify نوع طبيعه مجهول غريب ما_اذا",
)
ANAPHOR = gated(
    r"\b(?:the|this|that|friday's|saturday's|sunday's|monday's|tuesday's|wednesday's|thursday's"
    r"|today's|yesterday's|night's|morning's)\s+(?:rocket\s+|drone\s+|mortar\s+)?(?:attack|strike|salvo|fire|rockets|drones|launch|assault)\b"
    r"|\b(?:the|this)\s+(?:incident|blast|explosion)\b",
    r"الهجوم|القصف|الاستهداف|الحادث",
    "attack strike salvo fire rockets drones launch assault incident blast explosion الهجوم"
    " القصف الاستهداف الحادث",
)
# A threat, warning, fear or deadline that governs the attack noun: the attack is not (yet) real.
# Quote marks may sit between the cue and its object ("an "elevated threat" of rocket fire").
_GAP = r"(?:(?!and\b|or\b|after\b|before\b|as\b|when\b|while\b|but\b|since\b)[^\s,;]+\s+){0,5}?"
_THREAT_OBJECT = (
    r"(?:attacks?|rockets?|drones?|missiles?|mortars?|strikes?|shelling|fire|assaults?"
    r"|retaliation|reprisals?)\b"
)
THREAT = gated(
    r"\b(?:(?:threats?|warnings?|warn(?:s|ed)?|alerts?|fears?|feared|fearing|risks?|dangers?"
    r"|deadline|ultimatum|concerns?|braced?|bracing|possibility|likelihood|prospect)"
    r"[\"'”’)]*\s+(?:[\"'“‘(]*[a-z]+[\"'”’)]*\s+)?(?:of|about|over|for|that|regarding|against"
    r"|to)\s+"
    rf"|(?:possible|potential|imminent|impending|feared|threatened|expected)\s+){_GAP}"
    rf"{_THREAT_OBJECT}",
    r"(?:تهديد|تهديدات|تحذير|تحذيرات|تحسب|تحسبا|مخاوف|خشيه|تخوف|تخوفات|احتمال|احتماليه|مهله"
    r"|محتمل|محتمله|وشيك|وشيكه)\S*\s+(?:\S+\s+){0,4}?\S*(?:هجوم|هجمات|صاروخ|صواريخ|قصف"
    r"|استهداف|مسير|هاون|اعتداء)",
    "threat warn alert fear risk danger deadline ultimatum concern brac possib likelihood "
    "prospect potential imminent impending expected تهديد تحذير تحسب مخاوف خشيه تخوف احتمال "
    "مهله محتمل وشيك",
)
# Cessation: the attacks stopped, ceased or have not happened since (negation by a verb).
CESSATION = gated(
    r"\b(?:(?:rockets?|attacks?|fire|shelling|strikes|drones?|launches|mortars?|missiles?"
    r"|barrages)(?:\s+[^\s.;]+){0,8}?\s+(?:(?:has|have|had)\s+)?(?:(?:all\s+but|largely|mostly"
    r"|virtually|almost|effectively|practically|now|long|since)\s+)?(?<!was\s)(?<!were\s)"
    r"(?<!been\s)(?:stopped|ceased|halted|ended|dried\s+up|subsided|abated|died\s+down"
    r"|petered\s+out|came\s+to\s+(?:an\s+end|a\s+halt|a\s+stop))"
    r"|(?:stopp?(?:ed|ing|s)?|ceas(?:e|ed|es|ing)|halt(?:ed|s|ing)?|end(?:ed|s|ing)?"
    r"|(?:an\s+end|a\s+halt|a\s+stop|a\s+pause)\s+to)\s+(?:(?:the|their|its|all|further|any)\s+)?"
    r"(?:(?:rocket|drone|mortar|missile)\s+)?(?:falling|landing|firing|launching|attacks?"
    r"|attacking|shelling|strikes|targeting|fire)"
    r"|(?:no|not\s+(?:a\s+)?(?:single|one)|not\s+a)\s+(?:single\s+)?(?:\S+\s+){0,2}?"
    r"(?:rockets?|drones?|mortars?|missiles?|shells?|projectiles?|attacks?)\s+(?:has|have|had)\s+"
    r"(?:been\s+)?(?:\S+\s+){0,2}?(?:fallen|landed|fired|launched|hit|struck|reported|recorded"
    r"|targeted|falling|landing)"
    r"|(?:has|have|had)\s+(?:not\s+)?been\s+(?:no\s+(?:further\s+|new\s+|more\s+)?(?:attacks?"
    r"|rockets?|strikes|shelling|incidents)|quiet|calm))\b",
    r"توقف\S*\s+(?:\S+\s+){0,3}?(?:عن|الهجمات|الهجوم|القصف|الصواريخ|اطلاق|الاستهداف|سقوط)"
    r"|(?:لم|لا)\s+(?:ي|ت)(?:سقط|سجل|شهد|تعرض)\S*\s+(?:\S+\s+){0,6}?منذ"
    r"|(?:انقطاع|انحسار|غياب|انتهاء)\s+(?:\S+\s+)?(?:الهجمات|الهجوم|القصف|الصواريخ|هجمات)"
    r"|(?:وقف|ايقاف)\s+(?:\S+\s+)?(?:الهجمات|هجماتها|هجماتهم|عملياتها|عملياتهم|استهداف)",
    "stop ceas halt end_ ends_ ending_ ended dried subsided abated died_down petered came_to "
    "pause_to no_ not_ been_no been_quiet been_calm توقف لم_ لا_ انقطاع انحسار غياب انتهاء وقف "
    "ايقاف",
)
# Habits and spans of time: attacks told as recurring, or as years of them, are background.
RECURRENT = gated(
    r"\b(?:(?:almost|near|nearly|virtually|once|practically)\s+(?:daily|weekly|nightly|monthly)"
    r"|(?<!the\s)(?<!\ba\s)(?<!iraqi\s)(?<!local\s)(?<!arabic\s)(?<!state\s)"
    r"(?:daily|weekly|nightly|monthly)(?=\s*(?:[,.;:)]|$|\s+(?:and|or|for|since|until|during"
    r"|in|through|throughout|at|over|from)\b))"
    r"|on\s+a\s+(?:near\s+|almost\s+)?(?:daily|weekly|nightly|monthly|regular)\s+basis"
    r"|every\s+(?:few\s+|other\s+)?(?:days?|nights?|weeks?|months?)"
    r"|at\s+times|from\s+time\s+to\s+time|time\s+and\s+(?:time\s+)?again|again\s+and\s+again"
    r"|over\s+and\s+over|on\s+(?:many|several|numerous|multiple|countless|\w+\s+dozen)\s+occasions"
    r"|(?:years?|months|decades?)\s+of\s+(?:[\w']+\s+){0,4}?(?:attacks?|fire|shelling|strikes"
    r"|rockets?|drones?|bombardment|violence)"
    r"|(?:for|over|across|throughout)\s+(?:(?:much|most|all|parts?)\s+of\s+)?(?:the\s+)?"
    r"(?:past\s+|last\s+)?(?:\w+\s+)?(?:years|decades)"
    r"|(?:for|over|during|throughout|across)\s+(?:(?:much|most|all|parts?)\s+of\s+)?the\s+"
    r"(?:past|last)\s+(?:year|decade)"
    r"|used\s+to\s+(?:be\s+)?(?:fire|hit|land|fall|target|rain|strike|come))\b",
    r"اسبوعيا|يوميا|شهريا|ليليا|بشكل\s+(?:متكرر|شبه\s+(?:يومي|اسبوعي)|يومي|اسبوعي|دوري|منتظم)"
    r"|مرارا|تكرارا|هدفا\s+(?:متكررا|دائما|مفضلا)|طوال\s+(?:\S+\s+)?(?:سنوات|اعوام|السنوات|الاعوام|اشهر|الاشهر)"
    r"|على\s+مدى\s+(?:\S+\s+)?(?:سنوات|اعوام|السنوات|الاعوام)|بين\s+الحين\s+والاخر"
    r"|من\s+حين\s+(?:الى|ل)\s*اخر|باستمرار|في\s+كثير\s+من\s+الاحيان|احيانا",
    "daily weekly nightly monthly basis every_ at_times time_to time_and again_and over_and "
    "occasions years year_of months_of decade used_to past_year last_year اسبوعيا هدفا يوميا "
    "شهريا ليليا بشكل مرارا "
    "تكرارا طوال مدى الحين حين باستمرار الاحيان احيانا",
)
# Courts and confessions: an attack told through them is a past one. (Institutions such as the
# judicial council have buildings in the zone: their names are no cue.)
JUDICIAL = gated(
    r"\b(?:confess(?:ed|es|ing|ions?)?|admitted\s+(?:to|that|firing|launching|carrying|taking)"
    r"|(?:the|a)\s+(?:convict|defendants?|accused|detainees?)\b|prosecut\w+"
    r"|(?:accused|charged|convicted)\s+(?:of|over|in|with)"
    r"|judges?\s+(?:heard|hears|ruled|rules|sentenced|ordered|convicted)|hears?\s+(?:the\s+)?case"
    r"|(?:criminal|federal|central|supreme|appeals?|terrorism)\s+court|in\s+court"
    r"|before\s+(?:a|the)\s+(?:court|judge)|court\s+(?:heard|ruled|found|sentenced|convicted"
    r"|ordered|case|hearing|documents|records|ruling))\b",
    r"اعترف|اعترافات|المدان|مدان(?![\u0621-\u064a])|المتهم|متهم|محكمه|ادانه",
    "confess admitted convict defendant accused detainee charged prosecut court judge "
    "hear اعترف اعترافات مدان متهم محكمه ادانه",
)
# Arrests over an attack: background unless the sentence dates the attack now.
ARREST = gated(
    r"\b(?:arrested|(?:the|an|their|his)\s+arrests?\s+of|detained|apprehended|in\s+custody"
    r"|captured\s+(?:the\s+)?"
    r"(?:suspects?|cell|perpetrators|launch\s+team))\b",
    r"القبض\s+على|اعتقال|اعتقل|التحقيق\s+مع",
    "arrest detained apprehended custody captured القبض اعتقال اعتقل التحقيق",
)
# A lead that frames the whole article as a look back: an anniversary, a tally, a history.
# ("Analysis:" is no such frame: an analysis of a new attack reports it.)
RETROSPECTIVE = gated(
    r"\b(?:on\s+this\s+day|a\s+tally\s+of|tally\s+of\s+(?:the\s+)?attacks|look(?:s|ing|ed)?\s+back"
    r"|in\s+retrospect|retrospective|a\s+(?:history|chronology|timeline)\s+of"
    r"|(?:\w+|\d+)\s+years?\s+(?:after|since|on)\s+(?:the\s+)?(?:[\w']+\s+){0,3}?"
    r"(?:attacks?|strikes?|bombing|shelling)"
    r"|anniversary\s+of\s+(?:the\s+)?(?:[\w']+\s+){0,3}?(?:attacks?|strikes?|bombing|shelling)"
    r")\b",
    r"في\s+مثل\s+هذا\s+اليوم"
    r"|ذكرى\s+(?:\S+\s+){0,3}?(?:هجوم|الهجوم|استهداف|قصف)|حصيله\s+(?:\S+\s+){0,3}?(?:سنوات|اعوام"
    r"|عام|سنه|السنوات|الاعوام)|(?:بعد|منذ)\s+(?:\S+\s+)?(?:سنوات|اعوام|عامين|سنتين)\s+(?:على|من)"
    r"\s+(?:\S+\s+)?(?:هجوم|الهجوم|استهداف|قصف)",
    "this_day tally look retrospect history_of chronology timeline_of year_after year_since "
    "year_on years_after years_since years_on anniversary هذا_اليوم ذكرى حصيله سنوات اعوام "
    "عامين سنتين",
)
# A denial whose object is the attack or the reports of it: "denied reports that two rockets
# hit the zone", نفت ... سقوط صاروخين. It negates only a predicate that follows it unbroken.
DENIED = gated(
    r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:ed|es|ing)|refut(?:ed|es|ing)|debunk(?:ed|s|ing)"
    r"|rejected)\s+(?:(?:the|any|all|social|media|online|circulating|widespread|earlier"
    r"|initial|unconfirmed|that|there|had|was|been|an?)\s+){0,4}?(?:reports?|rumou?rs?|claims?"
    r"|news|allegations?|accounts|that|(?:[\w']+\s+)?attacks?|(?:rocket|drone|mortar|missile)"
    r"\s+(?:attacks?|fire|strikes?))\b",
    r"(?<![\u0621-\u064a])[وف]?(?:نفى|نفت|ينفي|تنفي|نفي|كذبت|تكذب|فندت|تفند)\s+"
    r"(?:\S+\s+){0,8}?(?:الانباء|انباء|الاخبار|اخبار|شائعات|الشائعات|ما\s+تداول|سقوط|وقوع"
    r"|تعرض|حدوث|استهداف|قصف|هجوم)",
    "deny denies denied denying dismiss refut debunk rejected نفى نفت ينفي تنفي نفي كذبت تكذب "
    "فندت تفند",
)
# What breaks a denial's hold on what follows: another clause with its own verb.
DENIAL_BREAK = _p(
    r"\b(?:when|as|after|while|but|however|although|before|whereas)\b|[;.]"
    r"|(?:^|\s)(?:لكن|بينما|حين|عندما|بعد|الا\s+ان)(?:\s|$)"
)
# Hearsay: what social media, channels or rumours said, not what officials or witnesses saw.
HEARSAY = gated(
    r"\b(?:social\s+media|rumou?r(?:s|ed)?|telegram\s+(?:channels?|accounts?)|unconfirmed"
    r"|unverified|circulat(?:ed|ing)|posted\s+that|initially\s+reported|claimed\s+online"
    r"|fake\s+news|false\s+reports?)\b",
    r"مواقع\s+التواصل|منصات\s+التواصل|شائع|تداول|مزاعم|انباء\s+غير\s+مؤكده|قنوات\s+(?:على\s+)?تلغرام",
    "social rumo telegram unconfirmed unverified circulat posted initially claimed fake false "
    "التواصل شائع تداول مزاعم مؤكده تلغرام",
)
# Fire that is no attack: fireworks, celebratory or stray bullets, shots into the air. The
# weapon words inside these phrases name no weapon.
CELEBRATORY = gated(
    r"\b(?:fireworks?(?:\s+rockets?)?|firecrackers?|pyrotechnics?|(?:celebratory|stray)\s+"
    r"(?:gunfire|bullets?|rounds|fire|shots|shooting)|(?:fired|firing|shots|shooting)\s+"
    r"(?:\S+\s+){0,3}?(?:in|into)\s+the\s+air|fired\s+in\s+celebration)\b",
    r"صواريخ\s+(?:ال)?العاب\s+(?:ال)?ناريه|(?:ال)?(?:العاب|صواريخ|مفرقعات)\s+(?:ال)?ناريه|مفرقعات"
    r"|(?:رصاص|عيارات)\S*\s+(?:ال)?(?:طائش|احتفال|ابتهاج|عشوائي)\S*|ابتهاجا",
    "firework firecracker pyrotechnic celebratory stray the_air celebration ناريه مفرقعات طائش "
    "احتفال ابتهاج عشوائي",
)
# A zone place that condemns or denounces an attack speaks; it is not the target.
CONDEMN = gated(
    r"\b(?:condemn(?:ed|s|ing)?|denounc(?:ed|es|ing)|deplor(?:ed|es|ing))\b",
    r"(?<![\u0621-\u064a])[وف]?(?:ادان|ادانت|تدين|يدين|استنكر|استنكرت|تستنكر|يستنكر|شجب|شجبت)"
    r"(?![\u0621-\u064a])",
    "condemn denounc deplor ادان تدين يدين استنكر تستنكر يستنكر شجب",
)
