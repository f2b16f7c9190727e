"""Session log: when the members met, for how long, on what, and what each gave and got.

(`session` is the database session throughout; a meeting is a domain Session.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from peermentor.domain import sessions as rules
from peermentor.domain.errors import NotFound
from peermentor.domain.sessions import Session as Meeting
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_exchange import load_sessions, save_session, session_belongs
from peermentor.store.workspace_repo import NEW_ID


def list_sessions(session: Session, actor: Actor, pairing_id: int) -> tuple[Meeting, ...]:
    """The pairing's sessions, oldest first."""
    return sessions_of(session, open_workspace(session, actor, pairing_id))


def sessions_of(session: Session, ws: Workspace) -> tuple[Meeting, ...]:
    """The pairing's sessions, oldest first."""
    return tuple(load_sessions(session, {ws.id: ws.members}).get(ws.id, ()))


def _get(session: Session, pairing_id: int, members: tuple[str, ...], sid: str) -> Meeting:
    return next(
        m for m in load_sessions(session, {pairing_id: members})[pairing_id] if m.session_id == sid
    )


def log_session(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    held_on: date,
    duration_minutes: int,
    topics: Sequence[str] = (),
    gave: Sequence[str] = (),
    got: Sequence[str] = (),
) -> Meeting:
    """Log a session that has taken place, with the logger's own gave/got if given."""
    ws = open_for_writing(session, actor, pairing_id, "log a session in")
    meeting = rules.log_session(
        NEW_ID,
        ws.members,
        ws.me,
        now,
        held_on=held_on,
        duration_minutes=duration_minutes,
        topics=tuple(topics),
    )
    if gave or got:
        meeting = rules.record_contribution(meeting, ws.me, gave=tuple(gave), got=tuple(got))
    sid = save_session(session, ws.id, meeting)
    session.commit()
    return _get(session, ws.id, ws.members, sid)


def record_contribution(
    session: Session,
    actor: Actor,
    pairing_id: int,
    session_id: int,
    now: datetime,
    *,
    gave: Sequence[str],
    got: Sequence[str],
) -> Meeting:
    """Write (or rewrite) what the acting member brought to and took from a session."""
    ws = open_for_writing(session, actor, pairing_id, "log a session in")
    if not session_belongs(session, ws.id, session_id):
        raise NotFound("session", str(session_id))
    meeting = _get(session, ws.id, ws.members, str(session_id))
    save_session(
        session, ws.id, rules.record_contribution(meeting, ws.me, gave=tuple(gave), got=tuple(got))
    )
    session.commit()
    return _get(session, ws.id, ws.members, str(session_id))
