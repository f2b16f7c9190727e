"""Role-play practice: a schedule at the pair's cadence, roles that rotate, reflections.

Roles rotate by the role-play's sequence number (0, 1, 2 ... from the schedule's
start): member i of the pairing plays ROTATION[(i + sequence) % k], k = 2 or 3. In a
pair the two swap every time; in a triad each member practises, plays the counterpart
and observes once in every three role-plays. A missed role-play keeps its roles, so a
late catch-up does not skip anybody's turn.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from peermentor.domain.charter import Cadence
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.domain.scenarios import Scenario
from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_member,
    require_members,
    require_text,
)

MAX_REFLECTION = 2000
DEFAULT_GRACE = timedelta(days=3)


class Role(StrEnum):
    PRACTISING = "practising"
    COUNTERPART = "counterpart"
    OBSERVER = "observer"


ROTATION: dict[int, tuple[Role, ...]] = {
    2: (Role.PRACTISING, Role.COUNTERPART),
    3: (Role.PRACTISING, Role.COUNTERPART, Role.OBSERVER),
}


def roles_for(members: tuple[str, ...], sequence: int) -> dict[str, Role]:
    members = require_members(members)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise ValidationError("sequence", "must be a whole number, 0 or more")
    order = ROTATION[len(members)]
    return {m: order[(i + sequence) % len(order)] for i, m in enumerate(members)}


@dataclass(frozen=True, slots=True)
class RolePlaySchedule:
    members: tuple[str, ...]
    start: date
    cadence: Cadence

    def date_of(self, sequence: int) -> date:
        return self.cadence.occurrence(self.start, sequence)


def make_schedule(members: tuple[str, ...], start: date, cadence: Cadence) -> RolePlaySchedule:
    if not isinstance(start, date) or isinstance(start, datetime):
        raise ValidationError("start", "must be a date")
    return RolePlaySchedule(require_members(members), start, cadence)


@dataclass(frozen=True, slots=True)
class Reflection:
    member_id: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RolePlay:
    roleplay_id: str
    members: tuple[str, ...]
    scenario_id: str
    sequence: int
    scheduled_on: date
    roles: tuple[tuple[str, Role], ...]
    completed_at: datetime | None = None
    reflections: tuple[Reflection, ...] = ()

    def role_of(self, member_id: str) -> Role:
        require_member(self.members, member_id)
        return dict(self.roles)[member_id]

    def member_in(self, role: Role) -> str | None:
        return next((m for m, r in self.roles if r is role), None)

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def missing_reflections(self) -> tuple[str, ...]:
        written = {r.member_id for r in self.reflections}
        return tuple(m for m in self.members if m not in written)


def plan(
    schedule: RolePlaySchedule, roleplay_id: str, sequence: int, scenario: Scenario
) -> RolePlay:
    """The role-play number `sequence` of the schedule, with its date and roles."""
    roles = roles_for(schedule.members, sequence)
    return RolePlay(
        roleplay_id=require_id("roleplay_id", roleplay_id),
        members=schedule.members,
        scenario_id=scenario.scenario_id,
        sequence=sequence,
        scheduled_on=schedule.date_of(sequence),
        roles=tuple(roles.items()),
    )


def complete(rp: RolePlay, actor: str, now: datetime) -> RolePlay:
    require_member(rp.members, actor)
    if rp.completed:
        return rp
    return replace(rp, completed_at=require_aware("now", now))


def reflect(rp: RolePlay, actor: str, text: str, now: datetime) -> RolePlay:
    """Each member writes (or rewrites) their own short reflection, after the role-play."""
    require_member(rp.members, actor)
    if not rp.completed:
        raise NotReady("reflect on this role-play", "it has not taken place yet")
    mine = Reflection(
        actor, require_text("reflection", text, max_len=MAX_REFLECTION), require_aware("now", now)
    )
    kept = tuple(r for r in rp.reflections if r.member_id != actor)
    return replace(rp, reflections=(*kept, mine))


def _today(now: datetime) -> date:
    return require_aware("now", now).date()


def is_overdue(rp: RolePlay, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Not completed and the scheduled day plus the grace period has passed."""
    return not rp.completed and _today(now) > rp.scheduled_on + grace


def missed(
    schedule: RolePlaySchedule,
    now: datetime,
    completed_sequences: Collection[int],
    grace: timedelta = DEFAULT_GRACE,
) -> tuple[int, ...]:
    """Sequence numbers due by now (plus grace) that have not been completed, whether or
    not anybody planned them."""
    today = _today(now)
    result = []
    n = 0
    while schedule.date_of(n) + grace < today:
        if n not in completed_sequences:
            result.append(n)
        n += 1
    return tuple(result)


def next_sequence(completed_sequences: Collection[int]) -> int:
    """The first sequence number not yet completed."""
    n = 0
    while n in completed_sequences:
        n += 1
    return n
