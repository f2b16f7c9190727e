"""The caller's own things: "what now?" across their pairings, and API tokens for scripts
(made from a signed-in session with a lifetime of up to a year, listed and revoked by
their owner)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends
from pydantic import Field

from peermentor.domain.lifecycle import PairingState
from peermentor.domain.next_step import Stage, Step
from peermentor.services import auth
from peermentor.services.access import Forbidden
from peermentor.services.workspace import overview as service
from peermentor.web.api.common import Body, Clock, Db, Out, PathId, api_router
from peermentor.web.deps import Caller, caller, csrf_protected

router = api_router("me")


class PeerOut(Out):
    person_id: int
    name: str
    why_matched: str
    email: str  # "" until the pairing is open (everyone accepted)
    timezone: str  # IANA name, "" if unknown or not yet open
    overlap_hours: float | None  # our working days' shared hours today; None if unknown
    overlap_from: str  # HH:MM in my clock, "" when there is no overlap
    overlap_to: str


class PendingOut(Out):
    kind: str  # accept, agree_charter, answer_request, overdue_roleplay, check_in, ...
    count: int
    overdue: bool


class NextStepOut(Out):
    kind: str  # accept, agree_charter, vision, gaps, first_session, practise, feedback, ...
    words: str  # as the dashboard says it
    page: str  # the pairing's page that takes the step: /pairings/{id}/{page}; "" the overview


class StageOut(Out):
    stage: Stage  # accept, charter, vision, gaps, sessions, practice, feedback, close
    done: bool
    current: bool  # the stage the next step belongs to


class PairingSummaryOut(Out):
    pairing_id: int
    program_id: int
    program_name: str
    state: PairingState
    cycle: int
    why_matched: str  # the explanation written for me
    peers: list[PeerOut]
    pending: list[PendingOut]
    balance_index: float | None  # from my side; below 0, the others give more than I do
    nudges: list[str]  # addressed to me
    next_step: NextStepOut | None  # the one step to take first; None once the pairing is over
    stages: list[StageOut]  # the progress strip through the life of the pairing


class OverviewOut(Out):
    pairings: list[PairingSummaryOut]  # open ones first, newest first
    pending_count: int


class TokenIn(Body):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")
    expires_in_days: int = Field(
        auth.DEFAULT_TOKEN_DAYS,
        ge=1,
        le=auth.MAX_TOKEN_DAYS,
        description="how long the token works, from now",
    )


class TokenOut(Out):
    name: str
    token: str = Field(description="shown once; send it as `Authorization: Bearer <token>`")
    expires_at: datetime


class TokenInfoOut(Out):
    token_id: int
    name: str
    created_at: datetime
    expires_at: datetime = Field(description="after it the token is refused")
    last_used_at: datetime | None
    revoked: bool


def _token_out(t: auth.TokenInfo) -> TokenInfoOut:
    return TokenInfoOut(
        token_id=t.token_id,
        name=t.name,
        created_at=t.created_at,
        expires_at=t.expires_at,
        last_used_at=t.last_used_at,
        revoked=t.revoked_at is not None,
    )


def _peer_out(q: service.Peer) -> PeerOut:
    return PeerOut(
        person_id=q.person_id,
        name=q.name,
        why_matched=q.why,
        email=q.email,
        timezone=q.timezone,
        overlap_hours=None if q.overlap is None else q.overlap.hours,
        overlap_from="" if q.overlap is None else q.overlap.start,
        overlap_to="" if q.overlap is None else q.overlap.end,
    )


def _step_out(step: Step | None) -> NextStepOut | None:
    return None if step is None else NextStepOut(kind=step.kind, words=step.words, page=step.page)


@router.get(
    "/me/overview", response_model=OverviewOut, summary="What now? My pairings and what waits"
)
def overview(who: Annotated[Caller, Depends(caller)], session: Db, now: Clock) -> OverviewOut:
    found = service.my_overview(session, who.actor, now)
    return OverviewOut(
        pairings=[
            PairingSummaryOut(
                pairing_id=p.pairing_id,
                program_id=p.program_id,
                program_name=p.program_name,
                state=PairingState(p.state),
                cycle=p.cycle,
                why_matched=p.why,
                peers=[_peer_out(q) for q in p.peers],
                pending=[
                    PendingOut(kind=x.kind, count=x.count, overdue=x.overdue) for x in p.pending
                ],
                balance_index=p.balance_index,
                nudges=list(p.nudges),
                next_step=_step_out(p.next_step),
                stages=[StageOut(stage=m.stage, done=m.done, current=m.current) for m in p.stages],
            )
            for p in found.pairings
        ],
        pending_count=found.pending_count,
    )


@router.post(
    "/me/tokens",
    response_model=TokenOut,
    status_code=201,
    summary="Create a personal API token for scripts",
)
def create_token(
    body: TokenIn, who: Annotated[Caller, Depends(csrf_protected)], session: Db, now: Clock
) -> TokenOut:
    if who.csrf_token is None:
        # A leaked token must not be able to mint tokens that outlive its revocation.
        raise Forbidden("API tokens are made from a signed-in session, not with a token")
    token = auth.create_api_token(session, who.actor, body.name, now, body.expires_in_days)
    return TokenOut(
        name=body.name, token=token, expires_at=now + timedelta(days=body.expires_in_days)
    )


@router.get("/me/tokens", response_model=list[TokenInfoOut], summary="My API tokens")
def list_tokens(who: Annotated[Caller, Depends(caller)], session: Db) -> list[TokenInfoOut]:
    return [_token_out(t) for t in auth.list_api_tokens(session, who.actor)]


@router.delete(
    "/me/tokens/{token_id}",
    response_model=TokenInfoOut,
    summary="Revoke one of my API tokens; it stops working at once",
)
def revoke_token(
    token_id: PathId, who: Annotated[Caller, Depends(csrf_protected)], session: Db, now: Clock
) -> TokenInfoOut:
    return _token_out(auth.revoke_api_token(session, who.actor, token_id, now))
