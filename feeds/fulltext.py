"""Optional full text: fetch the article page for promising entries, extract with trafilatura."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import Sequence
from datetime import datetime

import httpx

from bot.config import PollingSettings
from bot.errors import FeedError
from feeds.fetch import HostLimiter, fetch
from feeds.normalise import Entry, html_to_paragraphs

log = logging.getLogger(__name__)

_PREFILTER = re.compile(
    r"\b(iraq|baghdad|green\s+zone|international\s+zone|embassy)"
    r"|العراق|عراق|بغداد|المنطقة الخضراء|المنطقة الدولية|السفارة",
    re.IGNORECASE,
)


def worth_full_text(entry: Entry) -> bool:
    """The cheap prefilter: does the title or summary name Iraq, Baghdad, the zone or an embassy?"""
    return bool(_PREFILTER.search(entry.title) or _PREFILTER.search(entry.summary))


def extract_text(page: bytes, url: str) -> str:
    """Main text of an HTML page with trafilatura ("" if nothing is found)."""
    import trafilatura

    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=False)
    return html_to_paragraphs(text) if text else ""


async def with_full_text(
    client: httpx.AsyncClient,
    entry: Entry,
    settings: PollingSettings,
    limiter: HostLimiter,
    *,
    now: datetime,
) -> Entry:
    """The entry with the page's main text as `text`, or unchanged on any failure."""
    if entry.has_content or not entry.link.startswith(("http://", "https://")):
        return entry
    try:
        async with limiter.slot(entry.link):
            page = await fetch(client, entry.link, settings, now=now)
        text = await asyncio.to_thread(extract_text, page.body, entry.link)
    except FeedError as exc:
        log.info("full text of %s not fetched: %s", entry.link, exc.reason)
        return entry
    except Exception:  # trafilatura/lxml failures on hostile pages: keep the summary
        log.warning("full text of %s not extracted", entry.link, exc_info=True)
        return entry
    if len(text) <= len(entry.summary):
        return entry
    # The content hash stays the feed's: a page fetch that fails next time is not an edit.
    return dataclasses.replace(entry, text=text, has_content=True)


async def enrich(
    client: httpx.AsyncClient,
    entries: Sequence[Entry],
    settings: PollingSettings,
    limiter: HostLimiter,
    *,
    now: datetime,
    skip: set[str],
) -> list[Entry]:
    """Full text for the entries passing the prefilter whose ids are not in `skip`."""

    async def one(entry: Entry) -> Entry:
        if entry.entry_id in skip or not worth_full_text(entry):
            return entry
        return await with_full_text(client, entry, settings, limiter, now=now)

    return list(await asyncio.gather(*(one(entry) for entry in entries)))
