"""What members exchange: guidance requests, session logs, feedback and check-ins.

Loaders take many pairings at once (a mapping pairing id -> members) so that the
programme's health and the overview read each table once, not once per pairing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from peermentor.domain.checkins import CheckIn
from peermentor.domain.feedback import Dimension, Feedback
from peermentor.domain.guidance import GuidanceRequest
from peermentor.domain.sessions import Contribution
from peermentor.domain.sessions import Session as Meeting
from peermentor.store.workspace_models import (
    CheckInRow,
    FeedbackRow,
    GuidanceRequestRow,
    SessionContribution,
    SessionLog,
)
from peermentor.store.workspace_repo import (
    NEW_ID,
    as_utc,
    member_id,
    optional_store,
    optional_utc,
    person_id,
    to_store,
)

Members = Mapping[int, tuple[str, ...]]


# The columns a request is built from, selected as plain rows: the pages read many
# requests at a time, and rows cost a fraction of ORM objects.
_REQUEST_COLUMNS = (
    GuidanceRequestRow.id,
    GuidanceRequestRow.pairing_id,
    GuidanceRequestRow.asker_id,
    GuidanceRequestRow.recipient_id,
    GuidanceRequestRow.topic,
    GuidanceRequestRow.detail,
    GuidanceRequestRow.asked_at,
    GuidanceRequestRow.gap_id,
    GuidanceRequestRow.answer,
    GuidanceRequestRow.answered_at,
    GuidanceRequestRow.closed_at,
)


def _request(row: Any, members: tuple[str, ...]) -> GuidanceRequest:
    return GuidanceRequest(
        request_id=str(row.id),
        members=members,
        asker=member_id(row.asker_id),
        recipient=member_id(row.recipient_id),
        topic=row.topic,
        detail=row.detail,
        asked_at=as_utc(row.asked_at),
        gap_id=None if row.gap_id is None else str(row.gap_id),
        answer=row.answer,
        answered_at=optional_utc(row.answered_at),
        closed_at=optional_utc(row.closed_at),
    )


def load_requests(session: Session, members: Members) -> dict[int, list[GuidanceRequest]]:
    result: dict[int, list[GuidanceRequest]] = defaultdict(list)
    for row in session.execute(
        select(*_REQUEST_COLUMNS)
        .where(GuidanceRequestRow.pairing_id.in_(list(members)))
        .order_by(GuidanceRequestRow.id)
    ):
        result[row.pairing_id].append(_request(row, members[row.pairing_id]))
    return result


def load_request(
    session: Session, pairing_id: int, members: tuple[str, ...], request_id: int
) -> GuidanceRequest | None:
    row = session.get(GuidanceRequestRow, request_id)
    if row is None or row.pairing_id != pairing_id:
        return None
    return _request(row, members)


def save_request(session: Session, pairing_id: int, req: GuidanceRequest) -> GuidanceRequest:
    row = None if req.request_id == NEW_ID else session.get(GuidanceRequestRow, int(req.request_id))
    if row is None:
        row = GuidanceRequestRow(pairing_id=pairing_id)
        session.add(row)
    row.asker_id = person_id(req.asker)
    row.recipient_id = person_id(req.recipient)
    row.topic = req.topic
    row.detail = req.detail
    row.gap_id = None if req.gap_id is None else int(req.gap_id)
    row.answer = req.answer
    row.asked_at = to_store(req.asked_at)
    row.answered_at = optional_store(req.answered_at)
    row.closed_at = optional_store(req.closed_at)
    session.flush()
    return _request(row, req.members)


def load_sessions(session: Session, members: Members) -> dict[int, list[Meeting]]:
    logs = session.execute(
        select(
            SessionLog.id,
            SessionLog.pairing_id,
            SessionLog.held_on,
            SessionLog.duration_minutes,
            SessionLog.topics,
            SessionLog.logged_by,
            SessionLog.logged_at,
        )
        .where(SessionLog.pairing_id.in_(list(members)))
        .order_by(SessionLog.held_on, SessionLog.id)
    ).all()
    parts: dict[int, dict[str, Contribution]] = defaultdict(dict)
    if logs:
        # Joined on the pairing rather than an IN-list of every session id.
        for sid, pid, gave, got in session.execute(
            select(
                SessionContribution.session_id,
                SessionContribution.person_id,
                SessionContribution.gave,
                SessionContribution.got,
            )
            .join(SessionLog, SessionLog.id == SessionContribution.session_id)
            .where(SessionLog.pairing_id.in_(list(members)))
        ):
            mid = member_id(pid)
            parts[sid][mid] = Contribution(mid, tuple(gave), tuple(got))
    result: dict[int, list[Meeting]] = defaultdict(list)
    for log in logs:
        pairing_members = members[log.pairing_id]
        result[log.pairing_id].append(
            Meeting(
                session_id=str(log.id),
                members=pairing_members,
                held_on=log.held_on,
                duration_minutes=log.duration_minutes,
                topics=tuple(log.topics),
                logged_by=member_id(log.logged_by),
                logged_at=as_utc(log.logged_at),
                contributions=tuple(
                    parts[log.id][m] for m in pairing_members if m in parts[log.id]
                ),
            )
        )
    return result


def session_belongs(session: Session, pairing_id: int, session_id: int) -> bool:
    row = session.get(SessionLog, session_id)
    return row is not None and row.pairing_id == pairing_id


def save_session(session: Session, pairing_id: int, meeting: Meeting) -> str:
    """Insert or update a session log and every contribution; returns its id."""
    row = None if meeting.session_id == NEW_ID else session.get(SessionLog, int(meeting.session_id))
    if row is None:
        row = SessionLog(pairing_id=pairing_id)
        session.add(row)
    row.held_on = meeting.held_on
    row.duration_minutes = meeting.duration_minutes
    row.topics = list(meeting.topics)
    row.logged_by = person_id(meeting.logged_by)
    row.logged_at = to_store(meeting.logged_at)
    session.flush()
    stored = {
        c.person_id: c
        for c in session.scalars(
            select(SessionContribution).where(SessionContribution.session_id == row.id)
        )
    }
    for c in meeting.contributions:
        part = stored.get(person_id(c.member_id))
        if part is None:
            part = SessionContribution(session_id=row.id, person_id=person_id(c.member_id))
            session.add(part)
        part.gave, part.got = list(c.gave), list(c.got)
    session.flush()
    return str(row.id)


_FEEDBACK_COLUMNS = (
    FeedbackRow.id,
    FeedbackRow.pairing_id,
    FeedbackRow.giver_id,
    FeedbackRow.receiver_id,
    FeedbackRow.dimension,
    FeedbackRow.situation,
    FeedbackRow.behaviour,
    FeedbackRow.impact,
    FeedbackRow.suggestion,
    FeedbackRow.given_at,
    FeedbackRow.acknowledged_at,
)


def _feedback(row: Any, members: tuple[str, ...]) -> Feedback:
    return Feedback(
        feedback_id=str(row.id),
        members=members,
        giver=member_id(row.giver_id),
        receiver=member_id(row.receiver_id),
        dimension=Dimension(row.dimension),
        situation=row.situation,
        behaviour=row.behaviour,
        impact=row.impact,
        suggestion=row.suggestion,
        given_at=as_utc(row.given_at),
        acknowledged_at=optional_utc(row.acknowledged_at),
    )


def load_feedback(session: Session, members: Members) -> dict[int, list[Feedback]]:
    result: dict[int, list[Feedback]] = defaultdict(list)
    for row in session.execute(
        select(*_FEEDBACK_COLUMNS)
        .where(FeedbackRow.pairing_id.in_(list(members)))
        .order_by(FeedbackRow.id)
    ):
        result[row.pairing_id].append(_feedback(row, members[row.pairing_id]))
    return result


def load_one_feedback(
    session: Session, pairing_id: int, members: tuple[str, ...], feedback_id: int
) -> Feedback | None:
    row = session.get(FeedbackRow, feedback_id)
    if row is None or row.pairing_id != pairing_id:
        return None
    return _feedback(row, members)


def save_feedback(session: Session, pairing_id: int, fb: Feedback) -> Feedback:
    row = None if fb.feedback_id == NEW_ID else session.get(FeedbackRow, int(fb.feedback_id))
    if row is None:
        row = FeedbackRow(pairing_id=pairing_id)
        session.add(row)
    row.giver_id = person_id(fb.giver)
    row.receiver_id = person_id(fb.receiver)
    row.dimension = fb.dimension.value
    row.situation, row.behaviour = fb.situation, fb.behaviour
    row.impact, row.suggestion = fb.impact, fb.suggestion
    row.given_at = to_store(fb.given_at)
    row.acknowledged_at = optional_store(fb.acknowledged_at)
    session.flush()
    return _feedback(row, fb.members)


def load_checkins(
    session: Session,
    pairing_ids: list[int],
    *,
    with_notes: bool = True,
    of_person: int | None = None,
) -> dict[int, list[CheckIn]]:
    """Check-ins by pairing. Admin aggregates pass with_notes=False: notes never leave
    the pairing, so they are not even read. of_person: only that member's (a member
    reads only their own)."""
    c = CheckInRow
    columns = [c.pairing_id, c.person_id, c.at, c.trust, c.candour, c.mutual_benefit, c.progress]
    query = (
        select(*columns, c.note if with_notes else literal(""))
        .where(c.pairing_id.in_(pairing_ids))
        .order_by(c.at, c.id)
    )
    if of_person is not None:
        query = query.where(c.person_id == of_person)
    result: dict[int, list[CheckIn]] = defaultdict(list)
    rows: Any = session.execute(query)  # eight plain columns a row
    for pid, person, at, trust, candour, benefit, progress, note in rows:
        result[pid].append(
            CheckIn(
                pairing_id=str(pid),
                member_id=member_id(person),
                at=as_utc(at),
                trust=trust,
                candour=candour,
                mutual_benefit=benefit,
                progress=progress,
                note=note,
            )
        )
    return result


def save_checkin(session: Session, pairing_id: int, c: CheckIn) -> None:
    session.add(
        CheckInRow(
            pairing_id=pairing_id,
            person_id=person_id(c.member_id),
            at=to_store(c.at),
            trust=c.trust,
            candour=c.candour,
            mutual_benefit=c.mutual_benefit,
            progress=c.progress,
            note=c.note,
        )
    )
    session.flush()
