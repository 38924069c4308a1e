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
    """A regex that searches ASCII text with its Latin half and anything else with the whole.

    Each half is compiled on first use: the whole patterns are large (Arabic number words) and
    a command that reads one English article never needs them.
    """

    __slots__ = ("_full", "_full_source", "_latin", "_latin_source")

    def __init__(self, latin: str, full: str) -> None:
        self._latin_source = latin
        self._full_source = full
        self._latin: re.Pattern[str] | None = None
        self._full: re.Pattern[str] | None = None

    @property
    def latin(self) -> re.Pattern[str]:
        if self._latin is None:
            self._latin = re.compile(self._latin_source)
        return self._latin

    @property
    def full(self) -> re.Pattern[str]:
        if self._full is None:
            self._full = re.compile(self._full_source)
        return self._full

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
    """`latin|arabic` as is (callers fold Arabic beforehand when they need to)."""
    return Bilingual(latin, f"{latin}|{arabic}")
