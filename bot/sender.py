"""The send loop: claims due deliveries, renders them, sends them through a Transport, settles.

Chats are worked on concurrently, each chat's deliveries in order and paced (one message per
`per_chat_interval`); the overall and per-group limits belong to PTB's AIORateLimiter. A flood
wait (429) pauses every send of this process for `retry_after`. On stop, sends already in flight
finish and the rest of the batch is handed back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics, outbox
from bot.alerts import render_alert, render_update
from bot.config import Settings
from bot.outbox import Claimed
from bot.records import IncidentView
from bot.store import models
from bot.store.db import unit_of_work
from bot.timeutil import utcnow
from bot.transport import SendFailed, Transport

log = logging.getLogger(__name__)

LoadView = Callable[[AsyncSession, int], Awaitable[IncidentView | None]]


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def _dead_here(worker: str) -> bool:
    """True for a worker id of this host whose process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname()[:60] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass(frozen=True, slots=True)
class SenderOptions:
    worker: str = field(default_factory=default_worker_id)
    batch: int = 200
    concurrency: int = 32
    # A claim older than this is presumed abandoned by a crashed sender and taken again.
    lease: timedelta = timedelta(minutes=2)
    per_chat_interval: float = 1.0
    max_attempts: int = 8
    # How long the loop sleeps when nothing is due and nobody wakes it.
    idle_interval: float = 2.0


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    skipped: int
    failed: int
    retried: int
    waiting: int


@dataclass(frozen=True, slots=True)
class _ChatInfo:
    active: bool
    language: str
    thread_id: int | None


@dataclass
class _Counters:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    waiting: int = 0

    def report(self) -> SendReport:
        return SendReport(self.sent, self.skipped, self.failed, self.retried, self.waiting)


async def _default_load_view(session: AsyncSession, incident_id: int) -> IncidentView | None:
    from bot.incidents.repo import load_incident_view

    return await load_incident_view(session, incident_id)


