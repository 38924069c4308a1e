"""`python -m bot` is `greenzone-bot`."""

from bot.cli import entrypoint

entrypoint()
