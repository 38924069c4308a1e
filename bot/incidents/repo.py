"""Incidents in the store: place a classified report, refresh the headline, read views back.

Everything here runs inside the caller's unit of work; nothing commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.incidents.facts import member_from_json, report_facts_json, values_from_json
from bot.incidents.grouping import (
    GENERIC_TARGETS,
    CandidateIncident,
    MemberFacts,
    ReportFacts,
    candidate_dates,
    decide,
    words_of,
)
from bot.incidents.headline import (
    Headline,
    changed_fields,
    derive_headline,
    headline_to_json,
    location_from_json,
)
from bot.records import Classification, IncidentView, SourceRef, VersionEvent
from bot.store import models
from bot.timeutil import baghdad_date
from bot.zones import Zone


@dataclass(frozen=True, slots=True)
class GroupingContext:
    """What placing a report needs besides the report: the window and the zones' landmarks."""

    window: timedelta
    specific_targets: frozenset[str]

    @classmethod
    def from_zones(cls, zones: Sequence[Zone], window: timedelta) -> GroupingContext:
        targets = {lm.target.casefold() for zone in zones for lm in zone.landmarks}
        return cls(window=window, specific_targets=frozenset(targets - GENERIC_TARGETS))


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a report went: its incident (None when it is no attack) and any new version."""

    incident_id: int | None
    created: bool
    event: VersionEvent | None


def article_words(article: models.Article) -> frozenset[str]:
    # Title and summary only: bodies carry background paragraphs about other attacks.
    return words_of(f"{article.title}\n{article.summary}")


async def _candidates(
    session: AsyncSession, report: ReportFacts, window: timedelta
) -> list[CandidateIncident]:
    facts = report.facts
    rows = (
        await session.scalars(
            select(models.Incident).where(
                models.Incident.zone == report.zone,
                models.Incident.date.in_(list(candidate_dates(facts.date, facts.published))),
                models.Incident.last_published_at >= facts.published - window,
                models.Incident.first_published_at <= facts.published + window,
            )
        )
    ).all()
    if not rows:
        return []
    members: dict[int, list[MemberFacts]] = {row.id: [] for row in rows}
    reports = await session.execute(
        select(models.IncidentReport, models.Article.title, models.Article.summary)
        .join(models.Article, models.Article.id == models.IncidentReport.article_id)
        .where(models.IncidentReport.incident_id.in_(list(members)))
    )
    for rep, title, summary in reports:
        words = words_of(f"{title}\n{summary}")
        members[rep.incident_id].append(member_from_json(rep.facts, rep.published_at, words))
    return [
        CandidateIncident(row.id, row.zone, row.date, tuple(members[row.id]))
        for row in rows
        if members[row.id]
    ]


def _headline_of(incident: models.Incident) -> Headline:
    return Headline(**_headline_columns(incident))


def _headline_columns(incident: models.Incident) -> dict[str, Any]:
    """An incident row's headline values, as keyword arguments for Headline or IncidentView."""
    return {
        "date": incident.date,
        "weapon": incident.weapon,
        "projectiles": incident.projectiles,
        "intercepted": incident.intercepted,
        "killed": incident.killed,
        "injured": incident.injured,
        "target": incident.target,
        "claimed_by": incident.claimed_by,
        "damage": incident.damage,
        "location": location_from_json(incident.location),
    }


def _apply(incident: models.Incident, headline: Headline) -> None:
    data = headline_to_json(headline)
    data["date"] = headline.date
    for name, value in data.items():
        setattr(incident, name, value)


