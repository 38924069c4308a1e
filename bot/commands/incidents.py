"""`greenzone-bot incidents [--since DATE] [--until DATE] [--json]`: the stored incidents."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from typing import Any

from bot.commands import CommandContext, Subparsers, add_command, iso_date


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "incidents", incidents, "list stored incidents, ordered by attack date"
    )
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="from this date (inclusive)")
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="to this date (inclusive)")
    parser.add_argument("--json", action="store_true", help="one JSON object per incident")


async def _load(url: str, since: date | None, until: date | None) -> list[dict[str, Any]]:
    from bot.errors import StoreError
    from bot.incidents.listing import incident_records
    from bot.store.db import create_engine, session_factory, unit_of_work
    from bot.store.migrate import current_revision, head_revision

    engine = create_engine(url)
    try:
        if await current_revision(engine) != head_revision():
            raise StoreError(
                "the database is not at the current schema: run `greenzone-bot db upgrade`"
            )
        async with unit_of_work(session_factory(engine)) as session:
            return await incident_records(session, since=since, until=until)
    finally:
        await engine.dispose()


def incidents(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.commands.replay import print_incidents
    from bot.errors import StoreError

    try:
        records = asyncio.run(_load(context.settings().database.url, args.since, args.until))
    except StoreError as exc:
        print(f"greenzone-bot: {exc}", file=sys.stderr)
        return 2
    print_incidents(records, as_json=args.json)
    return 0
