"""Queries of self sign-up: the programme behind a link, sign-ups and their states, and
the people who signed themselves up."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from peermentor.domain.signup import (
    PLACEHOLDER_PREFIX,
    UNCONFIRMED,
    SignupSettings,
    status_after_confirming,
)
from peermentor.store.leave_models import Availability
from peermentor.store.models import Enrolment, Person, Program, User


@dataclass(frozen=True, slots=True)
class SignupRow:
    person_id: int
    name: str
    email: str
    status: str
    signed_up_at: datetime
    self_enrolled: bool


def program_of_link(session: Session, token: str) -> Program | None:
    """The programme whose open sign-up link this is. Programmes are few; each secret
    is compared in constant time."""
    if not token:
        return None
    for program in session.scalars(select(Program).where(Program.status != "closed")):
        settings = SignupSettings.of(program.settings)
        if settings.open and settings.token and hmac.compare_digest(settings.token, token):
            return program
    return None


def enrolment(session: Session, program_id: int, person_id: int) -> Enrolment | None:
    return session.scalar(
        select(Enrolment).where(
            Enrolment.program_id == program_id, Enrolment.person_id == person_id
        )
    )


def add_enrolment(
    session: Session, program_id: int, person_id: int, status: str, now: datetime
) -> Enrolment:
    row = Enrolment(program_id=program_id, person_id=person_id, status=status, enrolled_at=now)
    session.add(row)
    session.flush()
    return row


def add_signed_up_person(
    session: Session, name: str, email: str, years: float, now: datetime
) -> Person:
    """A person known only by what they typed; the employee id is a stand-in."""
    person = Person(
        employee_id=PLACEHOLDER_PREFIX + secrets.token_hex(6),
        name=name,
        email=email,
        years_experience=years,
        self_enrolled=True,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()
    return person


def confirm_address(session: Session, person_id: int, now: datetime) -> list[int]:
    """The person proved their address (an invitation used, a verified company
    sign-in): each unconfirmed sign-up moves on, to pending or enrolled as its
    programme says. Returns the programmes moved on."""
    rows = session.execute(
        select(Enrolment, Program)
        .join(Program, Program.id == Enrolment.program_id)
        .where(Enrolment.person_id == person_id, Enrolment.status == UNCONFIRMED)
    ).all()
    for row, program in rows:
        row.status = status_after_confirming(SignupSettings.of(program.settings))
        row.enrolled_at = now
    return [program.id for _, program in rows]


def signups(session: Session, program_id: int, statuses: Sequence[str]) -> list[SignupRow]:
    found = session.execute(
        select(
            Person.id,
            Person.name,
            Person.email,
            Enrolment.status,
            Enrolment.enrolled_at,
            Person.self_enrolled,
        )
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status.in_(statuses))
        .order_by(Enrolment.enrolled_at, Person.id)
    )
    return [SignupRow(*row) for row in found]


def count_by_status(session: Session, program_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.program_id == program_id)
        .group_by(Enrolment.status)
    )
    return {status: count for status, count in rows}


def move(
    session: Session,
    program_id: int,
    person_ids: Sequence[int],
    from_status: str,
    to_status: str,
    now: datetime,
) -> list[int]:
    """Only the rows still in `from_status` move (two admins deciding at once decide
    each sign-up once); returns the people moved."""
    if not person_ids:
        return []
    waiting = list(
        session.scalars(
            select(Enrolment.person_id).where(
                Enrolment.program_id == program_id,
                Enrolment.person_id.in_(list(person_ids)),
                Enrolment.status == from_status,
            )
        )
    )
    if waiting:
        session.execute(
            update(Enrolment)
            .where(
                Enrolment.program_id == program_id,
                Enrolment.person_id.in_(waiting),
                Enrolment.status == from_status,
            )
            .values(status=to_status, enrolled_at=now)
        )
    return waiting


def forget_unconfirmed(session: Session, before: datetime) -> int:
    """Sign-ups never confirmed since `before`: the enrolment goes; a person known only
    from their own sign-up goes with their unused account (nothing else of theirs can
    exist: they never signed in). Returns how many sign-ups went."""
    stale = session.execute(
        select(Enrolment.id, Enrolment.person_id).where(
            Enrolment.status == UNCONFIRMED, Enrolment.enrolled_at < before
        )
    ).all()
    if not stale:
        return 0
    session.execute(delete(Enrolment).where(Enrolment.id.in_([e for e, _ in stale])))
    people = {p for _, p in stale}
    alone = set(
        session.scalars(
            select(Person.id).where(
                Person.id.in_(people),
                Person.self_enrolled.is_(True),
                Person.id.not_in(select(Enrolment.person_id)),
                Person.id.not_in(
                    select(User.person_id).where(
                        User.person_id.is_not(None), User.password_hash.is_not(None)
                    )
                ),
            )
        )
    )
    if alone:
        session.execute(delete(User).where(User.person_id.in_(alone), User.password_hash.is_(None)))
        session.execute(delete(Person).where(Person.id.in_(alone)))
    return len(stale)


def names_of(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(list(person_ids))))
    return {pk: name for pk, name in rows}


def enrolments_of(
    session: Session, person_id: int
) -> list[tuple[int, str, str, date | None, dict[str, Any]]]:
    """(programme id, name, status, paused until, programme settings) of every
    enrolment of the person, in one query (the start page reads it on every visit)."""
    rows = session.execute(
        select(
            Program.id,
            Program.name,
            Enrolment.status,
            Availability.paused_until,
            Program.settings,
        )
        .join(Enrolment, Enrolment.program_id == Program.id)
        .outerjoin(
            Availability,
            (Availability.program_id == Program.id) & (Availability.person_id == person_id),
        )
        .where(Enrolment.person_id == person_id)
        .order_by(Program.name)
    )
    return [(pid, name, status, paused, stored or {}) for pid, name, status, paused, stored in rows]


def signed_up_by_email(session: Session, emails: Sequence[str]) -> dict[str, tuple[int, str]]:
    """lower(email) -> (people.id, stand-in employee id) of people who signed themselves
    up and have no employee id from HR yet."""
    wanted = {email.casefold() for email in emails}
    rows = session.execute(
        select(Person.email, Person.id, Person.employee_id).where(Person.self_enrolled.is_(True))
    )
    return {
        email.casefold(): (pk, employee_id)
        for email, pk, employee_id in rows
        if email.casefold() in wanted
    }


def adopt(session: Session, claimed: Sequence[tuple[int, str]]) -> None:
    """An import named these signed-up people: they take HR's employee id."""
    for pk, employee_id in claimed:
        session.execute(
            update(Person)
            .where(Person.id == pk)
            .values(employee_id=employee_id, self_enrolled=False)
        )
