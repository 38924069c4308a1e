"""Chat settings: /settings arguments, quiet hours in the chat's zone, filters, rate limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.errors import InputError
from bot.ratelimit import UserRateLimiter, take
from bot.records import IncidentView
from bot.subscriptions import ChatSettings, is_quiet, parse_settings_args, wants_alert

T0 = datetime(2024, 3, 14, 12, 0, tzinfo=UTC)


def view(**changes: object) -> IncidentView:
    values: dict[str, object] = {
        "id": 1,
        "zone": "baghdad-iz",
        "date": date(2024, 3, 14),
        "weapon": "rocket",
        "projectiles": 3,
        "intercepted": None,
        "killed": None,
        "injured": None,
        "target": "US embassy",
        "claimed_by": None,
        "damage": None,
        "location": None,
        "version": 1,
        "first_published": T0,
        "last_published": T0,
    }
    values.update(changes)
    return IncidentView(**values)  # type: ignore[arg-type]


def test_settings_arguments_apply_in_order() -> None:
    settings = parse_settings_args(
        "weapons rockets,drone casualties on min 2 quiet 23:00-7:00 tz europe/london lang AR",
        ChatSettings(),
    )
    assert settings == ChatSettings(
        weapons=("rocket", "drone"),
        casualties_only=True,
        min_projectiles=2,
        quiet_start="23:00",
        quiet_end="07:00",
        timezone="Europe/London",
        language="ar",
    )
    cleared = parse_settings_args("weapons all quiet off casualties off", settings)
    assert (cleared.weapons, cleared.quiet_start, cleared.casualties_only) == ((), None, False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("weapons tanks", "unknown weapon"),
        ("casualties maybe", "expected on or off"),
        ("min -1", "expected a number"),
        ("min 1000", "expected a number"),
        ("quiet 25:00-07:00", "expected a time"),
        ("quiet 07:00-07:00", "different times"),
        ("quiet 23:00", "expected quiet hours"),
        ("tz Mars/Olympus", "unknown time zone"),
        ("tz <script>", "expected a time zone"),
        ("lang fr", "expected a language"),
        ("colour blue", "unknown setting"),
        ("lang", "expected a value"),
    ],
)
def test_invalid_settings_are_refused_with_a_reason(args: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_settings_args(args, ChatSettings())


def test_quiet_hours_wrap_midnight_in_the_chats_zone() -> None:
    settings = ChatSettings(quiet_start="23:00", quiet_end="07:00", timezone="Europe/London")
    # 14 March: London is on GMT (UTC+0).
    assert is_quiet(settings, datetime(2024, 3, 14, 23, 30, tzinfo=UTC))
    assert is_quiet(settings, datetime(2024, 3, 14, 6, 59, tzinfo=UTC))
    assert not is_quiet(settings, datetime(2024, 3, 14, 7, 0, tzinfo=UTC))
    assert not is_quiet(settings, datetime(2024, 3, 14, 22, 59, tzinfo=UTC))
    # In July London is UTC+1: 22:30 UTC is 23:30 local.
    assert is_quiet(settings, datetime(2024, 7, 1, 22, 30, tzinfo=UTC))


def test_quiet_hours_within_one_day_and_default_zone() -> None:
    settings = ChatSettings(quiet_start="13:00", quiet_end="15:00")
    assert is_quiet(settings, datetime(2024, 3, 14, 10, 0, tzinfo=UTC))  # 13:00 Baghdad
    assert not is_quiet(settings, datetime(2024, 3, 14, 12, 0, tzinfo=UTC))  # 15:00 Baghdad
    assert not is_quiet(ChatSettings(), T0)


def test_filters() -> None:
    assert wants_alert(ChatSettings(), view())
    assert not wants_alert(ChatSettings(weapons=("drone",)), view())
    assert wants_alert(ChatSettings(weapons=("unknown",)), view(weapon=None))
    assert not wants_alert(ChatSettings(casualties_only=True), view())
    assert not wants_alert(ChatSettings(casualties_only=True), view(killed=0, injured=0))
    assert wants_alert(ChatSettings(casualties_only=True), view(killed=None, injured=2))
    assert wants_alert(ChatSettings(min_projectiles=3), view())
    assert not wants_alert(ChatSettings(min_projectiles=4), view())
    assert not wants_alert(ChatSettings(min_projectiles=1), view(projectiles=None))


def test_token_bucket_warns_once_then_drops_then_recovers() -> None:
    decisions = []
    bucket = None
    for _ in range(5):
        decision, bucket = take(bucket, T0, rate_per_minute=60, burst=3)
        decisions.append(decision)
    assert decisions == ["allow", "allow", "allow", "warn", "drop"]
    assert bucket is not None
    decision, bucket = take(bucket, T0 + timedelta(seconds=1), rate_per_minute=60, burst=3)
    assert decision == "allow"
    assert not bucket.warned


def test_limiter_keeps_users_apart_and_bounded() -> None:
    limiter = UserRateLimiter(max_users=2)
    # A burst of half a minute's allowance (10), then one warning.
    for _ in range(11):
        limiter.check(1, T0, rate_per_minute=20)
    assert limiter.check(1, T0, rate_per_minute=20)[0] == "drop"
    assert limiter.check(2, T0, rate_per_minute=20)[0] == "allow"
    limiter.check(3, T0, rate_per_minute=20)
    # User 1 was the least recently seen of three: forgotten, so allowed afresh.
    decision, wait = limiter.check(1, T0, rate_per_minute=20)
    assert decision == "allow"
    assert wait >= 1
