"""`greenzone-bot poll` and `greenzone-bot feeds ...` end to end, on SQLite and loopback."""

from __future__ import annotations

import socket
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from feeds.opml import parse_opml
from tests.feedserver import DATA, FeedServer, Route, fixture


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture
def config(tmp_path: Path, server: FeedServer) -> Path:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/rss"
    wire = server.add("/rss", Route(body=fixture("rss20.xml"), etag='"1"'))
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "store.db"}"\n\n'
        '[polling]\nread_timeout = "1s"\n\n'
        f'[[feeds]]\nname = "wire"\nurl = "{wire}"\n\n'
        f'[[feeds]]\nname = "dead"\nurl = "{refused}"\nlanguage = "ar"\n',
        encoding="utf-8",
    )
    return path


def test_poll_once_then_status(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "--config", str(config), "poll", "--once"]) == 0
    out = capsys.readouterr().out
    assert "  wire: 2 new, 0 edited" in out
    assert "  dead: FAILED: connection refused" in out
    assert "polled 2 feeds: 2 new articles, 0 edited; 0 unchanged, 0 not modified, 1 failed" in out
    assert "classified 2 articles" in out or "not classified" in out
    assert main(["-q", "--config", str(config), "poll", "--once", "--feed", "wire"]) == 0
    assert "  wire: not modified (304)" in capsys.readouterr().out
    assert main(["-q", "--config", str(config), "poll", "--once", "--feed", "dead"]) == 1
    capsys.readouterr()
    assert main(["-q", "--config", str(config), "feeds", "status"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["NAME", "URL", "STATE"]
    dead = next(line for line in table if line.startswith("dead "))
    assert "connection refused" in dead
    assert " 2 " in dead  # two failures in a row
    wire = next(line for line in table if line.startswith("wire "))
    assert wire.rstrip().endswith("2")  # entries, no error


def test_import_prints_toml_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "import", str(DATA / "feeds.opml")]) == 0
    parsed = tomllib.loads(capsys.readouterr().out)
    assert parsed["feeds"] == [
        {"name": 'Shafaq "News"', "url": "https://shafaq.example/rss", "language": "ar"},
        {"name": "Wire", "url": "https://wire.example/feed.xml"},
        {"name": "Wire (2)", "url": "https://wire2.example/feed.xml"},
    ]


def test_import_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "import", str(DATA / "entity_bomb.xml")]) == 2
    assert "not a readable OPML file" in capsys.readouterr().err
    assert main(["feeds", "import", str(tmp_path / "none.opml")]) == 2
    assert main(["feeds", "import", str(DATA / "rss20.xml")]) == 2


def test_export_round_trips(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "--config", str(config), "feeds", "export"]) == 0
    exported = parse_opml(capsys.readouterr().out.encode())
    assert [(f.name, f.language) for f in exported] == [("wire", None), ("dead", "ar")]
