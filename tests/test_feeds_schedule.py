"""The pure scheduling decision on a table of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import PollingSettings, Settings
from feeds.schedule import Decision, FeedState, Outcome, next_poll, seeded_draw

NOW = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(
    polling=PollingSettings(
        interval=timedelta(minutes=5),
        min_interval=timedelta(seconds=30),
        jitter=0.1,
        backoff_cap=timedelta(hours=6),
        max_consecutive_failures=3,
        failure_period=timedelta(days=1),
    )
)
OK = Outcome("new", 200)
NOT_MODIFIED = Outcome("not_modified", 304)
FAIL = Outcome("failed", 500, reason="HTTP 500")
GONE = Outcome("failed", 410, reason="HTTP 410 Gone")
BUSY = Outcome("failed", 503, timedelta(hours=2), "HTTP 503")


def state(
    failures: int = 0, since: datetime | None = None, interval: int | None = None
) -> FeedState:
    return FeedState(
        "https://f.example/rss",
        timedelta(seconds=interval) if interval else None,
        failures,
        since,
    )


CASES = [
    # name, state, outcome, draw, expected delay, failures, active
    ("success, mid draw: exactly the interval", state(), OK, 0.5, timedelta(minutes=5), 0, True),
    ("success, low draw: -10%", state(), NOT_MODIFIED, 0.0, timedelta(minutes=4.5), 0, True),
    ("success, high draw: +10%", state(), OK, 1.0, timedelta(minutes=5.5), 0, True),
    ("feed's own interval", state(interval=600), OK, 0.5, timedelta(minutes=10), 0, True),
    (
        "interval below the minimum is lifted",
        state(interval=5),
        OK,
        0.5,
        timedelta(seconds=30),
        0,
        True,
    ),
    (
        "success resets failures",
        state(2, NOW - timedelta(hours=1)),
        OK,
        0.5,
        timedelta(minutes=5),
        0,
        True,
    ),
    ("first failure: one interval", state(), FAIL, 0.5, timedelta(minutes=5), 1, True),
    ("second failure doubles", state(1, NOW), FAIL, 0.5, timedelta(minutes=10), 2, True),
    (
        "backoff is capped",
        state(2, NOW - timedelta(hours=1), interval=3 * 3600),
        FAIL,
        0.5,
        timedelta(hours=6),
        3,
        True,
    ),
    ("Retry-After beats a short backoff", state(), BUSY, 0.5, timedelta(hours=2), 1, True),
    ("410 deactivates at once", state(), GONE, 0.5, timedelta(0), 1, False),
    (
        "N failures but not for long enough",
        state(2, NOW - timedelta(hours=2)),
        FAIL,
        0.5,
        timedelta(minutes=20),
        3,
        True,
    ),
    (
        "N failures over the period deactivate",
        state(2, NOW - timedelta(days=2)),
        FAIL,
        0.5,
        timedelta(0),
        3,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "feed", "outcome", "draw", "delay", "failures", "active"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_next_poll(
    name: str,
    feed: FeedState,
    outcome: Outcome,
    draw: float,
    delay: timedelta,
    failures: int,
    active: bool,
) -> None:
    decision = next_poll(feed, outcome, NOW, SETTINGS, draw=draw)
    assert decision.next_poll_at - NOW == delay
    assert decision.consecutive_failures == failures
    assert decision.active is active
    if not active:
        assert decision.deactivated_reason
    if outcome.failed:
        assert decision.first_failure_at == (feed.first_failure_at or NOW)
    else:
        assert decision.first_failure_at is None


def test_deactivation_reasons_are_clear() -> None:
    gone = next_poll(state(), GONE, NOW, SETTINGS, draw=0.5)
    assert gone.deactivated_reason == "gone: HTTP 410 Gone"
    tired = next_poll(state(2, NOW - timedelta(days=2)), FAIL, NOW, SETTINGS, draw=0.5)
    assert tired.deactivated_reason == "3 consecutive failures over 48 h; last: HTTP 500"


def test_retry_after_is_recorded() -> None:
    decision = next_poll(state(), BUSY, NOW, SETTINGS, draw=0.5)
    assert decision == Decision(
        NOW + timedelta(hours=2), 1, NOW, retry_after_until=NOW + timedelta(hours=2)
    )


def test_default_draw_is_seeded_and_spreads_feeds() -> None:
    assert seeded_draw("a", NOW) == seeded_draw("a", NOW)
    draws = {seeded_draw(f"https://f{i}.example/", NOW) for i in range(100)}
    assert all(0 <= d < 1 for d in draws)
    assert max(draws) - min(draws) > 0.5
    first = next_poll(state(), OK, NOW, SETTINGS)
    assert first == next_poll(state(), OK, NOW, SETTINGS)
    assert timedelta(minutes=4.5) <= first.next_poll_at - NOW <= timedelta(minutes=5.5)