class Sender:
    """Works through the outbox; one per process (several processes may share a PostgreSQL)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        transport: Transport,
        options: SenderOptions | None = None,
        *,
        now: Callable[[], datetime] = utcnow,
        load_view: LoadView = _default_load_view,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._transport = transport
        self._options = options or SenderOptions()
        self._now = now
        self._load_view = load_view
        self._on_tick = on_tick
        self._wake = asyncio.Event()
        self._stopping = False
        self._last_send: dict[int, float] = {}
        self._paused_until = 0.0
        self._counters = _Counters()

    @property
    def report(self) -> SendReport:
        return self._counters.report()

    def wake(self) -> None:
        """New deliveries were queued: look now rather than at the next idle tick."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the sends in flight, hand back the rest, and leave the loop."""
        self._stopping = True
        self._wake.set()

    async def recover(self) -> int:
        """Take back at once the claims of dead sender processes on this host (others wait
        for the lease); returns how many deliveries were handed back."""
        async with unit_of_work(self._sessions) as session:
            dead = [w for w in await outbox.holders(session) if _dead_here(w)]
            released = 0
            for worker in dead:
                released += await outbox.release_worker(session, worker, self._now())
        if released:
            log.info("took back %d deliveries from dead senders %s", released, dead)
        return released

    async def run(self) -> None:
        """Send until stop() is called."""
        await self.recover()
        while not self._stopping:
            if self._on_tick is not None:
                self._on_tick()
            claimed = await self.run_once()
            if claimed or self._stopping:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_wait())

    def _idle_wait(self) -> float:
        return max(self._options.idle_interval, 0.01)

    async def drain(self, *, within: float = 60.0) -> SendReport:
        """Send everything due, waiting for retries and edits up to `within` seconds in all."""
        deadline = time.monotonic() + within
        await self.recover()
        while not self._stopping and time.monotonic() < deadline:
            if await self.run_once():
                continue
            async with unit_of_work(self._sessions) as session:
                due = await outbox.next_due(session, lease=self._options.lease)
            if due is None:
                break
            wait = (due - self._now()).total_seconds()
            if time.monotonic() + wait > deadline:
                break
            await asyncio.sleep(min(max(wait, 0.01), 1.0))
        return self.report

    async def run_once(self) -> int:
        """Claim one batch and work through it; returns how many deliveries were claimed."""
        async with unit_of_work(self._sessions) as session:
            claims = await outbox.claim_due(
                session,
                worker=self._options.worker,
                now=self._now(),
                limit=self._options.batch,
                lease=self._options.lease,
            )
        if not claims:
            return 0
        chats, views, changes = await self._context(claims)
        by_chat: dict[int, list[Claimed]] = defaultdict(list)
        for claim in claims:
            by_chat[claim.chat_id].append(claim)
        limit = asyncio.Semaphore(self._options.concurrency)

        async def work(chat_claims: list[Claimed]) -> None:
            async with limit:
                for claim in chat_claims:
                    await self._deliver(claim, chats, views, changes)

        await asyncio.gather(*(work(items) for items in by_chat.values()))
        self._forget_old_chats()
        return len(claims)

    async def _context(
        self, claims: Sequence[Claimed]
    ) -> tuple[
        dict[int, _ChatInfo], dict[int, IncidentView | None], dict[tuple[int, int], tuple[str, ...]]
    ]:
        """Chats, current incident views and version changes the batch needs, read once."""
        chat_ids = {c.chat_id for c in claims}
        incident_ids = {c.incident_id for c in claims}
        async with unit_of_work(self._sessions) as session:
            c = models.Chat
            rows = await session.execute(
                select(c.id, c.active, c.language, c.message_thread_id).where(c.id.in_(chat_ids))
            )
            chats = {r.id: _ChatInfo(r.active, r.language, r.message_thread_id) for r in rows}
            views = {i: await self._load_view(session, i) for i in incident_ids}
            v = models.IncidentVersion
            changes: dict[tuple[int, int], tuple[str, ...]] = {}
            replies = {(c.incident_id, c.version) for c in claims if c.kind == "reply"}
            if replies:
                version_rows = await session.execute(
                    select(v.incident_id, v.version, v.changed).where(
                        v.incident_id.in_({i for i, _ in replies})
                    )
                )
                for row in version_rows:
                    changes[(row.incident_id, row.version)] = tuple(row.changed or ())
        return chats, views, changes

    async def _deliver(
        self,
        claim: Claimed,
        chats: dict[int, _ChatInfo],
        views: dict[int, IncidentView | None],
        changes: dict[tuple[int, int], tuple[str, ...]],
    ) -> None:
        if self._stopping:
            async with unit_of_work(self._sessions) as session:
                await outbox.release(session, claim, until=self._now())
            return
        chat = chats.get(claim.chat_id)
        view = views.get(claim.incident_id)
        if chat is None or not chat.active:
            return await self._skip(claim, "chat inactive")
        if view is None:
            return await self._skip(claim, "incident not found")
        async with unit_of_work(self._sessions) as session:
            state = await outbox.alert_state(session, claim.chat_id, claim.incident_id)
        if claim.kind == "alert":
            if state.message_id is not None:
                return await self._skip(claim, "alert already sent")
            html = render_alert(view, lang=chat.language)
        else:
            verdict = outbox.follow_up_verdict(claim.kind, claim.version, state)
            if verdict == "skip":
                return await self._skip(claim, "stale or alert never sent")
            if verdict == "wait":
                self._counters.waiting += 1
                async with unit_of_work(self._sessions) as session:
                    until = self._now() + outbox.WAIT_FOR_ALERT
                    await outbox.release(session, claim, until=until)
                return None
            if claim.kind == "edit":
                html = render_alert(view, lang=chat.language)
            else:
                changed = changes.get((claim.incident_id, claim.version), ())
                html = render_update(view, changed, lang=chat.language)
        await self._send(claim, chat, html, state.message_id, view.version)
        return None

    async def _send(
        self, claim: Claimed, chat: _ChatInfo, html: str, alert_id: int | None, version: int
    ) -> None:
        await self._pace(claim.chat_id)
        try:
            message_id: int | None
            if claim.kind == "edit":
                assert alert_id is not None
                await self._transport.edit(claim.chat_id, alert_id, html)
                message_id = alert_id
            else:
                message_id = await self._transport.send(
                    claim.chat_id,
                    html,
                    thread_id=chat.thread_id,
                    silent=claim.silent,
                    reply_to=alert_id if claim.kind == "reply" else None,
                )
        except SendFailed as exc:
            await self._failed(claim, exc)
            return
        finally:
            self._last_send[claim.chat_id] = time.monotonic()
        async with unit_of_work(self._sessions) as session:
            kept = await outbox.mark_sent(
                session, claim, message_id=message_id, rendered_version=version, now=self._now()
            )
        if not kept:
            log.warning("delivery %s was sent after its claim lapsed", claim.id)
        self._counters.sent += 1
        metrics.DELIVERIES.labels(outcome="sent").inc()
        if claim.kind == "alert":
            queued_for = (self._now() - claim.queued_at).total_seconds()
            metrics.DETECTION_TO_SEND.observe(max(queued_for, 0.0))

    async def _pace(self, chat_id: int) -> None:
        """Wait out a flood pause and this chat's minimum interval."""
        while True:
            now = time.monotonic()
            last = self._last_send.get(chat_id)
            ready = max(
                self._paused_until,
                last + self._options.per_chat_interval if last is not None else 0.0,
            )
            if ready <= now:
                return
            await asyncio.sleep(ready - now)

    async def _failed(self, claim: Claimed, exc: SendFailed) -> None:
        decision = outbox.after_failure(
            exc.kind,
            claim.attempts + 1,
            self._now(),
            max_attempts=self._options.max_attempts,
            retry_after=exc.retry_after,
        )
        if exc.kind == "rate_limited":
            pause = time.monotonic() + (exc.retry_after or 1.0)
            self._paused_until = max(self._paused_until, pause)
        log.warning(
            "delivery %s to chat %s failed (%s): %s -> %s",
            claim.id,
            claim.chat_id,
            exc.kind,
            exc.reason,
            decision.status,
            extra={"chat": claim.chat_id, "incident": claim.incident_id},
        )
        async with unit_of_work(self._sessions) as session:
            await outbox.settle_failure(session, claim, decision, exc.reason, self._now())
        if decision.status == "pending":
            self._counters.retried += 1
        elif decision.status == "failed":
            self._counters.failed += 1
        else:
            self._counters.skipped += 1
        metrics.DELIVERIES.labels(
            outcome="retried" if decision.status == "pending" else decision.status
        ).inc()

    async def _skip(self, claim: Claimed, reason: str) -> None:
        async with unit_of_work(self._sessions) as session:
            await outbox.mark_skipped(session, claim, reason)
        self._counters.skipped += 1
        metrics.DELIVERIES.labels(outcome="skipped").inc()

    def _forget_old_chats(self) -> None:
        # Only recent sends matter for pacing; keep the map small on big broadcasts.
        if len(self._last_send) < 4096:
            return
        horizon = time.monotonic() - self._options.per_chat_interval
        self._last_send = {k: v for k, v in self._last_send.items() if v > horizon}


def options_from_settings(settings: Settings, *, worker: str | None = None) -> SenderOptions:
    """Sender options from `[alerts]` settings."""
    alerts = settings.alerts
    return SenderOptions(
        worker=worker or default_worker_id(),
        per_chat_interval=alerts.per_chat_interval.total_seconds(),
        max_attempts=alerts.max_attempts,
        idle_interval=alerts.send_interval.total_seconds(),
    )
