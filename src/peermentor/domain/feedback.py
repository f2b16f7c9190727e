"""Feedback: candid and specific, from one member to another, acknowledged by the receiver.

Situation, behaviour, impact and suggestion follow the SBI model plus a way forward.
Only the pair sees it; the service above enforces that with `can_read`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from peermentor.domain.errors import NotAllowed, ValidationError, collect
from peermentor.domain.validation import (
    require_aware,
    require_choice,
    require_id,
    require_member,
    require_members,
    require_text,
)

MAX_PART = 2000


class Dimension(StrEnum):
    BEHAVIOUR = "behaviour"
    ATTITUDE = "attitude"
    PERFORMANCE = "performance"


@dataclass(frozen=True, slots=True)
class Feedback:
    feedback_id: str
    members: tuple[str, ...]
    giver: str
    receiver: str
    dimension: Dimension
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    given_at: datetime
    acknowledged_at: datetime | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def give_feedback(
    feedback_id: str,
    members: tuple[str, ...],
    giver: str,
    receiver: str,
    now: datetime,
    *,
    dimension: Dimension | str,
    situation: str,
    behaviour: str,
    impact: str,
    suggestion: str = "",
) -> Feedback:
    members = require_members(members)
    require_member(members, giver)
    require_member(members, receiver)
    if giver == receiver:
        raise ValidationError("receiver", "feedback goes to another member, not to oneself")
    # Every blank or too-long part is named at once, not only the first.
    collect(
        *(
            (lambda f=f, v=v: require_text(f, v, max_len=MAX_PART))
            for f, v in (("situation", situation), ("behaviour", behaviour), ("impact", impact))
        )
    )
    return Feedback(
        feedback_id=require_id("feedback_id", feedback_id),
        members=members,
        giver=giver,
        receiver=receiver,
        dimension=require_choice("dimension", dimension, Dimension),
        situation=require_text("situation", situation, max_len=MAX_PART),
        behaviour=require_text("behaviour", behaviour, max_len=MAX_PART),
        impact=require_text("impact", impact, max_len=MAX_PART),
        suggestion=require_text("suggestion", suggestion, max_len=MAX_PART, required=False),
        given_at=require_aware("now", now),
    )


def acknowledge(fb: Feedback, actor: str, now: datetime) -> Feedback:
    """Only the receiver acknowledges; doing it twice keeps the first time."""
    require_member(fb.members, actor)
    if actor != fb.receiver:
        raise NotAllowed("acknowledge this feedback", f"it was given to {fb.receiver}")
    if fb.acknowledged:
        return fb
    return replace(fb, acknowledged_at=require_aware("now", now))


def can_read(fb: Feedback, viewer: str) -> bool:
    """Feedback is private to the two people in it: in a triad the third member does not
    read what one peer told another, and admins never read it."""
    return viewer in (fb.giver, fb.receiver)
