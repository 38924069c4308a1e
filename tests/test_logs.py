"""Log lines: JSON with the context of the event, and secrets redacted."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import configure_logging

TOKEN = "987654321:AAH-abcdefghijklmnopqrstuvwxyz_0123456"


def test_json_lines_carry_the_feed_chat_and_incident(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", fmt="json")
    log = logging.getLogger("feeds.poller")
    log.warning("feed %s failed: %s", "Wire", "HTTP 500", extra={"feed": "Wire"})
    log.info("queued", extra={"chat": 42, "incident": 7})
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["message"] == "feed Wire failed: HTTP 500"
    assert (first["level"], first["logger"], first["feed"]) == ("WARNING", "feeds.poller", "Wire")
    assert (second["chat"], second["incident"]) == (42, 7)


def test_tokens_and_authorization_values_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", fmt="text", secrets=("plain-secret",))
    log = logging.getLogger("bot")
    log.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.info("headers {'Authorization': 'Bearer abc.def'}")
    log.info("the configured secret is plain-secret")
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/getMe")
    except RuntimeError:
        log.exception("boom")
    err = capsys.readouterr().err
    assert TOKEN not in err
    assert "AAH-abcdefghijklmnopqrstuvwxyz" not in err
    assert "abc.def" not in err
    assert "plain-secret" not in err
    assert err.count("[REDACTED]") >= 4
