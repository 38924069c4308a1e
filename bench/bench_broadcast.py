"""Broadcast one alert to many subscribers through the fake Bot API enforcing Telegram's limits,
and time a feed change from its fetch to the first sendMessage.

Usage: python bench/bench_broadcast.py [--chats N] [--quick]
Targets (issue 6): >= 28 messages/s sustained with no 429, peak memory < 200 MB, and < 1 s from
a changed feed being fetched to the first sendMessage. The fake server runs in this process,
so the memory figure includes it.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import outbox  # noqa: E402
from bot.app import (  # noqa: E402
    Poller,
    Store,
    build_application,
    heartbeats_for,
    open_store,
    poll_cycle,
)
from bot.config import (  # noqa: E402
    AlertSettings,
    DatabaseSettings,
    FeedSettings,
    PollingSettings,
    Settings,
    TelegramSettings,
)
from bot.records import VersionEvent  # noqa: E402
from bot.sender import Sender, SenderOptions  # noqa: E402
from bot.store import models  # noqa: E402
from bot.store.db import unit_of_work  # noqa: E402
from bot.timeutil import utcnow  # noqa: E402
from bot.transport import TelegramTransport  # noqa: E402
from feeds.fetch import make_client  # noqa: E402
from tests.fakebotapi import FakeBotApi, FeedHost  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-fake-server-only"

ARTICLE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bench Wire</title><link>http://127.0.0.1/</link>
<description>bench</description>
<item><guid>bench-1</guid><title>Three rockets hit Baghdad's Green Zone near US embassy</title>
<link>http://127.0.0.1/news/1</link><pubDate>{published}</pubDate>
<description>Three Katyusha rockets struck Baghdad's fortified Green Zone on {day}, landing near
the US embassy, Iraqi security sources said. No casualties were reported.</description>
</item></channel></rss>"""


def _settings(tmp: Path, api: FakeBotApi, feeds: tuple[FeedSettings, ...] = ()) -> Settings:
    return Settings(
        telegram=TelegramSettings(api_base_url=api.base_url),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp / 'bench.db'}"),
        feeds=feeds,
        polling=PollingSettings(interval=timedelta(seconds=1), min_interval=timedelta(seconds=1)),
        alerts=AlertSettings(max_age=timedelta(days=3650)),
    )


async def _add_subscribers(store: Store, count: int, now: datetime) -> None:
    async with unit_of_work(store.sessions) as session:
        await session.execute(
            models.Chat.__table__.insert(),
            [
                {
                    "id": 10_000_000 + i,
                    "kind": "private",
                    "title": "",
                    "subscribed": True,
                    "from_config": False,
                    "active": True,
                    "language": "en",
                    "timezone": "Asia/Baghdad",
                    "weapons": [],
                    "casualties_only": False,
                    "min_projectiles": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ],
        )


async def _queue_one_alert(store: Store, now: datetime) -> int:
    async with unit_of_work(store.sessions) as session:
        incident = models.Incident(
            zone="baghdad-iz",
            date=date(2024, 1, 5),
            weapon="rocket",
            projectiles=3,
            target="US embassy",
            version=1,
            first_published_at=now,
            last_published_at=now,
            created_at=now,
            updated_at=now,
        )
        session.add(incident)
        await session.flush()
        return await outbox.enqueue_version(session, VersionEvent(incident.id, 1, (), True), now)


async def broadcast(chats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        api.record_calls = False
        for i in range(chats):
            api.add_chat(10_000_000 + i)
        settings = _settings(Path(tmp), api)
        now = utcnow()
        store = await open_store(settings, now)
        await _add_subscribers(store, chats, now)
        queued = await _queue_one_alert(store, now)
        application = build_application(settings, TOKEN)
        await application.initialize()
        sender = Sender(
            store.sessions,
            TelegramTransport(application.bot),
            SenderOptions(worker="bench", batch=500, concurrency=64),
        )
        started = time.perf_counter()
        report = await sender.drain(within=3600)
        elapsed = time.perf_counter() - started
        await application.shutdown()
        await store.engine.dispose()
        return {
            "subscribers": float(chats),
            "queued": float(queued),
            "sent": float(report.sent),
            "broadcast_s": round(elapsed, 2),
            "messages_per_s": round(report.sent / elapsed, 2),
            "http_429": float(api.count("sendMessage", 429)),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


async def feed_to_first_send() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api, FeedHost() as feeds:
        api.add_chat(42)
        feeds.publish("/feed.xml", "<rss version='2.0'><channel><title>x</title></channel></rss>")
        feed = FeedSettings(name="bench", url=feeds.url("/feed.xml"))
        settings = _settings(Path(tmp), api, (feed,))
        store = await open_store(settings, utcnow())
        async with unit_of_work(store.sessions) as session:
            session.add(
                models.Chat(id=42, subscribed=True, created_at=utcnow(), updated_at=utcnow())
            )
        application = build_application(settings, TOKEN)
        await application.initialize()
        sender = Sender(store.sessions, TelegramTransport(application.bot), SenderOptions())
        runner = asyncio.create_task(sender.run())
        client = make_client(settings)
        transport = TelegramTransport(application.bot)
        poller = Poller(settings, store, sender, client, transport, heartbeats_for(settings))
        await poll_cycle(poller, due_only=False)  # the empty feed
        published = datetime.now(UTC)
        feeds.publish(
            "/feed.xml",
            ARTICLE.format(published=format_datetime(published), day=published.strftime("%A")),
        )
        fetched_at = time.monotonic()
        await poll_cycle(poller, due_only=False)
        for _ in range(2000):  # up to 10 s
            if api.calls_of("sendMessage"):
                break
            await asyncio.sleep(0.005)
        calls = api.calls_of("sendMessage")
        latency = calls[0].at - fetched_at if calls else float("nan")
        sender.stop()
        await runner
        await client.aclose()
        await application.shutdown()
        await store.engine.dispose()
        return {"feed_to_first_send_s": round(latency, 3)}


def main(quick: bool = False, chats: int | None = None) -> dict[str, float]:
    count = chats or (1000 if quick else 10_000)
    results = asyncio.run(broadcast(count))
    results.update(asyncio.run(feed_to_first_send()))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, help="subscribers (default 10000; --quick 1000)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for name, value in main(quick=args.quick, chats=args.chats).items():
        print(f"{name}: {value:g}")
