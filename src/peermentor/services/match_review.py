"""An admin reviews a draft match: lock, swap, unpair or pair by hand, then publish.

Every hand-made group is checked against the hard rules and scored and explained by
the engine itself (matching.manual), then locked so a rerun keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from peermentor.matching.manual import evaluate_groups
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound, require_admin
from peermentor.services.matching import (
    LIVE_STATES,
    past_partners_of,
    pool_of,
    program_match_settings,
)
from peermentor.services.programs import admin_program
from peermentor.store.models import MatchRun, Pairing, PairingMember, Person, Program


@dataclass(frozen=True)
class MemberView:
    employee_id: str
    name: str
    department: str
    job_title: str
    level: int | None
    years_experience: float
    explanation: str


@dataclass(frozen=True)
class PairingView:
    id: int
    state: str
    score: float
    pinned: bool
    components: dict[str, Any]
    members: list[MemberView]


def _view(pairing: Pairing) -> PairingView:
    return PairingView(
        id=pairing.id,
        state=pairing.state,
        score=pairing.score,
        pinned=pairing.pinned,
        components=dict(pairing.components),
        members=[
            MemberView(
                m.person.employee_id,
                m.person.name,
                m.person.department,
                m.person.job_title,
                m.person.level,
                m.person.years_experience,
                m.explanation,
            )
            for m in pairing.members
        ],
    )


def current_pairings(
    session: Session, actor: Actor, program_name: str, *, offset: int = 0, limit: int = 100
) -> tuple[list[PairingView], int]:
    """The draft (or, once published, the live) pairings, lowest score first: the
    ones an admin most needs to look at."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    condition = (Pairing.program_id == program.id) & Pairing.state.in_(("draft", *LIVE_STATES))
    total = len(session.scalars(select(Pairing.id).where(condition)).all())
    rows = session.scalars(
        select(Pairing)
        .where(condition)
        .options(selectinload(Pairing.members).selectinload(PairingMember.person))
        .order_by(Pairing.score, Pairing.id)
        .offset(offset)
        .limit(limit)
    )
    return [_view(p) for p in rows], total


def latest_run(session: Session, actor: Actor, program_name: str) -> MatchRun | None:
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    return session.scalar(
        select(MatchRun)
        .where(MatchRun.program_id == program.id, MatchRun.status != "discarded")
        .order_by(MatchRun.id.desc())
    )


def _draft(session: Session, program: Program, pairing_id: int) -> Pairing:
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or pairing.program_id != program.id:
        raise NotFound(f"no pairing {pairing_id} in {program.name!r}")
    if pairing.state != "draft":
        raise InvalidInput(f"pairing {pairing_id} is {pairing.state}; only a draft can change")
    return pairing


def set_locked(
    session: Session, actor: Actor, program_name: str, pairing_id: int, locked: bool
) -> None:
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    _draft(session, program, pairing_id).pinned = locked
    audit.record(
        session,
        actor,
        "pairing.locked" if locked else "pairing.unlocked",
        target_kind="pairing",
        target_id=pairing_id,
        program_id=program.id,
        now=datetime.now(UTC),
    )
    session.commit()


