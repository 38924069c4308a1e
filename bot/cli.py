"""The `greenzone-bot` command line: global options, then one subcommand per job.

Each subcommand lives in `bot.commands.<name>` and exposes `register(subparsers)`; its handler
takes the parsed arguments and a `CommandContext` and returns the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.commands import CommandContext
from bot.errors import ConfigError, InputError
from bot.logs import configure_logging

# Order is the order of `--help`.
COMMAND_MODULES: tuple[str, ...] = (
    "check_config",
    "db",
    "classify",
    "replay",
    "incidents",
    "poll",
    "feeds",
    "run",
    "export",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greenzone-bot",
        description="Watch news feeds for attacks on Baghdad's Green Zone and alert Telegram.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="TOML settings (default: ./config.toml if present, else built-in offline defaults)",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    verbosity.add_argument(
        "-q", "--quiet", action="store_true", help="log warnings and errors only"
    )
    parser.add_argument(
        "--log-format", choices=("text", "json"), help="log line format (default from config)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.commands.{name}").register(subparsers)
    return parser


def _log_level(args: argparse.Namespace) -> str | None:
    if args.verbose:
        return "DEBUG"
    if args.quiet:
        return "WARNING"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    context = CommandContext(
        config_path=args.config, log_level=_log_level(args), log_format=args.log_format
    )
    configure_logging(level=context.log_level or "INFO", fmt=context.log_format or "text")
    try:
        status: int = args.handler(args, context)
    except (ConfigError, InputError) as exc:
        print(f"greenzone-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` that stopped reading: quietly done, as the docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def entrypoint() -> None:
    sys.exit(main())
