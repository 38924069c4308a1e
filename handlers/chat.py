"""Thin python-telegram-bot handlers: build an Incoming, call `respond`, send the replies."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, MessageLimit, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.conversation import Incoming, Reply, Services, respond

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in reply.buttons
        ]
    )


def _services(services: Services, bot: Bot) -> Services:
    """The services with the bot's username filled in once the bot knows it."""
    if services.bot_username or not bot.username:
        return services
    return dataclasses.replace(services, bot_username=bot.username)


def _thread(message: Message | None) -> int | None:
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def incoming_from_message(update: Update, bot: Bot) -> Incoming | None:
    """The Incoming for a text message (a reply to the bot in a group counts as addressed)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    text = message.text or message.caption or ""
    replied = message.reply_to_message
    if (
        chat.type in ("group", "supergroup")
        and replied is not None
        and replied.from_user is not None
        and replied.from_user.id == bot.id
        and bot.username
        and not text.startswith("/")
    ):
        text = f"@{bot.username} {text}"
    user = update.effective_user
    return Incoming(
        chat_id=chat.id,
        user_id=user.id if user else None,
        chat_kind=chat.type,
        text=text,
        chat_title=chat.title or "",
        message_thread_id=_thread(message),
        as_chat=message.sender_chat is not None and message.sender_chat.id == chat.id,
    )


async def is_group_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Whether Telegram lists the user as the group's owner or one of its administrators."""
    member = await bot.get_chat_member(chat_id, user_id)
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def send_replies(
    bot: Bot,
    chat_id: int,
    replies: Sequence[Reply],
    *,
    thread_id: int | None = None,
    edit_message_id: int | None = None,
) -> None:
    """Send replies in order; with `edit_message_id`, the first text reply replaces that message."""
    for index, reply in enumerate(replies):
        markup = _markup(reply)
        if reply.photo_png is not None:
            fits = len(reply.text) <= MessageLimit.CAPTION_LENGTH
            await bot.send_photo(
                chat_id,
                photo=reply.photo_png,
                caption=reply.text if fits else None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if fits else None,
                message_thread_id=thread_id,
            )
            if fits:
                continue
        if index == 0 and edit_message_id is not None and reply.photo_png is None:
            try:
                await bot.edit_message_text(
                    reply.text,
                    chat_id=chat_id,
                    message_id=edit_message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=_NO_PREVIEW,
                )
                continue
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    continue
                log.info("could not edit message, sending anew: %s", exc)
        await bot.send_message(
            chat_id,
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=_NO_PREVIEW,
            message_thread_id=thread_id,
        )


async def on_message(
    update: Update, context: ContextTypes.DEFAULT_TYPE, services: Services
) -> None:
    """Any command or text message."""
    incoming = incoming_from_message(update, context.bot)
    if incoming is None:
        return
    replies = await respond(incoming, _services(services, context.bot))
    try:
        await send_replies(
            context.bot, incoming.chat_id, replies, thread_id=incoming.message_thread_id
        )
    except TelegramError as exc:
        log.warning("could not answer a message: %s", exc, extra={"chat": incoming.chat_id})


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, services: Services) -> None:
    """An inline button press: answer it, then edit the pressed message with the reply."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    message = query.message
    if message is None or not isinstance(message, Message):
        return
    incoming = Incoming(
        chat_id=message.chat.id,
        user_id=query.from_user.id,
        chat_kind=message.chat.type,
        text="",
        chat_title=message.chat.title or "",
        message_thread_id=_thread(message),
        callback_data=query.data or "",
    )
    replies = await respond(incoming, _services(services, context.bot))
    try:
        await send_replies(
            context.bot,
            incoming.chat_id,
            replies,
            thread_id=incoming.message_thread_id,
            edit_message_id=message.message_id,
        )
    except TelegramError as exc:
        log.warning("could not answer a button: %s", exc, extra={"chat": incoming.chat_id})
