"""What a cycle of a pairing held, told from one member's side, before they close or
renew: sessions, requests both ways, role-plays, feedback both ways, gaps moved.

Counts only: the summary is for the pair's closing page and names nothing anyone wrote.
Pure: the caller passes what was stored and when the cycle began.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from peermentor.domain.feedback import Feedback
from peermentor.domain.gaps import GapBoard, GapStatus
from peermentor.domain.guidance import GuidanceRequest
from peermentor.domain.lifecycle import Action, Transition
from peermentor.domain.roleplay import RolePlay
from peermentor.domain.sessions import Session


@dataclass(frozen=True, slots=True)
class CycleSummary:
    since: datetime | None  # when this cycle began (None: not started yet)
    sessions: int
    minutes: int
    i_asked: int
    answered_for_me: int
    asked_of_me: int
    i_answered: int
    roleplays: int
    feedback_given: int
    feedback_received: int
    my_gaps_moving: int  # in progress
    my_gaps_done: int
    their_gaps_moving: int
    their_gaps_done: int


def cycle_start(history: Iterable[Transition]) -> datetime | None:
    """The start of the current cycle: the last renewal, else the moment it opened (the
    acceptance that made it active)."""
    start = None
    for t in history:
        if t.action is Action.RENEW or (t.action is Action.ACCEPT and t.to_state == "active"):
            start = t.at
    return start


def summarise(
    me: str,
    since: datetime | None,
    sessions: Iterable[Session],
    requests: Iterable[GuidanceRequest],
    feedback: Iterable[Feedback],
    roleplays: Iterable[RolePlay],
    boards: Mapping[str, GapBoard],
) -> CycleSummary:
    def in_cycle(at: datetime | None) -> bool:
        return at is not None and (since is None or at >= since)

    held = [s for s in sessions if since is None or s.held_on >= since.date()]
    asked = [r for r in requests if in_cycle(r.asked_at) and not r.was_withdrawn]
    given = [f for f in feedback if in_cycle(f.given_at)]
    mine = boards.get(me, GapBoard(me)).gaps
    theirs = [g for owner, b in boards.items() if owner != me for g in b.gaps]
    return CycleSummary(
        since=since,
        sessions=len(held),
        minutes=sum(s.duration_minutes for s in held),
        i_asked=sum(1 for r in asked if r.asker == me),
        answered_for_me=sum(1 for r in asked if r.asker == me and r.answered_at is not None),
        asked_of_me=sum(1 for r in asked if r.recipient == me),
        i_answered=sum(1 for r in asked if r.recipient == me and r.answered_at is not None),
        roleplays=sum(1 for rp in roleplays if in_cycle(rp.completed_at)),
        feedback_given=sum(1 for f in given if f.giver == me),
        feedback_received=sum(1 for f in given if f.receiver == me),
        my_gaps_moving=sum(1 for g in mine if g.status is GapStatus.IN_PROGRESS),
        my_gaps_done=sum(1 for g in mine if g.status is GapStatus.CLOSED),
        their_gaps_moving=sum(1 for g in theirs if g.status is GapStatus.IN_PROGRESS),
        their_gaps_done=sum(1 for g in theirs if g.status is GapStatus.CLOSED),
    )
