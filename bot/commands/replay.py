"""`greenzone-bot replay [--json] INPUT...`: the whole pipeline over files, in a throwaway store.

Every article of every input (feed files: RSS, Atom, JSON Feed; `.jsonl` articles, `.txt` texts
in the seeds' format, or `-` for JSONL on stdin) is stored
in a fresh temporary SQLite database, classified and grouped in publication order, and the
resulting incidents are printed, one per line, ordered by date.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from bot.commands import CommandContext, Subparsers, add_command
from bot.config import Settings
from bot.records import Article

# Everything else (.xml, .rss, .atom, .json) is read as a feed: RSS, Atom or JSON Feed.
_ARTICLE_FILES = (".jsonl", ".ndjson", ".txt")


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "replay",
        replay,
        "run the pipeline over feed files or .jsonl articles and print the incidents",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per incident")
    parser.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="feed file or .jsonl of articles"
    )


@dataclass(frozen=True, slots=True)
class _Input:
    """One article read from a file, with the name of the file it came from."""

    article: Article
    source: str
    source_url: str


def _read_inputs(paths: list[Path], now: datetime) -> list[_Input]:
    """Articles of every input; an unreadable article is reported on stderr and skipped."""
    from bot.inputs import InputProblem, read_articles
    from feeds.files import read_feed_file

    found: list[_Input] = []
    for path in paths:
        uri = "stdin:" if str(path) == "-" else path.resolve().as_uri()
        if str(path) == "-" or path.suffix.lower() in _ARTICLE_FILES:
            for item in read_articles([str(path)]):
                if isinstance(item, InputProblem):
                    print(f"greenzone-bot: {item} (skipped)", file=sys.stderr)
                else:
                    found.append(_Input(item, path.stem or "stdin", uri))
        else:
            entries = read_feed_file(path, now=now)
            found.extend(_Input(e.to_article(e.entry_id), path.stem, uri) for e in entries)
    return found


async def _store(sessions: Any, inputs: list[_Input], now: datetime) -> list[int]:
    """Store every input as an Article with its entry; return the ids in publication order."""
    from bot.store import models
    from bot.store.db import unit_of_work

    ordered = sorted(enumerate(inputs), key=lambda pair: (pair[1].article.published, pair[0]))
    seen: set[tuple[str, str]] = set()
    ids = []
    async with unit_of_work(sessions) as session:
        feeds: dict[str, models.Feed] = {}
        for _, item in ordered:
            if (item.source_url, item.article.id) in seen:
                continue  # the same entry twice in one file: the first one counts
            seen.add((item.source_url, item.article.id))
            feed = feeds.get(item.source_url)
            if feed is None:
                feed = models.Feed(
                    name=item.source, url=item.source_url, config_url=item.source_url,
                    created_at=now,
                )  # fmt: skip
                session.add(feed)
                feeds[item.source_url] = feed
            a = item.article
            row = models.Article(
                canonical_url=a.url or None,
                content_hash=sha256(f"{a.title}\n{a.text}".encode()).hexdigest(),
                title=a.title, summary=a.summary, text=a.text, lang=a.lang, outlet=a.outlet,
                published_at=a.published, fetched_at=now, updated_at=now, alertable=True,
            )  # fmt: skip
            session.add(row)
            await session.flush()
            session.add(
                models.ArticleSource(
                    feed_id=feed.id, article_id=row.id, entry_id=a.id, link=a.url,
                    content_hash=row.content_hash, first_seen_at=now,
                )
            )  # fmt: skip
            ids.append(row.id)
    return ids


async def _replay(inputs: list[_Input], settings: Settings, now: datetime) -> list[dict[str, Any]]:
    from bot.incidents.listing import incident_records
    from bot.pipeline import process_articles
    from bot.store.db import create_engine, session_factory, unit_of_work
    from bot.store.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="greenzone-replay-") as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'replay.db'}")
        try:
            await upgrade(engine)
            sessions = session_factory(engine)
            ids = await _store(sessions, inputs, now)
            await process_articles(sessions, ids, settings=settings, now=now)
            async with unit_of_work(sessions) as session:
                return await incident_records(session)
        finally:
            await engine.dispose()


def print_incidents(records: list[dict[str, Any]], *, as_json: bool) -> None:
    from bot.incidents.listing import describe

    for record in records:
        print(json.dumps(record, ensure_ascii=False) if as_json else describe(record))
    if not as_json and not records:
        print("no incidents")


def replay(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.timeutil import utcnow

    now = utcnow()
    inputs = _read_inputs(args.inputs, now)
    records = asyncio.run(_replay(inputs, context.settings(), now))
    print_incidents(records, as_json=args.json)
    return 0
