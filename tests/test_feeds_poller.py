"""Poll cycles against the loopback server, stored on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import AlertSettings, FeedSettings, PollingSettings, Settings
from bot.store.db import unit_of_work
from bot.store.models import Article, ArticleSource, Feed
from feeds.fetch import make_client
from feeds.poller import PollReport, poll_feeds
from feeds.status import feed_statuses
from feeds.sync import REMOVED, sync_feeds
from tests.feedserver import DATA, FeedServer, Route, fixture, gzip_bomb, rss

NOW = datetime(2023, 12, 8, 12, 0, tzinfo=UTC)
POLLING = PollingSettings(
    connect_timeout=timedelta(seconds=1),
    read_timeout=timedelta(seconds=0.5),
    total_timeout=timedelta(seconds=5),
    max_bytes=256 * 1024,
    max_redirects=3,
    max_consecutive_failures=3,
    failure_period=timedelta(hours=1),
)


class Clock:
    """A settable clock for the poller's `now`."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(Settings(polling=POLLING)) as shared:
        yield shared


def settings_for(feeds: dict[str, str], **alerts: timedelta) -> Settings:
    return Settings(
        polling=POLLING,
        feeds=tuple(FeedSettings(name=name, url=url) for name, url in feeds.items()),
        alerts=AlertSettings(**alerts),
    )


async def synced(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime = NOW
) -> None:
    async with unit_of_work(sessions) as session:
        await sync_feeds(session, settings, now)


async def feed_row(sessions: async_sessionmaker[AsyncSession], name: str) -> Feed:
    async with unit_of_work(sessions) as session:
        return (await session.execute(select(Feed).where(Feed.name == name))).scalar_one()


def by_name(report: PollReport) -> dict[str, tuple[str, int, int, str | None]]:
    return {o.name: (o.status, o.new, o.edited, o.reason) for o in report.outcomes}


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/rss"


