"""Chat settings: parse and validate /settings arguments, filters and quiet hours (all pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InputError
from bot.records import WEAPONS, IncidentView
from bot.store.models import Chat

LANGUAGES = ("en", "ar")
DEFAULT_TIMEZONE = "Asia/Baghdad"
MAX_MIN_PROJECTILES = 100


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """What one chat wants: filters, quiet hours in its own time zone, and its language."""

    weapons: tuple[str, ...] = ()
    casualties_only: bool = False
    min_projectiles: int = 0
    quiet_start: str | None = None
    quiet_end: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    language: str = "en"


def settings_of(chat: Chat) -> ChatSettings:
    """The settings stored on a chat row (defaults where a column is unset)."""
    return ChatSettings(
        weapons=tuple(str(w) for w in (chat.weapons or ()) if w in WEAPONS),
        casualties_only=bool(chat.casualties_only),
        min_projectiles=chat.min_projectiles or 0,
        quiet_start=chat.quiet_start,
        quiet_end=chat.quiet_end,
        timezone=chat.timezone or DEFAULT_TIMEZONE,
        language=chat.language if chat.language in LANGUAGES else "en",
    )


def store_settings(chat: Chat, settings: ChatSettings) -> None:
    """Copy settings onto a chat row (the caller's unit of work commits them)."""
    chat.weapons = list(settings.weapons)
    chat.casualties_only = settings.casualties_only
    chat.min_projectiles = settings.min_projectiles
    chat.quiet_start = settings.quiet_start
    chat.quiet_end = settings.quiet_end
    chat.timezone = settings.timezone
    chat.language = settings.language


_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)$")
_ON = frozenset({"on", "yes", "true", "1", "نعم", "تشغيل"})
_OFF = frozenset({"off", "no", "false", "0", "none", "all", "لا", "ايقاف", "إيقاف"})
_KEYS = {
    "weapons": "weapons",
    "weapon": "weapons",
    "casualties": "casualties",
    "casualties_only": "casualties",
    "min": "min",
    "min_projectiles": "min",
    "projectiles": "min",
    "quiet": "quiet",
    "quiet_hours": "quiet",
    "tz": "timezone",
    "timezone": "timezone",
    "lang": "language",
    "language": "language",
}


def parse_time_of_day(value: str) -> str:
    """ "7:00", "0700", "23.30" as canonical "HH:MM"; InputError otherwise."""
    match = _HHMM.match(value.strip())
    if match is None:
        raise InputError(f"expected a time like 23:00, found {value[:20]!r}")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_timezone(value: str) -> str:
    """An IANA time zone name (case-insensitive), canonically spelt; InputError otherwise."""
    name = value.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-/]{0,63}", name):
        raise InputError(f"expected a time zone like Europe/London, found {name[:40]!r}")
    lowered = name.lower()
    for candidate in _zone_names():
        if candidate.lower() == lowered:
            return candidate
    raise InputError(f"unknown time zone {name!r} (use a name like Asia/Baghdad or Europe/London)")


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def _parse_weapons(value: str) -> tuple[str, ...]:
    if value.lower() in _OFF:
        return ()
    chosen = []
    for word in re.split(r"[,\s]+", value.lower().strip()):
        if not word:
            continue
        name = word.rstrip("s") if word.rstrip("s") in WEAPONS else word
        if name not in WEAPONS:
            raise InputError(f"unknown weapon {word[:20]!r}: choose from {', '.join(WEAPONS)}")
        if name not in chosen:
            chosen.append(name)
    return tuple(w for w in WEAPONS if w in chosen)


def _parse_switch(value: str) -> bool:
    if value.lower() in _ON:
        return True
    if value.lower() in _OFF:
        return False
    raise InputError(f"expected on or off, found {value[:20]!r}")


def _parse_quiet(value: str) -> tuple[str | None, str | None]:
    if value.lower() in _OFF:
        return None, None
    start, sep, end = value.partition("-")
    if not sep:
        raise InputError(f"expected quiet hours like 23:00-07:00 or off, found {value[:20]!r}")
    first, last = parse_time_of_day(start), parse_time_of_day(end)
    if first == last:
        raise InputError("quiet hours must start and end at different times")
    return first, last


