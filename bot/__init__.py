"""Green Zone Watch: alerts for attacks on Baghdad's Green Zone, from news feeds to Telegram."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("greenzone-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
