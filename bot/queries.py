"""Read-only store queries behind the bot's answers: lists, counts, search and service stats.

Every function takes an open AsyncSession (the caller's unit of work) and returns frozen records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.incidents.repo import views_of
from bot.records import IncidentView
from bot.store import models
from bot.timeutil import baghdad_date

# Search text longer than this is cut: LIKE patterns cost time in proportion to their length.
MAX_SEARCH_CHARS = 100


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents: Baghdad dates `start` (inclusive) to `end` (exclusive), and filters."""

    start: date | None = None
    end: date | None = None
    weapon: str | None = None
    casualties_only: bool = False
    claimant: str | None = None
    claimed_only: bool = False


@dataclass(frozen=True, slots=True)
class MonthCount:
    """Incidents in one Baghdad calendar month with one weapon ("unknown" when not known)."""

    year: int
    month: int
    weapon: str
    count: int


@dataclass(frozen=True, slots=True)
class ServiceStats:
    """The service at a glance for admins."""

    incidents: int
    incidents_30_days: int
    articles: int
    chats_subscribed: int
    chats_inactive: int
    deliveries_by_status: tuple[tuple[str, int], ...]
    feeds_active: int
    feeds_total: int
    last_fetch_at: datetime | None


def _like(text: str) -> str:
    escaped = text[:MAX_SEARCH_CHARS].replace("\\", "\\\\").replace("%", "\\%")
    return "%" + escaped.replace("_", "\\_") + "%"


def _conditions(flt: IncidentFilter) -> list[ColumnElement[bool]]:
    inc = models.Incident
    # Version 0 marks an incident whose reports all moved elsewhere: nothing to show.
    conditions: list[ColumnElement[bool]] = [inc.version > 0]
    if flt.start is not None:
        conditions.append(inc.date >= flt.start)
    if flt.end is not None:
        conditions.append(inc.date < flt.end)
    if flt.weapon == "unknown":
        conditions.append(or_(inc.weapon.is_(None), inc.weapon == "unknown"))
    elif flt.weapon is not None:
        conditions.append(inc.weapon == flt.weapon)
    if flt.casualties_only:
        conditions.append(or_(inc.killed > 0, inc.injured > 0))
    if flt.claimant:
        conditions.append(inc.claimed_by.ilike(_like(flt.claimant), escape="\\"))
    elif flt.claimed_only:
        conditions.append(and_(inc.claimed_by.is_not(None), inc.claimed_by != ""))
    return conditions


def _newest_first(statement: Select[Any]) -> Select[Any]:
    inc = models.Incident
    return statement.order_by(inc.date.desc(), inc.first_published_at.desc(), inc.id.desc())


async def list_incidents(
    session: AsyncSession, flt: IncidentFilter, *, limit: int, offset: int = 0
) -> list[IncidentView]:
    """Incidents matching `flt`, newest first, one page."""
    statement = _newest_first(select(models.Incident).where(*_conditions(flt)))
    result = await session.execute(statement.limit(limit).offset(offset))
    return await views_of(session, result.scalars().all())


async def latest_incident(
    session: AsyncSession, flt: IncidentFilter | None = None
) -> IncidentView | None:
    """The newest incident matching `flt`, or None."""
    found = await list_incidents(session, flt or IncidentFilter(), limit=1)
    return found[0] if found else None


async def count_incidents(session: AsyncSession, flt: IncidentFilter) -> int:
    """How many incidents match `flt`."""
    statement = select(func.count()).select_from(models.Incident).where(*_conditions(flt))
    return int((await session.execute(statement)).scalar_one())


async def monthly_counts(session: AsyncSession, flt: IncidentFilter) -> list[MonthCount]:
    """Incidents per Baghdad month and weapon, oldest month first."""
    inc = models.Incident
    # Grouped in the database by (year, month): at most 12 x 7 rows a year come back.
    year, month = extract("year", inc.date), extract("month", inc.date)
    statement = (
        select(year, month, inc.weapon, func.count())
        .where(*_conditions(flt))
        .group_by(year, month, inc.weapon)
    )
    merged: dict[tuple[int, int, str], int] = defaultdict(int)
    for y, m, weapon, count in await session.execute(statement):
        merged[(int(y), int(m), weapon or "unknown")] += int(count)
    return [MonthCount(y, m, w, c) for (y, m, w), c in sorted(merged.items())]


async def search_incidents(
    session: AsyncSession, text: str, *, limit: int, offset: int = 0
) -> list[IncidentView]:
    """Incidents whose reports' titles or summaries, or whose target or claimant, contain `text`."""
    pattern = _like(text.strip())
    report, article, inc = models.IncidentReport, models.Article, models.Incident
    in_reports = (
        select(report.incident_id)
        .join(article, article.id == report.article_id)
        .where(
            or_(
                article.title.ilike(pattern, escape="\\"),
                article.summary.ilike(pattern, escape="\\"),
                report.outlet.ilike(pattern, escape="\\"),
            )
        )
    )
    statement = _newest_first(
        select(inc).where(
            or_(
                inc.id.in_(in_reports),
                inc.target.ilike(pattern, escape="\\"),
                inc.claimed_by.ilike(pattern, escape="\\"),
            )
        )
    )
    result = await session.execute(statement.limit(limit).offset(offset))
    return await views_of(session, result.scalars().all())


async def _scalar(session: AsyncSession, statement: Select[Any]) -> int:
    return int((await session.execute(statement)).scalar_one() or 0)


async def service_stats(session: AsyncSession, now: datetime) -> ServiceStats:
    """Counts of incidents, articles, chats, deliveries and feeds."""
    inc, chat, feed, delivery = models.Incident, models.Chat, models.Feed, models.Delivery
    month_ago = baghdad_date(now) - timedelta(days=30)
    statuses = await session.execute(
        select(delivery.status, func.count()).group_by(delivery.status).order_by(delivery.status)
    )
    return ServiceStats(
        incidents=await _scalar(session, select(func.count()).select_from(inc)),
        incidents_30_days=await _scalar(
            session, select(func.count()).select_from(inc).where(inc.date > month_ago)
        ),
        articles=await _scalar(session, select(func.count()).select_from(models.Article)),
        chats_subscribed=await _scalar(
            session,
            select(func.count())
            .select_from(chat)
            .where(or_(chat.subscribed, chat.from_config), chat.active),
        ),
        chats_inactive=await _scalar(
            session, select(func.count()).select_from(chat).where(chat.active.is_(False))
        ),
        deliveries_by_status=tuple((str(s), int(c)) for s, c in statuses),
        feeds_active=await _scalar(
            session, select(func.count()).select_from(feed).where(feed.active)
        ),
        feeds_total=await _scalar(session, select(func.count()).select_from(feed)),
        last_fetch_at=(await session.execute(select(func.max(feed.last_fetch_at)))).scalar_one(),
    )
