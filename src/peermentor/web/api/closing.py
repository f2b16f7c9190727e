"""How balanced the exchange is, and the end of a cycle: reflect, close, or rematch."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from peermentor.domain import closing as rules
from peermentor.domain.balance import BalanceReport, Component
from peermentor.domain.closing import Choice, Closing
from peermentor.services.workspace import balance as balance_service
from peermentor.services.workspace import closing as service
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    Reason,
    api_router,
    pid,
)
from peermentor.web.api.pairings import PairingOut, pairing_out

router = api_router("balance and closing")
BASE = "/pairings/{pairing_id}"

# --- balance ---


class MemberCount(Out):
    person_id: int
    units: int


class MemberShare(Out):
    person_id: int
    share: float | None  # in [-1, 1]; null without data


class ComponentOut(Out):
    component: Component
    gives: list[MemberCount]
    shares: list[MemberShare]
    weight: float


class MemberIndex(Out):
    person_id: int
    index: float


class NudgeOut(Out):
    to: int  # person id of the member nudged
    component: Component
    text: str


class BalanceOut(Out):
    index: float  # in [-1, 1]; 0 is balanced
    leaning_member: int | None
    has_data: bool
    member_indices: list[MemberIndex]
    components: list[ComponentOut]
    nudges: list[NudgeOut]


def balance_out(report: BalanceReport) -> BalanceOut:
    return BalanceOut(
        index=report.index,
        leaning_member=None if report.leaning_member is None else pid(report.leaning_member),
        has_data=report.has_data,
        member_indices=[MemberIndex(person_id=pid(m), index=i) for m, i in report.member_indices],
        components=[
            ComponentOut(
                component=c.component,
                gives=[MemberCount(person_id=pid(m), units=n) for m, n in c.gives],
                shares=[MemberShare(person_id=pid(m), share=s) for m, s in c.shares],
                weight=c.weight,
            )
            for c in report.components
        ],
        nudges=[
            NudgeOut(to=pid(n.to_member), component=n.component, text=n.text) for n in report.nudges
        ],
    )


@router.get(
    BASE + "/balance", response_model=BalanceOut, summary="Balance of give-and-take, with nudges"
)
def balance(pairing_id: PathId, who: Member, session: Db) -> BalanceOut:
    return balance_out(balance_service.pairing_balance(session, who.actor, pairing_id))


# --- closing ---


class ClosingReflectionOut(Out):
    person_id: int
    text: str
    choice: Choice
    at: datetime


class ClosingOut(Out):
    cycle: int
    reflections: list[ClosingReflectionOut]
    waiting_for: list[int]
    outcome: Choice | None  # null until everyone has reflected


class ClosingReflectionIn(Body):
    reflection: str = Field(min_length=1, max_length=rules.MAX_REFLECTION)
    choice: Choice


def closing_out(c: Closing) -> ClosingOut:
    return ClosingOut(
        cycle=c.cycle,
        reflections=[
            ClosingReflectionOut(person_id=pid(r.member_id), text=r.text, choice=r.choice, at=r.at)
            for r in c.reflections
        ],
        waiting_for=[pid(m) for m in c.waiting_for],
        outcome=c.outcome,
    )


@router.get(
    BASE + "/closing", response_model=ClosingOut, summary="Closing reflections of this cycle"
)
def get_closing(pairing_id: PathId, who: Member, session: Db) -> ClosingOut:
    return closing_out(service.get_closing(session, who.actor, pairing_id))


@router.put(
    BASE + "/closing/reflection",
    response_model=ClosingOut,
    summary="Write my closing reflection and choice (complete or renew)",
)
def write_reflection(
    pairing_id: PathId, body: ClosingReflectionIn, who: MemberChange, session: Db, now: Clock
) -> ClosingOut:
    return closing_out(
        service.write_closing_reflection(
            session, who.actor, pairing_id, body.reflection, body.choice, now
        )
    )


@router.post(
    BASE + "/close",
    response_model=PairingOut,
    summary="Close the cycle once everyone reflected: renew if all chose to, else complete",
)
def close(pairing_id: PathId, who: MemberChange, session: Db, now: Clock) -> PairingOut:
    return pairing_out(service.close_pairing(session, who.actor, pairing_id, now))


@router.post(
    BASE + "/rematch",
    response_model=PairingOut,
    summary="End the pairing and ask for a rematch (everyone returns to the pool)",
)
def rematch(
    pairing_id: PathId, who: MemberChange, session: Db, now: Clock, body: Reason | None = None
) -> PairingOut:
    reason = body.reason if body else ""
    return pairing_out(service.request_rematch(session, who.actor, pairing_id, now, reason=reason))
