"""Hostile input against the real `run` process: Telegram faults, malicious chat input, bad feeds.

Whatever one chat, user or feed does, the process keeps running and every other chat and feed is
served: alerts reach everyone reachable, questions get valid answers, a flood is rate-limited.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from tests.fakebotapi import FakeBotApi, FeedHost
from tests.feedserver import FeedServer, Route, gzip_bomb
from tests.processes import (
    BotProcess,
    Fault,
    FaultyBotApi,
    Sections,
    alerts_by_incident,
    attack_item,
    drone_item,
    subscribe_chats,
    too_many_requests,
    unlimited_api,
    wait_until,
    write_config,
)
from tests.test_e2e import rss

FAST: Sections = {
    "alerts": {"global_rate": 1000.0, "per_chat_interval": "0s", "send_interval": "200ms"}
}


async def chat_rows(database_url: str) -> dict[int, tuple[bool, str | None]]:
    engine = create_engine(database_url)
    try:
        async with unit_of_work(session_factory(engine)) as session:
            c = models.Chat
            rows = await session.execute(select(c.id, c.active, c.deactivated_reason))
            return {row.id: (row.active, row.deactivated_reason) for row in rows}
    finally:
        await engine.dispose()


def texts(api: FakeBotApi, chat: int) -> list[str]:
    return [m["text"] for m in api.bot_messages(chat)]


async def test_telegram_faults_cost_only_the_chats_they_hit(
    tmp_path: Path, database_url: str
) -> None:
    blocked, too_long, timed_out = 2001, 2002, 2003
    chats = tuple(range(2001, 2041))
    asker = 2100
    with FaultyBotApi() as api, FeedHost() as feeds:
        for chat in (*chats, asker):
            api.add_chat(chat)
        api.block(blocked)
        # Chat-specific faults first: the generic storms must not use them up.
        api.add_fault(Fault(400, "Bad Request: message is too long", chats=frozenset({too_long})))
        api.add_fault(Fault(504, "Gateway Timeout", chats=frozenset({timed_out}), delay=6.0))
        api.add_fault(too_many_requests(25, retry_after=1))
        api.add_fault(Fault(500, "Internal Server Error", times=6))
        api.add_fault(Fault(502, "Bad Gateway", times=4, methods=frozenset({"getUpdates"})))
        feeds.publish("/one.xml", rss("Wire One", []))
        config = write_config(
            tmp_path / "config.toml",
            api=api.base_url,
            database_url=database_url,
            feeds=[("Wire One", feeds.url("/one.xml"))],
            sections=FAST,
        )
        await subscribe_chats(config, chats)
        process = BotProcess(config, tmp_path).start()
        try:
            now = datetime.now(UTC)
            first = attack_item(1, now - timedelta(minutes=30))
            feeds.publish("/one.xml", rss("Wire One", [first]))
            served = [c for c in chats if c not in (blocked, too_long)]
            await wait_until(
                lambda: all(len(alerts_by_incident(api, c)) == 1 for c in served),
                "every reachable chat to get the alert through the faults",
                within=40,
            )
            api.inject_message(asker, "/latest")
            await wait_until(lambda: len(texts(api, asker)) == 1, "an answer after the storms")
            assert "Rocket attack" in texts(api, asker)[0]
            assert all(f.times == 0 for f in api.faults), "a fault was never exercised"
            assert texts(api, blocked) == []
            assert texts(api, too_long) == []

            second = drone_item(2, now)
            feeds.publish("/one.xml", rss("Wire One", [first, second]))
            # The chat whose alert was refused gets the next one; the blocked chat is gone.
            await wait_until(
                lambda: (
                    all(len(alerts_by_incident(api, c)) == 2 for c in served)
                    and len(alerts_by_incident(api, too_long)) == 1
                ),
                "the second alert",
            )
            assert process.alive()
            assert alerts_by_incident(api, too_long) == {2: 1}
            for chat in served:
                assert set(alerts_by_incident(api, chat).values()) == {1}, chat
            rows = await chat_rows(database_url)
            assert rows[blocked][0] is False
            assert "blocked" in (rows[blocked][1] or "")
            assert all(rows[c][0] for c in chats if c != blocked)
            assert process.terminate() == 0
        finally:
            process.cleanup()


async def test_hostile_chat_input_is_answered_safely_and_floods_are_limited(
    tmp_path: Path, database_url: str
) -> None:
    flooder, subscriber, sender_of_junk = 3001, 3002, 3003
    junk = [
        "Were there attacks in 2024? " * 360,  # about 10,000 characters
        "/latest\x00\x07\x1b[31m\u202e\u200b",
        "\x00\x01\x02 how many attacks \x7f\x9f in 2023?",
        "<b>how many</b> attacks <script>alert(1)</script> & <a href='x'>in</a> 2023?",
        "/search <i>" + "<b>&amp;" * 1500,
        "/recent 99999999999999999999999",
        "/incident -1",
        "/settings " + "weapons=" + "rocket," * 700,
        "/" + "x" * 40,
        "\u0647\u062c\u0648\u0645 <b>" * 500,
    ]
    with unlimited_api() as api, FeedHost() as feeds:
        for chat in (flooder, subscriber, sender_of_junk):
            api.add_chat(chat)
        feeds.publish("/one.xml", rss("Wire One", []))
        config = write_config(
            tmp_path / "config.toml",
            api=api.base_url,
            database_url=database_url,
            feeds=[("Wire One", feeds.url("/one.xml"))],
            sections={**FAST, "telegram": {"user_rate_per_minute": 20}},
        )
        await subscribe_chats(config, [subscriber])
        process = BotProcess(config, tmp_path).start()
        try:
            await wait_until(lambda: api.count("getUpdates", 200) > 0, "the bot to poll Telegram")
            for _ in range(80):
                api.inject_message(flooder, "/latest")
            for text in junk:
                api.inject_message(sender_of_junk, text)
            feeds.publish("/one.xml", rss("Wire One", [attack_item(1, datetime.now(UTC))]))
            api.inject_message(subscriber, "/latest")
            await wait_until(
                lambda: len(alerts_by_incident(api, subscriber)) == 1, "the subscriber's alert"
            )
            await wait_until(lambda: len(texts(api, subscriber)) >= 2, "the subscriber's answer")
            await wait_until(
                lambda: len(texts(api, sender_of_junk)) >= len(junk), "answers to the junk"
            )
            # Oversized callback data on one of the bot's messages.
            answer = api.bot_messages(sender_of_junk)[0]["message_id"]
            api.inject_callback(sender_of_junk, answer, "x" * 300, sender_of_junk)
            await wait_until(lambda: api.count("answerCallbackQuery", 200) == 1, "the button")
            # Let the flood drain fully before counting what it got.
            await wait_until(lambda: api.count("getUpdates", 200) > 3, "more polling")
            flood_replies = texts(api, flooder)
            slow_downs = [t for t in flood_replies if "too fast" in t]
            # A burst of 10 (half the per-minute rate), one warning, then silence.
            assert len(slow_downs) == 1, flood_replies
            assert 10 <= len(flood_replies) <= 13, len(flood_replies)
            for message in api.bot_messages(sender_of_junk):
                assert "<script>" not in message["html"]
                assert "\x00" not in message["text"]
            assert api.count("sendMessage", 400) == 0, api.calls_of("sendMessage", 400)
            assert api.count("editMessageText", 400) == 0
            assert process.alive()
            output = process.output()
            assert "Traceback" not in output, output[-3000:]
            assert process.terminate() == 0
        finally:
            process.cleanup()


async def test_faulty_feeds_in_a_poll_cycle_leave_the_good_ones_alerting(
    tmp_path: Path, database_url: str
) -> None:
    chats = (4001, 4002, 4003)
    server = FeedServer().start()
    now = datetime.now(UTC)
    good = {
        "/good-one.xml": rss("Good One", [attack_item(1, now - timedelta(minutes=5))]),
        "/good-two.xml": rss("Good Two", [drone_item(1, now - timedelta(minutes=2))]),
    }
    bad = {
        "/missing.xml": Route(status=404, body=b"gone fishing", content_type="text/plain"),
        "/broken.xml": Route(status=500, body=b"oops", content_type="text/plain"),
        "/garbage.xml": Route(body=b"\x00\xff<rss><channel><item><title>unclosed"),
        "/html.xml": Route(body=b"<html><body>Not a feed</body></html>", content_type="text/html"),
        "/slow.xml": Route(body=good["/good-one.xml"].encode(), delay=4.0),
        "/bomb.xml": Route(body=gzip_bomb(), gzip=True),
        "/endless.xml": Route(endless=True),
        "/limited.xml": Route(status=429, headers={"Retry-After": "3600"}),
    }
    for path, body in good.items():
        server.add(path, Route(body=body.encode()))
    for path, route in bad.items():
        server.add(path, route)
    try:
        with unlimited_api() as api:
            for chat in chats:
                api.add_chat(chat)
            feeds = [(path.strip("/"), server.url(path)) for path in (*bad, *good)]
            config = write_config(
                tmp_path / "config.toml",
                api=api.base_url,
                database_url=database_url,
                feeds=feeds,
                sections={
                    **FAST,
                    "polling": {
                        "read_timeout": "1s",
                        "total_timeout": "2s",
                        "max_bytes": 1_000_000,
                        "interval": "1h",
                    },
                },
            )
            await subscribe_chats(config, chats)
            process = BotProcess(config, tmp_path).start()
            try:
                await wait_until(
                    lambda: all(len(alerts_by_incident(api, c)) == 2 for c in chats),
                    "alerts from both good feeds",
                    within=30,
                )
                errors = await _feed_errors(database_url)
                for _ in range(100):
                    if len(errors) == len(feeds):
                        break
                    await asyncio.sleep(0.1)
                    errors = await _feed_errors(database_url)
                for path in bad:
                    assert errors[path.strip("/")], (path, errors)
                for path in good:
                    assert errors[path.strip("/")] is None, (path, errors)
                assert process.alive()
                assert process.terminate() == 0
            finally:
                process.cleanup()
    finally:
        server.stop()


async def _feed_errors(database_url: str) -> dict[str, str | None]:
    engine = create_engine(database_url)
    try:
        async with unit_of_work(session_factory(engine)) as session:
            f = models.Feed
            rows = await session.execute(select(f.name, f.last_error, f.last_fetch_at))
            return {row.name: row.last_error for row in rows if row.last_fetch_at is not None}
    finally:
        await engine.dispose()
