"""The transport-neutral core of the chat side: one entry point for every message or button press.

`respond` takes an `Incoming` (a message or a callback button press, whatever the transport) and
returns the `Reply` list to send back; it never raises. Every piece of user or feed text it echoes
is escaped for Telegram HTML and cut to size.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import chat_texts as texts
from bot.alerts import casualties_text, esc, headline, render_alert
from bot.chat_texts import t
from bot.config import Settings
from bot.errors import InputError
from bot.incidents.repo import load_incident_view
from bot.queries import (
    IncidentFilter,
    MonthCount,
    count_incidents,
    latest_incident,
    list_incidents,
    monthly_counts,
    search_incidents,
    service_stats,
)
from bot.questions import Period, Query, has_arabic, parse_period, parse_question
from bot.ratelimit import UserRateLimiter
from bot.records import WEAPONS, IncidentView, SourceRef
from bot.store import models
from bot.store.db import unit_of_work
from bot.subscriptions import ChatSettings, parse_settings_args, settings_of, store_settings
from bot.timeutil import BAGHDAD, baghdad_date
from feeds.status import feed_statuses

log = logging.getLogger(__name__)

# Incoming text is cut to this before anything reads it (Telegram's own limit is 4,096).
MAX_INPUT = 4096
MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
MAX_RECENT = 50
DEFAULT_RECENT = 10
GROUP_KINDS = frozenset({"group", "supergroup"})


@dataclass(frozen=True)
class Incoming:
    """A message or button press from a chat, as any transport sees it."""

    chat_id: int
    user_id: int | None
    chat_kind: str  # "private" | "group" | "supergroup" | "channel"
    text: str
    chat_title: str = ""
    message_thread_id: int | None = None
    callback_data: str | None = None
    # Sent as the group itself (an anonymous group admin): Telegram shows no user to check.
    as_chat: bool = False


@dataclass(frozen=True)
class Reply:
    """One message to send: Telegram HTML, an optional PNG (text becomes its caption), buttons.

    `buttons` are rows of (label, callback data). For a button press, the transport edits the
    pressed message with the first reply when it has no photo.
    """

    text: str
    photo_png: bytes | None = None
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True)
class Services:
    """What answering needs: the store, the settings, the clock, and per-user rate limits."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    now: Callable[[], datetime]
    # The bot's @username without "@": group messages are answered only when they mention it.
    bot_username: str = ""
    limiter: UserRateLimiter = field(default_factory=UserRateLimiter)
    page_size: int = 10
    # Asks the transport whether a user administers a group chat (chat id, user id). None where
    # the transport has no groups to ask about (the console).
    group_admin: Callable[[int, int], Awaitable[bool]] | None = None

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.telegram.admins

    async def may_configure(self, incoming: Incoming) -> bool:
        """Whether the sender may change this chat's subscription or settings.

        Anyone may in a private chat; in a group, only its administrators and the bot's, so that
        one member cannot unsubscribe or mute a whole group.
        """
        if incoming.chat_kind not in GROUP_KINDS or self.is_admin(incoming.user_id):
            return True
        if incoming.as_chat or self.group_admin is None:
            return True
        if incoming.user_id is None:
            return False
        try:
            return await self.group_admin(incoming.chat_id, incoming.user_id)
        except Exception:
            # Unknown is not yes: a failed lookup leaves the group's settings as they are.
            log.warning(
                "could not look up a group's administrators",
                exc_info=True,
                extra={"chat": incoming.chat_id},
            )
            return False


@dataclass(frozen=True)
class _Ctx:
    """One request being answered."""

    incoming: Incoming
    services: Services
    now: datetime
    lang: str
    chat: ChatSettings
    subscribed: bool


Handler = Callable[[_Ctx, str], Awaitable[list[Reply]]]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029]")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+(.*))?$", re.DOTALL)


