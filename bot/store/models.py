"""SQLAlchemy 2.0 models: the whole schema in one place, mirrored by the Alembic migrations.

Timestamps are stored as UTC and always come back timezone-aware, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no zone, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Feed(Base):
    """A configured feed and its fetch state; state is kept by URL across config edits."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    # The URL as configured; `url` moves on a permanent redirect, this does not.
    config_url: Mapped[str] = mapped_column(String(2000), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    retry_after_until: Mapped[datetime | None]
    deactivated_reason: Mapped[str | None] = mapped_column(Text)
    first_polled_at: Mapped[datetime | None]
    entries_seen: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class Article(Base):
    """One story, stored once however many feeds carry it."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    # Hash of the normalised title and body: catches syndication under different URLs.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime] = mapped_column(index=True)
    fetched_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # False for entries first seen older than alerts.max_age: stored and queryable, never alerted.
    alertable: Mapped[bool] = mapped_column(Boolean, default=True)

    sources: Mapped[list[ArticleSource]] = relationship(back_populates="article")


class ArticleSource(Base):
    """An entry of one feed that carried an article (an article may come from many feeds)."""

    __tablename__ = "article_sources"
    __table_args__ = (UniqueConstraint("feed_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[str] = mapped_column(String(2000))
    link: Mapped[str] = mapped_column(String(2000), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]

    article: Mapped[Article] = relationship(back_populates="sources")


class Classification(Base):
    """The latest classifier verdict for an article (replaced when the article is edited)."""

    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    attack: Mapped[bool] = mapped_column(Boolean, index=True)
    score: Mapped[float] = mapped_column(Float)
    zone: Mapped[str | None] = mapped_column(String(64))
    # Every extracted field and the evidence, as the classifier produced them.
    facts: Mapped[dict[str, Any]]
    classifier_version: Mapped[str] = mapped_column(String(32))
    classified_at: Mapped[datetime]


class Incident(Base):
    """One attack, however many reports describe it; headline values derived from its reports."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_zone_date", "zone", "date"),
        # Covers the monthly counts by weapon behind /stats (an index-only scan).
        Index("ix_incidents_date_weapon", "date", "weapon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    date: Mapped[date] = mapped_column(Date)
    weapon: Mapped[str | None] = mapped_column(String(16))
    projectiles: Mapped[int | None] = mapped_column(Integer)
    intercepted: Mapped[int | None] = mapped_column(Integer)
    killed: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[str | None] = mapped_column(String(200))
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    damage: Mapped[str | None] = mapped_column(Text)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    first_published_at: Mapped[datetime]
    last_published_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # False when every report was too old to alert on (history imported on a feed's first sight).
    alertable: Mapped[bool] = mapped_column(Boolean, default=True)

    reports: Mapped[list[IncidentReport]] = relationship(
        back_populates="incident", order_by="IncidentReport.published_at"
    )


class IncidentReport(Base):
    """One source's account of an incident: its own extracted values, kept as it said them."""

    __tablename__ = "incident_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    published_at: Mapped[datetime]
    outlet: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    facts: Mapped[dict[str, Any]]
    added_at: Mapped[datetime]

    incident: Mapped[Incident] = relationship(back_populates="reports")


class IncidentVersion(Base):
    """A snapshot of an incident's headline; each one becomes an alert or an edit."""

    __tablename__ = "incident_versions"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    headline: Mapped[dict[str, Any]]
    # Which headline fields changed from the previous version (empty for the first).
    changed: Mapped[list[Any]]
    created_at: Mapped[datetime]


class Chat(Base):
    """A Telegram chat: a subscriber, or a group/channel from config that gets every alert."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="private")
    title: Mapped[str] = mapped_column(String(300), default="")
    subscribed: Mapped[bool] = mapped_column(Boolean, default=False)
    from_config: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_reason: Mapped[str | None] = mapped_column(Text)
    message_thread_id: Mapped[int | None] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Baghdad")
    # Filters: empty list means every weapon.
    weapons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    casualties_only: Mapped[bool] = mapped_column(Boolean, default=False)
    min_projectiles: Mapped[int] = mapped_column(Integer, default=0)
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Delivery(Base):
    """The outbox: one row per (incident version, chat, kind), written with the version."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("incident_id", "version", "chat_id", "kind"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    # "alert" (first message), "edit" (editMessageText of the alert), "reply" (notify of news).
    kind: Mapped[str] = mapped_column(String(8))
    # pending -> sending -> sent | failed (gave up) | skipped (chat gone, superseded, filtered)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AlertMessage(Base):
    """The message that carries an incident's alert in a chat, so later versions edit it."""

    __tablename__ = "alert_messages"
    __table_args__ = (UniqueConstraint("chat_id", "incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    # The version the message shows now (edits raise it) and the one it first went out with
    # (a reply is due only for news the first message did not carry).
    version: Mapped[int] = mapped_column(Integer)
    first_version: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime]
