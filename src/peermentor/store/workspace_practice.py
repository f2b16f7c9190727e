"""Role-play (schedules, programme scenarios, role-plays, reflections) and closing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.charter import Cadence, CadenceKind
from peermentor.domain.closing import Choice, Closing, ClosingReflection
from peermentor.domain.roleplay import Reflection, Role, RolePlay
from peermentor.domain.roleplay import RolePlaySchedule as Schedule
from peermentor.domain.scenarios import RoleBrief, Scenario
from peermentor.store.workspace_models import (
    ClosingReflectionRow,
    ProgrammeScenario,
    RolePlayReflection,
    RolePlayRow,
    RolePlaySchedule,
)
from peermentor.store.workspace_repo import (
    NEW_ID,
    as_utc,
    member_id,
    optional_store,
    optional_utc,
    person_id,
    to_store,
)


def load_programme_scenarios(session: Session, program_id: int) -> list[Scenario]:
    return [
        Scenario(
            scenario_id=s.key,
            title=s.title,
            situation=s.situation,
            practising=RoleBrief(s.practising_name, s.practising_brief),
            counterpart=RoleBrief(s.counterpart_name, s.counterpart_brief),
            practise=s.practise,
            source=str(program_id),
        )
        for s in session.scalars(
            select(ProgrammeScenario)
            .where(ProgrammeScenario.program_id == program_id)
            .order_by(ProgrammeScenario.id)
        )
    ]


def add_programme_scenario(session: Session, program_id: int, s: Scenario) -> None:
    session.add(
        ProgrammeScenario(
            program_id=program_id,
            key=s.scenario_id,
            title=s.title,
            situation=s.situation,
            practising_name=s.practising.name,
            practising_brief=s.practising.brief,
            counterpart_name=s.counterpart.name,
            counterpart_brief=s.counterpart.brief,
            practise=s.practise,
        )
    )
    session.flush()


def load_schedules(session: Session, members: Mapping[int, tuple[str, ...]]) -> dict[int, Schedule]:
    return {
        row.pairing_id: Schedule(
            members[row.pairing_id],
            row.start,
            Cadence(CadenceKind(row.cadence_kind), row.cadence_every_days),
        )
        for row in session.scalars(
            select(RolePlaySchedule).where(RolePlaySchedule.pairing_id.in_(list(members)))
        )
    }


def save_schedule(session: Session, pairing_id: int, schedule: Schedule) -> None:
    row = session.scalar(select(RolePlaySchedule).where(RolePlaySchedule.pairing_id == pairing_id))
    if row is None:
        row = RolePlaySchedule(pairing_id=pairing_id)
        session.add(row)
    row.start = schedule.start
    row.cadence_kind = schedule.cadence.kind.value
    row.cadence_every_days = schedule.cadence.every_days
    session.flush()


def load_roleplays(
    session: Session, members: Mapping[int, tuple[str, ...]], *, with_reflections: bool = True
) -> dict[int, list[RolePlay]]:
    """Role-plays by pairing; admins' counts pass with_reflections=False."""
    r = RolePlayRow
    rows = session.execute(
        select(r.id, r.pairing_id, r.scenario_key, r.sequence, r.scheduled_on, r.roles)
        .add_columns(r.completed_at)
        .where(r.pairing_id.in_(list(members)))
        .order_by(r.sequence)
    ).all()
    reflections: dict[int, list[Reflection]] = defaultdict(list)
    if rows and with_reflections:
        f = RolePlayReflection
        # Joined on the pairing rather than an IN-list of every role-play id.
        for roleplay_id, person, text, at in session.execute(
            select(f.roleplay_id, f.person_id, f.text, f.at)
            .join(RolePlayRow, RolePlayRow.id == f.roleplay_id)
            .where(RolePlayRow.pairing_id.in_(list(members)))
            .order_by(f.id)
        ):
            reflections[roleplay_id].append(Reflection(member_id(person), text, as_utc(at)))
    result: dict[int, list[RolePlay]] = defaultdict(list)
    for row in rows:
        result[row.pairing_id].append(
            RolePlay(
                roleplay_id=str(row.id),
                members=members[row.pairing_id],
                scenario_id=row.scenario_key,
                sequence=row.sequence,
                scheduled_on=row.scheduled_on,
                roles=tuple((member_id(p), Role(role)) for p, role in row.roles),
                completed_at=optional_utc(row.completed_at),
                reflections=tuple(reflections[row.id]),
            )
        )
    return result


def save_roleplay(session: Session, pairing_id: int, rp: RolePlay) -> str:
    row = None if rp.roleplay_id == NEW_ID else session.get(RolePlayRow, int(rp.roleplay_id))
    if row is None:
        row = RolePlayRow(pairing_id=pairing_id)
        session.add(row)
    row.scenario_key = rp.scenario_id
    row.sequence = rp.sequence
    row.scheduled_on = rp.scheduled_on
    row.roles = [[person_id(m), role.value] for m, role in rp.roles]
    row.completed_at = optional_store(rp.completed_at)
    session.flush()
    stored = {
        r.person_id: r
        for r in session.scalars(
            select(RolePlayReflection).where(RolePlayReflection.roleplay_id == row.id)
        )
    }
    for r in rp.reflections:
        reflection = stored.get(person_id(r.member_id))
        if reflection is None:
            reflection = RolePlayReflection(roleplay_id=row.id, person_id=person_id(r.member_id))
            session.add(reflection)
        reflection.text, reflection.at = r.text, to_store(r.at)
    session.flush()
    return str(row.id)


def load_closing(
    session: Session, pairing_id: int, members: tuple[str, ...], cycle: int
) -> Closing:
    rows = session.scalars(
        select(ClosingReflectionRow).where(
            ClosingReflectionRow.pairing_id == pairing_id, ClosingReflectionRow.cycle == cycle
        )
    )
    by_member = {
        member_id(r.person_id): ClosingReflection(
            member_id(r.person_id), r.text, Choice(r.choice), as_utc(r.at)
        )
        for r in rows
    }
    return Closing(
        str(pairing_id), members, cycle, tuple(by_member[m] for m in members if m in by_member)
    )


def save_closing(session: Session, pairing_id: int, closing: Closing) -> None:
    stored = {
        r.person_id: r
        for r in session.scalars(
            select(ClosingReflectionRow).where(
                ClosingReflectionRow.pairing_id == pairing_id,
                ClosingReflectionRow.cycle == closing.cycle,
            )
        )
    }
    for r in closing.reflections:
        row = stored.get(person_id(r.member_id))
        if row is None:
            row = ClosingReflectionRow(
                pairing_id=pairing_id, cycle=closing.cycle, person_id=person_id(r.member_id)
            )
            session.add(row)
        row.text, row.choice, row.at = r.text, r.choice.value, to_store(r.at)
    session.flush()
