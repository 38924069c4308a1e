"""A per-user token bucket: a flood of commands is answered once with "slow down", then dropped."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Decision = Literal["allow", "warn", "drop"]


@dataclass(frozen=True, slots=True)
class Bucket:
    """Tokens left at `updated`; `warned` once the user has been told to slow down."""

    tokens: float
    updated: datetime
    warned: bool = False


def take(
    bucket: Bucket | None, now: datetime, *, rate_per_minute: int, burst: int
) -> tuple[Decision, Bucket]:
    """Spend one token: allow, or (when empty) warn the first time and drop after that."""
    if bucket is None:
        bucket = Bucket(tokens=float(burst), updated=now)
    elapsed = max(0.0, (now - bucket.updated).total_seconds())
    tokens = min(float(burst), bucket.tokens + elapsed * rate_per_minute / 60.0)
    if tokens >= 1.0:
        return "allow", Bucket(tokens=tokens - 1.0, updated=now)
    if bucket.warned:
        return "drop", Bucket(tokens=tokens, updated=now, warned=True)
    return "warn", Bucket(tokens=tokens, updated=now, warned=True)


def seconds_until_allowed(bucket: Bucket, *, rate_per_minute: int) -> int:
    """Whole seconds until the bucket holds one token again."""
    missing = max(0.0, 1.0 - bucket.tokens)
    return max(1, int(missing * 60.0 / rate_per_minute + 0.999))


class UserRateLimiter:
    """The buckets of the most recently seen users (bounded, so a crowd cannot exhaust memory)."""

    def __init__(self, *, max_users: int = 10_000) -> None:
        self._buckets: OrderedDict[int, Bucket] = OrderedDict()
        self._max_users = max_users

    def check(self, user: int, now: datetime, *, rate_per_minute: int) -> tuple[Decision, int]:
        """The decision for one message from `user`, and seconds to wait when not allowed."""
        burst = max(1, rate_per_minute // 2)
        decision, bucket = take(
            self._buckets.pop(user, None), now, rate_per_minute=rate_per_minute, burst=burst
        )
        self._buckets[user] = bucket
        if len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        return decision, seconds_until_allowed(bucket, rate_per_minute=rate_per_minute)
