"""Programmes: a cohort with its dates, status and settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.services.access import Actor, InvalidInput, NotFound, require_admin
from peermentor.store.models import PROGRAM_STATUSES, Enrolment, Program

# Timing rules of the pairing workspace; matching weights and rules live beside them
# under "matching" once the engine has run with them.
DEFAULT_SETTINGS: dict[str, Any] = {
    "response_window_days": 7,
    "pulse_interval_days": 14,
    "roleplay_cadence_days": 14,
}
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    id: int
    name: str
    status: str
    starts_on: date | None
    ends_on: date | None
    enrolled: int


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("programme name: must not be empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInput(f"programme name: at most {MAX_NAME_LENGTH} characters")
    return cleaned


def find_program(session: Session, name: str) -> Program | None:
    return session.scalar(select(Program).where(Program.name == _clean_name(name)))


def get_program(session: Session, name: str) -> Program:
    program = find_program(session, name)
    if program is None:
        raise NotFound(f"no programme named {name!r}")
    return program


def create_program(
    session: Session,
    actor: Actor,
    name: str,
    *,
    description: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = "enrolling",
) -> Program:
    require_admin(actor)
    name = _clean_name(name)
    if status not in PROGRAM_STATUSES:
        raise InvalidInput(f"status: must be one of {', '.join(PROGRAM_STATUSES)}")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput("ends_on: must not be before starts_on")
    if find_program(session, name) is not None:
        raise InvalidInput(f"a programme named {name!r} already exists")
    program = Program(
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        settings=dict(DEFAULT_SETTINGS),
    )
    session.add(program)
    session.flush()
    return program


def get_or_create_program(session: Session, actor: Actor, name: str) -> Program:
    require_admin(actor)
    return find_program(session, name) or create_program(session, actor, name)


def list_programs(session: Session, actor: Actor) -> list[ProgramSummary]:
    require_admin(actor)
    enrolled = (
        select(Enrolment.program_id, func.count().label("n"))
        .where(Enrolment.status == "enrolled")
        .group_by(Enrolment.program_id)
        .subquery()
    )
    rows = session.execute(
        select(Program, func.coalesce(enrolled.c.n, 0))
        .outerjoin(enrolled, enrolled.c.program_id == Program.id)
        .order_by(Program.created_at, Program.id)
    )
    return [ProgramSummary(p.id, p.name, p.status, p.starts_on, p.ends_on, int(n)) for p, n in rows]


def get_program_by_id(session: Session, actor: Actor, program_id: int) -> Program:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    return program
