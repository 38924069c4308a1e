"""A small local HTTP endpoint: `/healthz` for orchestrators, `/metrics` for Prometheus.

Plain asyncio streams rather than a web framework: two read-only routes, on a local address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.health import Heartbeats, evaluate

log = logging.getLogger(__name__)

StoreCheck = Callable[[], Awaitable[bool]]
BeforeScrape = Callable[[], Awaitable[None]]

_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}
_MAX_REQUEST_LINE = 8192


class MonitoringServer:
    """Serves health and metrics until closed."""

    def __init__(
        self,
        heartbeats: Heartbeats,
        store_check: StoreCheck,
        now: Callable[[], datetime],
        *,
        before_scrape: BeforeScrape | None = None,
    ) -> None:
        self._heartbeats = heartbeats
        self._store_check = store_check
        self._now = now
        self._before_scrape = before_scrape
        self._server: asyncio.Server | None = None

    async def start(self, listen: str) -> tuple[str, int]:
        host, _, port = listen.rpartition(":")
        self._server = await asyncio.start_server(self._handle, host.strip("[]"), int(port))
        address = self._server.sockets[0].getsockname()
        log.info("monitoring on http://%s:%s (/healthz, /metrics)", address[0], address[1])
        return address[0], address[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _respond(self, method: str, path: str) -> tuple[int, str, bytes]:
        if method != "GET":
            return 405, "text/plain", b"GET only\n"
        if path == "/metrics":
            if self._before_scrape is not None:
                try:
                    await asyncio.wait_for(self._before_scrape(), timeout=5)
                except Exception:  # stale gauges beat no metrics at all
                    log.warning("could not refresh gauges before a scrape", exc_info=True)
            return 200, "text/plain; version=0.0.4", metrics.render()
        if path == "/healthz":
            try:
                store_ok = await asyncio.wait_for(self._store_check(), timeout=5)
            except Exception:  # any failure to answer is "not healthy", with the reason below
                store_ok = False
            report = evaluate(self._heartbeats, self._now(), store_ok=store_ok)
            body = "ok\n" if report.ok else "".join(f"{r}\n" for r in report.reasons)
            return (200 if report.ok else 503), "text/plain", body.encode()
        return 404, "text/plain", b"not found\n"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=5)
            parts = line[:_MAX_REQUEST_LINE].decode("latin-1").split()
            method, path = (parts[0], parts[1].split("?")[0]) if len(parts) >= 2 else ("", "")
            status, content_type, body = await self._respond(method, path)
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + body)
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()


async def store_answers(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """The store check behind /healthz: a trivial query succeeds."""
    async with sessions() as session:
        await session.execute(text("SELECT 1"))
    return True


async def refresh_gauges(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """Outbox depth and feed staleness, read from the store when Prometheus scrapes."""
    from bot.store import models

    async with sessions() as session:
        waiting = models.Delivery.status.in_(("pending", "sending"))
        depth = await session.scalar(select(func.count()).where(waiting))
        metrics.OUTBOX_DEPTH.set(depth or 0)
        feeds = await session.execute(
            select(models.Feed.name, models.Feed.last_success_at, models.Feed.created_at).where(
                models.Feed.active.is_(True)
            )
        )
        for name, last_success, created in feeds:
            since = last_success or created
            metrics.FEED_STALENESS.labels(feed=name).set((now - since).total_seconds())
