"""Incidents as the `replay` and `incidents` commands print them: JSON lines or readable lines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.incidents.repo import list_incident_views, report_keys, version_counts
from bot.records import FACT_FIELDS, IncidentView

# The keys of one `--json` line, in order (a public contract).
JSON_KEYS: tuple[str, ...] = ("incident", *FACT_FIELDS, "articles", "versions")


async def incident_records(
    session: AsyncSession, *, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """One JSON-ready object per stored incident, ordered by date then id."""
    views = await list_incident_views(
        session, since=since, until=until, limit=None, newest_first=False
    )
    ids = [v.id for v in views]
    keys = await report_keys(session, ids) if ids else {}
    counts = await version_counts(session, ids) if ids else {}
    return [_record(v, keys[v.id], counts.get(v.id, 0)) for v in views]


def _record(view: IncidentView, articles: list[str], versions: int) -> dict[str, Any]:
    return {
        "incident": view.id,
        "date": view.date.isoformat(),
        "weapon": view.weapon,
        "projectiles": view.projectiles,
        "intercepted": view.intercepted,
        "killed": view.killed,
        "injured": view.injured,
        "target": view.target,
        "claimed_by": view.claimed_by,
        "articles": articles,
        "versions": versions,
    }


def _count(value: Any, word: str) -> str | None:
    return None if value is None else f"{value} {word}"


def describe(record: dict[str, Any]) -> str:
    """One readable line: '#3 2023-12-08 rocket at US embassy: 3 launched, 0 killed ...'."""
    what = f"{record['weapon'] or 'attack'} at {record['target'] or 'the zone'}"
    facts = [
        _count(record["projectiles"], "launched"),
        _count(record["intercepted"], "intercepted"),
        _count(record["killed"], "killed"),
        _count(record["injured"], "injured"),
        f"claimed by {record['claimed_by']}" if record["claimed_by"] else None,
    ]
    stated = ", ".join(f for f in facts if f) or "no figures yet"
    reports = len(record["articles"])
    return (
        f"#{record['incident']} {record['date']} {what}: {stated} "
        f"({reports} report{'s' * (reports != 1)}, {record['versions']} version"
        f"{'s' * (record['versions'] != 1)}: {', '.join(record['articles'])})"
    )
