"""Free-text questions in English and Arabic, parsed into a structured Query (pure, no I/O).

Periods are Baghdad-local calendar dates resolved against `now`: `start` inclusive, `end`
exclusive, either open. Weeks start on Monday (ISO), whatever the language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from bot.classifier.claimants import canonical_claimant
from bot.records import Weapon
from bot.timeutil import baghdad_date

QueryKind = Literal["latest", "list", "count"]

# Questions longer than this are cut before parsing: nobody asks a 10,000-character question.
MAX_QUESTION_CHARS = 500


@dataclass(frozen=True, slots=True)
class Period:
    """Baghdad-local dates: `start` inclusive, `end` exclusive; None means open."""

    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Query:
    """What a question asks for: the latest attack, a list, or a count, with filters."""

    kind: QueryKind
    period: Period | None = None
    casualties_only: bool = False
    weapon: Weapon | None = None
    claimant: str | None = None
    claimed_only: bool = False
    limit: int | None = None


_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


def normalize(text: str) -> str:
    """Lower-case, fold Arabic letter variants and digits, strip diacritics, squeeze spaces."""
    text = _ARABIC_DIACRITICS.sub("", text[:MAX_QUESTION_CHARS].lower())
    text = text.translate(_ARABIC_FOLD)
    # "الـ7" and "ال7" are "the 7": separate the article from the number.
    text = re.sub(r"\bال(?=\d)", "", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s:/-]", " ", text)).strip()


def has_arabic(text: str) -> bool:
    return re.search(r"[\u0600-\u06ff]", text) is not None


_EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Levantine/Iraqi names, then the Egyptian/Gulf ones, as they read after `normalize`.
_AR_MONTHS = {
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يوليو": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}
_MONTHS = {**_EN_MONTHS, **_AR_MONTHS}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"


def _month_start(year: int, month: int, shift: int = 0) -> date:
    index = year * 12 + (month - 1) + shift
    return date(index // 12, index % 12 + 1, 1)


def _month(year: int, month: int) -> Period:
    return Period(_month_start(year, month), _month_start(year, month, 1))


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def _last_days(today: date, days: int) -> Period:
    days = max(1, min(days, 36600))
    return Period(today - timedelta(days=days - 1), today + timedelta(days=1))


def _week_of(today: date, shift: int) -> Period:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
    end = today + timedelta(days=1) if shift == 0 else monday + timedelta(days=7)
    return Period(monday, end)


def _month_no_year(today: date, month: int) -> Period:
    # "in December" means the most recent December that has begun.
    year = today.year if month <= today.month else today.year - 1
    return _month(year, month)


_Builder = Callable[[re.Match[str], date], Period | None]


def _since(match: re.Match[str], today: date) -> Period | None:
    month, year = match.group(1), int(match.group(2))
    return Period(_month_start(year, _MONTHS[month]) if month else date(year, 1, 1), None)


def _iso_day(match: re.Match[str], today: date) -> Period | None:
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return None
    return Period(day, day + timedelta(days=1))


def _iso_since(match: re.Match[str], today: date) -> Period | None:
    try:
        return Period(date.fromisoformat(match.group(1)), None)
    except ValueError:
        return None


_DAY_WORDS = r"(?:days?|يوم|ايام|يوما)"
_WEEK_WORDS = r"(?:weeks?|اسبوع|اسابيع)"

# Ordered: longer, more specific phrasings before the short ones they contain.
_PERIODS: tuple[tuple[re.Pattern[str], _Builder], ...] = tuple(
    (re.compile(pattern), builder)
    for pattern, builder in (
        (r"\b(?:since|منذ)\s+(\d{4}-\d\d-\d\d)\b", _iso_since),
        (r"\b(?:on\s+|في\s+)?(\d{4}-\d\d-\d\d)\b", _iso_day),
        (rf"\b(?:since|منذ)\s+(?:({_MONTH_RE})\s+)?{_YEAR}\b", _since),
        (
            rf"\b(?:in\s+the\s+|over\s+the\s+|during\s+the\s+|خلال\s+)?(?:last|past|اخر|الاخيره)"
            rf"\s+(\d{{1,5}})\s+{_DAY_WORDS}",
            lambda m, t: _last_days(t, int(m.group(1))),
        ),
        (
            rf"\b(?:خلال\s+)?(\d{{1,5}})\s+{_DAY_WORDS}\s+(?:الماضيه|الاخيره)",
            lambda m, t: _last_days(t, int(m.group(1))),
        ),
        (
            rf"\b(?:in\s+the\s+|over\s+the\s+)?(?:last|past|اخر)\s+(\d{{1,4}})\s+{_WEEK_WORDS}",
            lambda m, t: _last_days(t, 7 * int(m.group(1))),
        ),
        (
            rf"\b(?:in\s+|during\s+|في\s+|خلال\s+)?({_MONTH_RE}),?\s+(?:of\s+|عام\s+|سنه\s+)?{_YEAR}\b",
            lambda m, t: _month(int(m.group(2)), _MONTHS[m.group(1)]),
        ),
        (
            rf"\b(?:in|during|في|خلال)\s+(?:عام\s+|سنه\s+|the\s+year\s+)?{_YEAR}\b",
            lambda m, t: _year(int(m.group(1))),
        ),
        (r"\b(?:this|current)\s+week\b|هذا الاسبوع|الاسبوع الحالي", lambda m, t: _week_of(t, 0)),
        (r"\b(?:last|past|previous)\s+week\b|الاسبوع الماضي", lambda m, t: _week_of(t, -1)),
        (
            r"\b(?:this|current)\s+month\b|هذا الشهر|الشهر الحالي",
            lambda m, t: Period(t.replace(day=1), t + timedelta(days=1)),
        ),
        (
            r"\b(?:last|past|previous)\s+month\b|الشهر الماضي",
            lambda m, t: Period(_month_start(t.year, t.month, -1), t.replace(day=1)),
        ),
        (
            r"\b(?:this|current)\s+year\b|هذا العام|هذه السنه|العام الحالي|السنه الحاليه",
            lambda m, t: Period(date(t.year, 1, 1), t + timedelta(days=1)),
        ),
        (
            r"\b(?:last|past|previous)\s+year\b|العام الماضي|السنه الماضيه",
            lambda m, t: _year(t.year - 1),
        ),
        (
            r"\b(?:today|tonight)\b|\bاليوم\b",
            lambda m, t: Period(t, t + timedelta(days=1)),
        ),
        (
            r"\byesterday\b|\bامس\b|\bالبارحه\b",
            lambda m, t: Period(t - timedelta(days=1), t),
        ),
        (
            rf"\b(?:in|during|في|خلال)\s+({_MONTH_RE})\b",
            lambda m, t: _month_no_year(t, _MONTHS[m.group(1)]),
        ),
        (
            rf"^{_YEAR}$|\b(?:attacks?|incidents?|هجمات|هجوم)\s+{_YEAR}\b",
            lambda m, t: _year(int(m.group(1) or m.group(2))),
        ),
    )
)


def _find_period(text: str, today: date) -> tuple[Period, str] | None:
    """The first period named in normalised text, and the text with that phrase removed."""
    for pattern, builder in _PERIODS:
        match = pattern.search(text)
        if match is None:
            continue
        period = builder(match, today)
        if period is not None:
            return period, (text[: match.start()] + " " + text[match.end() :]).strip()
    return None


def parse_period(text: str, now: datetime) -> Period | None:
    """A period named in `text` ("last month", "in December 2023", "منذ 2022"...), or None."""
    found = _find_period(normalize(text), baghdad_date(now))
    return found[0] if found else None


_WEAPON_WORDS: tuple[tuple[Weapon, str], ...] = (
    ("drone", r"\bdrones?\b|\buavs?\b|مسيره|مسيرات|\bدرون\b|طائرات مسيره|\bطائره\b"),
    ("mortar", r"\bmortars?\b|هاون"),
    ("ied", r"\bieds?\b|roadside bombs?|\bbombs?\b|عبوه|عبوات"),
    ("gunfire", r"\bgunfire\b|\bshooting\b|\bgunmen\b|اطلاق نار|اطلاق النار"),
    ("missile", r"\bmissiles?\b|\bballistic\b|باليستي"),
    ("rocket", r"\brockets?\b|\bkatyushas?\b|صاروخ|صواريخ|كاتيوشا|\bcram\b"),
)

_TOPIC = re.compile(
    r"\battacks?\b|\battacked\b|\bincidents?\b|\bstrikes?\b|\bshelling\b|\bhits?\b"
    r"|هجوم|هجمات|الهجوم|الهجمات|قصف|استهداف|حادث|حوادث|ضربه|ضربات|اعتداء"
)
_COUNT = re.compile(r"\bhow many\b|\bhow often\b|\bnumber of\b|\bcount\b|\bكم\b|\bعدد\b")
_LATEST = re.compile(r"\b(?:last|latest|most recent|newest)\b|\bاخر\b|\bاحدث\b|\bالاخير\b")
_LAST_N = re.compile(r"\b(?:last|latest|recent|اخر)\s+(\d{1,3})\b")
_CASUALTIES = re.compile(
    r"\b(?:casualt\w*|killed|dead|deaths?|deadly|fatal\w*|injur\w*|wounded|victims?)\b"
    r"|ضحايا|اصابات|قتلي|قتيل|جرحي|جريح|قتلى"
)
_NO_CASUALTIES = re.compile(
    r"\b(?:no|without|zero)\s+(?:casualt\w*|deaths?|injur\w*|victims?)|(?:بدون|دون|بلا)\s+(?:ضحايا|اصابات)"
)
_CLAIMANT = re.compile(
    r"\bclaimed\s+by\s+([\w .'-]{2,60}?)(?=\s+(?:in|since|during|this|last|on|over)\b|$)"
    r"|(?:تبنت|تبناها|تبنته|تبنتها|تبني)\s+([\w ]{2,60}?)(?=\s+(?:في|منذ|خلال|هذا|الشهر)\b|$)"
)
_CLAIMED = re.compile(r"\bclaim\w*\b|\bresponsibility\b|تبن\w*|مسؤوليه|مسووليه")


def _weapon(text: str) -> Weapon | None:
    for weapon, pattern in _WEAPON_WORDS:
        if re.search(pattern, text):
            return weapon
    return None


def parse_question(text: str, now: datetime) -> Query | None:
    """The Query a question asks, or None when it asks nothing this bot can answer."""
    normal = normalize(text)
    if not normal:
        return None
    found = _find_period(normal, baghdad_date(now))
    period, rest = found if found else (None, normal)
    weapon = _weapon(rest)
    casualties = _CASUALTIES.search(rest) is not None and not _NO_CASUALTIES.search(rest)
    claim_match = _CLAIMANT.search(rest)
    claimant = (claim_match.group(1) or claim_match.group(2)).strip() if claim_match else None
    if claimant:
        # Claims are stored under a known group's English name, whatever language asks.
        claimant = canonical_claimant(claimant)
    claimed = claimant is not None or _CLAIMED.search(rest) is not None
    about_attacks = _TOPIC.search(rest) is not None or weapon is not None
    if not about_attacks:
        return None
    query = Query(
        kind="list",
        period=period,
        casualties_only=casualties,
        weapon=weapon,
        claimant=claimant or None,
        claimed_only=claimed and not claimant,
    )
    if _COUNT.search(rest):
        return replace(query, kind="count")
    if (last_n := _LAST_N.search(rest)) is not None:
        return replace(query, kind="list", limit=max(1, min(int(last_n.group(1)), 50)))
    if _LATEST.search(rest):
        return replace(query, kind="latest")
    return query
