"""A participant's "what now?": their pairings, their peers, why they were matched,
what is waiting for them, and how balanced the exchange is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain import guidance
from peermentor.domain.guidance import RequestStatus
from peermentor.services.access import Actor
from peermentor.services.workspace.access import WRITABLE, Workspace, open_workspace
from peermentor.services.workspace.balance import balances
from peermentor.services.workspace.checkins import my_checkins
from peermentor.services.workspace.roleplay import overdue_sequences
from peermentor.store.models import Pairing, PairingMember, Program
from peermentor.store.workspace_charter import load_charter
from peermentor.store.workspace_exchange import load_requests
from peermentor.store.workspace_practice import load_closing, load_roleplays, load_schedules
from peermentor.store.workspace_repo import lifecycle_of

# What may be waiting for a member, in the order a dashboard lists them.
ACCEPT = "accept"
AGREE_CHARTER = "agree_charter"
ANSWER_REQUEST = "answer_request"
OVERDUE_ROLEPLAY = "overdue_roleplay"
CHECK_IN = "check_in"
CLOSING_REFLECTION = "closing_reflection"


@dataclass(frozen=True, slots=True)
class Peer:
    person_id: int
    name: str
    why: str  # the explanation the engine wrote for this peer


@dataclass(frozen=True, slots=True)
class Pending:
    kind: str
    count: int = 1
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class PairingOverview:
    pairing_id: int
    program_id: int
    program_name: str
    state: str
    cycle: int
    why: str  # the explanation written for me
    peers: tuple[Peer, ...]
    pending: tuple[Pending, ...]
    balance_index: float | None  # from my side: below 0, the others give more than I do
    nudges: tuple[str, ...]  # the nudges addressed to me


@dataclass(frozen=True, slots=True)
class Overview:
    pairings: tuple[PairingOverview, ...]

    @property
    def pending_count(self) -> int:
        return sum(len(p.pending) for p in self.pairings)


def _pending(session: Session, actor: Actor, ws: Workspace, now: datetime) -> list[Pending]:
    state = ws.row.state
    if state == "proposed":
        p = lifecycle_of(session, ws.row)
        return [Pending(ACCEPT)] if ws.me in p.awaiting else []
    if state not in WRITABLE:
        return []
    items: list[Pending] = []
    charter = load_charter(session, ws.id, ws.members)
    if charter is None or ws.me not in charter.agreed_by:
        items.append(Pending(AGREE_CHARTER))
    members = {ws.id: ws.members}
    window = ws.timing.response_window
    to_me = [
        r
        for r in load_requests(session, members).get(ws.id, [])
        if r.recipient == ws.me and r.status is RequestStatus.OPEN
    ]
    if to_me:
        late = any(guidance.is_overdue(r, now, window) for r in to_me)
        items.append(Pending(ANSWER_REQUEST, len(to_me), late))
    missed = overdue_sequences(
        load_schedules(session, members).get(ws.id),
        load_roleplays(session, members).get(ws.id, []),
        now,
    )
    if missed:
        items.append(Pending(OVERDUE_ROLEPLAY, len(missed), True))
    if my_checkins(session, actor, ws.id, now).due:
        items.append(Pending(CHECK_IN))
    closing = load_closing(session, ws.id, ws.members, ws.row.cycle)
    if closing.reflections and ws.me in closing.waiting_for:
        items.append(Pending(CLOSING_REFLECTION))
    return items


def _summary(session: Session, actor: Actor, ws: Workspace, now: datetime) -> PairingOverview:
    program = session.get(Program, ws.row.program_id)
    assert program is not None
    mine = next(m for m in ws.row.members if m.person_id == actor.person_id)
    report = None
    if ws.row.state in WRITABLE:
        report = balances(session, {ws.id: ws.members})[ws.id]
    return PairingOverview(
        pairing_id=ws.id,
        program_id=program.id,
        program_name=program.name,
        state=ws.row.state,
        cycle=ws.row.cycle,
        why=mine.explanation,
        peers=tuple(
            Peer(m.person_id, m.person.name, m.explanation)
            for m in ws.row.members
            if m.person_id != actor.person_id
        ),
        pending=tuple(_pending(session, actor, ws, now)),
        balance_index=None if report is None else report.index_of(ws.me),
        nudges=()
        if report is None
        else tuple(n.text for n in report.nudges if n.to_member == ws.me),
    )


def my_overview(session: Session, actor: Actor, now: datetime) -> Overview:
    """Every published pairing the actor is in: open ones first, newest first."""
    if actor.person_id is None:
        return Overview(())
    ids = session.scalars(
        select(Pairing.id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .where(PairingMember.person_id == actor.person_id, Pairing.state != "draft")
        .order_by(Pairing.id.desc())
    ).all()
    summaries = [_summary(session, actor, open_workspace(session, actor, pid), now) for pid in ids]
    order = {"proposed": 0, "active": 0, "paused": 0}
    summaries.sort(key=lambda s: order.get(s.state, 1))
    return Overview(tuple(summaries))