def _apply(settings: ChatSettings, key: str, value: str) -> ChatSettings:
    if key == "weapons":
        return replace(settings, weapons=_parse_weapons(value))
    if key == "casualties":
        return replace(settings, casualties_only=_parse_switch(value))
    if key == "min":
        if not value.isdigit() or int(value) > MAX_MIN_PROJECTILES:
            raise InputError(
                f"expected a number from 0 to {MAX_MIN_PROJECTILES}, found {value[:20]!r}"
            )
        return replace(settings, min_projectiles=int(value))
    if key == "quiet":
        start, end = _parse_quiet(value)
        return replace(settings, quiet_start=start, quiet_end=end)
    if key == "timezone":
        return replace(settings, timezone=parse_timezone(value))
    if value.lower() not in LANGUAGES:
        raise InputError(f"expected a language en or ar, found {value[:20]!r}")
    return replace(settings, language=value.lower())


def parse_settings_args(args: str, current: ChatSettings) -> ChatSettings:
    """Apply "key value" pairs ("casualties on quiet 23:00-07:00 lang ar") to `current`.

    Weapons take a comma-separated list ("weapons rocket,drone" or "weapons all").
    Raises InputError with a short message on the first invalid key or value.
    """
    tokens = args.split()
    settings = current
    index = 0
    while index < len(tokens):
        key = _KEYS.get(tokens[index].lower().lstrip("-"))
        if key is None:
            raise InputError(
                f"unknown setting {tokens[index][:20]!r}: "
                "use weapons, casualties, min, quiet, tz or lang"
            )
        if index + 1 >= len(tokens):
            raise InputError(f"{tokens[index][:20]}: expected a value")
        settings = _apply(settings, key, tokens[index + 1])
        index += 2
    return settings


def zone_of(settings: ChatSettings) -> ZoneInfo:
    """The chat's time zone; Baghdad if the stored name no longer resolves."""
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _clock(value: str) -> time | None:
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def in_quiet_hours(start: str | None, end: str | None, timezone: str, now: datetime) -> bool:
    """True when `now`, in `timezone`, falls in [start, end), which may wrap midnight."""
    begin = _clock(start) if start else None
    finish = _clock(end) if end else None
    if begin is None or finish is None or begin == finish:
        return False
    local = now.astimezone(zone_of(ChatSettings(timezone=timezone))).time()
    local = local.replace(second=0, microsecond=0, tzinfo=None)
    if begin < finish:
        return begin <= local < finish
    return local >= begin or local < finish


def passes_filters(
    weapons: tuple[str, ...],
    casualties_only: bool,
    min_projectiles: int,
    *,
    weapon: str | None,
    projectiles: int | None,
    killed: int | None,
    injured: int | None,
) -> bool:
    """Whether an incident's headline passes a chat's filters.

    An unknown projectile count fails a minimum; unknown casualties fail "casualties only":
    a subscriber who asked for those filters asked not to be woken on a guess.
    """
    if weapons and (weapon or "unknown") not in weapons:
        return False
    if casualties_only and not (killed or 0) + (injured or 0) > 0:
        return False
    return not (min_projectiles > 0 and (projectiles is None or projectiles < min_projectiles))


def is_quiet(settings: ChatSettings, now: datetime) -> bool:
    """Whether `now` falls in the chat's quiet hours (alerts then arrive silently)."""
    return in_quiet_hours(settings.quiet_start, settings.quiet_end, settings.timezone, now)


def wants_alert(settings: ChatSettings, view: IncidentView) -> bool:
    """Whether an incident passes the chat's filters."""
    return passes_filters(
        settings.weapons,
        settings.casualties_only,
        settings.min_projectiles,
        weapon=view.weapon,
        projectiles=view.projectiles,
        killed=view.killed,
        injured=view.injured,
    )
