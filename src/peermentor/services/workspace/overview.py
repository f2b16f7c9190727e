"""A participant's "what now?": their pairings, their peers, why they were matched,
what is waiting for them, and how balanced the exchange is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.domain import checkins as pulse
from peermentor.domain import guidance
from peermentor.domain.balance import BalanceReport
from peermentor.domain.guidance import RequestStatus
from peermentor.domain.next_step import Progress, StageMark, Step, next_step, stages
from peermentor.domain.roleplay import Role, RolePlay, RolePlaySchedule
from peermentor.domain.working_hours import Overlap, local_time, overlap
from peermentor.matching.settings import MatchSettings
from peermentor.services.access import Actor
from peermentor.services.workspace.access import WRITABLE, Workspace, timing_from
from peermentor.services.workspace.balance import first_names, report_of
from peermentor.services.workspace.roleplay import overdue_sequences
from peermentor.store.workspace_counts import Exchange, load_exchange
from peermentor.store.workspace_dashboard import (
    charters_agreed_by,
    closing_reflectors,
    gaps_named_by,
    last_checkins,
    visions_written_by,
)
from peermentor.store.workspace_heads import MemberHead, PairingHead, heads_of_person
from peermentor.store.workspace_practice import load_schedules
from peermentor.store.workspace_repo import answers_of, member_id

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
    email: str = ""
    timezone: str = ""
    local_time: str = ""  # their clock now, HH:MM ("" if their zone is unknown)
    overlap: Overlap | None = None  # our working days' overlap in my clock, if both known


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
    next_step: Step | None  # the one step "what now" names first; None once it is over
    stages: tuple[StageMark, ...]  # the progress strip through the life of the pairing


@dataclass(frozen=True, slots=True)
class Overview:
    pairings: tuple[PairingOverview, ...]

    @property
    def pending_count(self) -> int:
        return sum(len(p.pending) for p in self.pairings)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the dashboard read for all the member's pairings, a few queries in all."""

    answered: dict[int, tuple[str, ...]]
    agreed: dict[int, bool]
    exchange: dict[int, Exchange]
    schedules: dict[int, RolePlaySchedule]
    last_checkin: dict[int, datetime]
    reflected: dict[int, set[str]]
    visions: set[int]  # pairings where the member wrote their vision
    gaps: set[int]  # pairings where the member named a gap


# The exchange and role-play schedules a card read, by pairing id.
CardReads = tuple[dict[int, Exchange], dict[int, RolePlaySchedule]]


def _facts(session: Session, heads: Sequence[PairingHead], person: int) -> _Facts:
    proposed = [h.id for h in heads if h.state == "proposed"]
    open_ = {h.id: h.members for h in heads if h.state in WRITABLE}
    return _Facts(
        answered=answers_of(session, proposed) if proposed else {},
        agreed=charters_agreed_by(session, list(open_), person) if open_ else {},
        exchange=load_exchange(session, open_) if open_ else {},
        schedules=dict(load_schedules(session, open_)) if open_ else {},
        last_checkin=last_checkins(session, list(open_), person) if open_ else {},
        reflected=closing_reflectors(session, [h for h in heads if h.id in open_]),
        visions=visions_written_by(session, list(open_), person) if open_ else set(),
        gaps=gaps_named_by(session, list(open_), person) if open_ else set(),
    )


def _pending(head: PairingHead, me: str, facts: _Facts, now: datetime) -> list[Pending]:
    if head.state == "proposed":
        return [] if me in facts.answered.get(head.id, ()) else [Pending(ACCEPT)]
    if head.state not in WRITABLE:
        return []
    timing = timing_from(head.program_settings)
    items: list[Pending] = []
    if not facts.agreed.get(head.id, False):
        items.append(Pending(AGREE_CHARTER))
    exchange = facts.exchange[head.id]
    to_me = [r for r in exchange.requests if r.recipient == me and r.status is RequestStatus.OPEN]
    if to_me:
        late = any(guidance.is_overdue(r, now, timing.response_window) for r in to_me)
        items.append(Pending(ANSWER_REQUEST, len(to_me), late))
    missed = overdue_sequences(facts.schedules.get(head.id), exchange.roleplays, now)
    if missed:
        items.append(Pending(OVERDUE_ROLEPLAY, len(missed), True))
    if head.state == "active" and head.activated_at is not None:
        last = facts.last_checkin.get(head.id)
        if pulse.is_due(last, head.activated_at, now, timing.pulse_interval):
            items.append(Pending(CHECK_IN))
    reflected = facts.reflected.get(head.id, set())
    if reflected and me not in reflected:
        items.append(Pending(CLOSING_REFLECTION))
    return items


def _practising_next(roleplays: list[RolePlay], me: str) -> date | None:
    """The date of my next planned role-play in which I practise, if any."""
    mine = [
        rp.scheduled_on
        for rp in roleplays
        if not rp.completed and me in rp.members and rp.role_of(me) is Role.PRACTISING
    ]
    return min(mine, default=None)


