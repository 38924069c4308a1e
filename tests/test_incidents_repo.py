"""Incidents in the store, on SQLite and PostgreSQL: placement, versions, idempotence, views."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.incidents.repo import (
    GroupingContext,
    Placement,
    list_incident_views,
    load_incident_view,
    place_report,
    report_keys,
    version_counts,
)
from bot.records import Classification, Location, VersionEvent
from bot.store import models
from bot.store.db import unit_of_work
from bot.zones import DEFAULT_ZONES

NOW = datetime(2024, 1, 1, tzinfo=UTC)
CTX = GroupingContext.from_zones(DEFAULT_ZONES, timedelta(hours=72))
EMBASSY = Location("US embassy", 33.299, 44.396)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def attack(day: str, **facts: Any) -> Classification:
    return Classification(
        attack=True,
        score=0.9,
        zone="baghdad-iz",
        date=date.fromisoformat(day),
        weapon=facts.pop("weapon", "rocket"),
        **facts,
    )


async def add_article(
    sessions: async_sessionmaker[AsyncSession],
    title: str,
    published: str,
    *,
    outlet: str = "",
    alertable: bool = True,
    entry_id: str | None = None,
) -> int:
    async with unit_of_work(sessions) as session:
        feed = await session.scalar(select(models.Feed).where(models.Feed.name == "wire"))
        if feed is None:
            feed = models.Feed(
                name="wire", url="https://wire.example/rss", config_url="https://wire.example/rss",
                created_at=NOW,
            )  # fmt: skip
            session.add(feed)
            await session.flush()
        article = models.Article(
            canonical_url=f"https://news.example/{title.replace(' ', '-')}",
            content_hash=title,
            title=title,
            summary=title,
            text=title,
            lang="en",
            outlet=outlet,
            published_at=at(published),
            fetched_at=NOW,
            updated_at=NOW,
            alertable=alertable,
        )
        session.add(article)
        await session.flush()
        session.add(
            models.ArticleSource(
                feed_id=feed.id,
                article_id=article.id,
                entry_id=entry_id or f"entry-{article.id}",
                link=article.canonical_url or "",
                content_hash=title,
                first_seen_at=NOW,
            )
        )
        return article.id


async def place(
    sessions: async_sessionmaker[AsyncSession], article_id: int, verdict: Classification
) -> Placement:
    async with unit_of_work(sessions) as session:
        article = await session.get_one(models.Article, article_id)
        return await place_report(
            session, article, verdict, outlet=article.outlet, url="", ctx=CTX, now=NOW
        )


async def versions(sessions: async_sessionmaker[AsyncSession], incident_id: int) -> list[Any]:
    async with unit_of_work(sessions) as session:
        rows = await session.scalars(
            select(models.IncidentVersion)
            .where(models.IncidentVersion.incident_id == incident_id)
            .order_by(models.IncidentVersion.version)
        )
        return [(v.version, v.changed, v.headline) for v in rows]


async def test_reports_of_one_attack_make_one_incident_with_versions(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = await add_article(sessions, "Rockets fired at US embassy", "2023-12-08 02:05")
    second = await add_article(sessions, "Rockets hit US embassy compound", "2023-12-08 06:40")
    third = await add_article(sessions, "US embassy attack: no casualties", "2023-12-09 10:30")

    p1 = await place(sessions, first, attack("2023-12-08", weapon="unknown", target="US embassy"))
    assert p1.created
    assert p1.event == VersionEvent(p1.incident_id or 0, 1, (), True)

    p2 = await place(sessions, second, attack("2023-12-08", projectiles=3, target="US embassy"))
    assert (p2.incident_id, p2.created) == (p1.incident_id, False)
    assert p2.event is not None
    assert (p2.event.version, p2.event.changed) == (2, ("weapon", "projectiles"))

    p3 = await place(sessions, third, attack("2023-12-08", killed=0, injured=0))
    assert p3.incident_id == p1.incident_id
    assert p3.event is not None
    assert (p3.event.version, p3.event.changed) == (3, ("killed", "injured"))

    history = await versions(sessions, p1.incident_id or 0)
    assert [v[:2] for v in history] == [
        (1, []),
        (2, ["weapon", "projectiles"]),
        (3, ["killed", "injured"]),
    ]
    assert history[-1][2]["projectiles"] == 3
    assert history[-1][2]["date"] == "2023-12-08"


async def test_reprocessing_is_idempotent_and_an_edit_replaces_facts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    article = await add_article(sessions, "Drone hits PM residence", "2021-11-07 01:00")
    verdict = attack("2021-11-07", weapon="drone", injured=6, target="PM residence")
    first = await place(sessions, article, verdict)
    again = await place(sessions, article, verdict)
    assert again.incident_id == first.incident_id
    assert again.event is None
    assert len(await versions(sessions, first.incident_id or 0)) == 1

    edited = await place(sessions, article, attack("2021-11-07", weapon="drone", injured=7))
    assert edited.event is not None
    assert edited.event.changed == ("injured", "target")
    async with unit_of_work(sessions) as session:
        count = await session.scalar(select(func.count()).select_from(models.IncidentReport))
        report = await session.scalar(select(models.IncidentReport))
    assert count == 1
    assert report is not None
    assert report.facts["injured"] == 7


async def test_late_and_reordered_reports_land_in_the_right_incident(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Polled in this order: the follow-up first, then the earlier report, then another attack.
    follow_up = await add_article(sessions, "Claim for embassy rockets", "2020-01-27 07:15")
    early = await add_article(sessions, "Rockets hit US embassy", "2020-01-26 18:40")
    next_day = await add_article(sessions, "New rockets at US embassy", "2020-01-28 19:00")
    days_later = await add_article(sessions, "Embassy attack inquiry", "2020-01-29 12:00")

    a = await place(sessions, follow_up, attack("2020-01-26", projectiles=5, claimed_by="X"))
    b = await place(sessions, early, attack("2020-01-26", projectiles=3, target="US embassy"))
    c = await place(sessions, next_day, attack("2020-01-28", projectiles=2, target="US embassy"))
    d = await place(sessions, days_later, attack("2020-01-26", injured=3))
    assert a.incident_id == b.incident_id == d.incident_id
    assert c.created
    assert c.incident_id != a.incident_id

    async with unit_of_work(sessions) as session:
        view = await load_incident_view(session, a.incident_id or 0)
        keys = await report_keys(session, [a.incident_id or 0])
    assert view is not None
    assert view.first_published == at("2020-01-26 18:40")
    assert view.last_published == at("2020-01-29 12:00")
    assert (view.claimed_by, view.injured, view.target) == ("X", 3, "US embassy")
    assert keys[a.incident_id or 0] == [
        f"entry-{early}",
        f"entry-{follow_up}",
        f"entry-{days_later}",
    ]


async def test_views_list_filter_and_name_the_outlet_or_the_feed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = [
        await add_article(sessions, "Rockets at Green Zone", "2020-06-17 21:30", outlet="Levant"),
        await add_article(sessions, "Rockets Green Zone again", "2020-06-19 09:00"),
        await add_article(sessions, "Drone at parliament", "2022-09-28 11:05", outlet="Gulf"),
    ]
    await place(sessions, ids[0], attack("2020-06-17", target="Green Zone"))
    await place(sessions, ids[1], attack("2020-06-17", claimed_by="Usbat al-Thaireen"))
    await place(
        sessions,
        ids[2],
        attack("2022-09-28", weapon="drone", target="parliament", location=EMBASSY),
    )
    async with unit_of_work(sessions) as session:
        everything = await list_incident_views(
            session, since=None, until=None, limit=None, newest_first=False
        )
        newest = await list_incident_views(
            session, since=None, until=None, limit=1, newest_first=True
        )
        in_2020 = await list_incident_views(
            session,
            since=date(2020, 1, 1),
            until=date(2020, 12, 31),
            limit=None,
            newest_first=False,
        )
        counts = await version_counts(session, [v.id for v in everything])
        missing = await load_incident_view(session, 9999)
    assert [v.date for v in everything] == [date(2020, 6, 17), date(2022, 9, 28)]
    assert [v.date for v in newest] == [date(2022, 9, 28)]
    assert [v.id for v in in_2020] == [everything[0].id]
    june = everything[0]
    assert [s.outlet for s in june.sources] == ["Levant", "wire"]
    assert june.sources[0].url == ""
    assert june.sources[0].title == "Rockets at Green Zone"
    assert june.claimed_by == "Usbat al-Thaireen"
    assert everything[1].location == EMBASSY
    assert counts == {june.id: 2, everything[1].id: 1}
    assert missing is None


async def test_alertable_follows_the_reports_and_a_fresh_report_raises_a_version(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    old = await add_article(sessions, "Rockets at embassy", "2023-12-08 02:05", alertable=False)
    fresh = await add_article(sessions, "Rockets at US embassy", "2023-12-08 03:00")
    first = await place(sessions, old, attack("2023-12-08", target="US embassy"))
    assert first.event is not None
    assert first.event.alertable is False
    second = await place(sessions, fresh, attack("2023-12-08", target="US embassy"))
    assert second.incident_id == first.incident_id
    assert second.event is not None
    assert (second.event.version, second.event.changed, second.event.alertable) == (
        2,
        ("alertable",),
        True,
    )


async def test_an_article_no_longer_an_attack_leaves_its_incident(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    a = await add_article(sessions, "Rockets at US embassy", "2023-12-08 02:05")
    b = await add_article(sessions, "Embassy rockets: 2 injured", "2023-12-08 04:00")
    await place(sessions, a, attack("2023-12-08", target="US embassy"))
    placed = await place(sessions, b, attack("2023-12-08", injured=2))
    gone = await place(sessions, b, Classification(attack=False, score=0.1))
    assert gone.incident_id is None
    assert gone.event is not None
    assert gone.event.changed == ("injured",)
    nothing = await place(sessions, b, Classification(attack=False, score=0.1))
    assert nothing == Placement(None, False, None)
    async with unit_of_work(sessions) as session:
        view = await load_incident_view(session, placed.incident_id or 0)
    assert view is not None
    assert view.injured is None
    assert len(view.sources) == 1
