"""The running application's store: one engine per database URL, migrated to head."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.store.db import make_engine, make_session_factory, max_connections
from peermentor.store.migrate import upgrade


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()

    def max_connections(self) -> int | None:
        """The database server's connection limit (None on SQLite)."""
        return max_connections(self.engine)


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    engine = make_engine(settings.database_url, pool_most=settings.db_pool_size)
    if migrate:
        # Idempotent and quick when already at head; spares users a forgotten step.
        upgrade(engine)
    return Store(engine=engine, sessions=make_session_factory(engine))


# Connections left free for what is not a web process: the worker, a command, psql.
RESERVED_CONNECTIONS = 10


def pool_for_workers(wanted: int, workers: int, server_max: int | None) -> int:
    """The connections each of `workers` web processes may hold: `wanted`, or fewer so
    that all of them together leave RESERVED_CONNECTIONS of the database server's
    `server_max` free (None: no such limit, as on SQLite). A ValueError when not even
    two each would fit."""
    if server_max is None:
        return wanted
    share = (server_max - RESERVED_CONNECTIONS) // workers
    if share < 2:
        raise ValueError(
            f"{workers} server processes do not fit the database's max_connections of "
            f"{server_max} (each needs at least 2, and {RESERVED_CONNECTIONS} stay free "
            "for the worker and commands): use fewer workers or raise max_connections"
        )
    return min(wanted, share)
