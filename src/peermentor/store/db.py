"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Let users write postgresql://...; we always talk to PostgreSQL through psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# How long a writer waits for SQLite's write lock before giving up with "database is
# locked". A writer holds the lock only from its first write to its commit (a few
# milliseconds: see _take_write_lock), so this covers a queue of hundreds of writers;
# bench/bench_signin.py measures 32 parallel sign-ins.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Statements that only read; anything else (INSERT, UPDATE, DELETE, SAVEPOINT, DDL, ...)
# needs the write lock first.
_READ_ONLY_STATEMENTS = ("SELECT", "PRAGMA", "EXPLAIN")
_WRITE_LOCK = "peermentor_sqlite_write_lock"  # key in the connection's info
SINGLE_READ = "peermentor_single_read"  # an execution option: see _sqlite_begin


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions lazily and commits around savepoints on its own;
    # taking that over (SQLAlchemy's documented recipe) gives SQLite real BEGIN and
    # SAVEPOINT semantics, which all-or-nothing imports and rolled-back tests rely on.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while an import writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction: reads take no lock and, under WAL, never wait for a writer.
    connection.info[_WRITE_LOCK] = None
    if connection.get_execution_options().get(SINGLE_READ):
        return  # one read statement, its own snapshot: no BEGIN (data_version.py)
    connection.exec_driver_sql("BEGIN")
    connection.info[_WRITE_LOCK] = False


def _sqlite_end(connection: Any) -> None:
    connection.info[_WRITE_LOCK] = None


def _take_write_lock(
    connection: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    """Before a transaction's first write, trade its read snapshot for the write lock.

    A deferred transaction that has read and then writes cannot wait for the lock: when
    another writer committed since its snapshot, SQLite refuses at once with "database is
    locked" (SQLITE_BUSY_SNAPSHOT), whatever the busy timeout; that was issue 9's 500s.
    Nothing was written yet, so ending the read part and starting BEGIN IMMEDIATE loses
    nothing; BEGIN IMMEDIATE waits in the busy-timeout queue, and from there on the
    transaction is serialised with every other writer. What it read before its first
    write was read as in PostgreSQL's READ COMMITTED: committed, maybe not the latest.
    The lock is then held only while writing, never during a password hash.
    """
    if connection.info.get(_WRITE_LOCK) is not False:
        return  # not inside a transaction we began, or it holds the lock already
    if statement.lstrip().upper().startswith(_READ_ONLY_STATEMENTS):
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.in_transaction:
        dbapi_connection.execute("COMMIT")
    dbapi_connection.execute("BEGIN IMMEDIATE")
    connection.info[_WRITE_LOCK] = True


# One connection for each of the server's request threads (anyio's default is 40): a
# burst of slow requests (a password hash each) must not queue for a pooled connection,
# whose wait times out after 30 s. Ten stay open; the rest open on demand. Several
# server workers multiply this; PostgreSQL's default max_connections is 100, so
# `serve --workers N` shares it out (runtime.pool_for_workers).
POOL_KEPT, POOL_MOST = 10, 40


def make_engine(url: str, pool_most: int = POOL_MOST, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if make_url(url).database not in (None, "", ":memory:"):
        kept = min(POOL_KEPT, pool_most)
        kwargs.setdefault("pool_size", kept)
        kwargs.setdefault("max_overflow", pool_most - kept)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _take_write_lock)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        return engine
    # PostgreSQL keeps its own row locks; READ COMMITTED, as the server defaults to.
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def max_connections(engine: Engine) -> int | None:
    """PostgreSQL's max_connections (None on SQLite, which has no such limit)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SHOW max_connections").scalar_one())
