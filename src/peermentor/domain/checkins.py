"""Check-ins: short pulses on trust, candour, mutual benefit and progress (1 to 5).

A member's check-in is due one pulse interval after their last one, or after the
pairing became active when they have none yet. Admins see only aggregates, and only
over MIN_AGGREGATE_GROUP distinct pairings or more, so that no answer can be traced
back to a pair; the notes never leave the pairing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_int,
    require_member,
    require_members,
    require_text,
)

MIN_AGGREGATE_GROUP = 5
LOW, HIGH = 1, 5
MAX_NOTE = 1000
DIMENSIONS = ("trust", "candour", "mutual_benefit", "progress")


@dataclass(frozen=True, slots=True)
class CheckIn:
    pairing_id: str
    member_id: str
    at: datetime
    trust: int
    candour: int
    mutual_benefit: int
    progress: int
    note: str = ""

    def scores(self) -> tuple[int, int, int, int]:
        return (self.trust, self.candour, self.mutual_benefit, self.progress)


def check_in(
    pairing_id: str,
    members: tuple[str, ...],
    member_id: str,
    now: datetime,
    *,
    trust: int,
    candour: int,
    mutual_benefit: int,
    progress: int,
    note: str = "",
) -> CheckIn:
    require_member(require_members(members), member_id)
    return CheckIn(
        pairing_id=require_id("pairing_id", pairing_id),
        member_id=member_id,
        at=require_aware("now", now),
        trust=require_int("trust", trust, low=LOW, high=HIGH),
        candour=require_int("candour", candour, low=LOW, high=HIGH),
        mutual_benefit=require_int("mutual_benefit", mutual_benefit, low=LOW, high=HIGH),
        progress=require_int("progress", progress, low=LOW, high=HIGH),
        note=require_text("note", note, max_len=MAX_NOTE, required=False),
    )


def next_due(last_at: datetime | None, active_since: datetime, interval: timedelta) -> datetime:
    return (last_at or active_since) + interval


def is_due(
    last_at: datetime | None, active_since: datetime, now: datetime, interval: timedelta
) -> bool:
    return require_aware("now", now) >= next_due(last_at, active_since, interval)


def members_due(
    members: tuple[str, ...],
    checkins: Iterable[CheckIn],
    active_since: datetime,
    now: datetime,
    interval: timedelta,
) -> tuple[str, ...]:
    """Members of the pairing whose next pulse is due at `now`."""
    last: dict[str, datetime] = {}
    for c in checkins:
        if c.member_id in members and (c.member_id not in last or c.at > last[c.member_id]):
            last[c.member_id] = c.at
    return tuple(m for m in members if is_due(last.get(m), active_since, now, interval))


@dataclass(frozen=True, slots=True)
class Aggregate:
    pairings: int
    responses: int
    trust: float
    candour: float
    mutual_benefit: float
    progress: float


@dataclass(frozen=True, slots=True)
class NotEnoughData:
    pairings: int
    required: int = MIN_AGGREGATE_GROUP

    @property
    def message(self) -> str:
        return f"not enough data: {self.pairings} pairing(s), at least {self.required} needed"


def aggregate(checkins: Iterable[CheckIn]) -> Aggregate | NotEnoughData:
    """Average each dimension over pairings: first per pairing, then across pairings, so
    a pairing that checks in often weighs no more than one that checks in rarely.

    Fewer than MIN_AGGREGATE_GROUP distinct pairings: NotEnoughData, never numbers.
    """
    by_pairing: dict[str, list[CheckIn]] = defaultdict(list)
    for c in checkins:
        by_pairing[c.pairing_id].append(c)
    if len(by_pairing) < MIN_AGGREGATE_GROUP:
        return NotEnoughData(pairings=len(by_pairing))
    per_pairing = [
        [fmean(c.scores()[d] for c in group) for d in range(len(DIMENSIONS))]
        for group in by_pairing.values()
    ]
    means = [fmean(row[d] for row in per_pairing) for d in range(len(DIMENSIONS))]
    return Aggregate(len(by_pairing), sum(len(g) for g in by_pairing.values()), *means)
