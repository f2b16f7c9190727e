"""Queries for availability, early endings, reports and blocks (store/leave_models.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from peermentor.store.leave_models import Availability, Block, EarlyEnding, Report
from peermentor.store.models import Person


def availability(session: Session, program_id: int, person_id: int) -> Availability | None:
    return session.scalar(
        select(Availability).where(
            Availability.program_id == program_id, Availability.person_id == person_id
        )
    )


def set_availability(
    session: Session,
    program_id: int,
    person_id: int,
    paused_until: date | None,
    capacity: int,
    now: datetime,
) -> Availability:
    row = availability(session, program_id, person_id)
    if row is None:
        row = Availability(program_id=program_id, person_id=person_id)
        session.add(row)
    row.paused_until, row.capacity, row.updated_at = paused_until, capacity, now
    session.flush()
    return row


def paused_employee_ids(session: Session, program_id: int, today: date) -> dict[str, date]:
    rows = session.execute(
        select(Person.employee_id, Availability.paused_until)
        .join(Person, Person.id == Availability.person_id)
        .where(Availability.program_id == program_id, Availability.paused_until >= today)
    )
    return {e: until for e, until in rows if until is not None}


def paused_person_ids(session: Session, today: date) -> set[int]:
    """People paused in any programme today (nudges stay silent for them)."""
    return set(
        session.scalars(select(Availability.person_id).where(Availability.paused_until >= today))
    )


def open_to_two(session: Session, program_id: int) -> set[str]:
    rows = session.scalars(
        select(Person.employee_id)
        .join(Availability, Availability.person_id == Person.id)
        .where(Availability.program_id == program_id, Availability.capacity == 2)
    )
    return set(rows)


def availability_list(session: Session, program_id: int) -> list[tuple[str, str, date | None, int]]:
    rows = session.execute(
        select(Person.employee_id, Person.name, Availability.paused_until, Availability.capacity)
        .join(Person, Person.id == Availability.person_id)
        .where(Availability.program_id == program_id)
        .order_by(Person.name)
    )
    return [(e, n, u, c) for e, n, u, c in rows]


def add_early_ending(session: Session, **values: object) -> EarlyEnding:
    row = EarlyEnding(**values)
    session.add(row)
    session.flush()
    return row


def last_left(session: Session, program_id: int) -> dict[str, datetime]:
    """When each person last ended a pairing of the programme early."""
    out: dict[str, datetime] = {}
    rows = session.execute(
        select(Person.employee_id, EarlyEnding.created_at)
        .join(Person, Person.id == EarlyEnding.person_id)
        .where(EarlyEnding.program_id == program_id)
    )
    for employee_id, at in rows:
        if employee_id not in out or at > out[employee_id]:
            out[employee_id] = at
    return out


def early_endings(
    session: Session, program_id: int, start: datetime, end: datetime, limit: int
) -> tuple[list[tuple[EarlyEnding, str]], int]:
    """The programme's early endings from `start` up to (not including) `end`, newest
    first, with who ended: at most `limit` of them, and how many there are in all."""
    in_range = (
        EarlyEnding.program_id == program_id,
        EarlyEnding.created_at >= start,
        EarlyEnding.created_at < end,
    )
    rows = session.execute(
        select(EarlyEnding, Person.name)
        .join(Person, Person.id == EarlyEnding.person_id)
        .where(*in_range)
        .order_by(EarlyEnding.created_at.desc(), EarlyEnding.id.desc())
        .limit(limit)
    )
    total = session.scalar(select(func.count()).select_from(EarlyEnding).where(*in_range))
    return [(e, n) for e, n in rows], int(total or 0)


def ending_reason_counts(
    session: Session, program_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Pairings of the programme ended early from `start` up to (not including) `end`,
    by reason."""
    rows = session.execute(
        select(EarlyEnding.reason, func.count(func.distinct(EarlyEnding.pairing_id)))
        .where(
            EarlyEnding.program_id == program_id,
            EarlyEnding.created_at >= start,
            EarlyEnding.created_at < end,
        )
        .group_by(EarlyEnding.reason)
    )
    return {reason: int(n) for reason, n in rows}


def add_report(session: Session, **values: object) -> Report:
    row = Report(**values)
    session.add(row)
    session.flush()
    return row


def report(session: Session, report_id: int) -> Report | None:
    return session.get(Report, report_id)


def reports(session: Session, program_id: int) -> list[tuple[Report, str, str | None]]:
    reporter, subject = aliased(Person), aliased(Person)
    rows = session.execute(
        select(Report, reporter.name, subject.name)
        .join(reporter, reporter.id == Report.reporter_id)
        .outerjoin(subject, subject.id == Report.subject_id)
        .where(Report.program_id == program_id)
        .order_by(Report.status.desc(), Report.created_at.desc())
    )
    return [(r, a, b) for r, a, b in rows]


def add_block(session: Session, person_id: int, blocked_id: int, now: datetime) -> None:
    exists = session.scalar(
        select(Block.id).where(Block.person_id == person_id, Block.blocked_id == blocked_id)
    )
    if exists is None:
        session.add(Block(person_id=person_id, blocked_id=blocked_id, created_at=now))
        session.flush()


def remove_block(session: Session, person_id: int, blocked_id: int) -> None:
    row = session.scalar(
        select(Block).where(Block.person_id == person_id, Block.blocked_id == blocked_id)
    )
    if row is not None:
        session.delete(row)
        session.flush()


def blocked_by(session: Session, person_id: int) -> list[tuple[int, str]]:
    """(person id, name) of everyone the person has blocked, by name."""
    rows = session.execute(
        select(Person.id, Person.name)
        .join(Block, Block.blocked_id == Person.id)
        .where(Block.person_id == person_id)
        .order_by(Person.name, Person.id)
    )
    return [(i, n) for i, n in rows]


def person_leaving_data(session: Session, person_id: int) -> dict[str, Any]:
    """The leaving section of a person's data export: the reports they filed and the
    endings they asked for (their own words), and whom they blocked (employee id and
    name). Not the admins' notes on a report, not reports about them, and not who
    blocked them: those are the admins' and the other people's own."""
    from peermentor.store.personal_data_repo import as_dict

    reports = session.scalars(
        select(Report).where(Report.reporter_id == person_id).order_by(Report.id)
    )
    endings = session.scalars(
        select(EarlyEnding).where(EarlyEnding.person_id == person_id).order_by(EarlyEnding.id)
    )
    blocks = session.execute(
        select(Person.employee_id, Person.name, Block.created_at)
        .join(Block, Block.blocked_id == Person.id)
        .where(Block.person_id == person_id)
        .order_by(Block.id)
    )
    return {
        "reports_filed": [as_dict(r, without=("admin_note",)) for r in reports],
        "early_endings": [as_dict(e) for e in endings],
        "blocked": [
            {"employee_id": e, "name": n, "created_at": at.isoformat()} for e, n, at in blocks
        ],
    }


def blocked_pairs(session: Session) -> list[tuple[str, str]]:
    """Every block as (employee_id of who blocked, employee_id of who is blocked)."""
    who, whom = aliased(Person), aliased(Person)
    rows = session.execute(
        select(who.employee_id, whom.employee_id)
        .select_from(Block)
        .join(who, who.id == Block.person_id)
        .join(whom, whom.id == Block.blocked_id)
    )
    return [(a, b) for a, b in rows]