def clean_text(text: str) -> str:
    """Input with control characters gone and its length capped."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text[:MAX_INPUT])).strip()


def echo(text: str, limit: int = 60) -> str:
    """User text safe to echo back: one line, cut, escaped."""
    return esc(text, limit)


async def respond(incoming: Incoming, services: Services) -> list[Reply]:
    """The replies to one message or button press; an internal error becomes an apology."""
    try:
        return await _respond(incoming, services)
    except Exception:
        log.exception("answering a message failed", extra={"chat": incoming.chat_id})
        return [Reply(t("en", "error"))]


async def _respond(incoming: Incoming, services: Services) -> list[Reply]:
    now = services.now()
    text = clean_text(incoming.text)
    routed = _route(incoming, text, services.bot_username)
    if routed is None:
        return []
    command, args = routed
    limited = _rate_limited(incoming, services, now)
    if limited is not None:
        return limited
    ctx = await _context(incoming, services, now, text)
    if incoming.callback_data is not None:
        data = incoming.callback_data[:MAX_CALLBACK_BYTES]
        if data.startswith("s:") and not await services.may_configure(incoming):
            return [Reply(t(ctx.lang, "group_admins_only"))]
        return await _on_button(ctx, data)
    if command is None:
        return await _on_question(ctx, args)
    handler = _COMMANDS.get(command)
    if handler is None:
        return [Reply(t(ctx.lang, "unknown_command", command=echo(command, 32)))]
    if command in _ADMIN_ONLY and not services.is_admin(incoming.user_id):
        return [Reply(t(ctx.lang, "admins_only"))]
    changes_chat = command in _CHANGES_CHAT or (command == "settings" and bool(args))
    if changes_chat and not await services.may_configure(incoming):
        return [Reply(t(ctx.lang, "group_admins_only"))]
    return await handler(ctx, args)


def _route(incoming: Incoming, text: str, bot_username: str) -> tuple[str | None, str] | None:
    """(command, arguments), (None, question), or None when the message is not for us."""
    if incoming.callback_data is not None:
        return "", ""
    match = _COMMAND.match(text)
    if match is not None:
        target = match.group(2)
        if target and bot_username and target.lower() != bot_username.lower():
            return None
        return match.group(1).lower(), (match.group(3) or "").strip()
    if incoming.chat_kind == "channel":
        return None
    if incoming.chat_kind in GROUP_KINDS:
        mention = f"@{bot_username}".lower() if bot_username else ""
        if not mention or mention not in text.lower():
            return None
        text = re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip()
    return None, text


def _rate_limited(incoming: Incoming, services: Services, now: datetime) -> list[Reply] | None:
    user = incoming.user_id if incoming.user_id is not None else incoming.chat_id
    decision, wait = services.limiter.check(
        user, now, rate_per_minute=services.settings.telegram.user_rate_per_minute
    )
    if decision == "allow":
        return None
    if decision == "warn":
        lang = "ar" if has_arabic(incoming.text[:200]) else "en"
        return [Reply(t(lang, "slow_down", seconds=wait))]
    return []


async def _context(incoming: Incoming, services: Services, now: datetime, text: str) -> _Ctx:
    async with unit_of_work(services.sessions) as session:
        chat = await session.get(models.Chat, incoming.chat_id)
        settings = settings_of(chat) if chat is not None else ChatSettings()
        subscribed = bool(chat is not None and chat.subscribed and chat.active)
    lang = settings.language
    # A question asked in Arabic is answered in Arabic whatever the chat's language.
    if chat is None and has_arabic(text[:200]):
        lang = "ar"
    return _Ctx(incoming, services, now, lang, settings, subscribed)


async def _chat_row(session: AsyncSession, ctx: _Ctx) -> models.Chat:
    """The chat's row, created (not subscribed) on first need."""
    incoming = ctx.incoming
    chat = await session.get(models.Chat, incoming.chat_id)
    if chat is None:
        chat = models.Chat(
            id=incoming.chat_id,
            kind=incoming.chat_kind[:16],
            title=incoming.chat_title[:300],
            subscribed=False,
            active=True,
            language=ctx.lang,
            weapons=[],
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        session.add(chat)
    return chat


# Formatting -------------------------------------------------------------------------------


def _date_text(day: date) -> str:
    return day.isoformat()


def describe_period(period: Period | None, lang: str) -> str:
    """A period in words: "December 2023", "2022", "since 2022-01-01", "2024-03-11 – 2024-03-15"."""
    if period is None:
        return t(lang, "all_time")
    start, end = period.start, period.end
    if start is None and end is None:
        return t(lang, "all_time")
    if end is None:
        return t(lang, "since", day=_date_text(start)) if start else t(lang, "all_time")
    if start is None:
        return t(lang, "until", day=_date_text(end - timedelta(days=1)))
    last = end - timedelta(days=1)
    if start == last:
        return _date_text(start)
    if start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        if months == 1:
            return texts.month_name(start.month, start.year, lang)
        if months == 12 and start.month == 1:
            return str(start.year)
    return f"{_date_text(start)} – {_date_text(last)}"


def incident_line(view: IncidentView, lang: str) -> str:
    """One incident on one line: id, date, what, where, casualties, claim."""
    parts = [f"<b>#{view.id}</b> {_date_text(view.date)}", esc(headline(view, lang), 80)]
    if view.projectiles is not None:
        parts.append(t(lang, "projectiles_n", n=view.projectiles))
    if view.target:
        parts.append(esc(view.target, 60))
    parts.append(casualties_text(view.killed, view.injured, lang))
    if view.claimed_by:
        parts.append(t(lang, "claimed_by", who=esc(view.claimed_by, 60)))
    return " · ".join(parts)


def source_line(source: SourceRef) -> str:
    """An outlet linked to its report, with the title and Baghdad time."""
    name = esc(source.outlet or source.title or "source", 80)
    url = source.url.strip()
    link = (
        f'<a href="{html.escape(url, quote=True)}">{name}</a>'
        if url.startswith(("http://", "https://"))
        else name
    )
    when = source.published.astimezone(BAGHDAD).strftime("%Y-%m-%d %H:%M")
    return f"• {link} ({when}): {esc(source.title, 150)}"


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Text cut at line boundaries into pieces of at most `limit` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        if len(line) > limit:
            line = esc(html.unescape(re.sub(r"<[^>]*>", "", line)), limit - 10)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _texts(text: str) -> list[Reply]:
    return [Reply(piece) for piece in split_message(text)]


def _page_buttons(
    prefix: str, offset: int, page: int, has_more: bool, lang: str
) -> tuple[tuple[tuple[str, str], ...], ...]:
    row: list[tuple[str, str]] = []
    if offset > 0:
        row.append((t(lang, "prev"), prefix.format(offset=max(0, offset - page))))
    if has_more:
        row.append((t(lang, "next"), prefix.format(offset=offset + page)))
    if any(len(data.encode()) > MAX_CALLBACK_BYTES for _, data in row):
        return ()
    return (tuple(row),) if row else ()


def _list_reply(
    header: str,
    views: list[IncidentView],
    *,
    lang: str,
    offset: int,
    has_more: bool,
    prefix: str,
    page: int,
) -> list[Reply]:
    lines = [header, *(incident_line(v, lang) for v in views)]
    pieces = split_message("\n\n".join(lines))
    buttons = _page_buttons(prefix, offset, page, has_more, lang)
    replies = [Reply(piece) for piece in pieces]
    replies[-1] = replace(replies[-1], buttons=buttons)
    return replies


# Commands ---------------------------------------------------------------------------------


async def _start(ctx: _Ctx, args: str) -> list[Reply]:
    state = t(ctx.lang, "you_are_subscribed" if ctx.subscribed else "you_are_not_subscribed")
    return _texts(t(ctx.lang, "start") + "\n\n" + state)


async def _subscribe(ctx: _Ctx, args: str) -> list[Reply]:
    async with unit_of_work(ctx.services.sessions) as session:
        chat = await _chat_row(session, ctx)
        already = chat.subscribed and chat.active
        chat.subscribed = True
        chat.active = True
        chat.deactivated_reason = None
        chat.kind = ctx.incoming.chat_kind[:16]
        chat.title = ctx.incoming.chat_title[:300]
        chat.message_thread_id = ctx.incoming.message_thread_id
        chat.updated_at = ctx.now
    return [Reply(t(ctx.lang, "already_subscribed" if already else "subscribed"))]


async def _unsubscribe(ctx: _Ctx, args: str) -> list[Reply]:
    async with unit_of_work(ctx.services.sessions) as session:
        chat = await session.get(models.Chat, ctx.incoming.chat_id)
        was = chat is not None and chat.subscribed
        if chat is not None:
            chat.subscribed = False
            chat.updated_at = ctx.now
    return [Reply(t(ctx.lang, "unsubscribed" if was else "not_subscribed"))]


def _settings_reply(settings: ChatSettings, lang: str, note: str = "") -> Reply:
    weapons = ", ".join(texts.weapon_name(w, lang) for w in settings.weapons) or t(lang, "all")
    quiet = (
        f"{settings.quiet_start}–{settings.quiet_end} ({esc(settings.timezone, 64)})"
        if settings.quiet_start and settings.quiet_end
        else t(lang, "off")
    )
    body = t(
        lang,
        "settings",
        weapons=weapons,
        casualties=t(lang, "on" if settings.casualties_only else "off"),
        min=settings.min_projectiles,
        quiet=quiet,
        tz=esc(settings.timezone, 64),
        language=texts.language_name(settings.language),
    )
    cas_label = t(
        lang, "casualties_button", state=t(lang, "on" if settings.casualties_only else "off")
    )
    weapon_row = tuple(
        (("✓ " if w in settings.weapons else "") + texts.weapon_name(w, lang), f"s:w:{w}")
        for w in ("rocket", "drone", "mortar", "missile")
    )
    buttons = (
        ((cas_label, "s:cas:" + ("0" if settings.casualties_only else "1")),),
        weapon_row,
        ((t(lang, "all_weapons"), "s:w:all"), (t(lang, "quiet_off"), "s:q:off")),
        (("English", "s:lang:en"), ("العربية", "s:lang:ar")),
    )
    return Reply((note + "\n\n" if note else "") + body, buttons=buttons)


async def _update_settings(
    ctx: _Ctx, change: Callable[[ChatSettings], ChatSettings]
) -> list[Reply]:
    try:
        new = change(ctx.chat)
    except InputError as exc:
        return [Reply(t(ctx.lang, "settings_error", error=echo(str(exc), 200)))]
    async with unit_of_work(ctx.services.sessions) as session:
        chat = await _chat_row(session, ctx)
        store_settings(chat, new)
        chat.updated_at = ctx.now
    return [_settings_reply(new, new.language, t(new.language, "saved"))]


async def _settings(ctx: _Ctx, args: str) -> list[Reply]:
    if not args:
        return [_settings_reply(ctx.chat, ctx.lang)]
    return await _update_settings(ctx, lambda current: parse_settings_args(args[:300], current))


def _toggle_weapon(settings: ChatSettings, weapon: str) -> ChatSettings:
    if weapon == "all":
        return replace(settings, weapons=())
    if weapon not in WEAPONS:
        raise InputError("unknown weapon")
    chosen = set(settings.weapons) ^ {weapon}
    return replace(settings, weapons=tuple(w for w in WEAPONS if w in chosen))


async def _settings_button(ctx: _Ctx, key: str, value: str) -> list[Reply]:
    if key == "w":
        return await _update_settings(ctx, lambda s: _toggle_weapon(s, value))
    if key == "cas" and value in ("0", "1"):
        return await _update_settings(ctx, lambda s: replace(s, casualties_only=value == "1"))
    if key == "q" and value == "off":
        return await _update_settings(ctx, lambda s: replace(s, quiet_start=None, quiet_end=None))
    if key == "lang":
        return await _update_settings(ctx, lambda s: parse_settings_args(f"lang {value}", s))
    return [Reply(t(ctx.lang, "stale_button"))]


async def _show_incident(ctx: _Ctx, view: IncidentView | None, missing: str) -> list[Reply]:
    if view is None:
        return [Reply(t(ctx.lang, missing))]
    return [Reply(render_alert(view, lang=ctx.lang))]


def _incident_id(args: str) -> int | None:
    word = args.split()[0].lstrip("#") if args.split() else ""
    return int(word) if word.isdigit() and len(word) <= 12 else None


async def _latest(ctx: _Ctx, args: str) -> list[Reply]:
    async with unit_of_work(ctx.services.sessions) as session:
        view = await latest_incident(session)
    return await _show_incident(ctx, view, "no_incidents")


async def _incident(ctx: _Ctx, args: str) -> list[Reply]:
    incident_id = _incident_id(args)
    if incident_id is None:
        return [Reply(t(ctx.lang, "usage_incident"))]
    async with unit_of_work(ctx.services.sessions) as session:
        view = await load_incident_view(session, incident_id)
    return await _show_incident(ctx, view, "not_found")


async def _sources(ctx: _Ctx, args: str) -> list[Reply]:
    incident_id = _incident_id(args)
    if incident_id is None:
        return [Reply(t(ctx.lang, "usage_sources"))]
    async with unit_of_work(ctx.services.sessions) as session:
        view = await load_incident_view(session, incident_id)
    if view is None:
        return [Reply(t(ctx.lang, "not_found"))]
    lines = [t(ctx.lang, "sources_of", id=view.id, what=esc(headline(view, ctx.lang)))]
    lines += [source_line(s) for s in view.sources] or [t(ctx.lang, "no_sources")]
    return _texts("\n".join(lines))


_RECENT_ARGS = re.compile(r"^(\d{1,5})(?:\s*(d|days?|يوم|ايام|أيام))?$", re.IGNORECASE)


async def _recent(ctx: _Ctx, args: str) -> list[Reply]:
    spec = args.strip().lower() or str(DEFAULT_RECENT)
    match = _RECENT_ARGS.match(spec)
    if match is None:
        return [Reply(t(ctx.lang, "usage_recent"))]
    number, days = int(match.group(1)), match.group(2) is not None
    code = f"{number}d" if days else str(min(max(number, 1), MAX_RECENT))
    return await _recent_page(ctx, code, 0)


async def _recent_page(ctx: _Ctx, code: str, offset: int) -> list[Reply]:
    page = ctx.services.page_size
    if code.endswith("d"):
        days = min(max(int(code[:-1]), 1), 36600)
        today = baghdad_date(ctx.now)
        flt = IncidentFilter(start=today - timedelta(days=days - 1))
        limit = None
        header = t(ctx.lang, "recent_days", days=days)
    else:
        flt, limit = IncidentFilter(), int(code)
        header = t(ctx.lang, "recent_n", n=limit)
    take = page if limit is None else max(0, min(page, limit - offset))
    async with unit_of_work(ctx.services.sessions) as session:
        views = await list_incidents(session, flt, limit=take + 1, offset=offset) if take else []
    has_more = len(views) > take and (limit is None or offset + take < limit)
    views = views[:take]
    if not views:
        return [Reply(t(ctx.lang, "no_incidents"))]
    return _list_reply(
        header,
        views,
        lang=ctx.lang,
        offset=offset,
        has_more=has_more,
        prefix="r:{offset}:" + code,
        page=page,
    )


async def _search(ctx: _Ctx, args: str) -> list[Reply]:
    needle = " ".join(args.split())[:60]
    if len(needle) < 2:
        return [Reply(t(ctx.lang, "usage_search"))]
    return await _search_page(ctx, needle, 0)


async def _search_page(ctx: _Ctx, needle: str, offset: int) -> list[Reply]:
    page = ctx.services.page_size
    async with unit_of_work(ctx.services.sessions) as session:
        views = await search_incidents(session, needle, limit=page + 1, offset=offset)
    if not views:
        return [Reply(t(ctx.lang, "search_none", text=echo(needle)))]
    return _list_reply(
        t(ctx.lang, "search_results", text=echo(needle)),
        views[:page],
        lang=ctx.lang,
        offset=offset,
        has_more=len(views) > page,
        prefix="f:{offset}:" + needle,
        page=page,
    )


def _default_stats_period(now: datetime) -> Period:
    today = baghdad_date(now)
    index = today.year * 12 + today.month - 1 - 11
    return Period(date(index // 12, index % 12 + 1, 1), today + timedelta(days=1))


async def _stats(ctx: _Ctx, args: str) -> list[Reply]:
    period = parse_period(args[:200], ctx.now) if args else _default_stats_period(ctx.now)
    if period is None:
        return [Reply(t(ctx.lang, "usage_stats", text=echo(args)))]
    flt = IncidentFilter(start=period.start, end=period.end)
    async with unit_of_work(ctx.services.sessions) as session:
        counts = await monthly_counts(session, flt)
        service = (
            await service_stats(session, ctx.now)
            if ctx.services.is_admin(ctx.incoming.user_id)
            else None
        )
    replies = [await _stats_reply(counts, period, ctx.lang)]
    if service is not None:
        replies.extend(_texts(texts.service_stats_text(service, ctx.lang)))
    return replies


async def _stats_reply(counts: list[MonthCount], period: Period, lang: str) -> Reply:
    from bot.charts import monthly_chart_png

    label = describe_period(period, lang)
    text = texts.stats_text(counts, label, lang, limit=MAX_CAPTION)
    if not counts:
        return Reply(text)
    png = await asyncio.to_thread(
        monthly_chart_png,
        counts,
        title=f"Green Zone attacks per month ({label})"
        if lang == "en"
        else "Green Zone attacks per month",
    )
    return Reply(text, photo_png=png)


async def _feeds(ctx: _Ctx, args: str) -> list[Reply]:
    async with unit_of_work(ctx.services.sessions) as session:
        rows = await feed_statuses(session, ctx.services.now())
    return _texts(texts.feeds_text(rows, ctx.lang))


_SAMPLE = IncidentView(
    id=0,
    zone="baghdad-iz",
    date=date(2023, 12, 8),
    weapon="rocket",
    projectiles=3,
    intercepted=None,
    killed=0,
    injured=0,
    target="US embassy",
    claimed_by=None,
    damage=None,
    location=None,
    version=1,
    first_published=datetime(2023, 12, 8, 4, 15, tzinfo=BAGHDAD),
    last_published=datetime(2023, 12, 8, 4, 15, tzinfo=BAGHDAD),
)


async def _testalert(ctx: _Ctx, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "private":
        return [Reply(t(ctx.lang, "testalert_private"))]
    async with unit_of_work(ctx.services.sessions) as session:
        view = await latest_incident(session)
    return [Reply(render_alert(view or _SAMPLE, lang=ctx.lang, test=True))]


_COMMANDS: dict[str, Handler] = {
    "start": _start,
    "help": _start,
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "stop": _unsubscribe,
    "settings": _settings,
    "latest": _latest,
    "recent": _recent,
    "incident": _incident,
    "sources": _sources,
    "search": _search,
    "stats": _stats,
    "feeds": _feeds,
    "testalert": _testalert,
}
_ADMIN_ONLY = frozenset({"feeds", "testalert"})
# Commands that change the chat's subscription (`/settings` does too, when given arguments).
_CHANGES_CHAT = frozenset({"subscribe", "unsubscribe", "stop"})
# What handlers/ registers as commands (the rest of the text goes to `respond` as questions).
COMMANDS: tuple[str, ...] = tuple(_COMMANDS)


# Questions and buttons --------------------------------------------------------------------


def query_filter(query: Query) -> IncidentFilter:
    """The store filter a parsed question asks for."""
    period = query.period
    return IncidentFilter(
        start=period.start if period else None,
        end=period.end if period else None,
        weapon=query.weapon,
        casualties_only=query.casualties_only,
        claimant=query.claimant,
        claimed_only=query.claimed_only,
    )


def encode_query(query: Query) -> str:
    """A question in a few bytes, for a page button's callback data."""
    period = query.period or Period(None, None)
    flags = ("c" if query.casualties_only else "") + ("k" if query.claimed_only else "")
    return "|".join(
        (
            query.kind[0],
            period.start.strftime("%Y%m%d") if period.start else "",
            period.end.strftime("%Y%m%d") if period.end else "",
            query.weapon or "",
            flags,
            str(query.limit or ""),
            query.claimant or "",
        )
    )


def decode_query(data: str) -> Query | None:
    """The question back from `encode_query`, or None when the data is not one."""
    parts = data.split("|")
    if len(parts) != 7:
        return None
    kind, start, end, weapon, flags, limit, claimant = parts
    try:
        period = Period(
            date.fromisoformat(start) if start else None,
            date.fromisoformat(end) if end else None,
        )
    except ValueError:
        return None
    if kind not in ("l", "c") or (weapon and weapon not in WEAPONS):
        return None
    if limit and not limit.isdigit():
        return None
    return Query(
        kind="list" if kind == "l" else "count",
        period=period if (period.start or period.end) else None,
        casualties_only="c" in flags,
        weapon=weapon or None,
        claimant=claimant or None,
        claimed_only="k" in flags,
        limit=min(int(limit), MAX_RECENT) if limit else None,
    )


def _filters_text(query: Query, lang: str) -> str:
    parts = [describe_period(query.period, lang)]
    if query.weapon:
        parts.append(texts.weapon_name(query.weapon, lang))
    if query.casualties_only:
        parts.append(t(lang, "with_casualties"))
    if query.claimant:
        parts.append(t(lang, "claimed_by", who=echo(query.claimant, 40)))
    elif query.claimed_only:
        parts.append(t(lang, "claimed"))
    return ", ".join(parts)


async def _on_question(ctx: _Ctx, text: str) -> list[Reply]:
    if not text:
        return [Reply(t(ctx.lang, "hint"))]
    lang = "ar" if has_arabic(text[:200]) else ctx.lang
    ctx = replace(ctx, lang=lang)
    query = parse_question(text, ctx.now)
    if query is None:
        return [Reply(t(lang, "hint"))]
    return await _answer(ctx, query, 0)


async def _answer(ctx: _Ctx, query: Query, offset: int) -> list[Reply]:
    flt = query_filter(query)
    lang = ctx.lang
    if query.kind == "latest":
        async with unit_of_work(ctx.services.sessions) as session:
            view = await latest_incident(session, flt)
        return await _show_incident(ctx, view, "no_match")
    async with unit_of_work(ctx.services.sessions) as session:
        total = await count_incidents(session, flt)
        if query.limit is not None:
            total = min(total, query.limit)
        page = ctx.services.page_size
        take = max(0, min(page, total - offset))
        views = (
            await list_incidents(session, flt, limit=take, offset=offset)
            if query.kind == "list" and take
            else []
        )
    filters = _filters_text(query, lang)
    if query.kind == "count":
        return [Reply(t(lang, "count", n=texts.attacks_count(total, lang), filters=filters))]
    if not views:
        return [Reply(t(lang, "no_match_in", filters=filters))]
    header = t(
        lang,
        "list_header",
        filters=filters,
        first=offset + 1,
        last=offset + len(views),
        total=total,
    )
    return _list_reply(
        header,
        views,
        lang=lang,
        offset=offset,
        has_more=offset + len(views) < total,
        prefix="q:{offset}:" + encode_query(query),
        page=page,
    )


async def _on_button(ctx: _Ctx, data: str) -> list[Reply]:
    kind, _, rest = data.partition(":")
    if kind == "s":
        key, _, value = rest.partition(":")
        return await _settings_button(ctx, key, value)
    offset_text, _, payload = rest.partition(":")
    if not offset_text.isdigit() or int(offset_text) > 1_000_000:
        return [Reply(t(ctx.lang, "stale_button"))]
    offset = int(offset_text)
    if kind == "r" and re.fullmatch(r"\d{1,5}d?", payload):
        return await _recent_page(ctx, payload, offset)
    if kind == "f" and len(payload) >= 2:
        return await _search_page(ctx, payload, offset)
    if kind == "q" and (query := decode_query(payload)) is not None:
        lang = "ar" if has_arabic(payload) else ctx.lang
        return await _answer(replace(ctx, lang=lang), query, offset)
    return [Reply(t(ctx.lang, "stale_button"))]
