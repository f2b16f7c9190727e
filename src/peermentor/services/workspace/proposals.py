"""Proposal and opt-in: drafts become proposals when published; each member accepts or
declines; the last yes makes the pairing active, one no dissolves it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain import lifecycle
from peermentor.domain.validation import require_aware, require_members
from peermentor.services.access import Actor, NotFound, require_admin
from peermentor.services.workspace.access import (
    Workspace,
    find_pairing,
    open_workspace,
    timing_of,
)
from peermentor.store.models import Pairing, Program
from peermentor.store.workspace_repo import (
    insert_draft,
    lifecycle_of,
    member_id,
    optional_utc,
    save_lifecycle,
    to_store,
)


@dataclass(frozen=True, slots=True)
class MemberView:
    person_id: int
    name: str
    explanation: str  # "why you two", written for this member by the matching engine
    answer: str | None  # "accepted", "declined", or None while they have not answered


@dataclass(frozen=True, slots=True)
class PairingView:
    id: int
    program_id: int
    state: str
    cycle: int
    members: tuple[MemberView, ...]
    proposed_at: datetime | None
    activated_at: datetime | None
    proposal_overdue: bool


def pairing_view(session: Session, row: Pairing, now: datetime) -> PairingView:
    program = session.get(Program, row.program_id)
    assert program is not None
    p = lifecycle_of(session, row)
    answers = {r.member_id: ("accepted" if r.accepted else "declined") for r in p.responses}
    return PairingView(
        id=row.id,
        program_id=row.program_id,
        state=row.state,
        cycle=row.cycle,
        members=tuple(
            MemberView(
                m.person_id, m.person.name, m.explanation, answers.get(member_id(m.person_id))
            )
            for m in row.members
        ),
        proposed_at=optional_utc(row.proposed_at),
        activated_at=optional_utc(row.activated_at),
        proposal_overdue=lifecycle.proposal_overdue(p, now, timing_of(program).response_window),
    )


def create_draft_pairing(
    session: Session,
    program_id: int,
    person_ids: Sequence[int],
    score: float,
    components: dict[str, Any],
    explanations: dict[int, str],
    match_run_id: int | None = None,
) -> int:
    """A pairing the engine proposes, not yet shown to anyone (the matching service and
    the tests call this; the admin's review happens before publish)."""
    require_members(tuple(member_id(p) for p in person_ids))
    return insert_draft(
        session,
        program_id=program_id,
        person_ids=person_ids,
        score=score,
        components=components,
        explanations=explanations,
        match_run_id=match_run_id,
    )


def publish_pairings(session: Session, actor: Actor, program_id: int, now: datetime) -> int:
    """Turn the programme's drafts into proposals the members see; returns how many."""
    require_admin(actor)
    require_aware("now", now)
    if session.get(Program, program_id) is None:
        raise NotFound(f"no programme {program_id}")
    drafts = session.scalars(
        select(Pairing).where(Pairing.program_id == program_id, Pairing.state == "draft")
    ).all()
    for row in drafts:
        lifecycle.propose(str(row.id), tuple(member_id(m.person_id) for m in row.members), now)
        row.state = lifecycle.PairingState.PROPOSED.value
        row.proposed_at = row.published_at = to_store(now)
    session.commit()
    return len(drafts)


def get_pairing(session: Session, actor: Actor, pairing_id: int, now: datetime) -> PairingView:
    ws = open_workspace(session, actor, pairing_id)
    return pairing_view(session, ws.row, now)


def _member_step(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    step: Callable[[lifecycle.Pairing, str], lifecycle.Pairing],
) -> PairingView:
    ws: Workspace = open_workspace(session, actor, pairing_id)
    before = lifecycle_of(session, ws.row)
    save_lifecycle(session, ws.row, before, step(before, ws.me))
    session.commit()
    return pairing_view(session, ws.row, now)


def accept_proposal(session: Session, actor: Actor, pairing_id: int, now: datetime) -> PairingView:
    return _member_step(session, actor, pairing_id, now, lambda p, me: lifecycle.accept(p, me, now))


def decline_proposal(
    session: Session, actor: Actor, pairing_id: int, now: datetime, *, reason: str = ""
) -> PairingView:
    """One no dissolves the proposal; both members are free for the next match."""
    return _member_step(
        session, actor, pairing_id, now, lambda p, me: lifecycle.decline(p, me, now, reason)
    )


def pause_pairing(
    session: Session, actor: Actor, pairing_id: int, now: datetime, *, reason: str = ""
) -> PairingView:
    return _member_step(
        session, actor, pairing_id, now, lambda p, me: lifecycle.pause(p, me, now, reason)
    )


def resume_pairing(session: Session, actor: Actor, pairing_id: int, now: datetime) -> PairingView:
    return _member_step(session, actor, pairing_id, now, lambda p, me: lifecycle.resume(p, me, now))


def _admin_step(
    session: Session,
    actor: Actor,
    pairing_id: int,
    step: Callable[[lifecycle.Pairing], lifecycle.Pairing],
) -> str:
    require_admin(actor)
    row = find_pairing(session, pairing_id)
    before = lifecycle_of(session, row)
    save_lifecycle(session, row, before, step(before))
    session.commit()
    return row.state


def withdraw_proposal(
    session: Session, actor: Actor, pairing_id: int, now: datetime, *, reason: str = ""
) -> str:
    """An admin takes a proposal back; returns the new state. The reason is the
    admin's own words, stored with the pairing's history."""
    return _admin_step(session, actor, pairing_id, lambda p: lifecycle.withdraw(p, now, reason))


def dissolve_pairing(
    session: Session, actor: Actor, pairing_id: int, now: datetime, *, reason: str = ""
) -> str:
    """An admin ends an active or paused pairing that is not working."""
    return _admin_step(session, actor, pairing_id, lambda p: lifecycle.dissolve(p, now, reason))
