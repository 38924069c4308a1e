"""The outbox: pure decisions on tables, and enqueue/claim against both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import outbox
from bot.outbox import AlertState, ChatPrefs, IncidentFacts, PlannedDelivery
from bot.records import VersionEvent
from bot.store import models
from bot.store.db import unit_of_work
from bot.subscriptions import in_quiet_hours

NOW = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)  # 15:00 in Baghdad
FACTS = IncidentFacts(weapon="rocket", projectiles=3, killed=None, injured=None)


# --- helpers shared with the sender and end-to-end tests ------------------------------------


async def add_chats(
    sessions: async_sessionmaker[AsyncSession], ids: list[int], **values: Any
) -> None:
    defaults: dict[str, Any] = {"kind": "private", "subscribed": True}
    defaults.update(values)
    async with unit_of_work(sessions) as session:
        for chat_id in ids:
            session.add(models.Chat(id=chat_id, created_at=NOW, updated_at=NOW, **defaults))


async def add_incident(sessions: async_sessionmaker[AsyncSession], **values: Any) -> int:
    fields: dict[str, Any] = {
        "zone": "baghdad-iz",
        "date": date(2024, 1, 5),
        "weapon": "rocket",
        "projectiles": 3,
        "target": "US embassy",
        "version": 1,
        "first_published_at": NOW,
        "last_published_at": NOW,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(values)
    async with unit_of_work(sessions) as session:
        incident = models.Incident(**fields)
        session.add(incident)
        await session.flush()
        session.add(
            models.IncidentVersion(
                incident_id=incident.id, version=1, headline={}, changed=[], created_at=NOW
            )
        )
        await outbox.enqueue_version(session, VersionEvent(incident.id, 1, (), True), NOW)
        return incident.id


async def new_version(
    sessions: async_sessionmaker[AsyncSession],
    incident_id: int,
    changed: tuple[str, ...],
    now: datetime = NOW,
    **values: Any,
) -> int:
    """Bump an incident's version as the pipeline does and queue its deliveries; returns it."""
    async with unit_of_work(sessions) as session:
        incident = await session.get(models.Incident, incident_id)
        assert incident is not None
        incident.version += 1
        for key, value in values.items():
            setattr(incident, key, value)
        session.add(
            models.IncidentVersion(
                incident_id=incident_id,
                version=incident.version,
                headline={},
                changed=list(changed),
                created_at=now,
            )
        )
        await session.flush()
        await outbox.enqueue_version(
            session, VersionEvent(incident_id, incident.version, changed, True), now
        )
        return incident.version


async def deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[models.Delivery]:
    async with unit_of_work(sessions) as session:
        rows = await session.scalars(select(models.Delivery).order_by(models.Delivery.id))
        return list(rows)


# --- pure decisions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefs", "facts", "expected"),
    [
        (ChatPrefs(1), FACTS, True),
        (ChatPrefs(1, weapons=("drone",)), FACTS, False),
        (ChatPrefs(1, weapons=("drone", "rocket")), FACTS, True),
        (ChatPrefs(1, weapons=("unknown",)), IncidentFacts(None, None, None, None), True),
        (ChatPrefs(1, casualties_only=True), FACTS, False),
        (ChatPrefs(1, casualties_only=True), IncidentFacts("rocket", 3, 0, 0), False),
        (ChatPrefs(1, casualties_only=True), IncidentFacts("rocket", 3, None, 2), True),
        (ChatPrefs(1, min_projectiles=3), FACTS, True),
        (ChatPrefs(1, min_projectiles=4), FACTS, False),
        (ChatPrefs(1, min_projectiles=1), IncidentFacts("rocket", None, None, None), False),
        (ChatPrefs(1, from_config=True, weapons=("drone",), casualties_only=True), FACTS, True),
    ],
)
def test_filters(prefs: ChatPrefs, facts: IncidentFacts, expected: bool) -> None:
    assert outbox.passes_filters(prefs, facts) is expected


