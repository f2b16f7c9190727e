"""A browser session ends after the idle time and at its absolute lifetime (settings
PEERMENTOR_SESSION_IDLE_MINUTES and PEERMENTOR_SESSION_MAX_HOURS), and its last-seen
time is written at most once a minute. The clock is the `now` dependency, moved here."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.auth import digest
from peermentor.store.auth_models import UserSession
from tests.web.clock import START, Clock, moving_clock  # noqa: F401  (the clock fixture)
from tests.web.conftest import PEER, csrf_of, sign_in


def signed_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def last_seen(client: TestClient, session: Session):  # type: ignore[no-untyped-def]
    token = client.cookies["pm_session"]
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    assert row is not None
    session.refresh(row)
    return row.last_seen_at.replace(tzinfo=None)


def test_thirty_minutes_without_a_request_end_the_session(client: TestClient, clock: Clock) -> None:
    sign_in(client, *PEER)
    clock.move(minutes=29, seconds=59)
    assert signed_in(client)
    clock.move(minutes=30)
    assert not signed_in(client)
    location = client.get("/", follow_redirects=False).headers["location"]
    assert location.startswith("/login")


def test_activity_keeps_a_session_until_its_twelve_hours_are_up(
    client: TestClient, clock: Clock
) -> None:
    sign_in(client, *PEER)
    for _ in range(35):  # a request every 20 minutes, for 11 h 40 min
        clock.move(minutes=20)
        assert signed_in(client)
    clock.move(minutes=19, seconds=59)
    assert signed_in(client)
    clock.move(seconds=1)
    assert not signed_in(client)


def test_the_last_seen_time_is_written_at_most_once_a_minute(
    client: TestClient, clock: Clock, session: Session
) -> None:
    sign_in(client, *PEER)
    first = last_seen(client, session)
    clock.move(seconds=59)
    assert signed_in(client)
    assert last_seen(client, session) == first  # no write for this request
    clock.move(seconds=1)
    assert signed_in(client)
    assert last_seen(client, session) == (START + timedelta(seconds=60)).replace(tzinfo=None)


def test_the_limits_come_from_the_settings(client: TestClient, clock: Clock) -> None:
    app = client.app
    app.state.settings = app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"session_idle_minutes": 5, "session_max_hours": 1}
    )
    sign_in(client, *PEER)
    clock.move(minutes=5)
    assert not signed_in(client)
    sign_in(client, *PEER)
    for _ in range(14):
        clock.move(minutes=4)
        assert signed_in(client)
    clock.move(minutes=4)  # an hour after this sign-in
    assert not signed_in(client)


def test_the_cookie_lives_no_longer_than_the_session(client: TestClient) -> None:
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"email": PEER[0], "password": PEER[1], "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert "max-age=43200" in answer.headers["set-cookie"].lower()
