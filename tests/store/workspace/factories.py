"""Small factories for workspace tests: people, a programme, pairings in a given state,
and the named personas.

ana and kim are a pair; lee joins them when the pairing is a triad; outsider is in
another pairing of the same programme (with sam); admin is a programme admin with no
person of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM, Actor
from peermentor.services.matching import publish_program_draft
from peermentor.services.programs import DEFAULT_SETTINGS
from peermentor.services.workspace.proposals import accept_proposal, create_draft_pairing
from peermentor.store.models import Enrolment, MatchRun, Person, Program

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Actor(role="org_admin", user_id=1)


def later(days: float = 0, hours: float = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


def make_person(session: Session, name: str) -> Person:
    key = name.lower().replace(" ", ".")
    person = Person(
        employee_id=f"E-{key}", name=name, email=f"{key}@example.com", years_experience=5
    )
    session.add(person)
    session.flush()
    return person


def make_program(session: Session, name: str = "Spring cohort", **settings: Any) -> Program:
    program = Program(name=name, settings={**DEFAULT_SETTINGS, **settings})
    session.add(program)
    session.flush()
    return program


def participant(person: Person) -> Actor:
    return Actor(role="participant", user_id=person.id + 1000, person_id=person.id)


def propose(
    session: Session, program: Program, people: Sequence[Person], now: datetime = NOW
) -> int:
    """A published (proposed) pairing of these people, explained for each of them."""
    for p in people:
        session.add(Enrolment(program_id=program.id, person_id=p.id))
    # A draft run of its own, published the way pages, API and CLI publish.
    run = MatchRun(program_id=program.id, status="draft", created_at=now)
    session.add(run)
    session.flush()
    pairing_id = create_draft_pairing(
        session,
        program.id,
        [p.id for p in people],
        score=0.8,
        components={"experience": 0.9},
        explanations={p.id: f"why {p.name} was matched" for p in people},
        match_run_id=run.id,
    )
    publish_program_draft(session, SYSTEM, program.id, now)
    return pairing_id


def activate(
    session: Session, pairing_id: int, people: Sequence[Person], now: datetime = NOW
) -> int:
    for p in people:
        accept_proposal(session, participant(p), pairing_id, now)
    return pairing_id


@dataclass
class World:
    program: Program
    people: dict[str, Person]
    pairing_id: int  # ana + kim (+ lee in a triad)
    other_pairing_id: int  # outsider + sam

    def actor(self, name: str) -> Actor:
        return participant(self.people[name])

    def pid(self, name: str) -> int:
        return self.people[name].id

    def mid(self, name: str) -> str:
        """The member id the domain uses for this persona."""
        return str(self.people[name].id)

    @property
    def ana(self) -> Actor:
        return self.actor("ana")

    @property
    def kim(self) -> Actor:
        return self.actor("kim")

    @property
    def lee(self) -> Actor:
        return self.actor("lee")

    @property
    def outsider(self) -> Actor:
        return self.actor("outsider")

    admin: Actor = ADMIN


def make_world(
    session: Session, *, triad: bool = False, active: bool = True, **settings: Any
) -> World:
    program = make_program(session, **settings)
    people = {
        key: make_person(session, name)
        for key, name in [
            ("ana", "Ana Silva"),
            ("kim", "Kim Park"),
            ("lee", "Lee Chen"),
            ("outsider", "Omar Said"),
            ("sam", "Sam Ito"),
        ]
    }
    members = [people["ana"], people["kim"], *([people["lee"]] if triad else [])]
    pairing_id = propose(session, program, members)
    other = propose(session, program, [people["outsider"], people["sam"]])
    if active:
        activate(session, pairing_id, members)
        activate(session, other, [people["outsider"], people["sam"]])
    return World(program, people, pairing_id, other)


def make_cohort(
    session: Session, pairs: int, **settings: Any
) -> tuple[Program, list[tuple[Person, Person, int]]]:
    """A programme with `pairs` active pairs: (first, second, pairing id) each."""
    program = make_program(session, name=f"Cohort of {pairs}", **settings)
    result = []
    for n in range(pairs):
        a, b = make_person(session, f"First P{n}"), make_person(session, f"Second P{n}")
        pairing_id = activate(session, propose(session, program, [a, b]), [a, b])
        result.append((a, b, pairing_id))
    return program, result
