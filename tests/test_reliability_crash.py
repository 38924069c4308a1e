"""Crash safety: the real `run` process SIGKILLed at random moments, restarted, nothing lost.

Each round publishes a new attack report (a new incident) and a non-attack story, kills the
process a random moment after publishing (while it polls, classifies or starts sending),
restarts it, kills it again once a random number of the broadcast's messages went out, and
restarts it: two trials. Then every chat must hold every alert (a duplicate only for a send in
flight at a kill, at most one per chat per kill), and no article, classification or incident
may be missing. Seeded: the seed is in every failure
message, and GZ_CRASH_SEED=<seed> replays it (GZ_CRASH_TRIALS sets the number of trials).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import open_store
from bot.config import load_settings
from bot.timeutil import utcnow
from tests.fakebotapi import FakeBotApi, FeedHost
from tests.processes import (
    BotProcess,
    Sections,
    StoreCounts,
    alerts_by_incident,
    attack_item,
    store_counts,
    subscribe_chats,
    unlimited_api,
    wait_until,
    write_config,
)
from tests.test_e2e import rss

CHATS = tuple(range(10_001, 10_251))
TRIALS = int(os.environ.get("GZ_CRASH_TRIALS", "20"))
# Rate limiting is not the subject here: the sender may go as fast as it can.
FAST: Sections = {
    "alerts": {
        "global_rate": 5000.0,
        "per_chat_interval": "0s",
        "send_interval": "200ms",
        "grouping_window": "1m",
    }
}


def calm_item(serial: int, published: datetime) -> tuple[str, str, str, datetime]:
    """A story that is not an attack: it must be stored and classified, and alert nobody."""
    return (
        f"calm-{serial}",
        f"Baghdad traffic eases after bridge reopens ({serial})",
        "Traffic in central Baghdad eased on the reopened bridge, the municipality said.",
        published,
    )


class Trials:
    """The feeds, the process and what every trial so far should have produced."""

    def __init__(self, api: FakeBotApi, feeds: FeedHost, process: BotProcess) -> None:
        self.api = api
        self.feeds = feeds
        self.process = process
        self.attacks: list[tuple[str, str, str, datetime]] = []
        self.calm: list[tuple[str, str, str, datetime]] = []
        # Reports 10 minutes apart: one incident each, all within alerts.max_age.
        self.base = datetime.now(UTC) - timedelta(hours=5)

    def publish(self, trial: int) -> None:
        when = self.base + timedelta(minutes=10 * trial)
        self.attacks.append(attack_item(trial, when))
        self.calm.append(calm_item(trial, when))
        one, two = (self.attacks, self.calm) if trial % 2 == 0 else (self.calm, self.attacks)
        self.feeds.publish("/one.xml", rss("Wire One", one))
        self.feeds.publish("/two.xml", rss("Wire Two", two))

    def sent(self) -> int:
        return self.api.count("sendMessage", 200)

    def every_chat_has(self, incidents: int) -> bool:
        return all(len(alerts_by_incident(self.api, chat)) >= incidents for chat in CHATS)

    def copies(self) -> dict[int, dict[int, int]]:
        return {chat: alerts_by_incident(self.api, chat) for chat in CHATS}

    def duplicates(self) -> int:
        """Alert messages beyond the first of each incident in each chat."""
        return sum(n - 1 for per in self.copies().values() for n in per.values())


async def _kill(trials: Trials, database_url: str) -> int:
    """SIGKILL now; returns the sends in flight then (taken by Telegram, not in the store)."""
    trials.process.kill()
    recorded = (await store_counts(database_url)).alert_messages
    return trials.sent() - trials.duplicates() - recorded


async def _round(trials: Trials, rng: random.Random, incident: int, database_url: str) -> list[str]:
    """One new incident, two kills: a random moment after publishing (polling, classifying or
    starting to send), then after a random number of the broadcast's sends."""
    before = trials.sent()
    duplicates_before = trials.duplicates()
    trials.publish(incident)
    delay = rng.uniform(0.0, 1.5)
    await asyncio.sleep(delay)
    in_flight = await _kill(trials, database_url)
    trials.process.start()
    target = rng.randint(1, len(CHATS) - 1)
    await wait_until(
        lambda: trials.sent() - before >= target, f"{target} sends of the broadcast", step=0.005
    )
    in_flight += await _kill(trials, database_url)
    trials.process.start()
    await wait_until(
        lambda: trials.sent() - before >= len(CHATS) and trials.every_chat_has(incident + 1),
        "every chat to get every alert",
        step=0.1,
    )
    counts = await _settled(database_url)
    published = 2 * (incident + 1)
    assert counts.articles == published, f"articles lost: {counts} for {published} published"
    assert counts.classified == published, f"articles never classified: {counts}"
    assert counts.incidents == incident + 1, f"incidents lost or merged: {counts}"
    assert counts.unsettled == 0, f"deliveries left unsettled: {counts}"
    duplicates = trials.duplicates() - duplicates_before
    assert duplicates <= in_flight, (
        f"{duplicates} duplicate(s) but only {in_flight} send(s) were in flight at the kills"
    )
    for chat, per_incident in trials.copies().items():
        assert len(per_incident) == incident + 1, f"chat {chat}: {per_incident}"
        # At most one duplicate per chat for each of the round's two kills.
        assert max(per_incident.values()) <= 3, f"chat {chat}: {per_incident}"
    return [f"{delay:.3f} s after publishing", f"after {target} of {len(CHATS)} sends"]


