"""Role-play practice: the schedule, scenarios, rotating roles and reflections."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from peermentor.domain import roleplay as roleplay_rules
from peermentor.domain.charter import MAX_EVERY_DAYS, CadenceKind
from peermentor.domain.roleplay import Role, RolePlay
from peermentor.domain.scenarios import Scenario
from peermentor.services.workspace import roleplay as service
from peermentor.services.workspace.roleplay import MAX_SEQUENCE
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    api_router,
    pid,
)

router = api_router("role-play")
BASE = "/pairings/{pairing_id}"

# --- role-play ---


class RoleOut(Out):
    person_id: int
    role: Role


class ReflectionOut(Out):
    person_id: int
    text: str
    at: datetime


class RolePlayOut(Out):
    roleplay_id: int
    scenario_id: str
    sequence: int
    scheduled_on: date
    roles: list[RoleOut]
    completed_at: datetime | None
    reflections: list[ReflectionOut]


class ScheduleOut(Out):
    start: date
    cadence: CadenceKind
    every_days: int | None


class RolePlaysOut(Out):
    schedule: ScheduleOut | None
    roleplays: list[RolePlayOut]
    overdue: list[int]  # sequences due by now and not completed
    catch_up: list[int] = Field(
        description="overdue sequences nobody planned: they may still be planned, late"
    )
    next_sequence: int | None
    next_on: date | None
    next_roles: list[RoleOut]


class ScheduleIn(Body):
    start: date = Field(description="within a year of today")
    cadence: CadenceKind | None = Field(None, description="default: the programme's cadence")
    every_days: int | None = Field(None, ge=1, le=MAX_EVERY_DAYS)


class PlanIn(Body):
    scenario_id: str = Field(min_length=1, max_length=100)
    sequence: int | None = Field(None, ge=0, le=MAX_SEQUENCE, description="default: the next")


class ReflectionIn(Body):
    reflection: str = Field(min_length=1, max_length=roleplay_rules.MAX_REFLECTION)


class RoleBriefOut(Out):
    name: str
    brief: str


class ScenarioOut(Out):
    scenario_id: str
    title: str
    situation: str
    practising: RoleBriefOut
    counterpart: RoleBriefOut
    practise: str
    source: str  # "library" or the id of the programme that added it


def _roles(pairs: tuple[tuple[str, Role], ...]) -> list[RoleOut]:
    return [RoleOut(person_id=pid(m), role=r) for m, r in pairs]


def roleplay_out(rp: RolePlay) -> RolePlayOut:
    return RolePlayOut(
        roleplay_id=int(rp.roleplay_id),
        scenario_id=rp.scenario_id,
        sequence=rp.sequence,
        scheduled_on=rp.scheduled_on,
        roles=_roles(rp.roles),
        completed_at=rp.completed_at,
        reflections=[
            ReflectionOut(person_id=pid(r.member_id), text=r.text, at=r.at) for r in rp.reflections
        ],
    )


def scenario_out(s: Scenario) -> ScenarioOut:
    return ScenarioOut(
        scenario_id=s.scenario_id,
        title=s.title,
        situation=s.situation,
        practising=RoleBriefOut(name=s.practising.name, brief=s.practising.brief),
        counterpart=RoleBriefOut(name=s.counterpart.name, brief=s.counterpart.brief),
        practise=s.practise,
        source=s.source,
    )


def board_out(board: service.RolePlayBoard) -> RolePlaysOut:
    schedule = board.schedule
    return RolePlaysOut(
        schedule=None
        if schedule is None
        else ScheduleOut(
            start=schedule.start,
            cadence=schedule.cadence.kind,
            every_days=schedule.cadence.every_days,
        ),
        roleplays=[roleplay_out(rp) for rp in board.roleplays],
        overdue=list(board.overdue),
        catch_up=list(board.catch_up),
        next_sequence=board.next_sequence,
        next_on=board.next_on,
        next_roles=_roles(board.next_roles),
    )


@router.get(
    BASE + "/roleplays", response_model=RolePlaysOut, summary="Role-play schedule and history"
)
def roleplays(pairing_id: PathId, who: Member, session: Db, now: Clock) -> RolePlaysOut:
    return board_out(service.roleplay_board(session, who.actor, pairing_id, now))


@router.put(
    BASE + "/roleplays/schedule", response_model=RolePlaysOut, summary="Start or move the schedule"
)
def schedule(
    pairing_id: PathId, body: ScheduleIn, who: MemberChange, session: Db, now: Clock
) -> RolePlaysOut:
    return board_out(
        service.set_schedule(
            session,
            who.actor,
            pairing_id,
            now,
            start=body.start,
            cadence=body.cadence,
            every_days=body.every_days,
        )
    )


@router.post(
    BASE + "/roleplays",
    response_model=RolePlayOut,
    status_code=201,
    summary="Pick the scenario of a scheduled role-play",
)
def plan(
    pairing_id: PathId, body: PlanIn, who: MemberChange, session: Db, now: Clock
) -> RolePlayOut:
    planned = service.plan_roleplay(
        session, who.actor, pairing_id, body.scenario_id, now, sequence=body.sequence
    )
    return roleplay_out(planned)


@router.post(
    BASE + "/roleplays/{roleplay_id}/complete",
    response_model=RolePlayOut,
    summary="Mark a role-play as done",
)
def complete(
    pairing_id: PathId, roleplay_id: PathId, who: MemberChange, session: Db, now: Clock
) -> RolePlayOut:
    return roleplay_out(service.complete_roleplay(session, who.actor, pairing_id, roleplay_id, now))


@router.put(
    BASE + "/roleplays/{roleplay_id}/reflection",
    response_model=RolePlayOut,
    summary="Write my reflection on a role-play",
)
def reflect(
    pairing_id: PathId,
    roleplay_id: PathId,
    body: ReflectionIn,
    who: MemberChange,
    session: Db,
    now: Clock,
) -> RolePlayOut:
    return roleplay_out(
        service.reflect_on_roleplay(
            session, who.actor, pairing_id, roleplay_id, body.reflection, now
        )
    )


@router.get(
    BASE + "/scenarios",
    response_model=list[ScenarioOut],
    summary="The scenario library and the programme's own scenarios",
)
def scenarios(pairing_id: PathId, who: Member, session: Db) -> list[ScenarioOut]:
    return [scenario_out(s) for s in service.list_scenarios(session, who.actor, pairing_id)]
