"""An admin reviews a draft match: lock, swap, unpair or pair by hand, then publish.

Every hand-made group is checked against the hard rules and scored and explained by
the engine itself (matching.manual), then locked so a rerun keeps it. Every use case
takes the programme's id and commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.matching.admin_words import admin_summary
from peermentor.matching.manual import evaluate_groups
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound
from peermentor.services.matching import past_partners_of, pool_of, program_match_settings
from peermentor.services.programs import get_program_by_id
from peermentor.store import match_repo
from peermentor.store.models import MatchRun, Pairing, Program


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
    admin_line: str = ""  # strong and weak criteria, for the reviewing admin


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
        admin_line=admin_summary(pairing.components or {}),
    )


def current_pairings(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    offset: int = 0,
    limit: int = 100,
    query: str = "",
    strongest_first: bool = False,
) -> tuple[list[PairingView], int]:
    """The draft (or, once published, the live) pairings, lowest score first (the
    ones an admin most needs to look at) or highest; `query`: those with a member of
    that name or employee id."""
    program = get_program_by_id(session, actor, program_id)
    rows, total = match_repo.current_page(
        session, program.id, offset, limit, query[:MAX_QUERY], strongest_first
    )
    return [_view(p) for p in rows], total


@dataclass(frozen=True)
class FiguresNow:
    """The pairings as they are after hand edits (the run's own figures stay the run's:
    its bound and gap are about the matching it found)."""

    pairings: int
    triads: int
    total_score: float
    unpaired: list[tuple[str, str]]  # (employee id, name), the first UNPAIRED_SHOWN
    unpaired_total: int


UNPAIRED_SHOWN = 200
MAX_QUERY = 200


def declined_waiting(session: Session, actor: Actor, program_id: int) -> int:
    """Declined proposals whose members are not in a new pairing yet (for Needs
    attention: a rematch takes them)."""
    program = get_program_by_id(session, actor, program_id)
    return match_repo.declined_waiting(session, program.id)


def figures_now(session: Session, actor: Actor, program_id: int) -> FiguresNow:
    program = get_program_by_id(session, actor, program_id)
    pairings, triads, total = match_repo.current_figures(session, program.id)
    unpaired, unpaired_total = match_repo.enrolled_without_pairing(
        session, program.id, UNPAIRED_SHOWN
    )
    return FiguresNow(pairings, triads, total, unpaired, unpaired_total)


def latest_run(session: Session, actor: Actor, program_id: int) -> MatchRun | None:
    """The run under review: the newest one a later run did not discard."""
    program = get_program_by_id(session, actor, program_id)
    return match_repo.latest_kept_run(session, program.id)


def _draft(session: Session, program: Program, pairing_id: int) -> Pairing:
    pairing = match_repo.pairing(session, pairing_id)
    if pairing is None or pairing.program_id != program.id:
        raise NotFound(f"no pairing {pairing_id} in {program.name!r}")
    if pairing.state != "draft":
        raise InvalidInput(f"pairing {pairing_id} is {pairing.state}; only a draft can change")
    return pairing


def set_locked(
    session: Session, actor: Actor, program_id: int, pairing_id: int, locked: bool
) -> None:
    program = get_program_by_id(session, actor, program_id)
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


def unpair(
    session: Session, actor: Actor, program_id: int, pairing_id: int, now: datetime | None = None
) -> list[str]:
    """Remove a draft pairing; its members wait for the next run or a hand pairing."""
    program = get_program_by_id(session, actor, program_id)
    pairing = _draft(session, program, pairing_id)
    members = [m.person.employee_id for m in pairing.members]
    people = [m.person_id for m in pairing.members]
    match_repo.delete_pairings(session, [pairing])
    audit.record(
        session,
        actor,
        "pairing.unpaired",
        target_kind="pairing",
        target_id=pairing_id,
        program_id=program.id,
        details={"people": people},
        now=now or datetime.now(UTC),
    )
    session.commit()
    return members


def _replace_with(
    session: Session,
    program: Program,
    run_id: int | None,
    old: Sequence[Pairing],
    groups: list[tuple[str, ...]],
    now: datetime,
) -> list[int]:
    """Score the new groups (raising InvalidInput on a broken rule) and swap them in as
    locked drafts of run `run_id`; the caller records the change and commits."""
    pool = pool_of(session, program)
    try:
        evaluated = evaluate_groups(
            pool, program_match_settings(program), groups, past_partners_of(session)
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    match_repo.delete_pairings(session, old)
    return [match_repo.add_pinned_draft(session, program.id, run_id, p, now) for p in evaluated]


def swap(
    session: Session,
    actor: Actor,
    program_id: int,
    first: str,
    second: str,
    now: datetime | None = None,
) -> list[int]:
    """Exchange two people between their draft pairings; both pairings are locked."""
    now = now or datetime.now(UTC)
    program = get_program_by_id(session, actor, program_id)
    a = match_repo.current_pairing_of(session, program.id, first)
    b = match_repo.current_pairing_of(session, program.id, second)
    for employee_id, pairing in ((first, a), (second, b)):
        if pairing is None:
            raise InvalidInput(f"{employee_id} is not in a pairing of {program.name!r}")
        _draft(session, program, pairing.id)
        if pairing.pinned:
            # Locked means "keep these people together": a swap would undo that quietly.
            raise InvalidInput(
                f"{employee_id} is in pairing {pairing.id}, which is locked; unlock it first "
                "to swap someone out of it"
            )
    assert a is not None and b is not None
    if a.id == b.id:
        raise InvalidInput(f"{first} and {second} are already in the same pairing")
    swapped = {first: second, second: first}
    groups = [
        tuple(swapped.get(m.person.employee_id, m.person.employee_id) for m in p.members)
        for p in (a, b)
    ]
    replaced = [a.id, b.id]
    created = _replace_with(session, program, a.match_run_id, [a, b], groups, now)
    audit.record(
        session,
        actor,
        "pairing.swapped",
        program_id=program.id,
        details={"pairings": created, "replaced": replaced},
        now=now,
    )
    session.commit()
    return created


def pair_by_hand(
    session: Session,
    actor: Actor,
    program_id: int,
    employee_ids: Sequence[str],
    now: datetime | None = None,
) -> int:
    """Pair two or three people who are not in any pairing; the pairing is locked and
    belongs to the run under review."""
    now = now or datetime.now(UTC)
    program = get_program_by_id(session, actor, program_id)
    ids = tuple(dict.fromkeys(e.strip() for e in employee_ids if e.strip()))
    if len(ids) not in (2, 3):
        raise InvalidInput("a pairing has 2 or 3 different people")
    for employee_id in ids:
        if match_repo.current_pairing_of(session, program.id, employee_id) is not None:
            raise InvalidInput(f"{employee_id} is already in a pairing; unpair or swap instead")
    run = match_repo.latest_kept_run(session, program.id)
    if run is None:
        raise InvalidInput(f"{program.name!r} has no match to review; run a match first")
    [created] = _replace_with(session, program, run.id, [], [ids], now)
    audit.record(
        session,
        actor,
        "pairing.paired_by_hand",
        target_kind="pairing",
        target_id=created,
        program_id=program.id,
        details={"members": len(ids)},
        now=now,
    )
    session.commit()
    return created
