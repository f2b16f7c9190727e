"""The health page's figures, fast at 20,000 pairings: states counted live (cheap),
the rest (proposals past their window, missed role-plays, check-in averages, the
balance distribution) read from the programme's insight counters, as of their refresh.

services.workspace.health computes the same figures by walking every pairing's history
(the JSON API still answers with it); this reads one row a pairing in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, Aggregate, NotEnoughData
from peermentor.services.access import Actor, NotFound, require_admin
from peermentor.services.insight import ensure_fresh
from peermentor.services.nudges import InactiveMember
from peermentor.services.programs import require_program_admin
from peermentor.services.workspace.health import BANDS, BalanceDistribution, Health
from peermentor.store import insight_repo as repo
from peermentor.store.models import PAIRING_STATES, Program
from peermentor.store.workspace_counts import pairings_by_state

INACTIVE_SHOWN = 200


@dataclass(frozen=True, slots=True)
class FastHealth:
    health: Health
    as_of: datetime  # when the counters behind check-ins, balance and role-plays were made
    inactive: tuple[InactiveMember, ...]  # the first INACTIVE_SHOWN, longest silent first
    inactive_total: int


def fast_health(session: Session, actor: Actor, program_id: int, now: datetime) -> FastHealth:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    as_of = ensure_fresh(session, program_id, now)
    by_state = dict.fromkeys(PAIRING_STATES, 0) | pairings_by_state(session, program_id)
    f = repo.health_figures(session, program_id)
    checkin_pairings = int(f["checkin_pairings"])
    checkins: Aggregate | NotEnoughData = (
        Aggregate(
            checkin_pairings,
            int(f["checkin_responses"]),
            f["trust"],
            f["candour"],
            f["mutual_benefit"],
            f["progress"],
        )
        if checkin_pairings >= MIN_AGGREGATE_GROUP
        else NotEnoughData(pairings=checkin_pairings)
    )
    counted = int(f["balance_pairings"])
    balance: BalanceDistribution | NotEnoughData = (
        BalanceDistribution(
            pairings=counted,
            bands=tuple((name, int(f[name.replace("-", "_")])) for name, _ in BANDS),
            mean_distance=f["mean_distance"],
        )
        if counted >= MIN_AGGREGATE_GROUP
        else NotEnoughData(pairings=counted)
    )
    health = Health(
        program_id=program_id,
        by_state=by_state,
        pending_proposals=by_state["proposed"],
        overdue_proposals=int(f["overdue_proposals"]),
        overdue_roleplays=int(f["overdue_roleplays"]),
        checkins=checkins,
        balance=balance,
    )
    found = repo.inactive(session, program_id)
    shown = found[:INACTIVE_SHOWN]
    names = repo.names(session, (row[0] for row in shown))
    inactive = tuple(
        InactiveMember(person, names[person], pairing, state, datetime.fromisoformat(since), ok)
        for person, pairing, state, since, ok in shown
        if person in names  # erased since the refresh: gone from the list too
    )
    return FastHealth(health, as_of, inactive, len(found))
