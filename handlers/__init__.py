"""Thin Telegram handlers over the transport-neutral core in `bot`."""
