"""The chat core end to end against the real store (SQLite and PostgreSQL): commands,
settings, questions, pagination, admin commands, groups, hostile input and rate limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat_texts import attacks_count
from bot.config import Settings, TelegramSettings
from bot.conversation import (
    Incoming,
    Reply,
    Services,
    decode_query,
    encode_query,
    respond,
)
from bot.questions import parse_question
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from tests.fakebotapi import parse_entities, utf16_len
from tests.test_queries import fill

NOW = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
ADMIN = 111
USER = 222


def make_services(sessions: async_sessionmaker[AsyncSession], **extra: object) -> Services:
    settings = Settings(telegram=TelegramSettings(admins=(ADMIN,), user_rate_per_minute=600))
    return Services(
        sessions,
        settings,
        lambda: NOW,
        bot_username="gz_bot",
        page_size=2,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def services(sessions: async_sessionmaker[AsyncSession]) -> Services:
    return make_services(sessions)


def private(text: str, user: int = USER, **extra: object) -> Incoming:
    return Incoming(chat_id=user, user_id=user, chat_kind="private", text=text, **extra)  # type: ignore[arg-type]


def valid(replies: Sequence[Reply]) -> Sequence[Reply]:
    """Every reply is HTML Telegram accepts, within its limits, with small callback data."""
    for reply in replies:
        visible = parse_entities(reply.text)
        assert utf16_len(visible) <= (1024 if reply.photo_png else 4096)
        for row in reply.buttons:
            for _, data in row:
                assert len(data.encode()) <= 64
    return replies


async def ask(services: Services, incoming: Incoming) -> list[Reply]:
    return list(valid(await respond(incoming, services)))


async def chat_row(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> models.Chat | None:
    async with unit_of_work(sessions) as session:
        return await session.get(models.Chat, chat_id)


async def test_start_subscribe_unsubscribe(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    (start,) = await ask(services, private("/start"))
    assert "Green Zone Watch" in start.text
    assert "not subscribed" in start.text
    (sub,) = await ask(services, private("/subscribe"))
    assert sub.text.startswith("Subscribed")
    row = await chat_row(sessions, USER)
    assert row is not None
    assert (row.subscribed, row.active, row.kind) == (True, True, "private")
    (again,) = await ask(services, private("/subscribe"))
    assert "already" in again.text
    (start,) = await ask(services, private("/start"))
    assert "is subscribed" in start.text
    (unsub,) = await ask(services, private("/unsubscribe"))
    assert unsub.text.startswith("Unsubscribed")
    row = await chat_row(sessions, USER)
    assert row is not None
    assert row.subscribed is False


async def test_subscribe_in_a_forum_topic_keeps_the_thread(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    incoming = Incoming(
        chat_id=-100,
        user_id=USER,
        chat_kind="supergroup",
        text="/subscribe@gz_bot",
        chat_title="Ops <room>",
        message_thread_id=7,
    )
    await ask(services, incoming)
    row = await chat_row(sessions, -100)
    assert row is not None
    assert (row.subscribed, row.message_thread_id, row.title, row.kind) == (
        True,
        7,
        "Ops <room>",
        "supergroup",
    )


async def test_settings_by_arguments_and_buttons(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    (shown,) = await ask(services, private("/settings"))
    assert "Weapons: all" in shown.text
    assert ("English", "s:lang:en") in shown.buttons[-1]
    (saved,) = await ask(services, private("/settings weapons rocket,drone quiet 23:00-07:00"))
    assert "Saved" in saved.text
    assert "23:00–07:00" in saved.text
    row = await chat_row(sessions, USER)
    assert row is not None
    assert (row.weapons, row.quiet_start, row.quiet_end) == (["rocket", "drone"], "23:00", "07:00")
    assert row.subscribed is False
    (bad,) = await ask(services, private("/settings tz <b>Mars</b>"))
    assert "not changed" in bad.text
    assert "&lt;b&gt;" in bad.text
    (toggled,) = await ask(services, private("", callback_data="s:w:drone"))
    assert "Weapons: rocket\n" in toggled.text
    (arabic,) = await ask(services, private("", callback_data="s:lang:ar"))
    assert "تم الحفظ" in arabic.text
    (start,) = await ask(services, private("/start"))
    assert "مراقب المنطقة الخضراء" in start.text
    row = await chat_row(sessions, USER)
    assert row is not None
    assert (row.language, row.weapons) == ("ar", ["rocket"])


async def test_incident_latest_sources(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await fill(sessions)
    (latest,) = await ask(services, private("/latest"))
    assert "Mortar attack on the Green Zone" in latest.text
    assert f"Incident #{ids['mar']}" in latest.text
    (one,) = await ask(services, private(f"/incident {ids['jan']}"))
    assert "Drone attack" in one.text
    assert "Islamic Resistance in Iraq" in one.text
    assert "1 killed, 2 injured" in one.text
    (sources,) = await ask(services, private(f"/sources #{ids['dec8']}"))
    assert '<a href="https://news.example/' in sources.text
    assert "Wire A" in sources.text
    assert "Wire B" in sources.text
    (usage,) = await ask(services, private("/incident abc"))
    assert usage.text.startswith("Usage")
    (missing,) = await ask(services, private("/incident 99999"))
    assert "No incident" in missing.text


async def test_recent_pages_with_buttons(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await fill(sessions)
    (first,) = await ask(services, private("/recent 3"))
    assert f"#{ids['mar']}" in first.text
    assert f"#{ids['feb']}" in first.text
    assert f"#{ids['jan']}" not in first.text
    ((next_label, next_data),) = first.buttons[0]
    assert next_label == "Next »"
    (second,) = await ask(services, private("", callback_data=next_data))
    assert f"#{ids['jan']}" in second.text
    assert f"#{ids['dec8']}" not in second.text  # /recent 3 stops at three
    assert [label for label, _ in second.buttons[0]] == ["« Previous"]
    (days,) = await ask(services, private("/recent 60 days"))
    assert "last 60 days" in days.text
    assert f"#{ids['feb']}" in days.text
    assert days.buttons == ((("Next »", "r:2:60d"),),)
    (usage,) = await ask(services, private("/recent lots"))
    assert usage.text.startswith("Usage")


async def test_search(services: Services, sessions: async_sessionmaker[AsyncSession]) -> None:
    ids = await fill(sessions)
    (found,) = await ask(services, private("/search union iii"))
    assert f"#{ids['jan']}" in found.text
    (none,) = await ask(services, private("/search <script>alert(1)</script>"))
    assert "No incidents match" in none.text
    assert "&lt;script&gt;" in none.text
    (usage,) = await ask(services, private("/search x"))
    assert usage.text.startswith("Usage")


async def test_stats_with_chart_and_admin_extras(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await fill(sessions)
    (stats,) = await ask(services, private("/stats since 2023"))
    assert stats.photo_png is not None
    assert stats.photo_png.startswith(b"\x89PNG")
    assert "since 2023-01-01</b>: 5" in stats.text
    assert "2023-12: 2" in stats.text
    admin = await ask(services, private("/stats 2023", user=ADMIN))
    assert len(admin) == 2
    assert "December 2023" not in admin[0].text  # a whole year is named as the year
    assert "2023</b>: 2" in admin[0].text
    assert "Incidents: 5" in admin[1].text
    (empty,) = await ask(services, private("/stats 1999"))
    assert empty.photo_png is None
    assert "No attacks" in empty.text
    (bad,) = await ask(services, private("/stats whenever"))
    assert "could not read" in bad.text


async def test_admin_commands_are_refused_politely(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await fill(sessions)
    for command in ("/feeds", "/testalert"):
        (refused,) = await ask(services, private(command))
        assert refused.text == "Sorry, this command is only for the bot's administrators."
    (feeds,) = await ask(services, private("/feeds", user=ADMIN))
    assert "No feeds" in feeds.text
    (test,) = await ask(services, private("/testalert", user=ADMIN))
    assert "TEST ALERT" in test.text
    assert "Mortar attack" in test.text
    group = Incoming(chat_id=-5, user_id=ADMIN, chat_kind="group", text="/testalert")
    (elsewhere,) = await ask(services, group)
    assert "private chat" in elsewhere.text


async def test_free_text_questions_in_english_and_arabic(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await fill(sessions)
    (count,) = await ask(services, private("How many attacks in December 2023?"))
    assert count.text == "<b>2 attacks</b> (December 2023)."
    (arabic,) = await ask(services, private("كم هجوم في كانون الأول 2023؟"))
    assert arabic.text == "<b>هجومان</b> (كانون الأول 2023)."
    (one,) = await ask(services, private("how many attacks in January 2024?"))
    assert one.text.startswith("<b>1 attack</b> (")
    (latest,) = await ask(services, private("when was the last drone attack?"))
    assert f"Incident #{ids['jan']}" in latest.text
    (listed,) = await ask(services, private("attacks with casualties since 2023"))
    assert "1–2 of 2" in listed.text
    assert f"#{ids['feb']}" in listed.text
    (claimed,) = await ask(services, private("attacks claimed by Islamic Resistance"))
    assert f"#{ids['jan']}" in claimed.text
    (paged,) = await ask(services, private("attacks since 2023"))
    ((_, data),) = paged.buttons[0]
    (page2,) = await ask(services, private("", callback_data=data))
    assert "3–4 of 5" in page2.text
    (yesterday,) = await ask(services, private("attacks yesterday"))
    assert "Attacks (2024-03-14)</b>: 1–1 of 1" in yesterday.text
    (none,) = await ask(services, private("attacks today"))
    assert "No attacks recorded (2024-03-15)" in none.text
    (hint,) = await ask(services, private("what is the capital of France?"))
    assert "I can answer questions like" in hint.text


def test_query_round_trips_through_callback_data() -> None:
    query = parse_question("rocket attacks with casualties claimed by Kataib in 2023", NOW)
    assert query is not None
    assert decode_query(encode_query(query)) == query
    assert decode_query("l|2023|x|||||") is None
    assert decode_query("garbage") is None


async def test_groups_answer_commands_and_only_addressed_text(services: Services) -> None:
    def group(text: str) -> Incoming:
        return Incoming(chat_id=-42, user_id=USER, chat_kind="supergroup", text=text)

    assert await ask(services, group("attacks this week")) == []
    assert await ask(services, group("/latest@some_other_bot")) == []
    (answer,) = await ask(services, group("@GZ_bot attacks this week"))
    assert "No attacks recorded" in answer.text
    (command,) = await ask(services, group("/latest@gz_bot"))
    assert "No attacks recorded yet" in command.text
    channel = Incoming(chat_id=-9, user_id=None, chat_kind="channel", text="attacks today")
    assert await ask(services, channel) == []


async def test_hostile_input_is_escaped_cut_and_survived(
    services: Services, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await fill(sessions)
    flood = ("<b>&amp;</b>\x00\x1b[31m" * 1000)[:10_000]
    for text in (
        flood,
        "/search " + flood,
        "/" + "a" * 40,
        "/incident " + flood,
        "/stats " + flood,
        "/recent 99999999999",
        "/settings " + flood,
        "\u202e\u200b attacks today",
    ):
        replies = await ask(services, private(text))
        assert replies, text[:40]
    for data in ("q:0:l|99999999|||||", "r:-1:5", "r:0:" + "9" * 60, "s:w:tank", "x", "f:0:"):
        (stale,) = await ask(services, private("", callback_data=data))
        assert stale.text


async def test_a_flood_from_one_user_is_limited_politely(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    settings = Settings(telegram=TelegramSettings(user_rate_per_minute=10))
    services = Services(sessions, settings, lambda: NOW)
    answers = [await respond(private("/start"), services) for _ in range(10)]
    counted = [len(a) for a in answers]
    # A burst of 5 (half a minute's allowance), one "slow down", then silence.
    assert counted == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert "too fast" in answers[5][0].text
    (other,) = await respond(private("/start", user=333), services)
    assert "Green Zone Watch" in other.text


async def test_a_broken_store_gets_an_apology(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")  # never migrated
    services = make_services(session_factory(engine))
    (reply,) = await respond(private("/latest"), services)
    assert reply.text.startswith("Sorry, something went wrong")
    await engine.dispose()


@pytest.mark.parametrize(
    ("n", "lang", "text"),
    [
        (0, "en", "0 attacks"),
        (1, "en", "1 attack"),
        (7, "en", "7 attacks"),
        (1, "ar", "هجوم واحد"),
        (2, "ar", "هجومان"),
        (3, "ar", "3 هجمات"),
        (10, "ar", "10 هجمات"),
        (11, "ar", "11 هجوماً"),
    ],
)
def test_counts_agree_with_their_number(n: int, lang: str, text: str) -> None:
    assert attacks_count(n, lang) == text


async def test_a_failed_group_admin_lookup_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    async def lookup_fails(chat_id: int, user_id: int) -> bool:
        raise TimeoutError("Telegram did not answer")

    services = make_services(sessions, group_admin=lookup_fails)
    group = Incoming(chat_id=-500, user_id=USER, chat_kind="group", text="/subscribe")
    (reply,) = await ask(services, group)
    assert "administrators" in reply.text
    row = await chat_row(sessions, -500)
    assert row is None or not row.subscribed
    assert "could not look up a group's administrators" in caplog.text
    # A settings button pressed by a member is refused the same way.
    press = replace(group, text="", callback_data="s:cas:1")
    (reply,) = await ask(services, press)
    assert "administrators" in reply.text
