"""One poll cycle: fetch and parse due feeds concurrently, store through a single writer.

Fetching and parsing run in parallel within the limits; every store write goes through one
writer task, in batches, so syndicated copies never race and SQLite sees a single writer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.errors import FeedError
from bot.store.db import unit_of_work
from bot.store.models import Feed
from feeds.dedup import StoreResult, known_entry_ids, store_entries
from feeds.fetch import Fetched, HostLimiter, StatusError, fetch
from feeds.fulltext import enrich
from feeds.normalise import Entry, normalise
from feeds.parse import parse_feed
from feeds.schedule import FeedState, Outcome, Status, next_poll

log = logging.getLogger(__name__)

_BATCH = 100
_BATCH_WAIT = 0.05
OnArticles = Callable[[Sequence[int]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's poll went. `status` is "new" when anything was added or edited."""

    name: str
    status: Status
    new: int = 0
    edited: int = 0
    reason: str | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class PollReport:
    """Every polled feed's outcome, in the order the feeds were loaded."""

    outcomes: tuple[FeedOutcome, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def new(self) -> int:
        return sum(outcome.new for outcome in self.outcomes)

    @property
    def edited(self) -> int:
        return sum(outcome.edited for outcome in self.outcomes)


@dataclass(frozen=True, slots=True)
class _Job:
    id: int
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    state: FeedState
    language: str | None
    full_text: bool


@dataclass(frozen=True, slots=True)
class _Result:
    job: _Job
    fetched_at: datetime
    outcome: Outcome
    fetched: Fetched | None = None
    entries: tuple[Entry, ...] = field(default=())


def _job(feed: Feed) -> _Job:
    interval = timedelta(seconds=feed.interval_seconds) if feed.interval_seconds else None
    return _Job(
        id=feed.id,
        name=feed.name,
        url=feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        state=FeedState(
            url=feed.config_url,
            interval=interval,
            consecutive_failures=feed.consecutive_failures,
            first_failure_at=feed.first_failure_at,
        ),
        language=feed.language,
        full_text=feed.full_text,
    )


async def _load_jobs(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    names: Sequence[str] | None,
    due_only: bool,
) -> tuple[list[_Job], list[FeedOutcome]]:
    query = select(Feed).order_by(Feed.name)
    if names is not None:
        query = query.where(Feed.name.in_(list(names)))
    else:
        query = query.where(Feed.active.is_(True))
        if due_only:
            query = query.where(or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
    async with unit_of_work(sessions) as session:
        feeds = list((await session.execute(query)).scalars())
    jobs = [_job(feed) for feed in feeds if feed.active]
    skipped = [
        FeedOutcome(
            feed.name, "failed", reason=f"inactive: {feed.deactivated_reason}", url=feed.url
        )
        for feed in feeds
        if not feed.active
    ]
    found = {feed.name for feed in feeds}
    skipped += [
        FeedOutcome(name, "failed", reason="no such feed in the store (is it configured?)")
        for name in names or ()
        if name not in found
    ]
    return jobs, skipped


def _parse_and_normalise(job: _Job, fetched: Fetched, fetched_at: datetime) -> list[Entry]:
    parsed = parse_feed(fetched.body, url=fetched.url, headers=fetched.headers)
    return normalise(parsed, fetched_at=fetched_at, language=job.language, outlet=job.name)


async def _known_ids(
    sessions: async_sessionmaker[AsyncSession], job: _Job, entries: Sequence[Entry]
) -> set[str]:
    async with unit_of_work(sessions) as session:
        return await known_entry_ids(session, job.id, [e.entry_id for e in entries])


async def _poll_one(
    job: _Job,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    limiter: HostLimiter,
    now: Callable[[], datetime],
) -> _Result:
    fetched_at = now()
    try:
        async with limiter.slot(job.url):
            fetched = await fetch(
                client,
                job.url,
                settings.polling,
                now=fetched_at,
                etag=job.etag,
                last_modified=job.last_modified,
            )
        if fetched.not_modified:
            return _Result(job, fetched_at, Outcome("not_modified", 304), fetched)
        entries = await asyncio.to_thread(_parse_and_normalise, job, fetched, fetched_at)
        if job.full_text and entries:
            known = await _known_ids(sessions, job, entries)
            entries = await enrich(
                client, entries, settings.polling, limiter, now=fetched_at, skip=known
            )
        outcome = Outcome("unchanged", fetched.status)
        return _Result(job, fetched_at, outcome, fetched, tuple(entries))
    except StatusError as exc:
        outcome = Outcome("failed", exc.status, exc.retry_after, exc.reason)
    except FeedError as exc:
        outcome = Outcome("failed", reason=exc.reason)
    except Exception as exc:  # a bug must cost one feed, never the cycle
        log.exception("feed %s: unexpected error", job.name, extra={"feed": job.name})
        outcome = Outcome("failed", reason=f"internal error: {type(exc).__name__}: {exc}"[:500])
    return _Result(job, fetched_at, outcome)


async def _move(session: AsyncSession, feed: Feed, target: str) -> None:
    taken = await session.execute(select(Feed.id).where(Feed.url == target, Feed.id != feed.id))
    if taken.first() is not None:
        log.warning(
            "feed %s moved to %s, which another feed has: URL kept",
            feed.name,
            target,
            extra={"feed": feed.name},
        )
        return
    log.warning(
        "feed %s moved permanently: %s -> %s (URL updated)",
        feed.name,
        feed.url,
        target,
        extra={"feed": feed.name},
    )
    feed.url = target


async def _apply(
    session: AsyncSession, feed: Feed, result: _Result, settings: Settings
) -> tuple[FeedOutcome, StoreResult]:
    fetched, outcome, at = result.fetched, result.outcome, result.fetched_at
    stored = StoreResult()
    feed.last_fetch_at = at
    feed.last_status = outcome.http_status
    if outcome.failed:
        feed.last_error = outcome.reason
    else:
        feed.last_success_at = at
        feed.last_error = None
        feed.first_polled_at = feed.first_polled_at or at
    if fetched is not None and fetched.status == 200 and fetched.url.startswith("http"):
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    if fetched is not None and fetched.moved_to and fetched.moved_to != feed.url:
        await _move(session, feed, fetched.moved_to)
    if result.entries:
        stored = await store_entries(
            session, feed.id, result.entries, now=at, max_age=settings.alerts.max_age
        )
        feed.entries_seen += stored.sources_added
        if stored.new_ids or stored.edited_ids:
            outcome = Outcome("new", outcome.http_status)
    decision = next_poll(result.job.state, outcome, at, settings)
    feed.next_poll_at = decision.next_poll_at
    feed.consecutive_failures = decision.consecutive_failures
    feed.first_failure_at = decision.first_failure_at
    feed.retry_after_until = decision.retry_after_until
    if not decision.active:
        feed.active = False
        feed.deactivated_reason = decision.deactivated_reason
        log.warning(
            "feed %s deactivated: %s",
            feed.name,
            decision.deactivated_reason,
            extra={"feed": feed.name},
        )
    elif outcome.failed:
        log.info("feed %s failed: %s", feed.name, outcome.reason, extra={"feed": feed.name})
    reason = outcome.reason if decision.active else decision.deactivated_reason
    return (
        FeedOutcome(
            feed.name,
            outcome.status,
            len(stored.new_ids),
            len(stored.edited_ids),
            reason,
            feed.url,
        ),
        stored,
    )


async def _write_batch(
    sessions: async_sessionmaker[AsyncSession], batch: Sequence[_Result], settings: Settings
) -> list[tuple[FeedOutcome, StoreResult]]:
    async with unit_of_work(sessions) as session:
        ids = [result.job.id for result in batch]
        rows = await session.execute(select(Feed).where(Feed.id.in_(ids)))
        feeds = {feed.id: feed for feed in rows.scalars()}
        return [await _apply(session, feeds[r.job.id], r, settings) for r in batch]


async def _write(
    sessions: async_sessionmaker[AsyncSession], batch: Sequence[_Result], settings: Settings
) -> list[tuple[FeedOutcome, StoreResult]]:
    try:
        return await _write_batch(sessions, batch, settings)
    except Exception:
        if len(batch) == 1:
            result = batch[0]
            log.exception(
                "feed %s: could not store the poll's result",
                result.job.name,
                extra={"feed": result.job.name},
            )
            reason = "store error: the result could not be saved (see the log)"
            return [(FeedOutcome(result.job.name, "failed", reason=reason), StoreResult())]
    # One result broke the batch: store the others one by one so they are not lost.
    written: list[tuple[FeedOutcome, StoreResult]] = []
    for result in batch:
        written += await _write(sessions, [result], settings)
    return written


async def _writer(
    queue: asyncio.Queue[_Result | None],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    on_articles: OnArticles | None,
    outcomes: dict[int, FeedOutcome],
) -> None:
    done = False
    while not done:
        first = await queue.get()
        batch = [] if first is None else [first]
        done = first is None
        # Gather results for a moment: one transaction per batch, not per feed, keeps a 304 cheap.
        deadline = asyncio.get_running_loop().time() + _BATCH_WAIT
        while not done and len(batch) < _BATCH:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 and queue.empty():
                break
            try:
                item = await asyncio.wait_for(queue.get(), max(remaining, 0))
            except TimeoutError:
                break
            if item is None:
                done = True
            else:
                batch.append(item)
        if not batch:
            continue
        written = await _write(sessions, batch, settings)
        ids: list[int] = []
        for result, (outcome, stored) in zip(batch, written, strict=True):
            outcomes[result.job.id] = outcome
            ids += [*stored.new_ids, *stored.edited_ids]
        if on_articles is not None and ids:
            try:
                await on_articles(ids)
            except Exception:  # downstream trouble must not stop ingestion
                log.exception("on_articles failed for %d articles", len(ids))


async def poll_feeds(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    *,
    now: Callable[[], datetime],
    names: Sequence[str] | None = None,
    due_only: bool = True,
    on_articles: Callable[[Sequence[int]], Awaitable[None]] | None = None,
) -> PollReport:
    """Poll the due feeds (or the named ones, due or not) once, concurrently within limits.

    Never raises for a feed's failure: it is recorded on the Feed row (last_error, backoff,
    deactivation) and in the report. `on_articles` receives the ids of new and edited Article
    rows after they are committed (edited ones are to be re-classified, not alerted as new).
    Call `feeds.sync.sync_feeds` first so the store matches the configuration.
    """
    jobs, skipped = await _load_jobs(sessions, now(), names, due_only)
    limiter = HostLimiter.from_settings(settings.polling)
    queue: asyncio.Queue[_Result | None] = asyncio.Queue()
    outcomes: dict[int, FeedOutcome] = {}
    writer = asyncio.create_task(_writer(queue, sessions, settings, on_articles, outcomes))

    async def run(job: _Job) -> None:
        await queue.put(await _poll_one(job, settings, sessions, client, limiter, now))

    try:
        await asyncio.gather(*(run(job) for job in jobs))
    finally:
        await queue.put(None)
        await writer
    polled = tuple(outcomes[job.id] for job in jobs if job.id in outcomes)
    return PollReport(polled + tuple(skipped))
