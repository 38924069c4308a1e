"""Settings: one TOML file, validated once at start-up into immutable typed records.

Nothing here runs at import time; `load_settings` is called by the CLI. The bot token is never
part of the file: `[telegram] token_env` names the environment variable that holds it.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import ConfigError
from bot.zones import DEFAULT_ZONES, Landmark, Zone

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> timedelta:
    """Read "90s", "5m", "1h", "2d" (or a bare number of seconds) as a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError(f'expected a duration like "90s", "5m" or "1h", found {value!r}')
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise ValueError(f'expected a duration like "90s", "5m" or "1h", found {value!r}')
    if seconds < 0:
        raise ValueError(f"expected a duration that is not negative, found {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or (parts.scheme != "file" and not parts.netloc):
        raise ValueError(f"expected a {'/'.join(schemes)} URL, found {value!r}")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BroadcastChat(_Section):
    """A group or channel that receives every alert (optionally in one forum topic)."""

    chat_id: int
    message_thread_id: int | None = None
    title: str = ""


class TelegramSettings(_Section):
    token_env: str = "TELEGRAM_BOT_TOKEN"
    api_base_url: str | None = None
    admins: tuple[int, ...] = ()
    chats: tuple[BroadcastChat, ...] = ()
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Free-text and command messages one user may send per minute before being told to slow down.
    user_rate_per_minute: int = Field(default=20, ge=1)

    @field_validator("api_base_url", "webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value, ("http", "https"))

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(f"expected an environment variable name, found {value!r}")
        return value

    def token(self) -> str | None:
        """The bot token from the environment, or None for the offline console transport."""
        return os.environ.get(self.token_env) or None


def default_database_url() -> str:
    """SQLite file under the user's data directory (XDG_DATA_HOME, else ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite+aiosqlite:///{Path(base) / 'greenzone-bot' / 'greenzone.db'}"


class DatabaseSettings(_Section):
    url: str = Field(default_factory=default_database_url)
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected a sqlite+aiosqlite:// or postgresql+asyncpg:// URL, "
                f"found {value.split('://')[0]!r}"
            )
        return value


class PollingSettings(_Section):
    interval: Duration = timedelta(minutes=5)
    min_interval: Duration = timedelta(seconds=30)
    jitter: float = Field(default=0.1, ge=0, le=0.5)
    connect_timeout: Duration = timedelta(seconds=10)
    read_timeout: Duration = timedelta(seconds=20)
    total_timeout: Duration = timedelta(seconds=60)
    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    max_concurrency: int = Field(default=20, ge=1)
    per_host_concurrency: int = Field(default=2, ge=1)
    backoff_cap: Duration = timedelta(hours=6)
    # A feed failing this many times in a row, for at least `failure_period`, is deactivated.
    max_consecutive_failures: int = Field(default=20, ge=1)
    failure_period: Duration = timedelta(days=3)
    user_agent: str = "GreenZoneWatch/{version} (+{contact})"
    contact_url: str = "https://github.com/greenzone-watch/greenzone-bot"

    @model_validator(mode="after")
    def _positive_interval(self) -> PollingSettings:
        if self.interval < self.min_interval:
            raise ValueError(
                f"interval: expected at least min_interval "
                f"({self.min_interval.total_seconds():g}s), "
                f"found {self.interval.total_seconds():g}s"
            )
        return self


class FeedSettings(_Section):
    name: str = Field(min_length=1)
    url: str
    interval: Duration | None = None
    language: Literal["en", "ar"] | None = None
    full_text: bool = False

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value, ("http", "https", "file"))

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value <= timedelta(0):
            raise ValueError(f"expected a positive duration, found {value.total_seconds():g}s")
        return value


class AlertSettings(_Section):
    # Only entries published this recently may raise an alert (first sight of a feed, replays).
    max_age: Duration = timedelta(hours=6)
    # Reports published this far apart can still be one incident.
    grouping_window: Duration = timedelta(hours=72)
    global_rate: float = Field(default=30.0, gt=0)
    per_chat_interval: Duration = timedelta(seconds=1)
    group_rate_per_minute: int = Field(default=20, ge=1)
    max_attempts: int = Field(default=8, ge=1)
    send_interval: Duration = timedelta(seconds=2)


class LandmarkSettings(_Section):
    name: str
    target: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    aliases: tuple[str, ...] = ()


class ZoneSettings(_Section):
    key: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    aliases: tuple[str, ...] = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    landmarks: tuple[LandmarkSettings, ...] = ()
    excluded: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    city_aliases: tuple[str, ...] = ()
    # Other cities with a zone of the same name: a story set there owns its zone names.
    rivals: tuple[str, ...] = ()

    def to_zone(self) -> Zone:
        return Zone(
            key=self.key,
            name=self.name,
            aliases=self.aliases,
            landmarks=tuple(
                Landmark(lm.name, lm.target, lm.lat, lm.lon, lm.aliases or (lm.name,))
                for lm in self.landmarks
            ),
            lat=self.lat,
            lon=self.lon,
            excluded=self.excluded,
            near=self.near,
            city_aliases=self.city_aliases,
            rivals=self.rivals,
        )


class ClassifierSettings(_Section):
    threshold: float = Field(default=0.5, ge=0, le=1)
    include_default_zone: bool = True
    zones: tuple[ZoneSettings, ...] = ()

    def all_zones(self) -> tuple[Zone, ...]:
        extra = tuple(z.to_zone() for z in self.zones)
        return (DEFAULT_ZONES if self.include_default_zone else ()) + extra


class MonitoringSettings(_Section):
    enabled: bool = False
    listen: str = "127.0.0.1:9108"

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"expected HOST:PORT, found {value!r}")
        return value


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class Settings(_Section):
    telegram: TelegramSettings = TelegramSettings()
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    polling: PollingSettings = PollingSettings()
    feeds: tuple[FeedSettings, ...] = ()
    alerts: AlertSettings = AlertSettings()
    classifier: ClassifierSettings = ClassifierSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    logging: LoggingSettings = LoggingSettings()
    # Where the settings came from, for messages; not a key of the file.
    source: str = Field(default="<built-in defaults>", exclude=True)

    @model_validator(mode="after")
    def _unique_feeds(self) -> Settings:
        seen: dict[str, int] = {}
        for index, feed in enumerate(self.feeds):
            if feed.name in seen:
                raise ValueError(
                    f"feeds[{index}].name: expected a unique name, found {feed.name!r} "
                    f"again (first at feeds[{seen[feed.name]}])"
                )
            seen[feed.name] = index
        return self


def bundled_seed_feed() -> Path:
    """The RSS feed of the five seed reports that ships inside the package."""
    return Path(__file__).parent / "data" / "seed-feed.xml"


def builtin_settings() -> Settings:
    """The offline demo: the bundled seed feed, SQLite, and no age limit on alerts.

    The seeds are historical (2019-2023), so the demo lifts `alerts.max_age` to let them alert.
    """
    return Settings(
        feeds=(FeedSettings(name="seeds", url=bundled_seed_feed().as_uri(), language="en"),),
        alerts=AlertSettings(max_age=timedelta(days=36500)),
    )


def _format_loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def _describe(error: Any) -> str:
    kind = error["type"]
    found = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (not one of this section's settings)"
    if kind == "missing":
        return "expected a value, found nothing (the key is required)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if "found" in message:
        return message
    return f"{message[0].lower()}{message[1:]}, found {found!r}"


def settings_from_mapping(data: dict[str, Any], source: str) -> Settings:
    """Validate a parsed TOML document; raise ConfigError with one line per the first problem."""
    if "source" in data:
        raise ConfigError(f"{source}: source: unknown key (not one of the file's sections)")
    try:
        return Settings.model_validate({**data, "source": source})
    except ValidationError as exc:
        # A misspelt key also makes the real key "missing": name the misspelling first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise ConfigError(f"{source}: {_locate(errors[0])}") from None


_KEYED_MESSAGE = re.compile(r"^([A-Za-z_][\w\[\]\.]*): (.*)$")


def _locate(error: Any) -> str:
    """ "key.path: problem", folding a key named inside a model-level message into the path."""
    path = _format_loc(tuple(part for part in error["loc"] if part != "__root__"))
    problem = _describe(error)
    if match := _KEYED_MESSAGE.match(problem):
        inner, problem = match.groups()
        path = inner if path == "(top level)" else f"{path}.{inner}"
    return f"{path}: {problem}"


def load_settings(path: Path | None) -> Settings:
    """Read and validate the TOML file at `path`, or the built-in defaults when None."""
    if path is None:
        return builtin_settings()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: expected UTF-8 text, found undecodable bytes") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return settings_from_mapping(data, str(path))


def resolve_config_path(explicit: Path | None) -> Path | None:
    """The --config path, else ./config.toml when present, else None (built-in defaults)."""
    if explicit is not None:
        return explicit
    local = Path("config.toml")
    return local if local.is_file() else None
