"""`run` with a webhook: setWebhook with a secret, updates posted to our listener answered."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from bot.app import run_telegram, webhook_secret
from bot.config import DatabaseSettings, Settings, TelegramSettings
from tests.fakebotapi import FakeBotApi
from tests.test_e2e import TOKEN, wait_for
from tests.test_operations import free_port

CHAT = 77


def start_update(update_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": CHAT, "type": "private", "first_name": "Tester"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Tester"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_is_registered_with_a_secret_and_serves_updates(tmp_path: Path) -> None:
    with FakeBotApi() as api:
        api.add_chat(CHAT)
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram/hook"
        settings = Settings(
            telegram=TelegramSettings(
                api_base_url=api.base_url,
                webhook_url=url,
                webhook_listen="127.0.0.1",
                webhook_port=port,
            ),
            database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'hook.db'}"),
        )
        stop = asyncio.Event()
        bot = asyncio.create_task(run_telegram(settings, TOKEN, stop=stop))
        try:
            await wait_for(lambda: bool(api.calls_of("setWebhook")), "setWebhook")
            (registered,) = api.calls_of("setWebhook")
            assert registered.params["url"] == url
            secret = webhook_secret(TOKEN)
            assert registered.params["secret_token"] == secret
            assert TOKEN not in secret

            async with httpx.AsyncClient() as client:
                for _ in range(100):  # the listener may come up just after setWebhook
                    try:
                        forged = await client.post(url, json=start_update(1))
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.05)
                assert forged.status_code == 403
                accepted = await client.post(
                    url,
                    json=start_update(2),
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                )
                assert accepted.status_code == 200
            await wait_for(lambda: bool(api.bot_messages(CHAT)), "the /start answer")
            assert len(api.bot_messages(CHAT)) == 1
            assert "Green Zone" in api.bot_messages(CHAT)[0]["text"]
            assert not api.calls_of("getUpdates")
        finally:
            stop.set()
            await asyncio.wait_for(bot, timeout=30)