async def refresh_incident(
    session: AsyncSession, incident: models.Incident, ctx: GroupingContext, now: datetime
) -> VersionEvent | None:
    """Re-derive the headline from the reports; write a version when a value changed.

    A version is also written, with changed == ("alertable",), when an incident known only
    from history gains its first report that may alert: that is when subscribers first hear.
    """
    await session.flush()
    rows = (
        await session.execute(
            select(models.IncidentReport, models.Article.alertable)
            .join(models.Article, models.Article.id == models.IncidentReport.article_id)
            .where(models.IncidentReport.incident_id == incident.id)
        )
    ).all()
    if not rows:
        return None
    reports = [rep for rep, _ in rows]
    alertable = any(flag for _, flag in rows)
    new = derive_headline(
        [values_from_json(r.facts, r.published_at) for r in reports],
        specific_targets=ctx.specific_targets,
    )
    first = incident.version == 0
    changed = () if first else changed_fields(_headline_of(incident), new)
    if not first and not changed and alertable and not incident.alertable:
        changed = ("alertable",)
    incident.first_published_at = min(r.published_at for r in reports)
    incident.last_published_at = max(r.published_at for r in reports)
    incident.alertable = alertable
    if not first and not changed:
        return None
    _apply(incident, new)
    incident.version += 1
    incident.updated_at = now
    session.add(
        models.IncidentVersion(
            incident_id=incident.id,
            version=incident.version,
            headline=headline_to_json(new),
            changed=list(changed),
            created_at=now,
        )
    )
    await session.flush()
    return VersionEvent(incident.id, incident.version, changed, alertable)


async def _new_incident(
    session: AsyncSession, zone: str, published: datetime, day: date, now: datetime
) -> models.Incident:
    incident = models.Incident(
        zone=zone,
        date=day,
        version=0,
        first_published_at=published,
        last_published_at=published,
        created_at=now,
        updated_at=now,
        alertable=False,
    )
    session.add(incident)
    await session.flush()
    return incident


async def _detach(
    session: AsyncSession, existing: models.IncidentReport, ctx: GroupingContext, now: datetime
) -> Placement:
    """An article no longer read as an attack leaves its incident (the incident stays)."""
    incident = await session.get_one(models.Incident, existing.incident_id)
    await session.delete(existing)
    event = await refresh_incident(session, incident, ctx, now)
    return Placement(None, False, event)


async def place_report(
    session: AsyncSession,
    article: models.Article,
    verdict: Classification,
    *,
    outlet: str,
    url: str,
    ctx: GroupingContext,
    now: datetime,
) -> Placement:
    """Attach an article's attack report to its incident (new or existing) and refresh it.

    Re-placing an article already attached replaces its facts in the same incident.
    """
    existing = await session.scalar(
        select(models.IncidentReport).where(models.IncidentReport.article_id == article.id)
    )
    if not verdict.attack or verdict.zone is None:
        if existing is None:
            return Placement(None, False, None)
        return await _detach(session, existing, ctx, now)
    facts = report_facts_json(verdict)
    if existing is not None:
        existing.facts = facts
        existing.published_at = article.published_at
        existing.outlet, existing.url = outlet, url
        incident = await session.get_one(models.Incident, existing.incident_id)
        return Placement(incident.id, False, await refresh_incident(session, incident, ctx, now))
    report = ReportFacts(
        key=str(article.id),
        zone=verdict.zone,
        facts=member_from_json(facts, article.published_at, article_words(article)),
    )
    decision = decide(
        report, await _candidates(session, report, ctx.window), now, window=ctx.window
    )
    if decision.incident_id is None:
        day = verdict.date or baghdad_date(article.published_at)
        incident = await _new_incident(session, verdict.zone, article.published_at, day, now)
    else:
        incident = await session.get_one(models.Incident, decision.incident_id)
    session.add(
        models.IncidentReport(
            incident_id=incident.id,
            article_id=article.id,
            published_at=article.published_at,
            outlet=outlet,
            url=url,
            facts=facts,
            added_at=now,
        )
    )
    event = await refresh_incident(session, incident, ctx, now)
    return Placement(incident.id, decision.incident_id is None, event)


# Reading incidents back -------------------------------------------------------------------


