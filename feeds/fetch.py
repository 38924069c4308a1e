"""Polite, bounded HTTP: one shared client, conditional GET, capped streaming, host limits.

Every failure becomes a `FetchError` whose `reason` is short enough to store on the Feed row.
"""

from __future__ import annotations

import asyncio
import logging
import select
import ssl
import zlib
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpcore
import httpx

from bot import __version__, metrics
from bot.config import PollingSettings, Settings
from bot.errors import FetchError

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
# A Retry-After longer than this is treated as this: a typo upstream must not silence a feed.
_MAX_RETRY_AFTER = timedelta(days=1)
_DRAIN_BYTES = 64 * 1024


class StatusError(FetchError):
    """The server answered with an error status; 429/503 may carry a Retry-After."""

    def __init__(self, reason: str, status: int, retry_after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Fetched:
    """A completed exchange: 200 with a body, or 304 (body empty)."""

    status: int
    url: str
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    # Where the requested URL now permanently lives (301/308 only), if it moved.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def user_agent(settings: PollingSettings) -> str:
    """The User-Agent: product, version and a contact URL, as configured."""
    return settings.user_agent.format(version=__version__, contact=settings.contact_url)


def make_client(settings: Settings) -> httpx.AsyncClient:
    """The one shared AsyncClient: explicit timeouts, our User-Agent, no automatic redirects."""
    polling = settings.polling
    timeout = httpx.Timeout(
        connect=polling.connect_timeout.total_seconds(),
        read=polling.read_timeout.total_seconds(),
        write=polling.read_timeout.total_seconds(),
        pool=polling.total_timeout.total_seconds(),
    )
    limits = httpx.Limits(
        max_connections=polling.max_concurrency,
        max_keepalive_connections=polling.max_concurrency,
    )
    # The transport the client would build from `limits` itself, with a cheaper idle check.
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    _cheap_idle_checks(transport)
    return httpx.AsyncClient(
        timeout=timeout,
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        # Only encodings we decode ourselves, under the cap.
        headers={"User-Agent": user_agent(polling), "Accept-Encoding": "gzip, deflate"},
    )


class _Socket(Protocol):
    def fileno(self) -> int: ...


def _socket_readable(sock: _Socket) -> bool:
    # As httpcore does it: readable means data or EOF waiting, i.e. the server hung up.
    fd = sock.fileno()
    if fd < 0:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """A connection that answers httpcore's "is_readable" from a socket it looked up once.

    httpcore asks it of every idle pooled connection each time a request is queued or
    finishes; anyio answers by building its whole attribute table (a getpeername() call and a
    dict of lambdas) each time, which was a sixth of the CPU of a 304.
    """

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        # A socket.socket, or asyncio's TransportSocket around one.
        raw = stream.get_extra_info("socket")
        self._socket: _Socket | None = raw if callable(getattr(raw, "fileno", None)) else None

    # Signatures are httpcore's interface, timeout parameters included.
    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None and hasattr(select, "poll"):
            return _socket_readable(self._socket)
        return self._stream.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """The backend httpcore chose, with its connections wrapped in `_Stream`."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(
            await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _cheap_idle_checks(transport: httpx.AsyncHTTPTransport) -> None:
    # httpx offers no public way to pass a network backend. Should these private names ever
    # change, the transport keeps httpcore's own backend: slower, never wrong.
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.AsyncNetworkBackend):
        pool._network_backend = _Backend(backend)  # type: ignore[union-attr]


class HostLimiter:
    """A global concurrency limit and a per-host one, shared by every fetch of a cycle."""

    def __init__(self, total: int, per_host: int) -> None:
        self._total = asyncio.Semaphore(total)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_settings(cls, settings: PollingSettings) -> HostLimiter:
        return cls(settings.max_concurrency, settings.per_host_concurrency)

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        host_limit = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        # Host first: a slow host must not hold global slots while its own queue waits.
        async with host_limit, self._total:
            yield


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as delay-seconds or an HTTP date, relative to `now`; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        delay = when - now
    return max(timedelta(0), min(delay, _MAX_RETRY_AFTER))


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto-detected
    raise FetchError(f"unsupported content-encoding {encoding!r}")


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, decompressed by us so both the wire and the decoded size stay under the cap."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body over the {max_bytes}-byte cap (Content-Length {declared})")
    decoder = _decoder(response.headers.get("content-encoding", ""))
    received = 0
    out = bytearray()
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > max_bytes:
                raise FetchError(f"body over the {max_bytes}-byte cap")
            if decoder is None:
                out += chunk
                continue
            # max_length bounds what one chunk may inflate to: a gzip bomb stops here.
            out += decoder.decompress(chunk, max_bytes - len(out) + 1)
            if len(out) > max_bytes or decoder.unconsumed_tail:
                raise FetchError(f"decompressed body over the {max_bytes}-byte cap (gzip bomb?)")
        if decoder is not None:
            out += decoder.flush()
    except zlib.error as exc:
        raise FetchError(f"corrupt compressed body ({exc})") from None
    finally:
        # Bytes on the wire, counted once per response, whether or not the body was kept.
        metrics.BYTES_FETCHED.inc(received)
    if len(out) > max_bytes:
        raise FetchError(f"decompressed body over the {max_bytes}-byte cap (gzip bomb?)")
    return bytes(out)


async def _drain(response: httpx.Response) -> None:
    # An unread body makes httpcore drop the connection: read small ones so keep-alive holds.
    with suppress(FetchError):
        await read_capped(response, _DRAIN_BYTES)


def _status_error(response: httpx.Response, now: datetime) -> StatusError:
    code = response.status_code
    phrase = response.reason_phrase or ""
    reason = f"HTTP {code} {phrase}".strip()
    retry_after = None
    if code in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"), now)
        if retry_after is not None:
            reason += f" (Retry-After {int(retry_after.total_seconds())}s)"
    if code == 410:
        reason = "HTTP 410 Gone: the feed was removed"
    return StatusError(reason, code, retry_after)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):  # exception chains are short; never loop on a cycle
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _describe_transport(exc: httpx.HTTPError, settings: PollingSettings) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connect timeout after {settings.connect_timeout.total_seconds():g}s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"read timeout after {settings.read_timeout.total_seconds():g}s"
    if isinstance(exc, httpx.PoolTimeout):
        return "no free connection in time"
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
            return "connection refused"
        return f"cannot connect: {exc or type(exc).__name__}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"protocol error: {exc}"
    return f"{type(exc).__name__}: {exc}"


async def _exchange(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    settings: PollingSettings,
    now: datetime,
) -> Fetched:
    seen = [url]
    current = url
    moved_to: str | None = None
    permanent_so_far = True
    for _ in range(settings.max_redirects + 1):
        async with client.stream("GET", current, headers=dict(headers)) as response:
            code = response.status_code
            if code != 200:
                await _drain(response)
            if code in _REDIRECTS and "location" in response.headers:
                target = urljoin(current, response.headers["location"])
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-HTTP URL {target!r}")
                if target in seen:
                    raise FetchError("redirect loop: " + " -> ".join([*seen, target]))
                permanent_so_far = permanent_so_far and code in _PERMANENT
                if permanent_so_far:
                    moved_to = target
                seen.append(target)
                current = target
                continue
            if code == 304:
                return Fetched(304, current, moved_to=moved_to)
            if code != 200:
                raise _status_error(response, now)
            body = await read_capped(response, settings.max_bytes)
            lowered = {k.lower(): v for k, v in response.headers.items()}
            lowered.setdefault("content-location", current)
            return Fetched(
                200,
                current,
                body,
                lowered,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                moved_to=moved_to,
            )
    raise FetchError(f"too many redirects (more than {settings.max_redirects})")


def _read_file(url: str, max_bytes: int) -> Fetched:
    path = Path(url2pathname(urlsplit(url).path))
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > max_bytes:
        raise FetchError(f"file over the {max_bytes}-byte cap")
    kind = "application/feed+json" if path.suffix == ".json" else "application/xml"
    return Fetched(200, url, body, {"content-location": url, "content-type": kind})


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: PollingSettings,
    *,
    now: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url` (http, https or file) under every limit; raises FetchError with a reason."""
    if urlsplit(url).scheme == "file":
        return await asyncio.to_thread(_read_file, url, settings.max_bytes)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    total = settings.total_timeout.total_seconds()
    try:
        async with asyncio.timeout(total):
            return await _exchange(client, url, headers, settings, now)
    except TimeoutError:
        raise FetchError(f"total timeout after {total:g}s") from None
    except httpx.HTTPError as exc:
        raise FetchError(_describe_transport(exc, settings)) from None
