"""Kept pages (web/page_cache.py): served again only to the session that was shown them,
only while nothing they show has changed, each time with a fresh CSP nonce.

What a person notices: a second view of a page is fast, and never shows them stale
text, someone else's page or a page after signing out."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.runtime import Store, open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
from peermentor.services.workspace.gaps import add_gap
from peermentor.store.auth_models import UserSession
from peermentor.store.models import User
from peermentor.web.app import create_app
from peermentor.web.deps import now
from peermentor.web.page_cache import PageCache
from tests.conftest import _throwaway_postgres_database
from tests.store.workspace.factories import World, later, make_world
from tests.web.conftest import csrf_of, sign_in

PASSWORD = "page-cache-pass-1"
CLOCK = later(days=3)
NONCE = re.compile(r'nonce="([^"]+)"')


@dataclass
class Pair:
    world: World
    app: FastAPI
    engine: Engine
    store: Store

    def client(self, name: str) -> TestClient:
        client = TestClient(self.app, base_url="https://testserver")
        client.__enter__()
        sign_in(client, self.world.people[name].email, PASSWORD)
        return client

    def gaps(self) -> str:
        return f"/pairings/{self.world.pairing_id}/gaps"


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own, its writes committed: a kept page is checked outside any
    transaction, so it must see what the tests write as another process would."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('page-cache') / 'store.db'}"
    else:
        yield from _throwaway_postgres_database()


@pytest.fixture(scope="module")
def pair(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    settings = Settings(
        database_url=database_url,
        secret_key_file=tmp_path_factory.mktemp("secret") / "secret",
        mail_dir="",
    )
    store = open_store(settings)
    with store.sessions() as session:
        world = make_world(session)
        for name in ("ana", "kim"):
            person = world.people[name]
            create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
        session.commit()
    app = create_app(settings, store)
    app.state.jobs_inline = True
    app.dependency_overrides[now] = lambda: CLOCK
    yield Pair(world, app, store.engine, store)
    store.close()


def _statements(pair: Pair, client: TestClient, path: str) -> tuple[list[str], str, str]:
    seen: list[str] = []
    engine = pair.engine

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text[:300]
    return seen, response.text, response.headers["content-security-policy"]


def _read_gaps(statements: list[str]) -> bool:
    return any("FROM gaps" in statement for statement in statements)


def test_a_second_view_is_the_kept_page_with_a_fresh_nonce(pair: Pair) -> None:
    ana = pair.client("ana")
    first_sql, first, first_policy = _statements(pair, ana, pair.gaps())
    kept_sql, kept, kept_policy = _statements(pair, ana, pair.gaps())
    # Rendering reads the pairing and its gaps; a kept page one statement: the
    # session, its account's state and the data version, outside any transaction.
    assert len(kept_sql) == 1 < len(first_sql)
    assert _read_gaps(first_sql) and not _read_gaps(kept_sql)
    first_nonces, kept_nonces = set(NONCE.findall(first)), set(NONCE.findall(kept))
    assert len(first_nonces) == len(kept_nonces) == 1 and first_nonces != kept_nonces
    (nonce,) = kept_nonces
    assert f"'nonce-{nonce}'" in kept_policy and f"'nonce-{nonce}'" not in first_policy
    assert NONCE.sub("", first) == NONCE.sub("", kept)  # otherwise the same page


def test_a_change_from_a_form_or_from_elsewhere_shows_on_the_next_view(pair: Pair) -> None:
    ana = pair.client("ana")
    assert "Public speaking" not in ana.get(pair.gaps()).text
    ana.get(pair.gaps())  # kept now
    token = csrf_of(ana.get(pair.gaps()).text)
    answer = ana.post(
        pair.gaps(),
        data={"title": "Public speaking", "category": "skill", "csrf_token": token},
    )
    assert answer.status_code == 200 and "Public speaking" in answer.text
    assert "Public speaking" in ana.get(pair.gaps()).text
    # Written past the web app (the CLI, the worker, another web process): the page
    # the partner was shown before is not served again.
    kim = pair.client("kim")
    assert "Budget planning" not in kim.get(pair.gaps()).text
    with pair.store.sessions() as session:
        add_gap(
            session,
            pair.world.kim,
            pair.world.pairing_id,
            CLOCK,
            title="Budget planning",
            category="skill",
        )
        session.commit()
    assert "Budget planning" in kim.get(pair.gaps()).text


def test_each_session_is_shown_its_own_page(pair: Pair) -> None:
    ana, kim, ana_elsewhere = pair.client("ana"), pair.client("kim"), pair.client("ana")
    pages = {}
    for name, client in (("ana", ana), ("kim", kim), ("ana2", ana_elsewhere)):
        client.get(pair.gaps())
        pages[name] = client.get(pair.gaps()).text  # each its own kept page
    tokens = {name: csrf_of(text) for name, text in pages.items()}
    assert len(set(tokens.values())) == 3  # every form carries its own session's token
    for name, client in (("ana", ana), ("kim", kim), ("ana2", ana_elsewhere)):
        token = tokens[name]
        mine = client.post(
            pair.gaps(), data={"title": f"Gap of {name}", "category": "skill", "csrf_token": token}
        )
        assert mine.status_code == 200, (name, mine.text[:200])


def test_a_signed_out_session_gets_the_login_page_not_the_kept_one(pair: Pair) -> None:
    ana = pair.client("ana")
    ana.get(pair.gaps())
    token = csrf_of(ana.get(pair.gaps()).text)
    ana.post("/logout", data={"csrf_token": token})
    answer = ana.get(pair.gaps(), follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_the_next_minute_renders_afresh(pair: Pair) -> None:
    ana = pair.client("ana")
    ana.get(pair.gaps())
    kept, _, _ = _statements(pair, ana, pair.gaps())
    pair.app.dependency_overrides[now] = lambda: later(days=3, hours=2 / 60)
    try:
        moved_on, _, _ = _statements(pair, ana, pair.gaps())
    finally:
        pair.app.dependency_overrides[now] = lambda: CLOCK
    assert len(kept) == 1 and not _read_gaps(kept)
    assert _read_gaps(moved_on)  # rendered again, not the page of the minute before


def test_the_cache_keeps_to_its_memory_and_drops_older_versions() -> None:
    cache = PageCache(max_bytes=8 * 1000)
    for i in range(20):
        cache.put(1, (i, "/", "", "m"), b"x" * 1000)
    assert len(cache) == 8 and cache.get(1, (0, "/", "", "m")) is None  # oldest went first
    assert cache.get(1, (19, "/", "", "m")) == b"x" * 1000
    assert cache.get(2, (19, "/", "", "m")) is None  # a newer version: all stale
    assert len(cache) == 0
    cache.put(1, (1, "/", "", "m"), b"old")  # rendered before version 2 was seen
    assert cache.get(2, (1, "/", "", "m")) is None
    cache.put(2, (1, "/", "", "m"), b"y" * 2000)  # over an eighth of the memory: not kept
    assert len(cache) == 0
    assert not PageCache(0).enabled


def test_requests_that_miss_one_page_together_wait_for_one_render() -> None:
    cache = PageCache(max_bytes=1 << 20)
    key = (1, "/", "", "m")
    renders: list[int] = []
    started = threading.Barrier(8)

    def view() -> bytes:
        started.wait()
        kept = cache.get(1, key)
        if kept is not None:
            return kept
        with cache.one_render(key):
            kept = cache.get(1, key)
            if kept is not None:
                return kept
            renders.append(1)
            time.sleep(0.05)  # a render's worth of work, while the others arrive
            cache.put(1, key, b"page")
            return b"page"

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: view(), range(8)))
    assert pages == [b"page"] * 8
    assert len(renders) == 1


def test_a_kept_page_still_keeps_the_session_alive(pair: Pair) -> None:
    """Served from the cache, a view still writes the session's last-seen time once a
    minute (after the answer), so an active person is not signed out as idle."""
    start = CLOCK + timedelta(minutes=10, seconds=10)
    pair.app.dependency_overrides[now] = lambda: start
    try:
        ana = pair.client("ana")  # signed in at start: last seen then
        at = start + timedelta(seconds=55)  # the next minute, not due yet
        pair.app.dependency_overrides[now] = lambda: at
        ana.get(pair.gaps())
        at = start + timedelta(seconds=65)  # due now, the page still kept
        statements, _, _ = _statements(pair, ana, pair.gaps())
        assert not _read_gaps(statements)  # the kept page was served
        with pair.store.sessions() as session:
            seen = max(
                row.last_seen_at
                for row in session.scalars(select(UserSession))
                if row.user_id == _user_id(session, pair.world.people["ana"].email)
            )
        assert seen.replace(tzinfo=UTC) == at
    finally:
        pair.app.dependency_overrides[now] = lambda: CLOCK


def _user_id(session: Session, email: str) -> int:
    return int(session.scalars(select(User.id).where(User.email == email)).one())