async def _sources(session: AsyncSession, incident_ids: list[int]) -> dict[int, list[SourceRef]]:
    feed_name = (
        select(models.Feed.name)
        .join(models.ArticleSource, models.ArticleSource.feed_id == models.Feed.id)
        .where(models.ArticleSource.article_id == models.IncidentReport.article_id)
        .order_by(models.ArticleSource.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            models.IncidentReport.incident_id,
            models.IncidentReport.url,
            models.IncidentReport.published_at,
            models.Article.outlet,
            models.IncidentReport.outlet,
            models.Article.title,
            feed_name,
        )
        .join(models.Article, models.Article.id == models.IncidentReport.article_id)
        .where(models.IncidentReport.incident_id.in_(incident_ids))
        .order_by(models.IncidentReport.published_at, models.IncidentReport.id)
    )
    found: dict[int, list[SourceRef]] = {i: [] for i in incident_ids}
    for incident_id, url, published, outlet, report_outlet, title, feed in rows:
        name = outlet or report_outlet or feed or ""
        found[incident_id].append(SourceRef(name, url, title, published))
    return found


def _view(incident: models.Incident, sources: list[SourceRef]) -> IncidentView:
    return IncidentView(
        id=incident.id,
        zone=incident.zone,
        **_headline_columns(incident),
        version=incident.version,
        first_published=incident.first_published_at,
        last_published=incident.last_published_at,
        sources=tuple(sources),
    )


async def views_of(
    session: AsyncSession, incidents: Sequence[models.Incident]
) -> list[IncidentView]:
    """Views of incidents in the given order, with their sources in one more query."""
    if not incidents:
        return []
    sources = await _sources(session, [i.id for i in incidents])
    return [_view(i, sources[i.id]) for i in incidents]


async def _views(
    session: AsyncSession, query: Select[tuple[models.Incident]]
) -> list[IncidentView]:
    return await views_of(session, list((await session.scalars(query)).all()))


async def load_incident_view(session: AsyncSession, incident_id: int) -> IncidentView | None:
    """One incident's headline and sources, or None when there is no such incident."""
    views = await _views(
        session,
        select(models.Incident).where(
            models.Incident.id == incident_id, models.Incident.version > 0
        ),
    )
    return views[0] if views else None


async def list_incident_views(
    session: AsyncSession,
    *,
    since: date | None,
    until: date | None,
    limit: int | None,
    newest_first: bool,
) -> list[IncidentView]:
    """Incidents with attack dates in [since, until] (inclusive), by date then id."""
    query = select(models.Incident).where(models.Incident.version > 0)
    if since is not None:
        query = query.where(models.Incident.date >= since)
    if until is not None:
        query = query.where(models.Incident.date <= until)
    if newest_first:
        query = query.order_by(models.Incident.date.desc(), models.Incident.id.desc())
    else:
        query = query.order_by(models.Incident.date, models.Incident.id)
    if limit is not None:
        query = query.limit(limit)
    return await _views(session, query)


async def report_keys(session: AsyncSession, incident_ids: list[int]) -> dict[int, list[str]]:
    """Each incident's report ids in publication order: the feed entry id, else the article id."""
    entry = (
        select(models.ArticleSource.entry_id)
        .where(models.ArticleSource.article_id == models.IncidentReport.article_id)
        .order_by(models.ArticleSource.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(models.IncidentReport.incident_id, models.IncidentReport.article_id, entry)
        .where(models.IncidentReport.incident_id.in_(incident_ids))
        .order_by(models.IncidentReport.published_at, models.IncidentReport.id)
    )
    keys: dict[int, list[str]] = {i: [] for i in incident_ids}
    for incident_id, article_id, entry_id in rows:
        keys[incident_id].append(entry_id or str(article_id))
    return keys


async def version_counts(session: AsyncSession, incident_ids: list[int]) -> dict[int, int]:
    rows = await session.execute(
        select(models.IncidentVersion.incident_id, func.count())
        .where(models.IncidentVersion.incident_id.in_(incident_ids))
        .group_by(models.IncidentVersion.incident_id)
    )
    return {incident_id: count for incident_id, count in rows.tuples()}