def _progress(head: PairingHead, me: str, facts: _Facts, pending: list[Pending]) -> Progress:
    names = head.names
    partner = " and ".join(n.split(" ")[0] for m, n in names.items() if m != me)
    if head.state not in WRITABLE:
        return Progress(
            state=head.state, partner=partner, answered=me in facts.answered.get(head.id, ())
        )
    exchange = facts.exchange[head.id]
    waiting = {item.kind: item for item in pending}
    open_to_me = sorted(
        (r for r in exchange.requests if r.recipient == me and r.status is RequestStatus.OPEN),
        key=lambda r: r.asked_at,
    )
    reflected = facts.reflected.get(head.id, set())
    return Progress(
        state=head.state,
        partner=partner,
        answered=True,
        charter_agreed=facts.agreed.get(head.id, False),
        vision_written=head.id in facts.visions,
        gaps_named=head.id in facts.gaps,
        sessions_held=len(exchange.sessions),
        roleplay_planned=head.id in facts.schedules,
        roleplays_done=sum(1 for rp in exchange.roleplays if rp.completed),
        practising_next=_practising_next(exchange.roleplays, me),
        feedback_given=any(f.giver == me for f in exchange.feedback),
        request_from=names[open_to_me[0].asker].split(" ")[0] if open_to_me else None,
        request_overdue=ANSWER_REQUEST in waiting and waiting[ANSWER_REQUEST].overdue,
        roleplay_missed=OVERDUE_ROLEPLAY in waiting,
        check_in_due=CHECK_IN in waiting,
        closing_started=bool(reflected),
        reflected=me in reflected,
    )


def _workday(program_settings: Mapping[str, Any] | None) -> tuple[float, float]:
    """The working day the programme matched on (its matching settings, else 9 to 17)."""
    default = MatchSettings()
    chosen = dict((program_settings or {}).get("matching") or {})
    try:
        start = float(chosen.get("workday_start_hour", default.workday_start_hour))
        end = float(chosen.get("workday_end_hour", default.workday_end_hour))
    except (TypeError, ValueError):
        return default.workday_start_hour, default.workday_end_hour
    return start, end


def _peer(p: MemberHead, mine: MemberHead, head: PairingHead, now: datetime) -> Peer:
    workday = _workday(head.program_settings)
    if head.state not in WRITABLE:  # contact details only once everyone has said yes
        return Peer(int(p.member), p.name, p.explanation)
    return Peer(
        int(p.member),
        p.name,
        p.explanation,
        email=p.email,
        timezone=p.timezone,
        local_time=local_time(p.timezone, now),
        overlap=overlap(mine.timezone, p.timezone, now.date(), workday),
    )


def _summary(
    head: PairingHead, me: str, facts: _Facts, now: datetime
) -> tuple[PairingOverview, BalanceReport | None]:
    report = None
    if head.state in WRITABLE:
        report = report_of(head.members, facts.exchange[head.id], first_names(head.names))
    mine = next(p for p in head.people if p.member == me)
    pending = _pending(head, me, facts, now)
    progress = _progress(head, me, facts, pending)
    card = PairingOverview(
        pairing_id=head.id,
        program_id=head.program_id,
        program_name=head.program_name,
        state=head.state,
        cycle=head.cycle,
        why=mine.explanation,
        peers=tuple(_peer(p, mine, head, now) for p in head.people if p is not mine),
        pending=tuple(pending),
        # Before anything was given or taken there is no balance to show, not "balanced".
        balance_index=None if report is None or not report.has_data else report.index_of(me),
        nudges=() if report is None else tuple(n.text for n in report.nudges if n.to_member == me),
        next_step=next_step(progress),
        stages=stages(progress),
    )
    return card, report


def my_overview(session: Session, actor: Actor, now: datetime) -> Overview:
    """Every published pairing the actor is in: open ones first, newest first.

    A bounded number of queries whatever the number of pairings or their history: the
    heads in one joined query, then each table once for all of them."""
    if actor.person_id is None:
        return Overview(())
    heads = heads_of_person(session, actor.person_id)
    facts = _facts(session, heads, actor.person_id)
    me = member_id(actor.person_id)
    summaries = [_summary(h, me, facts, now)[0] for h in heads]
    order = {"proposed": 0, "active": 0, "paused": 0}
    summaries.sort(key=lambda s: order.get(s.state, 1))
    return Overview(tuple(summaries))


def card_of(
    session: Session, ws: Workspace, now: datetime
) -> tuple[PairingOverview, BalanceReport | None, CardReads]:
    """The dashboard's card of one opened workspace, with its balance report (None
    unless the pairing is active or paused): the pairing's overview page. The third
    item is what the card read that the nudges beside it read too (exchange and
    role-play schedule), so the page reads them once."""
    facts = _facts(session, [ws.head], int(ws.me))
    card, report = _summary(ws.head, ws.me, facts, now)
    return card, report, (facts.exchange, facts.schedules)
