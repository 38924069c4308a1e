"""Rewrite the initial migration from the models (only while no release has shipped 0001).

Once a release has shipped, add new revisions instead; see docs/design.md.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from bot.store.migrate import MIGRATIONS, alembic_config

for old in (MIGRATIONS / "versions").glob("0001_*.py"):
    old.unlink()
with create_engine("sqlite://").begin() as conn:
    config = alembic_config(conn)
    command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
print(f"regenerated {next(Path(MIGRATIONS / 'versions').glob('0001_*.py'))}")
