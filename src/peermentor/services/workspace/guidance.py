"""Guidance requests: a member asks another, the other answers, the asker closes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import guidance as rules
from peermentor.domain.errors import NotFound, ValidationError
from peermentor.domain.guidance import DirectionCounts, GuidanceRequest
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_exchange import load_request, load_requests, save_request
from peermentor.store.workspace_growth import gap_owner
from peermentor.store.workspace_repo import NEW_ID, member_id


@dataclass(frozen=True, slots=True)
class RequestBoard:
    """Every request of the pairing, both ways, with the counts per direction."""

    requests: tuple[GuidanceRequest, ...]
    overdue: frozenset[str]  # request ids
    counts: tuple[DirectionCounts, ...]

    def to(self, member: str) -> tuple[GuidanceRequest, ...]:
        return tuple(r for r in self.requests if r.recipient == member)

    def by(self, member: str) -> tuple[GuidanceRequest, ...]:
        return tuple(r for r in self.requests if r.asker == member)


def partner_of(ws: Workspace, person_id: int | None, field: str) -> str:
    """The member addressed: named, or in a pair simply the other one."""
    if person_id is None:
        if len(ws.partners) != 1:
            raise ValidationError(field, "name the member this goes to (the pairing is a triad)")
        return ws.partners[0]
    # The addressee is a value of the form or body, not the actor: someone else named
    # is a refused value (422 naming the field), never a refusal of the actor.
    if member_id(person_id) not in ws.members:
        raise ValidationError(field, f"{person_id} is not a member of this pairing")
    return member_id(person_id)


def list_requests(session: Session, actor: Actor, pairing_id: int, now: datetime) -> RequestBoard:
    return requests_of(session, open_workspace(session, actor, pairing_id), now)


def requests_of(session: Session, ws: Workspace, now: datetime) -> RequestBoard:
    requests = tuple(load_requests(session, {ws.id: ws.members}).get(ws.id, ()))
    window = ws.timing.response_window
    return RequestBoard(
        requests=requests,
        overdue=frozenset(r.request_id for r in requests if rules.is_overdue(r, now, window)),
        counts=tuple(rules.counts(ws.members, requests, now, window).values()),
    )


def ask_for_guidance(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    topic: str,
    detail: str = "",
    recipient_id: int | None = None,
    gap_id: int | None = None,
) -> GuidanceRequest:
    ws = open_for_writing(session, actor, pairing_id, "ask for guidance in")
    if gap_id is not None and gap_owner(session, ws.id, gap_id) is None:
        raise ValidationError("gap_id", f"{gap_id} is not a gap of this pairing")
    req = rules.ask(
        NEW_ID,
        ws.members,
        ws.me,
        partner_of(ws, recipient_id, "recipient_id"),
        now,
        topic=topic,
        detail=detail,
        gap_id=None if gap_id is None else str(gap_id),
    )
    same = rules.open_duplicate(load_requests(session, {ws.id: ws.members}).get(ws.id, ()), req)
    if same is not None:
        return same  # the same request sent again: it is asked once
    saved = save_request(session, ws.id, req)
    session.commit()
    return saved


def _load(session: Session, ws: Workspace, request_id: int) -> GuidanceRequest:
    req = load_request(session, ws.id, ws.members, request_id)
    if req is None:
        raise NotFound("request", str(request_id))
    return req


def answer_request(
    session: Session, actor: Actor, pairing_id: int, request_id: int, answer: str, now: datetime
) -> GuidanceRequest:
    ws = open_for_writing(session, actor, pairing_id, "answer a request in")
    saved = save_request(
        session, ws.id, rules.answer(_load(session, ws, request_id), ws.me, answer, now)
    )
    session.commit()
    return saved


def close_request(
    session: Session, actor: Actor, pairing_id: int, request_id: int, now: datetime
) -> GuidanceRequest:
    ws = open_for_writing(session, actor, pairing_id, "close a request in")
    saved = save_request(session, ws.id, rules.close(_load(session, ws, request_id), ws.me, now))
    session.commit()
    return saved