async def test_one_cycle_with_every_fault(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    server.add("/moved-final", Route(body=fixture("atom10.xml")))
    server.add("/moved-mid", Route(status=308, headers={"Location": "/moved-final"}))
    server.add("/loop-b", Route(status=302, headers={"Location": "/loop-a"}))
    truncated = fixture("rss20.xml")[:500]
    feeds = {
        "good": server.add("/good", Route(body=fixture("rss20.xml"), etag='"g1"')),
        "json": server.add(
            "/json", Route(body=fixture("feed.json"), content_type="application/feed+json")
        ),
        "moved": server.add("/moved", Route(status=301, headers={"Location": "/moved-mid"})),
        "timeout": server.add("/timeout", Route(delay=2.0, body=b"late")),
        "refused": refused_url(),
        "missing": server.add("/missing", Route(status=404)),
        "gone": server.add("/gone", Route(status=410)),
        "broken": server.add("/broken", Route(status=500)),
        "busy": server.add("/busy", Route(status=503, headers={"Retry-After": "3600"})),
        "loop": server.add("/loop-a", Route(status=301, headers={"Location": "/loop-b"})),
        "html": server.add("/html", Route(body=fixture("page.html"), content_type="text/html")),
        "truncated": server.add("/truncated", Route(body=truncated)),
        "encoding": server.add("/encoding", Route(body=fixture("wrong_encoding.xml"))),
        "huge": server.add("/huge", Route(body=b"<rss>" + b"x" * 300_000)),
        "bomb": server.add("/bomb", Route(body=gzip_bomb(), gzip=True)),
        "entities": server.add("/entities", Route(body=fixture("entity_bomb.xml"))),
        "empty": server.add("/empty", Route(body=fixture("empty.xml"))),
        "dups": server.add("/dups", Route(body=fixture("dup_guids.xml"))),
        "dates": server.add("/dates", Route(body=fixture("dates.xml"))),
        "titles": server.add("/titles", Route(body=fixture("html_titles.xml"))),
    }
    settings = settings_for(feeds)
    await synced(sessions, settings)
    report = await poll_feeds(settings, sessions, client, now=Clock(NOW))
    outcome = by_name(report)
    assert len(outcome) == len(feeds)
    assert outcome["good"][:3] == ("new", 2, 0)
    assert outcome["json"][:2] == ("new", 2)
    assert outcome["moved"][:2] == ("new", 1)
    assert outcome["encoding"][:2] == ("new", 1)
    assert outcome["empty"] == ("unchanged", 0, 0, None)
    assert outcome["dups"][:2] == ("new", 2)
    assert outcome["dates"][:2] == ("new", 3)
    assert outcome["titles"][:2] == ("new", 2)
    expected_failures = {
        "timeout": "read timeout after 0.5s",
        "refused": "connection refused",
        "missing": "HTTP 404 Not Found",
        "gone": "gone: HTTP 410 Gone: the feed was removed",
        "broken": "HTTP 500 Internal Server Error",
        "busy": "HTTP 503 Service Unavailable (Retry-After 3600s)",
        "loop": "redirect loop",
        "html": "not a feed: the server sent an HTML page",
        "truncated": "malformed feed",
        "huge": "body over the 262144-byte cap",
        "bomb": "decompressed body over the 262144-byte cap",
        "entities": "entity-expansion bomb",
    }
    for name, reason in expected_failures.items():
        status, new, _, got = outcome[name]
        assert status == "failed", name
        assert new == 0
        assert got is not None
        assert reason in got, (name, got)
        row = await feed_row(sessions, name)
        assert row.last_error is not None
        assert reason in row.last_error or name == "gone"
        assert row.consecutive_failures == 1
        assert row.last_success_at is None
    gone = await feed_row(sessions, "gone")
    assert not gone.active
    assert gone.deactivated_reason == "gone: HTTP 410 Gone: the feed was removed"
    busy = await feed_row(sessions, "busy")
    assert busy.next_poll_at == NOW + timedelta(hours=1)
    assert busy.retry_after_until == NOW + timedelta(hours=1)
    moved = await feed_row(sessions, "moved")
    assert moved.url == server.url("/moved-final")
    assert moved.config_url == feeds["moved"]
    good = await feed_row(sessions, "good")
    assert good.etag == '"g1"'
    assert good.last_error is None
    assert good.entries_seen == 2
    assert good.next_poll_at is not None
    assert NOW + timedelta(minutes=4.5) <= good.next_poll_at <= NOW + timedelta(minutes=5.5)
    async with unit_of_work(sessions) as session:
        titles = set((await session.execute(select(Article.title))).scalars())
    assert "Breaking: rockets & drones hit Baghdad" in titles
    assert "سقوط صواريخ على المنطقة الخضراء في بغداد" in titles
    assert not any("<" in t or "alert" in t for t in titles)


async def test_conditional_get_second_cycle_is_304(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    url = server.add("/rss", Route(body=fixture("rss20.xml"), etag='"v1"'))
    settings = settings_for({"wire": url})
    await synced(sessions, settings)
    clock = Clock(NOW)
    first = await poll_feeds(settings, sessions, client, now=clock)
    assert by_name(first)["wire"][:2] == ("new", 2)
    # Not due yet: nothing is fetched.
    assert (await poll_feeds(settings, sessions, client, now=clock)).outcomes == ()
    clock.moment = NOW + timedelta(minutes=6)
    second = await poll_feeds(settings, sessions, client, now=clock)
    assert by_name(second)["wire"] == ("not_modified", 0, 0, None)
    seen = server.requests_to("/rss")
    assert len(seen) == 2
    assert seen[1].headers["if-none-match"] == '"v1"'
    assert seen[1].status == 304
    row = await feed_row(sessions, "wire")
    assert row.last_status == 304
    assert row.last_success_at == NOW + timedelta(minutes=6)


async def test_dedup_across_feeds_edits_and_callback(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    route_a = Route(body=fixture("syndicated_a.xml"))
    feeds = {
        "a": server.add("/a", route_a),
        "b": server.add("/b", Route(body=fixture("syndicated_b.xml"))),
    }
    settings = settings_for(feeds)
    await synced(sessions, settings)
    delivered: list[list[int]] = []

    async def on_articles(ids: Sequence[int]) -> None:
        async with unit_of_work(sessions) as session:  # committed before the callback
            found = await session.scalar(select(func.count()).where(Article.id.in_(ids)))
        assert found == len(ids)
        delivered.append(list(ids))

    clock = Clock(NOW)
    report = await poll_feeds(settings, sessions, client, now=clock, on_articles=on_articles)
    assert report.new == 2  # two stories, each carried by both feeds
    async with unit_of_work(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Article)) == 2
        assert await session.scalar(select(func.count()).select_from(ArticleSource)) == 4
        urls = set((await session.execute(select(Article.canonical_url))).scalars())
    assert "https://story.example/katyusha" in urls
    assert sorted(i for batch in delivered for i in batch) == sorted(
        i for batch in delivered for i in batch
    )
    assert sum(len(batch) for batch in delivered) == 2
    # Feed A edits its first story: same guid, new title.
    route_a.body = fixture("syndicated_a.xml").replace(
        b"Katyusha rockets target Green Zone", b"Katyusha rockets hit Green Zone, 2 hurt"
    )
    delivered.clear()
    clock.moment = NOW + timedelta(minutes=10)
    edited = await poll_feeds(settings, sessions, client, now=clock, on_articles=on_articles)
    assert by_name(edited)["a"][:3] == ("new", 0, 1)
    assert by_name(edited)["b"] == ("unchanged", 0, 0, None)
    assert len(delivered) == 1
    async with unit_of_work(sessions) as session:
        article = await session.get(Article, delivered[0][0])
        assert article is not None
        assert article.title == "Katyusha rockets hit Green Zone, 2 hurt"
        assert article.updated_at == NOW + timedelta(minutes=10)
        assert await session.scalar(select(func.count()).select_from(Article)) == 2


async def test_first_sight_only_recent_entries_are_alertable(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    items = [("old", "Old news", "from last week"), ("new", "Fresh news", "from this hour")]
    body = rss("Mixed", items).replace(
        b"<guid>old</guid>", b"<guid>old</guid><pubDate>Fri, 01 Dec 2023 06:00:00 GMT</pubDate>"
    )
    body = body.replace(
        b"<guid>new</guid>", b"<guid>new</guid><pubDate>Fri, 08 Dec 2023 11:00:00 GMT</pubDate>"
    )
    settings = settings_for({"mixed": server.add("/m", Route(body=body))})
    await synced(sessions, settings)
    await poll_feeds(settings, sessions, client, now=Clock(NOW))
    async with unit_of_work(sessions) as session:
        rows = dict(
            (await session.execute(select(Article.title, Article.alertable))).tuples().all()
        )
    assert rows == {"Old news": False, "Fresh news": True}


async def test_repeated_failures_deactivate_and_named_poll(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    settings = settings_for(
        {
            "down": server.add("/down", Route(status=500)),
            "up": server.add("/up", Route(body=fixture("rss10.rdf"))),
        }
    )
    await synced(sessions, settings)
    clock = Clock(NOW)
    for step in range(3):
        clock.moment = NOW + timedelta(hours=step)
        report = await poll_feeds(settings, sessions, client, now=clock, names=["down"])
        assert [o.name for o in report.outcomes] == ["down"]
    down = await feed_row(sessions, "down")
    assert not down.active
    assert down.consecutive_failures == 3
    assert (
        down.deactivated_reason
        == "3 consecutive failures over 2 h; last: HTTP 500 Internal Server Error"
    )
    again = await poll_feeds(settings, sessions, client, now=clock, names=["down", "nope"])
    assert by_name(again)["down"][0] == "failed"
    assert "inactive" in (by_name(again)["down"][3] or "")
    assert "no such feed" in (by_name(again)["nope"][3] or "")
    async with unit_of_work(sessions) as session:
        statuses = {s.name: s for s in await feed_statuses(session, clock.moment)}
    assert statuses["down"].active is False
    assert statuses["down"].consecutive_failures == 3
    assert statuses["up"].due is True
    assert statuses["up"].entries == 0


async def test_sync_adds_deactivates_and_keeps_state_by_url(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = settings_for({"one": "https://one.example/rss", "two": "https://two.example/rss"})
    await synced(sessions, first)
    async with unit_of_work(sessions) as session:
        row = (await session.execute(select(Feed).where(Feed.name == "one"))).scalar_one()
        row.etag = '"kept"'
    renamed = settings_for(
        {"One renamed": "https://one.example/rss", "three": "https://three.example/rss"}
    )
    await synced(sessions, renamed, NOW + timedelta(hours=1))
    async with unit_of_work(sessions) as session:
        statuses = {s.name: s for s in await feed_statuses(session, NOW)}
    assert set(statuses) == {"One renamed", "two", "three"}
    assert statuses["two"].active is False
    assert statuses["two"].deactivated_reason == REMOVED
    assert (await feed_row(sessions, "One renamed")).etag == '"kept"'
    await synced(sessions, first, NOW + timedelta(hours=2))
    assert (await feed_row(sessions, "two")).active is True
    assert (await feed_row(sessions, "three")).active is False


async def test_file_feed_and_full_text(
    server: FeedServer, client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    page = (
        b"<html><head><title>Story</title></head><body><nav>Menu Home About</nav><article>"
        b"<h1>Rockets hit Baghdad</h1>"
        + b"<p>Three Katyusha rockets struck near the US embassy in Baghdad's Green Zone "
        b"early on Friday, security officials said, causing no casualties.</p>"
        * 6
        + b"</article><footer>Copyright</footer></body></html>"
    )
    server.add("/story/1", Route(body=page, content_type="text/html"))
    feed_body = rss("Full", [("f1", "Rockets hit Baghdad", "Short."), ("f2", "Football", "Cup.")])
    feed_body = feed_body.replace(b"https://x.example/f1", server.url("/story/1").encode())
    settings = Settings(
        polling=POLLING,
        feeds=(
            FeedSettings(
                name="full", url=server.add("/full", Route(body=feed_body)), full_text=True
            ),
            FeedSettings(name="disk", url=(DATA / "atom03.xml").as_uri()),
        ),
    )
    await synced(sessions, settings)
    report = await poll_feeds(settings, sessions, client, now=Clock(NOW))
    assert by_name(report)["disk"][:2] == ("new", 1)
    async with unit_of_work(sessions) as session:
        texts = dict((await session.execute(select(Article.title, Article.text))).tuples().all())
    assert "Three Katyusha rockets struck" in texts["Rockets hit Baghdad"]
    assert "Menu" not in texts["Rockets hit Baghdad"]
    assert texts["Football"] == "Cup."  # fails the prefilter: page never fetched
    assert len(server.requests_to("/story/1")) == 1
    assert len(server.requests_to("/x.example/f2")) == 0
    assert (await feed_row(sessions, "disk")).etag is None
