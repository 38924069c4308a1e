"""One exception tree for everything Green Zone Watch raises on purpose."""

from __future__ import annotations


class GreenZoneError(Exception):
    """Base of every error this project raises deliberately."""


class ConfigError(GreenZoneError):
    """The configuration file is missing, unreadable or invalid.

    The message is one line meant for the operator: file, key path, expected, found.
    """


class InputError(GreenZoneError):
    """A file or line given on the command line cannot be read as an article or feed."""


class FeedError(GreenZoneError):
    """Fetching or parsing one feed failed; `reason` is short and stored for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(FeedError):
    """The HTTP exchange failed: timeout, refused connection, bad status, body over the cap."""


class ParseError(FeedError):
    """The body could not be read as a feed."""


class StoreError(GreenZoneError):
    """The database could not be reached or is at an unexpected schema."""


class DeliveryError(GreenZoneError):
    """A message could not be handed to the chat transport."""
