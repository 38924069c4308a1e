"""Persistence: models, the engine, units of work and migrations."""