@pytest.mark.parametrize(
    ("start", "end", "tz", "hour_utc", "expected"),
    [
        ("22:00", "07:00", "Asia/Baghdad", 20, True),  # 23:00 Baghdad, window wraps midnight
        ("22:00", "07:00", "Asia/Baghdad", 3, True),  # 06:00 Baghdad
        ("22:00", "07:00", "Asia/Baghdad", 4, False),  # 07:00 Baghdad: the end is open
        ("22:00", "07:00", "Asia/Baghdad", 12, False),
        ("13:00", "16:00", "Asia/Baghdad", 12, True),  # 15:00 Baghdad
        ("13:00", "16:00", "Europe/London", 12, False),  # 12:00 in London in January
        ("13:00", "16:00", "Not/AZone", 12, True),  # unknown zone: Baghdad time
        (None, "07:00", "Asia/Baghdad", 3, False),
        ("07:00", "07:00", "Asia/Baghdad", 4, False),
        ("bad", "07:00", "Asia/Baghdad", 3, False),
    ],
)
def test_quiet_hours(
    start: str | None, end: str | None, tz: str, hour_utc: int, expected: bool
) -> None:
    now = datetime(2024, 1, 5, hour_utc, 0, tzinfo=UTC)
    assert in_quiet_hours(start, end, tz, now) is expected


def test_plan_first_alert_edits_and_replies() -> None:
    chats = [
        ChatPrefs(1),
        ChatPrefs(2, weapons=("drone",)),
        ChatPrefs(3, weapons=("drone",)),
        ChatPrefs(4, quiet_start="14:00", quiet_end="16:00"),
    ]
    planned = outbox.plan_deliveries(chats, FACTS, has_alert={3}, changed=("claimed_by",), now=NOW)
    assert planned == [
        PlannedDelivery(1, "alert", False),
        # Chat 3 got the alert before its filter changed: it still follows the incident.
        PlannedDelivery(3, "edit", False),
        PlannedDelivery(3, "reply", False),
        PlannedDelivery(4, "alert", True),
    ]
    quiet_edit = outbox.plan_deliveries(chats, FACTS, has_alert={1}, changed=("target",), now=NOW)
    assert PlannedDelivery(1, "edit", False) in quiet_edit
    assert not [p for p in quiet_edit if p.kind == "reply"]


@pytest.mark.parametrize(
    ("kind", "attempts", "retry_after", "expected"),
    [
        ("gone", 1, None, ("skipped", None, True)),
        ("rejected", 1, None, ("failed", None, False)),
        ("rate_limited", 5, 7.0, ("pending", timedelta(seconds=7), False)),
        ("network", 1, None, ("pending", timedelta(seconds=2), False)),
        ("network", 3, None, ("pending", timedelta(seconds=8), False)),
        ("network", 7, None, ("pending", timedelta(seconds=128), False)),
        ("network", 8, None, ("failed", None, False)),
    ],
)
def test_after_failure(
    kind: outbox.ErrorKind, attempts: int, retry_after: float | None, expected: tuple[Any, ...]
) -> None:
    decision = outbox.after_failure(kind, attempts, NOW, max_attempts=8, retry_after=retry_after)
    status, delay, deactivate = expected
    assert decision.status == status
    assert decision.deactivate_chat is deactivate
    assert decision.next_attempt_at == (NOW + delay if delay is not None else None)
    assert decision.count_attempt is (kind != "rate_limited")


def test_backoff_is_capped() -> None:
    assert outbox.backoff(30) == outbox.MAX_BACKOFF


@pytest.mark.parametrize(
    ("kind", "version", "state", "expected"),
    [
        ("edit", 2, AlertState(None, None, True), "wait"),
        ("edit", 2, AlertState(None, None, False), "skip"),
        ("edit", 2, AlertState(10, 1, True, 1), "send"),
        ("edit", 2, AlertState(10, 2, True, 1), "skip"),
        ("edit", 2, AlertState(10, 3, True, 1), "skip"),
        # An edit already showed v2; the alert first went out at v1: the reply is still due.
        ("reply", 2, AlertState(10, 2, True, 1), "send"),
        ("reply", 2, AlertState(10, 2, True, 2), "skip"),
        ("reply", 3, AlertState(None, None, True), "wait"),
    ],
)
def test_follow_up_verdict(kind: str, version: int, state: AlertState, expected: str) -> None:
    assert outbox.follow_up_verdict(kind, version, state) == expected


# --- against the store ----------------------------------------------------------------------


async def test_enqueue_writes_one_delivery_per_chat_that_should_get_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, [1, 2])
    await add_chats(sessions, [3], subscribed=False)
    await add_chats(sessions, [4], active=False)
    await add_chats(sessions, [5], weapons=["drone"])
    await add_chats(sessions, [6], quiet_start="14:00", quiet_end="16:00")
    await add_chats(sessions, [-100], kind="supergroup", subscribed=False, from_config=True)
    incident = await add_incident(sessions)
    rows = await deliveries(sessions)
    assert sorted((r.chat_id, r.kind, r.silent) for r in rows) == [
        (-100, "alert", False),
        (1, "alert", False),
        (2, "alert", False),
        (6, "alert", True),
    ]
    assert {(r.incident_id, r.version, r.status) for r in rows} == {(incident, 1, "pending")}


