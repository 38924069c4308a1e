"""The outbox: deliveries written with each incident version, claimed and settled by senders.

Decisions (who gets what, quiet hours, retry after a failure, whether an edit may go) are pure
functions; the async functions below only read and write rows around them.
A delivery moves pending -> sending (claimed) -> sent | failed | skipped; a claim older than the
lease is taken again, so a crashed sender's work is resumed and nothing marked sent is resent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import subscriptions
from bot.records import VersionEvent
from bot.store import models

log = logging.getLogger(__name__)

Kind = Literal["alert", "edit", "reply"]
ErrorKind = Literal["rate_limited", "network", "gone", "rejected"]
EditVerdict = Literal["send", "wait", "skip"]

# A claim of responsibility or new casualty figures deserve a notification, not a silent edit.
REPLY_FIELDS = frozenset({"claimed_by", "killed", "injured"})
LIVE = ("pending", "sending", "sent")
MAX_BACKOFF = timedelta(minutes=10)
# How long an edit or reply waits before looking again for its chat's alert.
WAIT_FOR_ALERT = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """What the outbox needs to know of a chat to decide what it gets."""

    chat_id: int
    from_config: bool = False
    weapons: tuple[str, ...] = ()
    casualties_only: bool = False
    min_projectiles: int = 0
    quiet_start: str | None = None
    quiet_end: str | None = None
    timezone: str = "Asia/Baghdad"


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """The headline values chat filters look at."""

    weapon: str | None
    projectiles: int | None
    killed: int | None
    injured: int | None


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    chat_id: int
    kind: Kind
    silent: bool


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this worker holds: send it, then settle it with the same claim."""

    id: int
    incident_id: int
    version: int
    chat_id: int
    kind: str
    silent: bool
    attempts: int
    claimed_by: str
    claimed_at: datetime
    # When the version that made this delivery was written: detection-to-send latency.
    queued_at: datetime


@dataclass(frozen=True, slots=True)
class FailureDecision:
    status: Literal["pending", "failed", "skipped"]
    next_attempt_at: datetime | None
    count_attempt: bool
    deactivate_chat: bool


@dataclass(frozen=True, slots=True)
class AlertState:
    """Where a chat's alert for an incident stands: sent (with message id and version) or not."""

    message_id: int | None
    version: int | None
    alert_live: bool
    first_version: int | None = None


# --- pure decisions -------------------------------------------------------------------------


def passes_filters(prefs: ChatPrefs, facts: IncidentFacts) -> bool:
    """Config chats get everything; subscribers only what their filters let through."""
    return prefs.from_config or subscriptions.passes_filters(
        prefs.weapons,
        prefs.casualties_only,
        prefs.min_projectiles,
        weapon=facts.weapon,
        projectiles=facts.projectiles,
        killed=facts.killed,
        injured=facts.injured,
    )


