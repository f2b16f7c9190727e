"""Issue 16, point 5: two web processes (`peermentor serve`) and a worker on one
PostgreSQL database. A match started through one process is followed, to its result,
through the other; an admin signs in through either."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import people as people_service
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin, create_user
from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade
from peermentor.store.models import Program
from tests.conftest import _throwaway_postgres_database
from tests.live.server import running_server
from tests.live.workers import start_worker
from tests.store.workspace.factories import make_world

pytestmark = pytest.mark.postgres
ADMIN = ("multi@example.com", "multi-admin-password-1")
PROGRAM = "Two processes"
PEER_PASSWORD = "two-processes-peer-1"


@pytest.fixture
def postgres_database() -> Iterator[str]:
    yield from _throwaway_postgres_database()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def sign_in(client: httpx.Client, email: str = ADMIN[0], password: str = ADMIN[1]) -> str:
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get(answer.headers["location"], follow_redirects=True).text)


def two_servers(stack: ExitStack, database_url: str, tmp_path: Path) -> list[str]:
    """Two `peermentor serve` processes on one database, sharing one secret as a
    deployment does (sessions are rows)."""
    shared = {"PEERMENTOR_SECRET_KEY": secrets.token_urlsafe(32)}
    urls = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        urls.append(stack.enter_context(running_server(database_url, folder, shared)))
    return urls


def prepare(database_url: str) -> int:
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        create_admin(session, SYSTEM, *ADMIN)
        people_service.import_people(
            session, SYSTEM, PROGRAM, demo_people_csv(1500, seed=16).encode()
        )
        program_id = session.scalars(select(Program.id).where(Program.name == PROGRAM)).one()
    engine.dispose()
    return program_id


def test_a_match_started_through_one_process_is_followed_through_the_other(
    postgres_database: str, tmp_path: Path
) -> None:
    program_id = prepare(postgres_database)
    with ExitStack() as stack:
        urls = two_servers(stack, postgres_database, tmp_path)
        first = stack.enter_context(httpx.Client(base_url=urls[0], timeout=60))
        second = stack.enter_context(httpx.Client(base_url=urls[1], timeout=60))
        csrf = sign_in(first)
        sign_in(second)  # signing in works through either process

        started = first.post(
            f"/admin/programs/{program_id}/match",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert started.status_code == 303
        job_page = started.headers["location"]
        # The same browser session, now served by the other process.
        follower = stack.enter_context(
            httpx.Client(base_url=urls[1], timeout=60, cookies=first.cookies)
        )
        waiting = follower.get(job_page)
        assert waiting.status_code == 200
        assert "Working: queued" in waiting.text and "Waiting for a worker" in waiting.text

        worker = start_worker(postgres_database, tmp_path, "worker", "--interval", "0.2")
        try:
            deadline = time.monotonic() + 300
            page = waiting.text
            while "Working:" in page and time.monotonic() < deadline:
                time.sleep(0.2)
                page = follower.get(job_page).text
        finally:
            worker.terminate()
            assert worker.wait(timeout=60) == 0
        assert "Done." in page and "Proven upper bound" in page
        pairings = re.search(r"Pairings</th><td>([\d,]+)", page)
        assert pairings and int(pairings.group(1).replace(",", "")) >= 500

        review = second.get(f"/admin/programs/{program_id}/review")
        assert review.status_code == 200 and "Pairings, weakest first" in review.text
        again = first.get(job_page)  # and through the process that started it
        assert "Done." in again.text


def test_a_page_kept_by_one_process_shows_a_change_made_through_the_other(
    postgres_database: str, tmp_path: Path
) -> None:
    """Each process keeps the pages it rendered (web/page_cache.py); a write through
    the other process moves the shared data version, so the next view is fresh."""
    engine = make_engine(postgres_database)
    upgrade(engine)
    with Session(engine) as session:
        world = make_world(session)
        ana = world.people["ana"]
        create_user(session, SYSTEM, ana.email, PEER_PASSWORD, person_id=ana.id)
        email, gaps = ana.email, f"/pairings/{world.pairing_id}/gaps"
        session.commit()
    engine.dispose()
    with ExitStack() as stack:
        urls = two_servers(stack, postgres_database, tmp_path)
        first = stack.enter_context(httpx.Client(base_url=urls[0], timeout=60))
        sign_in(first, email, PEER_PASSWORD)
        before = first.get(gaps).text
        again = first.get(gaps).text  # kept now, served with a fresh nonce
        assert _nonce(again) != _nonce(before)
        assert again.replace(_nonce(again), "") == before.replace(_nonce(before), "")
        second = stack.enter_context(
            httpx.Client(base_url=urls[1], timeout=60, cookies=first.cookies)
        )
        added = second.post(
            gaps,
            data={
                "title": "Negotiation across processes",
                "category": "skill",
                "csrf_token": csrf_of(second.get(gaps).text),
            },
            follow_redirects=True,
        )
        assert added.status_code == 200 and "Negotiation across processes" in added.text
        assert "Negotiation across processes" not in before
        assert "Negotiation across processes" in first.get(gaps).text


def _nonce(html: str) -> str:
    found = re.search(r'nonce="([^"]+)"', html)
    assert found, "page has no script nonce"
    return found.group(1)
