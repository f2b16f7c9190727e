"""Queries of team circles. Rules live in domain.circles and domain.rotation; who may
call what is decided in services.circles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.store.circles_models import (
    Circle,
    CircleAssignment,
    CircleMember,
    CircleNote,
    CircleReply,
    CircleRound,
    CircleSkip,
)
from peermentor.store.models import Enrolment, Person


def get_circle(session: Session, circle_id: int, *, lock: bool = False) -> Circle | None:
    if not 0 < circle_id < 2**31:
        return None
    query = select(Circle).where(Circle.id == circle_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def circles_of_program(session: Session, program_id: int) -> Sequence[Circle]:
    return session.scalars(
        select(Circle).where(Circle.program_id == program_id).order_by(Circle.id)
    ).all()


def circle_named(session: Session, program_id: int, name: str) -> Circle | None:
    return session.scalar(
        select(Circle).where(Circle.program_id == program_id, Circle.name == name)
    )


def active_memberships(session: Session, circle_id: int) -> Sequence[CircleMember]:
    return session.scalars(
        select(CircleMember)
        .where(CircleMember.circle_id == circle_id, CircleMember.left_at.is_(None))
        .order_by(CircleMember.id)
    ).all()


def membership(session: Session, circle_id: int, person_id: int) -> CircleMember | None:
    return session.scalar(
        select(CircleMember).where(
            CircleMember.circle_id == circle_id,
            CircleMember.person_id == person_id,
            CircleMember.left_at.is_(None),
        )
    )


def circles_of_person(session: Session, person_id: int) -> Sequence[Circle]:
    """Circles the person is in now, or leads."""
    member_of = select(CircleMember.circle_id).where(
        CircleMember.person_id == person_id, CircleMember.left_at.is_(None)
    )
    return session.scalars(
        select(Circle)
        .where(Circle.id.in_(member_of) | (Circle.lead_person_id == person_id))
        .order_by(Circle.id)
    ).all()


def ever_member(session: Session, circle_id: int, person_id: int) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(CircleMember)
            .where(CircleMember.circle_id == circle_id, CircleMember.person_id == person_id)
        )
        or 0
    ) > 0


def rounds_of(session: Session, circle_id: int) -> Sequence[CircleRound]:
    return session.scalars(
        select(CircleRound).where(CircleRound.circle_id == circle_id).order_by(CircleRound.number)
    ).all()


def current_round(session: Session, circle_id: int) -> CircleRound | None:
    return session.scalar(
        select(CircleRound)
        .where(CircleRound.circle_id == circle_id)
        .order_by(CircleRound.number.desc())
        .limit(1)
    )


def assignments_of(session: Session, round_ids: Sequence[int]) -> Sequence[CircleAssignment]:
    if not round_ids:
        return []
    return session.scalars(
        select(CircleAssignment)
        .where(CircleAssignment.round_id.in_(round_ids))
        .order_by(CircleAssignment.id)
    ).all()


def notes_of_rounds(session: Session, round_ids: Sequence[int]) -> Sequence[CircleNote]:
    if not round_ids:
        return []
    return session.scalars(
        select(CircleNote).where(CircleNote.round_id.in_(round_ids)).order_by(CircleNote.id)
    ).all()


def skips_of(session: Session, round_ids: Sequence[int]) -> Sequence[CircleSkip]:
    if not round_ids:
        return []
    return session.scalars(select(CircleSkip).where(CircleSkip.round_id.in_(round_ids))).all()


def note(session: Session, note_id: int) -> CircleNote | None:
    if not 0 < note_id < 2**31:
        return None
    return session.get(CircleNote, note_id)


def replies_of(session: Session, note_ids: Sequence[int]) -> Sequence[CircleReply]:
    if not note_ids:
        return []
    return session.scalars(
        select(CircleReply).where(CircleReply.note_id.in_(note_ids)).order_by(CircleReply.id)
    ).all()


def people_by_id(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def enrolled_people(session: Session, program_id: int) -> Sequence[Person]:
    return session.scalars(
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status == "enrolled")
        .order_by(Person.id)
    ).all()


def people_by_employee_id(session: Session, employee_ids: Sequence[str]) -> dict[str, Person]:
    if not employee_ids:
        return {}
    found = session.scalars(select(Person).where(Person.employee_id.in_(employee_ids)))
    return {p.employee_id: p for p in found}


def rounds_with_deadline_between(
    session: Session, start: datetime, end: datetime
) -> Sequence[CircleRound]:
    return session.scalars(
        select(CircleRound)
        .where(CircleRound.deadline > start, CircleRound.deadline <= end)
        .order_by(CircleRound.id)
    ).all()


def notes_given_since(session: Session, since: datetime) -> Sequence[CircleNote]:
    return session.scalars(
        select(CircleNote).where(CircleNote.given_at > since).order_by(CircleNote.id)
    ).all()


def anonymous_notes_for(session: Session, receiver_id: int) -> list[tuple[CircleNote, CircleRound]]:
    rows = session.execute(
        select(CircleNote, CircleRound)
        .join(CircleRound, CircleRound.id == CircleNote.round_id)
        .where(CircleNote.receiver_id == receiver_id, CircleRound.anonymous.is_(True))
        .order_by(CircleNote.id)
    ).all()
    return [(n, r) for n, r in rows]


def latest_rounds(session: Session) -> Sequence[CircleRound]:
    """The current round of every circle that has one."""
    latest = (
        select(CircleRound.circle_id, func.max(CircleRound.number).label("number"))
        .group_by(CircleRound.circle_id)
        .subquery()
    )
    return session.scalars(
        select(CircleRound).join(
            latest,
            (latest.c.circle_id == CircleRound.circle_id) & (latest.c.number == CircleRound.number),
        )
    ).all()


def person_circle_data(session: Session, person_id: int, now: datetime) -> dict[str, Any]:
    """A person's circles for their data export: memberships, skips, the circles they
    lead, the notes they signed and the notes to them they may read now (an anonymous
    one without its giver, once released). An anonymous note's text is its receiver's
    to read, so the giver's export says only that they wrote it."""
    from peermentor.domain import circles as rules
    from peermentor.store.personal_data_repo import as_dict

    rounds = {r.id: r for r in session.scalars(select(CircleRound))}
    names = {c.id: c.name for c in session.scalars(select(Circle))}
    given = session.scalars(select(CircleNote).where(CircleNote.giver_id == person_id)).all()
    received = session.scalars(select(CircleNote).where(CircleNote.receiver_id == person_id)).all()
    anonymous = [n for n in received if rounds[n.round_id].anonymous]
    by_circle: dict[int, list[CircleNote]] = {}
    for n in anonymous:
        by_circle.setdefault(rounds[n.round_id].circle_id, []).append(n)
    out_now: set[int] = set()
    for notes in by_circle.values():
        flags = rules.released([rounds[n.round_id].deadline for n in notes], now)
        out_now |= {n.id for n, ok in zip(notes, flags, strict=True) if ok}

    def where(n: CircleNote) -> dict[str, Any]:
        r = rounds[n.round_id]
        return {"circle": names.get(r.circle_id), "round": r.number}

    text = ("dimension", "situation", "behaviour", "impact", "suggestion")
    return {
        "memberships": [
            {"circle": names.get(m.circle_id)} | as_dict(m)
            for m in session.scalars(select(CircleMember).filter_by(person_id=person_id))
        ],
        "circles_led": sorted(
            c.name for c in session.scalars(select(Circle).filter_by(lead_person_id=person_id))
        ),
        "skips": [
            {"round_id": s.round_id, "skipped_at": s.skipped_at.isoformat()}
            for s in session.scalars(select(CircleSkip).where(CircleSkip.person_id == person_id))
        ],
        "notes_given": [
            where(n) | {"anonymous": True, "given_at": n.given_at.isoformat()}
            if rounds[n.round_id].anonymous
            else where(n) | as_dict(n, without=("assignment_id",))
            for n in given
        ],
        "notes_received": [
            where(n) | as_dict(n, without=("assignment_id",))
            for n in received
            if not rounds[n.round_id].anonymous
        ]
        + [
            {"anonymous": True} | {k: getattr(n, k) for k in text}
            for n in anonymous
            if n.id in out_now
        ],
        "replies": [as_dict(r) for r in replies_of(session, [n.id for n in received])],
    }
