"""Incidents for analysts: CSV, GeoJSON and JSON renderings of incident views (pure)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from bot.records import IncidentView
from bot.zones import Zone

FORMATS = ("csv", "geojson", "json")

CSV_COLUMNS = (
    "incident",
    "date",
    "zone",
    "weapon",
    "projectiles",
    "intercepted",
    "killed",
    "injured",
    "target",
    "claimed_by",
    "damage",
    "lat",
    "lon",
    "location",
    "version",
    "first_published",
    "last_published",
    "sources",
    "source_urls",
)


def _point(view: IncidentView, zones: Sequence[Zone]) -> tuple[float, float, str] | None:
    """Where to put the incident on a map, and how precise that is."""
    if view.location is not None:
        return view.location.lat, view.location.lon, view.location.name
    zone = next((z for z in zones if z.key == view.zone), None)
    return (zone.lat, zone.lon, f"{zone.name} (zone centre)") if zone else None


def incident_dict(view: IncidentView, zones: Sequence[Zone]) -> dict[str, Any]:
    point = _point(view, zones)
    return {
        "incident": view.id,
        "date": view.date.isoformat(),
        "zone": view.zone,
        "weapon": view.weapon,
        "projectiles": view.projectiles,
        "intercepted": view.intercepted,
        "killed": view.killed,
        "injured": view.injured,
        "target": view.target,
        "claimed_by": view.claimed_by,
        "damage": view.damage,
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
        "location": point[2] if point else None,
        "version": view.version,
        "first_published": view.first_published.isoformat(),
        "last_published": view.last_published.isoformat(),
        "sources": [
            {
                "outlet": s.outlet,
                "url": s.url,
                "title": s.title,
                "published": s.published.isoformat(),
            }
            for s in view.sources
        ],
    }


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to spreadsheets; feed text must not run as one.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(views: Sequence[IncidentView], zones: Sequence[Zone]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for view in views:
        row = incident_dict(view, zones)
        row["source_urls"] = " ".join(s["url"] for s in row["sources"])
        row["sources"] = "; ".join(s["outlet"] for s in row["sources"])
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def to_geojson(views: Sequence[IncidentView], zones: Sequence[Zone]) -> str:
    features = []
    for view in views:
        properties = incident_dict(view, zones)
        lat, lon = properties.pop("lat"), properties.pop("lon")
        geometry = None if lat is None else {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def to_json(views: Sequence[IncidentView], zones: Sequence[Zone]) -> str:
    records = [incident_dict(view, zones) for view in views]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def render(fmt: str, views: Sequence[IncidentView], zones: Sequence[Zone]) -> str:
    renderers = {"csv": to_csv, "geojson": to_geojson, "json": to_json}
    return renderers[fmt](views, zones)
