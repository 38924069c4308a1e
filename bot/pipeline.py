"""Stored articles -> classification -> incidents, one unit of work per article.

A new incident version is handed to `on_version` inside the transaction that wrote it, so the
outbox's deliveries commit (or roll back) together with the version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.incidents.facts import classification_to_json
from bot.incidents.repo import GroupingContext, place_report
from bot.records import Article, Classification, VersionEvent
from bot.store import models
from bot.store.db import unit_of_work

OnVersion = Callable[[AsyncSession, VersionEvent], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PipelineResult:
    """What one run did: counts, the incidents it touched and the versions it wrote."""

    processed: int
    attacks: int
    # Article ids given that are not in the store.
    missing: tuple[int, ...]
    # Incidents that received a report, in the order first touched.
    incidents: tuple[int, ...]
    created: tuple[int, ...]
    versions: tuple[VersionEvent, ...]


async def _outlet_and_url(session: AsyncSession, row: models.Article) -> tuple[str, str]:
    """The article's outlet (else its first feed's name) and URL (else its first entry link)."""
    first = (
        await session.execute(
            select(models.Feed.name, models.ArticleSource.link)
            .join(models.Feed, models.Feed.id == models.ArticleSource.feed_id)
            .where(models.ArticleSource.article_id == row.id)
            .order_by(models.ArticleSource.id)
            .limit(1)
        )
    ).first()
    feed_name, link = (first[0], first[1]) if first else ("", "")
    return row.outlet or feed_name, row.canonical_url or link


def to_record(row: models.Article, outlet: str, url: str) -> Article:
    return Article(
        id=str(row.id),
        title=row.title,
        summary=row.summary,
        text=row.text,
        published=row.published_at,
        lang=row.lang,
        url=url,
        outlet=outlet,
    )


async def _save_classification(
    session: AsyncSession, article_id: int, verdict: Classification, version: str, now: datetime
) -> None:
    row = await session.scalar(
        select(models.Classification).where(models.Classification.article_id == article_id)
    )
    if row is None:
        row = models.Classification(article_id=article_id)
        session.add(row)
    row.attack = verdict.attack
    row.score = verdict.score
    row.zone = verdict.zone
    row.facts = classification_to_json(verdict)
    row.classifier_version = version
    row.classified_at = now


async def process_articles(
    sessions: async_sessionmaker[AsyncSession],
    article_ids: Sequence[int],
    *,
    settings: Settings,
    now: datetime,
    on_version: OnVersion | None = None,
) -> PipelineResult:
    """Classify each stored article and group its attack report, in the order given."""
    from bot.classifier import CLASSIFIER_VERSION, classify

    zones = settings.classifier.all_zones()
    ctx = GroupingContext.from_zones(zones, settings.alerts.grouping_window)
    missing: list[int] = []
    touched: dict[int, None] = {}
    created: list[int] = []
    versions: list[VersionEvent] = []
    attacks = 0
    for article_id in article_ids:
        async with unit_of_work(sessions) as session:
            row = await session.get(models.Article, article_id)
            if row is None:
                missing.append(article_id)
                continue
            outlet, url = await _outlet_and_url(session, row)
            verdict = classify(
                to_record(row, outlet, url), zones=zones, threshold=settings.classifier.threshold
            )
            await _save_classification(session, row.id, verdict, CLASSIFIER_VERSION, now)
            placement = await place_report(
                session, row, verdict, outlet=outlet, url=url, ctx=ctx, now=now
            )
            attacks += verdict.attack
            if placement.incident_id is not None:
                touched.setdefault(placement.incident_id)
                if placement.created:
                    created.append(placement.incident_id)
            if placement.event is not None:
                versions.append(placement.event)
                if on_version is not None:
                    await on_version(session, placement.event)
    return PipelineResult(
        processed=len(article_ids) - len(missing),
        attacks=attacks,
        missing=tuple(missing),
        incidents=tuple(touched),
        created=tuple(created),
        versions=tuple(versions),
    )
