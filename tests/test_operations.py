"""Operations in a running bot: /healthz, /metrics, and admins told of a deactivated feed."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot import metrics
from bot.app import run_telegram
from bot.config import (
    DatabaseSettings,
    FeedSettings,
    MonitoringSettings,
    PollingSettings,
    Settings,
    TelegramSettings,
)
from tests.fakebotapi import FakeBotApi, FeedHost
from tests.test_e2e import TOKEN, rss, wait_for

ADMIN = 900


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Sample = tuple[str, tuple[tuple[str, str], ...]]


def counted(sample: Sample) -> float:
    """A counter's value now (metrics are per process, so tests compare before and after)."""
    name, labels = sample
    return metrics.REGISTRY.get_sample_value(name, dict(labels)) or 0.0


def settings_for(tmp: Path, api: FakeBotApi, feeds: FeedHost, port: int) -> Settings:
    return Settings(
        telegram=TelegramSettings(api_base_url=api.base_url, admins=(ADMIN,)),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp / 'ops.db'}"),
        polling=PollingSettings(interval=timedelta(seconds=1), min_interval=timedelta(seconds=1)),
        feeds=(
            FeedSettings(name="Wire One", url=feeds.url("/one.xml")),
            FeedSettings(name="Retired Wire", url=feeds.url("/gone.xml")),
        ),
        monitoring=MonitoringSettings(enabled=True, listen=f"127.0.0.1:{port}"),
    )


async def test_health_metrics_and_admin_notice_in_a_running_bot(tmp_path: Path) -> None:
    with FakeBotApi() as api, FeedHost() as feeds:
        api.add_chat(ADMIN)
        feeds.publish("/one.xml", rss("Wire One", []))
        feeds.gone.add("/gone.xml")
        port = free_port()
        attacks = ("greenzone_attacks_detected_total", ())
        new_articles = ("greenzone_articles_total", (("kind", "new"),))
        new_incidents = ("greenzone_incidents_total", (("kind", "new"),))
        fetched = ("greenzone_fetched_bytes_total", ())
        before = {s: counted(s) for s in (attacks, new_articles, new_incidents, fetched)}
        stop = asyncio.Event()
        bot = asyncio.create_task(
            run_telegram(settings_for(tmp_path, api, feeds, port), TOKEN, stop=stop)
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

                async def healthy() -> bool:
                    try:
                        return (await client.get("/healthz")).status_code == 200
                    except httpx.TransportError:
                        return False

                for _ in range(200):
                    if await healthy():
                        break
                    await asyncio.sleep(0.05)
                assert await healthy(), "the bot never reported healthy"

                await wait_for(
                    lambda: any("Retired Wire" in m["text"] for m in api.bot_messages(ADMIN)),
                    "the admin notice",
                )
                (notice,) = [m for m in api.bot_messages(ADMIN) if "Retired Wire" in m["text"]]
                assert "deactivated" in notice["text"]
                assert "410" in notice["text"]

                published = datetime.now(UTC)
                feeds.publish(
                    "/one.xml",
                    rss(
                        "Wire One",
                        [
                            (
                                "a1",
                                "Two rockets hit Baghdad's Green Zone",
                                "Two Katyusha rockets landed inside Baghdad's Green Zone "
                                "today, police said; there were no casualties.",
                                published,
                            )
                        ],
                    ),
                )
                for _ in range(400):
                    if counted(attacks) > before[attacks]:
                        break
                    await asyncio.sleep(0.05)
                for sample in (attacks, new_articles, new_incidents):
                    assert counted(sample) == before[sample] + 1, sample
                # At least the feed document with the attack crossed the wire.
                assert counted(fetched) >= before[fetched] + len(feeds.documents["/one.xml"][0])
                scraped = (await client.get("/metrics")).text
                assert 'greenzone_polls_total{outcome="failed"}' in scraped
                assert "greenzone_attacks_detected_total" in scraped
                assert 'greenzone_feed_staleness_seconds{feed="Wire One"}' in scraped
                assert "greenzone_outbox_depth" in scraped
        finally:
            stop.set()
            await asyncio.wait_for(bot, timeout=30)
