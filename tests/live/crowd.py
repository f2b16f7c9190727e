"""A cohort in a database and a crowd of participants hitting the real server at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import TypeVar

import httpx
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.passwords import hash_password
from peermentor.services.users import create_user
from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade
from tests.store.workspace.factories import make_cohort

PASSWORD = "crowd-password-2026"
T = TypeVar("T")


@dataclass(frozen=True)
class Member:
    email: str
    pairing_id: int


def build_cohort(database_url: str, pairs: int) -> list[Member]:
    """`pairs` active pairs, every member with an account and the same password."""
    engine = make_engine(database_url)
    upgrade(engine)
    members = []
    shared_hash = hash_password(PASSWORD)  # one hash: building the cohort stays quick
    with Session(engine, expire_on_commit=False) as session:
        _, cohort = make_cohort(session, pairs)
        for first, second, pairing_id in cohort:
            for person in (first, second):
                user = create_user(session, SYSTEM, person.email, None, person_id=person.id)
                user.password_hash = shared_hash
                members.append(Member(person.email, pairing_id))
        session.commit()
    engine.dispose()
    return members


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def all_at_once(jobs: list[Callable[[], T]]) -> list[T]:
    """Run every job in its own thread, released together by a barrier."""
    barrier = Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def prepared_sign_in(client: httpx.Client, email: str) -> Callable[[], httpx.Response]:
    """The login form fetched now; the returned call posts it."""
    token = csrf_of(client.get("/login").text)
    data = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
    return lambda: client.post("/login", data=data)


def prepared_session_log(
    client: httpx.Client, pairing_id: int, topic: str
) -> Callable[[], httpx.Response]:
    """A signed-in member's CSRF token fetched now; the returned call logs a session."""
    token = csrf_of(client.get("/").text)
    body = {
        # Yesterday: never in the future, whatever the server's clock says.
        "held_on": (datetime.now(UTC) - timedelta(days=1)).date().isoformat(),
        "duration_minutes": 45,
        "topics": [topic],
    }
    return lambda: client.post(
        f"/api/pairings/{pairing_id}/sessions", json=body, headers={"x-csrf-token": token}
    )
