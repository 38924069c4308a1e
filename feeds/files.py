"""Feeds from disk: an RSS, Atom or JSON Feed file read as entries (for `replay`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.config import PollingSettings
from bot.errors import FeedError, InputError
from feeds.normalise import Entry, normalise
from feeds.parse import parse_feed


def read_feed_file(path: Path, *, now: datetime, max_bytes: int | None = None) -> list[Entry]:
    """Every usable entry of the feed file at `path`, read under the size cap.

    Entries without a date get `now`; raises InputError when the file is unreadable or
    not a feed.
    """
    cap = max_bytes or PollingSettings().max_bytes
    try:
        with path.open("rb") as handle:
            body = handle.read(cap + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if len(body) > cap:
        raise InputError(f"{path}: over the {cap}-byte cap")
    try:
        parsed = parse_feed(body, url=path.resolve().as_uri(), headers={})
    except FeedError as exc:
        raise InputError(f"{path}: {exc.reason}") from None
    return normalise(parsed, fetched_at=now, language=None, outlet=parsed.title or path.stem)
