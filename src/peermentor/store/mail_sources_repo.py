"""What happened lately that someone should hear of, read from the workspace tables.

Every query is bounded by a recent window (events since `since`; cycles ending before
`until`) and returns ids, names and times only: never a column a pair wrote to each other
(a request's topic, an answer, feedback, a decline's reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from peermentor.store.models import Pairing, PairingMember, Person, Program
from peermentor.store.workspace_models import (
    ClosingReflectionRow,
    FeedbackRow,
    GuidanceRequestRow,
    PairingResponse,
)


@dataclass(frozen=True)
class Member:
    pairing_id: int
    person_id: int
    name: str
    explanation: str  # the engine's "why you two", written for this member


@dataclass(frozen=True)
class Proposal:
    pairing_id: int
    cycle: int
    proposed_at: datetime
    program: str
    response_window_days: int
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Event:
    """Something one member did that another should hear of."""

    id: int
    pairing_id: int
    actor_id: int
    actor_name: str
    recipient_ids: tuple[int, ...]
    at: datetime
    accepted: bool | None = None  # responses only


@dataclass(frozen=True)
class ClosingDue:
    pairing_id: int
    cycle: int
    person_id: int
    ends_on: date
    program: str


def _members(session: Session, pairing_ids: list[int]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {pid: [] for pid in pairing_ids}
    if not pairing_ids:
        return found
    rows = session.execute(
        select(PairingMember.pairing_id, Person.id, Person.name, PairingMember.explanation)
        .join(Person, Person.id == PairingMember.person_id)
        .where(PairingMember.pairing_id.in_(pairing_ids))
        .order_by(PairingMember.id)
    )
    for pairing_id, person_id, name, explanation in rows:
        found[pairing_id].append(Member(pairing_id, person_id, name, explanation or ""))
    return found


def proposals_since(session: Session, since: datetime) -> list[Proposal]:
    rows = session.execute(
        select(Pairing.id, Pairing.cycle, Pairing.proposed_at, Program.name, Program.settings)
        .join(Program, Program.id == Pairing.program_id)
        .where(Pairing.state == "proposed", Pairing.proposed_at >= since)
    ).all()
    members = _members(session, [r[0] for r in rows])
    return [
        Proposal(
            pid,
            cycle,
            at,
            program,
            int((settings or {}).get("response_window_days", 7)),
            tuple(members[pid]),
        )
        for pid, cycle, at, program, settings in rows
    ]


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())


def responses_since(session: Session, since: datetime) -> list[Event]:
    rows = session.execute(
        select(
            PairingResponse.id,
            PairingResponse.pairing_id,
            PairingResponse.person_id,
            PairingResponse.accepted,
            PairingResponse.at,
        ).where(PairingResponse.at >= since)
    ).all()
    members = _members(session, sorted({r[1] for r in rows}))
    names = {m.person_id: m.name for ms in members.values() for m in ms}
    return [
        Event(
            rid,
            pairing_id,
            person_id,
            names.get(person_id, "Your partner"),
            tuple(m.person_id for m in members[pairing_id] if m.person_id != person_id),
            at,
            accepted,
        )
        for rid, pairing_id, person_id, accepted, at in rows
    ]


def _events(session: Session, rows: list[tuple[int, int, int, int, datetime]]) -> list[Event]:
    names = _names(session, {r[2] for r in rows})
    return [
        Event(eid, pairing_id, actor, names.get(actor, "Your partner"), (recipient,), at)
        for eid, pairing_id, actor, recipient, at in rows
    ]


def requests_since(session: Session, since: datetime) -> list[Event]:
    r = GuidanceRequestRow
    rows = session.execute(
        select(r.id, r.pairing_id, r.asker_id, r.recipient_id, r.asked_at).where(
            r.asked_at >= since
        )
    ).all()
    return _events(session, [tuple(row) for row in rows])  # type: ignore[misc]


def answers_since(session: Session, since: datetime) -> list[Event]:
    r = GuidanceRequestRow
    rows = session.execute(
        select(r.id, r.pairing_id, r.recipient_id, r.asker_id, r.answered_at).where(
            r.answered_at.is_not(None), r.answered_at >= since
        )
    ).all()
    return _events(session, [tuple(row) for row in rows])  # type: ignore[misc]


def feedback_since(session: Session, since: datetime) -> list[Event]:
    f = FeedbackRow
    rows = session.execute(
        select(f.id, f.pairing_id, f.giver_id, f.receiver_id, f.given_at).where(f.given_at >= since)
    ).all()
    return _events(session, [tuple(row) for row in rows])  # type: ignore[misc]


def closing_due(session: Session, today: date, until: date) -> list[ClosingDue]:
    """Members of open pairings whose programme ends between today and `until`, who have
    not written their closing reflection for the current cycle."""
    rows = session.execute(
        select(Pairing.id, Pairing.cycle, PairingMember.person_id, Program.ends_on, Program.name)
        .join(Program, Program.id == Pairing.program_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .outerjoin(
            ClosingReflectionRow,
            and_(
                ClosingReflectionRow.pairing_id == Pairing.id,
                ClosingReflectionRow.cycle == Pairing.cycle,
                ClosingReflectionRow.person_id == PairingMember.person_id,
            ),
        )
        .where(
            Pairing.state.in_(("active", "paused")),
            Program.ends_on.is_not(None),
            Program.ends_on >= today,
            Program.ends_on <= until,
            ClosingReflectionRow.id.is_(None),
        )
    ).all()
    return [
        ClosingDue(pairing_id, cycle, person_id, ends_on, program)
        for pairing_id, cycle, person_id, ends_on, program in rows
        if ends_on is not None
    ]
