"""`greenzone-bot export`: incidents with their sources as CSV, GeoJSON and JSON."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.export import to_csv
from bot.records import IncidentView, SourceRef
from bot.store.db import unit_of_work
from bot.zones import DEFAULT_ZONES

from .test_queries import add_incident


@pytest.fixture
async def config_file(
    tmp_path: Path, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> Path:
    async with unit_of_work(sessions) as session:
        await add_incident(
            session,
            date(2023, 12, 8),
            projectiles=3,
            reports=(("Tigris Wire", "Rockets at embassy"), ("=HYPERLINK(evil)", "Same attack")),
        )
        await add_incident(session, date(2020, 1, 26), injured=3, target="Green Zone")
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


async def run_export(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    # The CLI runs its own event loop, so it runs in a thread beside the test's loop.
    assert await asyncio.to_thread(main, ["--config", str(config), "export", *args]) == 0
    return capsys.readouterr().out


async def test_json_has_every_incident_with_sources(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = json.loads(await run_export(config_file, capsys, "--format", "json"))
    assert [r["date"] for r in records] == ["2020-01-26", "2023-12-08"]
    embassy = records[1]
    assert embassy["projectiles"] == 3
    assert embassy["target"] == "US embassy"
    assert [s["outlet"] for s in embassy["sources"]] == ["Tigris Wire", "=HYPERLINK(evil)"]
    assert embassy["lat"] is not None


async def test_since_filters(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = json.loads(
        await run_export(config_file, capsys, "--format", "json", "--since", "2021-01-01")
    )
    assert [r["date"] for r in records] == ["2023-12-08"]


async def test_csv_is_safe_for_spreadsheets(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(
        csv.DictReader(io.StringIO(await run_export(config_file, capsys, "--format", "csv")))
    )
    assert len(rows) == 2
    assert rows[0]["injured"] == "3"
    assert rows[0]["killed"] == ""
    assert rows[1]["sources"] == "Tigris Wire; =HYPERLINK(evil)"


def test_csv_cells_never_start_a_formula() -> None:
    moment = datetime(2023, 12, 8, 6, 0, tzinfo=UTC)
    view = IncidentView(
        id=1,
        zone="baghdad-iz",
        date=date(2023, 12, 8),
        weapon="rocket",
        projectiles=None,
        intercepted=None,
        killed=None,
        injured=None,
        target="Green Zone",
        claimed_by="=WEBSERVICE(1)",
        damage="+1 car",
        location=None,
        version=1,
        first_published=moment,
        last_published=moment,
        sources=(SourceRef("@outlet", "https://x.example/a", "t", moment),),
    )
    (row,) = csv.DictReader(io.StringIO(to_csv([view], DEFAULT_ZONES)))
    assert row["claimed_by"] == "'=WEBSERVICE(1)"
    assert row["damage"] == "'+1 car"
    assert row["sources"] == "'@outlet"
    assert row["location"] == "Green Zone (zone centre)"


async def test_geojson_points_are_lon_lat(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = json.loads(await run_export(config_file, capsys, "--format", "geojson"))
    assert collection["type"] == "FeatureCollection"
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert 44 < lon < 45
    assert 33 < lat < 34
    assert "lat" not in collection["features"][0]["properties"]


def test_unmigrated_store_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/empty.db"\n')
    assert main(["--config", str(path), "export", "--format", "csv"]) == 2
    assert "db upgrade" in capsys.readouterr().err
