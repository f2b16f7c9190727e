"""Throttle counters: read a few by key, count one more failure in one statement.

The count is an upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL
alike), so two processes counting the same key at once never lose a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from peermentor.domain.throttle import Counter
from peermentor.store.auth_models import ThrottleCounter


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def counters(session: Session, keys: Iterable[str]) -> dict[str, Counter]:
    rows = session.scalars(select(ThrottleCounter).where(ThrottleCounter.key.in_(list(keys))))
    return {
        row.key: Counter(row.failures, _aware(row.window_started_at), _aware(row.last_failure_at))
        for row in rows
    }


def count_failure(session: Session, key: str, now: datetime, window: timedelta) -> None:
    """One more failure for the key; a count whose window has passed starts over at 1."""
    table = ThrottleCounter.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(
        key=key, failures=1, window_started_at=now, last_failure_at=now
    )
    stale = table.c.window_started_at <= now - window
    restart = literal(now, table.c.window_started_at.type)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "window_started_at": case((stale, restart), else_=table.c.window_started_at),
                "last_failure_at": now,
            },
        )
    )


def forget(session: Session, key: str) -> None:
    session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))


def forget_stale(session: Session, now: datetime, window: timedelta) -> None:
    """Counts past their window mean nothing any more; dropping them keeps the table small."""
    session.execute(
        delete(ThrottleCounter).where(ThrottleCounter.window_started_at <= now - window)
    )
