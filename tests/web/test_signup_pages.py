"""Self sign-up through the pages and the API: an admin opens it, a person signs up on
the link's page (refusals next to their fields, nothing lost), confirms through the
mailed link, sees that they wait; the admin approves in bulk, and declining or a new
link asks for a tick first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.services.access import SYSTEM
from peermentor.services.people import import_people
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Enrolment, Person
from tests.programs import pid
from tests.web.conftest import csrf_of, sign_in

LEAD = ("lead@example.com", "lead-password-1")
PEOPLE = "employee_id,name,email,years_experience\nE1,Ada Byron,ada@example.com,6\n"
PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        base_url="https://mentoring.example.org",
        mail_dir=str(tmp_path / "mail"),  # sign-up needs mail: the link proves an address
        insecure_cookies=False,
    )


@pytest.fixture
def program_id(client: TestClient, session: Session) -> int:
    import_people(session, SYSTEM, "Open cohort", PEOPLE.encode())
    create_program_admin(session, SYSTEM, *LEAD, "Open cohort")
    session.commit()
    return pid(session, "Open cohort")


def open_signup(client: TestClient, program_id: int, domains: str = "example.com") -> str:
    csrf = sign_in(client, *LEAD)
    page = client.get(f"/admin/programs/{program_id}/signups")
    assert "Sign-up is <strong>closed</strong>" in page.text
    saved = client.post(
        f"/admin/programs/{program_id}/signups/settings",
        data={"csrf_token": csrf, "open": "yes", "approval": "yes", "domains": domains},
    )
    assert "Sign-up settings are saved." in saved.text
    link = re.search(r"https://mentoring\.example\.org/join/([A-Za-z0-9_-]+)", saved.text)
    assert link, saved.text
    client.post("/logout", data={"csrf_token": csrf})
    return link.group(1)


def status_of(session: Session, email: str) -> str | None:
    return session.scalar(
        select(Enrolment.status)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Person.email == email)
    )


def test_a_person_signs_up_confirms_and_waits_then_an_admin_approves(
    client: TestClient, session: Session, program_id: int
) -> None:
    token = open_signup(client, program_id)
    page = client.get(f"/join/{token}")
    assert "<h1>Join Open cohort</h1>" in page.text
    assert "Addresses at @example.com only." in page.text
    csrf = csrf_of(page.text)

    refused = client.post(
        f"/join/{token}",
        data={"csrf_token": csrf, "name": "Cy Dee", "email": "cy@elsewhere.org", "years": "x"},
    )
    assert refused.status_code == 422
    assert "Please check the form: 2 problems" in refused.text
    assert 'id="email-error">This programme is open to addresses at @example.com only.' in (
        refused.text
    )
    assert 'id="years-error">A number of years from 0 to 70' in refused.text
    assert 'value="Cy Dee"' in refused.text and 'value="cy@elsewhere.org"' in refused.text
    assert session.scalar(select(Person).where(Person.email == "cy@elsewhere.org")) is None

    sent = client.post(
        f"/join/{token}",
        data={"csrf_token": csrf, "name": "Cy Dee", "email": "cy@example.com", "years": "4.5"},
        follow_redirects=False,
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/join/sent")
    assert "Check your mail" in client.get("/join/sent").text
    assert status_of(session, "cy@example.com") == "unconfirmed"

    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject == "Confirm your sign-up to Open cohort")
    ).one()
    invite = re.search(r"https://mentoring\.example\.org(/invite/[A-Za-z0-9_-]+)", mail.text_body)
    assert invite
    form = client.get(invite.group(1))
    confirmed = client.post(
        invite.group(1),
        data={"csrf_token": csrf_of(form.text), "password": PASSWORD, "repeat": PASSWORD},
    )
    assert "Your sign-up to <strong>Open cohort</strong>: Waiting for the programme" in (
        confirmed.text
    )
    assert status_of(session, "cy@example.com") == "pending"
    csrf = csrf_of(confirmed.text)
    client.post("/logout", data={"csrf_token": csrf})

    csrf = sign_in(client, *LEAD)
    waiting = client.get(f"/admin/programs/{program_id}/signups")
    assert "1 person waits for an admin" in waiting.text
    cy = session.scalar(select(Person.id).where(Person.email == "cy@example.com"))
    unticked = client.post(
        f"/admin/programs/{program_id}/signups/decide",
        data={"csrf_token": csrf, "decision": "decline", "person_id": str(cy)},
    )
    assert unticked.status_code == 422 and "Tick the box to confirm" in unticked.text
    assert status_of(session, "cy@example.com") == "pending"
    approved = client.post(
        f"/admin/programs/{program_id}/signups/decide",
        data={"csrf_token": csrf, "decision": "approve", "person_id": str(cy)},
    )
    assert "1 sign-up approved." in approved.text and "Nobody is waiting." in approved.text
    assert status_of(session, "cy@example.com") == "enrolled"


def test_a_new_link_asks_for_a_tick_and_ends_the_old_one(
    client: TestClient, session: Session, program_id: int
) -> None:
    token = open_signup(client, program_id)
    csrf = sign_in(client, *LEAD)
    form = {"csrf_token": csrf, "open": "yes", "approval": "yes", "domains": "example.com"}
    url = f"/admin/programs/{program_id}/signups/settings"
    unticked = client.post(url, data=form | {"new_link": "yes"})
    assert unticked.status_code == 422 and "Tick the box to confirm" in unticked.text
    assert client.get(f"/join/{token}").status_code == 200
    made = client.post(url, data=form | {"new_link": "yes", "confirm": "yes"})
    assert "the old one no longer works" in made.text
    gone = client.get(f"/join/{token}")
    assert gone.status_code == 404 and "not open any more" in gone.text

    bad = client.post(url, data=form | {"domains": "example.com, not a domain"})
    assert bad.status_code == 422 and "is not an email domain" in bad.text
    assert 'value="example.com, not a domain"' in bad.text


def test_a_signed_in_participant_joins_with_one_button(
    client: TestClient, session: Session, program_id: int
) -> None:
    token = open_signup(client, program_id, domains="")
    import_people(
        session,
        SYSTEM,
        "Other",
        b"employee_id,name,email,years_experience\nE5,Bea Lee,bea@example.com,5\n",
    )
    bea = session.scalars(select(Person).where(Person.email == "bea@example.com")).one()
    create_user(session, SYSTEM, "bea@example.com", PASSWORD, person_id=bea.id)
    session.commit()
    csrf = sign_in(client, "bea@example.com", PASSWORD)
    page = client.get(f"/join/{token}")
    assert "You are signed in as <strong>bea@example.com</strong>" in page.text
    joined = client.post(f"/join/{token}/me", data={"csrf_token": csrf})
    assert "Your sign-up is sent: the programme" in joined.text
    assert "Your sign-up to <strong>Open cohort</strong>: Waiting for the programme" in joined.text


def test_the_api_lists_who_waits_and_decides(
    client: TestClient, session: Session, program_id: int
) -> None:
    token = open_signup(client, program_id)
    csrf = csrf_of(client.get(f"/join/{token}").text)
    client.post(
        f"/join/{token}",
        data={"csrf_token": csrf, "name": "Dee", "email": "dee@example.com", "years": "3"},
    )
    dee = session.scalars(select(Person).where(Person.email == "dee@example.com")).one()
    session.execute(
        Enrolment.__table__.update().where(Enrolment.person_id == dee.id).values(status="pending")
    )
    session.commit()
    csrf = sign_in(client, *LEAD)
    headers = {"X-CSRF-Token": csrf}
    found = client.get(f"/api/programs/{program_id}/signups").json()
    assert found["settings"]["open"] and found["settings"]["domains"] == ["example.com"]
    assert [w["email"] for w in found["waiting"]] == ["dee@example.com"]
    assert found["waiting"][0]["self_enrolled"] is True

    refused = client.post(
        f"/api/programs/{program_id}/signups/decisions",
        json={"person_ids": [], "approve": True},
        headers=headers,
    )
    assert refused.status_code == 422
    decided = client.post(
        f"/api/programs/{program_id}/signups/decisions",
        json={"person_ids": [dee.id], "approve": False},
        headers=headers,
    )
    assert decided.json() == {"decided": 1}
    assert status_of(session, "dee@example.com") == "declined"

    closed = client.put(
        f"/api/programs/{program_id}/signups/settings",
        json={"open": False},
        headers=headers,
    )
    assert closed.json()["settings"]["link"] == ""
    assert client.get(f"/join/{token}").status_code == 404


def test_someone_waiting_for_the_match_pauses_from_their_start_page(
    client: TestClient, session: Session, program_id: int
) -> None:
    ada = session.scalars(select(Person).where(Person.email == "ada@example.com")).one()
    create_user(session, SYSTEM, "ada@example.com", PASSWORD, person_id=ada.id)
    session.commit()
    csrf = sign_in(client, "ada@example.com", PASSWORD)
    home = client.get("/")
    assert "<h2>Your programmes</h2>" in home.text
    link = f"/programmes/{program_id}/availability"
    assert f'href="{link}"' in home.text
    page = client.get(link)
    assert "<h1>Your availability in Open cohort</h1>" in page.text
    assert "You are available to be matched." in page.text

    refused = client.post(link, data={"csrf_token": csrf, "paused_until": "2001-01-01"})
    assert refused.status_code == 422 and "A date from today on." in refused.text
    assert 'value="2001-01-01"' in refused.text
    saved = client.post(link, data={"csrf_token": csrf, "paused_until": "2099-03-01"})
    assert "Your availability is saved." in saved.text
    assert "Open cohort: matching paused until 2099-03-01." in saved.text
    resumed = client.post(
        link, data={"csrf_token": csrf, "paused_until": "2099-03-01", "resume": "1"}
    )
    assert "matching paused" not in resumed.text

    # Not enrolled there: refused, and an admin has no availability at all.
    other = client.get("/programmes/999999/availability")
    assert other.status_code == 403


def test_a_sign_up_declined_by_mistake_can_be_approved_after_all(
    client: TestClient, session: Session, program_id: int
) -> None:
    open_signup(client, program_id)
    # The form and the decline are exercised above; here the declined state is set.
    eve = Person(
        employee_id="self-eve", name="Eve Fay", email="eve@example.com", years_experience=3
    )
    session.add(eve)
    session.flush()
    session.add(Enrolment(program_id=program_id, person_id=eve.id, status="declined"))
    session.commit()
    csrf = sign_in(client, *LEAD)
    page = client.get(f"/admin/programs/{program_id}/signups")
    assert "Declined (1)" in page.text and "Eve Fay" in page.text
    refused = client.post(
        f"/admin/programs/{program_id}/signups/decide",
        data={"csrf_token": csrf, "decision": "approve-declined"},
    )
    assert refused.status_code == 422 and status_of(session, "eve@example.com") == "declined"
    approved = client.post(
        f"/admin/programs/{program_id}/signups/decide",
        data={"csrf_token": csrf, "decision": "approve-declined", "person_id": str(eve.id)},
    )
    assert "1 sign-up approved." in approved.text and "Declined (" not in approved.text
    assert status_of(session, "eve@example.com") == "enrolled"
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.person_id == eve.id)).all()
    assert [m.subject for m in told] == ["You are in: Open cohort"]
