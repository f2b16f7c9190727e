"""Throttling slows guessing without locking the owner out: failures count per form,
account and client address together, waits double after each further failure, and one
address meets a ceiling of its own across accounts and forms."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import User
from tests.web.clock import Clock, moving_clock  # noqa: F401  (the clock fixture)
from tests.web.conftest import PEER, csrf_of, sign_in

ATTACKER = ("203.0.113.9", 50000)
OWNER = ("198.51.100.7", 50000)


def from_address(client: TestClient, address: tuple[str, int]) -> TestClient:
    """Another browser on the same app, reaching it from another address."""
    return TestClient(client.app, base_url="https://testserver", client=address)


def login_post(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


def fail_logins(client: TestClient, times: int, email: str = PEER[0]) -> None:
    for _ in range(times):
        assert login_post(client, email, "wrong-password-x").status_code == 401


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out(
    client: TestClient, clock: Clock
) -> None:
    attacker = from_address(client, ATTACKER)
    fail_logins(attacker, 5)
    refused = login_post(attacker, *PEER)  # even the right password, from there
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.text
    owner = from_address(client, OWNER)
    assert login_post(owner, *PEER).status_code == 303


def test_each_further_failure_doubles_the_wait(client: TestClient, clock: Clock) -> None:
    attacker = from_address(client, ATTACKER)
    fail_logins(attacker, 5)
    refused = login_post(attacker, PEER[0], "wrong-password-x")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    clock.move(seconds=60)
    fail_logins(attacker, 1)  # the sixth: now two minutes
    clock.move(seconds=119)
    assert login_post(attacker, *PEER).status_code == 429
    clock.move(seconds=1)
    fail_logins(attacker, 1)  # the seventh: four minutes
    clock.move(minutes=3, seconds=59)
    assert login_post(attacker, *PEER).status_code == 429
    clock.move(seconds=1)
    assert login_post(attacker, *PEER).status_code == 303


def test_a_quiet_day_starts_the_count_over(client: TestClient, clock: Clock) -> None:
    attacker = from_address(client, ATTACKER)
    fail_logins(attacker, 5)
    clock.move(hours=24)
    fail_logins(attacker, 4)  # four of a fresh five: no wait yet
    assert login_post(attacker, *PEER).status_code == 303


def test_signing_in_clears_the_count_for_that_account_and_address(
    client: TestClient, clock: Clock
) -> None:
    owner = from_address(client, OWNER)
    fail_logins(owner, 4)
    assert login_post(owner, *PEER).status_code == 303
    fail_logins(owner, 4)  # a typo or four later is not yet a wait
    assert login_post(owner, *PEER).status_code == 303


def test_an_unknown_account_is_throttled_like_a_real_one(client: TestClient, clock: Clock) -> None:
    attacker = from_address(client, ATTACKER)
    fail_logins(attacker, 5, email="nobody@example.com")
    assert login_post(attacker, "nobody@example.com", "x-password-1").status_code == 429


def change_password(client: TestClient, csrf: str, current: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/password",
        data={
            "current": current,
            "new": "a-new-password-9",
            "repeat": "a-new-password-9",
            "csrf_token": csrf,
        },
    )


def test_the_password_change_form_is_throttled(
    client: TestClient, clock: Clock, session: Session
) -> None:
    """Someone holding a stolen session cannot guess the current password at speed, and
    the pause it meets is in the audit log under the account."""
    thief = from_address(client, ATTACKER)
    csrf = sign_in(thief, *PEER)
    for _ in range(5):
        assert change_password(thief, csrf, "guess-password-1").status_code == 422
    refused = change_password(thief, csrf, PEER[1])
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    [lock] = session.scalars(select(AuditEntry).where(AuditEntry.action == "password.locked"))
    assert lock.actor_kind == "user" and lock.target_id == lock.actor_user_id
    assert lock.details == {"wait_seconds": 60, "address_wide": False}
    assert login_post(from_address(client, OWNER), *PEER).status_code == 303  # unchanged
    clock.move(minutes=1)
    assert change_password(thief, csrf, PEER[1]).status_code == 200


def test_the_invitation_form_is_throttled(client: TestClient, clock: Clock) -> None:
    guesser = from_address(client, ATTACKER)
    csrf = csrf_of(guesser.get("/login").text)
    for number in range(100):
        answer = guesser.post(
            f"/invite/guess-{number}",
            data={"password": "x-password-12", "repeat": "x-password-12", "csrf_token": csrf},
        )
        assert answer.status_code == 404
    refused = guesser.get("/invite/guess-100")
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    assert from_address(client, OWNER).get("/invite/guess-101").status_code == 404


def test_an_address_at_its_ceiling_waits_on_every_form_and_the_owner_elsewhere_does_not(
    client: TestClient, clock: Clock
) -> None:
    """The address's own count spans accounts and forms (spraying one password over many
    accounts is tested in tests/store/test_throttle.py, without a hash per try)."""
    sprayer = from_address(client, ATTACKER)
    for number in range(100):
        assert sprayer.get(f"/invite/guess-{number}").status_code == 404
    assert login_post(sprayer, *PEER).status_code == 429
    assert login_post(from_address(client, OWNER), *PEER).status_code == 303
    clock.move(minutes=1)
    assert login_post(sprayer, *PEER).status_code == 303


def _locks(session: Session) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sign_in.locked").order_by(AuditEntry.id)
        )
    )


def test_each_wait_a_failure_starts_is_audited_once(
    client: TestClient, clock: Clock, session: Session
) -> None:
    attacker = from_address(client, ATTACKER)
    fail_logins(attacker, 4)
    assert _locks(session) == []  # four free tries: no wait yet
    fail_logins(attacker, 1)  # the fifth starts a minute's wait
    for _ in range(20):  # tries refused during the wait write nothing more
        assert login_post(attacker, PEER[0], "wrong-password-x").status_code == 429
    [first] = _locks(session)
    peer = session.scalar(select(User).where(User.email == PEER[0]))
    assert peer is not None
    assert (first.target_kind, first.target_id) == ("user", peer.id)
    assert first.details == {"wait_seconds": 60, "address_wide": False}
    clock.move(seconds=60)
    fail_logins(attacker, 1)  # the sixth: two minutes, a second entry
    assert [e.details["wait_seconds"] for e in _locks(session)] == [60, 120]
