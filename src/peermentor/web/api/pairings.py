"""A pairing and its opt-in: read it, accept or decline the proposal, pause, resume."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from peermentor.domain.lifecycle import PairingState
from peermentor.services.workspace import proposals
from peermentor.services.workspace.proposals import PairingView
from peermentor.web.api.common import (
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    Reason,
    api_router,
)

router = api_router("pairings")


class PairingMemberOut(Out):
    person_id: int
    name: str
    why_matched: str  # the matching engine's explanation, written for this member
    answer: Literal["accepted", "declined"] | None


class PairingOut(Out):
    id: int
    program_id: int
    state: PairingState
    cycle: int
    members: list[PairingMemberOut]
    proposed_at: datetime | None
    activated_at: datetime | None
    proposal_overdue: bool


def pairing_out(view: PairingView) -> PairingOut:
    return PairingOut(
        id=view.id,
        program_id=view.program_id,
        state=PairingState(view.state),
        cycle=view.cycle,
        members=[
            PairingMemberOut(
                person_id=m.person_id,
                name=m.name,
                why_matched=m.explanation,
                answer=m.answer,  # type: ignore[arg-type]  # the service's two words
            )
            for m in view.members
        ],
        proposed_at=view.proposed_at,
        activated_at=view.activated_at,
        proposal_overdue=view.proposal_overdue,
    )


BASE = "/pairings/{pairing_id}"


@router.get(BASE, response_model=PairingOut, summary="A pairing, its members and their answers")
def get_pairing(pairing_id: PathId, who: Member, session: Db, now: Clock) -> PairingOut:
    return pairing_out(proposals.get_pairing(session, who.actor, pairing_id, now))


@router.post(BASE + "/accept", response_model=PairingOut, summary="Accept the proposal")
def accept(pairing_id: PathId, who: MemberChange, session: Db, now: Clock) -> PairingOut:
    return pairing_out(proposals.accept_proposal(session, who.actor, pairing_id, now))


@router.post(
    BASE + "/decline",
    response_model=PairingOut,
    summary="Decline the proposal (dissolves it; both return to the pool)",
)
def decline(
    pairing_id: PathId, who: MemberChange, session: Db, now: Clock, body: Reason | None = None
) -> PairingOut:
    reason = body.reason if body else ""
    return pairing_out(
        proposals.decline_proposal(session, who.actor, pairing_id, now, reason=reason)
    )


@router.post(BASE + "/pause", response_model=PairingOut, summary="Pause an active pairing")
def pause(
    pairing_id: PathId, who: MemberChange, session: Db, now: Clock, body: Reason | None = None
) -> PairingOut:
    reason = body.reason if body else ""
    return pairing_out(proposals.pause_pairing(session, who.actor, pairing_id, now, reason=reason))


@router.post(BASE + "/resume", response_model=PairingOut, summary="Resume a paused pairing")
def resume(pairing_id: PathId, who: MemberChange, session: Db, now: Clock) -> PairingOut:
    return pairing_out(proposals.resume_pairing(session, who.actor, pairing_id, now))
