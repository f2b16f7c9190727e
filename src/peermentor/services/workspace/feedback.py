"""Feedback from one member to another: private to those two, acknowledged by the receiver.

In a triad the third member does not read it (domain.feedback.can_read); admins
never do, since they are not members at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import feedback as rules
from peermentor.domain.errors import NotFound
from peermentor.domain.feedback import Feedback
from peermentor.services.access import Actor, Forbidden
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.services.workspace.guidance import partner_of
from peermentor.store.workspace_exchange import load_feedback, load_one_feedback, save_feedback
from peermentor.store.workspace_repo import NEW_ID


@dataclass(frozen=True, slots=True)
class MyFeedback:
    given: tuple[Feedback, ...]
    received: tuple[Feedback, ...]


def list_feedback(session: Session, actor: Actor, pairing_id: int) -> MyFeedback:
    return feedback_of(session, open_workspace(session, actor, pairing_id))


def feedback_of(session: Session, ws: Workspace) -> MyFeedback:
    mine = [
        f
        for f in load_feedback(session, {ws.id: ws.members}).get(ws.id, ())
        if rules.can_read(f, ws.me)
    ]
    return MyFeedback(
        given=tuple(f for f in mine if f.giver == ws.me),
        received=tuple(f for f in mine if f.receiver == ws.me),
    )


def give_feedback(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    dimension: str,
    situation: str,
    behaviour: str,
    impact: str,
    suggestion: str = "",
    receiver_id: int | None = None,
) -> Feedback:
    ws = open_for_writing(session, actor, pairing_id, "give feedback in")
    fb = rules.give_feedback(
        NEW_ID,
        ws.members,
        ws.me,
        partner_of(ws, receiver_id, "receiver_id"),
        now,
        dimension=dimension,
        situation=situation,
        behaviour=behaviour,
        impact=impact,
        suggestion=suggestion,
    )
    saved = save_feedback(session, ws.id, fb)
    session.commit()
    return saved


def acknowledge_feedback(
    session: Session, actor: Actor, pairing_id: int, feedback_id: int, now: datetime
) -> Feedback:
    ws = open_for_writing(session, actor, pairing_id, "acknowledge feedback in")
    fb = load_one_feedback(session, ws.id, ws.members, feedback_id)
    if fb is None:
        raise NotFound("feedback", str(feedback_id))
    if not rules.can_read(fb, ws.me):
        raise Forbidden("feedback is private to the two members it is between")
    saved = save_feedback(session, ws.id, rules.acknowledge(fb, ws.me, now))
    session.commit()
    return saved
