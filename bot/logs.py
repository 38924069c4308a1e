"""Logging: one line per event, text or JSON, with secrets redacted from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

_SECRET_PATTERNS = (
    # Telegram bot tokens: <digits>:<35 url-safe characters>, also inside /bot<token>/ URLs.
    re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}"),
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)([^\s\"',}]+(?: [^\s\"',}]+)?)"),
)


class RedactingFilter(logging.Filter):
    """Replaces the bot token and Authorization values in messages before any handler sees them."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        text = _SECRET_PATTERNS[0].sub("[REDACTED]", text)
        return _SECRET_PATTERNS[1].sub(r"\1[REDACTED]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if record.exc_info:
            # Tracebacks can carry URLs with the token in them; render and redact them now.
            redacted += "\n" + self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = redacted, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with any `extra=` context (feed, chat, incident) as keys."""

    _RESERVED = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._RESERVED and not key.startswith("_"):
                payload[key] = value if isinstance(value, int | float | bool | None) else str(value)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(
    *, level: str = "INFO", fmt: str = "text", secrets: tuple[str, ...] = ()
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
