"""`greenzone-bot export --format csv|geojson|json [--since DATE]`: incidents with sources."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot.commands import CommandContext, Subparsers, add_command, iso_date
from bot.config import Settings
from bot.export import FORMATS


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "export", export, "write stored incidents with their sources for analysts"
    )
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="from this date (inclusive)")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout"
    )


async def _render(settings: Settings, fmt: str, since: date | None) -> str:
    from bot.errors import StoreError
    from bot.export import render
    from bot.incidents.repo import list_incident_views
    from bot.store.db import create_engine, session_factory, unit_of_work
    from bot.store.migrate import current_revision, head_revision

    engine = create_engine(settings.database.url)
    try:
        if await current_revision(engine) != head_revision():
            raise StoreError(
                "the database is not at the current schema: run `greenzone-bot db upgrade`"
            )
        async with unit_of_work(session_factory(engine)) as session:
            views = await list_incident_views(
                session, since=since, until=None, limit=None, newest_first=False
            )
    finally:
        await engine.dispose()
    return render(fmt, views, settings.classifier.all_zones())


def export(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.errors import StoreError

    try:
        text = asyncio.run(_render(context.settings(), args.format, args.since))
    except StoreError as exc:
        print(f"greenzone-bot: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0
