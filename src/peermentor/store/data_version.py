"""One number that changes whenever what a page could show changes.

`data_version.n` goes up with every committed write to a tracked table, whoever writes
(a page, the API, the CLI, the worker, another web process): database triggers bump it
inside the writing transaction, so the new number becomes visible with the data and
never before it. The web layer keys its rendered-page cache on it (web/page_cache.py):
a page stored under version V was rendered from data at least as new as V, because the
version is read before the page is.

Untracked tables hold machinery no cached page shows: the sign-in sessions (their
last-seen time is written on the read path itself), sign-in throttling counters, the
job queue's progress and the mail outbox's delivery state. Every other table is tracked;
tests/store/test_data_version.py checks that each table of the schema has its triggers,
so a migration that adds a table (or rebuilds one: SQLite's batch mode drops triggers)
must call install_triggers for it.

On SQLite the triggers run for each row (SQLite has no statement triggers): about 1 us
a row written. On PostgreSQL one trigger a statement bumps the row once a transaction (it
skips when the row's xmin is the transaction's own id; inside a savepoint it bumps on
each statement), so a transaction holds the row's lock from its first tracked write to
its commit: concurrent writers queue there as they do for SQLite's write lock anyway.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Connection, Engine, Integer, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from peermentor.store.auth_models import UserSession
from peermentor.store.db import SINGLE_READ
from peermentor.store.models import Base, User

TABLE = "data_version"
UNTRACKED = frozenset(
    {
        "alembic_version",
        TABLE,
        "user_sessions",
        "throttle_counters",
        "jobs",
        "mail_outbox",
    }
)
_EVENTS = ("INSERT", "UPDATE", "DELETE")
_PG_FUNCTION = "peermentor_bump_data_version"


class DataVersion(Base):
    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


_SESSION_AND_VERSION = (
    select(
        UserSession.id,
        UserSession.revoked_at,
        UserSession.created_at,
        UserSession.last_seen_at,
        UserSession.expires_at,
        User.is_active,
        select(DataVersion.n).where(DataVersion.id == 1).scalar_subquery(),
    )
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def current(session: Session) -> int:
    """The version now (one indexed read of one row)."""
    return int(session.execute(select(DataVersion.n).where(DataVersion.id == 1)).scalar_one())


def session_and_version(
    engine: Engine, token_hash: str
) -> tuple[int, datetime | None, datetime, datetime, datetime, bool, int] | None:
    """A sign-in session's row, its account's active flag and the data version, in ONE
    statement outside a transaction (one statement sees one snapshot): what a kept
    page needs, at the cost of one round trip instead of four (BEGIN, the session, the
    version, ROLLBACK), each a release of the GIL that a busy process waits to retake."""
    # Outside a transaction: no BEGIN from store/db.py's SQLite hook; AUTOCOMMIT on
    # PostgreSQL.
    options = (
        {"isolation_level": "AUTOCOMMIT"}
        if engine.dialect.name == "postgresql"
        else {SINGLE_READ: True}
    )
    with engine.connect().execution_options(**options) as connection:
        found = connection.execute(_SESSION_AND_VERSION, {"token_hash": token_hash}).first()
    if found is None:
        return None
    sid, revoked, created, seen, expires, active, version = found
    return int(sid), revoked, created, seen, expires, bool(active), int(version)


def trigger_names(table: str) -> list[str]:
    return [f"pm_dv_{table}_{event.lower()}" for event in _EVENTS]


def install_triggers(connection: Connection, table: str) -> None:
    """The triggers that bump the version on every write to `table`, for a migration
    that adds or rebuilds a table (migration 0023 made the trigger function)."""
    if table in UNTRACKED:
        raise ValueError(f"{table} is not tracked")
    for event, name in zip(_EVENTS, trigger_names(table), strict=True):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + _on(connection, table))
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
            )
        else:
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"BEGIN UPDATE {TABLE} SET n = n + 1 WHERE id = 1; END"
            )


def _on(connection: Connection, table: str) -> str:
    return f" ON {table}" if connection.dialect.name == "postgresql" else ""


def installed_triggers(connection: Connection) -> set[str]:
    """The names of the version triggers the database holds."""
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {str(row[0]) for row in connection.exec_driver_sql(query) if row[0].startswith("pm_dv_")}
