"""The pipeline over stored articles (real classifier, both backends) and the two commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.config import Settings
from bot.incidents.listing import JSON_KEYS, incident_records
from bot.incidents.repo import load_incident_view
from bot.pipeline import process_articles
from bot.records import VersionEvent
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from bot.store.migrate import upgrade

DATA = Path(__file__).parent / "data" / "incidents"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
SETTINGS = Settings()


def _articles() -> list[dict[str, str]]:
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


async def store_articles(
    sessions: async_sessionmaker[AsyncSession], alertable: bool = True
) -> dict[str, int]:
    """The fixture articles as stored rows; returns input id -> article id."""
    ids = {}
    async with unit_of_work(sessions) as session:
        for data in _articles():
            row = models.Article(
                canonical_url=data["url"],
                content_hash=data["id"],
                title=data["title"],
                summary=data["summary"],
                text=data["text"],
                lang="en",
                outlet=data["outlet"],
                published_at=datetime.fromisoformat(data["published"].replace("Z", "+00:00")),
                fetched_at=NOW,
                updated_at=NOW,
                alertable=alertable,
            )
            session.add(row)
            await session.flush()
            ids[data["id"]] = row.id
    return ids


async def test_pipeline_groups_and_versions_inside_the_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = await store_articles(sessions)
    seen: list[tuple[VersionEvent, int]] = []

    async def on_version(session: AsyncSession, event: VersionEvent) -> None:
        # The version is visible in the callback's own transaction.
        stored = await session.scalar(
            select(func.count())
            .select_from(models.IncidentVersion)
            .where(models.IncidentVersion.incident_id == event.incident_id)
        )
        seen.append((event, stored or 0))

    order = [ids["emb-1"], ids["emb-2"], ids["other-1"], ids["pm-1"], 9999]
    result = await process_articles(
        sessions, order, settings=SETTINGS, now=NOW, on_version=on_version
    )
    assert result.missing == (9999,)
    assert result.processed == 4
    assert result.attacks == 3
    assert len(result.created) == 2
    assert [e for e, _ in seen] == list(result.versions)
    assert all(count == event.version for event, count in seen)
    embassy = result.incidents[0]
    assert [e.version for e in result.versions if e.incident_id == embassy][0] == 1
    assert all(e.alertable for e in result.versions)

    async with unit_of_work(sessions) as session:
        view = await load_incident_view(session, embassy)
        classified = await session.scalar(select(func.count()).select_from(models.Classification))
    assert view is not None
    assert view.target == "US embassy"
    assert [s.outlet for s in view.sources] == ["Frontline Live", "Tigris Wire"]
    assert classified == 4

    again = await process_articles(sessions, order[:4], settings=SETTINGS, now=NOW)
    assert again.versions == ()


async def test_a_failing_on_version_rolls_back_the_version(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = await store_articles(sessions)

    async def refuse(session: AsyncSession, event: VersionEvent) -> None:
        raise RuntimeError("outbox down")

    with pytest.raises(RuntimeError, match="outbox down"):
        await process_articles(
            sessions, [ids["pm-1"]], settings=SETTINGS, now=NOW, on_version=refuse
        )
    async with unit_of_work(sessions) as session:
        incidents = await session.scalar(select(func.count()).select_from(models.Incident))
        versions = await session.scalar(select(func.count()).select_from(models.IncidentVersion))
    assert (incidents, versions) == (0, 0)


async def test_an_edited_article_replaces_its_facts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ids = await store_articles(sessions, alertable=False)
    first = await process_articles(sessions, [ids["pm-1"]], settings=SETTINGS, now=NOW)
    assert [e.alertable for e in first.versions] == [False]
    async with unit_of_work(sessions) as session:
        row = await session.get_one(models.Article, ids["pm-1"])
        row.text = row.text.replace("Six guards were injured.", "Seven guards were injured.")
        row.summary = row.summary.replace("six guards", "seven guards")
    edited = await process_articles(sessions, [ids["pm-1"]], settings=SETTINGS, now=NOW)
    assert len(edited.versions) == 1
    assert "injured" in edited.versions[0].changed
    async with unit_of_work(sessions) as session:
        records = await incident_records(session)
    assert [r["injured"] for r in records] == [7]


def test_replay_prints_one_json_line_per_incident_by_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["replay", "--json", str(DATA / "articles.jsonl"), str(DATA / "feed.xml")]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [tuple(line) for line in lines] == [JSON_KEYS] * 3
    assert [line["date"] for line in lines] == ["2021-11-07", "2021-12-19", "2023-12-08"]
    pm, rockets, embassy = lines
    assert pm["weapon"] == "drone"
    assert pm["injured"] == 6
    assert rockets["articles"] == ["wire-gz-1", "wire-gz-2"]
    assert (rockets["projectiles"], rockets["intercepted"]) == (2, 1)
    assert embassy["articles"] == ["emb-1", "emb-2"]
    assert embassy["versions"] >= 2
    assert embassy["projectiles"] == 3


def test_replay_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(DATA / "feed.xml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#1 2021-12-19 rocket")
    assert "2 reports" in out


async def test_incidents_command_lists_the_configured_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    ids = await store_articles(sessions)
    await process_articles(sessions, list(ids.values()), settings=SETTINGS, now=NOW)
    await engine.dispose()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")

    args = ["--config", str(config), "incidents", "--json", "--since", "2023-01-01"]
    assert await _run_cli(args) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["date"] for line in lines] == ["2023-12-08"]
    assert lines[0]["articles"] == [str(ids["emb-1"]), str(ids["emb-2"])]

    assert await _run_cli(["--config", str(config), "incidents", "--until", "2022-01-01"]) == 0
    assert "drone at PM residence" in capsys.readouterr().out


async def _run_cli(args: list[str]) -> int:
    # The command runs its own event loop, so it goes to a worker thread here.
    import asyncio

    return await asyncio.to_thread(main, args)


async def test_incidents_command_refuses_an_unmigrated_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "empty.db"}"\n', encoding="utf-8"
    )
    assert await _run_cli(["--config", str(config), "incidents"]) == 2
    assert "db upgrade" in capsys.readouterr().err


def test_the_json_keys_are_the_contracts() -> None:
    # The issue names these keys, in this order; they are derived from FACT_FIELDS in code.
    assert JSON_KEYS == (
        "incident", "date", "weapon", "projectiles", "intercepted", "killed", "injured",
        "target", "claimed_by", "articles", "versions",
    )  # fmt: skip
