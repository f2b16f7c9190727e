"""Queries of outcome events: the programme's imported people by employee id, who of
them took part, their events, and replacing a programme's events in one statement."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from peermentor.store.models import Enrolment, Pairing, PairingMember, Person
from peermentor.store.outcomes_models import OutcomeEvent


def people_by_employee_id(session: Session, program_id: int) -> dict[str, int]:
    """Every person imported into the programme (enrolled or withdrawn): employee id -> id."""
    rows = session.execute(
        select(Person.employee_id, Person.id)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id)
    )
    return {employee: pid for employee, pid in rows}


def participants(session: Session, program_id: int) -> set[int]:
    """People of the programme who were in a pairing that started (every member said yes)."""
    rows = session.scalars(
        select(PairingMember.person_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(Pairing.program_id == program_id, Pairing.activated_at.is_not(None))
        .distinct()
    )
    return set(rows)


def replace_events(
    session: Session, program_id: int, events: list[tuple[int, str, date]], now: datetime
) -> None:
    session.execute(delete(OutcomeEvent).where(OutcomeEvent.program_id == program_id))
    if events:
        session.execute(
            insert(OutcomeEvent),
            [
                {
                    "program_id": program_id,
                    "person_id": person_id,
                    "event": event,
                    "happened_on": day,
                    "imported_at": now,
                }
                for person_id, event, day in events
            ],
        )


def events_by_person(session: Session, program_id: int) -> dict[int, list[tuple[str, date]]]:
    found: dict[int, list[tuple[str, date]]] = defaultdict(list)
    rows = session.execute(
        select(OutcomeEvent.person_id, OutcomeEvent.event, OutcomeEvent.happened_on).where(
            OutcomeEvent.program_id == program_id
        )
    )
    for person_id, event, day in rows:
        found[person_id].append((event, day))
    return found


def last_upload(session: Session, program_id: int) -> tuple[datetime | None, int]:
    """When the programme's events were uploaded, and how many there are."""
    at, n = session.execute(
        select(func.max(OutcomeEvent.imported_at), func.count()).where(
            OutcomeEvent.program_id == program_id
        )
    ).one()
    return at, int(n or 0)
