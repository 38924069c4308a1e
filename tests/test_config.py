"""Settings: validated once, one clear line per problem, secrets never in the file."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.config import builtin_settings, load_settings, parse_duration
from bot.errors import ConfigError

from .conftest import REPO

VALID = """
[database]
url = "sqlite+aiosqlite:///tmp/x.db"

[[feeds]]
name = "one"
url = "https://example.org/feed.xml"

[[feeds]]
name = "two"
url = "https://example.org/two.xml"
interval = "90s"
language = "ar"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid() -> None:
    settings = load_settings(REPO / "config.example.toml")
    assert len(settings.feeds) >= 6
    assert {feed.language for feed in settings.feeds} == {"en", "ar"}
    assert settings.polling.interval == timedelta(minutes=5)


def test_valid_file_reads_typed_values(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert settings.feeds[1].interval == timedelta(seconds=90)
    assert settings.feeds[1].language == "ar"
    assert settings.feeds[0].interval is None
    assert settings.database.url.endswith("/tmp/x.db")


def test_settings_are_immutable(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    with pytest.raises(Exception, match="frozen"):
        settings.feeds[0].name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        ('url = "https://example.org/two.xml"', 'ur = "x"', "feeds[1].ur", "unknown key"),
        ("https://example.org/feed.xml", "not a url", "feeds[0].url", "a http/https/file URL"),
        ('interval = "90s"', 'interval = "-5m"', "feeds[1].interval", "expected a duration"),
        ('interval = "90s"', "interval = -5", "feeds[1].interval", "not negative"),
        ('url = "https://example.org/feed.xml"\n', "", "feeds[0].url", "required"),
        ('name = "two"', 'name = "one"', "feeds[1].name", "unique"),
        ('language = "ar"', 'language = "fr"', "feeds[1].language", "'en' or 'ar'"),
        ("sqlite+aiosqlite", "mysql", "database.url", "expected a sqlite"),
        ("[database]", '[telegram]\ntoken = "123456:ABC"\n[database]', "telegram.token", "unknown"),
        ("[database]", '[polling]\ninterval = "10s"\n[database]', "polling.interval", "30s"),
    ],
)
def test_invalid_file_names_key_expected_and_found(
    tmp_path: Path, old: str, new: str, key: str, expected: str
) -> None:
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ")
    assert expected in message
    assert "\n" not in message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[feeds\nname="))
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_settings(tmp_path / "absent.toml")


def test_cli_exit_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("https://example.org/feed.xml", "ftp://example.org/x"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "feeds[0].url" in lines[0]
    assert "ftp://example.org/x" in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_check_config_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(write(tmp_path, VALID))]) == 0
    assert "OK" in capsys.readouterr().out


def test_token_comes_from_the_named_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(write(tmp_path, VALID + '\n[telegram]\ntoken_env = "GZ_TOKEN"\n'))
    monkeypatch.delenv("GZ_TOKEN", raising=False)
    assert settings.telegram.token() is None
    monkeypatch.setenv("GZ_TOKEN", "123456789:secret")
    assert settings.telegram.token() == "123456789:secret"
    assert "secret" not in repr(settings)


def test_builtin_defaults_use_the_bundled_seed_feed() -> None:
    settings = builtin_settings()
    (feed,) = settings.feeds
    assert feed.url.startswith("file://")
    bundled = Path(feed.url.removeprefix("file://"))
    assert bundled.read_bytes() == (REPO / "seeds" / "feed.xml").read_bytes()
    assert settings.database.url.startswith("sqlite+aiosqlite:///")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("5m", 300), ("1h", 3600), ("2d", 172800), ("500ms", 0.5), (45, 45)],
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["5", "5 minutes", "m5", "-1s", "", True])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["s", "m", "h", "d"]))
def test_any_whole_duration_reads_back(amount: int, unit: str) -> None:
    factor = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    assert parse_duration(f"{amount}{unit}") == timedelta(seconds=amount * factor)


def test_operator_zones_come_from_the_file(tmp_path: Path) -> None:
    zone_toml = """
[[classifier.zones]]
key = "fort-alpha"
name = "Fort Alpha"
aliases = ["Fort Alpha"]
lat = 1.0
lon = 2.0
city_aliases = ["Testland"]
rivals = ["Otherland"]
[[classifier.zones.landmarks]]
name = "North gate"
target = "north gate"
lat = 1.01
lon = 2.01
"""
    settings = load_settings(write(tmp_path, VALID + zone_toml))
    keys = [zone.key for zone in settings.classifier.all_zones()]
    assert keys == ["baghdad-iz", "fort-alpha"]
    zone = settings.classifier.all_zones()[1]
    assert zone.rivals == ("Otherland",)
    assert zone.city_aliases == ("Testland",)
    assert zone.landmarks[0].aliases == ("North gate",)
