"""What a parser hands the normaliser: a feed and its entries, still as the feed wrote them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as read: strings may hold HTML; links are absolute where the parser could."""

    guid: str
    link: str
    title: str
    summary: str
    content: str
    published: datetime | None
    updated: datetime | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed RSS, Atom or JSON feed: the entries that survived and why the others did not."""

    kind: str
    title: str
    link: str
    language: str | None
    entries: tuple[RawEntry, ...]
    url: str
    # Tolerated complaints (wrong declared encoding, non-XML content type) and skipped entries.
    warnings: tuple[str, ...] = ()
