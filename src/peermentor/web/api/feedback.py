"""Feedback from one member to another: private to those two, acknowledged by the receiver."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from peermentor.domain import feedback as feedback_rules
from peermentor.domain.feedback import Dimension, Feedback
from peermentor.services.workspace import feedback as feedback_service
from peermentor.web.api.common import (
    Body,
    BodyId,
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    api_router,
    pid,
)

router = api_router("feedback")
BASE = "/pairings/{pairing_id}"
Part = Annotated[str, Field(min_length=1, max_length=feedback_rules.MAX_PART)]


class FeedbackOut(Out):
    feedback_id: int
    giver: int
    receiver: int
    dimension: Dimension
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    given_at: datetime
    acknowledged_at: datetime | None


class MyFeedbackOut(Out):
    given: list[FeedbackOut]
    received: list[FeedbackOut]


class FeedbackIn(Body):
    dimension: Dimension
    situation: Part
    behaviour: Part
    impact: Part
    suggestion: str = Field("", max_length=feedback_rules.MAX_PART)
    receiver_id: BodyId | None = Field(None, description="person id; may be left out in a pair")


def feedback_out(f: Feedback) -> FeedbackOut:
    return FeedbackOut(
        feedback_id=int(f.feedback_id),
        giver=pid(f.giver),
        receiver=pid(f.receiver),
        dimension=f.dimension,
        situation=f.situation,
        behaviour=f.behaviour,
        impact=f.impact,
        suggestion=f.suggestion,
        given_at=f.given_at,
        acknowledged_at=f.acknowledged_at,
    )


@router.get(
    BASE + "/feedback",
    response_model=MyFeedbackOut,
    summary="Feedback I gave and received (private to its two people)",
)
def list_feedback(pairing_id: PathId, who: Member, session: Db) -> MyFeedbackOut:
    mine = feedback_service.list_feedback(session, who.actor, pairing_id)
    return MyFeedbackOut(
        given=[feedback_out(f) for f in mine.given],
        received=[feedback_out(f) for f in mine.received],
    )


@router.post(
    BASE + "/feedback", response_model=FeedbackOut, status_code=201, summary="Give feedback"
)
def give_feedback(
    pairing_id: PathId, body: FeedbackIn, who: MemberChange, session: Db, now: Clock
) -> FeedbackOut:
    given = feedback_service.give_feedback(
        session,
        who.actor,
        pairing_id,
        now,
        dimension=body.dimension,
        situation=body.situation,
        behaviour=body.behaviour,
        impact=body.impact,
        suggestion=body.suggestion,
        receiver_id=body.receiver_id,
    )
    return feedback_out(given)


@router.post(
    BASE + "/feedback/{feedback_id}/acknowledge",
    response_model=FeedbackOut,
    summary="Acknowledge feedback given to me",
)
def acknowledge(
    pairing_id: PathId, feedback_id: PathId, who: MemberChange, session: Db, now: Clock
) -> FeedbackOut:
    return feedback_out(
        feedback_service.acknowledge_feedback(session, who.actor, pairing_id, feedback_id, now)
    )
