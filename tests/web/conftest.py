"""The web app in-process (httpx TestClient) on the test's rolled-back connection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin, create_user
from peermentor.web.app import create_app

ADMIN = ("admin@example.com", "admin-password-1")
PEER = ("ana@example.com", "ana-password-12")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        mail_dir="",  # no mail: the tests that want mail set it up themselves
        insecure_cookies=False,
    )


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[TestClient]:
    connection = session.connection()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    store = Store(engine=connection.engine, sessions=factory)
    create_admin(session, SYSTEM, *ADMIN)
    create_user(session, SYSTEM, PEER[0], PEER[1])
    session.commit()
    # https base URL: the cookies are Secure, as in production.
    app = create_app(settings, store)
    app.state.jobs_inline = True  # one shared connection: jobs run in the request
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str) -> str:
    """Sign in through the login form; returns the CSRF token of the new session."""
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)
