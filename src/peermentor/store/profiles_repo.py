"""A person's own profile: reading and changing the fields they keep, the tags their
programmes already use, and which profiles are incomplete (for the admins' lists).

Part of the people aggregate (store/people_repo.py holds the bulk import); kept apart
so that the import's hot paths and this page's small queries do not mix.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, case, cast, func, or_, select, update
from sqlalchemy.orm import Session

from peermentor.domain.people import LIST_COLUMNS, PersonRecord
from peermentor.domain.profiles import COMPLETENESS_FIELDS, OWNED_FIELDS
from peermentor.store.models import Enrolment, Person
from peermentor.store.people_repo import stored_records

# How a stored list reads when it is empty: "[]" as written by the ORM and the bulk
# import; JSON null or SQL NULL for a row written some other way.
_EMPTY_LIST_TEXTS = ("[]", "null")


def record_of(session: Session, person_id: int) -> PersonRecord | None:
    return stored_records(session, [person_id]).get(person_id)


def is_self_enrolled(session: Session, person_id: int) -> bool:
    return bool(session.scalar(select(Person.self_enrolled).where(Person.id == person_id)))


def set_owned_fields(
    session: Session,
    person_id: int,
    values: Mapping[str, Any],
    now: datetime,
    allowed: Sequence[str] = OWNED_FIELDS,
) -> None:
    """Write the given owned fields of one person (lists as lists); no commit."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not a field a person keeps: {sorted(unknown)}")
    row = {
        column: list(value) if column in LIST_COLUMNS else value for column, value in values.items()
    }
    session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(**row, updated_at=now, profile_saved_at=now)
    )


def _programmes_of(person_id: int) -> Any:
    return select(Enrolment.program_id).where(
        Enrolment.person_id == person_id, Enrolment.status == "enrolled"
    )


def tag_counts(session: Session, person_id: int, columns: Sequence[str]) -> dict[str, Counter[str]]:
    """For each list column: tag -> how many people enrolled in any of the person's
    programmes use it (each person once, the person included). One grouped query per
    column: a cohort repeats its lists, so only the distinct ones are read."""
    people = (
        select(Enrolment.person_id)
        .where(Enrolment.program_id.in_(_programmes_of(person_id)), Enrolment.status == "enrolled")
        .distinct()
    )
    found: dict[str, Counter[str]] = {}
    for column in columns:
        if column not in LIST_COLUMNS:
            raise ValueError(f"{column!r} is not a list column")
        text = cast(getattr(Person, column), Text)
        counts: Counter[str] = Counter()
        rows = session.execute(
            select(text, func.count()).where(Person.id.in_(people)).group_by(text)
        )
        for stored, how_many in rows:
            for tag in set(json.loads(stored) or ()) if stored else ():
                counts[tag] += how_many
        found[column] = counts
    return found


def _empty(column: str) -> ColumnElement[bool]:
    value = getattr(Person, column)
    return or_(value.is_(None), cast(value, Text).in_(_EMPTY_LIST_TEXTS))


def incomplete_condition() -> ColumnElement[bool]:
    """SQL for domain.profiles.incomplete_fields(person) != (): one of the
    completeness fields is an empty list."""
    return or_(*(_empty(column) for column in COMPLETENESS_FIELDS))


def incomplete_count(session: Session, program_id: int) -> tuple[int, int]:
    """(incomplete, enrolled): how many of the programme's enrolled people have an
    incomplete profile, and how many are enrolled."""
    enrolled = and_(
        Enrolment.person_id == Person.id,
        Enrolment.program_id == program_id,
        Enrolment.status == "enrolled",
    )
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((incomplete_condition(), 1), else_=0)), 0),
        )
        .select_from(Person)
        .join(Enrolment, enrolled)
    ).one()
    return int(row[1]), int(row[0])
