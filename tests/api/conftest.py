"""The JSON API in-process on the test's rolled-back connection, SQLite and PostgreSQL.

The personas of the workspace tests (ana, kim, lee, outsider; see
tests/store/workspace/factories.py) call it as scripts do, each with a personal API
token; `admin` is an admin of their programme. The API's clock is a dependency that
the tests move by hand, so "overdue" and "due" never depend on when the suite runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, create_api_token, digest
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.auth_models import ApiToken
from peermentor.web import deps
from peermentor.web.app import create_app
from tests.store.workspace.factories import NOW, World, make_world

ADMIN_EMAIL = "lead@example.com"
ADMIN_PASSWORD = "lead-password-12"
PERSONAS = ("ana", "kim", "lee", "outsider")


@dataclass
class Clock:
    now: datetime = NOW

    def move(self, days: float = 0, hours: float = 0) -> datetime:
        self.now += timedelta(days=days, hours=hours)
        return self.now


@dataclass
class Api:
    """The app, the world it serves, and one token-carrying client per persona."""

    app: FastAPI
    world: World
    clock: Clock
    tokens: dict[str, str]
    clients: dict[str, TestClient] = field(default_factory=dict)

    def token_id(self, session: Session, who: str) -> int:
        """The id of the persona's API token (for the routes that list and revoke)."""
        found = session.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == digest(self.tokens[who]))
        )
        assert found is not None
        return int(found)

    def client(self, who: str) -> TestClient:
        if who not in self.clients:
            headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}
            self.clients[who] = TestClient(self.app, base_url="https://testserver", headers=headers)
        return self.clients[who]

    def pairing(self, suffix: str = "", pairing_id: int | None = None) -> str:
        return f"/api/pairings/{pairing_id or self.world.pairing_id}{suffix}"

    def call(self, who: str, method: str, path: str, body: Any = None) -> Response:
        return self.client(who).request(method, path, json=body)

    def ok(self, who: str, method: str, path: str, body: Any = None) -> Any:
        """Call and insist on success; the JSON answer."""
        response = self.call(who, method, path, body)
        assert response.status_code < 300, f"{method} {path} as {who}: {response.text}"
        return response.json()


def build_api(session: Session, tmp_path: Path, world: World) -> Api:
    connection = session.connection()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    settings = Settings(database_url="sqlite:///unused.db", secret_key_file=tmp_path / "secret")
    app = create_app(settings, Store(engine=connection.engine, sessions=factory))
    app.state.jobs_inline = True  # one shared connection: jobs run in the request
    clock = Clock()
    app.dependency_overrides[deps.now] = lambda: clock.now
    tokens = {}
    for name in PERSONAS:
        person = world.people[name]
        user = create_user(session, SYSTEM, person.email, None, person_id=person.id)
        tokens[name] = create_api_token(session, actor_for(user), f"{name}'s script", NOW)
    admin, _ = create_program_admin(
        session, SYSTEM, ADMIN_EMAIL, ADMIN_PASSWORD, world.program.name
    )
    tokens["admin"] = create_api_token(session, actor_for(admin), "admin's script", NOW)
    session.commit()
    return Api(app, world, clock, tokens)


@pytest.fixture
def pair_api(session: Session, tmp_path: Path) -> Iterator[Api]:
    """ana and kim, an active pair; outsider is active with sam."""
    yield build_api(session, tmp_path, make_world(session))


@pytest.fixture
def proposed_api(session: Session, tmp_path: Path) -> Iterator[Api]:
    """ana and kim, proposed and not yet answered."""
    yield build_api(session, tmp_path, make_world(session, active=False))


@pytest.fixture
def proposed_triad_api(session: Session, tmp_path: Path) -> Iterator[Api]:
    """ana, kim and lee, proposed and not yet answered."""
    yield build_api(session, tmp_path, make_world(session, triad=True, active=False))
