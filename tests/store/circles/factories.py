"""Circle personas: a team of people, their manager as lead, an admin and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

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
