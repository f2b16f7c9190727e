"""Sessions: a logged meeting with what each member brought (gave) and took away (got)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from peermentor.domain.errors import ValidationError
from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_int,
    require_member,
    require_members,
    require_texts,
)

MAX_DURATION_MINUTES = 8 * 60
MAX_TOPIC = 200
MAX_TOPICS = 20
MAX_ITEM = 1000
MAX_ITEMS = 20


@dataclass(frozen=True, slots=True)
class Contribution:
    member_id: str
    gave: tuple[str, ...] = ()
    got: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    members: tuple[str, ...]
    held_on: date
    duration_minutes: int
    topics: tuple[str, ...]
    logged_by: str
    logged_at: datetime
    contributions: tuple[Contribution, ...] = ()

    def contribution_of(self, member_id: str) -> Contribution:
        for c in self.contributions:
            if c.member_id == member_id:
                return c
        return Contribution(member_id)

    def brought_something(self, member_id: str) -> bool:
        return bool(self.contribution_of(member_id).gave)


def require_something_said(
    topics: tuple[str, ...] | list[str],
    gave: tuple[str, ...] | list[str],
    got: tuple[str, ...] | list[str],
) -> None:
    """A session logged from a form must say something: a topic, or what was given or got.
    An empty form (the date and length are filled in for you) is refused, not logged."""
    if not any(t.strip() for t in (*topics, *gave, *got)):
        raise ValidationError(
            "topics",
            "write at least one topic, or what you gave or got; nothing was logged",
        )


def log_session(
    session_id: str,
    members: tuple[str, ...],
    actor: str,
    now: datetime,
    *,
    held_on: date,
    duration_minutes: int,
    topics: tuple[str, ...] = (),
) -> Session:
    members = require_members(members)
    require_member(members, actor)
    if not isinstance(held_on, date) or isinstance(held_on, datetime):
        raise ValidationError("held_on", "must be a date")
    if held_on > require_aware("now", now).date():
        raise ValidationError("held_on", "a session is logged once it has taken place")
    return Session(
        session_id=require_id("session_id", session_id),
        members=members,
        held_on=held_on,
        duration_minutes=require_int(
            "duration_minutes", duration_minutes, low=1, high=MAX_DURATION_MINUTES
        ),
        topics=require_texts("topics", topics, max_len=MAX_TOPIC, max_items=MAX_TOPICS),
        logged_by=actor,
        logged_at=require_aware("now", now),
    )


def record_contribution(
    session: Session, actor: str, *, gave: tuple[str, ...], got: tuple[str, ...]
) -> Session:
    """Each member writes their own gave/got; writing again replaces it."""
    require_member(session.members, actor)
    mine = Contribution(
        actor,
        gave=require_texts("gave", gave, max_len=MAX_ITEM, max_items=MAX_ITEMS),
        got=require_texts("got", got, max_len=MAX_ITEM, max_items=MAX_ITEMS),
    )
    others = {c.member_id: c for c in session.contributions if c.member_id != actor}
    others[actor] = mine
    ordered = tuple(others[m] for m in session.members if m in others)
    return replace(session, contributions=ordered)
