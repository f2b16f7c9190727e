"""Circle personas: a team of people, their manager as lead, an admin and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from peermentor.services.access import Actor
from peermentor.store.models import Enrolment, Person, Program
from tests.store.workspace.factories import ADMIN, NOW, later, make_program, participant

__all__ = ["ADMIN", "NOW", "Team", "later", "make_team"]


@dataclass
class Team:
    program: Program
    lead: Person
    members: list[Person]
    outsider: Person

    def actor(self, person: Person) -> Actor:
        return participant(person)


def make_team(
    session: Session, size: int = 5, team: str = "Payments", program: Program | None = None
) -> Team:
    program = program or make_program(session)
    tag = team.lower()
    lead = Person(
        employee_id=f"M-{tag}",
        name=f"Lead of {team}",
        email=f"lead.{tag}@example.com",
        years_experience=12,
        team="",
    )
    session.add(lead)
    session.flush()
    members = []
    for i in range(size):
        person = Person(
            employee_id=f"E-{tag}-{i}",
            name=f"{team} member {i}",
            email=f"{tag}.{i}@example.com",
            years_experience=4,
            team=team,
            manager_id=lead.employee_id,
        )
        session.add(person)
        members.append(person)
    outsider = Person(
        employee_id=f"X-{tag}",
        name=f"Not in {team}",
        email=f"x.{tag}@example.com",
        years_experience=4,
        team=f"Other than {team}",
    )
    session.add(outsider)
    session.flush()
    for person in [*members, outsider]:
        session.add(Enrolment(program_id=program.id, person_id=person.id))
    session.flush()
    return Team(program, lead, members, outsider)


def furnish_circle(session: Session, world: Any) -> dict[str, int]:
    """A circle of the workspace world's people with ana in it, a round under way and a
    signed note to ana: the ids the API's circle routes take."""
    from sqlalchemy import select

    from peermentor.services import circle_notes, circles
    from peermentor.services.access import SYSTEM
    from peermentor.store.circles_models import CircleAssignment

    names = [n for n in ("ana", "kim", "lee", "sam", "outsider") if n in world.people]
    members = [world.people[n] for n in names]
    circle = circles.create_circle(
        session,
        SYSTEM,
        world.program.id,
        NOW,
        name="Fuzz circle",
        member_ids=[p.id for p in members],
    )
    round_ = circles.start_next_round(session, SYSTEM, circle.id, NOW)
    ana = world.people["ana"]
    giver = session.scalars(
        select(CircleAssignment.giver_id).where(
            CircleAssignment.round_id == round_.id, CircleAssignment.receiver_id == ana.id
        )
    ).one()
    note = circle_notes.give_note(
        session,
        participant(next(p for p in members if p.id == giver)),
        circle.id,
        NOW,
        receiver_id=ana.id,
        dimension="behaviour",
        situation="s",
        behaviour="b",
        impact="i",
    )
    return {"circle_id": circle.id, "note_id": note.id, "person_id": members[1].id}
