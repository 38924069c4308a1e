"""The Telegram handlers through python-telegram-bot: real Update objects in, HTTP calls to a
fake Bot API server on loopback out."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot.config import Settings, TelegramSettings
from bot.conversation import Services
from bot.store import models
from bot.store.db import unit_of_work
from tests.fakebotapi import BOT_ID, FakeBotApi
from tests.test_queries import fill

TOKEN = "123456:TEST-token-for-the-fake-bot-api-server"
NOW = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
USER = 222
GROUP = -1001


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    # Replies are what is tested here, not flood limits: let them all through.
    with FakeBotApi(chat_rate=1000, chat_burst=1000, group_per_minute=100000) as server:
        server.add_chat(USER)
        server.add_chat(GROUP, "supergroup", "Ops")
        yield server


@pytest.fixture
async def app(
    api: FakeBotApi, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = (
        ApplicationBuilder().token(TOKEN).base_url(f"{api.base_url}/bot").updater(None).build()
    )
    await application.initialize()
    settings = Settings(telegram=TelegramSettings(admins=(USER,)))
    # No bot_username: the handlers fill it in from the bot, as after initialize().
    handlers.register(application, Services(sessions, settings, lambda: NOW, page_size=1))
    yield application
    await application.shutdown()


_ids = iter(range(1, 1_000_000))


def message_update(
    text: str,
    *,
    chat_id: int = USER,
    chat_type: str = "private",
    reply_to_bot: bool = False,
    user_id: int = USER,
    as_chat: bool = False,
) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Tester"
    else:
        chat["title"] = "Ops"
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": {"id": user_id, "is_bot": False, "first_name": "Tester"},
        "text": text,
    }
    if as_chat:
        # How Telegram delivers a message from an anonymous group administrator.
        message["from"] = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
        message["sender_chat"] = chat
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": 1,
            "date": int(time.time()),
            "chat": chat,
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "GZ",
                "username": "greenzone_test_bot",
            },
            "text": "an earlier answer",
        }
    return {"update_id": next(_ids), "message": message}


async def feed(app: Application[Any, Any, Any, Any, Any, Any], data: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(data, app.bot))


async def test_commands_and_questions_are_answered_in_html(
    app: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotApi,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await fill(sessions)
    await feed(app, message_update("/start"))
    await feed(app, message_update("/subscribe"))
    await feed(app, message_update("how many attacks in December 2023?"))
    await feed(app, message_update("/nonsense"))
    sent = api.calls_of("sendMessage")
    assert len(sent) == 4
    assert all(c.params["parse_mode"] == "HTML" for c in sent)
    texts = [m["text"] for m in api.bot_messages(USER)]
    assert "Green Zone Watch" in texts[0]
    assert texts[1].startswith("Subscribed")
    assert texts[2] == "2 attacks (December 2023)."
    assert "I don't know /nonsense" in texts[3]
    async with unit_of_work(sessions) as session:
        chat = await session.get(models.Chat, USER)
    assert chat is not None
    assert chat.subscribed


async def test_pages_and_buttons_edit_the_message(
    app: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotApi,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await fill(sessions)
    await feed(app, message_update("/recent 60 days"))
    (sent,) = api.calls_of("sendMessage")
    markup = json.loads(sent.params["reply_markup"])
    button = markup["inline_keyboard"][0][0]
    assert button["text"] == "Next »"
    (first,) = api.bot_messages(USER)
    callback = {
        "update_id": next(_ids),
        "callback_query": {
            "id": "cb1",
            "from": {"id": USER, "is_bot": False, "first_name": "Tester"},
            "chat_instance": "x",
            "data": button["callback_data"],
            "message": {
                "message_id": first["message_id"],
                "date": int(time.time()),
                "chat": {"id": USER, "type": "private", "first_name": "Tester"},
                "from": api.me(),
                "text": first["text"],
            },
        },
    }
    await feed(app, callback)
    assert len(api.calls_of("answerCallbackQuery")) == 1
    (edited,) = api.bot_messages(USER)
    assert edited["edits"] == 1
    assert edited["text"] != first["text"]
    assert "2024-02-03" in edited["text"]


async def test_stats_sends_a_png(
    app: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotApi,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await fill(sessions)
    await feed(app, message_update("/stats since 2023"))
    (photo,) = api.calls_of("sendPhoto")
    assert photo.params["photo"].startswith(b"\x89PNG")
    assert "since 2023-01-01: 5" in api.bot_messages(USER)[0]["text"]
    # The admin's service stats follow as text.
    (service,) = api.calls_of("sendMessage")
    assert "Incidents: 5" in service.params["text"]


async def test_groups_need_a_mention_or_a_reply(
    app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi
) -> None:
    await feed(app, message_update("attacks today", chat_id=GROUP, chat_type="supergroup"))
    assert api.calls_of("sendMessage") == []
    await feed(
        app,
        message_update("@greenzone_test_bot attacks today", chat_id=GROUP, chat_type="supergroup"),
    )
    await feed(
        app,
        message_update(
            "and attacks today?", chat_id=GROUP, chat_type="supergroup", reply_to_bot=True
        ),
    )
    await feed(
        app, message_update("/latest@greenzone_test_bot", chat_id=GROUP, chat_type="supergroup")
    )
    await feed(app, message_update("/latest@another_bot", chat_id=GROUP, chat_type="supergroup"))
    texts = [m["text"] for m in api.bot_messages(GROUP)]
    assert texts == [
        "No attacks recorded (2024-03-15).",
        "No attacks recorded (2024-03-15).",
        "No attacks recorded yet.",
    ]


async def test_only_group_admins_change_a_groups_alerts(
    app: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotApi,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    member, owner = 333, 444
    api.make_admin(GROUP, owner)

    async def say(text: str, user_id: int, *, as_chat: bool = False) -> str:
        await feed(
            app,
            message_update(
                text, chat_id=GROUP, chat_type="supergroup", user_id=user_id, as_chat=as_chat
            ),
        )
        return str(api.bot_messages(GROUP)[-1]["text"])

    async def subscribed() -> bool:
        async with unit_of_work(sessions) as session:
            chat = await session.get(models.Chat, GROUP)
            return chat is not None and chat.subscribed

    refused = "Only this group's administrators can change its alerts."
    assert await say("/subscribe@greenzone_test_bot", member) == refused
    assert not await subscribed()
    assert (await say("/subscribe@greenzone_test_bot", owner)).startswith("Subscribed")
    assert await subscribed()
    # Members may look at the settings and ask questions, not change them.
    assert await say("/settings@greenzone_test_bot quiet 23-07", member) == refused
    assert "Quiet hours" in await say("/settings@greenzone_test_bot", member)
    assert await say("/unsubscribe@greenzone_test_bot", member) == refused
    assert await subscribed()
    # The bot's own administrators and anonymous group administrators may.
    assert "off" in (await say("/settings@greenzone_test_bot quiet off", USER)).lower()
    assert await say("/unsubscribe@greenzone_test_bot", 0, as_chat=True) != refused
    assert not await subscribed()
    lookups = api.calls_of("getChatMember")
    assert {int(c.params["user_id"]) for c in lookups} == {member, owner}


async def test_hostile_text_gets_a_valid_reply(
    app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi
) -> None:
    await feed(app, message_update("/search " + "<i>&\x00" * 3000))
    (reply,) = api.calls_of("sendMessage")
    assert reply.status == 200
    assert "No incidents match" in api.bot_messages(USER)[0]["text"]
