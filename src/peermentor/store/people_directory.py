"""The people of one programme as its admins browse them: a searchable, filterable,
paged list, and one person's profile with their pairings (states only, never a word
a pair wrote). One counting query and one page query whatever the programme's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from peermentor.store.match_repo import LIVE_STATES
from peermentor.store.models import Enrolment, Pairing, PairingMember, Person, User
from peermentor.store.profiles_repo import incomplete_condition
from peermentor.store.workspace_repo import optional_utc

# What the list may be narrowed to; "all" is everyone enrolled.
SHOWS = ("all", "unmatched", "paired", "opted_out", "no_account", "incomplete")


@dataclass(frozen=True, slots=True)
class PersonRow:
    person_id: int
    employee_id: str
    name: str
    email: str
    department: str
    location: str
    opted_out: bool
    has_account: bool
    pairing_state: str | None  # the live pairing's state in this programme, if any
    incomplete: bool = False  # domain.profiles.is_incomplete: a completeness field is empty


@dataclass(frozen=True, slots=True)
class PairingLine:
    pairing_id: int
    state: str
    cycle: int
    partners: tuple[str, ...]  # names
    proposed_at: datetime | None


def _live_pairing(program_id: int) -> Any:
    return (
        select(Pairing.state)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .where(
            PairingMember.person_id == Person.id,
            Pairing.program_id == program_id,
            Pairing.state.in_(LIVE_STATES),
        )
        .order_by(Pairing.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _has_account() -> ColumnElement[bool]:
    return exists().where(User.person_id == Person.id)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(program_id: int, search: str, show: str) -> list[ColumnElement[bool]]:
    enrolled = exists().where(
        Enrolment.person_id == Person.id,
        Enrolment.program_id == program_id,
        Enrolment.status == "enrolled",
    )
    where: list[ColumnElement[bool]] = [enrolled]
    if search:
        pattern = _like(search)
        where.append(
            or_(
                func.lower(Person.name).like(pattern, escape="\\"),
                func.lower(Person.employee_id).like(pattern, escape="\\"),
                func.lower(Person.email).like(pattern, escape="\\"),
            )
        )
    paired = _live_pairing(program_id).is_not(None)
    if show == "paired":
        where.append(paired)
    elif show == "unmatched":
        where.append(and_(not_(paired), Person.opt_out.is_(False)))
    elif show == "opted_out":
        where.append(Person.opt_out.is_(True))
    elif show == "no_account":
        where.append(not_(_has_account()))
    elif show == "incomplete":
        where.append(incomplete_condition())
    return where


def people_page(
    session: Session, program_id: int, *, search: str, show: str, offset: int, limit: int
) -> tuple[list[PersonRow], int]:
    """One page of the programme's people, by name, and how many match in all."""
    where = _filters(program_id, search, show)
    total = session.scalar(select(func.count()).select_from(Person).where(*where)) or 0
    rows = session.execute(
        select(
            Person.id,
            Person.employee_id,
            Person.name,
            Person.email,
            Person.department,
            Person.location,
            Person.opt_out,
            _has_account().label("has_account"),
            _live_pairing(program_id).label("pairing_state"),
            incomplete_condition().label("incomplete"),
        )
        .where(*where)
        .order_by(func.lower(Person.name), Person.id)
        .offset(offset)
        .limit(limit)
    )
    return [PersonRow(*row) for row in rows], int(total)


def enrolled_person(session: Session, program_id: int, person_id: int) -> Person | None:
    """The person, if enrolled in the programme (else None, as if unknown)."""
    return session.scalar(
        select(Person).where(
            Person.id == person_id,
            exists().where(
                Enrolment.person_id == Person.id,
                Enrolment.program_id == program_id,
                Enrolment.status == "enrolled",
            ),
        )
    )


def has_account(session: Session, person_id: int) -> bool:
    return bool(session.scalar(select(exists().where(User.person_id == person_id))))


def pairings_of(session: Session, program_id: int, person_id: int) -> list[PairingLine]:
    """The person's published pairings in the programme, newest first, with the other
    members' names: two queries."""
    mine = session.execute(
        select(Pairing.id, Pairing.state, Pairing.cycle, Pairing.proposed_at)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .where(
            PairingMember.person_id == person_id,
            Pairing.program_id == program_id,
            Pairing.state != "draft",
        )
        .order_by(Pairing.id.desc())
    ).all()
    others: dict[int, list[str]] = {row.id: [] for row in mine}
    if others:
        for pairing_id, name in session.execute(
            select(PairingMember.pairing_id, Person.name)
            .join(Person, Person.id == PairingMember.person_id)
            .where(PairingMember.pairing_id.in_(list(others)), PairingMember.person_id != person_id)
            .order_by(PairingMember.id)
        ):
            others[pairing_id].append(name)
    return [
        PairingLine(r.id, r.state, r.cycle, tuple(others[r.id]), optional_utc(r.proposed_at))
        for r in mine
    ]


def names_by_employee_id(session: Session, employee_ids: list[str]) -> dict[str, str]:
    """employee_id -> name, for the ids that exist (one query)."""
    if not employee_ids:
        return {}
    rows = session.execute(
        select(Person.employee_id, Person.name).where(Person.employee_id.in_(employee_ids))
    )
    return {employee_id: name for employee_id, name in rows}
