"""The command line: help, version, and the global options."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import __version__
from bot.cli import main

from .conftest import SEEDS


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for word in ("check-config", "db", "--config", "--verbose", "--quiet"):
        assert word in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"greenzone-bot {__version__}"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().out


def test_verbose_and_quiet_exclude_each_other() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "-v", "-q", "check-config"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "not allowed with" in result.stderr


def test_cli_start_imports_no_heavy_library() -> None:
    # Start-up stays fast (`classify` under 1 s) only while commands import these lazily.
    probe = (
        "import sys, bot.cli; bot.cli.build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'telegram', 'httpx', 'matplotlib',"
        " 'feedparser', 'trafilatura') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_output_into_a_closed_pipe_is_no_traceback() -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "classify", *[str(p) for p in SEEDS.glob("*.txt")] * 40],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in result.stderr
