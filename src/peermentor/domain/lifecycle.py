"""The life of a pairing as one explicit state machine.

    proposed --accept (last member)--> active
    proposed --decline-------------->  dissolved   (members return to the pool)
    proposed --withdraw------------->  dissolved   (an admin takes the proposal back)
    active   --pause----------------> paused --resume--> active
    active | paused --complete------> completed
    active | paused --renew---------> active       (a new cycle)
    active | paused --rematch-------> dissolved    (members return to the pool)
    active | paused --dissolve------> dissolved    (an admin ends it)

Completed and dissolved are final: a new cycle with new people is a new pairing.
Every other (state, action) pair raises InvalidTransition naming both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from peermentor.domain.errors import InvalidTransition, NotReady
from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_member,
    require_members,
    require_text,
)

MAX_REASON = 1000


class PairingState(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    DISSOLVED = "dissolved"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    RENEW = "renew"
    REMATCH = "rematch"
    DISSOLVE = "dissolve"


P, A, Z, C, D = (
    PairingState.PROPOSED,
    PairingState.ACTIVE,
    PairingState.PAUSED,
    PairingState.COMPLETED,
    PairingState.DISSOLVED,
)

# ACCEPT moves to ACTIVE only when it is the last missing acceptance; until then the
# pairing stays proposed (see accept()).
TRANSITIONS: dict[tuple[PairingState, Action], PairingState] = {
    (P, Action.ACCEPT): A,
    (P, Action.DECLINE): D,
    (P, Action.WITHDRAW): D,
    (A, Action.PAUSE): Z,
    (Z, Action.RESUME): A,
    (A, Action.COMPLETE): C,
    (Z, Action.COMPLETE): C,
    (A, Action.RENEW): A,
    (Z, Action.RENEW): A,
    (A, Action.REMATCH): D,
    (Z, Action.REMATCH): D,
    (A, Action.DISSOLVE): D,
    (Z, Action.DISSOLVE): D,
}

FINAL_STATES = frozenset({C, D})


def next_state(state: PairingState, action: Action) -> PairingState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(state.value, action.value) from None


@dataclass(frozen=True, slots=True)
class Response:
    member_id: str
    accepted: bool
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    from_state: PairingState
    to_state: PairingState
    at: datetime
    by: str | None  # None: an admin or the system, authorised by the service above
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Pairing:
    pairing_id: str
    members: tuple[str, ...]
    proposed_at: datetime
    state: PairingState = PairingState.PROPOSED
    responses: tuple[Response, ...] = ()
    cycle: int = 1
    history: tuple[Transition, ...] = ()

    def response_of(self, member_id: str) -> Response | None:
        return next((r for r in self.responses if r.member_id == member_id), None)

    @property
    def awaiting(self) -> tuple[str, ...]:
        """Members who have not yet answered the proposal."""
        answered = {r.member_id for r in self.responses}
        return tuple(m for m in self.members if m not in answered)

    @property
    def returns_members_to_pool(self) -> bool:
        return self.state is PairingState.DISSOLVED


def propose(pairing_id: str, members: tuple[str, ...], now: datetime) -> Pairing:
    return Pairing(
        pairing_id=require_id("pairing_id", pairing_id),
        members=require_members(members),
        proposed_at=require_aware("now", now),
    )


def _move(p: Pairing, action: Action, now: datetime, by: str | None, reason: str = "") -> Pairing:
    target = next_state(p.state, action)
    step = Transition(action, p.state, target, require_aware("now", now), by, reason)
    return replace(p, state=target, history=(*p.history, step))


def _respond(p: Pairing, member_id: str, action: Action, now: datetime, reason: str) -> Pairing:
    require_member(p.members, member_id)
    next_state(p.state, action)  # refuse before anything else when not proposed
    if p.response_of(member_id) is not None:
        raise NotReady(action.value, f"{member_id} has already answered this proposal")
    accepted = action is Action.ACCEPT
    text = require_text("reason", reason, max_len=MAX_REASON, required=False)
    response = Response(member_id, accepted, require_aware("now", now), text)
    return replace(p, responses=(*p.responses, response))


def accept(p: Pairing, member_id: str, now: datetime) -> Pairing:
    """Record one member's yes; the last yes makes the pairing active."""
    p = _respond(p, member_id, Action.ACCEPT, now, "")
    if p.awaiting:
        return p
    return _move(p, Action.ACCEPT, now, member_id)


def decline(p: Pairing, member_id: str, now: datetime, reason: str = "") -> Pairing:
    """One no dissolves the proposal; the reason stays with the pairing, not the pool."""
    p = _respond(p, member_id, Action.DECLINE, now, reason)
    return _move(p, Action.DECLINE, now, member_id, p.responses[-1].reason)


def withdraw(p: Pairing, now: datetime, reason: str = "") -> Pairing:
    """An admin takes back a proposal (the service checks that the actor is an admin)."""
    text = require_text("reason", reason, max_len=MAX_REASON, required=False)
    return _move(p, Action.WITHDRAW, now, None, text)


def pause(p: Pairing, member_id: str, now: datetime, reason: str = "") -> Pairing:
    require_member(p.members, member_id)
    text = require_text("reason", reason, max_len=MAX_REASON, required=False)
    return _move(p, Action.PAUSE, now, member_id, text)


def resume(p: Pairing, member_id: str, now: datetime) -> Pairing:
    require_member(p.members, member_id)
    return _move(p, Action.RESUME, now, member_id)


def complete(p: Pairing, now: datetime, by: str | None = None) -> Pairing:
    if by is not None:
        require_member(p.members, by)
    return _move(p, Action.COMPLETE, now, by)


def renew(p: Pairing, now: datetime, by: str | None = None) -> Pairing:
    if by is not None:
        require_member(p.members, by)
    return replace(_move(p, Action.RENEW, now, by), cycle=p.cycle + 1)


def request_rematch(p: Pairing, member_id: str, now: datetime, reason: str = "") -> Pairing:
    """Any one member may leave: nobody is held in a pairing they want out of."""
    require_member(p.members, member_id)
    text = require_text("reason", reason, max_len=MAX_REASON, required=False)
    return _move(p, Action.REMATCH, now, member_id, text)


def dissolve(p: Pairing, now: datetime, reason: str = "") -> Pairing:
    """An admin ends an active or paused pairing."""
    text = require_text("reason", reason, max_len=MAX_REASON, required=False)
    return _move(p, Action.DISSOLVE, now, None, text)


def proposal_overdue(p: Pairing, now: datetime, response_window: timedelta) -> bool:
    """A proposal still unanswered by someone once the programme's window has passed."""
    require_aware("now", now)
    return (
        p.state is PairingState.PROPOSED
        and bool(p.awaiting)
        and now - p.proposed_at > response_window
    )
