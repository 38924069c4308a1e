"""End to end: `run` with python-telegram-bot talking HTTP to the fake Bot API, feeds on loopback.

subscribe -> an attack is published -> one alert with the right fields -> a second outlet's
report -> an edit, no new alert -> a claim -> edit plus reply -> a question answered -> a blocked
chat is deactivated while the others still get alerts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from sqlalchemy import select

from bot.app import run_telegram
from bot.config import (
    DatabaseSettings,
    FeedSettings,
    PollingSettings,
    Settings,
    TelegramSettings,
)
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from tests.fakebotapi import FakeBotApi, FeedHost

TOKEN = "123456789:E2E-token-for-the-fake-server-only"


def rss(title: str, items: list[tuple[str, str, str, datetime]]) -> str:
    """An RSS 2.0 document; items are (guid, title, description, published)."""
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(head)}</title>"
        f"<link>https://{escape(title.lower().replace(' ', ''))}.example/{escape(guid)}</link>"
        f"<description>{escape(body)}</description>"
        f"<pubDate>{format_datetime(published)}</pubDate></item>"
        for guid, head, body, published in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://x.example/</link>"
        f"<description>news</description>{entries}</channel></rss>"
    )


async def wait_for(check: Callable[[], bool], what: str, within: float = 20.0) -> None:
    for _ in range(int(within / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def chats_active_when_settled(
    url: str, *, blocked: int, within: float = 20.0
) -> dict[int, bool]:
    """Each chat's `active` flag, read once the sender has recorded `blocked`'s refusal."""
    engine = create_engine(url)
    try:
        for _ in range(int(within / 0.05)):
            async with unit_of_work(session_factory(engine)) as session:
                rows = (await session.execute(select(models.Chat.id, models.Chat.active))).all()
            active = {chat_id: flag for chat_id, flag in rows}
            if active.get(blocked) is False:
                return active
            await asyncio.sleep(0.05)
        return active
    finally:
        await engine.dispose()


def settings_for(tmp: Path, api: FakeBotApi, feeds: FeedHost) -> Settings:
    return Settings(
        telegram=TelegramSettings(api_base_url=api.base_url),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp / 'e2e.db'}"),
        polling=PollingSettings(interval=timedelta(seconds=1), min_interval=timedelta(seconds=1)),
        feeds=(
            FeedSettings(name="Wire One", url=feeds.url("/one.xml")),
            FeedSettings(name="Daily Two", url=feeds.url("/two.xml")),
        ),
    )


async def test_subscribe_alert_edit_reply_answer_and_block(tmp_path: Path) -> None:
    with FakeBotApi() as api, FeedHost() as feeds:
        now = datetime.now(UTC)
        feeds.publish("/one.xml", rss("Wire One", []))
        feeds.publish("/two.xml", rss("Daily Two", []))
        settings = settings_for(tmp_path, api, feeds)
        stop = asyncio.Event()
        bot = asyncio.create_task(run_telegram(settings, TOKEN, stop=stop))
        try:
            users = (501, 502, 503)
            for user in users:
                api.inject_message(user, "/subscribe")
            await wait_for(
                lambda: all(len(api.bot_messages(u)) == 1 for u in users), "subscription replies"
            )
            assert "Subscribed" in api.bot_messages(501)[0]["text"]

            first = (
                "a1",
                "Three rockets hit Baghdad's Green Zone near the US embassy",
                "Three Katyusha rockets struck Baghdad's fortified Green Zone on Thursday, "
                "landing near the US embassy, Iraqi security sources said. "
                "No casualties were reported.",
                now - timedelta(minutes=20),
            )
            feeds.publish("/one.xml", rss("Wire One", [first]))
            await wait_for(lambda: all(len(api.bot_messages(u)) == 2 for u in users), "alerts")
            alert = api.bot_messages(501)[1]
            assert "Rocket attack on the Green Zone" in alert["text"]
            assert "Projectiles: 3" in alert["text"]
            assert "no casualties reported" in alert["text"]
            assert "US embassy" in alert["text"]
            assert "Wire One" in alert["text"]
            assert alert["link_preview_options"] == {"is_disabled": True}

            second = (
                "b1",
                "Rocket attack targets US embassy in Baghdad",
                "Three rockets were fired at the US embassy in Baghdad's Green Zone on Thursday, "
                "officials said. The embassy's C-RAM air defence system shot down one of them.",
                now - timedelta(minutes=10),
            )
            feeds.publish("/two.xml", rss("Daily Two", [second]))
            await wait_for(lambda: api.bot_messages(501)[1]["edits"] >= 1, "the edit")
            assert len(api.bot_messages(501)) == 2
            assert "Daily Two" in api.bot_messages(501)[1]["text"]

            claim = (
                "b2",
                "Group claims rocket attack on US embassy in Baghdad",
                "A group calling itself Saraya Awliya al-Dam claimed responsibility for "
                "Thursday's rocket attack on the US embassy in Baghdad's Green Zone.",
                now - timedelta(minutes=5),
            )
            feeds.publish("/two.xml", rss("Daily Two", [second, claim]))
            await wait_for(lambda: len(api.bot_messages(501)) == 3, "the reply about the claim")
            alert, reply = api.bot_messages(501)[1:]
            assert alert["edits"] >= 2
            assert "Saraya Awliya al-Dam" in alert["text"]
            assert reply["reply_to"] == alert["message_id"]
            assert "Saraya Awliya al-Dam" in reply["text"]

            api.inject_message(501, "/latest")
            await wait_for(lambda: len(api.bot_messages(501)) == 4, "the answer to /latest")
            assert "Rocket attack on the Green Zone" in api.bot_messages(501)[3]["text"]

            api.block(503)
            drone = (
                "a2",
                "Drone shot down over Baghdad's Green Zone near parliament",
                "An explosive-laden drone was shot down over Baghdad's Green Zone near the "
                "parliament building on Friday, security officials said.",
                now - timedelta(minutes=1),
            )
            feeds.publish("/one.xml", rss("Wire One", [first, drone]))
            await wait_for(lambda: len(api.bot_messages(502)) == 4, "the second alert")
            assert "Drone attack on the Green Zone" in api.bot_messages(502)[3]["text"]
            await wait_for(lambda: len(api.bot_messages(501)) == 5, "the second alert to 501")
            # The sender works through chats in its own order: 503's refusal may come after
            # 501's and 502's deliveries, so wait for it rather than read the store at once.
            await wait_for(lambda: api.count("sendMessage", 403) >= 1, "the refusal from 503")
            active = await chats_active_when_settled(settings.database.url, blocked=503)
            assert active == {501: True, 502: True, 503: False}
            assert api.count("sendMessage", 429) == 0
            assert api.count("sendMessage", 400) == 0
        finally:
            stop.set()
            await asyncio.wait_for(bot, 20)
