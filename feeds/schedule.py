"""When is a feed next due? A pure decision from its state, the fetch outcome and `now`.

Modelled on reader's Decider: no I/O, the clock and the random draw are passed in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.config import PollingSettings, Settings

Status = Literal["new", "unchanged", "not_modified", "failed"]


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the decision needs of a Feed row."""

    url: str
    interval: timedelta | None
    consecutive_failures: int = 0
    first_failure_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one poll went: status, HTTP code if any, Retry-After if given, and why it failed."""

    status: Status
    http_status: int | None = None
    retry_after: timedelta | None = None
    reason: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True, slots=True)
class Decision:
    """The feed's next state: when it is due, its failure streak, and whether it stays active."""

    next_poll_at: datetime
    consecutive_failures: int
    first_failure_at: datetime | None
    active: bool = True
    deactivated_reason: str | None = None
    retry_after_until: datetime | None = None


def seeded_draw(url: str, now: datetime) -> float:
    """A uniform draw in [0, 1) fixed by the feed and the moment: reproducible jitter."""
    digest = hashlib.blake2b(f"{url}|{now.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def base_interval(state: FeedState, polling: PollingSettings) -> timedelta:
    """The feed's own interval, else the global one, never below the minimum."""
    return max(state.interval or polling.interval, polling.min_interval)


def _jittered(delay: timedelta, jitter: float, draw: float) -> timedelta:
    return delay * (1 + jitter * (2 * draw - 1))


def _failure(
    state: FeedState, outcome: Outcome, now: datetime, polling: PollingSettings, draw: float
) -> Decision:
    failures = state.consecutive_failures + 1
    since = state.first_failure_at or now
    reason = outcome.reason or "failed"
    if outcome.http_status == 410:
        return Decision(now, failures, since, False, f"gone: {reason}")
    if failures >= polling.max_consecutive_failures and now - since >= polling.failure_period:
        hours = (now - since).total_seconds() / 3600
        return Decision(
            now,
            failures,
            since,
            False,
            f"{failures} consecutive failures over {hours:.0f} h; last: {reason}",
        )
    backoff = min(base_interval(state, polling) * 2 ** (failures - 1), polling.backoff_cap)
    delay = max(_jittered(backoff, polling.jitter, draw), polling.min_interval)
    retry_until = None
    if outcome.retry_after is not None:
        retry_until = now + outcome.retry_after
        delay = max(delay, outcome.retry_after)
    return Decision(now + delay, failures, since, retry_after_until=retry_until)


def next_poll(
    state: FeedState,
    outcome: Outcome,
    now: datetime,
    settings: Settings,
    *,
    draw: float | None = None,
) -> Decision:
    """Next due time with jitter, backoff on failure (capped), Retry-After, or deactivation.

    `draw` is the random input in [0, 1); by default a hash of the feed URL and `now`.
    """
    polling = settings.polling
    draw = seeded_draw(state.url, now) if draw is None else draw
    if outcome.failed:
        return _failure(state, outcome, now, polling, draw)
    delay = _jittered(base_interval(state, polling), polling.jitter, draw)
    delay = max(delay, polling.min_interval)
    retry_until = None
    if outcome.retry_after is not None:
        retry_until = now + outcome.retry_after
        delay = max(delay, outcome.retry_after)
    return Decision(now + delay, 0, None, retry_after_until=retry_until)
