"""The one truth about feeds for `feeds status`, the admins' /feeds and metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ArticleSource, Feed


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """One feed's health: when it last worked, what last went wrong, when it runs next."""

    name: str
    url: str
    active: bool
    last_success: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_poll: datetime | None
    entries: int
    deactivated_reason: str | None = None
    last_fetch: datetime | None = None
    due: bool = False


async def feed_statuses(session: AsyncSession, now: datetime) -> list[FeedStatus]:
    """Every feed in the store, active first then by name; `entries` counts stored entries."""
    rows = await session.execute(
        select(ArticleSource.feed_id, func.count()).group_by(ArticleSource.feed_id)
    )
    counts: dict[int, int] = {feed_id: count for feed_id, count in rows.tuples()}
    feeds = (await session.execute(select(Feed).order_by(Feed.active.desc(), Feed.name))).scalars()
    return [
        FeedStatus(
            name=feed.name,
            url=feed.url,
            active=feed.active,
            last_success=feed.last_success_at,
            last_error=feed.last_error,
            consecutive_failures=feed.consecutive_failures,
            next_poll=feed.next_poll_at,
            entries=counts.get(feed.id, 0),
            deactivated_reason=feed.deactivated_reason,
            last_fetch=feed.last_fetch_at,
            due=feed.active and (feed.next_poll_at is None or feed.next_poll_at <= now),
        )
        for feed in feeds
    ]
