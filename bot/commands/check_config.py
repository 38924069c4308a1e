"""`greenzone-bot check-config [PATH]`: validate a settings file and say what it configures."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands import CommandContext, Subparsers, add_command
from bot.config import load_settings, resolve_config_path


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "check-config",
        check_config,
        "validate a settings file (exit 2 if invalid)",
    )
    parser.add_argument("path", nargs="?", type=Path, help="file to check (default: --config)")


def check_config(args: argparse.Namespace, context: CommandContext) -> int:
    path = args.path or resolve_config_path(context.config_path)
    settings = load_settings(path)
    token_state = "set" if settings.telegram.token() else "not set: console transport"
    print(f"{settings.source}: OK")
    print(f"  feeds: {len(settings.feeds)} ({sum(f.full_text for f in settings.feeds)} full text)")
    print(f"  database: {settings.database.url.split('://')[0]}")
    print(f"  zones: {', '.join(z.key for z in settings.classifier.all_zones())}")
    print(f"  telegram token (${settings.telegram.token_env}): {token_state}")
    return 0
