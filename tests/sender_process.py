"""A sender in a process of its own: `python -m tests.sender_process DB_URL API_URL WORKER`.

Prints "ready" once it can send, waits for a line on stdin (so that every process starts
draining at once, however slowly each one imported), then prints one JSON line with how many
deliveries it sent. Used to prove that several processes sharing one store never send a
delivery twice.
"""

from __future__ import annotations

import asyncio
import json
import sys

from bot.app import build_application
from bot.config import Settings, TelegramSettings
from bot.sender import Sender, SenderOptions
from bot.store.db import create_engine, session_factory
from bot.transport import TelegramTransport

TOKEN = "123456789:TEST-token-for-the-fake-server-only"


async def drain(database_url: str, api_url: str, worker: str) -> int:
    engine = create_engine(database_url)
    application = build_application(
        Settings(telegram=TelegramSettings(api_base_url=api_url)), TOKEN
    )
    await application.initialize()
    try:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        sender = Sender(
            session_factory(engine),
            TelegramTransport(application.bot),
            SenderOptions(worker=worker, batch=4, concurrency=4, per_chat_interval=0.0),
        )
        return (await sender.drain(within=60)).sent
    finally:
        await application.shutdown()
        await engine.dispose()


if __name__ == "__main__":
    database_url, api_url, worker = sys.argv[1:4]
    print(json.dumps({"worker": worker, "sent": asyncio.run(drain(database_url, api_url, worker))}))
