"""The sender through python-telegram-bot to the fake Bot API server, on both backends."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import outbox
from bot.app import build_application
from bot.config import Settings, TelegramSettings
from bot.sender import Sender, SenderOptions
from bot.store import models
from bot.store.db import unit_of_work
from bot.timeutil import utcnow
from bot.transport import TelegramTransport
from tests.conftest import REPO
from tests.fakebotapi import FakeBotApi
from tests.processes import unlimited_api
from tests.test_outbox import add_chats, add_incident, deliveries, new_version

TOKEN = "123456789:TEST-token-for-the-fake-server-only"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


async def _transport(api: FakeBotApi) -> AsyncIterator[TelegramTransport]:
    settings = Settings(telegram=TelegramSettings(api_base_url=api.base_url))
    application = build_application(settings, TOKEN)
    await application.initialize()
    try:
        yield TelegramTransport(application.bot)
    finally:
        await application.shutdown()


@pytest.fixture
async def transport(api: FakeBotApi) -> AsyncIterator[TelegramTransport]:
    async for made in _transport(api):
        yield made


def _sender(
    sessions: async_sessionmaker[AsyncSession], transport: TelegramTransport, **options: Any
) -> Sender:
    return Sender(sessions, transport, SenderOptions(**options))


async def test_broadcast_once_per_chat_and_gone_chats_deactivated(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    chats = list(range(1, 21))
    for chat_id in chats:
        api.add_chat(chat_id)
    api.add_chat(-1001, "supergroup", "Newsroom")
    api.block(7)
    await add_chats(sessions, [*chats, 99])  # 99: unknown to Telegram
    await add_chats(sessions, [-1001], kind="supergroup", from_config=True, message_thread_id=5)
    await add_incident(sessions, claimed_by=None, killed=0, injured=0)
    report = await _sender(sessions, transport, worker="w1").drain(within=30)
    assert report.sent == 20
    assert report.skipped == 2
    for chat_id in [c for c in chats if c != 7] + [-1001]:
        messages = api.bot_messages(chat_id)
        assert len(messages) == 1, chat_id
        assert "Rocket attack on the Green Zone" in messages[0]["text"]
        assert "no casualties reported" in messages[0]["text"]
        assert messages[0]["link_preview_options"] == {"is_disabled": True}
    assert api.bot_messages(-1001)[0]["thread_id"] == 5
    assert api.bot_messages(7) == []
    assert api.count("sendMessage", 429) == 0
    async with unit_of_work(sessions) as session:
        gone = dict(
            (
                await session.execute(
                    select(models.Chat.id, models.Chat.deactivated_reason).where(
                        models.Chat.active.is_(False)
                    )
                )
            ).all()
        )
        alerts = await session.scalar(select(models.AlertMessage.id).limit(1))
    assert set(gone) == {7, 99}
    assert "blocked" in str(gone[7])
    assert "chat not found" in str(gone[99]).lower()
    assert alerts is not None
    statuses = {(d.chat_id, d.status) for d in await deliveries(sessions)}
    assert (7, "skipped") in statuses
    assert (1, "sent") in statuses


async def test_versions_edit_the_alert_and_claims_get_a_reply(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    api.add_chat(1)
    api.add_chat(2)
    await add_chats(sessions, [1, 2])
    incident = await add_incident(sessions)
    sender = _sender(sessions, transport, worker="w1")
    await sender.drain(within=10)
    alert_id = api.bot_messages(1)[0]["message_id"]
    await new_version(sessions, incident, ("projectiles",), projectiles=4)
    await sender.drain(within=10)
    [message] = api.bot_messages(1)
    assert message["edits"] == 1
    assert "Projectiles: 4" in message["text"]
    await new_version(sessions, incident, ("claimed_by",), claimed_by="<Some> & Group")
    await sender.drain(within=10)
    alert, reply = api.bot_messages(1)
    assert alert["message_id"] == alert_id
    assert alert["edits"] == 2
    assert "Claimed by: <Some> & Group" in alert["text"]
    assert reply["reply_to"] == alert_id
    assert "Claimed by: <Some> & Group" in reply["text"]
    sends_to_1 = [c.at for c in api.calls if c.params.get("chat_id") == "1" and c.status == 200]
    assert all(b - a >= 0.9 for a, b in zip(sends_to_1, sends_to_1[1:], strict=False))
    async with unit_of_work(sessions) as session:
        versions = set(await session.scalars(select(models.AlertMessage.version)))
    assert versions == {3}


async def test_stale_edits_are_skipped_and_unchanged_edits_count_as_sent(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    api.add_chat(1)
    await add_chats(sessions, [1])
    incident = await add_incident(sessions)
    # Two versions arrive before the alert goes out: the alert shows v3, both edits are stale.
    await new_version(sessions, incident, ("projectiles",), projectiles=4)
    await new_version(sessions, incident, ("target",), target="Union III")
    report = await _sender(sessions, transport, worker="w1").drain(within=10)
    assert report.sent == 1
    assert report.skipped == 2
    [message] = api.bot_messages(1)
    assert message["edits"] == 0
    assert "Union III" in message["text"]
    html = message["html"]
    await transport.edit(1, message["message_id"], html)  # "message is not modified" is fine
    assert api.calls_of("editMessageText", status=400)[-1].description.startswith(
        "Bad Request: message is not modified"
    )


async def test_flood_waits_are_honoured(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A server stricter than the client's limiter: 429s must come back and be waited out.
    with FakeBotApi(overall_rate=4.0) as api:
        for chat_id in range(1, 13):
            api.add_chat(chat_id)
        await add_chats(sessions, list(range(1, 13)))
        await add_incident(sessions)
        async for transport in _transport(api):
            report = await _sender(sessions, transport, worker="w1").drain(within=30)
        assert api.count("sendMessage", 429) > 0
        assert report.retried > 0
        assert report.sent == 12
        assert all(len(api.bot_messages(c)) == 1 for c in range(1, 13))


async def test_network_errors_are_retried(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    api.add_chat(1)
    await add_chats(sessions, [1])
    await add_incident(sessions)
    api.drop_next = 1
    report = await _sender(sessions, transport, worker="w1").drain(within=10)
    assert report.retried == 1
    assert report.sent == 1
    assert len(api.bot_messages(1)) == 1
    [row] = await deliveries(sessions)
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.error is None


async def test_senders_side_by_side_never_send_twice(
    api: FakeBotApi, sessions: async_sessionmaker[AsyncSession]
) -> None:
    chats = list(range(1, 41))
    for chat_id in chats:
        api.add_chat(chat_id)
    await add_chats(sessions, chats)
    await add_incident(sessions)

    async def one_sender(worker: str) -> int:
        async for transport in _transport(api):
            sender = _sender(sessions, transport, worker=worker, batch=5, concurrency=4)
            return (await sender.drain(within=30)).sent
        raise AssertionError("no transport")

    sent = await asyncio.gather(*(one_sender(f"w{i}") for i in range(3)))
    assert sum(sent) == 40
    assert sum(1 for s in sent if s > 0) >= 2
    assert [len(api.bot_messages(c)) for c in chats] == [1] * 40


async def test_resume_after_a_crash(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    chats = list(range(1, 9))
    for chat_id in chats:
        api.add_chat(chat_id)
    await add_chats(sessions, chats)
    await add_incident(sessions)
    lease = timedelta(minutes=2)
    crashed_at = utcnow() - lease - timedelta(seconds=5)
    async with unit_of_work(sessions) as session:
        held = await outbox.claim_due(
            session, worker="dead", now=crashed_at, limit=100, lease=lease
        )
    # The dead sender had sent three before it died; the rest it held were never answered.
    for claim in held[:3]:
        async with unit_of_work(sessions) as session:
            await outbox.mark_sent(
                session, claim, message_id=1000, rendered_version=1, now=crashed_at
            )
    report = await _sender(sessions, transport, worker="new", lease=lease).drain(within=10)
    assert report.sent == 5
    done = {c.chat_id for c in held[:3]}
    for chat_id in chats:
        assert len(api.bot_messages(chat_id)) == (0 if chat_id in done else 1)
    assert {d.status for d in await deliveries(sessions)} == {"sent"}


async def test_an_edit_waits_for_its_alert(
    api: FakeBotApi, transport: TelegramTransport, sessions: async_sessionmaker[AsyncSession]
) -> None:
    api.add_chat(1)
    await add_chats(sessions, [1])
    incident = await add_incident(sessions)
    await new_version(sessions, incident, ("killed",), killed=2)
    async with unit_of_work(sessions) as session:
        # Hold the alert back: only the edit and the reply are due.
        await session.execute(
            update(models.Delivery)
            .where(models.Delivery.kind == "alert")
            .values(next_attempt_at=utcnow() + timedelta(seconds=1.5))
        )
    sender = _sender(sessions, transport, worker="w1")
    first = await sender.run_once()
    assert first == 2
    assert sender.report.waiting == 2
    assert api.bot_messages(1) == []
    report = await sender.drain(within=10)
    messages = api.bot_messages(1)
    # The alert went out showing v2; the waiting edit and reply were then stale.
    assert len(messages) == 1
    assert "2 killed" in messages[0]["text"]
    assert report.sent == 1


async def test_sender_processes_side_by_side_never_send_twice(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    chats = list(range(1, 121))
    await add_chats(sessions, chats)
    await add_incident(sessions)
    with unlimited_api() as api:
        for chat_id in chats:
            api.add_chat(chat_id)
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.sender_process",
                database_url,
                api.base_url,
                f"proc-{n}",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                cwd=REPO,
            )  # fmt: skip
            for n in range(3)
        ]
        for worker in workers:
            assert worker.stdout is not None
            line = await asyncio.wait_for(worker.stdout.readline(), timeout=60)
            assert line.strip() == b"ready", line
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write(b"go\n")
            await worker.stdin.drain()
        outputs = [await asyncio.wait_for(w.communicate(), timeout=120) for w in workers]
        assert [w.returncode for w in workers] == [0, 0, 0]
        sent = [json.loads(out.decode().strip().splitlines()[-1])["sent"] for out, _ in outputs]
        assert sum(sent) == len(chats)
        assert sum(1 for count in sent if count > 0) >= 2, sent
        assert [len(api.bot_messages(c)) for c in chats] == [1] * len(chats)
    assert {d.status for d in await deliveries(sessions)} == {"sent"}
