"""SQLite's write lock (issue 9, finding 3), two connections on one file, no clock.

A transaction that reads and then writes used to fail at once with "database is locked"
when another writer had committed since it read; now it queues for the lock. Readers
never wait for a writer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade
from peermentor.store.models import Program


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _programs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Program)) or 0


def test_a_reader_that_writes_after_another_writer_committed_is_stored(
    sqlite_engine: Engine,
) -> None:
    with Session(sqlite_engine) as first, Session(sqlite_engine) as second:
        assert _programs(first) == 0  # first holds a read snapshot
        second.add(Program(name="written meanwhile", settings={}))
        second.commit()
        first.add(Program(name="written after reading", settings={}))
        first.commit()  # was: OperationalError, database is locked
    with Session(sqlite_engine) as check:
        assert _programs(check) == 2


def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as writer, Session(sqlite_engine) as reader:
        writer.add(Program(name="not yet committed", settings={}))
        writer.flush()  # the writer now holds the write lock
        assert _programs(reader) == 0  # answered at once, from the last commit
        writer.commit()
    with Session(sqlite_engine) as check:
        assert _programs(check) == 1


def test_a_rolled_back_write_leaves_nothing(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        assert _programs(session) == 0
        session.add(Program(name="rolled back", settings={}))
        session.flush()
        session.rollback()
        assert _programs(session) == 0
