"""Role-play practice: a schedule at the pair's cadence, scenarios, rotating roles,
reflections afterwards, and the missed ones shown as overdue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from peermentor.domain import roleplay as rules
from peermentor.domain import scenarios
from peermentor.domain.charter import cadence as make_cadence
from peermentor.domain.errors import NotFound, NotReady, ValidationError
from peermentor.domain.roleplay import Role, RolePlay, RolePlaySchedule
from peermentor.domain.scenarios import RoleBrief, Scenario
from peermentor.services.access import Actor, require_admin
from peermentor.services.access import NotFound as NoSuchThing
from peermentor.services.programs import require_program_admin
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.models import Program
from peermentor.store.workspace_practice import (
    add_programme_scenario,
    load_programme_scenarios,
    load_roleplays,
    load_schedules,
    save_roleplay,
    save_schedule,
)
from peermentor.store.workspace_repo import NEW_ID

# Guards that keep dates computable and "what is overdue" cheap to work out: the
# overdue check walks the schedule from its start, once per page view.
MAX_START_DISTANCE_DAYS = 366
MAX_SEQUENCE = 1_000


@dataclass(frozen=True, slots=True)
class RolePlayBoard:
    schedule: RolePlaySchedule | None
    roleplays: tuple[RolePlay, ...]  # planned ones, by sequence
    overdue: tuple[int, ...]  # sequences due by now and not completed, planned or not
    catch_up: tuple[int, ...]  # overdue ones nobody planned: they may still be planned late
    next_sequence: int | None
    next_on: date | None
    next_roles: tuple[tuple[str, Role], ...]


def overdue_sequences(
    schedule: RolePlaySchedule | None, roleplays: list[RolePlay], now: datetime
) -> tuple[int, ...]:
    if schedule is None:
        return ()
    return rules.missed(schedule, now, {rp.sequence for rp in roleplays if rp.completed})


def catch_up_sequences(overdue: tuple[int, ...], roleplays: Iterable[RolePlay]) -> tuple[int, ...]:
    """Missed role-plays nobody planned may still be caught up, with the roles they had
    (a late catch-up skips nobody's turn); a planned one is done, not planned again."""
    planned = {rp.sequence for rp in roleplays}
    return tuple(n for n in overdue if n not in planned)


def _state(session: Session, ws: Workspace) -> tuple[RolePlaySchedule | None, list[RolePlay]]:
    members = {ws.id: ws.members}
    return load_schedules(session, members).get(ws.id), load_roleplays(session, members).get(
        ws.id, []
    )


def _board(session: Session, ws: Workspace, now: datetime) -> RolePlayBoard:
    schedule, roleplays = _state(session, ws)
    if schedule is None:
        return RolePlayBoard(None, tuple(roleplays), (), (), None, None, ())
    nxt = rules.next_sequence({rp.sequence for rp in roleplays if rp.completed})
    overdue = overdue_sequences(schedule, roleplays, now)
    return RolePlayBoard(
        schedule=schedule,
        roleplays=tuple(roleplays),
        overdue=overdue,
        catch_up=catch_up_sequences(overdue, roleplays),
        next_sequence=nxt,
        next_on=schedule.date_of(nxt),
        next_roles=tuple(rules.roles_for(ws.members, nxt).items()),
    )


def roleplay_board(session: Session, actor: Actor, pairing_id: int, now: datetime) -> RolePlayBoard:
    return board_of(session, open_workspace(session, actor, pairing_id), now)


def board_of(session: Session, ws: Workspace, now: datetime) -> RolePlayBoard:
    """The board of a workspace the caller has opened already."""
    return _board(session, ws, now)


def list_scenarios(session: Session, actor: Actor, pairing_id: int) -> tuple[Scenario, ...]:
    return scenarios_of(session, open_workspace(session, actor, pairing_id))


def scenarios_of(session: Session, ws: Workspace) -> tuple[Scenario, ...]:
    """The shipped library followed by the pairing's programme's own scenarios."""
    return scenarios.scenarios_for(load_programme_scenarios(session, ws.program_id))


def add_scenario(
    session: Session,
    actor: Actor,
    program_id: int,
    now: datetime,
    *,
    scenario_id: str,
    title: str,
    situation: str,
    practising: tuple[str, str],
    counterpart: tuple[str, str],
    practise: str,
) -> Scenario:
    """A programme admin adds a scenario (name, brief for each role) to the library."""
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NoSuchThing(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    scenario = scenarios.programme_scenario(
        scenario_id,
        str(program_id),
        title=title,
        situation=situation,
        practising=RoleBrief(*practising),
        counterpart=RoleBrief(*counterpart),
        practise=practise,
    )
    # Refuses a key the programme already uses, with the field named.
    scenarios.scenarios_for([*load_programme_scenarios(session, program_id), scenario])
    add_programme_scenario(session, program_id, scenario)
    session.commit()
    return scenario


def set_schedule(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    start: date,
    cadence: str | None = None,
    every_days: int | None = None,
) -> RolePlayBoard:
    """Start (or move) the pairing's role-play schedule; without a cadence, every N days
    as the programme sets it."""
    ws = open_for_writing(session, actor, pairing_id, "schedule role-plays for")
    if abs((start - now.date()).days) > MAX_START_DISTANCE_DAYS:
        raise ValidationError("start", "must be within a year of today")
    if cadence is None and every_days is None:
        cadence, every_days = "every_n_days", ws.timing.roleplay_cadence_days
    chosen = make_cadence(cadence or "every_n_days", every_days)
    save_schedule(session, ws.id, rules.make_schedule(ws.members, start, chosen))
    session.commit()
    return _board(session, ws, now)


def plan_roleplay(
    session: Session,
    actor: Actor,
    pairing_id: int,
    scenario_id: str,
    now: datetime,
    *,
    sequence: int | None = None,
) -> RolePlay:
    """Pick the scenario for a role-play of the schedule (by default the first one not
    yet planned); its date and roles follow from the schedule."""
    ws = open_for_writing(session, actor, pairing_id, "plan a role-play in")
    schedule, roleplays = _state(session, ws)
    if schedule is None:
        raise NotReady("plan a role-play", "the pairing has no role-play schedule yet")
    planned = {rp.sequence for rp in roleplays}
    if sequence is not None and sequence > MAX_SEQUENCE:
        raise ValidationError("sequence", f"must be at most {MAX_SEQUENCE}")
    if sequence is None:
        sequence = rules.next_sequence(planned)
    elif sequence in planned:
        raise NotReady("plan a role-play", f"role-play {sequence} is already planned")
    try:
        found = scenarios.find_scenario(
            scenario_id, load_programme_scenarios(session, ws.program_id)
        )
    except NotFound as missing:  # a value that was chosen, not a resource in the path
        raise ValidationError("scenario_id", str(missing)) from None
    rid = save_roleplay(session, ws.id, rules.plan(schedule, NEW_ID, sequence, found))
    session.commit()
    return _get(session, ws, int(rid))


def _get(session: Session, ws: Workspace, roleplay_id: int) -> RolePlay:
    for rp in _state(session, ws)[1]:
        if rp.roleplay_id == str(roleplay_id):
            return rp
    raise NotFound("role-play", str(roleplay_id))


def complete_roleplay(
    session: Session, actor: Actor, pairing_id: int, roleplay_id: int, now: datetime
) -> RolePlay:
    ws = open_for_writing(session, actor, pairing_id, "complete a role-play in")
    save_roleplay(session, ws.id, rules.complete(_get(session, ws, roleplay_id), ws.me, now))
    session.commit()
    return _get(session, ws, roleplay_id)


def reflect_on_roleplay(
    session: Session, actor: Actor, pairing_id: int, roleplay_id: int, text: str, now: datetime
) -> RolePlay:
    ws = open_for_writing(session, actor, pairing_id, "reflect on a role-play in")
    save_roleplay(session, ws.id, rules.reflect(_get(session, ws, roleplay_id), ws.me, text, now))
    session.commit()
    return _get(session, ws, roleplay_id)
