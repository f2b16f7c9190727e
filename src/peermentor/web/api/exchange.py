"""The give-and-take: guidance requests both ways, and the session log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from peermentor.domain import guidance as guidance_rules
from peermentor.domain import sessions as session_rules
from peermentor.domain.guidance import GuidanceRequest, RequestStatus
from peermentor.domain.sessions import Session as Meeting
from peermentor.services.workspace import guidance as guidance_service
from peermentor.services.workspace import sessions as session_service
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

router = api_router("guidance and sessions")
BASE = "/pairings/{pairing_id}"
Item = Annotated[str, Field(max_length=session_rules.MAX_ITEM)]
Items = Annotated[list[Item], Field(max_length=session_rules.MAX_ITEMS)]

# --- guidance requests ---


class RequestOut(Out):
    request_id: int
    asker: int
    recipient: int
    topic: str
    detail: str
    gap_id: int | None
    status: RequestStatus
    answer: str
    asked_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    overdue: bool


class DirectionOut(Out):
    asker: int
    recipient: int
    asked: int
    answered: int
    open: int
    overdue: int


class RequestsOut(Out):
    requests: list[RequestOut]
    counts: list[DirectionOut]  # one row per direction (asker -> recipient)


class AskIn(Body):
    topic: str = Field(min_length=1, max_length=guidance_rules.MAX_TOPIC)
    detail: str = Field("", max_length=guidance_rules.MAX_DETAIL)
    recipient_id: BodyId | None = Field(None, description="person id; may be left out in a pair")
    gap_id: BodyId | None = None


class AnswerIn(Body):
    answer: str = Field(min_length=1, max_length=guidance_rules.MAX_ANSWER)


def request_out(r: GuidanceRequest, overdue: bool = False) -> RequestOut:
    return RequestOut(
        request_id=int(r.request_id),
        asker=pid(r.asker),
        recipient=pid(r.recipient),
        topic=r.topic,
        detail=r.detail,
        gap_id=None if r.gap_id is None else int(r.gap_id),
        status=r.status,
        answer=r.answer,
        asked_at=r.asked_at,
        answered_at=r.answered_at,
        closed_at=r.closed_at,
        overdue=overdue,
    )


@router.get(BASE + "/requests", response_model=RequestsOut, summary="Requests both ways")
def list_requests(pairing_id: PathId, who: Member, session: Db, now: Clock) -> RequestsOut:
    board = guidance_service.list_requests(session, who.actor, pairing_id, now)
    return RequestsOut(
        requests=[request_out(r, r.request_id in board.overdue) for r in board.requests],
        counts=[
            DirectionOut(
                asker=pid(c.asker),
                recipient=pid(c.recipient),
                asked=c.asked,
                answered=c.answered,
                open=c.open,
                overdue=c.overdue,
            )
            for c in board.counts
        ],
    )


@router.post(
    BASE + "/requests", response_model=RequestOut, status_code=201, summary="Ask for guidance"
)
def ask(pairing_id: PathId, body: AskIn, who: MemberChange, session: Db, now: Clock) -> RequestOut:
    asked = guidance_service.ask_for_guidance(
        session,
        who.actor,
        pairing_id,
        now,
        topic=body.topic,
        detail=body.detail,
        recipient_id=body.recipient_id,
        gap_id=body.gap_id,
    )
    return request_out(asked)


@router.post(
    BASE + "/requests/{request_id}/answer",
    response_model=RequestOut,
    summary="Answer a request asked of me",
)
def answer(
    pairing_id: PathId,
    request_id: PathId,
    body: AnswerIn,
    who: MemberChange,
    session: Db,
    now: Clock,
) -> RequestOut:
    return request_out(
        guidance_service.answer_request(
            session, who.actor, pairing_id, request_id, body.answer, now
        )
    )


@router.post(
    BASE + "/requests/{request_id}/close", response_model=RequestOut, summary="Close my request"
)
def close(
    pairing_id: PathId, request_id: PathId, who: MemberChange, session: Db, now: Clock
) -> RequestOut:
    return request_out(
        guidance_service.close_request(session, who.actor, pairing_id, request_id, now)
    )


# --- sessions ---


class ContributionOut(Out):
    person_id: int
    gave: list[str]
    got: list[str]


class SessionOut(Out):
    session_id: int
    held_on: date
    duration_minutes: int
    topics: list[str]
    logged_by: int
    logged_at: datetime
    contributions: list[ContributionOut]


class ContributionIn(Body):
    gave: Items = Field(default_factory=list)
    got: Items = Field(default_factory=list)


class SessionIn(ContributionIn):
    held_on: date = Field(description="the day it took place (not in the future)")
    duration_minutes: int = Field(ge=1, le=session_rules.MAX_DURATION_MINUTES)
    topics: list[Annotated[str, Field(max_length=session_rules.MAX_TOPIC)]] = Field(
        [], max_length=session_rules.MAX_TOPICS
    )


def session_out(m: Meeting) -> SessionOut:
    return SessionOut(
        session_id=int(m.session_id),
        held_on=m.held_on,
        duration_minutes=m.duration_minutes,
        topics=list(m.topics),
        logged_by=pid(m.logged_by),
        logged_at=m.logged_at,
        contributions=[
            ContributionOut(person_id=pid(c.member_id), gave=list(c.gave), got=list(c.got))
            for c in m.contributions
        ],
    )


@router.get(BASE + "/sessions", response_model=list[SessionOut], summary="The session log")
def list_sessions(pairing_id: PathId, who: Member, session: Db) -> list[SessionOut]:
    return [session_out(m) for m in session_service.list_sessions(session, who.actor, pairing_id)]


@router.post(
    BASE + "/sessions", response_model=SessionOut, status_code=201, summary="Log a session"
)
def log_session(
    pairing_id: PathId, body: SessionIn, who: MemberChange, session: Db, now: Clock
) -> SessionOut:
    return session_out(
        session_service.log_session(
            session,
            who.actor,
            pairing_id,
            now,
            held_on=body.held_on,
            duration_minutes=body.duration_minutes,
            topics=body.topics,
            gave=body.gave,
            got=body.got,
        )
    )


@router.put(
    BASE + "/sessions/{session_id}/contribution",
    response_model=SessionOut,
    summary="What I brought to and took from a session",
)
def record_contribution(
    pairing_id: PathId,
    session_id: PathId,
    body: ContributionIn,
    who: MemberChange,
    session: Db,
    now: Clock,
) -> SessionOut:
    return session_out(
        session_service.record_contribution(
            session, who.actor, pairing_id, session_id, now, gave=body.gave, got=body.got
        )
    )
