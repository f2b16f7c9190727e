"""Guidance requests: one member asks another, the other answers, the asker closes.

A request is overdue when it is still unanswered (and not closed) once the
programme's response window has passed since it was asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from peermentor.domain.errors import NotAllowed, NotReady, ValidationError
from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_member,
    require_members,
    require_text,
)

MAX_TOPIC = 200
MAX_DETAIL = 4000
MAX_ANSWER = 8000


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class GuidanceRequest:
    request_id: str
    members: tuple[str, ...]
    asker: str
    recipient: str
    topic: str
    detail: str
    asked_at: datetime
    gap_id: str | None = None
    answer: str = ""
    answered_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def status(self) -> RequestStatus:
        if self.closed_at is not None:
            return RequestStatus.CLOSED
        if self.answered_at is not None:
            return RequestStatus.ANSWERED
        return RequestStatus.OPEN

    @property
    def was_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def was_withdrawn(self) -> bool:
        """Closed by the asker before any answer: it no longer counts as asked."""
        return self.closed_at is not None and self.answered_at is None


def ask(
    request_id: str,
    members: tuple[str, ...],
    asker: str,
    recipient: str,
    now: datetime,
    *,
    topic: str,
    detail: str = "",
    gap_id: str | None = None,
) -> GuidanceRequest:
    members = require_members(members)
    require_member(members, asker)
    require_member(members, recipient)
    if asker == recipient:
        raise ValidationError("recipient", "a request goes to another member, not oneself")
    return GuidanceRequest(
        request_id=require_id("request_id", request_id),
        members=members,
        asker=asker,
        recipient=recipient,
        topic=require_text("topic", topic, max_len=MAX_TOPIC),
        detail=require_text("detail", detail, max_len=MAX_DETAIL, required=False),
        asked_at=require_aware("now", now),
        gap_id=None if gap_id is None else require_id("gap_id", gap_id),
    )


def answer(req: GuidanceRequest, actor: str, text: str, now: datetime) -> GuidanceRequest:
    """The recipient answers; answering again replaces the text but keeps the first time."""
    require_member(req.members, actor)
    if actor != req.recipient:
        raise NotAllowed("answer this request", f"it was asked of {req.recipient}")
    if req.status is RequestStatus.CLOSED:
        raise NotReady("answer this request", "it is already closed")
    return replace(
        req,
        answer=require_text("answer", text, max_len=MAX_ANSWER),
        answered_at=req.answered_at or require_aware("now", now),
    )


def close(req: GuidanceRequest, actor: str, now: datetime) -> GuidanceRequest:
    """The asker closes a request, answered or not (an unanswered close is a withdrawal)."""
    require_member(req.members, actor)
    if actor != req.asker:
        raise NotAllowed("close this request", f"only {req.asker}, who asked, can close it")
    if req.status is RequestStatus.CLOSED:
        return req
    return replace(req, closed_at=require_aware("now", now))


def open_duplicate(
    requests: Iterable[GuidanceRequest], asked: GuidanceRequest
) -> GuidanceRequest | None:
    """An open request the same asker already sent the same recipient with the same
    words: a form sent twice (back, then submit again) asks once."""

    def words(text: str) -> str:
        return " ".join(text.split()).casefold()

    for r in requests:
        if (
            r.status is RequestStatus.OPEN
            and (r.asker, r.recipient, r.gap_id) == (asked.asker, asked.recipient, asked.gap_id)
            and (words(r.topic), words(r.detail)) == (words(asked.topic), words(asked.detail))
        ):
            return r
    return None


def is_overdue(req: GuidanceRequest, now: datetime, response_window: timedelta) -> bool:
    require_aware("now", now)
    return req.status is RequestStatus.OPEN and now - req.asked_at > response_window


@dataclass(frozen=True, slots=True)
class DirectionCounts:
    """Requests from `asker` to `recipient`: asked in all, answered, still open, overdue."""

    asker: str
    recipient: str
    asked: int = 0
    answered: int = 0
    open: int = 0
    overdue: int = 0


def counts(
    members: tuple[str, ...],
    requests: Iterable[GuidanceRequest],
    now: datetime,
    response_window: timedelta,
) -> dict[tuple[str, str], DirectionCounts]:
    """Counts for every ordered pair (asker, recipient) of members, zeros included."""
    members = require_members(members)
    tally = {(a, r): [0, 0, 0, 0] for a in members for r in members if a != r}
    for req in requests:
        row = tally.get((req.asker, req.recipient))
        if row is None or req.was_withdrawn:
            continue  # another pairing's, a member's who has left, or taken back
        row[0] += 1
        row[1] += req.was_answered
        row[2] += req.status is RequestStatus.OPEN
        row[3] += is_overdue(req, now, response_window)
    return {key: DirectionCounts(*key, *row) for key, row in tally.items()}
