"""Bytes to ParsedFeed: JSON Feed by us, RSS/Atom by feedparser, with bozo as policy.

Call `parse_feed` in a worker thread (asyncio.to_thread): feedparser is CPU-bound.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.errors import ParseError
from feeds.jsonfeed import looks_like_json, parse_json_feed
from feeds.parsed import ParsedFeed, RawEntry

__all__ = ["ParsedFeed", "RawEntry", "parse_feed"]

log = logging.getLogger(__name__)

# Complaints after which what feedparser read is still the feed; anything else fails the fetch.
_TOLERATED = (
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
    feedparser.NonXMLContentType,
)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_XML_DECL = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.IGNORECASE | re.DOTALL)


def refuse_entities(body: bytes) -> None:
    """Refuse internal entity declarations: the only use feeds have for them is a bomb."""
    match = _DOCTYPE.search(body, 0, 65536)
    if match is None:
        return
    end = body.find(b"]>", match.end())
    subset = body[match.end() : end if end != -1 else match.end() + 65536]
    if b"<!ENTITY" in subset.upper():
        raise ParseError("refused: the DOCTYPE declares XML entities (entity-expansion bomb?)")


def _arabic_share(text: str) -> float:
    high = [c for c in text if ord(c) > 127]
    if not high:
        return 0.0
    return sum("\u0600" <= c <= "\u06ff" for c in high) / len(high)


def _repair_arabic(body: bytes) -> bytes | None:
    """Arabic sites often serve windows-1256 declared as UTF-8: re-encode when that is evident."""
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    text = body.decode("cp1256", errors="replace")
    if _arabic_share(text) < 0.6:
        return None
    repaired = text.encode("utf-8")
    return _XML_DECL.sub(rb"\1\2utf-8\2", repaired, count=1)


def _utc(parsed: Any) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def _content(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content") or () if c.get("value")]
    return max(parts, key=len) if parts else ""


def _entry(entry: Any) -> RawEntry:
    return RawEntry(
        guid=str(entry.get("id") or ""),
        link=str(entry.get("link") or ""),
        title=str(entry.get("title") or ""),
        summary=str(entry.get("summary") or ""),
        content=_content(entry),
        published=_utc(entry.get("published_parsed")),
        # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
        updated=_utc(dict.get(entry, "updated_parsed")),
        language=(entry.get("title_detail") or {}).get("language") or None,
    )


def _run_feedparser(body: bytes, headers: Mapping[str, str]) -> Any:
    # A BytesIO, never bytes or str: feedparser opens strings as URLs or file names.
    return feedparser.parse(io.BytesIO(body), response_headers=dict(headers))


def _xml_feed(body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    refuse_entities(body)
    result = _run_feedparser(body, headers)
    warnings: list[str] = []
    if result.get("bozo") and isinstance(result.get("bozo_exception"), _TOLERATED):
        repaired = _repair_arabic(body)
        if repaired is not None:
            result = _run_feedparser(repaired, {**headers, "content-type": "application/xml"})
            warnings.append("declared encoding was wrong: read as windows-1256")
    version = result.get("version") or ""
    if result.get("bozo"):
        problem = result.get("bozo_exception")
        if not isinstance(problem, _TOLERATED):
            if not version and _HTML_START.match(body):
                raise ParseError("not a feed: the server sent an HTML page")
            raise ParseError(f"malformed feed: {problem}"[:300])
        warnings.append(f"tolerated: {problem}")
    if not version:
        if _HTML_START.match(body):
            raise ParseError("not a feed: the server sent an HTML page")
        raise ParseError("not an RSS, Atom or JSON feed")
    entries: list[RawEntry] = []
    for index, entry in enumerate(result.entries):
        try:
            entries.append(_entry(entry))
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            warnings.append(f"entry {index} skipped: {exc}")
    feed = result.get("feed") or {}
    for warning in warnings:
        log.info("feed %s: %s", url, warning)
    return ParsedFeed(
        kind=version,
        title=str(feed.get("title") or ""),
        link=str(feed.get("link") or ""),
        language=str(feed.get("language") or "") or None,
        entries=tuple(entries),
        url=url,
        warnings=tuple(warnings),
    )


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed bytes; raise ParseError with a reason.

    `headers` are the response headers (any case); they are lower-cased and given a
    content-location of `url` so feedparser resolves relative links against the feed.
    """
    if not body.strip():
        raise ParseError("empty body: the server sent no feed")
    lowered = {key.lower(): value for key, value in headers.items()}
    lowered.setdefault("content-location", url)
    if looks_like_json(body, lowered.get("content-type", "")):
        return parse_json_feed(body, url=url)
    return _xml_feed(body, url, lowered)
