"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1): feedparser 6 does not read it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from bot.errors import ParseError
from feeds.parsed import ParsedFeed, RawEntry

log = logging.getLogger(__name__)

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json(body: bytes, content_type: str) -> bool:
    """JSON by a body that opens with an object, or by media type unless the body is markup."""
    first = body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return first == b"{" or ("json" in content_type.lower() and first != b"<")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    # RFC 3339 requires an offset; a naive stamp is read as UTC rather than dropped.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _item(raw: Any, base: str) -> RawEntry:
    if not isinstance(raw, dict):
        raise ValueError(f"item is a {type(raw).__name__}, not an object")
    ident = raw.get("id")
    guid = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else ""
    link = _text(raw.get("url")) or _text(raw.get("external_url"))
    return RawEntry(
        guid=guid,
        link=urljoin(base, link) if link else "",
        title=_text(raw.get("title")),
        summary=_text(raw.get("summary")),
        content=_text(raw.get("content_html")) or _text(raw.get("content_text")),
        published=_date(raw.get("date_published")),
        updated=_date(raw.get("date_modified")),
        language=_text(raw.get("language")) or None,
    )


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """Parse a JSON Feed; raise ParseError if it is not one. Bad items are skipped, not fatal."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON: {exc}"[:300]) from None
    if not isinstance(document, dict):
        raise ParseError("not a JSON Feed: the document is not an object")
    version = _text(document.get("version"))
    if not version.startswith(_VERSION_PREFIX):
        raise ParseError("not a JSON Feed: no jsonfeed.org version")
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError("not a JSON Feed: no items list")
    home = _text(document.get("home_page_url"))
    base = urljoin(url, home) if home else url
    entries: list[RawEntry] = []
    warnings: list[str] = []
    for index, raw in enumerate(items):
        try:
            entries.append(_item(raw, base))
        except (ValueError, TypeError) as exc:
            warnings.append(f"item {index} skipped: {exc}")
    return ParsedFeed(
        kind="json" + version.removeprefix(_VERSION_PREFIX).replace(".", ""),
        title=_text(document.get("title")),
        link=home,
        language=_text(document.get("language")) or None,
        entries=tuple(entries),
        url=url,
        warnings=tuple(warnings),
    )
