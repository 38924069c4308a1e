"""A classification's facts as stored JSON, and back as the values grouping and headlines read."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from bot.incidents.grouping import MemberFacts
from bot.incidents.headline import ReportValues, facts_from_json
from bot.records import Classification


def classification_to_json(verdict: Classification) -> dict[str, Any]:
    """Every extracted field and the evidence, JSON-ready."""
    data = asdict(verdict)
    data["date"] = verdict.date.isoformat() if verdict.date else None
    data["evidence"] = list(verdict.evidence)
    data["landmarks"] = list(verdict.landmarks)
    return data


def report_facts_json(verdict: Classification) -> dict[str, Any]:
    """The values one report states about its incident (what IncidentReport.facts keeps)."""
    data = classification_to_json(verdict)
    for key in ("attack", "score", "evidence"):
        data.pop(key, None)
    return data


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def values_from_json(facts: dict[str, Any], published: datetime) -> ReportValues:
    return ReportValues(
        published=published, date=_date(facts.get("date")), **facts_from_json(facts)
    )


def member_from_json(
    facts: dict[str, Any], published: datetime, words: frozenset[str]
) -> MemberFacts:
    return MemberFacts(
        date=_date(facts.get("date")),
        weapon=facts.get("weapon"),
        published=published,
        target=facts.get("target"),
        landmarks=frozenset(facts.get("landmarks") or ()),
        words=words,
    )
