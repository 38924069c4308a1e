"""The migrations build the schema from empty, and agree with the models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.db import create_engine, session_factory, unit_of_work
from bot.store.migrate import alembic_config, current_revision, head_revision, upgrade
from bot.store.models import Article, Base, Chat, Feed, Incident


async def test_upgrade_from_empty_reaches_head(database_url: str) -> None:
    engine = create_engine(database_url)
    assert await current_revision(engine) is None
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()
    await upgrade(engine)  # idempotent
    assert await current_revision(engine) == head_revision()
    await engine.dispose()


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    assert diff == []


async def test_timestamps_come_back_aware_utc(sessions: async_sessionmaker[AsyncSession]) -> None:
    baghdad = timezone(timedelta(hours=3))
    created = datetime(2023, 12, 8, 4, 15, tzinfo=baghdad)
    async with unit_of_work(sessions) as session:
        session.add(Chat(id=42, created_at=created, updated_at=created))
    async with unit_of_work(sessions) as session:
        chat = (await session.execute(select(Chat).where(Chat.id == 42))).scalar_one()
    assert chat.created_at == created
    assert chat.created_at.tzinfo is not None
    assert chat.created_at.utcoffset() == timedelta(0)
    assert chat.created_at == datetime(2023, 12, 8, 1, 15, tzinfo=UTC)


async def test_previous_head_upgrades_in_place_without_loss(database_url: str) -> None:
    engine = create_engine(database_url)
    script = ScriptDirectory.from_config(alembic_config())
    previous = script.get_revision(head_revision()).down_revision
    assert isinstance(previous, str), "the package ships more than one revision"
    await upgrade(engine, previous)
    moment = datetime(2023, 12, 8, 6, 0, tzinfo=UTC)

    def write_with_the_old_schema(sync: Connection) -> None:
        tables = MetaData()
        tables.reflect(sync)
        feeds, articles = tables.tables["feeds"], tables.tables["articles"]
        incidents, chats = tables.tables["incidents"], tables.tables["chats"]
        sync.execute(insert(feeds).values(
            id=1, name="wire", url="https://w.example/rss", config_url="https://w.example/rss",
            active=True, full_text=False, consecutive_failures=0, entries_seen=3,
            created_at=moment,
        ))  # fmt: skip
        sync.execute(insert(articles).values(
            id=1, content_hash="h", title="Rockets hit the Green Zone", summary="s", text="t",
            lang="en", outlet="wire", published_at=moment, fetched_at=moment,
            updated_at=moment, alertable=True,
        ))  # fmt: skip
        sync.execute(insert(incidents).values(
            id=1, zone="baghdad-iz", date=date(2023, 12, 8), weapon="rocket", projectiles=3,
            version=2, first_published_at=moment, last_published_at=moment, created_at=moment,
            updated_at=moment, alertable=True,
        ))  # fmt: skip
        sync.execute(insert(chats).values(
            id=501, kind="private", title="", subscribed=True, from_config=False, active=True,
            language="ar", timezone="Asia/Baghdad", weapons=["drone"], casualties_only=False,
            min_projectiles=2, created_at=moment, updated_at=moment,
        ))  # fmt: skip

    async with engine.begin() as conn:
        await conn.run_sync(write_with_the_old_schema)
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()

    sessions = session_factory(engine)
    async with unit_of_work(sessions) as session:
        incident = await session.get(Incident, 1)
        chat = await session.get(Chat, 501)
        feed = await session.get(Feed, 1)
        article = await session.get(Article, 1)
    assert incident is not None
    assert (incident.date, incident.projectiles, incident.version) == (date(2023, 12, 8), 3, 2)
    assert chat is not None
    assert (chat.language, chat.weapons, chat.min_projectiles) == ("ar", ["drone"], 2)
    assert feed is not None
    assert feed.entries_seen == 3
    assert article is not None
    assert article.published_at == moment
    async with engine.connect() as conn:
        indexes = await conn.run_sync(lambda sync: inspect(sync).get_indexes("incidents"))
    assert "ix_incidents_date_weapon" in {index["name"] for index in indexes}
    await engine.dispose()
