"""Text normalisation shared by every rule: Arabic letter forms, digits, case, quotes, hyphens.

Each character maps to at most one character, so offsets can be mapped back to the original
(`offsets`), which the claimant extractor needs to quote names as written.
"""

from __future__ import annotations

import re

# Arabic diacritics (harakat, tanwin, shadda, sukun, dagger alef) and tatweel carry no meaning
# for matching; alef/hamza seats, taa marbuta and alef maqsura vary between outlets.
_DELETE = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640", "\u200c", "\u200f"]
_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "`": "'",
    "ʼ": "'",
    "-": " ",
    "‑": " ",
    "–": " ",
    "—": " ",
    "/": " ",
    "\u00a0": " ",
    "،": ",",
    "؛": ";",
    "؟": "?",
}
_MAP.update({chr(0x0660 + d): str(d) for d in range(10)})  # Eastern Arabic digits
_MAP.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
_TABLE = str.maketrans({**_MAP, **{ch: None for ch in _DELETE}})
_SPACES = re.compile(r"[ \t]{2,}")


def normalize(text: str) -> str:
    """Fold case and letter variants so one pattern matches every spelling; keeps newlines."""
    return text.translate(_TABLE).lower()


def normalize_arabic(text: str) -> str:
    """Fold only Arabic letter forms and digits: for writing Arabic regex patterns."""
    return text.translate(
        str.maketrans({k: v for k, v in _MAP.items() if "\u0600" <= k <= "\u06ff"})
        | {ord(ch): None for ch in _DELETE}
    )


def offsets(text: str) -> list[int]:
    """For each character of `normalize(text)`, its index in `text`."""
    result: list[int] = []
    for index, char in enumerate(text):
        if char.translate(_TABLE):
            result.append(index)
    return result


def squeeze(text: str) -> str:
    """Collapse runs of spaces (normalisation turns dashes into spaces)."""
    return _SPACES.sub(" ", text).strip()
