"""Liveness: components beat; a pure check says whether each beat is recent enough."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class HealthReport:
    ok: bool
    reasons: tuple[str, ...]


@dataclass
class Heartbeats:
    """The last moment each component said it was alive, and how long it may stay quiet."""

    limits: dict[str, timedelta]
    beats: dict[str, datetime] = field(default_factory=dict)

    def beat(self, component: str, now: datetime) -> None:
        self.beats[component] = now


def evaluate(heartbeats: Heartbeats, now: datetime, *, store_ok: bool) -> HealthReport:
    """Healthy when the store answers and every component beat within its limit."""
    reasons: list[str] = []
    if not store_ok:
        reasons.append("store: not answering")
    for component, limit in sorted(heartbeats.limits.items()):
        last = heartbeats.beats.get(component)
        if last is None:
            reasons.append(f"{component}: has not started")
        elif now - last > limit:
            reasons.append(f"{component}: silent for {(now - last).total_seconds():.0f}s")
    return HealthReport(ok=not reasons, reasons=tuple(reasons))
