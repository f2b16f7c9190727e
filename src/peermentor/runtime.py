"""The running application's store: one engine per database URL, migrated to head."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.store.db import make_engine, make_session_factory
from peermentor.store.migrate import upgrade


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    engine = make_engine(settings.database_url)
    if migrate:
        # Idempotent and quick when already at head; spares users a forgotten step.
        upgrade(engine)
    return Store(engine=engine, sessions=make_session_factory(engine))
