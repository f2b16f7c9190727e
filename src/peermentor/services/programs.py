"""Programmes: a cohort with its dates, status and settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, Forbidden, InvalidInput, NotFound, require_admin
from peermentor.store.auth_models import ProgramAdmin
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


def is_program_admin(session: Session, actor: Actor, program_id: int) -> bool:
    if actor.role in ("org_admin", "system"):
        return True
    if actor.role != "program_admin" or actor.user_id is None:
        return False
    return (
        session.scalar(
            select(ProgramAdmin.id).where(
                ProgramAdmin.user_id == actor.user_id, ProgramAdmin.program_id == program_id
            )
        )
        is not None
    )


def require_program_admin(session: Session, actor: Actor, program: Program) -> Program:
    """Organisation admins manage every programme; a programme admin only their own."""
    require_admin(actor)
    if not is_program_admin(session, actor, program.id):
        raise Forbidden(f"you are not an admin of the programme {program.name!r}")
    return program


def admin_program(session: Session, actor: Actor, name: str) -> Program:
    """The named programme, when the actor may manage it."""
    require_admin(actor)
    return require_program_admin(session, actor, get_program(session, name))


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
    if actor.role == "program_admin" and actor.user_id is not None:
        # Whoever creates a programme manages it.
        session.add(ProgramAdmin(user_id=actor.user_id, program_id=program.id))
        session.flush()
    return program


def get_or_create_program(session: Session, actor: Actor, name: str) -> Program:
    require_admin(actor)
    existing = find_program(session, name)
    if existing is not None:
        return require_program_admin(session, actor, existing)
    return create_program(session, actor, name)


def list_programs(session: Session, actor: Actor) -> list[ProgramSummary]:
    require_admin(actor)
    enrolled = (
        select(Enrolment.program_id, func.count().label("n"))
        .where(Enrolment.status == "enrolled")
        .group_by(Enrolment.program_id)
        .subquery()
    )
    statement = (
        select(Program, func.coalesce(enrolled.c.n, 0))
        .outerjoin(enrolled, enrolled.c.program_id == Program.id)
        .order_by(Program.created_at, Program.id)
    )
    if actor.role == "program_admin":
        statement = statement.join(ProgramAdmin, ProgramAdmin.program_id == Program.id).where(
            ProgramAdmin.user_id == actor.user_id
        )
    rows = session.execute(statement)
    return [ProgramSummary(p.id, p.name, p.status, p.starts_on, p.ends_on, int(n)) for p, n in rows]


def get_program_by_id(session: Session, actor: Actor, program_id: int) -> Program:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    return require_program_admin(session, actor, program)


def add_program_admin(session: Session, actor: Actor, user_id: int, program_name: str) -> None:
    """Give a programme admin one more programme (organisation admins only)."""
    if actor.role not in ("org_admin", "system"):
        raise Forbidden("only an organisation admin may name programme admins")
    program = get_program(session, program_name)
    already = session.scalar(
        select(ProgramAdmin.id).where(
            ProgramAdmin.user_id == user_id, ProgramAdmin.program_id == program.id
        )
    )
    if already is None:
        session.add(ProgramAdmin(user_id=user_id, program_id=program.id))
        session.flush()
        audit.record(
            session,
            actor,
            "role.program_admin_added",
            target_kind="user",
            target_id=user_id,
            program_id=program.id,
            now=datetime.now(UTC),
        )
