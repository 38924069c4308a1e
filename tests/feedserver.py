"""A real HTTP/1.1 server on 127.0.0.1 serving fixture feeds and every fault the poller meets.

Used by the feed tests (in a thread) and by bench/bench_poll.py (as a process:
`python tests/feedserver.py --bench N --changed 0.1` prints the port, then serves).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "feeds"
# 64 MB of zeros compresses to ~64 KB: a gzip bomb that a naive client inflates in full.
_BOMB_SIZE = 64 * 1024 * 1024


@dataclass
class Route:
    """What one path answers; `etag`/`last_modified` make it answer 304 to matching validators."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    endless: bool = False
    gzip: bool = False
    # Add a never-seen item to every answer (a feed that changes on each poll).
    rotate: bool = False


@dataclass(frozen=True)
class Seen:
    """A request as the server saw it."""

    path: str
    headers: dict[str, str]
    status: int


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * _BOMB_SIZE, compresslevel=9)


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """A small RSS 2.0 document from (guid, title, description) triples."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>https://x.example/{g}</link>"
        f"<description>{d}</description></item>"
        for g, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>https://x.example/</link><description>d</description>{body}"
        "</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        owner = self.server.owner
        path = self.path
        route = owner.route_for(path)
        with owner.lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            status = self._answer(route)
        finally:
            with owner.lock:
                owner.in_flight -= 1
        with owner.lock:
            owner.seen.append(Seen(path, {k.lower(): v for k, v in self.headers.items()}, status))

    def _answer(self, route: Route | None) -> int:
        if route is None:
            self._send(404, b"not found", "text/plain")
            return 404
        if route.delay:
            time.sleep(route.delay)
        if route.status == 200 and self._not_modified(route):
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 304
        if route.endless:
            self._endless(route)
            return 200
        extra = dict(route.headers)
        if route.etag:
            extra["ETag"] = route.etag
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
        if route.gzip:
            extra["Content-Encoding"] = "gzip"
        body = route.body
        if route.rotate:
            serial = self.server.owner.next_serial()
            fresh = (
                f"<item><guid>fresh-{serial}</guid><title>Fresh story {serial}</title>"
                f"<link>https://x.example/fresh/{serial}</link>"
                f"<description>Fresh body {serial}</description></item></channel>"
            )
            body = body.replace(b"</channel>", fresh.encode())
        self._send(route.status, body, route.content_type, extra)
        return route.status

    def _not_modified(self, route: Route) -> bool:
        match = route.etag is not None and self.headers.get("If-None-Match") == route.etag
        since = self.headers.get("If-Modified-Since")
        dated = route.last_modified is not None and since == route.last_modified
        return match or dated

    def _send(
        self, status: int, body: bytes, content_type: str, extra: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _endless(self, route: Route) -> None:
        self.send_response(200)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<item><title>more</title></item>" * 1024
        line = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        self.close_connection = True
        try:
            for _ in range(100_000):  # ~3 GB: "endless" to any client with a cap
                self.wfile.write(line)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer


class FeedServer:
    """Start with `start()`; add routes with `add(path, Route(...))`; inspect `seen`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._serial = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def next_serial(self) -> int:
        with self.lock:
            self._serial += 1
            return self._serial

    def route_for(self, path: str) -> Route | None:
        return self.routes.get(path.split("?")[0])

    def add(self, path: str, route: Route) -> str:
        """Serve `route` at `path`; the full URL once started, else the path."""
        self.routes[path] = route
        return self.url(path) if self._server is not None else path

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path.split("?")[0] == path]

    def start(self, port: int = 0) -> FeedServer:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def bench_routes(server: FeedServer, count: int, changed: float) -> None:
    """`count` feeds under /bench/N; a share `changed` answers 200 with new items every time."""
    every = max(1, round(1 / changed)) if changed > 0 else 0
    for index in range(count):
        items = [(f"b{index}-{k}", f"Story {k} of feed {index}", "Body " * 40) for k in range(20)]
        body = rss(f"Bench {index}", items)
        fresh = bool(every) and index % every == 0
        route = Route(body=body, rotate=True) if fresh else Route(body=body, etag=f'"v{index}"')
        server.add(f"/bench/{index}", route)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=int, default=2000)
    parser.add_argument("--changed", type=float, default=0.1)
    args = parser.parse_args()
    server = FeedServer()
    bench_routes(server, args.bench, args.changed)
    server.start()
    print(server.port, flush=True)
    try:
        sys.stdin.read()  # serve until the parent closes our stdin
    finally:
        server.stop()


if __name__ == "__main__":
    main()
