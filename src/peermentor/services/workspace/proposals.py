"""Proposal and opt-in: drafts become proposals when published; each member accepts or
declines; the last yes makes the pairing active, one no dissolves it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.domain import lifecycle
from peermentor.domain.errors import ValidationError
from peermentor.domain.validation import MAX_MEMBERS, MIN_MEMBERS, require_aware, require_members
from peermentor.services.access import Actor, require_admin
from peermentor.services.programs import require_program_admin
from peermentor.services.workspace.access import (
    Workspace,
    find_head,
    open_workspace,
    timing_from,
)
from peermentor.store.models import Program
from peermentor.store.workspace_heads import PairingHead
from peermentor.store.workspace_repo import (
    draft_sizes,
    insert_draft,
    lifecycle_of,
    mark_drafts_proposed,
    mark_proposed,
    member_id,
    save_lifecycle,
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


def pairing_view(session: Session, head: PairingHead, now: datetime) -> PairingView:
    p = lifecycle_of(session, head)
    answers = {r.member_id: ("accepted" if r.accepted else "declined") for r in p.responses}
    return PairingView(
        id=head.id,
        program_id=head.program_id,
        state=head.state,
        cycle=head.cycle,
        members=tuple(
            MemberView(int(m.member), m.name, m.explanation, answers.get(m.member))
            for m in head.people
        ),
        proposed_at=head.proposed_at,
        activated_at=head.activated_at,
        proposal_overdue=lifecycle.proposal_overdue(
            p, now, timing_from(head.program_settings).response_window
        ),
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


def propose_drafts(session: Session, program_id: int, now: datetime) -> int:
    """Turn the programme's drafts into proposals the members see; returns how many.

    The workspace's half of publishing (what "proposed" means, since when); the use
    case, who may and its audit entry are services.matching.publish_program_draft,
    which pages, API and CLI all call. Does not commit.

    One UPDATE for the whole programme: a cohort of 100,000 people publishes 50,000
    pairings, which must not be 50,000 round trips."""
    require_aware("now", now)
    for pairing_id, size in draft_sizes(session, program_id):
        # The same rule as lifecycle.propose: 2 or 3 members, checked before anyone sees it.
        if not MIN_MEMBERS <= size <= MAX_MEMBERS:
            raise ValidationError("members", f"pairing {pairing_id} has {size} members, not 2 or 3")
    return mark_drafts_proposed(session, program_id, lifecycle.PairingState.PROPOSED.value, now)


def create_chosen_pairing(
    session: Session,
    program_id: int,
    person_ids: Sequence[int],
    score: float,
    components: dict[str, Any],
    explanations: dict[int, str],
    now: datetime,
) -> int:
    """A pairing its members chose (one asked, the other said yes): proposed and
    accepted by both at `now` through the same lifecycle steps as a published one, so
    it is active at once with the history and answers of any other. Does not commit."""
    require_aware("now", now)
    pairing_id = create_draft_pairing(
        session, program_id, person_ids, score, components, explanations
    )
    mark_proposed(session, pairing_id, lifecycle.PairingState.PROPOSED.value, now)
    head = find_head(session, pairing_id)
    before = lifecycle_of(session, head)
    after = before
    for person in person_ids:
        after = lifecycle.accept(after, member_id(person), now)
    save_lifecycle(session, pairing_id, before, after)
    return pairing_id


def get_pairing(session: Session, actor: Actor, pairing_id: int, now: datetime) -> PairingView:
    ws = open_workspace(session, actor, pairing_id)
    return pairing_view(session, ws.head, now)


def _member_step(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    step: Callable[[lifecycle.Pairing, str], lifecycle.Pairing],
) -> PairingView:
    ws: Workspace = open_workspace(session, actor, pairing_id, lock=True)
    before = lifecycle_of(session, ws.head)
    save_lifecycle(session, ws.id, before, step(before, ws.me))
    session.commit()
    return pairing_view(session, find_head(session, ws.id), now)


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
    head = find_head(session, pairing_id, lock=True)
    program = session.get(Program, head.program_id)
    assert program is not None
    require_program_admin(session, actor, program)
    before = lifecycle_of(session, head)
    after = step(before)
    save_lifecycle(session, head.id, before, after)
    session.commit()
    return after.state.value


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
