"""Alembic environment: uses the connection handed in by peermentor.store.migrate,
or the URL in the config (for `alembic revision --autogenerate` by developers)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import peermentor.store.all_models  # noqa: F401  (registers every table)
from peermentor.store.db import make_engine
from peermentor.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///./peermentor.db"
    engine = make_engine(url)
    with engine.begin() as own_connection:
        _run(own_connection)
