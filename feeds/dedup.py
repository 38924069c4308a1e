"""Storing entries: new once per feed, one Article per story, edits updated in place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article, ArticleSource
from feeds.normalise import Entry

_CHUNK = 500
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoreResult:
    """Ids of Articles created and edited, and how many entries joined an existing story."""

    new_ids: tuple[int, ...] = ()
    edited_ids: tuple[int, ...] = ()
    linked: int = 0
    unchanged: int = 0

    @property
    def sources_added(self) -> int:
        return len(self.new_ids) + self.linked


def _chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def unique_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The first entry of each id: a feed repeating a guid yields one story."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.entry_id, entry)
    return list(seen.values())


async def known_entry_ids(session: AsyncSession, feed_id: int, ids: Sequence[str]) -> set[str]:
    """Which of `ids` this feed has already delivered."""
    known: set[str] = set()
    for chunk in _chunks(ids):
        rows = await session.execute(
            select(ArticleSource.entry_id).where(
                ArticleSource.feed_id == feed_id, ArticleSource.entry_id.in_(chunk)
            )
        )
        known.update(rows.scalars())
    return known


async def _sources(session: AsyncSession, feed_id: int, ids: Sequence[str]) -> dict[str, Any]:
    found: dict[str, ArticleSource] = {}
    for chunk in _chunks(ids):
        rows = await session.execute(
            select(ArticleSource).where(
                ArticleSource.feed_id == feed_id, ArticleSource.entry_id.in_(chunk)
            )
        )
        found.update((s.entry_id, s) for s in rows.scalars())
    return found


async def _articles_matching(
    session: AsyncSession, urls: Sequence[str], hashes: Sequence[str]
) -> tuple[dict[str, Article], dict[str, Article]]:
    by_url: dict[str, Article] = {}
    by_hash: dict[str, Article] = {}
    for chunk in _chunks(urls):
        rows = await session.execute(select(Article).where(Article.canonical_url.in_(chunk)))
        for article in rows.scalars():
            by_url.setdefault(article.canonical_url or "", article)
    for chunk in _chunks(hashes):
        rows = await session.execute(select(Article).where(Article.content_hash.in_(chunk)))
        for article in rows.scalars():
            by_hash.setdefault(article.content_hash, article)
    return by_url, by_hash


async def _articles_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Article]:
    found: dict[int, Article] = {}
    for chunk in _chunks(ids):
        rows = await session.execute(select(Article).where(Article.id.in_(chunk)))
        found.update((a.id, a) for a in rows.scalars())
    return found


def _new_article(entry: Entry, now: datetime, max_age: timedelta) -> Article:
    return Article(
        canonical_url=entry.url or None,
        content_hash=entry.content_hash,
        title=entry.title,
        summary=entry.summary,
        text=entry.text,
        lang=entry.lang,
        outlet=entry.outlet,
        published_at=entry.published,
        fetched_at=entry.fetched_at,
        updated_at=now,
        # Old news (e.g. a feed's back catalogue on first sight) is kept but never alerted.
        alertable=entry.published >= now - max_age,
    )


def _edit(article: Article, source: ArticleSource, entry: Entry, now: datetime) -> None:
    article.title = entry.title
    article.summary = entry.summary
    article.text = entry.text
    article.content_hash = entry.content_hash
    article.updated_at = now
    source.content_hash = entry.content_hash


async def store_entries(
    session: AsyncSession,
    feed_id: int,
    entries: Sequence[Entry],
    *,
    now: datetime,
    max_age: timedelta,
) -> StoreResult:
    """Store a feed's entries in the caller's transaction; see StoreResult for what changed."""
    batch = unique_entries(entries)
    sources = await _sources(session, feed_id, [e.entry_id for e in batch])
    fresh = [e for e in batch if e.entry_id not in sources]
    by_url, by_hash = await _articles_matching(
        session, sorted({e.url for e in fresh if e.url}), sorted({e.content_hash for e in fresh})
    )
    changed = [e for e in batch if e.entry_id in sources]
    changed = [e for e in changed if sources[e.entry_id].content_hash != e.content_hash]
    edited_articles = await _articles_by_id(
        session, [sources[e.entry_id].article_id for e in changed]
    )
    new_ids: list[Article] = []
    edited: list[int] = []
    linked = 0
    for entry in changed:
        source = sources[entry.entry_id]
        _edit(edited_articles[source.article_id], source, entry, now)
        edited.append(source.article_id)
    for entry in fresh:
        article = (by_url.get(entry.url) if entry.url else None) or by_hash.get(entry.content_hash)
        if article is None:
            article = _new_article(entry, now, max_age)
            session.add(article)
            new_ids.append(article)
            if entry.url:
                by_url[entry.url] = article
            by_hash[entry.content_hash] = article
        else:
            linked += 1
        session.add(
            ArticleSource(
                feed_id=feed_id,
                article=article,
                entry_id=entry.entry_id,
                link=entry.link,
                content_hash=entry.content_hash,
                first_seen_at=now,
            )
        )
    await session.flush()
    unchanged = len(batch) - len(changed) - len(fresh)
    return StoreResult(
        tuple(a.id for a in new_ids), tuple(dict.fromkeys(edited)), linked, unchanged
    )
