"""Numbers as news writes them: digits, English and Arabic number words, Arabic duals.

Patterns work on normalised text (bot.classifier.normalize): lower case, Arabic letters folded,
hyphens turned into spaces.
"""

from __future__ import annotations

import re
from functools import cache

from bot.classifier.normalize import normalize_arabic

_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_OTHER = {"a dozen": 12, "dozen": 12, "half a dozen": 6, "a single": 1, "single": 1, "both": 2}

# Arabic words (normalised: taa marbuta as haa, alef maqsura as yaa); masculine and feminine,
# and the accusative some take as objects (اسقطت ثلاثا منها).
_AR_UNITS_RAW = {
    1: ("واحد", "واحدة", "أحد", "إحدى"),
    2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "إثنين"),
    3: ("ثلاث", "ثلاثة", "ثلاثا"),
    4: ("أربع", "أربعة", "أربعا"),
    5: ("خمس", "خمسة", "خمسا"),
    6: ("ست", "ستة"),
    7: ("سبع", "سبعة", "سبعا"),
    8: ("ثماني", "ثمانية", "ثمان"),
    9: ("تسع", "تسعة", "تسعا"),
    10: ("عشر", "عشرة"),
}
_AR_TENS_RAW = {
    20: ("عشرون", "عشرين"),
    30: ("ثلاثون", "ثلاثين"),
    40: ("أربعون", "أربعين"),
    50: ("خمسون", "خمسين"),
    60: ("ستون", "ستين"),
    70: ("سبعون", "سبعين"),
    80: ("ثمانون", "ثمانين"),
    90: ("تسعون", "تسعين"),
}
_AR_TEEN_ONE = ("أحد عشر", "إحدى عشرة", "احد عشر", "احدى عشره")
_AR_TEEN_TWO = ("اثنا عشر", "اثني عشر", "اثنتا عشرة", "اثنتي عشرة")


def _fold(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_arabic(w) for w in words))


AR_UNITS = {n: _fold(ws) for n, ws in _AR_UNITS_RAW.items()}
AR_TENS = {n: _fold(ws) for n, ws in _AR_TENS_RAW.items()}
_AR_WORDS: dict[str, int] = {}
for _n, _ws in AR_TENS.items():
    for _w in _ws:
        _AR_WORDS[_w] = _n
for _n, _ws in AR_UNITS.items():
    for _w in _ws:
        _AR_WORDS[_w] = _n
for _w in _fold(_AR_TEEN_ONE):
    _AR_WORDS[_w] = 11
for _w in _fold(_AR_TEEN_TWO):
    _AR_WORDS[_w] = 12
for _n in range(3, 10):
    for _u in AR_UNITS[_n]:
        for _t in ("عشر", "عشره"):
            _AR_WORDS[f"{_u} {_t}"] = 10 + _n
for _n in range(1, 10):
    for _u in AR_UNITS[_n]:
        for _tn, _ts in AR_TENS.items():
            for _t in _ts:
                _AR_WORDS[f"{_u} و{_t}"] = _tn + _n

# Duals name two of a thing in one word: صاروخان "two rockets".
AR_DUALS = _fold(
    (
        "صاروخان",
        "صاروخين",
        "قذيفتان",
        "قذيفتين",
        "طائرتان",
        "طائرتين",
        "مسيرتان",
        "مسيرتين",
        "عبوتان",
        "عبوتين",
    )
)


Trie = dict[str, "Trie"]


def trie_regex(words: list[str], space: str = " ") -> str:
    """A regex matching any of `words`, built as a trie so matching does not try each word."""
    root: Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _walk(root, space) or "(?!)"


def _walk(node: Trie, space: str) -> str:
    branches = [
        (space if char == " " else re.escape(char)) + _walk(child, space)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _alternation(words: list[str]) -> str:
    return trie_regex(words, r"\s+")


_EN_WORD = (
    rf"(?:(?:{_alternation(list(_EN_TENS))})(?:\s+(?:{_alternation(list(_EN_UNITS))}))?"
    rf"|{_alternation(list(_EN_OTHER))}|{_alternation(list(_EN_UNITS))})"
)
# Arabic words take a و/ب prefix in running text; the leading boundary allows it.
_AR_WORD = rf"(?:{_alternation(list(_AR_WORDS))})"
_LATIN_NUMBER = rf"\d{{1,5}}(?:,\d{{3}})*(?![\d:.]\d)|(?<![a-z]){_EN_WORD}(?![a-z])"
NUMBER = (
    rf"(?:{_LATIN_NUMBER}"
    rf"|(?<![\u0621-\u064a])(?:[وبل](?={_AR_WORD}(?![\u0621-\u064a])))?{_AR_WORD}"
    r"(?![\u0621-\u064a]))"
)
# NUMBER and QUALIFIER without their Arabic words, for ASCII text (bot.classifier.bilingual).
NUMBER_LATIN = rf"(?:{_LATIN_NUMBER})"
# "at least three", "about 20", "more than a dozen": the number itself is what is kept.
_LATIN_QUALIFIER = (
    r"at\s+least|about|around|some|nearly|almost|approximately|roughly|up\s+to"
    r"|more\s+than|over|as\s+many\s+as"
)
QUALIFIER = rf"(?:(?:{_LATIN_QUALIFIER}|ما\s+لا\s+يقل\s+عن|نحو|حوالي)\s+)?"
QUALIFIER_LATIN = rf"(?:(?:{_LATIN_QUALIFIER})\s+)?"


def parse_number(token: str) -> int | None:
    """The value of one number expression (digits or words, English or Arabic), else None."""
    text = " ".join(normalize_arabic(token).lower().replace("-", " ").split())
    if not text:
        return None
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits)
    if text in _EN_OTHER:
        return _EN_OTHER[text]
    if text in _EN_UNITS:
        return _EN_UNITS[text]
    parts = text.split()
    if parts[0] in _EN_TENS and len(parts) <= 2:
        if len(parts) == 1:
            return _EN_TENS[parts[0]]
        unit = _EN_UNITS.get(parts[1])
        return _EN_TENS[parts[0]] + unit if unit is not None and 0 < unit < 10 else None
    if text in _AR_WORDS:
        return _AR_WORDS[text]
    if text in AR_DUALS:
        return 2
    if text[0] in "وبل" and text[1:] in _AR_WORDS:
        return _AR_WORDS[text[1:]]
    return None


@cache
def _number_re() -> re.Pattern[str]:
    # Compiled on first use: the Arabic number words make it slow to compile at import.
    return re.compile(NUMBER)


def find_numbers(text: str) -> list[tuple[int, int, int]]:
    """Every number in normalised `text` as (start, end, value)."""
    found = []
    for match in _number_re().finditer(text):
        value = parse_number(match.group(0))
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found
