"""`greenzone-bot db upgrade|current`: apply or show the schema migrations."""

from __future__ import annotations

import argparse
import asyncio

from bot.commands import CommandContext, Subparsers, add_command


def register(subparsers: Subparsers) -> None:
    parser = add_command(subparsers, "db", db, "database schema: upgrade to the latest, or show it")
    parser.add_argument("action", choices=("upgrade", "current"))


async def _run(url: str, action: str) -> int:
    from bot.store.db import create_engine
    from bot.store.migrate import current_revision, head_revision, upgrade

    engine = create_engine(url)
    try:
        if action == "upgrade":
            await upgrade(engine)
        current = await current_revision(engine)
        print(f"schema at {current or 'nothing (empty database)'}; package head {head_revision()}")
    finally:
        await engine.dispose()
    return 0


def db(args: argparse.Namespace, context: CommandContext) -> int:
    return asyncio.run(_run(context.settings().database.url, args.action))
