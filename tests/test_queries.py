"""Store queries behind the answers, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.incidents.repo import load_incident_view
from bot.queries import (
    IncidentFilter,
    MonthCount,
    count_incidents,
    latest_incident,
    list_incidents,
    monthly_counts,
    search_incidents,
    service_stats,
)
from bot.store import models
from bot.store.db import unit_of_work
from feeds.status import feed_statuses

NOW = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
_serial = itertools.count(1)


async def add_incident(
    session: AsyncSession,
    day: date,
    *,
    weapon: str | None = "rocket",
    projectiles: int | None = None,
    killed: int | None = None,
    injured: int | None = None,
    target: str | None = "US embassy",
    claimed_by: str | None = None,
    reports: tuple[tuple[str, str], ...] = (("Example News", "Rockets hit Baghdad"),),
) -> int:
    """An incident with one article and report per (outlet, title); returns its id."""
    published = datetime.combine(day, time(6, 0), tzinfo=UTC)
    incident = models.Incident(
        zone="baghdad-iz",
        date=day,
        weapon=weapon,
        projectiles=projectiles,
        killed=killed,
        injured=injured,
        target=target,
        claimed_by=claimed_by,
        version=1,
        first_published_at=published,
        last_published_at=published,
        created_at=published,
        updated_at=published,
    )
    session.add(incident)
    await session.flush()
    for outlet, title in reports:
        n = next(_serial)
        article = models.Article(
            canonical_url=f"https://news.example/{n}",
            content_hash=f"{n:064d}",
            title=title,
            summary=f"{title}. Summary.",
            text=f"{title}. Body.",
            lang="en",
            outlet=outlet,
            published_at=published,
            fetched_at=published,
            updated_at=published,
        )
        session.add(article)
        await session.flush()
        session.add(
            models.IncidentReport(
                incident_id=incident.id,
                article_id=article.id,
                published_at=published,
                outlet=outlet,
                url=f"https://news.example/{n}",
                facts={},
                added_at=published,
            )
        )
    await session.flush()
    return incident.id


async def fill(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Five incidents over 2023-2024 with varied weapons, casualties and claims."""
    async with unit_of_work(sessions) as session:
        return {
            "dec1": await add_incident(session, date(2023, 12, 1), projectiles=2),
            "dec8": await add_incident(
                session,
                date(2023, 12, 8),
                projectiles=3,
                killed=0,
                injured=0,
                reports=(("Wire A", "Rockets near US embassy"), ("Wire B", "Embassy attacked")),
            ),
            "jan": await add_incident(
                session,
                date(2024, 1, 20),
                weapon="drone",
                killed=1,
                injured=2,
                target="Union III",
                claimed_by="Islamic Resistance in Iraq",
                reports=(("Wire C", "Drone strikes Union III base"),),
            ),
            "feb": await add_incident(session, date(2024, 2, 3), weapon=None, injured=1),
            "mar": await add_incident(
                session, date(2024, 3, 14), weapon="mortar", reports=(("Wire D", "50% ofax"),)
            ),
        }


async def test_lists_newest_first_with_sources(sessions: async_sessionmaker[AsyncSession]) -> None:
    ids = await fill(sessions)
    async with unit_of_work(sessions) as session:
        page1 = await list_incidents(session, IncidentFilter(), limit=2)
        page2 = await list_incidents(session, IncidentFilter(), limit=2, offset=2)
        latest = await latest_incident(session)
        one = await load_incident_view(session, ids["dec8"])
        missing = await load_incident_view(session, 99999)
    assert [v.id for v in page1] == [ids["mar"], ids["feb"]]
    assert [v.id for v in page2] == [ids["jan"], ids["dec8"]]
    assert latest is not None
    assert latest.id == ids["mar"]
    assert one is not None
    assert [s.outlet for s in one.sources] == ["Wire A", "Wire B"]
    assert one.sources[0].title == "Rockets near US embassy"
    assert missing is None


