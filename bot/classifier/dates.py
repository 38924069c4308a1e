"""Calendar reasoning: resolve the date expressions of one sentence against publication time.

Everything is in Baghdad time (UTC+3): a report published at 21:30 UTC is already the next day
there. A weekday name means the most recent such day on or before the publication day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.classifier.bilingual import bilingual
from bot.classifier.normalize import normalize_arabic
from bot.classifier.numbers import trie_regex
from bot.timeutil import BAGHDAD

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_AR_MONTHS_RAW = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "مارس": 3, "نيسان": 4,
    "أبريل": 4, "ابريل": 4, "أيار": 5, "مايو": 5, "حزيران": 6, "يونيو": 6, "تموز": 7,
    "يوليو": 7, "آب": 8, "أغسطس": 8, "أيلول": 9, "سبتمبر": 9, "تشرين الأول": 10, "أكتوبر": 10,
    "تشرين الثاني": 11, "نوفمبر": 11, "كانون الأول": 12, "ديسمبر": 12,
}  # fmt: skip
_AR_MONTHS = {normalize_arabic(k): v for k, v in _AR_MONTHS_RAW.items()}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_AR_WEEKDAYS = {
    normalize_arabic(k): v
    for k, v in {
        "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4,
        "السبت": 5, "الأحد": 6,
    }.items()
}  # fmt: skip
_AR_ORDINALS = {
    normalize_arabic(k): v
    for k, v in {
        "الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
        "السابع": 7, "الثامن": 8, "التاسع": 9, "العاشر": 10,
    }.items()
}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_MONTH = rf"(?:{_alt(_MONTHS)})"
_AR_MONTH = rf"(?:{_alt(_AR_MONTHS)})"
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:,?\s+(\d{{4}}))?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_IN_MONTH = re.compile(
    rf"\b(?:in|during|since|from|of|until|by)\s+(?:(?:early|mid|late)\s+)?({_MONTH})\b(?:\s+(\d{{4}}))?"
)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b")
_IN_YEAR = re.compile(r"\b(?:in|since|during)\s+((?:19|20)\d\d)\b")
# A year that dates an attack noun ("the 2020 rocket attack", "over 2019 strikes").
_YEAR_NOUN = re.compile(
    r"\b(?:the|a|an|its|that|this|over|for|of|after|since|before)\s+(?:[a-z]+\s+)?"
    r"((?:19|20)\d\d)(?:'s)?\s+(?:[a-z]+\s+){0,2}?(?:attacks?|strikes?|bombings?|shelling"
    r"|assault|salvos?|barrages?|incidents?)\b"
)
# Arabic names a year with عام/سنة: في عام 2020، هجوم عام 2019.
_AR_YEAR = re.compile(r"(?:عام|سنه|العام)\s+((?:19|20)\d\d)\b")
_AR_DAY_MONTH = re.compile(
    rf"(?:\b(\d{{1,2}})|({_alt(_AR_ORDINALS)}))\s+(?:من\s+)?(?:شهر\s+)?({_AR_MONTH})(?:\s+(\d{{4}}))?"
)
_AR_IN_MONTH = re.compile(
    rf"(?:في|منذ|خلال)\s+(?:شهر\s+)?(?:منتصف\s+|اوائل\s+|اواخر\s+)?({_AR_MONTH})"
)
# A month and year without a day or preposition: يعود الى كانون الاول 2023.
_AR_MONTH_YEAR = re.compile(rf"(?<![\u0621-\u064a])({_AR_MONTH})\s+((?:19|20)\d\d)\b")
_WEEKDAY = re.compile(rf"\b(last\s+|this\s+|past\s+)?({_alt(_WEEKDAYS)})(?:'s)?\b")
# The article or يوم is needed: a bare احد is "one" (احد المارة), not Sunday.
_AR_WEEKDAY = re.compile(
    rf"(?:^|\s)(?:يوم\s+(?:ال)?|[وبف]?ال)({_alt(k[2:] for k in _AR_WEEKDAYS)})(?![\u0621-\u064a])"
)
# "After midnight on the night of Thursday to Friday" is Friday (without "after midnight", the
# night is named by its evening: the first weekday decides as usual).
_AFTER_MIDNIGHT = bilingual(
    rf"\bafter\s+midnight\s+(?:on\s+)?(?:the\s+night\s+of\s+)?(?:{_alt(_WEEKDAYS)})"
    rf"(?:\s+night)?\s+(?:to|into|and)\s+({_alt(_WEEKDAYS)})\b",
    rf"بعد\s+منتصف\s+(?:ال)?ليل(?:ه)?\s+(?:يوم\s+)?(?:ال)?(?:{_alt(k[2:] for k in _AR_WEEKDAYS)})"
    rf"\s+(?:علي|على|الي|الى|و)\s*(?:يوم\s+)?(?:ال)?({_alt(k[2:] for k in _AR_WEEKDAYS)})"
    r"(?![\u0621-\u064a])",
)
# "After midnight last night" is the small hours of the publication day, not the evening before.
_AFTER_MIDNIGHT_LAST = bilingual(
    r"\bafter\s+midnight\s+last\s+night\b",
    r"بعد\s+منتصف\s+(?:الليله\s+الماضيه|ليل(?:ه)?\s+(?:امس|البارحه))",
)
# The day a statement or claim was made ("said on Tuesday"), not when the attack happened.
_SAID_ON = bilingual(
    r"\b(?:said|says|claimed(?:\s+responsibility)?|announced|stated|confirmed|reported|added"
    r"|declared)\s+(?:late\s+|early\s+)?(?:on\s+)?$",
    r"(?:^|\s)[و]?(?:قال|قالت|اعلن|اعلنت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|تبنت|تبنى)\s*,?\s*"
    r"(?:يوم\s+)?$",
)
_YESTERDAY = bilingual(r"\byesterday\b", r"(?:^|[\s,])(?:امس|البارحه)(?![\u0621-\u064a])")
_LAST_NIGHT = bilingual(r"\blast\s+night\b", r"الليله\s+الماضيه|ليله\s+امس|مساء\s+امس")
_TODAY = bilingual(
    r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight|within\s+the\s+last\s+hour)\b",
    r"(?:^|[\s,])(?:اليوم|هذا\s+الصباح|الليله(?!\s+الماضيه))(?![\u0621-\u064a])",
)
_OVERNIGHT = bilingual(
    r"\b(?:overnight|before\s+dawn|at\s+dawn|(?:early|small|wee)\s+hours)\b", r"فجر|ليلا|ليل\b"
)
_CLOCK = re.compile(
    r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?(?!\s*\(?\s*(?:gmt|utc))(?!\s+gmt|\s+utc)"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A date expression in a sentence: the day it names and the kind of expression."""

    day: date
    kind: str  # "explicit", "month", "weekday", "relative", "clock"
    start: int


