"""Numbers in English and Arabic: digits, words, duals, read back the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.classifier.normalize import normalize
from bot.classifier.numbers import find_numbers, parse_number

# Written independently of the module's tables, so the test checks them.
EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
AR_ONES = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
AR_TENS = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
AR_TEENS = {11: "أحد عشر", 12: "اثنا عشر"}
EASTERN = "٠١٢٣٤٥٦٧٨٩"


def english(n: int, hyphen: bool) -> str:
    if n < 20:
        return EN_ONES[n]
    tens, ones = divmod(n, 10)
    return EN_TENS[tens] + (("-" if hyphen else " ") + EN_ONES[ones] if ones else "")


def arabic(n: int) -> str:
    if n in AR_TEENS:
        return AR_TEENS[n]
    tens, ones = divmod(n, 10)
    if tens == 0:
        return AR_ONES[ones]
    if tens == 1:
        return AR_ONES[ones] + " عشر" if ones else AR_TENS[1]
    return f"{AR_ONES[ones]} و{AR_TENS[tens]}" if ones else AR_TENS[tens]


@given(st.integers(1, 99), st.booleans())
def test_english_words_read_back(n: int, hyphen: bool) -> None:
    words = english(n, hyphen)
    assert parse_number(words) == n
    assert parse_number(words.capitalize()) == n
    assert [v for _, _, v in find_numbers(normalize(f"at least {words} rockets"))] == [n]


@given(st.integers(1, 99))
def test_arabic_words_read_back(n: int) -> None:
    words = arabic(n)
    assert parse_number(words) == n
    assert [v for _, _, v in find_numbers(normalize(f"سقوط {words} صواريخ"))] == [n]


@given(st.integers(1, 99))
def test_digits_western_and_eastern_read_back(n: int) -> None:
    eastern = "".join(EASTERN[int(d)] for d in str(n))
    assert parse_number(str(n)) == n
    assert [v for _, _, v in find_numbers(normalize(f"سقوط {eastern} صواريخ"))] == [n]


def test_special_forms() -> None:
    assert parse_number("a dozen") == 12
    assert parse_number("both") == 2
    assert parse_number("صاروخان") == 2
    assert parse_number("صاروخين") == 2
    assert parse_number("بثلاثة") == 3
    assert parse_number("salvo") is None
    assert [v for _, _, v in find_numbers(normalize("two salvoes, 1,200 people"))] == [2, 1200]
