"""`run`: everything in one process — store, feed polling, pipeline, outbox sender, the bot.

With a token: python-telegram-bot's Application (rate limiter, HTML defaults, JobQueue polling
schedule, handlers, long polling or a webhook). Without one: the console transport, alerts
printed to stdout and stdin lines answered as one private chat. `once` polls every feed, delivers
what that produced and exits, answering nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import metrics
from bot.alerts import render_plain
from bot.config import Settings
from bot.errors import ConfigError
from bot.health import Heartbeats
from bot.outbox import enqueue_version
from bot.records import VersionEvent
from bot.sender import Sender, SendReport, options_from_settings
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from bot.store.migrate import upgrade
from bot.timeutil import utcnow
from bot.transport import ConsoleTransport, SendFailed, TelegramTransport, Transport

if TYPE_CHECKING:
    import httpx
    from telegram.ext import Application, ContextTypes

    from bot.monitoring import MonitoringServer

log = logging.getLogger(__name__)

# The console is one private chat; Telegram ids are never 0... except ours.
CONSOLE_CHAT_ID = 0
ONCE_DELIVERY_WINDOW = 120.0
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Store:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


async def open_store(settings: Settings, now: datetime) -> Store:
    """Migrate, bring feeds in line with the config, upsert the config's broadcast chats."""
    from feeds.sync import sync_feeds

    engine = create_engine(settings.database.url, echo=settings.database.echo)
    await upgrade(engine)
    sessions = session_factory(engine)
    async with unit_of_work(sessions) as session:
        await sync_feeds(session, settings, now)
        await upsert_config_chats(session, settings, now)
    return Store(engine, sessions)


async def upsert_config_chats(session: AsyncSession, settings: Settings, now: datetime) -> None:
    """Chats listed in `[telegram] chats` get every alert; ones dropped from it stop."""
    listed = {chat.chat_id: chat for chat in settings.telegram.chats}
    await session.execute(
        update(models.Chat)
        .where(models.Chat.from_config.is_(True), models.Chat.id.not_in(listed or [0]))
        .values(from_config=False, updated_at=now)
    )
    for chat_id, config in listed.items():
        row = await session.get(models.Chat, chat_id)
        if row is None:
            row = models.Chat(id=chat_id, kind="group", created_at=now)
            session.add(row)
        row.from_config = True
        row.active = True
        row.deactivated_reason = None
        row.message_thread_id = config.message_thread_id
        row.title = config.title or row.title or ""
        row.updated_at = now


async def ensure_console_chat(session: AsyncSession, now: datetime) -> None:
    """The console's chat is subscribed when first made; /unsubscribe there is then kept."""
    if await session.get(models.Chat, CONSOLE_CHAT_ID) is None:
        session.add(
            models.Chat(
                id=CONSOLE_CHAT_ID,
                kind="private",
                title="console",
                subscribed=True,
                created_at=now,
                updated_at=now,
            )
        )


def article_handler(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], sender: Sender, now: Clock
) -> Callable[[Sequence[int]], Awaitable[None]]:
    """The poller's `on_articles`: classify and group, queue deliveries, wake the sender."""
    from bot.pipeline import process_articles

    async def on_version(session: AsyncSession, event: VersionEvent) -> None:
        await enqueue_version(session, event, now())

    async def on_articles(article_ids: Sequence[int]) -> None:
        result = await process_articles(
            sessions, article_ids, settings=settings, now=now(), on_version=on_version
        )
        metrics.ATTACKS.inc(result.attacks)
        metrics.INCIDENTS.labels(kind="new").inc(len(result.created))
        metrics.INCIDENTS.labels(kind="updated").inc(
            max(len(result.versions) - len(result.created), 0)
        )
        if result.versions:
            sender.wake()

    return on_articles


async def classify_leftovers(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], sender: Sender, now: Clock
) -> int:
    """Classify articles stored but never (re)classified; returns how many.

    A process killed between committing a poll's articles and classifying them leaves such
    rows, and the feed never offers those entries as new again: without this their incidents
    would be lost. Call once at start-up, before polling.
    """
    a, c = models.Article, models.Classification
    async with unit_of_work(sessions) as session:
        ids = list(
            await session.scalars(
                select(a.id)
                .outerjoin(c, c.article_id == a.id)
                .where(or_(c.id.is_(None), c.classified_at < a.updated_at))
                .order_by(a.id)
            )
        )
    if ids:
        log.warning("classifying %d article(s) stored but never classified", len(ids))
        await article_handler(settings, sessions, sender, now)(ids)
    return len(ids)