async def test_enqueue_nothing_for_unalertable_versions(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, [1])
    async with unit_of_work(sessions) as session:
        assert await outbox.enqueue_version(session, VersionEvent(999, 1, (), True), NOW) == 0
        assert await outbox.enqueue_version(session, VersionEvent(1, 1, (), False), NOW) == 0
    assert await deliveries(sessions) == []


async def test_new_versions_edit_and_notify_of_claims(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, [1, 2])
    incident = await add_incident(sessions)
    await new_version(sessions, incident, ("projectiles",), projectiles=4)
    await new_version(sessions, incident, ("claimed_by",), claimed_by="A group")
    rows = [(r.chat_id, r.version, r.kind) for r in await deliveries(sessions)]
    assert sorted(rows) == [
        (1, 1, "alert"),
        (1, 2, "edit"),
        (1, 3, "edit"),
        (1, 3, "reply"),
        (2, 1, "alert"),
        (2, 2, "edit"),
        (2, 3, "edit"),
        (2, 3, "reply"),
    ]


async def test_claims_are_exclusive_and_stale_ones_are_taken_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, list(range(1, 11)))
    await add_incident(sessions)
    lease = timedelta(minutes=2)
    async with unit_of_work(sessions) as session:
        first = await outbox.claim_due(session, worker="a", now=NOW, limit=4, lease=lease)
    async with unit_of_work(sessions) as session:
        second = await outbox.claim_due(session, worker="b", now=NOW, limit=100, lease=lease)
    assert len(first) == 4
    assert len(second) == 6
    assert not {c.id for c in first} & {c.id for c in second}
    # Worker a settles one and dies with three in hand.
    async with unit_of_work(sessions) as session:
        await outbox.mark_sent(session, first[0], message_id=7, rendered_version=1, now=NOW)
    async with unit_of_work(sessions) as session:
        early = await outbox.claim_due(
            session, worker="c", now=NOW + timedelta(minutes=1), limit=100, lease=lease
        )
    assert early == []
    later = NOW + lease + timedelta(seconds=1)
    async with unit_of_work(sessions) as session:
        retaken = await outbox.claim_due(session, worker="c", now=later, limit=100, lease=lease)
    assert {c.id for c in retaken} == {c.id for c in first[1:]} | {c.id for c in second}
    # The dead worker's late answer no longer counts: its claim was taken over.
    async with unit_of_work(sessions) as session:
        kept = await outbox.mark_sent(
            session, first[1], message_id=8, rendered_version=1, now=later
        )
    assert kept is False
    async with unit_of_work(sessions) as session:
        state = await outbox.alert_state(session, first[0].chat_id, first[0].incident_id)
    assert state == AlertState(7, 1, True, 1)


async def test_concurrent_claims_never_overlap(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, list(range(1, 201)))
    await add_incident(sessions)

    async def claim(worker: str) -> list[int]:
        taken: list[int] = []
        while True:
            async with unit_of_work(sessions) as session:
                batch = await outbox.claim_due(
                    session, worker=worker, now=NOW, limit=7, lease=timedelta(minutes=2)
                )
            if not batch:
                return taken
            taken.extend(c.id for c in batch)
            await asyncio.sleep(0)

    results = await asyncio.gather(*(claim(f"w{i}") for i in range(5)))
    everything = [i for r in results for i in r]
    assert len(everything) == 200
    assert len(set(everything)) == 200


async def test_deactivating_a_chat_skips_what_it_had_due(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_chats(sessions, [1, 2])
    incident = await add_incident(sessions)
    await new_version(sessions, incident, ("killed",), killed=1)
    async with unit_of_work(sessions) as session:
        await outbox.deactivate_chat(session, 1, "Forbidden: bot was blocked by the user", NOW)
    statuses = {(r.chat_id, r.status) for r in await deliveries(sessions)}
    assert statuses == {(1, "skipped"), (2, "pending")}
    async with unit_of_work(sessions) as session:
        chat = await session.get(models.Chat, 1)
        assert chat is not None
        assert chat.active is False
        assert chat.deactivated_reason == "Forbidden: bot was blocked by the user"
    async with unit_of_work(sessions) as session:
        await session.execute(update(models.Delivery).values(status="sent"))
        assert await outbox.next_due(session, lease=timedelta(minutes=2)) is None
