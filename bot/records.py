"""Frozen records that cross module boundaries: feeds -> classifier -> incidents -> alerts.

Every datetime here is timezone-aware UTC; every date is a Baghdad-local calendar date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Weapon = Literal["rocket", "drone", "mortar", "missile", "ied", "gunfire", "unknown"]
WEAPONS: tuple[Weapon, ...] = ("rocket", "drone", "mortar", "missile", "ied", "gunfire", "unknown")


@dataclass(frozen=True, slots=True)
class Article:
    """One news report, normalised: the unit the classifier reads."""

    id: str
    title: str
    summary: str
    text: str
    published: datetime
    lang: str = "en"
    url: str = ""
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    """Where in the zone the attack struck, when the text names a landmark."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's verdict on one article, with the facts of the *new* incident only.

    All fact fields are None when unknown, and always None when `attack` is false.
    """

    attack: bool
    score: float
    evidence: tuple[str, ...] = ()
    zone: str | None = None
    date: date | None = None
    weapon: Weapon | None = None
    projectiles: int | None = None
    intercepted: int | None = None
    killed: int | None = None
    injured: int | None = None
    target: str | None = None
    claimed_by: str | None = None
    damage: str | None = None
    location: Location | None = None
    landmarks: tuple[str, ...] = field(default=())


# The fact fields shared by a classification, a report and an incident headline.
FACT_FIELDS: tuple[str, ...] = (
    "date",
    "weapon",
    "projectiles",
    "intercepted",
    "killed",
    "injured",
    "target",
    "claimed_by",
)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One report of an incident as the alert links it: outlet name and article URL."""

    outlet: str
    url: str
    title: str
    published: datetime


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident's headline values and sources: what alerts and answers are made from."""

    id: int
    zone: str
    date: date
    weapon: str | None
    projectiles: int | None
    intercepted: int | None
    killed: int | None
    injured: int | None
    target: str | None
    claimed_by: str | None
    damage: str | None
    location: Location | None
    version: int
    first_published: datetime
    last_published: datetime
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionEvent:
    """A new version of an incident's headline, raised inside the transaction that wrote it."""

    incident_id: int
    version: int
    # Headline fields that changed from the previous version; empty for the first.
    changed: tuple[str, ...]
    # True when at least one report comes from an article that may alert.
    alertable: bool
