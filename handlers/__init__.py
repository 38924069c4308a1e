"""Thin Telegram handlers over the transport-neutral core in `bot`."""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversation import COMMANDS, Services
from handlers.chat import is_group_admin, on_button, on_message


def register(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Route commands, text messages and button presses to the conversation core."""
    if services.group_admin is None:
        services = dataclasses.replace(
            services, group_admin=partial(is_group_admin, application.bot)
        )
    answer = partial(on_message, services=services)
    application.add_handler(CommandHandler(list(COMMANDS), answer))
    # Unknown commands get a hint; free text is a question (groups: only when addressed).
    application.add_handler(MessageHandler(filters.TEXT | filters.COMMAND, answer))
    application.add_handler(CallbackQueryHandler(partial(on_button, services=services)))
