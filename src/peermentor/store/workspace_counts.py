"""The exchange of many pairings, read for counting only: who gave, asked, answered.

Admin aggregates (programme health) need the balance of every open pairing of a
programme. These loaders select only the columns the balance rules look at and build
domain values with their text left blank: fast at 50,000 pairings, and no private
word is even read into memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.domain.feedback import Dimension, Feedback
from peermentor.domain.guidance import GuidanceRequest
from peermentor.domain.roleplay import RolePlay
from peermentor.domain.sessions import Contribution
from peermentor.domain.sessions import Session as Meeting
from peermentor.store.models import Pairing
from peermentor.store.workspace_models import (
    FeedbackRow,
    GuidanceRequestRow,
    SessionContribution,
    SessionLog,
)
from peermentor.store.workspace_practice import load_roleplays
from peermentor.store.workspace_repo import as_utc, member_id, optional_utc

Members = Mapping[int, tuple[str, ...]]
# Stands for "wrote something under gave": the balance rules only ask whether a member
# brought anything to a session, never what.
SOMETHING = ("…",)


@dataclass
class Exchange:
    sessions: list[Meeting] = field(default_factory=list)
    requests: list[GuidanceRequest] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    roleplays: list[RolePlay] = field(default_factory=list)


def _sessions(session: Session, members: Members, result: dict[int, Exchange]) -> None:
    gave = (
        select(SessionContribution.session_id, SessionContribution.person_id)
        .join(SessionLog, SessionLog.id == SessionContribution.session_id)
        .where(
            SessionLog.pairing_id.in_(list(members)),
            func.json_array_length(SessionContribution.gave) > 0,
        )
    )
    givers: dict[int, list[str]] = defaultdict(list)
    for session_id, pid in session.execute(gave):
        givers[session_id].append(member_id(pid))
    logs = select(
        SessionLog.id,
        SessionLog.pairing_id,
        SessionLog.held_on,
        SessionLog.duration_minutes,
        SessionLog.logged_by,
        SessionLog.logged_at,
    ).where(SessionLog.pairing_id.in_(list(members)))
    for sid, pairing_id, held_on, minutes, logged_by, logged_at in session.execute(logs):
        result[pairing_id].sessions.append(
            Meeting(
                session_id=str(sid),
                members=members[pairing_id],
                held_on=held_on,
                duration_minutes=minutes,
                topics=(),
                logged_by=member_id(logged_by),
                logged_at=as_utc(logged_at),
                contributions=tuple(Contribution(m, gave=SOMETHING) for m in givers[sid]),
            )
        )


def _requests(session: Session, members: Members, result: dict[int, Exchange]) -> None:
    r = GuidanceRequestRow
    query = select(
        r.id, r.pairing_id, r.asker_id, r.recipient_id, r.asked_at, r.answered_at, r.closed_at
    ).where(r.pairing_id.in_(list(members)))
    for rid, pairing_id, asker, recipient, asked, answered, closed in session.execute(query):
        result[pairing_id].requests.append(
            GuidanceRequest(
                request_id=str(rid),
                members=members[pairing_id],
                asker=member_id(asker),
                recipient=member_id(recipient),
                topic="",
                detail="",
                asked_at=as_utc(asked),
                answered_at=optional_utc(answered),
                closed_at=optional_utc(closed),
            )
        )


def _feedback(session: Session, members: Members, result: dict[int, Exchange]) -> None:
    f = FeedbackRow
    query = select(f.id, f.pairing_id, f.giver_id, f.receiver_id, f.dimension, f.given_at).where(
        f.pairing_id.in_(list(members))
    )
    for fid, pairing_id, giver, receiver, dimension, given_at in session.execute(query):
        result[pairing_id].feedback.append(
            Feedback(
                feedback_id=str(fid),
                members=members[pairing_id],
                giver=member_id(giver),
                receiver=member_id(receiver),
                dimension=Dimension(dimension),
                situation="",
                behaviour="",
                impact="",
                suggestion="",
                given_at=as_utc(given_at),
            )
        )


def pairings_by_state(session: Session, program_id: int) -> dict[str, int]:
    """How many pairings of the programme are in each state (states with none absent)."""
    rows = session.execute(
        select(Pairing.state, func.count())
        .where(Pairing.program_id == program_id)
        .group_by(Pairing.state)
    )
    return {state: n for state, n in rows}


def load_exchange(session: Session, members: Members) -> dict[int, Exchange]:
    """What each pairing gave and asked, text left out; one query per table."""
    result: dict[int, Exchange] = {pid: Exchange() for pid in members}
    _sessions(session, members, result)
    _requests(session, members, result)
    _feedback(session, members, result)
    for pid, roleplays in load_roleplays(session, members, with_reflections=False).items():
        result[pid].roleplays = roleplays
    return result