def local_now(published: datetime) -> datetime:
    """Publication time on Baghdad's clock."""
    return published.astimezone(BAGHDAD)


def _with_year(month: int, day: int, year: str | None, today: date) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        guess = date(today.year, month, day)
        return guess if guess <= today + timedelta(days=1) else date(today.year - 1, month, day)
    except ValueError:
        return None


def _weekday_on_or_before(today: date, weekday: int, strictly_before: bool = False) -> date:
    back = (today.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def _explicit(norm: str, today: date, has: _Has) -> list[Found]:
    found: list[Found] = []
    if has.month and has.digit:
        for m in _DAY_MONTH.finditer(norm):
            if d := _with_year(_MONTHS[m.group(2)], int(m.group(1)), m.group(3), today):
                found.append(Found(d, "explicit", m.start()))
        for m in _MONTH_DAY.finditer(norm):
            if m.group(1) == "may" and not m.group(3) and not re.match(r"may\s+\d", m.group(0)):
                continue
            if int(m.group(2)) <= 31 and (
                d := _with_year(_MONTHS[m.group(1)], int(m.group(2)), m.group(3), today)
            ):
                found.append(Found(d, "explicit", m.start()))
    if not has.ascii:
        found += _ar_explicit(norm, today)
    return found


def _ar_explicit(norm: str, today: date) -> list[Found]:
    found: list[Found] = []
    for m in _AR_DAY_MONTH.finditer(norm):
        day = int(m.group(1)) if m.group(1) else _AR_ORDINALS[m.group(2)]
        if d := _with_year(_AR_MONTHS[m.group(3)], day, m.group(4), today):
            found.append(Found(d, "explicit", m.start()))
    return found


def _months(norm: str, today: date, has: _Has) -> list[Found]:
    found: list[Found] = []
    for m in _IN_MONTH.finditer(norm) if has.month else ():
        if m.group(1) == "may" and not m.group(2):
            continue
        if d := _with_year(_MONTHS[m.group(1)], 1, m.group(2), today):
            found.append(Found(d, "month", m.start()))
    for m in _MONTH_YEAR.finditer(norm) if has.month and has.digit else ():
        if d := _with_year(_MONTHS[m.group(1)], 1, m.group(2), today):
            found.append(Found(d, "month", m.start()))
    for m in _AR_IN_MONTH.finditer(norm) if not has.ascii else ():
        if d := _with_year(_AR_MONTHS[m.group(1)], 1, None, today):
            found.append(Found(d, "month", m.start()))
    for m in _AR_MONTH_YEAR.finditer(norm) if has.digit and not has.ascii else ():
        if d := _with_year(_AR_MONTHS[m.group(1)], 1, m.group(2), today):
            found.append(Found(d, "month", m.start()))
    for m in _IN_YEAR.finditer(norm) if has.digit else ():
        found.append(Found(date(int(m.group(1)), 1, 1), "year", m.start()))
    for m in _YEAR_NOUN.finditer(norm) if has.digit and has.ascii else ():
        found.append(Found(date(int(m.group(1)), 1, 1), "year", m.start(1)))
    for m in _AR_YEAR.finditer(norm) if has.digit and not has.ascii else ():
        found.append(Found(date(int(m.group(1)), 1, 1), "year", m.start()))
    return found


def _relative(norm: str, now: datetime, has: _Has) -> list[Found]:
    today = now.date()
    found: list[Found] = []
    for m in _WEEKDAY.finditer(norm) if "day" in norm else ():
        strictly = bool(m.group(1)) and m.group(1).strip() in ("last", "past")
        day = _weekday_on_or_before(today, _WEEKDAYS[m.group(2)], strictly)
        found.append(Found(day, "weekday", m.start()))
    for m in _AR_WEEKDAY.finditer(norm) if not has.ascii else ():
        weekday = _AR_WEEKDAYS.get("ال" + m.group(1))
        if weekday is not None:
            found.append(Found(_weekday_on_or_before(today, weekday), "weekday", m.start()))
    if "midnight" in norm or "منتصف" in norm:
        for m in _AFTER_MIDNIGHT.finditer(norm):
            name = m.group(1) or m.group(2)
            weekday = _WEEKDAYS.get(name, _AR_WEEKDAYS.get("ال" + name))
            if weekday is not None:
                # Placed at the span's start, so it wins over the evening's weekday.
                found.append(Found(_weekday_on_or_before(today, weekday), "weekday", m.start()))
    small_hours = (
        _AFTER_MIDNIGHT_LAST.search(norm) if "midnight" in norm or "منتصف" in norm else None
    )
    if small_hours is not None:
        found.append(Found(today, "relative", small_hours.start()))
    elif (m2 := _LAST_NIGHT.search(norm)) or (m2 := _YESTERDAY.search(norm)):
        found.append(Found(today - timedelta(days=1), "relative", m2.start()))
    if m2 := _TODAY.search(norm):
        found.append(Found(today, "relative", m2.start()))
    if m2 := _OVERNIGHT.search(norm):
        found.append(Found(today, "overnight", m2.start()))
    if has.digit and (m2 := _CLOCK.search(norm)):
        hour = int(m2.group(1)) % 12 + (12 if m2.group(3) == "p" else 0)
        minute = int(m2.group(2) or 0)
        said = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        found.append(
            Found(today if said <= now else today - timedelta(days=1), "clock", m2.start())
        )
    return found


_PRIORITY = {"explicit": 0, "weekday": 1, "relative": 2, "clock": 3, "overnight": 4}


# With a digit, the words every date expression needs (when there is no digit). Each
# alternative starts with a letter, so the engine skips to candidate letters.
# The Latin words as one trie, without the boundary after "day": a gate may let more through
# (the patterns behind it decide), and a trie is about three times faster than the alternation.
_GATE_LATIN = trie_regex(
    [*_MONTHS, "day", "yesterday", "tonight", "overnight", "night", "dawn", "hours", "morning"]
    + ["evening", "afternoon"]
)
_GATE = bilingual(
    _GATE_LATIN,
    rf"{_AR_MONTH}|امس|اليوم|البارحه|الليله|فجر|ليل|صباح|مساء|الاحد|الاثنين|الثلاثاء|الاربعاء"
    r"|الخميس|الجمعه|السبت",
)
_DIGIT = re.compile(r"\d")
_EN_MONTH = re.compile(trie_regex(list(_MONTHS)))  # matches where _MONTH does


@dataclass(frozen=True, slots=True)
class _Has:
    """What a sentence contains that date patterns need: without it they cannot match."""

    ascii: bool
    digit: bool
    month: bool


def find_dates(norm: str, published: datetime) -> list[Found]:
    """Every date expression in a normalised sentence, resolved in Baghdad time."""
    digit = _DIGIT.search(norm) is not None
    if not digit and not _GATE.search(norm):
        return []
    now = local_now(published)
    has = _Has(norm.isascii(), digit, _EN_MONTH.search(norm) is not None)
    return (
        _explicit(norm, now.date(), has)
        + _months(norm, now.date(), has)
        + _relative(norm, now, has)
    )


def said_on(norm: str, found: Found) -> bool:
    """True when the expression dates a statement ("said on Tuesday"), not an event."""
    return _SAID_ON.search(norm[max(0, found.start - 40) : found.start]) is not None


def event_date(
    norm: str, published: datetime, *, skip_past: bool = False, said: bool = True
) -> Found | None:
    """The day a sentence puts its event on: the most precise day-level expression.

    The day a statement was made counts last, and not at all when `said` is false.
    """
    days = [
        f
        for f in find_dates(norm, published)
        if f.kind in _PRIORITY and not (skip_past and is_past(f, published))
    ]
    if not days:
        return None
    statement = {f.start for f in days if said_on(norm, f)}
    if not said:
        days = [f for f in days if f.start not in statement]
        if not days:
            return None
    best = min(days, key=lambda f: (f.start in statement, _PRIORITY[f.kind], f.start))
    today = local_now(published).date()
    if best.day == today and best.kind in ("weekday", "relative"):
        # "said this morning, Wednesday, that two shells fell last night": today is when it
        # was told, the night before is when it happened.
        before = [f for f in days if f.kind == "relative" and f.day == today - timedelta(days=1)]
        if before:
            return before[0]
    return best


def is_past(found: Found, published: datetime, days: int = 3) -> bool:
    """True when the expression names a time clearly before the news (background)."""
    today = local_now(published).date()
    if found.kind == "year":
        return found.day.year < today.year
    if found.kind == "month":
        return (found.day.year, found.day.month) < (today.year, today.month)
    return (today - found.day).days > days
