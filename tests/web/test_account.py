"""The account page: every signed-in user reaches it from the nav and downloads their
own data there, as an attachment no cache keeps."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
from peermentor.store.models import Person
from tests.web.conftest import ADMIN, PEER, sign_in

LEE = ("lee@example.com", "lee-password-12")


def test_signing_in_is_needed(client: TestClient) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]
    response = client.get("/account/data.json", follow_redirects=False)
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]


def test_every_signed_in_user_finds_the_account_page_in_the_nav(client: TestClient) -> None:
    for email, password in (PEER, ADMIN):
        sign_in(client, email, password)
        home = client.get("/")
        assert 'href="/account"' in home.text
        page = client.get("/account")
        assert page.status_code == 200 and email in page.text
        assert "Download my data" in page.text and 'href="/account/data.json"' in page.text
        assert page.headers["cache-control"] == "no-store"
        client.cookies.clear()


def test_a_participant_downloads_their_own_data(client: TestClient, session: Session) -> None:
    person = Person(employee_id="L1", name="Lee Chen", email=LEE[0], years_experience=4)
    session.add(person)
    session.flush()
    create_user(session, SYSTEM, LEE[0], LEE[1], person_id=person.id)
    session.commit()
    sign_in(client, *LEE)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    doc = response.json()
    assert doc["person"]["employee_id"] == "L1" and doc["account"]["email"] == LEE[0]
    assert len(doc["sessions"]) == 1  # this very sign-in, without its secrets
    assert "token_hash" not in response.text and "csrf_token" not in response.text


def test_an_admin_downloads_their_account_and_nobody_elses(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    doc = json.loads(client.get("/account/data.json").text)
    assert doc["account"]["email"] == ADMIN[0] and doc["person"] is None
    assert PEER[0] not in json.dumps(doc)