def plan_deliveries(
    chats: Iterable[ChatPrefs],
    facts: IncidentFacts,
    *,
    has_alert: set[int],
    changed: Sequence[str],
    now: datetime,
) -> list[PlannedDelivery]:
    """What each chat gets for one new version: a first alert, or an edit (plus a reply)."""
    notify = bool(REPLY_FIELDS.intersection(changed))
    planned: list[PlannedDelivery] = []
    for chat in chats:
        silent = subscriptions.in_quiet_hours(chat.quiet_start, chat.quiet_end, chat.timezone, now)
        if chat.chat_id in has_alert:
            # A chat that has the alert follows the incident whatever its filters now say.
            planned.append(PlannedDelivery(chat.chat_id, "edit", silent))
            if notify:
                planned.append(PlannedDelivery(chat.chat_id, "reply", silent))
        elif passes_filters(chat, facts):
            planned.append(PlannedDelivery(chat.chat_id, "alert", silent))
    return planned


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s... after the 1st, 2nd, 3rd failed attempt, capped at ten minutes."""
    return min(timedelta(seconds=2 ** max(attempts, 1)), MAX_BACKOFF)


def after_failure(
    kind: ErrorKind,
    attempts: int,
    now: datetime,
    *,
    max_attempts: int,
    retry_after: float | None = None,
) -> FailureDecision:
    """What to do with a delivery whose send failed; `attempts` counts this one."""
    if kind == "gone":
        return FailureDecision("skipped", None, True, True)
    if kind == "rejected":
        return FailureDecision("failed", None, True, False)
    if kind == "rate_limited":
        # Flood waits are Telegram pacing us, not the delivery failing: they use no attempt.
        wait = timedelta(seconds=max(retry_after or 1.0, 0.0))
        return FailureDecision("pending", now + wait, False, False)
    if attempts >= max_attempts:
        return FailureDecision("failed", None, True, False)
    return FailureDecision("pending", now + backoff(attempts), True, False)


def follow_up_verdict(kind: str, version: int, state: AlertState) -> EditVerdict:
    """An edit or reply needs the chat's alert sent. An edit not newer than what the message
    shows is stale; so is a reply about news the alert already carried when it first went out."""
    if state.message_id is None:
        return "wait" if state.alert_live else "skip"
    shown = state.version if kind == "edit" else state.first_version
    if shown is not None and version <= shown:
        return "skip"
    return "send"


# --- writing deliveries ---------------------------------------------------------------------


def _prefs(row: Any) -> ChatPrefs:
    return ChatPrefs(
        chat_id=row.id,
        from_config=row.from_config,
        weapons=tuple(str(w) for w in (row.weapons or ())),
        casualties_only=row.casualties_only,
        min_projectiles=row.min_projectiles or 0,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        timezone=row.timezone or "Asia/Baghdad",
    )


async def enqueue_version(session: AsyncSession, event: VersionEvent, now: datetime) -> int:
    """Write the deliveries of a new incident version; returns how many. Call inside its
    transaction."""
    if not event.alertable:
        return 0
    incident = await session.get(models.Incident, event.incident_id)
    if incident is None:
        return 0
    c = models.Chat
    chat_rows = await session.execute(
        select(
            c.id,
            c.from_config,
            c.weapons,
            c.casualties_only,
            c.min_projectiles,
            c.quiet_start,
            c.quiet_end,
            c.timezone,
        ).where(c.active.is_(True), or_(c.subscribed.is_(True), c.from_config.is_(True)))
    )
    has_alert = set(
        await session.scalars(
            select(models.AlertMessage.chat_id).where(
                models.AlertMessage.incident_id == event.incident_id
            )
        )
    )
    has_alert |= set(
        await session.scalars(
            select(models.Delivery.chat_id).where(
                models.Delivery.incident_id == event.incident_id,
                models.Delivery.kind == "alert",
                models.Delivery.status.in_(LIVE),
            )
        )
    )
    facts = IncidentFacts(incident.weapon, incident.projectiles, incident.killed, incident.injured)
    planned = plan_deliveries(
        (_prefs(row) for row in chat_rows),
        facts,
        has_alert=has_alert,
        changed=event.changed,
        now=now,
    )
    if planned:
        await session.execute(
            insert(models.Delivery),
            [
                {
                    "incident_id": event.incident_id,
                    "version": event.version,
                    "chat_id": p.chat_id,
                    "kind": p.kind,
                    "status": "pending",
                    "silent": p.silent,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for p in planned
            ],
        )
    log.info(
        "incident %s v%s: %d deliveries queued",
        event.incident_id,
        event.version,
        len(planned),
        extra={"incident": event.incident_id},
    )
    return len(planned)


# --- claiming and settling ------------------------------------------------------------------


def _claimable(now: datetime, lease: timedelta) -> Any:
    d = models.Delivery
    return or_(
        and_(d.status == "pending", d.next_attempt_at <= now),
        and_(d.status == "sending", d.claimed_at < now - lease),
    )


async def claim_due(
    session: AsyncSession, *, worker: str, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    """Take up to `limit` due deliveries (and stale claims) for `worker`, oldest first.

    On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so concurrent
    senders take disjoint sets; SQLite (one process) renders no lock and the conditional UPDATE
    alone decides. The caller commits right after.
    """
    d = models.Delivery
    ids = list(
        await session.scalars(
            select(d.id)
            .where(_claimable(now, lease))
            .order_by(d.next_attempt_at, d.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return []
    await session.execute(
        update(d)
        .where(d.id.in_(ids), _claimable(now, lease))
        .values(status="sending", claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        select(
            d.id, d.incident_id, d.version, d.chat_id, d.kind, d.silent, d.attempts, d.created_at
        )
        .where(d.id.in_(ids), d.claimed_by == worker, d.claimed_at == now, d.status == "sending")
        .order_by(d.next_attempt_at, d.id)
    )
    return [
        Claimed(
            id=row.id,
            incident_id=row.incident_id,
            version=row.version,
            chat_id=row.chat_id,
            kind=row.kind,
            silent=row.silent,
            attempts=row.attempts,
            claimed_by=worker,
            claimed_at=now,
            queued_at=row.created_at,
        )
        for row in rows
    ]


def _mine(claim: Claimed) -> Any:
    d = models.Delivery
    return and_(
        d.id == claim.id,
        d.status == "sending",
        d.claimed_by == claim.claimed_by,
        d.claimed_at == claim.claimed_at,
    )


async def alert_state(session: AsyncSession, chat_id: int, incident_id: int) -> AlertState:
    sent = (
        await session.execute(
            select(
                models.AlertMessage.message_id,
                models.AlertMessage.version,
                models.AlertMessage.first_version,
            ).where(
                models.AlertMessage.chat_id == chat_id,
                models.AlertMessage.incident_id == incident_id,
            )
        )
    ).first()
    if sent is not None:
        return AlertState(sent.message_id, sent.version, True, sent.first_version)
    live = await session.scalar(
        select(func.count())
        .select_from(models.Delivery)
        .where(
            models.Delivery.chat_id == chat_id,
            models.Delivery.incident_id == incident_id,
            models.Delivery.kind == "alert",
            models.Delivery.status.in_(("pending", "sending")),
        )
    )
    return AlertState(None, None, bool(live))


async def mark_sent(
    session: AsyncSession,
    claim: Claimed,
    *,
    message_id: int | None,
    rendered_version: int,
    now: datetime,
) -> bool:
    """Settle a sent delivery; an alert (or edit) also records the chat's AlertMessage.

    Returns False when the claim was lost meanwhile (the message went out all the same).
    """
    result = await session.execute(
        update(models.Delivery)
        .where(_mine(claim))
        .values(
            status="sent",
            message_id=message_id,
            sent_at=now,
            error=None,
            attempts=claim.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    a = models.AlertMessage
    if claim.kind == "alert" and message_id is not None:
        existing = await session.scalar(
            select(a.id).where(a.chat_id == claim.chat_id, a.incident_id == claim.incident_id)
        )
        if existing is None:
            await session.execute(
                insert(a).values(
                    chat_id=claim.chat_id,
                    incident_id=claim.incident_id,
                    message_id=message_id,
                    version=rendered_version,
                    first_version=rendered_version,
                    sent_at=now,
                )
            )
    elif claim.kind == "edit":
        await session.execute(
            update(a)
            .where(
                a.chat_id == claim.chat_id,
                a.incident_id == claim.incident_id,
                a.version < rendered_version,
            )
            .values(version=rendered_version)
            .execution_options(synchronize_session=False)
        )
    return bool(getattr(result, "rowcount", 1))


async def mark_skipped(session: AsyncSession, claim: Claimed, reason: str) -> None:
    await session.execute(
        update(models.Delivery)
        .where(_mine(claim))
        .values(status="skipped", error=reason)
        .execution_options(synchronize_session=False)
    )


async def release(session: AsyncSession, claim: Claimed, *, until: datetime) -> None:
    """Give a claim back untouched, to be looked at again at `until`."""
    await session.execute(
        update(models.Delivery)
        .where(_mine(claim))
        .values(status="pending", claimed_by=None, claimed_at=None, next_attempt_at=until)
        .execution_options(synchronize_session=False)
    )


async def settle_failure(
    session: AsyncSession, claim: Claimed, decision: FailureDecision, error: str, now: datetime
) -> None:
    """Apply a failure decision; deactivating a chat also skips everything it still had due."""
    attempts = claim.attempts + (1 if decision.count_attempt else 0)
    values: dict[str, Any] = {"status": decision.status, "attempts": attempts, "error": error}
    if decision.status == "pending":
        values.update(claimed_by=None, claimed_at=None, next_attempt_at=decision.next_attempt_at)
    await session.execute(
        update(models.Delivery)
        .where(_mine(claim))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if decision.deactivate_chat:
        await deactivate_chat(session, claim.chat_id, error, now)


async def deactivate_chat(session: AsyncSession, chat_id: int, reason: str, now: datetime) -> None:
    await session.execute(
        update(models.Chat)
        .where(models.Chat.id == chat_id)
        .values(active=False, deactivated_reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(models.Delivery)
        .where(models.Delivery.chat_id == chat_id, models.Delivery.status == "pending")
        .values(status="skipped", error=f"chat deactivated: {reason}")
        .execution_options(synchronize_session=False)
    )


async def next_due(session: AsyncSession, *, lease: timedelta) -> datetime | None:
    """When the earliest unsettled delivery becomes claimable, or None when nothing is left."""
    d = models.Delivery
    pending = await session.scalar(select(func.min(d.next_attempt_at)).where(d.status == "pending"))
    sending = await session.scalar(select(func.min(d.claimed_at)).where(d.status == "sending"))
    candidates = [t for t in (pending, sending + lease if sending else None) if t is not None]
    return min(candidates) if candidates else None


async def holders(session: AsyncSession) -> list[str]:
    """Workers holding claims right now (crashed ones included)."""
    d = models.Delivery
    rows = await session.scalars(
        select(d.claimed_by).where(d.status == "sending", d.claimed_by.is_not(None)).distinct()
    )
    return [r for r in rows if r is not None]


async def release_worker(session: AsyncSession, worker: str, now: datetime) -> int:
    """Hand back every claim of a worker known to be dead, without waiting for the lease."""
    d = models.Delivery
    result = await session.execute(
        update(d)
        .where(d.status == "sending", d.claimed_by == worker)
        .values(status="pending", claimed_by=None, claimed_at=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
