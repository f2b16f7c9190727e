"""Team circles, the admin's side: create circles, change membership and cadence, start
rounds. Admins of the circle's programme may do this (audited); the lead may not.

Members' use cases (give, acknowledge, reply, skip) are in services.circle_notes, the
mail a circle sends in services.circle_mail (`due_mail`, re-exported here).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain import circles as rules
from peermentor.domain import rotation
from peermentor.domain.errors import ValidationError
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services import audit
from peermentor.services.access import Actor, Forbidden, InvalidInput, NotFound, require_admin
from peermentor.services.circle_mail import due_mail
from peermentor.services.programs import get_program, is_program_admin, require_program_admin
from peermentor.store import circles_repo as repo
from peermentor.store.circles_models import (
    Circle,
    CircleAssignment,
    CircleMember,
    CircleRound,
)
from peermentor.store.models import Person, Program

__all__ = ["due_mail"]

LEAD_CHOICES = ("manager", "none")


# --- who may ---


def find_circle(session: Session, circle_id: int, *, lock: bool = False) -> Circle:
    circle = repo.get_circle(session, circle_id, lock=lock)
    if circle is None:
        raise NotFound(f"no circle {circle_id}")
    return circle


def program_of(session: Session, circle: Circle) -> Program:
    program = session.get(Program, circle.program_id)
    assert program is not None  # the foreign key guarantees it
    return program


def admin_circle(session: Session, actor: Actor, circle_id: int, *, lock: bool = False) -> Circle:
    require_admin(actor)  # first: a participant learns not even whether it exists
    circle = find_circle(session, circle_id, lock=lock)
    require_program_admin(session, actor, program_of(session, circle))
    return circle


def is_lead(actor: Actor, circle: Circle) -> bool:
    return actor.person_id is not None and circle.lead_person_id == actor.person_id


def may_see_participation(session: Session, actor: Actor, circle: Circle) -> bool:
    return is_lead(actor, circle) or (
        actor.is_admin and is_program_admin(session, actor, circle.program_id)
    )


def require_lead_or_admin(session: Session, actor: Actor, circle_id: int) -> Circle:
    circle = find_circle(session, circle_id)
    if not may_see_participation(session, actor, circle):
        raise Forbidden("only the circle's lead and its programme's admins see participation")
    return circle


# --- views ---


@dataclass(frozen=True, slots=True)
class CircleSummary:
    circle: Circle
    lead: Person | None
    members: tuple[Person, ...]
    round: CircleRound | None


def summary(session: Session, circle: Circle) -> CircleSummary:
    memberships = repo.active_memberships(session, circle.id)
    people = repo.people_by_id(
        session,
        [m.person_id for m in memberships]
        + ([circle.lead_person_id] if circle.lead_person_id else []),
    )
    return CircleSummary(
        circle=circle,
        lead=people.get(circle.lead_person_id) if circle.lead_person_id else None,
        members=tuple(people[m.person_id] for m in memberships),
        round=repo.current_round(session, circle.id),
    )


def list_circles(session: Session, actor: Actor, program_id: int) -> list[CircleSummary]:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    return [summary(session, c) for c in repo.circles_of_program(session, program.id)]


def list_circles_named(session: Session, actor: Actor, program_name: str) -> list[CircleSummary]:
    require_admin(actor)
    program = require_program_admin(session, actor, get_program(session, program_name))
    return [summary(session, c) for c in repo.circles_of_program(session, program.id)]


def admin_status(
    session: Session, actor: Actor, circle_id: int
) -> tuple[CircleSummary, list[tuple[Person, Person]]]:
    """The circle and its current round's pairs (who gives to whom), never a note: for
    the operator's `circles status`."""
    circle = admin_circle(session, actor, circle_id)
    found = summary(session, circle)
    if found.round is None:
        return found, []
    pairs = repo.assignments_of(session, [found.round.id])
    people = repo.people_by_id(
        session, sorted({p.giver_id for p in pairs} | {p.receiver_id for p in pairs})
    )
    return found, [(people[p.giver_id], people[p.receiver_id]) for p in pairs]


# --- creating circles ---


@dataclass(frozen=True, slots=True)
class Created:
    circles: tuple[Circle, ...]
    skipped: int  # groups too small, or already a circle of that name