async def test_filters_and_counts(sessions: async_sessionmaker[AsyncSession]) -> None:
    ids = await fill(sessions)
    december = IncidentFilter(start=date(2023, 12, 1), end=date(2024, 1, 1))
    async with unit_of_work(sessions) as session:
        assert await count_incidents(session, IncidentFilter()) == 5
        assert await count_incidents(session, december) == 2
        casualties = await list_incidents(session, IncidentFilter(casualties_only=True), limit=10)
        drones = await count_incidents(session, IncidentFilter(weapon="drone"))
        unknown = await list_incidents(session, IncidentFilter(weapon="unknown"), limit=10)
        claimed = await list_incidents(session, IncidentFilter(claimed_only=True), limit=10)
        by_name = await count_incidents(session, IncidentFilter(claimant="islamic RESISTANCE"))
        wrong_name = await count_incidents(session, IncidentFilter(claimant="kataib"))
        since = await count_incidents(session, IncidentFilter(start=date(2024, 1, 1)))
    assert [v.id for v in casualties] == [ids["feb"], ids["jan"]]
    assert drones == 1
    assert [v.id for v in unknown] == [ids["feb"]]
    assert [v.id for v in claimed] == [ids["jan"]]
    assert (by_name, wrong_name, since) == (1, 0, 3)


async def test_monthly_counts(sessions: async_sessionmaker[AsyncSession]) -> None:
    await fill(sessions)
    async with unit_of_work(sessions) as session:
        counts = await monthly_counts(session, IncidentFilter())
        recent = await monthly_counts(session, IncidentFilter(start=date(2024, 2, 1)))
    assert counts == [
        MonthCount(2023, 12, "rocket", 2),
        MonthCount(2024, 1, "drone", 1),
        MonthCount(2024, 2, "unknown", 1),
        MonthCount(2024, 3, "mortar", 1),
    ]
    assert recent == counts[2:]


async def test_search_reports_and_escapes_wildcards(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = await fill(sessions)
    async with unit_of_work(sessions) as session:
        embassy = await search_incidents(session, "EMBASSY", limit=10)
        union = await search_incidents(session, "union iii", limit=10)
        percent = await search_incidents(session, "50%", limit=10)
        wildcard = await search_incidents(session, "%%", limit=10)
        underscore = await search_incidents(session, "f_x", limit=10)
        by_outlet = await search_incidents(session, "wire c", limit=10)
    # Every incident targets the US embassy by default; the titles match two of them too.
    assert ids["dec8"] in [v.id for v in embassy]
    assert [v.id for v in union] == [ids["jan"]]
    assert [v.id for v in percent] == [ids["mar"]]
    assert wildcard == []
    assert underscore == []
    assert [v.id for v in by_outlet] == [ids["jan"]]


async def test_service_stats_and_feeds(sessions: async_sessionmaker[AsyncSession]) -> None:
    await fill(sessions)
    async with unit_of_work(sessions) as session:
        session.add_all(
            [
                models.Chat(id=1, subscribed=True, created_at=NOW, updated_at=NOW),
                models.Chat(id=2, subscribed=True, active=False, created_at=NOW, updated_at=NOW),
                models.Chat(id=-3, from_config=True, kind="group", created_at=NOW, updated_at=NOW),
                models.Feed(
                    name="wire",
                    url="https://wire.example/rss",
                    config_url="https://wire.example/rss",
                    last_fetch_at=NOW - timedelta(minutes=5),
                    consecutive_failures=2,
                    last_error="HTTP 503",
                    created_at=NOW,
                ),
            ]
        )
    async with unit_of_work(sessions) as session:
        stats = await service_stats(session, NOW)
        feeds = await feed_statuses(session, NOW)
    assert (stats.incidents, stats.incidents_30_days, stats.articles) == (5, 1, 6)
    assert (stats.chats_subscribed, stats.chats_inactive) == (2, 1)
    assert (stats.feeds_active, stats.feeds_total) == (1, 1)
    assert stats.last_fetch_at == NOW - timedelta(minutes=5)
    assert [(f.name, f.consecutive_failures, f.last_error) for f in feeds] == [
        ("wire", 2, "HTTP 503")
    ]