async def _settled(database_url: str) -> StoreCounts:
    """The store once the outbox is empty (the last sends settle just after the messages)."""
    counts = await store_counts(database_url)
    for _ in range(100):
        if counts.unsettled == 0:
            break
        await asyncio.sleep(0.05)
        counts = await store_counts(database_url)
    return counts


async def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path, database_url: str) -> None:
    seed = int(os.environ.get("GZ_CRASH_SEED") or time.time_ns() % 2**32)
    rng = random.Random(seed)
    with unlimited_api() as api, FeedHost() as feeds:
        for chat in CHATS:
            api.add_chat(chat)
        feeds.publish("/one.xml", rss("Wire One", []))
        feeds.publish("/two.xml", rss("Wire Two", []))
        config = write_config(
            tmp_path / "config.toml",
            api=api.base_url,
            database_url=database_url,
            feeds=[("Wire One", feeds.url("/one.xml")), ("Wire Two", feeds.url("/two.xml"))],
            sections=FAST,
        )
        await subscribe_chats(config, CHATS)
        process = BotProcess(config, tmp_path)
        trials = Trials(api, feeds, process)
        process.start()
        moments: list[str] = []
        try:
            for incident in range((TRIALS + 1) // 2):
                moments += await _round(trials, rng, incident, database_url)
        except AssertionError as exc:
            raise AssertionError(
                f"seed {seed} (GZ_CRASH_SEED={seed}), round {len(moments) // 2} "
                f"after kills {moments}: {exc}\nlast output:\n{process.output()[-3000:]}"
            ) from exc
        finally:
            process.cleanup()
        assert len(moments) >= TRIALS
        assert process.runs == len(moments) + 1


async def test_articles_stored_but_never_classified_alert_after_a_restart(
    tmp_path: Path, database_url: str
) -> None:
    """The state a kill between a poll's commit and classification leaves, made on purpose."""
    from feeds.fetch import make_client
    from feeds.poller import poll_feeds

    chat = 10_001
    with unlimited_api() as api, FeedHost() as feeds:
        api.add_chat(chat)
        item = attack_item(1, datetime.now(UTC) - timedelta(minutes=5))
        feeds.publish("/one.xml", rss("Wire One", [item]))
        config = write_config(
            tmp_path / "config.toml",
            api=api.base_url,
            database_url=database_url,
            feeds=[("Wire One", feeds.url("/one.xml"))],
            sections=FAST,
        )
        await subscribe_chats(config, [chat])
        settings = load_settings(config)
        store = await open_store(settings, datetime.now(UTC))
        async with make_client(settings) as client:
            # No on_articles: stored and committed, never classified, as after such a kill.
            await poll_feeds(settings, store.sessions, client, now=utcnow, due_only=False)
        await store.engine.dispose()
        assert await store_counts(database_url) == StoreCounts(1, 0, 0, 0, 0)
        process = BotProcess(config, tmp_path).start()
        try:
            await wait_until(lambda: alerts_by_incident(api, chat) == {1: 1}, "the alert")
            assert process.terminate() == 0
        finally:
            process.cleanup()
        assert await store_counts(database_url) == StoreCounts(1, 1, 1, 1, 0)
