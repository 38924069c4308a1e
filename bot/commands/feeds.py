"""`greenzone-bot feeds status|import FILE.opml|export`: the feeds as the store sees them."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import CommandContext, Subparsers, add_command
from bot.errors import InputError

if TYPE_CHECKING:
    from bot.config import Settings
    from feeds.status import FeedStatus


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "feeds", feeds, "feed status table, OPML import (as TOML) and export"
    )
    parser.add_argument("action", choices=("status", "import", "export"))
    parser.add_argument("file", nargs="?", type=Path, help="the OPML file to import")


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "-"
    seconds = (moment - now).total_seconds()
    span = abs(seconds)
    if span < 120:
        text = f"{span:.0f}s"
    elif span < 7200:
        text = f"{span / 60:.0f}m"
    else:
        text = f"{span / 3600:.0f}h"
    return f"in {text}" if seconds > 0 else f"{text} ago"


def render_table(statuses: list[FeedStatus], now: datetime) -> str:
    """A fixed-width table, one row per feed."""
    header = ("NAME", "URL", "STATE", "LAST OK", "FAILS", "NEXT POLL", "ENTRIES", "LAST ERROR")
    rows = [header]
    for status in statuses:
        state = "active" if status.active else f"off: {status.deactivated_reason or '?'}"
        rows.append(
            (
                status.name,
                status.url,
                state,
                _when(status.last_success, now),
                str(status.consecutive_failures),
                ("due" if status.due else _when(status.next_poll, now)) if status.active else "-",
                str(status.entries),
                status.last_error or "",
            )
        )
    widths = [min(max(len(row[i]) for row in rows), 60) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [cell[:60].ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


async def _status(settings: Settings) -> int:
    from bot.store.db import create_engine, session_factory, unit_of_work
    from bot.store.migrate import upgrade
    from bot.timeutil import utcnow
    from feeds.status import feed_statuses
    from feeds.sync import sync_feeds

    engine = create_engine(settings.database.url)
    try:
        await upgrade(engine)
        now = utcnow()
        async with unit_of_work(session_factory(engine)) as session:
            await sync_feeds(session, settings, now)
            statuses = await feed_statuses(session, now)
    finally:
        await engine.dispose()
    print(render_table(statuses, now))
    return 0


def _import(path: Path | None) -> int:
    from feeds.opml import parse_opml, to_toml

    if path is None:
        raise InputError("feeds import: give the OPML file to read")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    found = parse_opml(data)
    if not found:
        raise InputError(f"{path}: no feed outlines (xmlUrl) found")
    print(to_toml(found), end="")
    return 0


def feeds(args: argparse.Namespace, context: CommandContext) -> int:
    if args.action == "import":
        return _import(args.file)
    settings = context.settings()
    if args.action == "export":
        from feeds.opml import export_opml

        print(export_opml(settings.feeds), end="")
        return 0
    return asyncio.run(_status(settings))
