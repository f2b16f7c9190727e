"""Walk the circle access matrix: every circle route for a member, another member of
the same circle, a member of another circle, the lead, a programme admin, an admin of
another programme and an organisation admin, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services import circle_notes, circles
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin, create_program_admin, create_user
from peermentor.store.circles_models import CircleAssignment
from peermentor.web.app import create_app
from tests.store.circles.factories import Team, make_team
from tests.store.workspace.factories import make_program
from tests.web.circles_access_matrix import CIRCLE_MATRIX, ROLES
from tests.web.conftest import csrf_of
from tests.web.test_access_matrix import _outcome, _session_csrf, _sign_in, all_routes

PASSWORD = "matrix-password-1"
FORM = {
    "dimension": "behaviour",
    "situation": "In the retro",
    "behaviour": "You summarised",
    "impact": "We agreed",
    "suggestion": "",
}


@dataclass
class CircleWorld:
    clients: dict[str, TestClient]
    params: dict[str, str]
    app_routes: set[tuple[str, str]]


def build_circles(session: Session) -> tuple[Team, Team, int, int, int]:
    """Two circles of one programme with a round under way, and a signed note to the
    first member of the first circle: (team, other team, circle id, other id, note id)."""
    team = make_team(session, 5)
    other = make_team(session, 3, team="Search", program=team.program)
    made = circles.create_from_teams(session, SYSTEM, team.program.name, datetime.now(UTC))
    ids = {c.name: c.id for c in made.circles}
    circle_id, other_id = ids["Payments"], ids["Search"]
    first = circles.start_next_round(session, SYSTEM, circle_id, datetime.now(UTC))
    circles.start_next_round(session, SYSTEM, other_id, datetime.now(UTC))
    receiver = team.members[0]
    giver_id = session.scalars(
        select(CircleAssignment.giver_id).where(
            CircleAssignment.round_id == first.id, CircleAssignment.receiver_id == receiver.id
        )
    ).one()
    giver = next(p for p in team.members if p.id == giver_id)
    note = circle_notes.give_note(
        session, team.actor(giver), circle_id, datetime.now(UTC), receiver_id=receiver.id, **FORM
    )
    return team, other, circle_id, other_id, note.id


@pytest.fixture
def circle_world(session: Session, tmp_path: Path) -> Iterator[CircleWorld]:
    team, other, circle_id, _, note_id = build_circles(session)
    make_program(session, name="Elsewhere")
    same = next(p for p in team.members[1:])
    people = {
        "member": team.members[0],
        "same_circle": same,
        "other_circle": other.members[0],
        "lead": team.lead,
    }
    for person in people.values():
        create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    create_program_admin(session, SYSTEM, "padmin@example.com", PASSWORD, team.program.name)
    create_program_admin(session, SYSTEM, "elsewhere@example.com", PASSWORD, "Elsewhere")
    create_admin(session, SYSTEM, "org@example.com", PASSWORD)
    session.commit()
    emails = {role: p.email for role, p in people.items()} | {
        "program_admin": "padmin@example.com",
        "other_program_admin": "elsewhere@example.com",
        "org_admin": "org@example.com",
    }
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    settings = Settings(database_url="sqlite:///unused.db", secret_key_file=tmp_path / "secret")
    app = create_app(settings, Store(engine=session.connection().engine, sessions=factory))
    app.state.jobs_inline = True
    clients: dict[str, TestClient] = {}
    for role in ROLES:
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        if role in emails:
            _sign_in(client, emails[role])
        clients[role] = client
    yield CircleWorld(
        clients,
        {
            "circle_id": str(circle_id),
            "note_id": str(note_id),
            "program_id": str(team.program.id),
            "person_id": str(team.members[4].id),
        },
        all_routes(app.routes),
    )
    for client in clients.values():
        client.__exit__(None, None, None)


def test_every_circle_route_is_in_the_circle_matrix(circle_world: CircleWorld) -> None:
    ours = {r for r in circle_world.app_routes if "circle" in r[1]}
    assert ours == set(CIRCLE_MATRIX)


def test_each_circle_role_gets_what_the_matrix_says(
    circle_world: CircleWorld, session: Session
) -> None:
    failures = []
    for (method, template), rules in sorted(CIRCLE_MATRIX.items()):
        path = template
        for name, value in circle_world.params.items():
            path = path.replace("{" + name + "}", value)
        for role in ROLES:
            client = circle_world.clients[role]
            savepoint = session.connection().begin_nested()
            try:
                if method == "GET":
                    response = client.get(path, follow_redirects=False)
                else:
                    token = (
                        csrf_of(client.get("/login").text)
                        if role == "anonymous"
                        else _session_csrf(client)
                    )
                    response = client.request(
                        method, path, data={"csrf_token": token}, follow_redirects=False
                    )
            finally:
                savepoint.rollback()
            got = _outcome(template, response.status_code, response.headers.get("location", ""))
            if got != rules[role]:
                failures.append(
                    f"{method} {template} as {role}: expected {rules[role]}, got {got} "
                    f"({response.status_code})"
                )
    assert not failures, "\n".join(failures)
