"""Helpers for tests that run `python -m bot ... run` as a real process on loopback servers.

`BotProcess` starts, kills and stops the process with its output in files; `write_config` writes
a TOML file; `FaultyBotApi` is the fake Bot API with scripted faults (429 storms, 403, 400,
5xx, timeouts) answered instead of the real call; `attack_item` makes distinct attack reports.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import open_store
from bot.config import load_settings
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from tests.fakebotapi import FakeBotApi

# Shaped like a real token (digits, a colon, 35 URL-safe characters).
TOKEN = "7123456789:AAHr3liab1l1ty-Secret_Token-xyz0123"
UNLIMITED = 1e9
Scalar = str | int | float | bool
Sections = Mapping[str, Mapping[str, Scalar | Sequence[int]]]


def unlimited_api() -> FakeBotApi:
    """The fake Bot API with its flood limits out of the way (for tests not about pacing)."""
    return FakeBotApi(
        overall_rate=UNLIMITED,
        chat_rate=UNLIMITED,
        chat_burst=UNLIMITED,
        group_per_minute=UNLIMITED,
    )


def _toml(value: Scalar | Sequence[int]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(str(v) for v in value) + "]"


def write_config(
    path: Path,
    *,
    api: str,
    database_url: str,
    feeds: Sequence[tuple[str, str]],
    sections: Sections | None = None,
) -> Path:
    """A config file: the fake API, a database, feeds (name, url) and extra section keys."""
    merged: dict[str, dict[str, Scalar | Sequence[int]]] = {
        "telegram": {"api_base_url": api},
        "database": {"url": database_url},
        "polling": {"interval": "1s", "min_interval": "1s", "jitter": 0.0},
    }
    for name, keys in (sections or {}).items():
        merged.setdefault(name, {}).update(keys)
    lines: list[str] = []
    for name, keys in merged.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {_toml(value)}" for key, value in keys.items()]
    for feed_name, url in feeds:
        lines += ["[[feeds]]", f"name = {_toml(feed_name)}", f"url = {_toml(url)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def subscribe_chats(config: Path, chats: Sequence[int]) -> None:
    """Migrate the store of `config` and subscribe `chats` (private chats) in one transaction."""
    now = datetime.now(UTC)
    store = await open_store(load_settings(config), now)
    async with unit_of_work(store.sessions) as session:
        for chat in chats:
            session.add(models.Chat(id=chat, subscribed=True, created_at=now, updated_at=now))
    await store.engine.dispose()


@dataclass(frozen=True)
class StoreCounts:
    articles: int
    classified: int
    incidents: int
    alert_messages: int
    unsettled: int


async def store_counts(database_url: str) -> StoreCounts:
    """Rows that tell whether anything was lost; reads only (the process may be running)."""
    engine = create_engine(database_url)
    try:
        async with unit_of_work(session_factory(engine)) as session:

            async def count(model: Any, *where: Any) -> int:
                query = select(func.count()).select_from(model).where(*where)
                return int(await session.scalar(query) or 0)

            d = models.Delivery
            return StoreCounts(
                articles=await count(models.Article),
                classified=await count(models.Classification),
                incidents=await count(models.Incident),
                alert_messages=await count(models.AlertMessage),
                unsettled=await count(d, d.status.in_(("pending", "sending"))),
            )
    finally:
        await engine.dispose()


@dataclass
class BotProcess:
    """`python -m bot --config CONFIG <options> run`, restartable; output kept in `workdir`."""

    config: Path
    workdir: Path
    options: tuple[str, ...] = ("-q",)
    env: Mapping[str, str] = field(default_factory=dict)
    runs: int = 0
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        assert self.popen is None or self.popen.poll() is not None, "already running"
        self.runs += 1
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "XDG_DATA_HOME": str(self.workdir),
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(self.config), *self.options, "run"],
                env=env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        return self

    @property
    def stdout_path(self) -> Path:
        return self.workdir / "bot.stdout"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / "bot.stderr"

    def output(self) -> str:
        """Everything the process wrote, stdout then stderr, over all its runs."""
        text = ""
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                text += path.read_text(encoding="utf-8", errors="replace")
        return text

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or handed back."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def terminate(self, within: float = 20.0) -> int:
        """SIGTERM and the exit status (in-flight sends finish first)."""
        assert self.popen is not None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(within)

    def cleanup(self) -> None:
        if self.alive():
            assert self.popen is not None
            self.popen.kill()
            self.popen.wait(10)


async def wait_until(
    check: Callable[[], bool], what: str, *, within: float = 30.0, step: float = 0.02
) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:g} s waiting for {what}")
        await asyncio.sleep(step)


def attack_item(serial: int, published: datetime) -> tuple[str, str, str, datetime]:
    """A rocket attack report (guid, title, body, published) for tests.rss; one per serial."""
    return (
        f"attack-{serial}",
        f"Rockets hit Baghdad's Green Zone, report {serial}",
        "Two rockets struck Baghdad's fortified Green Zone near the US embassy, Iraqi "
        "security sources said.",
        published,
    )


def drone_item(serial: int, published: datetime) -> tuple[str, str, str, datetime]:
    """A drone attack report: a weapon no rocket incident takes, so a new incident."""
    return (
        f"drone-{serial}",
        f"Drone shot down over Baghdad's Green Zone near parliament, report {serial}",
        "An explosive-laden drone was shot down over Baghdad's Green Zone near the "
        "parliament building, security officials said.",
        published,
    )


def alerts_by_incident(api: FakeBotApi, chat: int) -> dict[int, int]:
    """How many alert messages for each incident number the bot sent in `chat`."""
    counts: dict[int, int] = {}
    for message in api.bot_messages(chat):
        text = message["text"]
        marker = text.rfind("Incident #")
        if marker < 0 or message.get("reply_to"):
            continue
        number = text[marker + len("Incident #") :].split(" ", 1)[0]
        if number.isdigit():
            counts[int(number)] = counts.get(int(number), 0) + 1
    return counts


# --- faults --------------------------------------------------------------------------------


@dataclass
class Fault:
    """Answer the next `times` matching calls with `status` instead of doing them.

    `delay` holds the answer that long first (longer than the client's read timeout: a timeout).
    """

    status: int
    description: str
    times: int = 1
    methods: frozenset[str] = frozenset({"sendMessage"})
    chats: frozenset[int] | None = None
    retry_after: int | None = None
    delay: float = 0.0

    def matches(self, method: str, chat: int | None) -> bool:
        if self.times <= 0 or method not in self.methods:
            return False
        return self.chats is None or chat in self.chats

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def too_many_requests(times: int, retry_after: int = 1) -> Fault:
    return Fault(
        429, f"Too Many Requests: retry after {retry_after}", times, retry_after=retry_after
    )


class FaultyBotApi(FakeBotApi):
    """The fake Bot API, flood limits off, answering scripted faults before real calls."""

    def __init__(self) -> None:
        super().__init__(
            overall_rate=UNLIMITED,
            chat_rate=UNLIMITED,
            chat_burst=UNLIMITED,
            group_per_minute=UNLIMITED,
        )
        self.faults: list[Fault] = []
        self.faulted: list[tuple[str, int | None, int]] = []

    def __enter__(self) -> FaultyBotApi:
        self.start()
        return self

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        try:
            chat = int(params.get("chat_id", ""))
        except (TypeError, ValueError):
            chat = None
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, chat):
                    fault.times -= 1
                    self.faulted.append((method, chat, fault.status))
                    key = (method, fault.status)
                    self.counts[key] = self.counts.get(key, 0) + 1
                    return fault
        return None

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        fault = self._take_fault(method, params)
        if fault is None:
            return super().handle(method, params)
        if fault.delay:
            time.sleep(fault.delay)
        return fault.status, fault.body()
