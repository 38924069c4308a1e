"""Where messages go: Telegram through python-telegram-bot, or the console when offline.

The sender only sees `Transport` and `SendFailed`; Telegram's exceptions are translated here into
the few kinds the outbox decides on (bot.outbox.ErrorKind).
"""

from __future__ import annotations

import itertools
import sys
import warnings
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, TextIO

from bot.alerts import render_plain
from bot.errors import DeliveryError
from bot.outbox import ErrorKind

if TYPE_CHECKING:
    from telegram import Bot


class SendFailed(DeliveryError):
    """A send or edit did not go through; `kind` says what the outbox should do about it."""

    def __init__(self, kind: ErrorKind, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.kind: ErrorKind = kind
        self.reason = reason
        self.retry_after = retry_after


class Transport(Protocol):
    """Sends and edits HTML messages in chats; raises SendFailed."""

    async def send(
        self,
        chat_id: int,
        html: str,
        *,
        thread_id: int | None = None,
        silent: bool = False,
        reply_to: int | None = None,
    ) -> int:
        """Send a message; returns its message id."""
        ...

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Replace a message's text; "not modified" counts as done."""
        ...


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0


def translate(exc: Exception) -> SendFailed:
    """Telegram's exception as a SendFailed of the right kind."""
    from telegram import error

    reason = str(exc)[:300]
    if isinstance(exc, error.RetryAfter):
        with warnings.catch_warnings():
            # PTB 22 warns that retry_after will become a timedelta; both are handled.
            warnings.simplefilter("ignore")
            retry_after = _seconds(exc.retry_after)
        return SendFailed("rate_limited", reason, retry_after)
    if isinstance(exc, error.Forbidden | error.ChatMigrated):
        return SendFailed("gone", reason)
    if isinstance(exc, error.BadRequest):
        lowered = reason.lower()
        if "chat not found" in lowered or "chat_id is empty" in lowered:
            return SendFailed("gone", reason)
        return SendFailed("rejected", reason)
    if isinstance(exc, error.NetworkError):
        return SendFailed("network", reason)
    return SendFailed("rejected", reason)


class TelegramTransport:
    """Transport over a python-telegram-bot Bot (give it the Application's ExtBot: rate-limited)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(
        self,
        chat_id: int,
        html: str,
        *,
        thread_id: int | None = None,
        silent: bool = False,
        reply_to: int | None = None,
    ) -> int:
        from telegram import LinkPreviewOptions, ReplyParameters
        from telegram.constants import ParseMode
        from telegram.error import TelegramError

        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        try:
            message = await self._bot.send_message(
                chat_id=chat_id,
                text=html,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                message_thread_id=thread_id,
                disable_notification=silent,
                reply_parameters=reply,
            )
        except TelegramError as exc:
            raise translate(exc) from exc
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        from telegram import LinkPreviewOptions
        from telegram.constants import ParseMode
        from telegram.error import BadRequest, TelegramError

        try:
            await self._bot.edit_message_text(
                text=html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except BadRequest as exc:
            if "message is not modified" in str(exc).lower():
                return
            raise translate(exc) from exc
        except TelegramError as exc:
            raise translate(exc) from exc


class ConsoleTransport:
    """Prints alerts as readable text: the offline transport when no bot token is set."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._ids = itertools.count(1)
        self.sent: list[tuple[int, str]] = []

    def _print(self, text: str) -> None:
        out = self._out or sys.stdout
        print(text, file=out, flush=True)

    async def send(
        self,
        chat_id: int,
        html: str,
        *,
        thread_id: int | None = None,
        silent: bool = False,
        reply_to: int | None = None,
    ) -> int:
        message_id = next(self._ids)
        heading = (
            f"── reply to message {reply_to} ──" if reply_to else f"── message {message_id} ──"
        )
        self._print(f"\n{heading}\n{render_plain(html)}")
        self.sent.append((chat_id, html))
        return message_id

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        self._print(f"\n── message {message_id} updated ──\n{render_plain(html)}")
        self.sent.append((chat_id, html))
