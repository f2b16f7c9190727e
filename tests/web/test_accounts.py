"""Accounts: login, sessions, CSRF, rate limits, invitations, password change."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.auth import invite_person
from peermentor.services.people import import_people
from peermentor.store.models import Person
from peermentor.web.deps import now
from tests.web.conftest import ADMIN, PEER, csrf_of, sign_in


def login_post(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


def home_with_session(client: TestClient, token: str):  # type: ignore[no-untyped-def]
    client.cookies.clear()
    client.cookies.set("pm_session", token)
    return client.get("/", follow_redirects=False)


def test_anonymous_visitor_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_unknown_account_and_wrong_password_get_the_same_answer(client: TestClient) -> None:
    unknown = login_post(client, "nobody@example.com", "whatever-password")
    wrong = login_post(client, PEER[0], "not-her-password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Email or password is not right." in unknown.text

    # The same page but for the typed email and the per-answer CSP nonce of its script.
    def same(text: str, email: str) -> str:
        return re.sub(r'nonce="[^"]+"', 'nonce=""', text.replace(email, "X"))

    assert same(unknown.text, "nobody@example.com") == same(wrong.text, PEER[0])


def test_session_cookie_is_secure_httponly_samesite(client: TestClient) -> None:
    response = login_post(client, *PEER)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("pm_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax"):
        assert flag.lower() in cookie.lower()


def test_each_login_gets_a_new_session_id(client: TestClient) -> None:
    first = login_post(client, *PEER).cookies["pm_session"]
    second = login_post(client, *PEER).cookies["pm_session"]
    assert first != second


def test_logout_revokes_the_session(client: TestClient) -> None:
    csrf = sign_in(client, *PEER)
    token = client.cookies["pm_session"]
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    response = home_with_session(client, token)
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_logout_without_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client, *PEER)
    response = client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_login_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/login", data={"email": PEER[0], "password": PEER[1]}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "pm_session" not in response.headers.get("set-cookie", "")


def test_repeated_failures_lock_the_account_for_a_while(client: TestClient) -> None:
    for _ in range(5):
        assert login_post(client, PEER[0], "wrong-password-x").status_code == 401
    locked = login_post(client, *PEER)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.text


def test_password_change_ends_every_other_session(client: TestClient) -> None:
    other_device = login_post(client, *PEER).cookies["pm_session"]
    csrf = sign_in(client, *PEER)
    response = client.post(
        "/account/password",
        data={
            "current": PEER[1],
            "new": "a-new-password-9",
            "repeat": "a-new-password-9",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 200 and "Password changed" in response.text
    assert client.get("/", follow_redirects=False).status_code == 200  # this browser stays in
    assert home_with_session(client, other_device).status_code == 303
    assert login_post(client, PEER[0], "a-new-password-9").status_code == 303


def test_password_change_needs_the_current_password(client: TestClient) -> None:
    csrf = sign_in(client, *PEER)
    response = client.post(
        "/account/password",
        data={
            "current": "wrong",
            "new": "a-new-password-9",
            "repeat": "a-new-password-9",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 422 and "current password" in response.text


def test_invitation_link_sets_a_password_once(client: TestClient, session: Session) -> None:
    csv = "employee_id,name,email,years_experience\nE7,Kim Park,kim@example.com,5\n"
    import_people(session, SYSTEM, "Cohort", csv.encode())
    kim = session.scalar(select(Person).where(Person.employee_id == "E7"))
    assert kim is not None
    token = invite_person(session, SYSTEM, kim.id, now())
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200 and "kim@example.com" in page.text
    response = client.post(
        f"/invite/{token}",
        data={
            "password": "kims-password-1",
            "repeat": "kims-password-1",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get(f"/invite/{token}").status_code == 404
    client.cookies.clear()
    assert login_post(client, "kim@example.com", "kims-password-1").status_code == 303


def test_admin_sees_programmes_and_participant_does_not(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    assert "<h1>Programmes</h1>" in client.get("/").text
    client.cookies.clear()
    sign_in(client, *PEER)
    page = client.get("/").text
    assert "Your peer mentoring" in page and "<h1>Programmes</h1>" not in page


def test_login_never_redirects_off_site(client: TestClient) -> None:
    form = client.get("/login?next=https://evil.example/")
    assert 'value="/"' in form.text
    response = client.post(
        "/login",
        data={
            "email": PEER[0],
            "password": PEER[1],
            "csrf_token": csrf_of(form.text),
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"
