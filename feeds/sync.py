"""The TOML's [[feeds]] are the truth: bring the Feed table in line, keeping state by URL."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import FeedSettings, Settings
from bot.store.models import Feed

log = logging.getLogger(__name__)

REMOVED = "removed from the configuration"


def _apply(feed: Feed, config: FeedSettings) -> None:
    feed.name = config.name
    feed.interval_seconds = int(config.interval.total_seconds()) if config.interval else None
    feed.language = config.language
    feed.full_text = config.full_text


async def sync_feeds(session: AsyncSession, settings: Settings, now: datetime) -> None:
    """Add configured feeds, deactivate removed ones, update the rest; state is kept by URL.

    A feed deactivated by its failures stays deactivated while it is still configured; one
    that was removed from the file and comes back is active again and due at once.
    """
    rows = list((await session.execute(select(Feed))).scalars())
    by_config_url = {feed.config_url: feed for feed in rows}
    by_url = {feed.url: feed for feed in rows}
    configured: set[int] = set()
    for config in settings.feeds:
        feed = by_config_url.get(config.url) or by_url.get(config.url)
        if feed is None:
            feed = Feed(
                name=config.name,
                url=config.url,
                config_url=config.url,
                active=True,
                consecutive_failures=0,
                entries_seen=0,
                next_poll_at=now,
                created_at=now,
            )
            session.add(feed)
            log.info("feed %s added (%s)", config.name, config.url, extra={"feed": config.name})
        elif not feed.active and feed.deactivated_reason == REMOVED:
            feed.active = True
            feed.deactivated_reason = None
            feed.next_poll_at = now
            log.info("feed %s is configured again", config.name, extra={"feed": config.name})
        _apply(feed, config)
        await session.flush()
        configured.add(feed.id)
    for feed in rows:
        if feed.id not in configured and feed.active:
            feed.active = False
            feed.deactivated_reason = REMOVED
            log.info("feed %s deactivated: %s", feed.name, REMOVED, extra={"feed": feed.name})
    await session.flush()
