"""Programmes: a cohort with its dates, status and settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, Forbidden, InvalidInput, NotFound, require_admin
from peermentor.store import accounts_repo, programs_repo
from peermentor.store.models import PROGRAM_STATUSES, Program

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
    return accounts_repo.is_program_admin(session, actor.user_id, program_id)


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


def program_id_named(session: Session, actor: Actor, name: str) -> int:
    """The id of the named programme the actor may manage: what an adapter that knows
    programmes by name (the CLI) resolves once before calling a use case."""
    return admin_program(session, actor, name).id


def find_program(session: Session, name: str) -> Program | None:
    return programs_repo.program_named(session, _clean_name(name))


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
    now: datetime | None = None,
) -> Program:
    require_admin(actor)
    name = _clean_name(name)
    if status not in PROGRAM_STATUSES:
        raise InvalidInput(f"status: must be one of {', '.join(PROGRAM_STATUSES)}")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput("ends_on: must not be before starts_on")
    if find_program(session, name) is not None:
        raise InvalidInput(f"a programme named {name!r} already exists")
    program = programs_repo.add_program(
        session,
        now or datetime.now(UTC),
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        settings=dict(DEFAULT_SETTINGS),
    )
    if actor.role == "program_admin" and actor.user_id is not None:
        # Whoever creates a programme manages it.
        accounts_repo.add_program_admin(session, actor.user_id, program.id)
    return program


def get_or_create_program(session: Session, actor: Actor, name: str) -> Program:
    require_admin(actor)
    existing = find_program(session, name)
    if existing is not None:
        return require_program_admin(session, actor, existing)
    return create_program(session, actor, name)


def list_programs(session: Session, actor: Actor) -> list[ProgramSummary]:
    require_admin(actor)
    # A programme admin with no account id manages nothing: -1 matches no user.
    managed_by = (actor.user_id or -1) if actor.role == "program_admin" else None
    rows = programs_repo.programs_with_counts(session, managed_by)
    return [ProgramSummary(p.id, p.name, p.status, p.starts_on, p.ends_on, n) for p, n in rows]


def get_program_by_id(session: Session, actor: Actor, program_id: int) -> Program:
    require_admin(actor)
    program = programs_repo.program(session, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    return require_program_admin(session, actor, program)


def add_program_admin(session: Session, actor: Actor, user_id: int, program_name: str) -> None:
    """Give a programme admin one more programme (organisation admins only)."""
    if actor.role not in ("org_admin", "system"):
        raise Forbidden("only an organisation admin may name programme admins")
    program = get_program(session, program_name)
    if not accounts_repo.is_program_admin(session, user_id, program.id):
        accounts_repo.add_program_admin(session, user_id, program.id)
        audit.record(
            session,
            actor,
            "role.program_admin_added",
            target_kind="user",
            target_id=user_id,
            program_id=program.id,
            now=datetime.now(UTC),
        )
