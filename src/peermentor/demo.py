"""`peermentor demo`: a fresh database with a generated organisation, ready to explore."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import people as people_service
from peermentor.services import users as users_service
from peermentor.services.access import SYSTEM
from peermentor.store.models import Enrolment, Person

DEMO_PROGRAM = "Demo cohort 2026"
DEMO_ADMIN_EMAIL = "admin@example.com"
# Fixed on purpose: the demo database is local and throwaway, and the logins are printed.
DEMO_ADMIN_PASSWORD = "demo-admin-2026"
DEMO_PARTICIPANT_PASSWORD = "demo-peer-2026"


@dataclass
class DemoLogins:
    admin: tuple[str, str]
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # email, pw, name


def build_demo(session: Session, people: int = 300, seed: int = 7) -> DemoLogins:
    """Import a generated organisation into the demo programme and create logins."""
    csv_text = demo_people_csv(people, seed)
    people_service.import_people(session, SYSTEM, DEMO_PROGRAM, csv_text.encode("utf-8"))
    users_service.create_admin(session, SYSTEM, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    logins = DemoLogins(admin=(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
    for person in _demo_participants(session, count=2):
        users_service.create_user(
            session, SYSTEM, person.email, DEMO_PARTICIPANT_PASSWORD, person_id=person.id
        )
        logins.participants.append((person.email, DEMO_PARTICIPANT_PASSWORD, person.name))
    session.commit()
    return logins


def _demo_participants(session: Session, count: int) -> list[Person]:
    """Individual contributors who have not opted out: people with something to do."""
    rows = session.scalars(
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Person.opt_out.is_(False))
        .order_by(Person.id.desc())
        .limit(count)
    )
    return list(rows)
