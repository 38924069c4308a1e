"""`greenzone-bot run [--once]`: the whole service in one process (see bot.app)."""

from __future__ import annotations

import argparse

from bot.commands import CommandContext, Subparsers, add_command


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "run",
        run,
        "run the service: poll feeds, send alerts, answer the bot (console without a token)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="poll every feed once, deliver the resulting alerts, and exit",
    )


def run(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.app import run as run_service

    return run_service(context.settings(), once=args.once)