def _new_circle(
    session: Session,
    program: Program,
    name: str,
    members: Sequence[Person],
    lead: Person | None,
    now: datetime,
) -> Circle:
    name = name.strip()
    if not name:
        raise InvalidInput("name: give the circle a name")
    if len(name) > 200:
        raise InvalidInput("name: at most 200 characters")
    if repo.circle_named(session, program.id, name) is not None:
        raise InvalidInput(f"name: the programme already has a circle named {name!r}")
    unique = list({p.id: p for p in members}.values())
    if lead is not None and any(p.id == lead.id for p in unique):
        raise InvalidInput("lead_id: the lead is named, not a member: remove them from the members")
    if not rules.MIN_MEMBERS <= len(unique) <= rules.MAX_MEMBERS:
        raise InvalidInput(
            f"members: a circle has {rules.MIN_MEMBERS} to {rules.MAX_MEMBERS} members, "
            f"not {len(unique)}"
        )
    circle = Circle(
        program_id=program.id,
        name=name,
        lead_person_id=lead.id if lead else None,
        cadence_days=rules.DEFAULT_CADENCE_DAYS,
        receivers_per_giver=1,
        anonymous=False,
        shuffle_seed=secrets.token_hex(16),
        created_at=now,
    )
    session.add(circle)
    session.flush()
    for person in unique:
        session.add(CircleMember(circle_id=circle.id, person_id=person.id, joined_at=now))
    session.flush()
    return circle


def create_circle(
    session: Session,
    actor: Actor,
    program_id: int,
    now: datetime,
    *,
    name: str,
    member_ids: Sequence[int],
    lead_id: int | None = None,
) -> Circle:
    """A circle by hand: its people by person id."""
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    people = repo.people_by_id(session, list(member_ids) + ([lead_id] if lead_id else []))
    unknown = [i for i in member_ids if i not in people]
    if unknown:
        raise InvalidInput(f"member_ids: no person {unknown[0]}")
    if lead_id is not None and lead_id not in people:
        raise InvalidInput(f"lead_id: no person {lead_id}")
    circle = _new_circle(
        session, program, name, [people[i] for i in member_ids], people.get(lead_id or 0), now
    )
    audit.record(
        session,
        actor,
        "circle.created",
        target_kind="circle",
        target_id=circle.id,
        program_id=program.id,
        details={"members": len(member_ids)},
        now=now,
    )
    session.commit()
    return circle


def _groups(people: Sequence[Person]) -> dict[tuple[str, str], list[Person]]:
    """People by team; those without a team by their manager (a manager's reports)."""
    groups: dict[tuple[str, str], list[Person]] = {}
    for person in people:
        if person.team.strip():
            groups.setdefault(("team", person.team.strip()), []).append(person)
        elif person.manager_id:
            groups.setdefault(("manager", person.manager_id), []).append(person)
    return groups


def create_from_teams(
    session: Session,
    actor: Actor,
    program_name: str,
    now: datetime,
    *,
    min_size: int = rules.MIN_MEMBERS,
    lead: str = "manager",
) -> Created:
    """A circle for every team of the programme's people (or, for people with no team,
    every manager's direct reports), the manager as lead unless `lead` is "none". Safe to
    run again: a group that already has its circle is skipped."""
    if lead not in LEAD_CHOICES:
        raise InvalidInput(f"lead: choose manager or none, not {lead!r}")
    if not rules.MIN_MEMBERS <= min_size <= rules.MAX_MEMBERS:
        raise InvalidInput(
            f"min_size: between {rules.MIN_MEMBERS} and {rules.MAX_MEMBERS}, not {min_size}"
        )
    require_admin(actor)
    program = require_program_admin(session, actor, get_program(session, program_name))
    enrolled = repo.enrolled_people(session, program.id)
    groups = _groups(enrolled)
    managers = repo.people_by_employee_id(
        session, sorted({p.manager_id for p in enrolled if p.manager_id})
    )
    created: list[Circle] = []
    skipped = 0
    for (kind, key), members in sorted(groups.items()):
        boss: Person | None = None
        if lead == "manager":
            boss_id = key if kind == "manager" else _most_common_manager(members)
            boss = managers.get(boss_id) if boss_id else None
        people = [p for p in members if boss is None or p.id != boss.id]
        base = key if kind == "team" else f"Reports of {boss.name if boss else key}"
        chunks = _chunks(people)
        for index, chunk in enumerate(chunks, start=1):
            name = base if len(chunks) == 1 else f"{base} ({index})"
            if len(chunk) < min_size or repo.circle_named(session, program.id, name):
                skipped += 1
                continue
            created.append(_new_circle(session, program, name, chunk, boss, now))
    audit.record(
        session,
        actor,
        "circle.created",
        target_kind="program",
        target_id=program.id,
        program_id=program.id,
        details={"circles": len(created), "skipped": skipped},
        now=now,
    )
    session.commit()
    return Created(tuple(created), skipped)


