"""Alert rendering: fields, never a made-up zero, escaping, the length limit, both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.alerts import render_alert, render_plain, render_update, visible_length
from bot.records import IncidentView, Location, SourceRef
from tests.fakebotapi import parse_entities, utf16_len

PUBLISHED = datetime(2023, 12, 8, 7, 30, tzinfo=UTC)


def _view(**changes: object) -> IncidentView:
    base = IncidentView(
        id=12,
        zone="baghdad-iz",
        date=date(2023, 12, 8),
        weapon="rocket",
        projectiles=3,
        intercepted=1,
        killed=None,
        injured=None,
        target="US embassy",
        claimed_by=None,
        damage=None,
        location=Location("US embassy", 33.299, 44.396),
        version=2,
        first_published=PUBLISHED,
        last_published=PUBLISHED,
        sources=(
            SourceRef("Wire One", "https://one.example/a?x=1&y=2", "Rockets hit", PUBLISHED),
            SourceRef("Daily Two", "https://two.example/b", "Embassy attacked", PUBLISHED),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_alert_carries_every_field() -> None:
    html = render_alert(_view())
    text = parse_entities(html)
    assert "Rocket attack on the Green Zone" in text
    assert "8 Dec 2023" in text
    assert "10:30 Baghdad time (07:30 UTC)" in text
    assert "Projectiles: 3" in text
    assert "Intercepted: 1" in text
    assert "Casualties: casualties unknown" in text
    assert "Target: US embassy" in text
    assert "https://www.openstreetmap.org/?mlat=33.29900&amp;mlon=44.39600" in html
    assert "no claim of responsibility reported" in text
    assert '<a href="https://one.example/a?x=1&amp;y=2">Wire One</a>' in html
    assert '<a href="https://two.example/b">Daily Two</a>' in html
    assert "Incident #12" in text


@pytest.mark.parametrize(
    ("killed", "injured", "expected"),
    [
        (0, 0, "no casualties reported"),
        (None, None, "casualties unknown"),
        (2, None, "2 killed, unknown injured"),
        (0, 5, "0 killed, 5 injured"),
    ],
)
def test_casualties_are_never_made_up(
    killed: int | None, injured: int | None, expected: str
) -> None:
    text = parse_entities(render_alert(_view(killed=killed, injured=injured)))
    assert f"Casualties: {expected}" in text


def test_unknown_counts_say_not_reported_rather_than_zero() -> None:
    text = parse_entities(render_alert(_view(projectiles=None, intercepted=None, weapon=None)))
    assert "Attack on the Green Zone" in text
    assert "Projectiles: not reported" in text
    assert "Intercepted: not reported" in text
    assert ": 0" not in text


def test_feed_text_is_escaped() -> None:
    hostile = _view(
        claimed_by="<script>alert(1)</script> & Co",
        damage="<b>cars</b> burnt > 2",
        target="<i>gate</i>",
        sources=(
            SourceRef("<Evil & Sons>", "javascript:alert(1)", "t", PUBLISHED),
            SourceRef('Quote"d', 'https://q.example/"><b>x', "t", PUBLISHED),
        ),
    )
    html = render_alert(hostile)
    text = parse_entities(html)  # raises if Telegram would refuse it
    assert "<script>alert(1)</script> & Co" in text
    assert "<Evil & Sons>" in text
    assert "javascript:" not in html


def test_long_source_lists_are_trimmed_within_the_limit() -> None:
    many = tuple(
        SourceRef(f"Outlet {i} " + "x" * 60, f"https://n{i}.example/{'p' * 150}", "t", PUBLISHED)
        for i in range(400)
    )
    html = render_alert(_view(sources=many, damage="d" * 5000))
    text = parse_entities(html)
    assert utf16_len(text) <= 4096
    assert visible_length(html) == utf16_len(text)
    assert "more" in text
    shown = html.count('<a href="https://n')
    assert 0 < shown < 400
    assert f"+{400 - shown} more" in text


def test_arabic_rendering() -> None:
    html = render_alert(_view(killed=0, injured=0), lang="ar")
    text = parse_entities(html)
    assert "هجوم صاروخي على المنطقة الخضراء" in text
    assert "لم ترد تقارير عن إصابات" in text
    assert "8 كانون الأول 2023" in text


def test_a_known_claimant_is_named_in_the_chats_language() -> None:
    claimed = _view(claimed_by="Kataib Hezbollah")
    assert "كتائب حزب الله" in render_alert(claimed, lang="ar")
    assert "Kataib Hezbollah" in render_alert(claimed, lang="en")
    assert "كتائب حزب الله" in render_update(claimed, ["claimed_by"], lang="ar")


def test_test_alerts_are_marked() -> None:
    text = parse_entities(render_alert(_view(), test=True))
    assert text.startswith("🧪 TEST ALERT")
    assert text.count("TEST ALERT") == 2


def test_update_reply_names_the_news() -> None:
    view = _view(claimed_by="Some Group", killed=1, injured=4)
    text = parse_entities(render_update(view, ("claimed_by", "killed")))
    assert "Update on incident #12" in text
    assert "Claimed by: Some Group" in text
    assert "Casualties now: 1 killed, 4 injured" in text


def test_plain_rendering_for_the_console() -> None:
    plain = render_plain(render_alert(_view(claimed_by="A & B")))
    assert "<b>" not in plain
    assert "Claimed by: A & B" in plain
    assert "Wire One (https://one.example/a?x=1&y=2)" in plain
