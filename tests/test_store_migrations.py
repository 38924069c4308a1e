"""The migrations build the schema from empty, and agree with the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.db import create_engine, unit_of_work
from bot.store.migrate import current_revision, head_revision, upgrade
from bot.store.models import Base, Chat


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
