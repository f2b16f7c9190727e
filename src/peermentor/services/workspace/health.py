"""Programme health for admins: numbers only, never a word a pair wrote.

Averages of check-ins and the balance distribution appear only over
MIN_AGGREGATE_GROUP pairings or more, so that no figure can be traced to one pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy.orm import Session

from peermentor.domain import checkins as pulse
from peermentor.domain import lifecycle
from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, Aggregate, NotEnoughData
from peermentor.services.access import Actor, NotFound, require_admin
from peermentor.services.programs import require_program_admin
from peermentor.services.workspace.access import timing_of
from peermentor.services.workspace.balance import report_of
from peermentor.services.workspace.roleplay import overdue_sequences
from peermentor.store.models import PAIRING_STATES, Program
from peermentor.store.workspace_counts import load_exchange, pairings_by_state
from peermentor.store.workspace_exchange import load_checkins
from peermentor.store.workspace_practice import load_schedules
from peermentor.store.workspace_repo import members_by_pairing, proposals

CHUNK = 2_000  # pairings per batch: keeps IN-lists inside SQLite's variable limit
OPEN_STATES = ("active", "paused")
# |index| bands: which way a pairing leans depends only on who is listed first, so the
# distribution counts how far from balanced pairings are, not towards whom.
BANDS = (("balanced", 0.0), ("leaning", 0.2), ("one-sided", 0.6))


@dataclass(frozen=True, slots=True)
class BalanceDistribution:
    pairings: int
    bands: tuple[tuple[str, int], ...]  # (band, pairings), bands as in BANDS
    mean_distance: float  # mean |index|; 0 is perfectly balanced


@dataclass(frozen=True, slots=True)
class Health:
    program_id: int
    by_state: dict[str, int]  # every state, zeros included (drafts too)
    pending_proposals: int
    overdue_proposals: int
    overdue_roleplays: int  # pairings with at least one missed role-play
    checkins: Aggregate | NotEnoughData
    balance: BalanceDistribution | NotEnoughData


def _chunks(members: dict[int, tuple[str, ...]]) -> Iterator[dict[int, tuple[str, ...]]]:
    items = iter(members.items())
    while chunk := dict(islice(items, CHUNK)):
        yield chunk


def _band(distance: float) -> str:
    return [name for name, low in BANDS if distance >= low][-1]


def programme_health(session: Session, actor: Actor, program_id: int, now: datetime) -> Health:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    timing = timing_of(program)
    by_state = dict.fromkeys(PAIRING_STATES, 0) | pairings_by_state(session, program_id)

    proposed = members_by_pairing(session, program_id, ["proposed"])
    overdue_proposals = sum(
        lifecycle.proposal_overdue(p, now, timing.response_window)
        for chunk in _chunks(proposed)
        for p in proposals(session, chunk)
    )

    open_pairings = members_by_pairing(session, program_id, OPEN_STATES)
    overdue_roleplays = 0
    distances: list[float] = []
    for chunk in _chunks(open_pairings):
        schedules = load_schedules(session, chunk)
        exchange = load_exchange(session, chunk)
        for pid, group in chunk.items():
            overdue_roleplays += bool(
                overdue_sequences(schedules.get(pid), exchange[pid].roleplays, now)
            )
            ex = exchange[pid]
            if not (ex.sessions or ex.requests or ex.feedback or ex.roleplays):
                continue  # nothing exchanged yet: no balance to count, skip the work
            report = report_of(group, ex)
            if report.has_data:
                distances.append(abs(report.index))

    everyone = members_by_pairing(session, program_id, PAIRING_STATES)
    checkins = [
        c
        for chunk in _chunks(everyone)
        for group in load_checkins(session, list(chunk), with_notes=False).values()
        for c in group
    ]
    return Health(
        program_id=program_id,
        by_state=by_state,
        pending_proposals=by_state["proposed"],
        overdue_proposals=overdue_proposals,
        overdue_roleplays=overdue_roleplays,
        checkins=pulse.aggregate(checkins),
        balance=_distribution(distances),
    )


def _distribution(distances: list[float]) -> BalanceDistribution | NotEnoughData:
    if len(distances) < MIN_AGGREGATE_GROUP:
        return NotEnoughData(pairings=len(distances))
    counts = dict.fromkeys((name for name, _ in BANDS), 0)
    for d in distances:
        counts[_band(d)] += 1
    return BalanceDistribution(
        pairings=len(distances),
        bands=tuple(counts.items()),
        mean_distance=sum(distances) / len(distances),
    )
