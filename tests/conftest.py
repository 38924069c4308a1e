"""Shared fixtures: the network is refused, and storage tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "data"

_real_connect = socket.socket.connect


def _loopback_only(sock: socket.socket, address: Any) -> Any:
    """Tests talk to servers they start on loopback, and nothing else (as in PTB's tests)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            is_loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            is_loopback = host == "localhost"
        if not is_loopback:
            raise OSError(f"tests may not reach the network (tried {host})")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True)
def _refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    # Commands run in-process install a handler on the stderr pytest captured for that test;
    # left in place, later tests would log into a closed stream.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def postgres_url() -> str:
    url = os.environ.get("GZ_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "GZ_TEST_POSTGRES_URL is not set: run the suite with `bash scripts/test`, "
            "which starts PostgreSQL on loopback"
        )
    return url


def _with_database(url: str, name: str) -> str:
    return str(make_url(url).set(database=name).render_as_string(hide_password=False))


async def _admin(base_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run in a transaction block.
    engine = create_engine(_with_database(base_url, "postgres"))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(statement))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on each backend: a file for SQLite, a new database on the server."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
        return
    base = postgres_url()
    name = f"gzt_{uuid.uuid4().hex[:12]}"
    await _admin(base, f"CREATE DATABASE {name}")
    yield _with_database(base, name)
    await _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database on each backend."""
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
