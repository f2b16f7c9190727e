"""Programme admins: publish, health, scenarios, withdraw and dissolve.

Admins are not members of any pairing: what they get back is numbers and states,
never a word a pair wrote.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends
from pydantic import Field

from peermentor.domain import scenarios as scenario_rules
from peermentor.domain.checkins import Aggregate, NotEnoughData
from peermentor.domain.lifecycle import PairingState
from peermentor.services import matching as matching_service
from peermentor.services.insight_health import fast_health
from peermentor.services.workspace import health as health_service
from peermentor.services.workspace import proposals
from peermentor.services.workspace import roleplay as roleplay_service
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Out,
    PathId,
    Reason,
    api_router,
    pairing_admin_writing,
    programme_admin_reading,
    programme_admin_writing,
)
from peermentor.web.api.practice import ScenarioOut, scenario_out
from peermentor.web.deps import Caller

router = api_router("programme admin")
ProgrammeAdmin = Annotated[Caller, Depends(programme_admin_reading)]
ProgrammeAdminChange = Annotated[Caller, Depends(programme_admin_writing)]
PairingAdminChange = Annotated[Caller, Depends(pairing_admin_writing)]
Title = Annotated[str, Field(min_length=1, max_length=scenario_rules.MAX_TITLE)]
Text = Annotated[str, Field(min_length=1, max_length=scenario_rules.MAX_TEXT)]


class PublishedOut(Out):
    published: int  # pairings turned from drafts into proposals


class StateCount(Out):
    state: str
    pairings: int


class CheckInAverages(Out):
    """Averages over at least 5 pairings; below that only how many there are."""

    enough_data: bool
    pairings: int
    required: int
    responses: int | None
    trust: float | None
    candour: float | None
    mutual_benefit: float | None
    progress: float | None


class BandCount(Out):
    band: Literal["balanced", "leaning", "one-sided"]
    pairings: int


class BalanceDistributionOut(Out):
    enough_data: bool
    pairings: int
    bands: list[BandCount]  # empty without enough data
    mean_distance: float | None  # mean |index|; 0 is perfectly balanced


class HealthOut(Out):
    program_id: int
    by_state: list[StateCount]
    pending_proposals: int
    overdue_proposals: int
    overdue_roleplays: int
    checkins: CheckInAverages
    balance: BalanceDistributionOut


class RoleBriefIn(Body):
    name: Title
    brief: Text


class ScenarioIn(Body):
    scenario_id: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Title
    situation: Text
    practising: RoleBriefIn
    counterpart: RoleBriefIn
    practise: Text


class StateOut(Out):
    pairing_id: int
    state: PairingState


def _checkins(found: Aggregate | NotEnoughData) -> CheckInAverages:
    if isinstance(found, NotEnoughData):
        return CheckInAverages(
            enough_data=False,
            pairings=found.pairings,
            required=found.required,
            responses=None,
            trust=None,
            candour=None,
            mutual_benefit=None,
            progress=None,
        )
    return CheckInAverages(
        enough_data=True,
        pairings=found.pairings,
        required=NotEnoughData(0).required,
        responses=found.responses,
        trust=found.trust,
        candour=found.candour,
        mutual_benefit=found.mutual_benefit,
        progress=found.progress,
    )


def _balance(
    found: health_service.BalanceDistribution | NotEnoughData,
) -> BalanceDistributionOut:
    if isinstance(found, NotEnoughData):
        return BalanceDistributionOut(
            enough_data=False, pairings=found.pairings, bands=[], mean_distance=None
        )
    return BalanceDistributionOut(
        enough_data=True,
        pairings=found.pairings,
        bands=[BandCount(band=b, pairings=n) for b, n in found.bands],  # type: ignore[arg-type]
        mean_distance=found.mean_distance,
    )


@router.post(
    "/programs/{program_id}/publish",
    response_model=PublishedOut,
    summary="Publish the programme's draft pairings as proposals",
)
def publish(program_id: PathId, who: ProgrammeAdminChange, session: Db, now: Clock) -> PublishedOut:
    # The same use case as the review page's Publish: the run is marked published too.
    published = matching_service.publish_program_draft(session, who.actor, program_id, now)
    return PublishedOut(published=published)


@router.get(
    "/programs/{program_id}/health",
    response_model=HealthOut,
    summary="Programme health: numbers only, averages over 5 or more pairings",
)
def health(program_id: PathId, who: ProgrammeAdmin, session: Db, now: Clock) -> HealthOut:
    # From the insight counters (states counted live), not by walking every pairing's
    # history: fast at 20,000 pairings; the figures are as of the last refresh.
    found = fast_health(session, who.actor, program_id, now).health
    return HealthOut(
        program_id=found.program_id,
        by_state=[StateCount(state=s, pairings=n) for s, n in found.by_state.items()],
        pending_proposals=found.pending_proposals,
        overdue_proposals=found.overdue_proposals,
        overdue_roleplays=found.overdue_roleplays,
        checkins=_checkins(found.checkins),
        balance=_balance(found.balance),
    )


@router.post(
    "/programs/{program_id}/scenarios",
    response_model=ScenarioOut,
    status_code=201,
    summary="Add a role-play scenario to the programme's library",
)
def add_scenario(
    program_id: PathId, body: ScenarioIn, who: ProgrammeAdminChange, session: Db, now: Clock
) -> ScenarioOut:
    return scenario_out(
        roleplay_service.add_scenario(
            session,
            who.actor,
            program_id,
            now,
            scenario_id=body.scenario_id,
            title=body.title,
            situation=body.situation,
            practising=(body.practising.name, body.practising.brief),
            counterpart=(body.counterpart.name, body.counterpart.brief),
            practise=body.practise,
        )
    )


@router.post(
    "/pairings/{pairing_id}/withdraw",
    response_model=StateOut,
    summary="Take a proposal back (admin)",
)
def withdraw(
    pairing_id: PathId,
    who: PairingAdminChange,
    session: Db,
    now: Clock,
    body: Reason | None = None,
) -> StateOut:
    reason = body.reason if body else ""
    state = proposals.withdraw_proposal(session, who.actor, pairing_id, now, reason=reason)
    return StateOut(pairing_id=pairing_id, state=PairingState(state))


@router.post(
    "/pairings/{pairing_id}/dissolve",
    response_model=StateOut,
    summary="End an active or paused pairing that is not working (admin)",
)
def dissolve(
    pairing_id: PathId,
    who: PairingAdminChange,
    session: Db,
    now: Clock,
    body: Reason | None = None,
) -> StateOut:
    reason = body.reason if body else ""
    state = proposals.dissolve_pairing(session, who.actor, pairing_id, now, reason=reason)
    return StateOut(pairing_id=pairing_id, state=PairingState(state))