def _most_common_manager(members: Sequence[Person]) -> str | None:
    counts = Counter(p.manager_id for p in members if p.manager_id)
    return counts.most_common(1)[0][0] if counts else None


def _chunks(people: list[Person]) -> list[list[Person]]:
    """A team larger than a circle holds becomes several circles of even size."""
    parts = -(-len(people) // rules.MAX_MEMBERS) or 1
    return [people[i::parts] for i in range(parts)]


# --- membership and settings ---


def add_member(
    session: Session, actor: Actor, circle_id: int, person_id: int, now: datetime
) -> None:
    circle = admin_circle(session, actor, circle_id, lock=True)
    person = session.get(Person, person_id) if 0 < person_id < 2**31 else None
    if person is None:
        raise InvalidInput(f"person_id: no person {person_id}")
    if circle.lead_person_id == person_id:
        raise InvalidInput("person_id: the lead is named, not a member")
    if repo.membership(session, circle.id, person_id) is not None:
        raise InvalidInput(f"person_id: {person.name} is already a member")
    if len(repo.active_memberships(session, circle.id)) >= rules.MAX_MEMBERS:
        raise InvalidInput(f"person_id: a circle has at most {rules.MAX_MEMBERS} members")
    # A newcomer takes part from the next round: the pairs of this one are set.
    session.add(CircleMember(circle_id=circle.id, person_id=person_id, joined_at=now))
    audit.record(
        session,
        actor,
        "circle.member_added",
        target_kind="circle",
        target_id=circle.id,
        program_id=circle.program_id,
        details={"person_id": person_id},
        now=now,
    )
    session.commit()


def remove_member(
    session: Session, actor: Actor, circle_id: int, person_id: int, now: datetime
) -> None:
    from peermentor.services.circle_notes import take_out_of_current_round

    circle = admin_circle(session, actor, circle_id, lock=True)
    found = repo.membership(session, circle.id, person_id) if 0 < person_id < 2**31 else None
    if found is None:
        raise InvalidInput(f"person_id: person {person_id} is not a member of this circle")
    found.left_at = now
    take_out_of_current_round(session, circle, person_id)
    audit.record(
        session,
        actor,
        "circle.member_removed",
        target_kind="circle",
        target_id=circle.id,
        program_id=circle.program_id,
        details={"person_id": person_id},
        now=now,
    )
    session.commit()


def change_settings(
    session: Session,
    actor: Actor,
    circle_id: int,
    now: datetime,
    *,
    cadence_days: int | None = None,
    anonymous: bool | None = None,
    receivers_per_giver: int | None = None,
) -> Circle:
    """Cadence, anonymity and receivers per giver; they apply from the next round."""
    circle = admin_circle(session, actor, circle_id, lock=True)
    try:
        if cadence_days is not None:
            circle.cadence_days = rules.require_cadence(cadence_days)
        if receivers_per_giver is not None:
            rotation.receivers_per_giver(receivers_per_giver, rules.MAX_MEMBERS)
            circle.receivers_per_giver = receivers_per_giver
        if anonymous is not None:
            members = len(repo.active_memberships(session, circle.id))
            circle.anonymous = rules.require_anonymity_allowed(anonymous, members)
    except ValidationError:
        session.rollback()
        raise
    audit.record(
        session,
        actor,
        "circle.settings_changed",
        target_kind="circle",
        target_id=circle.id,
        program_id=circle.program_id,
        details={
            "cadence_days": circle.cadence_days,
            "anonymous": circle.anonymous,
            "receivers_per_giver": circle.receivers_per_giver,
        },
        now=now,
    )
    session.commit()
    return circle


# --- rounds ---


def _taking_part(session: Session, circle: Circle, number: int, now: datetime) -> list[str]:
    people = [
        str(m.person_id)
        for m in repo.active_memberships(session, circle.id)
        if (m.paused_until is None or m.paused_until <= now)
        and m.person_id != circle.lead_person_id
    ]
    if circle.anonymous:
        # A secret order, so nobody can work out from the membership list and the
        # rotation rule who wrote to them.
        people.sort(
            key=lambda p: hashlib.sha256(f"{circle.shuffle_seed}:{number}:{p}".encode()).hexdigest()
        )
    return people


def _history(session: Session, circle: Circle) -> list[rotation.PastRound]:
    rounds = repo.rounds_of(session, circle.id)
    by_round: dict[int, list[rotation.Pair]] = {r.id: [] for r in rounds}
    for a in repo.assignments_of(session, [r.id for r in rounds]):
        by_round[a.round_id].append((str(a.giver_id), str(a.receiver_id)))
    result = []
    for r in rounds:
        pairs = tuple(by_round[r.id])
        people = tuple(dict.fromkeys(p for pair in pairs for p in pair))
        result.append(rotation.PastRound(people, pairs))
    return result


def open_round(session: Session, circle: Circle, now: datetime) -> CircleRound:
    """Close the current round (its deadline is now, at the latest) and plan the next."""
    previous = repo.current_round(session, circle.id)
    if previous is not None and previous.deadline > now:
        previous.deadline = max(now, previous.starts_at)
    number = previous.number + 1 if previous else 1
    people = _taking_part(session, circle, number, now)
    if len(people) < 2:
        raise InvalidInput("circle: fewer than 2 members are taking part; add members first")
    pairs = rotation.plan_round(
        people, _history(session, circle), number, circle.receivers_per_giver
    )
    members = len(repo.active_memberships(session, circle.id))
    new = CircleRound(
        circle_id=circle.id,
        number=number,
        starts_at=now,
        deadline=now + timedelta(days=circle.cadence_days),
        anonymous=circle.anonymous and members >= rules.ANONYMOUS_MIN_MEMBERS,
    )
    session.add(new)
    session.flush()
    for giver, receiver in pairs:
        session.add(
            CircleAssignment(round_id=new.id, giver_id=int(giver), receiver_id=int(receiver))
        )
    session.flush()
    return new


def start_next_round(session: Session, actor: Actor, circle_id: int, now: datetime) -> CircleRound:
    circle = admin_circle(session, actor, circle_id, lock=True)
    new = open_round(session, circle, now)
    audit.record(
        session,
        actor,
        "circle.round_started",
        target_kind="circle",
        target_id=circle.id,
        program_id=circle.program_id,
        details={"round": new.number},
        now=now,
    )
    session.commit()
    return new


def start_due_rounds(session: Session, now: datetime) -> int:
    """The cadence: every circle whose round has passed its deadline gets the next one.
    Safe from two workers: each circle is locked and its latest round read again."""
    started = 0
    for due in [r for r in repo.latest_rounds(session) if r.deadline <= now]:
        circle = find_circle(session, due.circle_id, lock=True)
        latest = repo.current_round(session, circle.id)
        if latest is None or latest.id != due.id:
            session.rollback()
            continue
        try:
            open_round(session, circle, now)
        except InvalidInput:
            session.rollback()  # too few taking part: the circle waits for an admin
            continue
        session.commit()
        started += 1
    return started


def rounds_task(store: Store, settings: Settings, now: datetime) -> int:
    """The worker's periodic task (services.periodic.Task): start the rounds now due."""
    with store.sessions() as session:
        return start_due_rounds(session, now)


def mail_source(settings: Settings) -> Callable[[Session, datetime], Iterable[Outgoing]]:
    """`due_mail` with the links built on PEERMENTOR_BASE_URL, for the outbox."""
    return lambda session, now: due_mail(session, now, base_url=settings.base_url)
