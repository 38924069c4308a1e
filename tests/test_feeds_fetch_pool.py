"""The shared client's connection reuse, through the cheaper idle check of feeds.fetch.

A raw asyncio server on loopback answers 304 and counts connections; one variant hangs up
after each answer without saying so, which only the idle check can notice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from feeds.fetch import fetch, make_client

NOW = datetime(2024, 1, 1, tzinfo=UTC)
SETTINGS = Settings()


@dataclass
class _Server:
    hang_up: bool
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.requests.append(head)
                writer.write(
                    b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 0\r\n\r\n'
                )
                await writer.drain()
                if self.hang_up:
                    break
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()


async def _serve(hang_up: bool) -> AsyncIterator[tuple[_Server, str]]:
    state = _Server(hang_up)
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield state, f"http://127.0.0.1:{port}/feed"


@pytest.fixture
async def keeps_alive() -> AsyncIterator[tuple[_Server, str]]:
    async for served in _serve(hang_up=False):
        yield served


@pytest.fixture
async def hangs_up() -> AsyncIterator[tuple[_Server, str]]:
    async for served in _serve(hang_up=True):
        yield served


async def test_sequential_304s_share_one_connection(keeps_alive: tuple[_Server, str]) -> None:
    server, url = keeps_alive
    async with make_client(SETTINGS) as client:
        for _ in range(3):
            fetched = await fetch(client, url, SETTINGS.polling, now=NOW, etag='"v1"')
            assert fetched.not_modified
    assert server.connections == 1
    assert len(server.requests) == 3
    assert all(b'if-none-match: "v1"' in head.lower() for head in server.requests)


async def test_a_connection_the_server_closed_is_not_reused(hangs_up: tuple[_Server, str]) -> None:
    server, url = hangs_up
    async with make_client(SETTINGS) as client:
        for _ in range(3):
            fetched = await fetch(client, url, SETTINGS.polling, now=NOW, etag='"v1"')
            assert fetched.not_modified
            await asyncio.sleep(0.05)  # let the server's FIN arrive while the connection idles
    assert server.connections == 3
    assert len(server.requests) == 3
