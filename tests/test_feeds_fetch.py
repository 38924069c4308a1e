"""Fetching against a real server on loopback: validators, caps, redirects, faults, limits."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot import __version__
from bot.config import PollingSettings, Settings
from bot.errors import FetchError
from feeds.fetch import HostLimiter, StatusError, fetch, make_client, parse_retry_after
from tests.feedserver import DATA, FeedServer, Route, fixture, gzip_bomb

NOW = datetime(2024, 1, 1, tzinfo=UTC)
POLLING = PollingSettings(
    connect_timeout=timedelta(seconds=1),
    read_timeout=timedelta(seconds=0.5),
    total_timeout=timedelta(seconds=5),
    max_bytes=1024 * 1024,
    max_redirects=3,
    contact_url="https://example.org/contact",
)
SETTINGS = Settings(polling=POLLING)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(SETTINGS) as shared:
        yield shared


async def test_user_agent_and_conditional_get(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.add(
        "/rss", Route(body=fixture("rss20.xml"), etag='"abc"', last_modified="Fri, 08 Dec 2023")
    )
    first = await fetch(client, url, POLLING, now=NOW)
    assert first.status == 200
    assert first.body == fixture("rss20.xml")
    assert (first.etag, first.last_modified) == ('"abc"', "Fri, 08 Dec 2023")
    assert first.headers["content-location"] == url
    second = await fetch(
        client, url, POLLING, now=NOW, etag=first.etag, last_modified=first.last_modified
    )
    assert second.not_modified
    assert second.body == b""
    seen = server.requests_to("/rss")
    assert seen[0].headers["user-agent"] == (
        f"GreenZoneWatch/{__version__} (+https://example.org/contact)"
    )
    assert "if-none-match" not in seen[0].headers
    assert seen[1].headers["if-none-match"] == '"abc"'
    assert seen[1].headers["if-modified-since"] == "Fri, 08 Dec 2023"
    assert [s.status for s in seen] == [200, 304]


async def test_gzip_body_is_decoded(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.add("/gz", Route(body=gzip.compress(fixture("rss20.xml")), gzip=True))
    fetched = await fetch(client, url, POLLING, now=NOW)
    assert fetched.body == fixture("rss20.xml")


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(body=gzip_bomb(), gzip=True), "decompressed body over the 1048576-byte cap"),
        (Route(endless=True), "body over the 1048576-byte cap"),
        (Route(body=b"x" * (2 * 1024 * 1024)), "Content-Length 2097152"),
        (Route(status=404, body=b"no"), "HTTP 404 Not Found"),
        (Route(status=500, body=b"oops"), "HTTP 500 Internal Server Error"),
        (Route(status=410, body=b""), "HTTP 410 Gone: the feed was removed"),
        (Route(delay=2.0, body=b"late"), "read timeout after 0.5s"),
        (Route(body=b"x", headers={"Content-Encoding": "br"}), "unsupported content-encoding"),
    ],
    ids=["gzip-bomb", "endless", "declared-too-big", "404", "500", "410", "timeout", "brotli"],
)
async def test_faults_become_fetch_errors(
    server: FeedServer, client: httpx.AsyncClient, route: Route, reason: str
) -> None:
    url = server.add("/fault", route)
    with pytest.raises(FetchError) as caught:
        await fetch(client, url, POLLING, now=NOW)
    assert reason in caught.value.reason


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        await fetch(client, f"http://127.0.0.1:{port}/rss", POLLING, now=NOW)


async def test_retry_after_on_503_and_429(server: FeedServer, client: httpx.AsyncClient) -> None:
    busy = server.add("/busy", Route(status=503, headers={"Retry-After": "120"}))
    with pytest.raises(StatusError) as caught:
        await fetch(client, busy, POLLING, now=NOW)
    assert caught.value.status == 503
    assert caught.value.retry_after == timedelta(seconds=120)
    assert "Retry-After 120s" in caught.value.reason
    slow = server.add(
        "/slow", Route(status=429, headers={"Retry-After": "Mon, 01 Jan 2024 01:00:00 GMT"})
    )
    with pytest.raises(StatusError) as caught:
        await fetch(client, slow, POLLING, now=NOW)
    assert caught.value.retry_after == timedelta(hours=1)


def test_parse_retry_after() -> None:
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", NOW) == timedelta(0)
    assert parse_retry_after("99999999", NOW) == timedelta(days=1)


async def test_permanent_redirect_chain_reports_new_home(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    final = server.add("/final", Route(body=fixture("rss20.xml")))
    server.add("/b", Route(status=308, headers={"Location": "/final"}))
    start = server.add("/a", Route(status=301, headers={"Location": server.url("/b")}))
    fetched = await fetch(client, start, POLLING, now=NOW)
    assert fetched.url == final
    assert fetched.moved_to == final


async def test_temporary_hop_stops_the_move(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.add("/final", Route(body=fixture("rss20.xml")))
    server.add("/tmp", Route(status=302, headers={"Location": "/final"}))
    start = server.add("/old", Route(status=301, headers={"Location": "/tmp"}))
    fetched = await fetch(client, start, POLLING, now=NOW)
    assert fetched.moved_to == server.url("/tmp")
    only_temporary = server.add("/t2", Route(status=307, headers={"Location": "/final"}))
    assert (await fetch(client, only_temporary, POLLING, now=NOW)).moved_to is None


async def test_redirect_loop_and_too_many(server: FeedServer, client: httpx.AsyncClient) -> None:
    loop = server.add("/x", Route(status=301, headers={"Location": "/y"}))
    server.add("/y", Route(status=302, headers={"Location": "/x"}))
    with pytest.raises(FetchError, match="redirect loop"):
        await fetch(client, loop, POLLING, now=NOW)
    for hop in range(6):
        server.add(f"/hop{hop}", Route(status=302, headers={"Location": f"/hop{hop + 1}"}))
    with pytest.raises(FetchError, match="too many redirects"):
        await fetch(client, server.url("/hop0"), POLLING, now=NOW)


async def test_per_host_and_global_limits(server: FeedServer, client: httpx.AsyncClient) -> None:
    for index in range(6):
        server.add(f"/slow{index}", Route(body=b"ok", delay=0.15))
    limiter = HostLimiter(total=10, per_host=2)

    async def one(index: int) -> None:
        async with limiter.slot(server.url(f"/slow{index}")):
            await fetch(client, server.url(f"/slow{index}"), POLLING, now=NOW)

    await asyncio.gather(*(one(i) for i in range(6)))
    assert server.max_in_flight == 2
    server.max_in_flight = 0
    strict = HostLimiter(total=1, per_host=5)

    async def two(index: int) -> None:
        async with strict.slot(server.url(f"/slow{index}")):
            await fetch(client, server.url(f"/slow{index}"), POLLING, now=NOW)

    await asyncio.gather(*(two(i) for i in range(3)))
    assert server.max_in_flight == 1


async def test_file_urls_are_read_under_the_cap(client: httpx.AsyncClient, tmp_path: Path) -> None:
    fetched = await fetch(client, (DATA / "rss20.xml").as_uri(), POLLING, now=NOW)
    assert fetched.body == fixture("rss20.xml")
    assert fetched.etag is None
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (POLLING.max_bytes + 1))
    with pytest.raises(FetchError, match="file over the"):
        await fetch(client, big.as_uri(), POLLING, now=NOW)
    with pytest.raises(FetchError, match="cannot read"):
        await fetch(client, (tmp_path / "nope.xml").as_uri(), POLLING, now=NOW)
