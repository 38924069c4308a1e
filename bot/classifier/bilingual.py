"""Patterns compiled twice: whole, and as their Latin alternatives alone for ASCII text.

A pattern written `latin|arabic` (top-level alternatives, Arabic ones last) finds exactly the
same matches in ASCII text as `latin` alone, since every Arabic alternative needs an Arabic
letter. Python's regex engine still tries those alternatives at every position, which costs
more than the Latin ones, and most news text is ASCII once normalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Bilingual:
    """A regex that searches ASCII text with its Latin half and anything else with the whole."""

    __slots__ = ("full", "latin")

    def __init__(self, latin: re.Pattern[str], full: re.Pattern[str]) -> None:
        self.latin = latin
        self.full = full

    def on(self, text: str) -> re.Pattern[str]:
        """The compiled pattern to run on `text`."""
        return self.latin if text.isascii() else self.full

    def search(self, text: str) -> re.Match[str] | None:
        return self.on(text).search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.on(text).match(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.on(text).finditer(text)

    def findall(self, text: str) -> list[str]:
        return [m.group(0) for m in self.on(text).finditer(text)]


def bilingual(latin: str, arabic: str) -> Bilingual:
    """`latin|arabic` compiled as is (callers fold Arabic beforehand when they need to)."""
    return Bilingual(re.compile(latin), re.compile(f"{latin}|{arabic}"))
