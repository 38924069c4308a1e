"""`greenzone-bot poll [--once] [--feed NAME]`: poll the due (or named) feeds and report."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.commands import CommandContext, Subparsers, add_command

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.config import Settings
    from feeds.poller import PollReport

# Never sleep longer than this between cycles, so config-less state changes are picked up.
_MAX_SLEEP = 60.0


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "poll",
        poll,
        "poll the due feeds (or the named ones) and classify what is new",
    )
    parser.add_argument("--once", action="store_true", help="one cycle, then exit")
    parser.add_argument(
        "--feed",
        action="append",
        metavar="NAME",
        help="poll this feed now, due or not (repeatable)",
    )


def print_report(report: PollReport) -> None:
    for outcome in report.outcomes:
        if outcome.status == "failed":
            line = f"FAILED: {outcome.reason}"
        elif outcome.status == "new":
            line = f"{outcome.new} new, {outcome.edited} edited"
        elif outcome.status == "not_modified":
            line = "not modified (304)"
        else:
            line = "unchanged"
        print(f"  {outcome.name}: {line}")
    print(
        f"polled {len(report.outcomes)} feeds: {report.new} new articles, "
        f"{report.edited} edited; {report.count('unchanged')} unchanged, "
        f"{report.count('not_modified')} not modified, {report.count('failed')} failed"
    )


async def _cycle(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    names: Sequence[str] | None,
) -> PollReport:
    from bot.outbox import enqueue_version
    from bot.records import VersionEvent
    from bot.timeutil import utcnow
    from feeds.fetch import make_client
    from feeds.poller import poll_feeds

    totals = {"processed": 0, "attacks": 0, "versions": 0}
    missing: list[str] = []

    async def on_version(session: AsyncSession, event: VersionEvent) -> None:
        await enqueue_version(session, event, utcnow())

    async def on_articles(ids: Sequence[int]) -> None:
        try:
            from bot.pipeline import process_articles

            result = await process_articles(
                sessions, ids, settings=settings, now=utcnow(), on_version=on_version
            )
        except ImportError as exc:
            # The classifier ships separately; ingestion must work without it.
            missing.append(str(exc))
            return
        totals["processed"] += result.processed
        totals["attacks"] += result.attacks
        totals["versions"] += len(result.versions)

    async with make_client(settings) as client:
        report = await poll_feeds(
            settings, sessions, client, now=utcnow, names=names, on_articles=on_articles
        )
    print_report(report)
    if missing:
        print(f"articles stored but not classified: the pipeline is unavailable ({missing[0]})")
        return report
    print(
        f"classified {totals['processed']} articles: {totals['attacks']} attack reports, "
        f"{totals['versions']} incident versions queued for alerting"
    )
    return report


async def _seconds_to_next(sessions: async_sessionmaker[AsyncSession]) -> float:
    from sqlalchemy import func, select

    from bot.store.db import unit_of_work
    from bot.store.models import Feed
    from bot.timeutil import utcnow

    async with unit_of_work(sessions) as session:
        due = await session.scalar(select(func.min(Feed.next_poll_at)).where(Feed.active))
    if due is None:
        return _MAX_SLEEP
    return min(max((due - utcnow()).total_seconds(), 1.0), _MAX_SLEEP)


async def _run(settings: Settings, names: Sequence[str] | None, once: bool) -> int:
    from bot.store.db import create_engine, session_factory, unit_of_work
    from bot.store.migrate import upgrade
    from bot.timeutil import utcnow
    from feeds.sync import sync_feeds

    engine = create_engine(settings.database.url, echo=settings.database.echo)
    try:
        await upgrade(engine)
        sessions = session_factory(engine)
        async with unit_of_work(sessions) as session:
            await sync_feeds(session, settings, utcnow())
        while True:
            report = await _cycle(settings, sessions, names)
            if once:
                polled = len(report.outcomes)
                return 1 if polled and report.count("failed") == polled else 0
            await asyncio.sleep(await _seconds_to_next(sessions))
    finally:
        await engine.dispose()


def poll(args: argparse.Namespace, context: CommandContext) -> int:
    """Exit 0, or 1 when every polled feed failed (with --once)."""
    return asyncio.run(_run(context.settings(), args.feed, args.once))
