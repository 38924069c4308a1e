"""Time: Baghdad is UTC+3 all year (no DST since 2008); everything stored is aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BAGHDAD = timezone(timedelta(hours=3), "Asia/Baghdad")

# Month names as Iraqi (Levantine) Arabic writes them, January first.
ARABIC_MONTHS: tuple[str, ...] = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)


def utcnow() -> datetime:
    """The wall clock, aware UTC. Pure code takes `now` as an argument instead of calling this."""
    return datetime.now(UTC)


def baghdad_date(moment: datetime) -> date:
    """The calendar date in Baghdad at an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return moment.astimezone(BAGHDAD).date()


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return moment.astimezone(UTC)