@dataclass(frozen=True, slots=True)
class Poller:
    """What a poll cycle needs for the whole run: one HTTP client, shared by every cycle."""

    settings: Settings
    store: Store
    sender: Sender
    client: httpx.AsyncClient
    # Where admins hear of deactivated feeds (the bot's transport, or the console).
    notices: Transport
    heartbeats: Heartbeats
    now: Clock = utcnow


async def _active_feeds(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessions() as session:
        rows = await session.scalars(select(models.Feed.name).where(models.Feed.active.is_(True)))
        return set(rows)


async def _tell_admins_of_deactivations(poller: Poller, active_before: set[str]) -> None:
    """A feed the poll just deactivated (410 Gone, failing for days) is news for the admins."""
    async with poller.store.sessions() as session:
        rows = await session.execute(
            select(models.Feed.name, models.Feed.deactivated_reason).where(
                models.Feed.active.is_(False), models.Feed.name.in_(active_before)
            )
        )
        gone = list(rows)
    for name, reason in gone:
        text = (
            f"⚠️ Feed <b>{html.escape(name)}</b> was deactivated: "
            f"{html.escape(reason or 'no reason recorded')}. Fix or remove it in the "
            "settings file; it is polled again after a restart."
        )
        for admin in poller.settings.telegram.admins:
            try:
                await poller.notices.send(admin, text)
            except SendFailed as exc:
                log.warning(
                    "could not tell admin %s about feed %s: %s",
                    admin,
                    name,
                    exc.reason,
                    extra={"feed": name, "chat": admin},
                )


def _count_polls(report: Any) -> None:
    for outcome in report.outcomes:
        metrics.POLLS.labels(outcome=outcome.status).inc()
        metrics.ARTICLES.labels(kind="new").inc(outcome.new)
        metrics.ARTICLES.labels(kind="edited").inc(outcome.edited)


async def poll_cycle(poller: Poller, *, due_only: bool) -> Any:
    """Poll the due (or all) feeds once, then count, tell admins, and beat."""
    from feeds.poller import poll_feeds

    admins = bool(poller.settings.telegram.admins)
    active_before = await _active_feeds(poller.store.sessions) if admins else set()
    report = await poll_feeds(
        poller.settings,
        poller.store.sessions,
        poller.client,
        now=poller.now,
        due_only=due_only,
        on_articles=article_handler(
            poller.settings, poller.store.sessions, poller.sender, poller.now
        ),
    )
    _count_polls(report)
    if admins:
        await _tell_admins_of_deactivations(poller, active_before)
    poller.heartbeats.beat("scheduler", poller.now())
    return report


def heartbeats_for(settings: Settings) -> Heartbeats:
    """How long the scheduler and the sender may stay quiet before /healthz says 503."""
    tick = timedelta(seconds=_poll_tick(settings))
    return Heartbeats(
        limits={
            "scheduler": max(10 * tick, timedelta(minutes=10)),
            "sender": max(30 * settings.alerts.send_interval, timedelta(minutes=5)),
        }
    )


async def start_monitoring(
    settings: Settings, store: Store, heartbeats: Heartbeats
) -> MonitoringServer | None:
    """Serve /healthz and /metrics when `[monitoring] enabled`."""
    if not settings.monitoring.enabled:
        return None
    from bot.monitoring import MonitoringServer, refresh_gauges, store_answers

    server = MonitoringServer(
        heartbeats,
        lambda: store_answers(store.sessions),
        utcnow,
        before_scrape=lambda: refresh_gauges(store.sessions, utcnow()),
    )
    await server.start(settings.monitoring.listen)
    return server


def _summary(report: Any, sent: SendReport) -> str:
    outcomes = getattr(report, "outcomes", ())
    new = sum(getattr(o, "new", 0) for o in outcomes)
    failed = [o for o in outcomes if getattr(o, "status", "") == "failed"]
    text = f"polled {len(outcomes)} feed(s): {new} new article(s); {sent.sent} message(s) sent"
    if failed:
        text += "; failed: " + ", ".join(f"{o.name} ({o.reason})" for o in failed)
    return text


async def run_once(
    settings: Settings, *, transport: Transport | None = None, now: Clock = utcnow
) -> int:
    """Poll every feed once, deliver what it produced, exit. Console transport without a token."""
    store = await open_store(settings, now())
    try:
        application = None
        if transport is None:
            token = settings.telegram.token()
            if token is None:
                transport = ConsoleTransport()
                async with unit_of_work(store.sessions) as session:
                    await ensure_console_chat(session, now())
            else:
                application = build_application(settings, token)
                await application.initialize()
                transport = TelegramTransport(application.bot)
        from feeds.fetch import make_client

        sender = Sender(store.sessions, transport, options_from_settings(settings), now=now)
        try:
            async with make_client(settings) as client:
                poller = Poller(
                    settings, store, sender, client, transport, heartbeats_for(settings), now
                )
                await classify_leftovers(settings, store.sessions, sender, now)
                report = await poll_cycle(poller, due_only=False)
            sent = await sender.drain(within=ONCE_DELIVERY_WINDOW)
        finally:
            if application is not None:
                await application.shutdown()
        print(_summary(report, sent), file=sys.stderr)
    finally:
        await store.engine.dispose()
    return 0


def build_application(settings: Settings, token: str) -> Application[Any, Any, Any, Any, Any, Any]:
    """PTB's Application: rate limiter under Telegram's limits, HTML without link previews."""
    from telegram import LinkPreviewOptions
    from telegram.constants import ParseMode
    from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults

    # Opt in to PTB 23's timedelta time periods: PTB 22 otherwise warns on every 429 it parses.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    alerts = settings.alerts
    # A little under the documented limits: the server's clock and ours never agree exactly.
    limiter = AIORateLimiter(
        overall_max_rate=alerts.global_rate * 0.97,
        overall_time_period=1,
        group_max_rate=alerts.group_rate_per_minute * 0.95,
        group_time_period=60,
        max_retries=0,
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(limiter)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(True)
    )
    if settings.telegram.api_base_url:
        base = settings.telegram.api_base_url.rstrip("/")
        builder = builder.base_url(base + "/bot").base_file_url(base + "/file/bot")
    return builder.build()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("error while handling an update", exc_info=context.error)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


def _poll_tick(settings: Settings) -> float:
    return max(1.0, settings.polling.min_interval.total_seconds())


async def run_telegram(settings: Settings, token: str, *, stop: asyncio.Event | None = None) -> int:
    """The bot on Telegram until SIGTERM/SIGINT (or `stop`): in-flight sends finish first."""
    import handlers
    from bot.conversation import Services

    if stop is None:
        stop = asyncio.Event()
        _stop_on_signals(stop)
    from feeds.fetch import make_client

    store = await open_store(settings, utcnow())
    application = build_application(settings, token)
    heartbeats = heartbeats_for(settings)
    monitor = await start_monitoring(settings, store, heartbeats)
    client = make_client(settings)
    try:
        await application.initialize()
        services = Services(
            sessions=store.sessions,
            settings=settings,
            now=utcnow,
            bot_username=application.bot.username or "",
        )
        handlers.register(application, services)
        application.add_error_handler(_on_error)
        transport = TelegramTransport(application.bot)
        sender = Sender(
            store.sessions,
            transport,
            options_from_settings(settings),
            on_tick=lambda: heartbeats.beat("sender", utcnow()),
        )
        poller = Poller(settings, store, sender, client, transport, heartbeats)
        await classify_leftovers(settings, store.sessions, sender, utcnow)

        async def poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
            await poll_cycle(poller, due_only=True)

        assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
        application.job_queue.run_repeating(
            poll_job,
            interval=_poll_tick(settings),
            first=0.0,
            name="poll-feeds",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        await application.start()
        updater = application.updater
        assert updater is not None
        if settings.telegram.webhook_url:
            await _start_webhook(application, settings, token)
        else:
            await updater.start_polling(allowed_updates=["message", "callback_query"])
        sender_task = asyncio.create_task(sender.run(), name="outbox-sender")
        log.info("bot running; stop with SIGTERM or Ctrl-C")
        await stop.wait()
        log.info("stopping: finishing the sends in flight")
        if updater.running:
            await updater.stop()
        sender.stop()
        await sender_task
        await application.stop()
    finally:
        await application.shutdown()
        await client.aclose()
        if monitor is not None:
            await monitor.close()
        await store.engine.dispose()
    return 0


def webhook_secret(token: str) -> str:
    """The secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token on every webhook call.

    Derived from the token, so only Telegram (told it by setWebhook) can post updates to us,
    without another setting to manage; the token itself never leaves the process.
    """
    return hashlib.sha256(f"greenzone-webhook:{token}".encode()).hexdigest()[:48]


async def _start_webhook(application: Any, settings: Settings, token: str) -> None:
    from urllib.parse import urlsplit

    telegram = settings.telegram
    assert telegram.webhook_url is not None
    path = urlsplit(telegram.webhook_url).path.lstrip("/")
    try:
        await application.updater.start_webhook(
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
            url_path=path,
            webhook_url=telegram.webhook_url,
            allowed_updates=["message", "callback_query"],
            secret_token=webhook_secret(token),
        )
    except RuntimeError as exc:
        raise ConfigError(f"[telegram] webhook_url: cannot serve a webhook ({exc})") from None


class _StdinLines:
    """stdin lines into the event loop from a daemon thread (a blocked read never holds exit)."""

    def __init__(self, source: TextIO) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:
            for line in source:
                loop.call_soon_threadsafe(self.queue.put_nowait, line)
            loop.call_soon_threadsafe(self.queue.put_nowait, None)

        threading.Thread(target=pump, daemon=True, name="stdin").start()


def _print_reply(reply: Any, out: TextIO) -> None:
    print(render_plain(reply.text), file=out, flush=True)
    if reply.photo_png:
        print(f"[chart: PNG image, {len(reply.photo_png)} bytes]", file=out, flush=True)
    for row in reply.buttons:
        labels = "  ".join(f"[{label}]" for label, _ in row)
        print(labels, file=out, flush=True)


async def _console_chat(services: Any, out: TextIO, source: TextIO) -> None:
    from bot.conversation import Incoming, respond

    lines = _StdinLines(source)
    while (line := await lines.queue.get()) is not None:
        text = line.strip()
        if not text:
            continue
        incoming = Incoming(
            chat_id=CONSOLE_CHAT_ID, user_id=CONSOLE_CHAT_ID, chat_kind="private", text=text
        )
        for reply in await respond(incoming, services):
            _print_reply(reply, out)


async def run_console(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """Offline: poll on schedule, print alerts, answer stdin lines, until SIGTERM/SIGINT."""
    from bot.conversation import Services

    if stop is None:
        stop = asyncio.Event()
        _stop_on_signals(stop)
    from feeds.fetch import make_client

    store = await open_store(settings, utcnow())
    async with unit_of_work(store.sessions) as session:
        await ensure_console_chat(session, utcnow())
    heartbeats = heartbeats_for(settings)
    transport = ConsoleTransport()
    sender = Sender(
        store.sessions,
        transport,
        options_from_settings(settings),
        on_tick=lambda: heartbeats.beat("sender", utcnow()),
    )
    services = Services(sessions=store.sessions, settings=settings, now=utcnow)
    monitor = await start_monitoring(settings, store, heartbeats)
    client = make_client(settings)
    poller = Poller(settings, store, sender, client, transport, heartbeats)
    await classify_leftovers(settings, store.sessions, sender, utcnow)

    async def poll_loop() -> None:
        while True:
            try:
                await poll_cycle(poller, due_only=True)
            except Exception:
                log.exception("poll cycle failed")
            await asyncio.sleep(_poll_tick(settings))

    print("Green Zone Watch (console). Type /help or a question; Ctrl-C to stop.", flush=True)
    tasks = [
        asyncio.create_task(poll_loop(), name="poll"),
        asyncio.create_task(_console_chat(services, sys.stdout, sys.stdin), name="console"),
    ]
    sender_task = asyncio.create_task(sender.run(), name="outbox-sender")
    try:
        await stop.wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sender.stop()
        await sender_task
        await client.aclose()
        if monitor is not None:
            await monitor.close()
        await store.engine.dispose()
    return 0


def run(settings: Settings, *, once: bool = False) -> int:
    """The `run` command's body."""
    if once:
        return asyncio.run(run_once(settings))
    token = settings.telegram.token()
    if token is None:
        return asyncio.run(run_console(settings))
    return asyncio.run(run_telegram(settings, token))
