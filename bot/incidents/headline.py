"""An incident's headline values, derived from its reports' own values by fixed rules.

Every report keeps what it said; the headline is recomputed from all of them each time one is
added or edited. The rules (reports are taken in publication order; "stated" means not None):

- date: the date most reports give; a tie goes to the earliest date (a report dated by its
  publication day is the one that drifts later); no dated report: the Baghdad day of the first.
- weapon: the specific type (not "unknown") most reports give, a tie to the first report giving
  one; "unknown" only when no report names a type.
- projectiles, intercepted: the count most reports state (outlets converge on the official
  tally), a tie to the latest report stating one (later reports carry revised official counts).
- killed, injured: the latest report that states the figure (casualty figures are revised).
- target: the most specific: a zone landmark's target over any other named site over the zone
  as a whole; within a rank, the one most reports give, a tie to the first.
- claimed_by: any report that attributes a claim; several: the most given, a tie to the first.
- damage: the latest report that describes it. location: that of the report giving the
  headline target (latest such), else the latest report with one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from bot.incidents.grouping import GENERIC_TARGETS
from bot.records import Location
from bot.timeutil import baghdad_date

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReportValues:
    """One report's own extracted values and when it was published."""

    published: datetime
    date: date | None = None
    weapon: str | None = None
    projectiles: int | None = None
    intercepted: int | None = None
    killed: int | None = None
    injured: int | None = None
    target: str | None = None
    claimed_by: str | None = None
    damage: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Headline:
    """The values an incident's alert shows."""

    date: date
    weapon: str | None = None
    projectiles: int | None = None
    intercepted: int | None = None
    killed: int | None = None
    injured: int | None = None
    target: str | None = None
    claimed_by: str | None = None
    damage: str | None = None
    location: Location | None = None


def _most_common(values: Sequence[T], tie: Callable[[list[T]], T]) -> T | None:
    """The most frequent value; `tie` picks among the equally frequent ones."""
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return tie([v for v in counts if counts[v] == top])


def _first_in(order: Sequence[T]) -> Callable[[list[T]], T]:
    return lambda tied: min(tied, key=order.index)


def _last_in(order: Sequence[T]) -> Callable[[list[T]], T]:
    return lambda tied: max(tied, key=lambda v: max(i for i, x in enumerate(order) if x == v))


def _latest(values: Iterable[T | None]) -> T | None:
    stated = [v for v in values if v is not None]
    return stated[-1] if stated else None


def _date(reports: Sequence[ReportValues]) -> date:
    dates = [r.date for r in reports if r.date is not None]
    return _most_common(dates, min) or baghdad_date(reports[0].published)


def _weapon(reports: Sequence[ReportValues]) -> str | None:
    specific = [r.weapon for r in reports if r.weapon not in (None, "unknown")]
    if specific:
        return _most_common(specific, _first_in(specific))
    return "unknown" if any(r.weapon == "unknown" for r in reports) else None


def _count(values: Sequence[int | None]) -> int | None:
    stated = [v for v in values if v is not None]
    return _most_common(stated, _last_in(stated))


def _target_rank(target: str, specific: frozenset[str]) -> int:
    folded = target.casefold()
    if folded in specific:
        return 0
    return 2 if folded in GENERIC_TARGETS else 1


def _target(reports: Sequence[ReportValues], specific: frozenset[str]) -> str | None:
    stated = [r.target for r in reports if r.target]
    if not stated:
        return None
    best = min(_target_rank(t, specific) for t in stated)
    ranked = [t for t in stated if _target_rank(t, specific) == best]
    return _most_common(ranked, _first_in(ranked))


def _location(reports: Sequence[ReportValues], target: str | None) -> Location | None:
    on_target = _latest(r.location for r in reports if target and r.target == target)
    return on_target or _latest(r.location for r in reports)


def derive_headline(
    reports: Sequence[ReportValues], *, specific_targets: frozenset[str] = frozenset()
) -> Headline:
    """The headline of an incident from its reports (any order; at least one report).

    `specific_targets` are the casefolded targets of the zone's landmarks (e.g. "us embassy").
    """
    if not reports:
        raise ValueError("an incident has at least one report")
    ordered = sorted(reports, key=lambda r: r.published)
    target = _target(ordered, specific_targets)
    claims = [r.claimed_by for r in ordered if r.claimed_by]
    return Headline(
        date=_date(ordered),
        weapon=_weapon(ordered),
        projectiles=_count([r.projectiles for r in ordered]),
        intercepted=_count([r.intercepted for r in ordered]),
        killed=_latest(r.killed for r in ordered),
        injured=_latest(r.injured for r in ordered),
        target=target,
        claimed_by=_most_common(claims, _first_in(claims)),
        damage=_latest(r.damage for r in ordered),
        location=_location(ordered, target),
    )


def changed_fields(old: Headline | None, new: Headline) -> tuple[str, ...]:
    """Names of the headline fields that differ (empty for a first headline)."""
    if old is None:
        return ()
    return tuple(f.name for f in fields(Headline) if getattr(old, f.name) != getattr(new, f.name))


# Facts stored as plain JSON values (the date and the location need converting).
_STORED_FACTS = (
    "weapon", "projectiles", "intercepted", "killed", "injured", "target", "claimed_by", "damage",
)  # fmt: skip


def headline_to_json(headline: Headline) -> dict[str, Any]:
    data = asdict(headline)
    data["date"] = headline.date.isoformat()
    return data


def location_from_json(data: Any) -> Location | None:
    """A stored location ({"name", "lat", "lon"}), or None when absent or unreadable."""
    if not isinstance(data, dict):
        return None
    try:
        return Location(str(data["name"]), float(data["lat"]), float(data["lon"]))
    except (KeyError, TypeError, ValueError):
        return None


def facts_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The stored facts other than the date, as keyword arguments for ReportValues or Headline."""
    facts = {name: data.get(name) for name in _STORED_FACTS}
    facts["location"] = location_from_json(data.get("location"))
    return facts


def headline_from_json(data: dict[str, Any]) -> Headline:
    return Headline(date=date.fromisoformat(data["date"]), **facts_from_json(data))
