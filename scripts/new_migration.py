"""Write the next Alembic revision from the difference between the models and the head schema.

Usage: python scripts/new_migration.py "what changed"
Review the generated file: autogenerate misses renames and data moves.
"""

from __future__ import annotations

import sys

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from bot.store.migrate import alembic_config


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    next_id = f"{int(head or '0') + 1:04d}"
    with create_engine("sqlite://").begin() as conn:
        config = alembic_config(conn)
        command.upgrade(config, "head")
        command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=next_id)


if __name__ == "__main__":
    main()
