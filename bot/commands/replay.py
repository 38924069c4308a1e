"""`greenzone-bot replay [--json] INPUT...`: the whole pipeline over files, in a throwaway store.

Every article of every input (feed files: RSS, Atom, JSON Feed; or `.jsonl` articles) is stored
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
from bot.errors import InputError
from bot.records import Article

_ARTICLE_FILES = (".jsonl", ".txt")


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


def _read_jsonl(path: Path) -> list[Article]:
    """Articles of a `.jsonl` file; a bad line is reported on stderr and skipped."""
    articles = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            published = datetime.fromisoformat(str(data["published"]).replace("Z", "+00:00"))
            if published.tzinfo is None:
                raise ValueError("published has no time zone")
            articles.append(
                Article(
                    id=str(data["id"]),
                    title=str(data.get("title") or ""),
                    summary=str(data.get("summary") or ""),
                    text=str(data.get("text") or data.get("summary") or ""),
                    published=published,
                    lang=str(data.get("lang") or "en"),
                    url=str(data.get("url") or ""),
                    outlet=str(data.get("outlet") or ""),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            print(f"greenzone-bot: {path}:{number}: skipped ({exc})", file=sys.stderr)
    return articles


def _read_inputs(paths: list[Path], now: datetime) -> list[_Input]:
    from feeds.files import read_feed_file

    found: list[_Input] = []
    for path in paths:
        uri = path.resolve().as_uri()
        if path.suffix.lower() in _ARTICLE_FILES:
            articles = _read_jsonl(path)
        else:
            articles = [e.to_article(e.entry_id) for e in read_feed_file(path, now=now)]
        found.extend(_Input(a, path.stem, uri) for a in articles)
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
