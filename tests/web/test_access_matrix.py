"""Walk the access matrix: every route, every role, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Route

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.links import page
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, create_api_token
from peermentor.services.matching import run_match
from peermentor.services.outbox import queue
from peermentor.services.people import import_people
from peermentor.services.users import create_admin, create_program_admin, create_user
from peermentor.store.auth_models import ApiToken
from peermentor.store.calendar_models import MeetingSeriesRow
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Pairing, PairingMember, Person, User
from peermentor.web.app import create_app
from tests.programs import pid
from tests.web.access_matrix import ALLOW, DENY, LOGIN, MATRIX, ROLES
from tests.web.conftest import csrf_of
from tests.web.oidc_provider import running_provider

PASSWORD = "matrix-password-1"
PUBLIC_404_PARAMS = ("{token}",)  # a bad invitation token is a 404 for everyone


@dataclass
class World:
    app_routes: set[tuple[str, str]]
    clients: dict[str, TestClient]
    params: dict[str, str]


def _sign_in(client: TestClient, email: str) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture(scope="module")
def oidc_issuer() -> Iterator[str]:
    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def world(session: Session, tmp_path: Path, oidc_issuer: str) -> Iterator[World]:
    import_people(session, SYSTEM, "Programme", demo_people_csv(16, seed=3).encode())
    import_people(session, SYSTEM, "Elsewhere", demo_people_csv(4, seed=9).encode())
    run_match(session, SYSTEM, pid(session, "Programme"), publish=True)
    pairings = session.scalars(select(Pairing).order_by(Pairing.id)).all()
    mine, other = pairings[0], pairings[1]

    def person_of(pairing: Pairing) -> Person:
        member = session.scalars(
            select(PairingMember).where(PairingMember.pairing_id == pairing.id)
        ).first()
        assert member is not None
        return member.person

    member, outsider = person_of(mine), person_of(other)
    create_user(session, SYSTEM, member.email, PASSWORD, person_id=member.id)
    create_user(session, SYSTEM, outsider.email, PASSWORD, person_id=outsider.id)
    create_program_admin(session, SYSTEM, "lead@example.com", PASSWORD, "Programme")
    create_program_admin(session, SYSTEM, "elsewhere@example.com", PASSWORD, "Elsewhere")
    create_admin(session, SYSTEM, "org@example.com", PASSWORD)
    session.commit()
    member_user = session.scalars(select(User).where(User.person_id == member.id)).one()
    create_api_token(session, actor_for(member_user), "member's script", datetime.now(UTC))
    token_id = session.scalars(select(ApiToken.id).where(ApiToken.user_id == member_user.id)).one()
    # A meeting of the member's pairing, so the member's invite download is served.
    series = MeetingSeriesRow(
        pairing_id=mine.id,
        uid="matrix@peermentor",
        kind="session",
        starts_at=datetime.now(UTC),
        timezone="UTC",
        minutes=60,
        cadence_kind="weekly",
        sequence=0,
        updated_at=datetime.now(UTC),
    )
    session.add(series)
    session.commit()

    message_id = _a_failed_mail(session, member.id)
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    # Company sign-in on, against a real provider on loopback, so its routes are asked too.
    settings = Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        oidc_issuer=oidc_issuer,
        oidc_client_id="matrix",
        oidc_client_secret="matrix",
    )
    app = create_app(settings, Store(engine=session.connection().engine, sessions=factory))
    app.state.jobs_inline = True  # one shared connection: jobs run in the request
    emails = {
        "member": member.email,
        "other_participant": outsider.email,
        "program_admin": "lead@example.com",
        "other_program_admin": "elsewhere@example.com",
        "org_admin": "org@example.com",
    }
    clients: dict[str, TestClient] = {}
    for role in ROLES:
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        if role in emails:
            _sign_in(client, emails[role])
        clients[role] = client
    yield World(
        all_routes(app.routes),
        clients,
        {
            "program_id": str(mine.program_id),
            "pairing_id": str(mine.id),
            "job_id": "not-a-job-of-yours",
            "token": "not-a-real-token",
            "token_id": str(token_id),
            # No mail is in the outbox: an admin of the programme is told it is not found
            # there (404 is DENY), so the walk sends a mail that exists (see below).
            "message_id": str(message_id),
            "series_id": str(series.id),
            # An enrolled person of the programme, for the admins' person page.
            "person_id": str(member.id),
            # No circle in this world (tests/web/test_circles_access.py has one).
            **dict.fromkeys(("circle_id", "note_id"), "999999"),
            # Sub-resources of the API's workspace: the pairing is still proposed, so a
            # member's change stops at 409/422 before the id is looked up, and anyone
            # else is refused before that.
            **dict.fromkeys(
                ("gap_id", "request_id", "session_id", "feedback_id", "roleplay_id"), "1"
            ),
        },
    )
    for client in clients.values():
        client.__exit__(None, None, None)


def _a_failed_mail(session: Session, person_id: int) -> int:
    """A failed mail to the member, so the resend route has something to resend."""
    message = simple_message("A notice", ["Something happened."], "Open", page("/"))
    queue(session, Outgoing(kinds.FEEDBACK, person_id, "matrix:1", message), datetime.now(UTC))
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == "matrix:1")).one()
    row.state, row.last_error = "failed", "550 refused"
    session.commit()
    return row.id


def all_routes(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every endpoint, following included routers (FastAPI 0.16x
    keeps them as wrappers in app.routes; older versions flatten them)."""
    found: set[tuple[str, str]] = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            found |= all_routes(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute | Route):
            found |= {(m, prefix + route.path) for m in route.methods or () if m != "HEAD"}
    return found


def _session_csrf(client: TestClient) -> str:
    page = client.get("/account/password")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def _outcome(path: str, status: int, location: str) -> str:
    # Pages send a stranger to sign in (with ?next=); the API answers 401.
    if (status == 401 and path.startswith("/api/")) or (
        status in (302, 303) and location.startswith("/login?next=")
    ):
        return LOGIN
    if status == 403 or (status == 404 and not any(p in path for p in PUBLIC_404_PARAMS)):
        return DENY
    return ALLOW


def test_every_route_is_in_the_matrix(world: World) -> None:
    missing = sorted(world.app_routes - set(MATRIX))
    stale = sorted(set(MATRIX) - world.app_routes)
    assert not missing, f"routes with no access rule in the matrix: {missing}"
    assert not stale, f"matrix rows for routes that do not exist: {stale}"


def test_each_role_gets_what_the_matrix_says(world: World, session: Session) -> None:
    failures = []
    # Signing out drops the clients' cookies (the savepoint cannot undo that): walk it
    # last, so the routes sorted after it (PUT) are still asked by signed-in clients.
    last = ("POST", "/logout")
    for (method, template), rules in sorted(MATRIX.items(), key=lambda r: (r[0] == last, r[0])):
        path = template
        for name, value in world.params.items():
            path = path.replace("{" + name + "}", value)
        for role in ROLES:
            client = world.clients[role]
            savepoint = (
                session.connection().begin_nested()
            )  # whatever the request changes is undone
            try:
                if method == "GET":
                    response = client.get(path, follow_redirects=False)
                else:
                    public = template in ("/login", "/invite/{token}", "/join/{token}")
                    token = (
                        csrf_of(client.get("/login").text)
                        if public or role == "anonymous"
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
                    f"{method} {template} as {role}: expected {rules[role]}, "
                    f"got {got} ({response.status_code})"
                )
    assert not failures, "\n".join(failures)
