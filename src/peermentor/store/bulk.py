"""Rows in bulk, inside the caller's transaction: COPY on PostgreSQL (psycopg 3),
one executemany on SQLite, both through the session's own connection so they commit
or roll back with everything else the use case wrote. The ORM's insert builds a
parameter dict a row and renders a multi-VALUES statement a batch; at 100,000 rows
that was most of an import's and a match run's store time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _hold_write_lock(session: Session, table: Table) -> None:
    # A raw driver call bypasses the engine's before_cursor_execute hook that trades an
    # SQLite read snapshot for the write lock (store/db.py): a no-op write through
    # SQLAlchemy takes it first (a no-op once the transaction already wrote).
    session.execute(text(f"DELETE FROM {table.name} WHERE 0 = 1"))


def next_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys of `table`, ascending, reserved for this transaction
    (so that rows written by COPY can be referred to without RETURNING)."""
    if count == 0:
        return []
    if _is_sqlite(session):
        _hold_write_lock(session, table)  # nobody else can insert until we commit
        top = session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}"))
        return list(range(int(top or 0) + 1, int(top or 0) + 1 + count))
    rows = session.execute(
        text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
        {"t": table.name, "n": count},
    )
    return sorted(int(r[0]) for r in rows)


def catch_up_id_sequence(session: Session, table: Table) -> None:
    """After rows were written with ids of their own: on PostgreSQL, move the table's id
    sequence past them, or the next ORM insert is handed an id already taken (SQLite
    numbers a new row from MAX(id) by itself)."""
    if _is_sqlite(session):
        return
    session.execute(
        text(
            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table.name}), 1))"
        ),
        {"t": table.name},
    )


def refresh_statistics(session: Session, table: Table) -> None:
    """On PostgreSQL, ANALYZE `table` after a bulk write inside the transaction: the
    planner still believes the table as small as before, and with 100,000 new people
    it scanned the whole table for every lookup chunk of the same import (190 s
    instead of seconds). SQLite's planner prefers the index without statistics."""
    if not _is_sqlite(session):
        session.execute(text(f"ANALYZE {table.name}"))


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples in the order of `columns`, Python values as the ORM takes
    them: lists for JSON columns, aware datetimes) into `table`; returns how many."""
    session.flush()  # anything the ORM still holds goes first, in order
    dialect = session.get_bind().dialect
    connection = session.connection()
    is_json = [isinstance(table.c[c].type, JSON) for c in columns]
    count = 0
    if dialect.name == "sqlite":
        _hold_write_lock(session, table)
        processors = [table.c[c].type._cached_bind_processor(dialect) for c in columns]
        active = [(k, p) for k, p in enumerate(processors) if p is not None]

        def converted() -> Iterable[list[Any]]:
            nonlocal count
            for row in rows:
                values = list(row)
                for k, process in active:
                    values[k] = process(values[k])
                count += 1
                yield values

        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.executemany(sql, converted())
        return count
    raw = connection.connection.driver_connection
    assert raw is not None
    json_at = [k for k, j in enumerate(is_json) if j]
    with raw.cursor() as cursor:
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                values = list(row)
                for k in json_at:
                    if values[k] is not None:
                        values[k] = json.dumps(values[k])
                copy.write_row(values)
                count += 1
    return count
