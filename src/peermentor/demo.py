"""`peermentor demo`: a fresh database with a generated organisation, ready to explore."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import people as people_service
from peermentor.services import programs as programs_service
from peermentor.services import users as users_service
from peermentor.services.access import SYSTEM
from peermentor.services.matching import run_match
from peermentor.store import match_repo

DEMO_PROGRAM = "Demo cohort 2026"
DEMO_ADMIN_EMAIL = "admin@example.com"
# Fixed on purpose: the demo database is local and throwaway, and the logins are printed.
DEMO_ADMIN_PASSWORD = "demo-admin-2026"
DEMO_PARTICIPANT_PASSWORD = "demo-peer-2026"


@dataclass
class DemoLogins:
    admin: tuple[str, str]
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # email, pw, name
    # One circle with a round in progress: its lead and members (email, pw, name).
    circle: str = ""
    circle_lead: tuple[str, str, str] | None = None
    circle_members: list[tuple[str, str, str]] = field(default_factory=list)
    match_summary: dict[str, Any] = field(default_factory=dict)
    # Where the admin lands: the programme's insight, after a year of demo activity.
    admin_landing: str = "/"


def fresh_private_database(path: Path) -> None:
    """Remove an earlier demo and create its SQLite file empty with mode 0600: it holds
    people's data and logins, so others on the machine may not read it. SQLite gives its
    -wal and -shm files the database file's permissions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def build_demo(session: Session, people: int = 300, seed: int = 7) -> DemoLogins:
    """Import a generated organisation, match it, publish, and create logins for the
    admin and for both members of one proposed pairing."""
    csv_text = demo_people_csv(people, seed)
    people_service.import_people(session, SYSTEM, DEMO_PROGRAM, csv_text.encode("utf-8"))
    program_id = programs_service.program_id_named(session, SYSTEM, DEMO_PROGRAM)
    outcome = run_match(session, SYSTEM, program_id, publish=True)
    users_service.create_admin(session, SYSTEM, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    logins = DemoLogins(
        admin=(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD), match_summary=outcome.summary()
    )
    for person in match_repo.best_proposed_pair(session, program_id):
        users_service.create_user(
            session, SYSTEM, person.email, DEMO_PARTICIPANT_PASSWORD, person_id=person.id
        )
        logins.participants.append((person.email, DEMO_PARTICIPANT_PASSWORD, person.name))
    session.commit()
    from peermentor.demo_circles import build_demo_circles

    build_demo_circles(session, DEMO_PROGRAM, DEMO_PARTICIPANT_PASSWORD, logins)
    from peermentor.demo_activity import furnish_demo

    logins.admin_landing = furnish_demo(session, program_id, logins)
    return logins
