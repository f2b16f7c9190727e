"""Programmes: look-ups by id and name, the admin's list with enrolment counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.store.auth_models import ProgramAdmin
from peermentor.store.models import Enrolment, Program


def program(session: Session, program_id: int) -> Program | None:
    return session.get(Program, program_id)


def program_named(session: Session, name: str) -> Program | None:
    return session.scalar(select(Program).where(Program.name == name))


def add_program(session: Session, now: datetime, **columns: Any) -> Program:
    """A new programme with those columns (name, description, dates, status, settings)."""
    row = Program(created_at=now, **columns)
    session.add(row)
    session.flush()
    return row


def programs_with_counts(
    session: Session, managed_by: int | None = None
) -> Sequence[tuple[Program, int]]:
    """Every programme (or those the user `managed_by` is an admin of), oldest first,
    with how many people are enrolled."""
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
    if managed_by is not None:
        statement = statement.join(ProgramAdmin, ProgramAdmin.program_id == Program.id).where(
            ProgramAdmin.user_id == managed_by
        )
    return [(p, int(n)) for p, n in session.execute(statement)]
