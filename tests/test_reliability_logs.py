"""Logs of a full run of the real process: no secret in them, and JSON lines that carry context.

The process runs with the token in its environment (-v, text and JSON) through a poll, an
alert, a question, a 429, a blocked chat, a refused answer and a failing feed; a feed URL
carries credentials, so httpx sends an Authorization header. Nothing secret may reach
stdout/stderr, and every JSON line parses and names the chat/incident where the code logs one.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import FeedServer, Route
from tests.processes import (
    TOKEN,
    BotProcess,
    Fault,
    FaultyBotApi,
    alerts_by_incident,
    attack_item,
    subscribe_chats,
    too_many_requests,
    wait_until,
    write_config,
)
from tests.test_e2e import rss

FEED_USER, FEED_PASSWORD = "reader", "S3cret-feed-passw0rd"
SUBSCRIBERS = (5001, 5002)
BLOCKED = 5003
UNANSWERABLE = 5004
TOKEN_SHAPE = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}")
# Not token-shaped: only the filter's explicit secret (the configured token) can catch it.
ODD_TOKEN = "4242:odd-shaped.secret"
UNREDACTED_AUTH = re.compile(r"(?i)authorization[\"']?\s*[:=]\s*[\"']?(?!\[REDACTED\])\w")


def secrets(token: str) -> list[str]:
    basic = base64.b64encode(f"{FEED_USER}:{FEED_PASSWORD}".encode()).decode()
    return [token, token.split(":", 1)[1], FEED_PASSWORD, basic]


async def full_cycle(
    tmp_path: Path, database_url: str, options: tuple[str, ...], token: str = TOKEN
) -> BotProcess:
    """Run the process through one of everything, stop it with SIGTERM, return it."""
    server = FeedServer().start()
    body = rss("Wire One", [attack_item(1, datetime.now(UTC) - timedelta(minutes=3))])
    server.add("/one.xml", Route(body=body.encode()))
    server.add("/private.xml", Route(body=rss("Private", []).encode()))
    server.add("/broken.xml", Route(status=500, body=b"oops", content_type="text/plain"))
    private = server.url("/private.xml").replace("://", f"://{FEED_USER}:{FEED_PASSWORD}@")
    try:
        with FaultyBotApi() as api:
            for chat in (*SUBSCRIBERS, BLOCKED, UNANSWERABLE):
                api.add_chat(chat)
            api.block(BLOCKED)
            api.add_fault(too_many_requests(1))
            api.add_fault(
                Fault(400, "Bad Request: not enough rights", chats=frozenset({UNANSWERABLE}))
            )
            config = write_config(
                tmp_path / "config.toml",
                api=api.base_url,
                database_url=database_url,
                feeds=[
                    ("Wire One", server.url("/one.xml")),
                    ("Private", private),
                    ("Broken", server.url("/broken.xml")),
                ],
                sections={"alerts": {"per_chat_interval": "0s", "send_interval": "200ms"}},
            )
            await subscribe_chats(config, (*SUBSCRIBERS, BLOCKED))
            env = {"TELEGRAM_BOT_TOKEN": token}
            process = BotProcess(config, tmp_path, options=options, env=env).start()
            try:
                await wait_until(
                    lambda: all(alerts_by_incident(api, c) == {1: 1} for c in SUBSCRIBERS),
                    "the alert, through a 429",
                )
                api.inject_message(SUBSCRIBERS[0], "/latest")
                api.inject_message(UNANSWERABLE, "/latest")
                await wait_until(
                    lambda: len(api.bot_messages(SUBSCRIBERS[0])) == 2, "the answer to /latest"
                )
                await wait_until(lambda: api.count("sendMessage", 400) == 1, "the refused answer")
                assert api.count("sendMessage", 429) == 1
                assert api.count("sendMessage", 403) == 1
                assert any(
                    s.headers.get("authorization") for s in server.requests_to("/private.xml")
                )
                assert server.requests_to("/broken.xml")
                assert process.terminate() == 0
            finally:
                process.cleanup()
    finally:
        server.stop()
    return process


def assert_no_secrets(output: str, token: str = TOKEN) -> None:
    for secret in secrets(token):
        assert secret not in output
    assert TOKEN_SHAPE.search(output) is None
    assert UNREDACTED_AUTH.search(output) is None, UNREDACTED_AUTH.search(output)


async def test_verbose_text_logs_hold_no_secret(tmp_path: Path, database_url: str) -> None:
    process = await full_cycle(tmp_path, database_url, ("-v",), token=ODD_TOKEN)
    output = process.output()
    assert " DEBUG " in output, "not a verbose run"
    assert "failed (rate_limited)" in output
    assert "/bot[REDACTED]" in output, "the Bot API URL is logged, redacted"
    assert_no_secrets(output, ODD_TOKEN)


def json_lines(text: str) -> list[dict[str, Any]]:
    records = []
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            assert isinstance(record, dict), line
            assert {"time", "level", "logger", "message"} <= record.keys(), line
            records.append(record)
    return records


def find(records: list[dict[str, Any]], logger: str, words: str) -> list[dict[str, Any]]:
    return [r for r in records if r["logger"] == logger and words in r["message"]]


async def test_json_logs_parse_carry_context_and_hold_no_secret(
    tmp_path: Path, database_url: str
) -> None:
    process = await full_cycle(tmp_path, database_url, ("-v", "--log-format", "json"))
    assert_no_secrets(process.output())
    assert process.stdout_path.read_text() == ""
    records = json_lines(process.stderr_path.read_text(encoding="utf-8"))
    assert any(r["level"] == "DEBUG" for r in records)

    queued = find(records, "bot.outbox", "deliveries queued")
    assert queued
    assert all(r["incident"] == 1 for r in queued)
    for words, chat in (("rate_limited", None), ("gone", BLOCKED)):
        failed = find(records, "bot.sender", f"failed ({words})")
        assert failed, words
        assert all(r["incident"] == 1 for r in failed)
        assert chat is None or failed[0]["chat"] == chat
    refused = find(records, "handlers.chat", "could not answer a message")
    assert [r["chat"] for r in refused] == [UNANSWERABLE]
    broken = find(records, "feeds.poller", "feed Broken failed")
    assert broken, "the failing feed is logged by name"


@pytest.fixture(autouse=True)
def _no_real_token_in_test_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The process gets the token from BotProcess; keep any real one of the runner out of it.
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
