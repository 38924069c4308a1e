"""Subcommands of the CLI, one module each, and the context they share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings, load_settings, resolve_config_path
from bot.logs import configure_logging

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:  # the class is not subscriptable at run time before Python 3.12
    Subparsers = argparse._SubParsersAction
Handler = Callable[[argparse.Namespace, "CommandContext"], int]


@dataclass
class CommandContext:
    """What every subcommand may need: the settings, loaded and validated once on first use."""

    config_path: Path | None = None
    log_level: str | None = None
    log_format: str | None = None
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(resolve_config_path(self.config_path))
            token = self._settings.telegram.token()
            configure_logging(
                level=self.log_level or self._settings.logging.level,
                fmt=self.log_format or self._settings.logging.format,
                secrets=(token,) if token else (),
            )
        return self._settings


def add_command(subparsers: Any, name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=handler)
    return parser


def iso_date(value: str) -> date:
    """An argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = f"expected a date like 2023-12-08, found {value!r}"
        raise argparse.ArgumentTypeError(message) from None