def unpair(session: Session, actor: Actor, program_name: str, pairing_id: int) -> list[str]:
    """Remove a draft pairing; its members wait for the next run or a hand pairing."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    pairing = _draft(session, program, pairing_id)
    members = [m.person.employee_id for m in pairing.members]
    session.delete(pairing)
    audit.record(
        session,
        actor,
        "pairing.unpaired",
        target_kind="pairing",
        target_id=pairing_id,
        program_id=program.id,
        details={"people": [m.person_id for m in pairing.members]},
        now=datetime.now(UTC),
    )
    session.commit()
    return members


def _draft_of(session: Session, program: Program, employee_id: str) -> Pairing | None:
    return session.scalar(
        select(Pairing)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(
            Pairing.program_id == program.id,
            Pairing.state.in_(("draft", *LIVE_STATES)),
            Person.employee_id == employee_id,
        )
    )


def _replace_with(
    session: Session,
    program: Program,
    old: Sequence[Pairing],
    groups: list[tuple[str, ...]],
    now: datetime,
) -> list[int]:
    """Score the new groups (raising InvalidInput on a broken rule) and swap them in;
    the caller records the change and commits."""
    pool = pool_of(session, program)
    try:
        evaluated = evaluate_groups(
            pool, program_match_settings(program), groups, past_partners_of(session)
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    run_id = old[0].match_run_id if old else None
    for pairing in old:
        session.delete(pairing)
    session.flush()
    person_ids = dict(
        session.execute(
            select(Person.employee_id, Person.id).where(
                Person.employee_id.in_([m for g in groups for m in g])
            )
        ).all()
    )
    created = []
    for result in evaluated:
        pairing = Pairing(
            program_id=program.id,
            match_run_id=run_id,
            state="draft",
            score=result.score,
            components=result.components,
            pinned=True,
            created_at=now,
        )
        pairing.members = [
            PairingMember(person_id=person_ids[m], explanation=result.explanations[m])
            for m in result.members
        ]
        session.add(pairing)
        session.flush()
        created.append(pairing.id)
    return created


def swap(
    session: Session,
    actor: Actor,
    program_name: str,
    first: str,
    second: str,
    now: datetime | None = None,
) -> list[int]:
    """Exchange two people between their draft pairings; both pairings are locked."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    a, b = _draft_of(session, program, first), _draft_of(session, program, second)
    for employee_id, pairing in ((first, a), (second, b)):
        if pairing is None:
            raise InvalidInput(f"{employee_id} is not in a pairing of {program.name!r}")
        _draft(session, program, pairing.id)
    assert a is not None and b is not None
    if a.id == b.id:
        raise InvalidInput(f"{first} and {second} are already in the same pairing")
    swapped = {first: second, second: first}
    groups = [
        tuple(swapped.get(m.person.employee_id, m.person.employee_id) for m in p.members)
        for p in (a, b)
    ]
    replaced = [a.id, b.id]
    created = _replace_with(session, program, [a, b], groups, now or datetime.now(UTC))
    audit.record(
        session,
        actor,
        "pairing.swapped",
        program_id=program.id,
        details={"pairings": created, "replaced": replaced},
        now=now or datetime.now(UTC),
    )
    session.commit()
    return created


def pair_by_hand(
    session: Session,
    actor: Actor,
    program_name: str,
    employee_ids: Sequence[str],
    now: datetime | None = None,
) -> int:
    """Pair two or three people who are not in any pairing; the pairing is locked."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    ids = tuple(dict.fromkeys(e.strip() for e in employee_ids if e.strip()))
    if len(ids) not in (2, 3):
        raise InvalidInput("a pairing has 2 or 3 different people")
    for employee_id in ids:
        if _draft_of(session, program, employee_id) is not None:
            raise InvalidInput(f"{employee_id} is already in a pairing; unpair or swap instead")
    [created] = _replace_with(session, program, [], [ids], now or datetime.now(UTC))
    audit.record(
        session,
        actor,
        "pairing.paired_by_hand",
        target_kind="pairing",
        target_id=created,
        program_id=program.id,
        details={"members": len(ids)},
        now=now or datetime.now(UTC),
    )
    session.commit()
    return created


def discard_draft(session: Session, actor: Actor, program_name: str) -> None:
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    removed = session.execute(
        delete(Pairing).where(Pairing.program_id == program.id, Pairing.state == "draft")
    )
    audit.record(
        session,
        actor,
        "match.draft_discarded",
        program_id=program.id,
        details={"pairings": int(removed.rowcount or 0)},  # type: ignore[attr-defined]
        now=datetime.now(UTC),
    )
    session.commit()
