"""OPML in and out: import prints [[feeds]] TOML blocks, export writes the configured feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot.config import FeedSettings
from bot.errors import InputError, ParseError
from feeds.parse import refuse_entities


def _outlines(element: ET.Element) -> Iterator[ET.Element]:
    for child in element:
        if child.tag == "outline":
            yield child
            yield from _outlines(child)


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    taken.add(candidate)
    return candidate


def parse_opml(data: bytes) -> list[FeedSettings]:
    """The feeds (outlines with an xmlUrl) of an OPML document; bad URLs are skipped."""
    try:
        refuse_entities(data)
        root = ET.fromstring(data)
    except (ParseError, ET.ParseError) as exc:
        raise InputError(f"not a readable OPML file: {exc}") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise InputError("not an OPML file: no <opml><body>")
    feeds: list[FeedSettings] = []
    names: set[str] = set()
    urls: set[str] = set()
    for outline in _outlines(body):
        url = (outline.get("xmlUrl") or "").strip()
        if not url or url in urls:
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        language = (outline.get("language") or "").strip().lower()[:2]
        try:
            feed = FeedSettings(
                name=_unique(title or urlsplit(url).netloc or url, names),
                url=url,
                language=language if language in ("en", "ar") else None,
            )
        except ValidationError:
            continue
        urls.add(url)
        feeds.append(feed)
    return feeds


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(value, ensure_ascii=False)


def to_toml(feeds: Sequence[FeedSettings]) -> str:
    """The [[feeds]] blocks for these feeds, ready to paste into the settings file."""
    blocks = []
    for feed in feeds:
        lines = [
            "[[feeds]]",
            f"name = {_toml_string(feed.name)}",
            f"url = {_toml_string(feed.url)}",
        ]
        if feed.language:
            lines.append(f"language = {_toml_string(feed.language)}")
        if feed.interval is not None:
            lines.append(f'interval = "{int(feed.interval.total_seconds())}s"')
        if feed.full_text:
            lines.append("full_text = true")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def export_opml(feeds: Sequence[FeedSettings], *, title: str = "Green Zone Watch feeds") -> str:
    """An OPML 2.0 document listing the feeds."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.language:
            attributes["language"] = feed.language
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
