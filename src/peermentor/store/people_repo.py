"""People and enrolments in bulk: the importer writes 100,000 rows in one transaction."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, select, update
from sqlalchemy.orm import Session

from peermentor.domain.people import LIST_COLUMNS, PersonRecord
from peermentor.store import bulk
from peermentor.store.auth_models import ProgramAdmin
from peermentor.store.models import Enrolment, Person, User

ANALYZE_AFTER = 1_000  # new people in one import: then PostgreSQL's statistics are refreshed
CHUNK = 2_000  # keeps IN-lists and executemany batches well inside both databases' limits
PROGRESS_BATCH = 10 * CHUNK  # rows written between two progress reports

Progress = Callable[[int, int], None]


def record_to_row(record: PersonRecord) -> dict[str, Any]:
    # Not dataclasses.asdict: it deep-copies every value, a third of a large import.
    row = {f: getattr(record, f) for f in PersonRecord.__dataclass_fields__}
    for column in LIST_COLUMNS:
        row[column] = list(row[column])
    return row


def person_to_record(person: Person) -> PersonRecord:
    values: dict[str, Any] = {}
    for column in PersonRecord.__dataclass_fields__:
        value = getattr(person, column)
        values[column] = tuple(value or ()) if column in LIST_COLUMNS else value
    return PersonRecord(**values)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_ids(session: Session, employee_ids: Sequence[str]) -> dict[str, int]:
    """employee_id -> people.id for those already stored."""
    found: dict[str, int] = {}
    for chunk in _chunks(employee_ids):
        rows = session.execute(
            select(Person.employee_id, Person.id).where(Person.employee_id.in_(chunk))
        )
        found.update({employee_id: pk for employee_id, pk in rows})
    return found


def email_owners(session: Session) -> dict[str, str]:
    """lower(email) -> employee_id for everyone stored (two short strings a person:
    a few MB at 100,000 people, and one query instead of thousands)."""
    rows = session.execute(select(Person.email, Person.employee_id))
    return {email.casefold(): employee_id for email, employee_id in rows}


def account_owners(session: Session, emails: Sequence[str]) -> dict[str, int | None]:
    """lower(email) -> the people.id an account with that sign-in address belongs to
    (None: an account of no person, such as an admin's), for the addresses given. One
    read of every account, as email_owners does: a scan per chunk of a large file
    would cost more."""
    wanted = {email.casefold() for email in emails}
    rows = session.execute(select(User.email, User.person_id))
    return {email.casefold(): person_id for email, person_id in rows if email.casefold() in wanted}


def enrolled_outside(session: Session, person_ids: Sequence[int], user_id: int) -> set[int]:
    """Those of the people enrolled in a programme the user is not an admin of."""
    managed = select(ProgramAdmin.program_id).where(ProgramAdmin.user_id == user_id)
    found: set[int] = set()
    for chunk in _chunks(person_ids):
        found.update(
            session.scalars(
                select(Enrolment.person_id).where(
                    Enrolment.person_id.in_(chunk), Enrolment.program_id.not_in(managed)
                )
            )
        )
    return found


def enrolled_under(session: Session, person_id: int, user_id: int) -> bool:
    """Whether the person is enrolled in a programme the user is an admin of."""
    managed = select(ProgramAdmin.program_id).where(ProgramAdmin.user_id == user_id)
    found = session.scalar(
        select(Enrolment.id)
        .where(Enrolment.person_id == person_id, Enrolment.program_id.in_(managed))
        .limit(1)
    )
    return found is not None


def enrolled_among(session: Session, program_id: int, ids: Iterable[int]) -> set[int]:
    """Which of these people have an enrolment (in any state) in the programme."""
    found: set[int] = set()
    for chunk in _chunks(list(ids)):
        found.update(
            session.scalars(
                select(Enrolment.person_id).where(
                    Enrolment.program_id == program_id, Enrolment.person_id.in_(chunk)
                )
            )
        )
    return found


def profiles_kept(session: Session, ids: Iterable[int]) -> set[int]:
    """The people among `ids` who have saved their own profile."""
    found: set[int] = set()
    for chunk in _chunks(list(ids)):
        found.update(
            session.scalars(
                select(Person.id).where(Person.id.in_(chunk), Person.profile_saved_at.is_not(None))
            )
        )
    return found


def stored_records(session: Session, ids: Iterable[int]) -> dict[int, PersonRecord]:
    """people.id -> record, read as plain rows (no ORM objects to build and track)."""
    fields = list(PersonRecord.__dataclass_fields__)
    columns = [Person.id, *_record_columns(fields)]
    records: dict[int, PersonRecord] = {}
    for chunk in _chunks(list(ids)):
        for pk, *row in session.execute(select(*columns).where(Person.id.in_(chunk))):
            records[pk] = _record(fields, row)
    return records


def _record(fields: list[str], row: Sequence[Any]) -> PersonRecord:
    values: dict[str, Any] = dict(zip(fields, row, strict=True))
    for column in LIST_COLUMNS:
        values[column] = _list_of(values[column])
    return PersonRecord(**values)


@functools.lru_cache(maxsize=1 << 16)
def _list_of(text: str | None) -> tuple[str, ...]:
    # Tag lists repeat across a cohort: each distinct one is decoded once and shared.
    return tuple(json.loads(text) or ()) if text else ()


def _record_columns(fields: list[str]) -> list[Any]:
    """The record's columns, list columns as their JSON text (decoded by _list_of)."""
    return [
        cast(getattr(Person, f), Text) if f in LIST_COLUMNS else getattr(Person, f) for f in fields
    ]


def insert_people(
    session: Session,
    records: Sequence[PersonRecord],
    now: datetime,
    progress: Progress | None = None,
) -> None:
    """New people in bulk (COPY on PostgreSQL, one executemany on SQLite)."""
    if not records:
        return
    fields = list(PersonRecord.__dataclass_fields__)
    lists = [k for k, f in enumerate(fields) if f in LIST_COLUMNS]
    columns = [*fields, "created_at", "updated_at"]

    def row(record: PersonRecord) -> list[Any]:
        values = [getattr(record, f) for f in fields]
        for k in lists:
            values[k] = list(values[k])
        return [*values, now, now]

    # Progress is reported between batches, never from inside one: the callback may
    # write (an import job's progress row) and on PostgreSQL a batch is a COPY that
    # holds the connection until it ends, so a write from inside it deadlocks.
    done = 0
    for batch in _chunks(records, PROGRESS_BATCH):
        bulk.insert_rows(session, Person.__table__, columns, [row(r) for r in batch])  # type: ignore[arg-type]
        done += len(batch)
        if progress:
            progress(done, len(records))
    if len(records) >= ANALYZE_AFTER:
        bulk.refresh_statistics(session, Person.__table__)  # type: ignore[arg-type]


def update_people(
    session: Session, changes: Sequence[tuple[int, PersonRecord]], now: datetime
) -> None:
    if not changes:
        return
    columns = list(PersonRecord.__dataclass_fields__)
    statement = (
        update(Person.__table__)  # type: ignore[arg-type]
        .where(Person.__table__.c.id == bindparam("pk"))
        .values({c: bindparam(f"v_{c}") for c in [*columns, "updated_at"]})
    )
    # Emails may move between people in one file (a swap); park them first so the
    # unique index never sees two rows with the same address mid-update.
    session.execute(
        update(Person.__table__)  # type: ignore[arg-type]
        .where(Person.__table__.c.id == bindparam("pk"))
        .values(email=bindparam("parked")),
        [{"pk": pk, "parked": f"parked-{pk}@invalid"} for pk, _ in changes],
    )
    for chunk in _chunks(changes):
        params = []
        for pk, record in chunk:
            row = record_to_row(record)
            params.append({"pk": pk, "v_updated_at": now} | {f"v_{c}": row[c] for c in columns})
        session.execute(statement, params)


def enrol(session: Session, program_id: int, person_ids: Sequence[int], now: datetime) -> int:
    """Enrol those not yet enrolled; returns how many were added."""
    already: set[int] = set()
    for chunk in _chunks(person_ids):
        already.update(
            session.scalars(
                select(Enrolment.person_id).where(
                    Enrolment.program_id == program_id, Enrolment.person_id.in_(chunk)
                )
            )
        )
    new = [pid for pid in dict.fromkeys(person_ids) if pid not in already]
    if new:
        bulk.insert_rows(
            session,
            Enrolment.__table__,  # type: ignore[arg-type]
            ("program_id", "person_id", "status", "enrolled_at"),
            ((program_id, pid, "enrolled", now) for pid in new),
        )
    return len(new)


def enrolled_records(session: Session, program_id: int) -> Iterator[PersonRecord]:
    """The enrolled people as records, read as plain rows: no ORM objects to build
    and track (at 100,000 people that was most of the time a match run spent here).
    Read through the session's connection (Core, not the ORM's row loading) and built
    positionally: the select lists the record's fields in the record's order."""
    fields = list(PersonRecord.__dataclass_fields__)
    lists = [k for k, f in enumerate(fields) if f in LIST_COLUMNS]
    statement = (
        select(*_record_columns(fields))
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status == "enrolled")
        .order_by(Person.id)
    )
    connection = session.connection()
    flags = [k for k, f in enumerate(fields) if f == "opt_out"]
    if connection.dialect.name == "sqlite":
        # The driver's own rows: SQLite hands back str, int, float and None as the
        # record wants them (but for the 0/1 of a boolean), so no per-value processing.
        compiled = statement.compile(dialect=connection.dialect)
        positional = compiled.positiontup or []
        raw = connection.connection.driver_connection
        assert raw is not None
        cursor = raw.execute(str(compiled), [compiled.params[name] for name in positional])
        batches: Iterator[Sequence[Any]] = iter(lambda: cursor.fetchmany(CHUNK), [])
    else:
        flags = []  # the dialect's own rows already carry booleans
        result = connection.execute(statement.execution_options(yield_per=CHUNK))
        batches = result.partitions()
    for rows in batches:
        for row in rows:
            values = list(row)
            for k in lists:
                text = values[k]
                values[k] = _list_of(text) if text else ()
            for k in flags:
                values[k] = bool(values[k])
            yield PersonRecord(*values)


def enrolled_people(session: Session, program_id: int) -> Iterator[Person]:
    statement = (
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status == "enrolled")
        .order_by(Person.id)
        .execution_options(yield_per=CHUNK)
    )
    yield from session.scalars(statement)


def managers_of(session: Session, employee_ids: Iterable[str]) -> dict[str, str | None]:
    """employee id -> their manager's employee id, for the ids the people data holds
    (in any programme); an id it does not hold is absent."""
    ids = sorted(set(employee_ids))
    found: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Person.employee_id, Person.manager_id).where(Person.employee_id.in_(chunk))
        )
        found.update({e: m for e, m in rows})
    return found
